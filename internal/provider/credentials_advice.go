package provider

import (
	"strings"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// credentialsErrorAdvice says what to do about an API gateway's rejection of
// a request's credentials, signature, timestamp or nonce; "" for other codes.
func credentialsErrorAdvice(code string) string {
	switch {
	case code == "SignatureDoesNotMatch":
		return "The request was signed with a secret that does not belong to the AccessKey ID: check secret_key " +
			"(ALIBABA_CLOUD_ACCESS_KEY_SECRET) against access_key (ALIBABA_CLOUD_ACCESS_KEY_ID)."
	case code == "InvalidAccessKeyId.NotFound" || code == "InvalidAccessKeyId":
		return "The endpoint does not know this AccessKey ID: check access_key (ALIBABA_CLOUD_ACCESS_KEY_ID), that the key " +
			"was not deleted or disabled, and that endpoint and site are those of its account."
	case strings.HasPrefix(code, "InvalidTimeStamp"):
		return "The request's Timestamp is more than 15 minutes away from the server's clock: synchronise this machine's " +
			"clock (NTP), then run Terraform again."
	case code == "SignatureNonceUsed":
		return "The server already received a request with this SignatureNonce: something between Terraform and the " +
			"endpoint (a proxy, a gateway retrying requests) sent a request twice. The provider makes a new nonce for every " +
			"attempt, so running Terraform again goes through; if it keeps happening, check that proxy."
	case code == "InvalidSecurityToken.Expired":
		return "The STS security token has expired: obtain a new token with its temporary AccessKey pair and set " +
			"security_token, access_key and secret_key again, or configure assume_role so the provider obtains fresh ones."
	case strings.HasPrefix(code, "InvalidSecurityToken"):
		return "The STS security token does not belong to this AccessKey ID: set the temporary AccessKey ID and secret " +
			"that were issued together with security_token."
	}
	return ""
}

// credentialsAdviceOr is credentialsErrorAdvice for err when the API rejected
// the request's credentials, signature, timestamp or nonce, and fallback for
// any other error.
func credentialsAdviceOr(err error, fallback string) string {
	if apiErr, ok := rdclient.AsAPIError(err); ok {
		if advice := credentialsErrorAdvice(apiErr.Code); advice != "" {
			return advice
		}
	}
	return fallback
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The one voice of API errors: every resource and data source turns a failed
// call into a diagnostic with apiErrorDetail, which shows the error as
// rdclient renders it (Action, Code, HTTP status, message, RequestId) and
// then what to do about it.

// apiErrorDetail is the detail of an error diagnostic about a failed API
// call: what failed (a sentence without its final period; "" to show the
// error alone), the error, the advice for its code (apiErrorAdvice) or else
// fallback, then each non-empty note.
func apiErrorDetail(what string, err error, fallback string, notes ...string) string {
	first := err.Error()
	if what != "" {
		first = what + ": " + first
	}
	parts := []string{first}
	if advice := apiErrorAdvice(err); advice != "" {
		parts = append(parts, advice)
	} else if fallback != "" {
		parts = append(parts, fallback)
	}
	for _, n := range notes {
		if n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "\n\n")
}

// apiErrorAdvice says what to do about an error, when its cause has a known
// remedy: the credentials, permissions, quotas and limits, the contact's
// state, throttling, a server-side failure, or a timeout.
func apiErrorAdvice(err error) string {
	apiErr, ok := rdclient.AsAPIError(err)
	var setting *rdclient.SettingError
	switch {
	case !ok && errors.Is(err, context.DeadlineExceeded):
		return "The operation ran out of time. Raise the matching value in the resource's timeouts block, or retry."
	case !ok:
		return ""
	case errors.As(err, &setting):
		if a := stsErrorAdvice(setting.Setting, apiErr); a != "" {
			return a
		}
	}
	for _, advice := range []func(*rdclient.APIError) string{credentialsErrorAdvice, contactErrorAdvice, transientErrorAdvice} {
		if a := advice(apiErr); a != "" {
			return a
		}
	}
	return ""
}

// credentialsErrorAdvice says what to do about an API gateway's rejection of
// a request's credentials, signature, timestamp or nonce, or of the
// permissions of its caller.
func credentialsErrorAdvice(e *rdclient.APIError) string {
	code := e.Code
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
	case strings.HasPrefix(code, "Forbidden") || strings.HasPrefix(code, "NoPermission"):
		return "The credentials are not allowed to call this action: grant the RAM policy action resourcemanager:" + e.Action + "."
	}
	return ""
}

// stsErrorAdvice says what to fix when STS refused the credentials of
// setting (assume_role, assume_role_with_oidc or a profile).
func stsErrorAdvice(setting string, e *rdclient.APIError) string {
	switch code := e.Code; {
	case code == "AuthenticationFail.NoPermission":
		return "STS knows no such OIDC identity provider: check " + setting + ": its oidc_provider_arn (ALIBABA_CLOUD_OIDC_PROVIDER_ARN)."
	case strings.Contains(code, "OIDCToken"):
		return "STS refused the OIDC token: check " + setting + ": its oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE) or oidc_token " +
			"must hold a current token whose issuer and audience the OIDC identity provider in RAM trusts."
	case strings.HasPrefix(code, "NoPermission") || strings.HasPrefix(code, "EntityNotExist.Role") || strings.HasSuffix(code, ".RoleArn"):
		return "STS did not let these credentials assume the role: check " + setting + ": its role_arn (acs:ram::<account>:role/<name>) " +
			"and, when the role's trust policy requires one, its external_id; the trust policy must also name the caller."
	}
	return ""
}

// contactErrorAdvice says what to do about the API's refusal of a change of
// a message contact.
func contactErrorAdvice(e *rdclient.APIError) string {
	switch code := e.Code; {
	case code == rdclient.CodeNameAlreadyUsed:
		return "Another message contact in the resource directory already has this name. Choose another name, " +
			"or import the existing contact with `terraform import` and manage it here."
	case code == rdclient.CodeQuotaExceededContacts:
		return fmt.Sprintf("The resource directory already has the largest number of message contacts it can hold (%d). ", maxDirectoryContacts) +
			"Delete a contact you no longer need, or reuse an existing one (data source alicloudrd_message_contacts lists them)."
	case code == rdclient.CodeLimitExceededContactMembers:
		return fmt.Sprintf("A message contact can be bound to at most %d members. Members bound outside Terraform count too: "+
			"check the contact's members (data source alicloudrd_message_contact) and unbind the ones you no longer need.", maxContactMembers)
	case code == "InvalidMember":
		return "One of the members is not a resource directory, folder or member account of this resource directory. " +
			"Check the IDs in members: the resource directory (rd-…), its folders (fd-…, r-… for the root) and its member accounts (16 digits)."
	case strings.HasPrefix(code, "InvalidParameter.Members"):
		return "Check the IDs in members: each must be a resource directory (rd-…), folder (fd-…, r-…) or 16-digit account ID, listed once."
	case code == "InvalidParameter.MobileCountryCode":
		return "The provider's site does not accept this phone number's country code: the china site takes only 86 (mainland China " +
			"mobile numbers), the international site the other country codes. Use a number of the right country, or set the provider's site."
	case code == rdclient.CodeStatusMismatch:
		return "The contact is being deleted (status Deleting) or in a state that does not allow this change. " +
			"Wait until the deletion ends, refresh, and apply again."
	case code == rdclient.CodeConcurrentCallNotSupported:
		return "Another operation on this contact is still running (for example an asynchronous deletion). Wait for it to end, then apply again."
	case code == rdclient.CodeContactNotFound:
		return "The contact no longer exists; it was probably deleted outside Terraform. Refresh, and apply to create it again."
	case code == rdclient.CodeSendLimitExceeded:
		return sendLimitAdvice(e.Message)
	}
	return ""
}

// sendLimitAdvice says when a verification message can be sent again. The
// API has one code for its two limits; the message, when it names the
// minute or the day, tells which one was reached.
func sendLimitAdvice(message string) string {
	const minute = "At most 10 verification messages a minute go to one address, and this address had its 10 in the " +
		"last minute: try again in a minute."
	const day = "At most 100 verification messages a day go out for the account, and they have all been sent: try " +
		"again tomorrow (within 24 hours). Messages sent from the console or by other tools count too."
	switch m := strings.ToLower(message); {
	case strings.Contains(m, "minute"):
		return minute
	case strings.Contains(m, "day") || strings.Contains(m, "daily"):
		return day
	}
	return "A limit of verification messages was reached: 10 a minute to one address (try again in a minute) or 100 a day " +
		"for the account (try again tomorrow, within 24 hours)."
}

// transientErrorAdvice says what to do about throttling and server-side
// failures that outlasted the client's retries.
func transientErrorAdvice(e *rdclient.APIError) string {
	switch {
	case rdclient.IsThrottled(e):
		return "The API kept throttling the request (flow control) after the provider's retries: wait a minute, then run " +
			"Terraform again; raise the provider's max_retries if it happens often."
	case e.HTTPStatus >= http.StatusInternalServerError:
		return fmt.Sprintf("The API failed on its side (HTTP %d), which is usually temporary: run Terraform again. Quote the "+
			"RequestId when you contact Alibaba Cloud support.", e.HTTPStatus)
	}
	return ""
}

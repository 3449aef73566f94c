package provider

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Sites and their defaults.
const (
	SiteChina         = "china"
	SiteInternational = "international"
)

var siteDefaults = map[string]struct{ endpoint, region string }{
	SiteChina:         {"https://" + rdclient.EndpointChina, "cn-shanghai"},
	SiteInternational: {"https://" + rdclient.EndpointInternational, "ap-southeast-1"},
}

// Environment variables each attribute falls back to, first match wins.
var envFallbacks = map[string][]string{
	"access_key":              {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"},
	"secret_key":              {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"},
	"security_token":          {"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"},
	"region":                  {"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"},
	"profile":                 {"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"},
	"shared_credentials_file": {"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALICLOUD_SHARED_CREDENTIALS_FILE"},
	"endpoint":                {"ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER", "ALICLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER"},
	"site":                    {"ALIBABA_CLOUD_RD_SITE", "ALICLOUD_RD_SITE"},
	"role_arn":                {"ALIBABA_CLOUD_ROLE_ARN", "ALICLOUD_ASSUME_ROLE_ARN"},
	"session_name":            {"ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALICLOUD_ASSUME_ROLE_SESSION_NAME"},
	"oidc_provider_arn":       {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
	"oidc_token_file":         {"ALIBABA_CLOUD_OIDC_TOKEN_FILE"},
	"credentials_uri":         {"ALIBABA_CLOUD_CREDENTIALS_URI"},
	"ecs_role_name":           {"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"},
	"sts_endpoint":            {"ALIBABA_CLOUD_STS_ENDPOINT", "ALICLOUD_STS_ENDPOINT"},
}

// configString is a string attribute of the provider block: Set when the
// configuration gives it a known value (possibly ""), Unknown when its value
// is known only after apply, neither when it is null.
type configString struct {
	Value        string
	Set, Unknown bool
}

// configInt is an integer attribute of the provider block, as configString.
type configInt struct {
	Value        int64
	Set, Unknown bool
}

// configValues is the provider block as plain values.
type configValues struct {
	Region, Site, Endpoint                   configString
	AccessKey, SecretKey, SecurityToken      configString
	Profile, SharedCredentialsFile           configString
	CredentialsURI, ECSRoleName, STSEndpoint configString
	MaxRetries                               configInt
	AssumeRole                               *assumeRoleValues // nil without an assume_role block
	AssumeRoleWithOIDC                       *oidcValues       // nil without an assume_role_with_oidc block
}

type assumeRoleValues struct {
	RoleARN, SessionName, ExternalID configString
	SessionExpiration                configInt
}

type oidcValues struct {
	RoleARN, ProviderARN, TokenFile, Token, SessionName configString
	SessionExpiration                                   configInt
}

// providerSettings is what the provider is configured with once the
// environment and the site's defaults have filled the gaps.
type providerSettings struct {
	Site, Region, Endpoint string
	MaxRetries             int
	Credentials            rdclient.CredentialConfig
}

// resolveSettings resolves the provider block: a value set in the
// configuration wins, then the first non-empty environment variable of
// envFallbacks (read with getenv), then the site's default. The
// diagnostics say what to set when a value is unknown, invalid or missing.
func resolveSettings(in configValues, getenv func(string) string) (providerSettings, diag.Diagnostics) {
	if diags := unknownValueErrors(in); diags.HasError() {
		return providerSettings{}, diags
	}
	s, diags := resolveLocation(in, getenv)
	if diags.HasError() {
		return providerSettings{}, diags
	}
	s.Credentials = resolveCredentials(in, getenv)
	if diags := credentialsErrors(s.Credentials); diags.HasError() {
		return providerSettings{}, diags
	}
	s.MaxRetries = rdclient.DefaultMaxRetries
	if in.MaxRetries.Set {
		s.MaxRetries = int(in.MaxRetries.Value)
	}
	return s, nil
}

// lookup resolves a string attribute: a value set in the configuration
// wins, even "", then the first non-empty environment variable of
// envFallbacks[attr].
func lookup(v configString, attr string, getenv func(string) string) string {
	if v.Set {
		return v.Value
	}
	for _, env := range envFallbacks[attr] {
		if s := getenv(env); s != "" {
			return s
		}
	}
	return ""
}

// unknownValueErrors reports the attributes whose value is known only
// after apply: the provider cannot be configured with them.
func unknownValueErrors(in configValues) diag.Diagnostics {
	unknown := map[string]bool{
		"region": in.Region.Unknown, "site": in.Site.Unknown, "endpoint": in.Endpoint.Unknown,
		"access_key": in.AccessKey.Unknown, "secret_key": in.SecretKey.Unknown,
		"security_token": in.SecurityToken.Unknown, "profile": in.Profile.Unknown,
		"shared_credentials_file": in.SharedCredentialsFile.Unknown, "max_retries": in.MaxRetries.Unknown,
		"credentials_uri": in.CredentialsURI.Unknown, "ecs_role_name": in.ECSRoleName.Unknown, "sts_endpoint": in.STSEndpoint.Unknown,
	}
	var diags diag.Diagnostics
	for _, attr := range sortedKeys(unknown) {
		if unknown[attr] {
			diags.AddAttributeError(path.Root(attr), "Unknown provider configuration value",
				fmt.Sprintf("The provider cannot be configured because %q depends on a value that is known only after apply. "+
					"Set it to a literal or a variable, or apply the resources it depends on first (terraform apply -target=…).", attr))
		}
	}
	blocks := map[string]bool{}
	if ar := in.AssumeRole; ar != nil {
		blocks["assume_role"] = ar.RoleARN.Unknown || ar.SessionName.Unknown || ar.ExternalID.Unknown || ar.SessionExpiration.Unknown
	}
	if o := in.AssumeRoleWithOIDC; o != nil {
		blocks["assume_role_with_oidc"] = o.RoleARN.Unknown || o.ProviderARN.Unknown || o.TokenFile.Unknown ||
			o.Token.Unknown || o.SessionName.Unknown || o.SessionExpiration.Unknown
	}
	for _, block := range sortedKeys(blocks) {
		if blocks[block] {
			diags.AddAttributeError(path.Root(block), "Unknown provider configuration value",
				"The "+block+" block depends on a value that is known only after apply. Use literal values or variables.")
		}
	}
	return diags
}

// resolveLocation resolves site, region and endpoint, the last two with the
// site's defaults, and reports the first of them that is invalid.
func resolveLocation(in configValues, getenv func(string) string) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := providerSettings{Site: lookup(in.Site, "site", getenv)}
	if s.Site == "" {
		s.Site = SiteChina
	}
	defaults, ok := siteDefaults[s.Site]
	if !ok {
		diags.AddAttributeError(path.Root("site"), "Invalid site",
			fmt.Sprintf("site is %q; set it to %q or %q.", s.Site, SiteChina, SiteInternational))
		return s, diags
	}

	s.Region = lookup(in.Region, "region", getenv)
	if s.Region == "" {
		s.Region = defaults.region
	} else if !rdclient.RegionPattern().MatchString(s.Region) {
		diags.AddAttributeError(path.Root("region"), "Invalid region",
			fmt.Sprintf("region is %q; set it to an Alibaba Cloud region ID such as \"cn-shanghai\" or \"ap-southeast-1\" (attribute region or ALIBABA_CLOUD_REGION).", s.Region))
		return s, diags
	}

	s.Endpoint = lookup(in.Endpoint, "endpoint", getenv)
	if s.Endpoint == "" {
		s.Endpoint = defaults.endpoint
	}
	if _, err := rdclient.ParseEndpoint(s.Endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid endpoint",
			fmt.Sprintf("endpoint is %q: %s. Set it to a full URL such as \"https://resourcedirectory.aliyuncs.com\" or \"http://127.0.0.1:8080\".", redactedURL(s.Endpoint), err))
	}
	return s, diags
}

// redactedURL is s with the password of its user information, if any,
// masked, for error messages.
func redactedURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}

// resolveCredentials gathers what the provider block and the environment
// say about credentials. OIDC is configured by its block or by
// ALIBABA_CLOUD_OIDC_PROVIDER_ARN with ALIBABA_CLOUD_OIDC_TOKEN_FILE, and then
// takes ALIBABA_CLOUD_ROLE_ARN unless its block names a role; otherwise that
// variable is the role to assume, with or without an assume_role block.
func resolveCredentials(in configValues, getenv func(string) string) rdclient.CredentialConfig {
	cc := rdclient.CredentialConfig{
		AccessKey:             lookup(in.AccessKey, "access_key", getenv),
		SecretKey:             lookup(in.SecretKey, "secret_key", getenv),
		SecurityToken:         lookup(in.SecurityToken, "security_token", getenv),
		Profile:               lookup(in.Profile, "profile", getenv),
		SharedCredentialsFile: lookup(in.SharedCredentialsFile, "shared_credentials_file", getenv),
		CredentialsURI:        lookup(in.CredentialsURI, "credentials_uri", getenv),
		ECSRoleName:           lookup(in.ECSRoleName, "ecs_role_name", getenv),
		STSEndpoint:           lookup(in.STSEndpoint, "sts_endpoint", getenv),
	}
	envRole := true // whether ALIBABA_CLOUD_ROLE_ARN may name the role to assume
	o := in.AssumeRoleWithOIDC
	if o == nil && lookup(configString{}, "oidc_provider_arn", getenv) != "" && lookup(configString{}, "oidc_token_file", getenv) != "" {
		o = &oidcValues{}
	}
	if o != nil {
		cc.OIDC = &rdclient.OIDCRole{
			Role: rdclient.Role{ARN: lookup(o.RoleARN, "role_arn", getenv), SessionName: lookup(o.SessionName, "session_name", getenv),
				Duration: int(o.SessionExpiration.Value)},
			ProviderARN: lookup(o.ProviderARN, "oidc_provider_arn", getenv),
			TokenFile:   lookup(o.TokenFile, "oidc_token_file", getenv),
			Token:       o.Token.Value,
		}
		envRole = o.RoleARN.Set
	}
	var ar assumeRoleValues
	if in.AssumeRole != nil {
		ar = *in.AssumeRole
	}
	arn := lookup(ar.RoleARN, "role_arn", getenv)
	if !envRole && !ar.RoleARN.Set {
		arn = ""
	}
	if in.AssumeRole != nil || arn != "" {
		cc.AssumeRole = &rdclient.Role{ARN: arn, SessionName: lookup(ar.SessionName, "session_name", getenv),
			ExternalID: ar.ExternalID.Value, Duration: int(ar.SessionExpiration.Value)}
	}
	return cc
}

// credentialsErrors reports an incomplete AccessKey pair, a token without
// its pair, or no credentials at all.
func credentialsErrors(cc rdclient.CredentialConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case cc.AccessKey != "" && cc.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key"), "Missing secret_key",
			"access_key is set but secret_key is not. Set secret_key in the provider block or ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.")
	case cc.SecretKey != "" && cc.AccessKey == "":
		diags.AddAttributeError(path.Root("access_key"), "Missing access_key",
			"secret_key is set but access_key is not. Set access_key in the provider block or ALIBABA_CLOUD_ACCESS_KEY_ID in the environment.")
	case cc.SecurityToken != "" && cc.AccessKey == "":
		diags.AddAttributeError(path.Root("security_token"), "security_token without an AccessKey pair",
			"An STS security token is used together with its temporary AccessKey ID and secret. Set access_key and secret_key too.")
	case cc.AccessKey == "" && cc.OIDC == nil && cc.Profile == "" && cc.SharedCredentialsFile == "" && cc.CredentialsURI == "" && cc.ECSRoleName == "":
		diags.AddAttributeError(path.Root("access_key"), "Missing credentials",
			"No Alibaba Cloud credentials are configured. Set access_key and secret_key in the provider block, or "+
				"ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment; or an assume_role_with_oidc block "+
				"(ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE); or name a CLI profile with "+
				"profile (ALIBABA_CLOUD_PROFILE) or a credentials file with shared_credentials_file; or credentials_uri "+
				"(ALIBABA_CLOUD_CREDENTIALS_URI); or ecs_role_name (ALIBABA_CLOUD_ECS_METADATA).")
	}
	return diags
}

// settingDiagnostic turns a credentials problem that names the setting to
// fix (rdclient.SettingError) into an error on that attribute, with the
// environment variables it falls back to.
func settingDiagnostic(err error) diag.Diagnostic {
	var se *rdclient.SettingError
	if !errors.As(err, &se) {
		return diag.NewErrorDiagnostic("Invalid credentials configuration", err.Error())
	}
	block, attr, nested := strings.Cut(se.Setting, ".")
	p := path.Root(block)
	switch {
	case strings.HasPrefix(block, "profile "):
		p, attr = path.Root("profile"), "profile"
	case nested:
		p = p.AtName(attr)
	default:
		attr = block
	}
	detail := err.Error()
	if envs := envFallbacks[attr]; len(envs) > 0 {
		detail += fmt.Sprintf("\n\nSet %s in the provider block, or %s in the environment.", attr, strings.Join(envs, " or "))
	}
	return diag.NewAttributeErrorDiagnostic(p, "Invalid credentials configuration", detail)
}

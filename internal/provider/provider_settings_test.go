package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

func cfgSet(s string) configString { return configString{Value: s, Set: true} }

var cfgUnknown = configString{Unknown: true}

// withKeyPair adds an AccessKey pair to v.
func withKeyPair(v configValues) configValues {
	v.AccessKey, v.SecretKey = cfgSet("AK"), cfgSet("SK")
	return v
}

// chinaSettings is the settings on the default site with the given credentials.
func chinaSettings(cc rdclient.CredentialConfig) providerSettings {
	return providerSettings{Site: SiteChina, Region: "cn-shanghai", Endpoint: "https://resourcedirectory.aliyuncs.com",
		MaxRetries: rdclient.DefaultMaxRetries, Credentials: cc}
}

func TestResolveSettings(t *testing.T) {
	keyPair := rdclient.CredentialConfig{AccessKey: "AK", SecretKey: "SK"}
	tests := []struct {
		name string
		in   configValues
		env  map[string]string
		want providerSettings
		// wantErrs are the diagnostics as "path: summary"; wantDetail is
		// part of the first one's detail.
		wantErrs   []string
		wantDetail string
	}{
		{name: "site defaults", in: withKeyPair(configValues{}), want: chinaSettings(keyPair)},
		{
			name: "international site",
			in:   withKeyPair(configValues{Site: cfgSet("international")}),
			want: providerSettings{Site: SiteInternational, Region: "ap-southeast-1", Endpoint: "https://resourcedirectory-intl.aliyuncs.com",
				MaxRetries: 5, Credentials: keyPair},
		},
		{
			name: "everything from the environment",
			env: map[string]string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID":                    "env-AK",
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET":                "env-SK",
				"ALIBABA_CLOUD_SECURITY_TOKEN":                   "env-TOK",
				"ALIBABA_CLOUD_REGION":                           "cn-beijing",
				"ALIBABA_CLOUD_RD_SITE":                          "international",
				"ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER": "http://127.0.0.1:8080",
				"ALIBABA_CLOUD_PROFILE":                          "ops",
				"ALIBABA_CLOUD_CREDENTIALS_FILE":                 "/creds",
				"ALIBABA_CLOUD_ROLE_ARN":                         "acs:ram::1:role/r",
				"ALIBABA_CLOUD_ROLE_SESSION_NAME":                "env-session",
			},
			want: providerSettings{Site: SiteInternational, Region: "cn-beijing", Endpoint: "http://127.0.0.1:8080", MaxRetries: 5,
				Credentials: rdclient.CredentialConfig{AccessKey: "env-AK", SecretKey: "env-SK", SecurityToken: "env-TOK",
					Profile: "ops", SharedCredentialsFile: "/creds", AssumeRole: &rdclient.Role{ARN: "acs:ram::1:role/r", SessionName: "env-session"}}},
		},
		{
			name: "the older environment names",
			env: map[string]string{
				"ALICLOUD_ACCESS_KEY": "old-AK", "ALICLOUD_SECRET_KEY": "old-SK", "ALICLOUD_REGION": "cn-hangzhou",
				"ALICLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER": "http://127.0.0.1:9090", "ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::2:role/old",
			},
			want: providerSettings{Site: SiteChina, Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9090", MaxRetries: 5,
				Credentials: rdclient.CredentialConfig{AccessKey: "old-AK", SecretKey: "old-SK",
					AssumeRole: &rdclient.Role{ARN: "acs:ram::2:role/old"}}},
		},
		{
			name: "configuration wins over the environment",
			in: withKeyPair(configValues{Region: cfgSet("cn-beijing"), Endpoint: cfgSet("http://127.0.0.1:1"),
				AssumeRole: &assumeRoleValues{RoleARN: cfgSet("acs:ram::3:role/cfg"), SessionName: cfgSet("cfg-session")}}),
			env: map[string]string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID":                    "env-AK",
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET":                "env-SK",
				"ALIBABA_CLOUD_REGION":                           "cn-hangzhou",
				"ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER": "http://127.0.0.1:2",
				"ALIBABA_CLOUD_ROLE_ARN":                         "acs:ram::1:role/env",
				"ALIBABA_CLOUD_ROLE_SESSION_NAME":                "env-session",
			},
			want: providerSettings{Site: SiteChina, Region: "cn-beijing", Endpoint: "http://127.0.0.1:1", MaxRetries: 5,
				Credentials: rdclient.CredentialConfig{AccessKey: "AK", SecretKey: "SK", AssumeRole: &rdclient.Role{ARN: "acs:ram::3:role/cfg", SessionName: "cfg-session"}}},
		},
		{
			name: "the first environment name wins over the older one",
			env: map[string]string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID": "new-AK", "ALICLOUD_ACCESS_KEY": "old-AK",
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "new-SK", "ALICLOUD_SECRET_KEY": "old-SK",
				"ALIBABA_CLOUD_REGION": "cn-beijing", "ALICLOUD_REGION": "cn-hangzhou",
			},
			want: providerSettings{Site: SiteChina, Region: "cn-beijing", Endpoint: "https://resourcedirectory.aliyuncs.com", MaxRetries: 5,
				Credentials: rdclient.CredentialConfig{AccessKey: "new-AK", SecretKey: "new-SK"}},
		},
		{
			name: "an empty environment variable is ignored",
			in:   withKeyPair(configValues{}),
			env:  map[string]string{"ALIBABA_CLOUD_REGION": "", "ALICLOUD_REGION": "cn-hangzhou", "ALIBABA_CLOUD_RD_SITE": ""},
			want: providerSettings{Site: SiteChina, Region: "cn-hangzhou", Endpoint: "https://resourcedirectory.aliyuncs.com", MaxRetries: 5, Credentials: keyPair},
		},
		{
			name: "an empty value in the configuration hides the environment",
			in:   withKeyPair(configValues{Region: cfgSet(""), Site: cfgSet("")}),
			env:  map[string]string{"ALIBABA_CLOUD_REGION": "cn-hangzhou", "ALIBABA_CLOUD_RD_SITE": "international"},
			want: chinaSettings(keyPair),
		},
		{
			name: "assume_role block",
			in: withKeyPair(configValues{AssumeRole: &assumeRoleValues{RoleARN: cfgSet("acs:ram::4:role/x"),
				ExternalID: cfgSet("ext"), SessionExpiration: configInt{Value: 1800, Set: true}}}),
			env: map[string]string{"ALIBABA_CLOUD_ROLE_SESSION_NAME": "env-session"},
			want: chinaSettings(rdclient.CredentialConfig{AccessKey: "AK", SecretKey: "SK",
				AssumeRole: &rdclient.Role{ARN: "acs:ram::4:role/x", SessionName: "env-session", ExternalID: "ext", Duration: 1800}}),
		},
		{
			name: "max_retries",
			in:   withKeyPair(configValues{MaxRetries: configInt{Value: 0, Set: true}}),
			want: providerSettings{Site: SiteChina, Region: "cn-shanghai", Endpoint: "https://resourcedirectory.aliyuncs.com", MaxRetries: 0, Credentials: keyPair},
		},
		{
			name: "a profile is enough",
			in:   configValues{Profile: cfgSet("ops")},
			want: chinaSettings(rdclient.CredentialConfig{Profile: "ops"}),
		},
		{
			name: "OIDC from the environment takes ALIBABA_CLOUD_ROLE_ARN",
			env: map[string]string{
				"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/ci", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/ci",
				"ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/run/token", "ALIBABA_CLOUD_ROLE_SESSION_NAME": "job-1",
				"ALIBABA_CLOUD_STS_ENDPOINT": "127.0.0.1:8443",
			},
			want: chinaSettings(rdclient.CredentialConfig{STSEndpoint: "127.0.0.1:8443", OIDC: &rdclient.OIDCRole{
				Role: rdclient.Role{ARN: "acs:ram::1:role/ci", SessionName: "job-1"}, ProviderARN: "acs:ram::1:oidc-provider/ci", TokenFile: "/run/token"}}),
		},
		{
			name: "an OIDC block with its role, then the environment's role assumed",
			in: configValues{AssumeRoleWithOIDC: &oidcValues{RoleARN: cfgSet("acs:ram::1:role/pipeline"), Token: cfgSet("jwt"),
				SessionExpiration: configInt{Value: 900, Set: true}}},
			env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::2:role/management", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/ci"},
			want: chinaSettings(rdclient.CredentialConfig{
				OIDC:       &rdclient.OIDCRole{Role: rdclient.Role{ARN: "acs:ram::1:role/pipeline", Duration: 900}, ProviderARN: "acs:ram::1:oidc-provider/ci", Token: "jwt"},
				AssumeRole: &rdclient.Role{ARN: "acs:ram::2:role/management"}}),
		},
		{
			name: "an OIDC block taking the environment's role, and an assume_role block with its own",
			in: configValues{AssumeRoleWithOIDC: &oidcValues{TokenFile: cfgSet("/t")},
				AssumeRole: &assumeRoleValues{RoleARN: cfgSet("acs:ram::2:role/management"), ExternalID: cfgSet("x")}},
			env: map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/ci"},
			want: chinaSettings(rdclient.CredentialConfig{OIDC: &rdclient.OIDCRole{Role: rdclient.Role{ARN: "acs:ram::1:role/ci"}, TokenFile: "/t"},
				AssumeRole: &rdclient.Role{ARN: "acs:ram::2:role/management", ExternalID: "x"}}),
		},
		{
			name: "an assume_role block without a role when OIDC took the environment's",
			in:   configValues{AssumeRoleWithOIDC: &oidcValues{TokenFile: cfgSet("/t")}, AssumeRole: &assumeRoleValues{}},
			env:  map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/ci"},
			want: chinaSettings(rdclient.CredentialConfig{OIDC: &rdclient.OIDCRole{Role: rdclient.Role{ARN: "acs:ram::1:role/ci"}, TokenFile: "/t"},
				AssumeRole: &rdclient.Role{}}),
		},
		{
			name: "a credentials URI or an ECS role is enough",
			env:  map[string]string{"ALIBABA_CLOUD_CREDENTIALS_URI": "http://127.0.0.1:9/creds", "ALIBABA_CLOUD_ECS_METADATA": "ecs-role"},
			want: chinaSettings(rdclient.CredentialConfig{CredentialsURI: "http://127.0.0.1:9/creds", ECSRoleName: "ecs-role"}),
		},
		{
			name:     "unknown OIDC token",
			in:       configValues{AssumeRoleWithOIDC: &oidcValues{Token: cfgUnknown}},
			wantErrs: []string{"assume_role_with_oidc: Unknown provider configuration value"},
		},
		{
			name:       "unknown endpoint",
			in:         withKeyPair(configValues{Endpoint: cfgUnknown}),
			wantErrs:   []string{"endpoint: Unknown provider configuration value"},
			wantDetail: `The provider cannot be configured because "endpoint" depends on a value that is known only after apply.`,
		},
		{
			name: "unknown values, in the order of their names, before any other check",
			in: configValues{Site: cfgUnknown, AccessKey: cfgUnknown, MaxRetries: configInt{Unknown: true},
				Region: cfgSet("Shanghai"), AssumeRole: &assumeRoleValues{SessionExpiration: configInt{Unknown: true}}},
			wantErrs: []string{
				"access_key: Unknown provider configuration value", "max_retries: Unknown provider configuration value",
				"site: Unknown provider configuration value", "assume_role: Unknown provider configuration value",
			},
		},
		{
			name:       "invalid site",
			in:         withKeyPair(configValues{Region: cfgSet("Shanghai")}),
			env:        map[string]string{"ALIBABA_CLOUD_RD_SITE": "europe"},
			wantErrs:   []string{"site: Invalid site"},
			wantDetail: `site is "europe"; set it to "china" or "international".`,
		},
		{
			name:       "invalid region",
			in:         withKeyPair(configValues{Endpoint: cfgSet("no-scheme")}),
			env:        map[string]string{"ALIBABA_CLOUD_REGION": "Shanghai"},
			wantErrs:   []string{"region: Invalid region"},
			wantDetail: `region is "Shanghai"; set it to an Alibaba Cloud region ID such as "cn-shanghai" or "ap-southeast-1" (attribute region or ALIBABA_CLOUD_REGION).`,
		},
		{
			name:     "invalid endpoint",
			in:       configValues{Endpoint: cfgSet("127.0.0.1:8080")},
			wantErrs: []string{"endpoint: Invalid endpoint"},
			wantDetail: `endpoint is "127.0.0.1:8080": the scheme is missing: start it with https:// (or http:// for a local emulator). ` +
				`Set it to a full URL such as "https://resourcedirectory.aliyuncs.com" or "http://127.0.0.1:8080".`,
		},
		{
			name:       "invalid endpoint from the environment",
			in:         withKeyPair(configValues{}),
			env:        map[string]string{"ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER": "https://resourcedirectory.aliyuncs.com/v1"},
			wantErrs:   []string{"endpoint: Invalid endpoint"},
			wantDetail: `endpoint is "https://resourcedirectory.aliyuncs.com/v1": the URL must not have a path or query.`,
		},
		{
			name:       "the endpoint's password is not repeated",
			in:         withKeyPair(configValues{Endpoint: cfgSet("https://user:hunter2@example.com")}),
			wantErrs:   []string{"endpoint: Invalid endpoint"},
			wantDetail: `endpoint is "https://user:xxxxx@example.com": the URL must not carry user information`,
		},
		{
			name:       "access_key without secret_key",
			in:         configValues{AccessKey: cfgSet("AK")},
			wantErrs:   []string{"secret_key: Missing secret_key"},
			wantDetail: "access_key is set but secret_key is not.",
		},
		{
			name:       "secret_key without access_key",
			env:        map[string]string{"ALICLOUD_SECRET_KEY": "SK"},
			wantErrs:   []string{"access_key: Missing access_key"},
			wantDetail: "secret_key is set but access_key is not.",
		},
		{
			name:     "security_token without an AccessKey pair",
			in:       configValues{SecurityToken: cfgSet("TOK"), Profile: cfgSet("ops")},
			wantErrs: []string{"security_token: security_token without an AccessKey pair"},
		},
		{
			name:       "no credentials",
			env:        map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r"},
			wantErrs:   []string{"access_key: Missing credentials"},
			wantDetail: "No Alibaba Cloud credentials are configured. Set access_key and secret_key in the provider block",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := resolveSettings(tt.in, func(name string) string { return tt.env[name] })
			if gotErrs := diagSummaries(diags); !cmp.Equal(gotErrs, tt.wantErrs) {
				t.Fatalf("diagnostics:\n%s", cmp.Diff(tt.wantErrs, gotErrs))
			}
			if tt.wantErrs != nil {
				if detail := diags[0].Detail(); !strings.Contains(detail, tt.wantDetail) {
					t.Errorf("detail %q lacks %q", detail, tt.wantDetail)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSettingDiagnostic(t *testing.T) {
	tests := []struct {
		err        error
		want, more string
	}{
		{&rdclient.SettingError{Setting: "assume_role_with_oidc.oidc_token_file", Err: fmt.Errorf("cannot read")},
			"assume_role_with_oidc.oidc_token_file: Invalid credentials configuration", "ALIBABA_CLOUD_OIDC_TOKEN_FILE in the environment"},
		{&rdclient.SettingError{Setting: `profile "ops"`, Err: fmt.Errorf("lacks role_arn")},
			"profile: Invalid credentials configuration", "ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE"},
		{&rdclient.SettingError{Setting: "assume_role", Err: fmt.Errorf("x")}, "assume_role: Invalid credentials configuration", ""},
		{fmt.Errorf("plain"), ": Invalid credentials configuration", "plain"},
	}
	for _, tt := range tests {
		d := settingDiagnostic(tt.err)
		if got := diagSummaries(diag.Diagnostics{d}); got[0] != tt.want || !strings.Contains(d.Detail(), tt.more) {
			t.Errorf("%v: %s / %q", tt.err, got[0], d.Detail())
		}
	}
}

// diagSummaries renders diagnostics as "path: summary", nil for none.
func diagSummaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		where := ""
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			where = dp.Path().String()
		}
		out = append(out, fmt.Sprintf("%s: %s", where, d.Summary()))
	}
	return out
}

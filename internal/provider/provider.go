// Package provider holds the Terraform glue of the alicloudrd provider: the
// provider itself, its resources, data sources, list resources, actions and
// functions. It makes no HTTP calls of its own; everything goes through
// internal/rdclient.
package provider

import (
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

var (
	_ provider.Provider                  = (*alicloudrdProvider)(nil)
	_ provider.ProviderWithFunctions     = (*alicloudrdProvider)(nil)
	_ provider.ProviderWithListResources = (*alicloudrdProvider)(nil)
	_ provider.ProviderWithActions       = (*alicloudrdProvider)(nil)
)

// Option customises the provider; tests use it to shorten waits.
type Option func(*alicloudrdProvider)

// WithPollInterval sets how often waits (verification, asynchronous
// deletion) poll the API.
func WithPollInterval(d time.Duration) Option {
	return func(p *alicloudrdProvider) { p.pollInterval = d }
}

// WithRetryBackoff sets the client's retry backoff bounds.
func WithRetryBackoff(minBackoff, maxBackoff time.Duration) Option {
	return func(p *alicloudrdProvider) { p.minBackoff, p.maxBackoff = minBackoff, maxBackoff }
}

// New returns a constructor of the provider for providerserver.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &alicloudrdProvider{version: version, pollInterval: 5 * time.Second}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type alicloudrdProvider struct {
	version      string
	pollInterval time.Duration
	minBackoff   time.Duration
	maxBackoff   time.Duration
}

// providerData is what resources, data sources, list resources and actions
// receive in Configure.
type providerData struct {
	client       rdclient.API
	pollInterval time.Duration
	// planListing is the listing of contacts the plan-time checks of this
	// provider process share.
	planListing *contactListing
}

type providerModel struct {
	Region                types.String     `tfsdk:"region"`
	Site                  types.String     `tfsdk:"site"`
	Endpoint              types.String     `tfsdk:"endpoint"`
	AccessKey             types.String     `tfsdk:"access_key"`
	SecretKey             types.String     `tfsdk:"secret_key"`
	SecurityToken         types.String     `tfsdk:"security_token"`
	Profile               types.String     `tfsdk:"profile"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	CredentialsURI        types.String     `tfsdk:"credentials_uri"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	STSEndpoint           types.String     `tfsdk:"sts_endpoint"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	AssumeRoleWithOIDC    *oidcModel       `tfsdk:"assume_role_with_oidc"`
	MaxRetries            types.Int64      `tfsdk:"max_retries"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

type oidcModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	ProviderARN       types.String `tfsdk:"oidc_provider_arn"`
	TokenFile         types.String `tfsdk:"oidc_token_file"`
	Token             types.String `tfsdk:"oidc_token"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

// roleARNValidator accepts a RAM role ARN. It is built with the schema, not
// when the program starts.
func roleARNValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^acs:ram::\d+:role/.+$`),
		"must be a RAM role ARN such as \"acs:ram::1234567890123456:role/terraform\"")
}

func (p *alicloudrdProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloudrd"
	resp.Version = p.version
}

func (p *alicloudrdProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Alibaba Cloud Resource Directory message contacts and their pending phone and email changes.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "Region ID sent with every request. Defaults to `cn-shanghai` on the `china` site and `ap-southeast-1` on the `international` site. Environment: `ALIBABA_CLOUD_REGION`, `ALICLOUD_REGION`.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(rdclient.RegionPattern(), "must be an Alibaba Cloud region ID such as \"cn-shanghai\" or \"ap-southeast-1\""),
				},
			},
			"site": schema.StringAttribute{
				MarkdownDescription: "Alibaba Cloud site: `china` (default, endpoint `resourcedirectory.aliyuncs.com`, phone country code 86) or `international` (endpoint `resourcedirectory-intl.aliyuncs.com`, other country codes). Environment: `ALIBABA_CLOUD_RD_SITE`.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.OneOf(SiteChina, SiteInternational),
				},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Full URL of the Resource Directory API, overriding the site's default, for example `http://127.0.0.1:8080` for the local emulator. Environment: `ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER`.",
				Optional:            true,
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "AccessKey ID. Environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALICLOUD_ACCESS_KEY`.",
				Optional:            true,
				Sensitive:           true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "AccessKey secret. Environment: `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALICLOUD_SECRET_KEY`.",
				Optional:            true,
				Sensitive:           true,
			},
			"security_token": schema.StringAttribute{
				MarkdownDescription: "STS security token, with a temporary AccessKey pair. Environment: `ALIBABA_CLOUD_SECURITY_TOKEN`, `ALICLOUD_SECURITY_TOKEN`.",
				Optional:            true,
				Sensitive:           true,
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "Profile name in the Alibaba Cloud CLI configuration (`~/.aliyun/config.json`) or in `shared_credentials_file`. Environment: `ALIBABA_CLOUD_PROFILE`, `ALICLOUD_PROFILE`.",
				Optional:            true,
			},
			"shared_credentials_file": schema.StringAttribute{
				MarkdownDescription: "Path of a credentials file (INI, `~/.alibabacloud/credentials` format) or of an Alibaba Cloud CLI configuration (JSON). Environment: `ALIBABA_CLOUD_CREDENTIALS_FILE`, `ALICLOUD_SHARED_CREDENTIALS_FILE`.",
				Optional:            true,
			},
			"credentials_uri": schema.StringAttribute{
				MarkdownDescription: "URL of a local credentials server answering temporary credentials (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`), fetched again before they expire. Environment: `ALIBABA_CLOUD_CREDENTIALS_URI`.",
				Optional:            true,
			},
			"ecs_role_name": schema.StringAttribute{
				MarkdownDescription: "RAM role attached to the ECS instance Terraform runs on; its credentials come from the instance metadata service, in IMDSv2 (token) mode. Environment: `ALIBABA_CLOUD_ECS_METADATA`, `ALICLOUD_ECS_ROLE_NAME`.",
				Optional:            true,
			},
			"sts_endpoint": schema.StringAttribute{
				MarkdownDescription: "STS endpoint where roles are assumed (`assume_role`, `assume_role_with_oidc`, role profiles), as `host` or `host:port`, always over HTTPS. Default `sts.aliyuncs.com`. Environment: `ALIBABA_CLOUD_STS_ENDPOINT`, `ALICLOUD_STS_ENDPOINT`.",
				Optional:            true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a throttled, busy or failed request is retried, with exponential backoff and jitter, within the operation's timeout. Default %d.", rdclient.DefaultMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 50)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with the configured credentials before calling the API (after `assume_role_with_oidc`, if set: a pipeline's role assuming a role in the management account). Temporary credentials are renewed before they expire.",
				Attributes: roleAttributes("ARN of the RAM role, `acs:ram::<account>:role/<name>`. Environment: `ALIBABA_CLOUD_ROLE_ARN` (unless OIDC takes it), `ALICLOUD_ASSUME_ROLE_ARN`.", 43200,
					map[string]schema.Attribute{
						"external_id": schema.StringAttribute{
							MarkdownDescription: "External ID required by the role's trust policy, if any.",
							Optional:            true,
						},
					}),
			},
			"assume_role_with_oidc": schema.SingleNestedBlock{
				MarkdownDescription: "Exchange an OIDC token, such as the one a CI job gets (RRSA on Kubernetes), for the temporary credentials of a RAM role (`AssumeRoleWithOIDC`). The token file is read again whenever the credentials are renewed. Without this block, the environment variables `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (with `ALIBABA_CLOUD_ROLE_ARN`) configure it.",
				Attributes: roleAttributes("ARN of the RAM role whose trust policy names the OIDC provider. Environment: `ALIBABA_CLOUD_ROLE_ARN`.", 3600,
					map[string]schema.Attribute{
						"oidc_provider_arn": schema.StringAttribute{
							MarkdownDescription: "ARN of the OIDC identity provider registered in RAM, `acs:ram::<account>:oidc-provider/<name>`. Environment: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.",
							Optional:            true,
						},
						"oidc_token_file": schema.StringAttribute{
							MarkdownDescription: "Path of the file holding the OIDC token (a JWT). Environment: `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.",
							Optional:            true,
						},
						"oidc_token": schema.StringAttribute{
							MarkdownDescription: "The OIDC token itself, instead of `oidc_token_file`.",
							Optional:            true,
							Sensitive:           true,
							Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("oidc_token_file"))},
						},
					}),
			},
		},
	}
}

// roleAttributes are the attributes of a block assuming a role, those of
// both blocks and more; session_expiration is at most maxSeconds.
func roleAttributes(roleARN string, maxSeconds int64, more map[string]schema.Attribute) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"role_arn": schema.StringAttribute{
			MarkdownDescription: roleARN,
			Optional:            true,
			Validators:          []validator.String{roleARNValidator()},
		},
		"session_name": schema.StringAttribute{
			MarkdownDescription: "Role session name. Default `terraform-provider-alicloudrd`. Environment: `ALIBABA_CLOUD_ROLE_SESSION_NAME`.",
			Optional:            true,
		},
		"session_expiration": schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Session lifetime in seconds (900–%d). Default 3600.", maxSeconds),
			Optional:            true,
			Validators:          []validator.Int64{int64validator.Between(900, maxSeconds)},
		},
	}
	maps.Copy(attrs, more)
	return attrs
}

// values converts the provider block to plain values.
func (m providerModel) values() configValues {
	v := configValues{
		Region: stringValue(m.Region), Site: stringValue(m.Site), Endpoint: stringValue(m.Endpoint),
		AccessKey: stringValue(m.AccessKey), SecretKey: stringValue(m.SecretKey), SecurityToken: stringValue(m.SecurityToken),
		Profile: stringValue(m.Profile), SharedCredentialsFile: stringValue(m.SharedCredentialsFile),
		CredentialsURI: stringValue(m.CredentialsURI), ECSRoleName: stringValue(m.ECSRoleName), STSEndpoint: stringValue(m.STSEndpoint),
		MaxRetries: intValue(m.MaxRetries),
	}
	if o := m.AssumeRoleWithOIDC; o != nil {
		v.AssumeRoleWithOIDC = &oidcValues{
			RoleARN: stringValue(o.RoleARN), ProviderARN: stringValue(o.ProviderARN), TokenFile: stringValue(o.TokenFile),
			Token: stringValue(o.Token), SessionName: stringValue(o.SessionName), SessionExpiration: intValue(o.SessionExpiration),
		}
	}
	if ar := m.AssumeRole; ar != nil {
		v.AssumeRole = &assumeRoleValues{
			RoleARN: stringValue(ar.RoleARN), SessionName: stringValue(ar.SessionName), ExternalID: stringValue(ar.ExternalID),
			SessionExpiration: intValue(ar.SessionExpiration),
		}
	}
	return v
}

func stringValue(v types.String) configString {
	return configString{Value: v.ValueString(), Set: !v.IsNull() && !v.IsUnknown(), Unknown: v.IsUnknown()}
}

func intValue(v types.Int64) configInt {
	return configInt{Value: v.ValueInt64(), Set: !v.IsNull() && !v.IsUnknown(), Unknown: v.IsUnknown()}
}

// Configure reads the provider block, resolves it with the environment
// (resolveSettings) and builds the API client. It makes no network call.
func (p *alicloudrdProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := resolveSettings(cfg.values(), os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, diags := p.newClient(settings, req.TerraformVersion)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	cc := settings.Credentials
	secrets := []string{cc.AccessKey, cc.SecretKey, cc.SecurityToken}
	if cc.OIDC != nil {
		secrets = append(secrets, cc.OIDC.Token)
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, nonEmpty(secrets...)...)
	tflog.Info(ctx, "configured alicloudrd provider", map[string]any{
		"endpoint": settings.Endpoint, "region": settings.Region, "site": settings.Site, "max_retries": settings.MaxRetries,
	})

	data := &providerData{client: client, pollInterval: p.pollInterval, planListing: &contactListing{}}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// newClient builds the credential (reading profile files, if named) and
// the API client for s; terraformVersion is the CLI's, for the User-Agent.
func (p *alicloudrdProvider) newClient(s providerSettings, terraformVersion string) (*rdclient.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	cred, err := rdclient.NewCredential(s.Credentials)
	if err != nil {
		diags.Append(settingDiagnostic(err))
		return nil, diags
	}
	client, err := rdclient.New(rdclient.Config{
		Endpoint:   s.Endpoint,
		RegionID:   s.Region,
		Credential: cred,
		MaxRetries: s.MaxRetries,
		MinBackoff: p.minBackoff,
		MaxBackoff: p.maxBackoff,
		UserAgent:  userAgent(terraformVersion, p.version),
	})
	if err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Cannot create the API client", err.Error())
		return nil, diags
	}
	return client, diags
}

// userAgent names the CLI, the provider and their versions, as HashiCorp's
// providers do: "Terraform/1.16.0 (+https://www.terraform.io)
// terraform-provider-alicloudrd/0.1.0
// (+https://registry.terraform.io/providers/alicloudrd/alicloudrd)". OpenTofu
// reports its own version as the Terraform version; a CLI that reports none
// is left out.
func userAgent(terraformVersion, providerVersion string) string {
	ua := fmt.Sprintf("terraform-provider-alicloudrd/%s (+https://registry.terraform.io/providers/alicloudrd/alicloudrd)", providerVersion)
	if terraformVersion == "" {
		return ua
	}
	return fmt.Sprintf("Terraform/%s (+https://www.terraform.io) %s", terraformVersion, ua)
}

func (p *alicloudrdProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewMessageContactResource,
		NewMessageContactPendingUpdateResource,
	}
}

// ListResources are the resources `terraform query` lists (Terraform 1.14
// and later).
func (p *alicloudrdProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewMessageContactListResource,
		NewMessageContactPendingUpdateListResource,
	}
}

// Actions are the imperative operations of `terraform apply -invoke` and
// action_trigger (Terraform 1.14 and later).
func (p *alicloudrdProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewMessageContactSendVerificationAction,
	}
}

func (p *alicloudrdProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewMessageContactDataSource,
		NewMessageContactsDataSource,
		NewMessageContactVerificationsDataSource,
	}
}

func (p *alicloudrdProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewNormalizePhoneNumberFunction,
	}
}

// providerDataFrom unpacks what Configure handed to a resource or data
// source; nil before the provider is configured (for example during
// validation) or, with an error added, when it is of an unexpected type.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return data
}

func nonEmpty(ss ...string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

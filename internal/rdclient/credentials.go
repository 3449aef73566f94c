package rdclient

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"gopkg.in/ini.v1"
)

// CredentialConfig is what the provider configuration says about
// credentials. Environment-variable fallbacks are applied by the caller.
// NewCredential picks the first source configured, in this order: the
// AccessKey pair (with SecurityToken: an STS token), OIDC, Profile (or
// SharedCredentialsFile), CredentialsURI, ECSRoleName; AssumeRole, when set,
// then assumes that role with it.
type CredentialConfig struct {
	AccessKey, SecretKey, SecurityToken string

	// Profile names a profile of the Alibaba Cloud CLI configuration
	// (~/.aliyun/config.json) or of a credentials INI file
	// (SharedCredentialsFile, else ~/.alibabacloud/credentials).
	Profile, SharedCredentialsFile string

	// CredentialsURI is a local URL answering temporary credentials.
	CredentialsURI string
	// ECSRoleName is the RAM role of this ECS instance, whose credentials
	// come from the instance metadata service (IMDSv2 only).
	ECSRoleName string

	// OIDC exchanges an OIDC token for the credentials of a role.
	OIDC *OIDCRole
	// AssumeRole assumes a role with the credentials selected above.
	AssumeRole *Role
	// STSEndpoint is the STS host[:port] every role is assumed at (always
	// over HTTPS); default sts.aliyuncs.com, or sts.<region>.aliyuncs.com
	// for a profile's sts_region.
	STSEndpoint string
}

// Role is a RAM role to assume.
type Role struct {
	ARN, SessionName, ExternalID, Policy, STSRegion string
	Duration                                        int // seconds; 0 means 3600
}

// OIDCRole is a role assumed with an OIDC token (AssumeRoleWithOIDC).
type OIDCRole struct {
	Role
	ProviderARN string
	// TokenFile is read again whenever the credentials are renewed (CI
	// systems rotate it); Token is a token given inline instead.
	TokenFile, Token string
}

// SettingError is a credentials problem and the provider setting to fix,
// such as "assume_role_with_oidc.oidc_token_file", "assume_role" or
// `profile "ops"`.
type SettingError struct {
	Setting string
	Err     error
}

func (e *SettingError) Error() string { return e.Setting + ": " + e.Err.Error() }
func (e *SettingError) Unwrap() error { return e.Err }

func settingError(setting, format string, args ...any) error {
	return &SettingError{Setting: setting, Err: fmt.Errorf(format, args...)}
}

// ErrNoCredentials is returned (wrapped) by NewCredential when nothing
// usable is configured.
var ErrNoCredentials = errors.New("no Alibaba Cloud credentials configured")

// DefaultRoleSessionName is used when assuming a role without a session name.
const DefaultRoleSessionName = "terraform-provider-alicloudrd"

// NewCredential builds the credentials provider cc describes, with the
// SDK's providers (github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials).
// It reads profile and token files but makes no network call: roles are
// assumed, and their credentials renewed before they expire, when the
// client needs them.
func NewCredential(cc CredentialConfig) (credentials.CredentialsProvider, error) {
	base, err := cc.base()
	if err != nil || cc.AssumeRole == nil {
		return base, err
	}
	return cc.role("assume_role", base, *cc.AssumeRole)
}

func (cc CredentialConfig) base() (credentials.CredentialsProvider, error) {
	ak, sk, token := strings.TrimSpace(cc.AccessKey), strings.TrimSpace(cc.SecretKey), strings.TrimSpace(cc.SecurityToken)
	switch {
	case ak != "" && sk != "" && token != "":
		return credentials.NewStaticSTSCredentialsProvider(ak, sk, token), nil
	case ak != "" && sk != "":
		return credentials.NewStaticAKCredentialsProvider(ak, sk), nil
	case ak != "" || sk != "" || token != "":
		return nil, settingError("access_key", "access_key and secret_key (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET) "+
			"are set together, and security_token only with them")
	case cc.OIDC != nil:
		return cc.oidc("assume_role_with_oidc", *cc.OIDC)
	case cc.Profile != "" || cc.SharedCredentialsFile != "":
		return cc.profile()
	case cc.CredentialsURI != "":
		p, err := credentials.NewURLCredentialsProviderBuilderBuilder().WithUrl(cc.CredentialsURI).Build()
		return stage("credentials_uri", p, err)
	case cc.ECSRoleName != "":
		p, err := credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(cc.ECSRoleName).WithDisableIMDSv1(true).Build()
		return stage("ecs_role_name", p, err)
	}
	return nil, &SettingError{Setting: "access_key", Err: fmt.Errorf("%w: set access_key and secret_key (ALIBABA_CLOUD_ACCESS_KEY_ID and "+
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET), assume_role_with_oidc (ALIBABA_CLOUD_OIDC_TOKEN_FILE), profile (ALIBABA_CLOUD_PROFILE) or "+
		"shared_credentials_file, credentials_uri (ALIBABA_CLOUD_CREDENTIALS_URI) or ecs_role_name", ErrNoCredentials)}
}

// role assumes r with base (AssumeRole); setting names where r comes from.
func (cc CredentialConfig) role(setting string, base credentials.CredentialsProvider, r Role) (credentials.CredentialsProvider, error) {
	if strings.TrimSpace(r.ARN) == "" {
		return nil, settingError(setting+".role_arn", "the ARN of the role to assume is missing")
	}
	p, err := credentials.NewRAMRoleARNCredentialsProviderBuilder().WithCredentialsProvider(base).
		WithRoleArn(strings.TrimSpace(r.ARN)).WithRoleSessionName(cmp.Or(r.SessionName, DefaultRoleSessionName)).
		WithDurationSeconds(r.Duration).WithExternalId(r.ExternalID).WithPolicy(r.Policy).
		WithStsRegion(r.STSRegion).WithStsEndpoint(cc.STSEndpoint).Build()
	return stage(setting, p, err)
}

// oidc exchanges the token of o for the credentials of its role
// (AssumeRoleWithOIDC); setting names where o comes from.
func (cc CredentialConfig) oidc(setting string, o OIDCRole) (credentials.CredentialsProvider, error) {
	for _, v := range [][2]string{{"role_arn", o.ARN}, {"oidc_provider_arn", o.ProviderARN}} {
		if strings.TrimSpace(v[1]) == "" {
			return nil, settingError(setting+"."+v[0], "the setting is missing")
		}
	}
	file, token, tokenSetting := o.TokenFile, o.Token, setting+".oidc_token"
	if token != "" {
		// The SDK reads the token from a file: inlineToken writes it
		// there only while credentials are fetched.
		file = filepath.Join(os.TempDir(), "alicloudrd-oidc-"+rand.Text(), "token")
	} else {
		tokenSetting = setting + ".oidc_token_file"
		if file == "" {
			return nil, settingError(tokenSetting, "set the path of the OIDC token file (or oidc_token)")
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, settingError(tokenSetting, "cannot read the OIDC token: %w", err)
		}
		token = string(data)
	}
	if err := checkOIDCToken(token, time.Now()); err != nil {
		return nil, &SettingError{Setting: tokenSetting, Err: err}
	}
	p, err := credentials.NewOIDCCredentialsProviderBuilder().WithOIDCTokenFilePath(file).
		WithOIDCProviderARN(strings.TrimSpace(o.ProviderARN)).WithRoleArn(strings.TrimSpace(o.ARN)).
		WithRoleSessionName(cmp.Or(o.SessionName, DefaultRoleSessionName)).WithDurationSeconds(o.Duration).
		WithPolicy(o.Policy).WithStsRegion(o.STSRegion).WithSTSEndpoint(cc.STSEndpoint).Build()
	if err != nil || o.Token == "" {
		return stage(setting, p, err)
	}
	return stage(setting, &inlineToken{file: file, token: o.Token, inner: p}, nil)
}

// checkOIDCToken says what is wrong with a token that is no JWT or has
// expired, never repeating the token.
func checkOIDCToken(token string, now time.Time) error {
	parts := strings.Split(strings.TrimSpace(token), ".")
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if len(parts) != 3 {
		return errors.New("the OIDC token is not a JWT (three base64url parts separated by dots)")
	}
	if raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "=")); err != nil || json.Unmarshal(raw, &claims) != nil {
		return errors.New("the OIDC token is not a JWT: its payload is not base64url-encoded JSON")
	}
	if exp := time.Unix(int64(claims.Exp), 0); claims.Exp != 0 && !now.Before(exp) {
		return fmt.Errorf("the OIDC token expired at %s: give the provider a fresh token from the identity provider", exp.UTC().Format(time.RFC3339))
	}
	return nil
}

// inlineToken gives a token set inline to the SDK's OIDC provider, which
// reads its token from a file: the file, in a private directory, exists
// only while the inner provider fetches credentials.
type inlineToken struct {
	file, token string
	inner       credentials.CredentialsProvider
}

func (p *inlineToken) GetCredentials() (*credentials.Credentials, error) {
	dir := filepath.Dir(p.file)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(p.file, []byte(p.token), 0o600); err != nil {
		return nil, err
	}
	return p.inner.GetCredentials()
}

func (p *inlineToken) GetProviderName() string { return p.inner.GetProviderName() }

// namedProvider names the setting its provider comes from in the errors
// of fetching credentials, with STS's answers as *APIError.
type namedProvider struct {
	setting string
	inner   credentials.CredentialsProvider
}

// stage wraps a provider the SDK built (or failed to) in a namedProvider.
func stage[P credentials.CredentialsProvider](setting string, p P, err error) (credentials.CredentialsProvider, error) {
	if err != nil {
		return nil, &SettingError{Setting: setting, Err: err}
	}
	return &namedProvider{setting: setting, inner: p}, nil
}

// stsActions tells the STS action of an SDK error by the comment the SDK's
// providers give it.
var stsActions = map[string]string{"refresh session token failed": "AssumeRole", "get session token failed": "AssumeRoleWithOIDC"}

func (p *namedProvider) GetCredentials() (*credentials.Credentials, error) {
	c, err := p.inner.GetCredentials()
	var named *SettingError
	if err == nil || errors.As(err, &named) {
		return c, err
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		err = apiErrorFrom(cmp.Or(stsActions[se.Comment()], "STS"), se)
	}
	return nil, &SettingError{Setting: p.setting, Err: sanitizeErr(err)}
}

func (p *namedProvider) GetProviderName() string { return p.inner.GetProviderName() }

// profile builds the provider of a profile of SharedCredentialsFile, or
// else of the CLI configuration and then of the default credentials file.
func (cc CredentialConfig) profile() (credentials.CredentialsProvider, error) {
	setting, files := "shared_credentials_file", []string{cc.SharedCredentialsFile}
	if cc.SharedCredentialsFile == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, settingError("profile", "cannot find the home directory (%w): set shared_credentials_file", err)
		}
		setting, files = "profile", []string{filepath.Join(home, ".aliyun", "config.json"), filepath.Join(home, ".alibabacloud", "credentials")}
	}
	var notFound []string
	for _, file := range files {
		profiles, current, err := readProfiles(file)
		if errors.Is(err, fs.ErrNotExist) && setting == "profile" {
			notFound = append(notFound, file+" does not exist")
			continue
		} else if err != nil {
			return nil, &SettingError{Setting: setting, Err: err}
		}
		name := cmp.Or(cc.Profile, current, "default")
		if _, ok := profiles[name]; ok {
			return cc.fromProfile(file, name, profiles, 0)
		}
		names := slices.Sorted(maps.Keys(profiles))
		notFound = append(notFound, fmt.Sprintf("%s has no profile %q (profiles: %s)", file, name, strings.Join(names, ", ")))
	}
	return nil, settingError(setting, "profile %q not found (%s): set shared_credentials_file or create the profile with `aliyun configure --profile %s`",
		cmp.Or(cc.Profile, "default"), strings.Join(notFound, "; "), cmp.Or(cc.Profile, "default"))
}

// cliNames maps the Alibaba Cloud CLI's profile fields and modes to those
// of the credentials file, so that one function reads both.
var cliNames = map[string]string{
	"mode": "type", "sts_token": "security_token", "ram_role_name": "role_name", "ram_role_arn": "role_arn",
	"ram_session_name": "role_session_name", "expired_seconds": "role_session_expiration",
	"AK": "access_key", "StsToken": "sts", "RamRoleArn": "ram_role_arn", "ChainableRamRoleArn": "chainable_ram_role_arn",
	"EcsRamRole": "ecs_ram_role", "OIDC": "oidc_role_arn",
}

// readProfiles reads a CLI configuration (JSON) or a credentials INI file
// into profiles of credentials-file fields, and the CLI's current profile.
// Its errors never repeat the file's content, which holds secrets.
func readProfiles(file string) (profiles map[string]map[string]string, current string, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "", err
	}
	profiles = map[string]map[string]string{}
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var conf struct {
			Current  string           `json:"current"`
			Profiles []map[string]any `json:"profiles"`
		}
		if err := json.Unmarshal(trimmed, &conf); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, "", fmt.Errorf("%s is not a valid Alibaba Cloud CLI configuration: syntax error at offset %d", file, se.Offset)
			}
			return nil, "", fmt.Errorf("%s is not a valid Alibaba Cloud CLI configuration: unexpected JSON types", file)
		}
		for _, p := range conf.Profiles {
			fields := map[string]string{"type": "access_key"}
			for k, v := range p {
				var s string
				switch v := v.(type) {
				case string:
					s = v
				case float64:
					s = strconv.FormatFloat(v, 'f', -1, 64)
				default:
					continue
				}
				if k == "mode" && s != "" {
					s = cmp.Or(cliNames[s], s)
				}
				fields[cmp.Or(cliNames[k], k)] = s
			}
			profiles[fields["name"]] = fields
		}
		return profiles, conf.Current, nil
	}
	f, err := ini.Load(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s is not a valid credentials file: each line must be a [profile] or a key = value", file)
	}
	for _, sec := range f.Sections() {
		if fields := sec.KeysHash(); len(fields) > 0 {
			profiles[sec.Name()] = fields
		}
	}
	return profiles, "", nil
}

// fromProfile builds the provider of profile name of file: a long-term or
// STS key, a role assumed with a key or with another profile
// (ChainableRamRoleArn), the role of an ECS instance, or an OIDC role.
func (cc CredentialConfig) fromProfile(file, name string, profiles map[string]map[string]string, depth int) (credentials.CredentialsProvider, error) {
	p, setting := profiles[name], fmt.Sprintf("profile %q", name)
	var missing []string
	need := func(keys ...string) bool {
		for _, k := range keys {
			if p[k] == "" {
				missing = append(missing, k)
			}
		}
		return len(missing) == 0
	}
	duration, err := strconv.Atoi(cmp.Or(p["role_session_expiration"], "0"))
	if err != nil {
		return nil, settingError(setting, "%s: role_session_expiration %q is not a number of seconds", file, p["role_session_expiration"])
	}
	r := Role{ARN: p["role_arn"], SessionName: p["role_session_name"], ExternalID: p["external_id"], Policy: p["policy"],
		STSRegion: p["sts_region"], Duration: duration}
	switch t := cmp.Or(p["type"], "access_key"); {
	case depth > 5:
		return nil, settingError(setting, "%s: the source_profile chain is too long or circular", file)
	case t == "access_key" && need("access_key_id", "access_key_secret"):
		return credentials.NewStaticAKCredentialsProvider(p["access_key_id"], p["access_key_secret"]), nil
	case t == "sts" && need("access_key_id", "access_key_secret", "security_token"):
		return credentials.NewStaticSTSCredentialsProvider(p["access_key_id"], p["access_key_secret"], p["security_token"]), nil
	case t == "ram_role_arn" && need("access_key_id", "access_key_secret", "role_arn"):
		return cc.role(setting, credentials.NewStaticAKCredentialsProvider(p["access_key_id"], p["access_key_secret"]), r)
	case t == "chainable_ram_role_arn" && need("source_profile", "role_arn"):
		if _, ok := profiles[p["source_profile"]]; !ok {
			return nil, settingError(setting, "%s: source_profile %q does not exist", file, p["source_profile"])
		}
		src, err := cc.fromProfile(file, p["source_profile"], profiles, depth+1)
		if err != nil {
			return nil, err
		}
		return cc.role(setting, src, r)
	case t == "ecs_ram_role":
		prov, err := credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(p["role_name"]).WithDisableIMDSv1(true).Build()
		return stage(setting, prov, err)
	case t == "oidc_role_arn" && need("role_arn", "oidc_provider_arn", "oidc_token_file"):
		return cc.oidc(setting, OIDCRole{Role: r, ProviderARN: p["oidc_provider_arn"], TokenFile: p["oidc_token_file"]})
	case len(missing) > 0:
		return nil, settingError(setting, "%s: profile %q lacks %s", file, name, strings.Join(missing, ", "))
	default:
		return nil, settingError(setting, "%s: profile %q has type %q, which is not supported: use AK, StsToken, RamRoleArn, "+
			"ChainableRamRoleArn, EcsRamRole or OIDC (CLI modes), or access_key, sts, ram_role_arn, ecs_ram_role or oidc_role_arn", file, name, t)
	}
}

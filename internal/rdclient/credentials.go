package rdclient

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// CredentialConfig is what the provider configuration says about
// credentials. Environment-variable fallbacks are applied by the caller.
type CredentialConfig struct {
	AccessKey, SecretKey, SecurityToken string

	// Profile names a profile of the Alibaba Cloud CLI configuration
	// (~/.aliyun/config.json) or of a credentials ini file
	// (~/.alibabacloud/credentials). SharedCredentialsFile overrides the
	// file; its format (CLI JSON or ini) is detected from its content.
	Profile, SharedCredentialsFile string

	// RoleARN, when set, assumes that RAM role with the credentials
	// selected by the other fields.
	RoleARN, RoleSessionName, ExternalID string
	SessionExpiration                    int // seconds; 0 means 3600
	// STSEndpoint optionally overrides the STS host used to assume the role
	// (default sts.aliyuncs.com).
	STSEndpoint string
}

// ErrNoCredentials is returned (wrapped) by NewCredential when nothing
// usable is configured.
var ErrNoCredentials = errors.New("no Alibaba Cloud credentials configured")

// DefaultRoleSessionName is used when assuming a role without a session name.
const DefaultRoleSessionName = "terraform-provider-alicloudrd"

// NewCredential builds the credential described by cc, in this order of
// precedence: static access key (with SecurityToken: STS token), profile
// (CLI configuration or credentials file). When RoleARN
// is set, the result assumes that role with the selected credential. It
// reads profile files but makes no network call.
func NewCredential(cc CredentialConfig) (auth.Credential, error) {
	base, err := baseCredential(cc)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cc.RoleARN) == "" {
		return base, nil
	}
	return assumeRole(base, roleSpec{
		roleARN:     strings.TrimSpace(cc.RoleARN),
		sessionName: cc.RoleSessionName,
		externalID:  cc.ExternalID,
		duration:    cc.SessionExpiration,
		stsEndpoint: cc.STSEndpoint,
	})
}

func baseCredential(cc CredentialConfig) (auth.Credential, error) {
	ak, sk, token := strings.TrimSpace(cc.AccessKey), strings.TrimSpace(cc.SecretKey), strings.TrimSpace(cc.SecurityToken)
	switch {
	case ak != "" && sk != "":
		if token != "" {
			return credentials.NewStsTokenCredential(ak, sk, token), nil
		}
		return credentials.NewAccessKeyCredential(ak, sk), nil
	case ak != "":
		return nil, errors.New("access_key is set but secret_key is empty: set secret_key (or ALIBABA_CLOUD_ACCESS_KEY_SECRET)")
	case sk != "":
		return nil, errors.New("secret_key is set but access_key is empty: set access_key (or ALIBABA_CLOUD_ACCESS_KEY_ID)")
	case token != "":
		return nil, errors.New("security_token is set but access_key and secret_key are empty: an STS token needs the temporary access_key and secret_key issued with it")
	}
	if cc.Profile != "" || cc.SharedCredentialsFile != "" {
		return profileCredential(cc.Profile, cc.SharedCredentialsFile)
	}
	what := "access_key and secret_key (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), " +
		"or profile (or ALIBABA_CLOUD_PROFILE) with the Alibaba Cloud CLI configuration, or shared_credentials_file"
	if cc.RoleARN != "" {
		return nil, fmt.Errorf("%w: assume_role needs credentials to assume the role with: set %s", ErrNoCredentials, what)
	}
	return nil, fmt.Errorf("%w: set %s", ErrNoCredentials, what)
}

type roleSpec struct {
	roleARN, sessionName, externalID, policy, stsRegion, stsEndpoint string
	duration                                                         int
}

func assumeRole(base auth.Credential, rs roleSpec) (auth.Credential, error) {
	prev, err := auth.ToCredentialsProvider(base)
	if err != nil {
		return nil, err
	}
	if rs.sessionName == "" {
		rs.sessionName = DefaultRoleSessionName
	}
	if rs.duration == 0 {
		rs.duration = 3600
	}
	if rs.duration < 900 || rs.duration > 43200 {
		return nil, fmt.Errorf("assume_role session_expiration %d is out of range: set a value from 900 to 43200 seconds", rs.duration)
	}
	b := credentials.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(prev).
		WithRoleArn(rs.roleARN).
		WithRoleSessionName(rs.sessionName).
		WithDurationSeconds(rs.duration).
		WithExternalId(rs.externalID).
		WithPolicy(rs.policy)
	if rs.stsRegion != "" {
		b = b.WithStsRegion(rs.stsRegion)
	}
	if rs.stsEndpoint != "" {
		b = b.WithStsEndpoint(rs.stsEndpoint)
	}
	p, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("assume_role: %w", err)
	}
	return p, nil
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return ""
}

// profileCredential reads the named profile from file, or when file is
// empty from ~/.aliyun/config.json and then ~/.alibabacloud/credentials.
func profileCredential(profile, file string) (auth.Credential, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading shared_credentials_file: %w", err)
		}
		return profileFromData(file, data, profile)
	}
	home := homeDir()
	if home == "" {
		return nil, fmt.Errorf("profile %q: cannot find the home directory: set shared_credentials_file", profile)
	}
	candidates := []string{
		filepath.Join(home, ".aliyun", "config.json"),
		filepath.Join(home, ".alibabacloud", "credentials"),
	}
	var errs []string
	for _, path := range candidates {
		data, err := os.ReadFile(path)
		if err != nil {
			if os.IsNotExist(err) {
				errs = append(errs, path+" does not exist")
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		cred, err := profileFromData(path, data, profile)
		if err == nil {
			return cred, nil
		}
		var nf *profileNotFoundError
		if !errors.As(err, &nf) {
			return nil, err
		}
		errs = append(errs, err.Error())
	}
	return nil, fmt.Errorf("profile %q not found (%s): set shared_credentials_file or create the profile with `aliyun configure --profile %s`",
		profile, strings.Join(errs, "; "), profile)
}

type profileNotFoundError struct {
	file, profile string
	available     []string
}

func (e *profileNotFoundError) Error() string {
	if len(e.available) == 0 {
		return fmt.Sprintf("%s has no profile %q", e.file, e.profile)
	}
	return fmt.Sprintf("%s has no profile %q (profiles: %s)", e.file, e.profile, strings.Join(e.available, ", "))
}

func profileFromData(file string, data []byte, profile string) (auth.Credential, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return cliProfileCredential(file, trimmed, profile)
	}
	return iniProfileCredential(file, data, profile)
}

// cliProfile is one profile of the Alibaba Cloud CLI configuration.
type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	StsToken        string `json:"sts_token"`
	RAMRoleName     string `json:"ram_role_name"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	StsRegion       string `json:"sts_region"`
	SourceProfile   string `json:"source_profile"`
	Policy          string `json:"policy"`
	ExternalID      string `json:"external_id"`
}

type cliConfig struct {
	Current  string        `json:"current"`
	Profiles []*cliProfile `json:"profiles"`
}

func cliProfileCredential(file string, data []byte, profile string) (auth.Credential, error) {
	var conf cliConfig
	if err := json.Unmarshal(data, &conf); err != nil {
		// Never echo the content: it holds secrets.
		return nil, fmt.Errorf("%s is not a valid Alibaba Cloud CLI configuration: %s", file, jsonErrorText(err))
	}
	if profile == "" {
		profile = conf.Current
	}
	if profile == "" {
		profile = "default"
	}
	return conf.credential(file, profile, 0)
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "syntax error at offset " + strconv.FormatInt(se.Offset, 10)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "unexpected type for field " + te.Field
	}
	return "cannot decode JSON"
}

func (conf *cliConfig) credential(file, name string, depth int) (auth.Credential, error) {
	if depth > 5 {
		return nil, fmt.Errorf("%s: source_profile chain starting at %q is too long or circular", file, name)
	}
	var p *cliProfile
	var names []string
	for _, candidate := range conf.Profiles {
		if candidate == nil {
			continue
		}
		names = append(names, candidate.Name)
		if candidate.Name == name {
			p = candidate
		}
	}
	if p == nil {
		return nil, &profileNotFoundError{file: file, profile: name, available: names}
	}
	needKeys := func() error {
		if p.AccessKeyID == "" || p.AccessKeySecret == "" {
			return fmt.Errorf("%s: profile %q (mode %s) lacks access_key_id or access_key_secret", file, name, p.Mode)
		}
		return nil
	}
	switch p.Mode {
	case "AK", "":
		if err := needKeys(); err != nil {
			return nil, err
		}
		return credentials.NewAccessKeyCredential(p.AccessKeyID, p.AccessKeySecret), nil
	case "StsToken":
		if err := needKeys(); err != nil {
			return nil, err
		}
		if p.StsToken == "" {
			return nil, fmt.Errorf("%s: profile %q (mode StsToken) lacks sts_token", file, name)
		}
		return credentials.NewStsTokenCredential(p.AccessKeyID, p.AccessKeySecret, p.StsToken), nil
	case "RamRoleArn":
		if err := needKeys(); err != nil {
			return nil, err
		}
		return assumeRole(credentials.NewAccessKeyCredential(p.AccessKeyID, p.AccessKeySecret), p.roleSpec())
	case "ChainableRamRoleArn":
		if p.SourceProfile == "" {
			return nil, fmt.Errorf("%s: profile %q (mode ChainableRamRoleArn) lacks source_profile", file, name)
		}
		src, err := conf.credential(file, p.SourceProfile, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: source_profile of %q: %w", file, name, err)
		}
		return assumeRole(src, p.roleSpec())
	case "EcsRamRole":
		return credentials.NewEcsRamRoleCredential(p.RAMRoleName), nil
	default:
		return nil, fmt.Errorf("%s: profile %q uses mode %q, which is not supported: use AK, StsToken, RamRoleArn, ChainableRamRoleArn or EcsRamRole", file, name, p.Mode)
	}
}

func (p *cliProfile) roleSpec() roleSpec {
	return roleSpec{
		roleARN:     p.RAMRoleARN,
		sessionName: p.RAMSessionName,
		externalID:  p.ExternalID,
		policy:      p.Policy,
		stsRegion:   p.StsRegion,
		duration:    p.ExpiredSeconds,
	}
}

// iniProfileCredential reads the credentials ini format:
//
//	[default]
//	type = access_key            # or sts, ecs_ram_role, ram_role_arn
//	access_key_id = ...
//	access_key_secret = ...
func iniProfileCredential(file string, data []byte, profile string) (auth.Credential, error) {
	if profile == "" {
		profile = "default"
	}
	sections, err := parseINI(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid credentials file: %w", file, err)
	}
	sec, ok := sections[profile]
	if !ok {
		var names []string
		for n := range sections {
			if n != "" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		return nil, &profileNotFoundError{file: file, profile: profile, available: names}
	}
	need := func(keys ...string) error {
		var missing []string
		for _, k := range keys {
			if sec[k] == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: profile %q (type %s) lacks %s", file, profile, sec["type"], strings.Join(missing, ", "))
		}
		return nil
	}
	switch t := sec["type"]; t {
	case "access_key", "":
		if err := need("access_key_id", "access_key_secret"); err != nil {
			return nil, err
		}
		return credentials.NewAccessKeyCredential(sec["access_key_id"], sec["access_key_secret"]), nil
	case "sts":
		if err := need("access_key_id", "access_key_secret", "security_token"); err != nil {
			return nil, err
		}
		return credentials.NewStsTokenCredential(sec["access_key_id"], sec["access_key_secret"], sec["security_token"]), nil
	case "ecs_ram_role":
		return credentials.NewEcsRamRoleCredential(sec["role_name"]), nil
	case "ram_role_arn":
		if err := need("access_key_id", "access_key_secret", "role_arn"); err != nil {
			return nil, err
		}
		duration := 0
		if v := sec["role_session_expiration"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("%s: profile %q: role_session_expiration %q is not a number", file, profile, v)
			}
			duration = n
		}
		return assumeRole(credentials.NewAccessKeyCredential(sec["access_key_id"], sec["access_key_secret"]), roleSpec{
			roleARN:     sec["role_arn"],
			sessionName: sec["role_session_name"],
			externalID:  sec["external_id"],
			policy:      sec["policy"],
			stsRegion:   sec["sts_region"],
			duration:    duration,
		})
	default:
		return nil, fmt.Errorf("%s: profile %q has type %q, which is not supported: use access_key, sts, ram_role_arn or ecs_ram_role", file, profile, t)
	}
}

// parseINI parses sections of key = value lines; '#' and ';' start comments.
// Keys before the first section belong to section "".
func parseINI(data []byte) (map[string]map[string]string, error) {
	sections := map[string]map[string]string{"": {}}
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' || text[0] == ';' {
			continue
		}
		if text[0] == '[' {
			end := strings.IndexByte(text, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated section header", line)
			}
			current = strings.TrimSpace(text[1:end])
			if sections[current] == nil {
				sections[current] = map[string]string{}
			}
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		if !ok {
			// Never echo the line: it may hold a secret.
			return nil, fmt.Errorf("line %d: expected key = value", line)
		}
		value = strings.TrimSpace(value)
		if i := strings.Index(value, " #"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		if len(value) >= 2 && (value[0] == '"' && value[len(value)-1] == '"' || value[0] == '\'' && value[len(value)-1] == '\'') {
			value = value[1 : len(value)-1]
		}
		sections[current][strings.TrimSpace(key)] = value
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return sections, nil
}

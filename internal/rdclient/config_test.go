package rdclient

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

func TestNewValidation(t *testing.T) {
	cred := credentials.NewAccessKeyCredential("id", "secret")
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"empty endpoint", Config{Credential: cred}, "endpoint is empty"},
		{"no scheme", Config{Endpoint: "resourcedirectory.aliyuncs.com", Credential: cred}, "https://"},
		{"host port without scheme", Config{Endpoint: "127.0.0.1:8080", Credential: cred}, "endpoint"},
		{"ftp scheme", Config{Endpoint: "ftp://example.com", Credential: cred}, "http or https"},
		{"no host", Config{Endpoint: "https://", Credential: cred}, "host is missing"},
		{"path", Config{Endpoint: "https://example.com/api", Credential: cred}, "path"},
		{"query", Config{Endpoint: "https://example.com/?a=b", Credential: cred}, "query"},
		{"user info", Config{Endpoint: "https://u:p@example.com", Credential: cred}, "user information"},
		{"bad url", Config{Endpoint: "http://[::1", Credential: cred}, "not a URL"},
		{"bad region", Config{Endpoint: "https://example.com", RegionID: "cn shanghai", Credential: cred}, "region"},
		{"nil credential", Config{Endpoint: "https://example.com"}, "no credential"},
		{"unsupported credential", Config{Endpoint: "https://example.com", Credential: "nope"}, "unsupported credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if err == nil || c != nil {
				t.Fatalf("want an error, got %v", c)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q lacks %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewDefaultsAndEndpoint(t *testing.T) {
	c, err := New(Config{Endpoint: "HTTPS://ResourceDirectory.aliyuncs.com/", RegionID: "cn-shanghai", Credential: credentials.NewAccessKeyCredential("id", "secret"), MaxRetries: -3})
	if err != nil {
		t.Fatal(err)
	}
	if c.scheme != "HTTPS" || c.domain != "ResourceDirectory.aliyuncs.com" {
		t.Errorf("scheme %s domain %s", c.scheme, c.domain)
	}
	want := Config{MaxRetries: DefaultMaxRetries, MinBackoff: DefaultMinBackoff, MaxBackoff: DefaultMaxBackoff, PageSize: DefaultPageSize, Timeout: DefaultTimeout}
	got := Config{MaxRetries: c.cfg.MaxRetries, MinBackoff: c.cfg.MinBackoff, MaxBackoff: c.cfg.MaxBackoff, PageSize: c.cfg.PageSize, Timeout: c.cfg.Timeout}
	if got != want {
		t.Errorf("defaults = %+v", got)
	}

	c, err = New(Config{Endpoint: "http://127.0.0.1:12345", Credential: credentials.NewAccessKeyCredential("id", "secret"), MinBackoff: time.Second, MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.scheme != "HTTP" || c.domain != "127.0.0.1:12345" || c.cfg.MaxRetries != 0 || c.cfg.MaxBackoff != time.Second {
		t.Errorf("got %s %s %+v", c.scheme, c.domain, c.cfg)
	}
}

// credsOf fetches the credentials of a provider that needs no network.
func credsOf(t *testing.T, p credentials.CredentialsProvider) [3]string {
	t.Helper()
	c, err := p.GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	return [3]string{c.AccessKeyId, c.AccessKeySecret, c.SecurityToken}
}

func TestNewCredentialStatic(t *testing.T) {
	got, err := NewCredential(CredentialConfig{AccessKey: "AK", SecretKey: "SK"})
	if err != nil {
		t.Fatal(err)
	}
	if c := credsOf(t, got); c != [3]string{"AK", "SK", ""} {
		t.Errorf("got %v", c)
	}
	// The pair comes first, whatever else is configured.
	got, err = NewCredential(CredentialConfig{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOK", Profile: "ignored", CredentialsURI: "http://ignored"})
	if err != nil {
		t.Fatal(err)
	}
	if c := credsOf(t, got); c != [3]string{"AK", "SK", "TOK"} {
		t.Errorf("got %v", c)
	}
}

// settingOf returns the setting a credentials error names.
func settingOf(err error) string {
	var se *SettingError
	if errors.As(err, &se) {
		return se.Setting
	}
	return ""
}

func TestNewCredentialErrors(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	dir := t.TempDir()
	expired := writeFile(t, dir, "expired", testJWT(time.Now().Add(-time.Minute)))
	valid := writeFile(t, dir, "valid", testJWT(time.Now().Add(time.Hour)))
	notJWT := writeFile(t, dir, "garbage", "TOKENVALUE")
	oidc := func(o OIDCRole) CredentialConfig {
		o.Role = Role{ARN: "acs:ram::1:role/ci"}
		o.ProviderARN = cmp.Or(o.ProviderARN, "acs:ram::1:oidc-provider/ci")
		return CredentialConfig{OIDC: &o}
	}
	tests := []struct {
		name, setting string
		cc            CredentialConfig
		want          []string
	}{
		{"nothing", "access_key", CredentialConfig{}, []string{"access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "profile", "assume_role_with_oidc"}},
		{"role without base", "access_key", CredentialConfig{AssumeRole: &Role{ARN: "acs:ram::123:role/x"}}, []string{"access_key"}},
		{"key without secret", "access_key", CredentialConfig{AccessKey: "AK"}, []string{"secret_key"}},
		{"secret without key", "access_key", CredentialConfig{SecretKey: "SECRETVALUE"}, []string{"access_key"}},
		{"token alone", "access_key", CredentialConfig{SecurityToken: "TOKENVALUE"}, []string{"security_token only with them"}},
		{"missing profile", "profile", CredentialConfig{Profile: "nope"}, []string{`profile "nope" not found`, "config.json", "credentials"}},
		{"missing file", "shared_credentials_file", CredentialConfig{SharedCredentialsFile: "/does/not/exist"}, []string{"/does/not/exist"}},
		{"bad duration", "assume_role", CredentialConfig{AccessKey: "AK", SecretKey: "SK", AssumeRole: &Role{ARN: "acs:ram::1:role/r", Duration: 60}}, []string{"900"}},
		{"role without ARN", "assume_role.role_arn", CredentialConfig{AccessKey: "AK", SecretKey: "SK", AssumeRole: &Role{}}, []string{"missing"}},
		{"OIDC without provider", "assume_role_with_oidc.oidc_provider_arn", CredentialConfig{OIDC: &OIDCRole{Role: Role{ARN: "acs:ram::1:role/ci"}}}, []string{"missing"}},
		{"OIDC without token", "assume_role_with_oidc.oidc_token_file", oidc(OIDCRole{}), []string{"oidc_token"}},
		{"missing token file", "assume_role_with_oidc.oidc_token_file", oidc(OIDCRole{TokenFile: filepath.Join(dir, "none")}), []string{"cannot read the OIDC token", "none"}},
		{"expired token", "assume_role_with_oidc.oidc_token_file", oidc(OIDCRole{TokenFile: expired}), []string{"expired at"}},
		{"malformed token file", "assume_role_with_oidc.oidc_token_file", oidc(OIDCRole{TokenFile: notJWT}), []string{"not a JWT"}},
		{"malformed inline token", "assume_role_with_oidc.oidc_token", oidc(OIDCRole{Token: "a.TOKENVALUE.c"}), []string{"not a JWT"}},
		{"OIDC session too long", "assume_role_with_oidc", CredentialConfig{OIDC: &OIDCRole{Role: Role{ARN: "acs:ram::1:role/ci", Duration: 7200},
			ProviderARN: "acs:ram::1:oidc-provider/ci", TokenFile: valid}}, []string{"duration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCredential(tt.cc)
			if err == nil {
				t.Fatal("want an error")
			}
			if got := settingOf(err); got != tt.setting {
				t.Errorf("setting %q, want %q (%v)", got, tt.setting, err)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "SECRETVALUE") || strings.Contains(err.Error(), "TOKENVALUE") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
	_, err := NewCredential(CredentialConfig{})
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("want ErrNoCredentials, got %v", err)
	}
}

// testJWT is an OIDC token expiring at exp.
func testJWT(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"ci","exp":%d}`, exp.Unix()))) + ".sig"
}

const cliConfigJSON = `{
  "current": "main",
  "profiles": [
    {"name": "main", "mode": "AK", "access_key_id": "AK-main", "access_key_secret": "SK-main", "region_id": "cn-shanghai"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "AK-sts", "access_key_secret": "SK-sts", "sts_token": "TOK-sts"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "AK-role", "access_key_secret": "SK-role",
     "ram_role_arn": "acs:ram::123456789012:role/ops", "ram_session_name": "s", "expired_seconds": 900},
    {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "main", "ram_role_arn": "acs:ram::123456789012:role/ops2"},
    {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "acs:ram::123456789012:role/ops2"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "ecs-role"},
    {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::123456789012:role/ci", "oidc_provider_arn": "acs:ram::123456789012:oidc-provider/ci",
     "oidc_token_file": "TOKENFILE"},
    {"name": "oidc-incomplete", "mode": "OIDC", "ram_role_arn": "acs:ram::123456789012:role/ci"},
    {"name": "sso", "mode": "CloudSSO"}
  ],
  "meta_path": ""
}`

const iniCredentials = `# Alibaba Cloud credentials
[default]
type = access_key
access_key_id = AK-ini
access_key_secret = SK-ini

[temp]
type = sts
access_key_id = AK-ini-sts
access_key_secret = "SK-ini-sts"
security_token = TOK-ini

[assume]
type = ram_role_arn
access_key_id = AK-ini-role
access_key_secret = SK-ini-role
role_arn = acs:ram::123456789012:role/ini
role_session_name = sess

[vm]
type = ecs_ram_role
role_name = vm-role

[broken]
type = access_key
access_key_id = only

[badduration]
type = ram_role_arn
access_key_id = a
access_key_secret = b
role_arn = acs:ram::123456789012:role/ini
role_session_expiration = soon
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// kindOf names the SDK provider behind p, through the setting it names.
func kindOf(p credentials.CredentialsProvider) string {
	if n, ok := p.(*namedProvider); ok {
		if it, ok := n.inner.(*inlineToken); ok {
			return n.setting + " " + fmt.Sprintf("%T", it.inner)
		}
		return n.setting + " " + fmt.Sprintf("%T", n.inner)
	}
	return fmt.Sprintf("%T", p)
}

func TestNewCredentialProfiles(t *testing.T) {
	dir := t.TempDir()
	token := writeFile(t, dir, "token", testJWT(time.Now().Add(time.Hour)))
	cliPath := writeFile(t, dir, "home/.aliyun/config.json", strings.ReplaceAll(cliConfigJSON, "TOKENFILE", token))
	iniPath := writeFile(t, dir, "ini/credentials", iniCredentials)
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("USERPROFILE", filepath.Join(dir, "home"))
	const (
		staticAK  = "*credentials.StaticAKCredentialsProvider"
		staticSTS = "*credentials.StaticSTSCredentialsProvider"
		ramRole   = "*credentials.RAMRoleARNCredentialsProvider"
	)
	tests := []struct {
		name    string
		cc      CredentialConfig
		kind    string
		creds   [3]string
		wantErr string
	}{
		{name: "cli current", cc: CredentialConfig{SharedCredentialsFile: cliPath}, kind: staticAK, creds: [3]string{"AK-main", "SK-main", ""}},
		{name: "cli named", cc: CredentialConfig{Profile: "sts"}, kind: staticSTS, creds: [3]string{"AK-sts", "SK-sts", "TOK-sts"}},
		{name: "cli key", cc: CredentialConfig{Profile: "main"}, kind: staticAK, creds: [3]string{"AK-main", "SK-main", ""}},
		{name: "cli ecs", cc: CredentialConfig{Profile: "ecs"}, kind: `profile "ecs" *credentials.ECSRAMRoleCredentialsProvider`},
		{name: "cli role", cc: CredentialConfig{Profile: "role"}, kind: `profile "role" ` + ramRole},
		{name: "cli chain", cc: CredentialConfig{Profile: "chain"}, kind: `profile "chain" ` + ramRole},
		{name: "cli circular chain", cc: CredentialConfig{Profile: "loop"}, wantErr: "too long or circular"},
		{name: "cli oidc", cc: CredentialConfig{Profile: "oidc"}, kind: `profile "oidc" *credentials.OIDCCredentialsProvider`},
		{name: "cli oidc incomplete", cc: CredentialConfig{Profile: "oidc-incomplete"}, wantErr: `config.json: profile "oidc-incomplete" lacks oidc_provider_arn, oidc_token_file`},
		{name: "cli unsupported mode", cc: CredentialConfig{Profile: "sso"}, wantErr: `"CloudSSO", which is not supported`},
		{name: "cli profile plus role", cc: CredentialConfig{Profile: "main", AssumeRole: &Role{ARN: "acs:ram::1:role/extra"}}, kind: "assume_role " + ramRole},
		{name: "ini default", cc: CredentialConfig{SharedCredentialsFile: iniPath}, kind: staticAK, creds: [3]string{"AK-ini", "SK-ini", ""}},
		{name: "ini sts", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "temp"}, kind: staticSTS, creds: [3]string{"AK-ini-sts", "SK-ini-sts", "TOK-ini"}},
		{name: "ini ecs", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "vm"}, kind: `profile "vm" *credentials.ECSRAMRoleCredentialsProvider`},
		{name: "ini role", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "assume"}, kind: `profile "assume" ` + ramRole},
		{name: "ini incomplete", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "broken"}, wantErr: `credentials: profile "broken" lacks access_key_secret`},
		{name: "ini bad duration", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "badduration"}, wantErr: `role_session_expiration "soon" is not a number`},
		{name: "ini unknown", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "zzz"}, wantErr: "profiles: assume, badduration, broken, default, temp, vm"},
		{name: "unknown in both", cc: CredentialConfig{Profile: "zzz"}, wantErr: "profiles: chain, ecs, loop, main, oidc, oidc-incomplete, role, sso, sts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewCredential(tt.cc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "SK-") {
					t.Errorf("error leaks a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if k := kindOf(got); k != tt.kind {
				t.Errorf("provider %s, want %s", k, tt.kind)
			}
			if tt.creds != [3]string{} {
				if c := credsOf(t, got); c != tt.creds {
					t.Errorf("credentials %v, want %v", c, tt.creds)
				}
			}
		})
	}
}

func TestNewCredentialProfileFromHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	writeFile(t, home, ".aliyun/config.json", cliConfigJSON)
	writeFile(t, home, ".alibabacloud/credentials", iniCredentials)

	for profile, want := range map[string][3]string{
		"sts":  {"AK-sts", "SK-sts", "TOK-sts"},         // in the CLI configuration
		"temp": {"AK-ini-sts", "SK-ini-sts", "TOK-ini"}, // not there: in the credentials file
	} {
		got, err := NewCredential(CredentialConfig{Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		if c := credsOf(t, got); c != want {
			t.Errorf("profile %q: %v, want %v", profile, c, want)
		}
	}
}

func TestNewCredentialInvalidFiles(t *testing.T) {
	dir := t.TempDir()
	badJSON := writeFile(t, dir, "bad.json", `{"profiles": [ {"name": "x", "access_key_secret": "SK-leak" `)
	_, err := NewCredential(CredentialConfig{SharedCredentialsFile: badJSON})
	if err == nil || strings.Contains(err.Error(), "SK-leak") || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("err = %v", err)
	}
	badINI := writeFile(t, dir, "bad.ini", "[default]\naccess_key_secret SK-leak\n")
	_, err = NewCredential(CredentialConfig{SharedCredentialsFile: badINI})
	if err == nil || strings.Contains(err.Error(), "SK-leak") {
		t.Errorf("err = %v", err)
	}
}

// TestRoleARNMakesNoNetworkCall builds assume-role and OIDC credentials
// and a client with them, pointing STS at a listener that counts
// connections.
func TestRoleARNMakesNoNetworkCall(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conn.Close()
		}
	}()

	token := testJWT(time.Now().Add(time.Hour))
	for _, cc := range []CredentialConfig{
		{AccessKey: "AK", SecretKey: "SK", AssumeRole: &Role{ARN: "acs:ram::123456789012:role/ops", SessionName: "tf", ExternalID: "ext", Duration: 1800}},
		{OIDC: &OIDCRole{Role: Role{ARN: "acs:ram::1:role/ci"}, ProviderARN: "acs:ram::1:oidc-provider/ci", Token: token},
			AssumeRole: &Role{ARN: "acs:ram::2:role/management"}},
	} {
		cc.STSEndpoint = ln.Addr().String()
		cred, err := NewCredential(cc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(Config{Endpoint: "https://" + EndpointChina, RegionID: "cn-shanghai", Credential: cred}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if n := accepted.Load(); n != 0 {
		t.Errorf("construction made %d connections", n)
	}
}

// TestCredentialFailureIsReported checks that a credential that cannot be
// resolved fails the call with a credential error and never reaches the API.
func TestCredentialFailureIsReported(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return okReply(nil) })
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Credential = failingProvider{} })
	_, err := c.GetMessageContact(context.Background(), "c-1")
	var credErr *credentialError
	if !errors.As(err, &credErr) || !strings.Contains(err.Error(), "could not obtain") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "Signature=zzz") {
		t.Errorf("not scrubbed: %v", err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("got %d calls", n)
	}
}

type failingProvider struct{}

func (failingProvider) GetCredentials() (*credentials.Credentials, error) {
	return nil, errors.New(`refresh failed: Post "https://sts.example/?Signature=zzz": connection refused`)
}
func (failingProvider) GetProviderName() string { return "failing" }

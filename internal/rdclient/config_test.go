package rdclient

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/google/go-cmp/cmp"
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

func TestNewCredentialStatic(t *testing.T) {
	got, err := NewCredential(CredentialConfig{AccessKey: "AK", SecretKey: "SK"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(credentials.NewAccessKeyCredential("AK", "SK"), got); diff != "" {
		t.Error(diff)
	}
	got, err = NewCredential(CredentialConfig{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOK", Profile: "ignored"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(credentials.NewStsTokenCredential("AK", "SK", "TOK"), got); diff != "" {
		t.Error(diff)
	}
}

func TestNewCredentialErrors(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	tests := []struct {
		name string
		cc   CredentialConfig
		want []string
	}{
		{"nothing", CredentialConfig{}, []string{"access_key", "secret_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "profile"}},
		{"role without base", CredentialConfig{RoleARN: "acs:ram::123:role/x"}, []string{"assume_role", "access_key"}},
		{"key without secret", CredentialConfig{AccessKey: "AK"}, []string{"secret_key"}},
		{"secret without key", CredentialConfig{SecretKey: "SECRETVALUE"}, []string{"access_key"}},
		{"token alone", CredentialConfig{SecurityToken: "TOKENVALUE"}, []string{"access_key and secret_key"}},
		{"missing profile", CredentialConfig{Profile: "nope"}, []string{`profile "nope" not found`, "config.json", "credentials"}},
		{"missing file", CredentialConfig{SharedCredentialsFile: "/does/not/exist"}, []string{"shared_credentials_file"}},
		{"bad duration", CredentialConfig{AccessKey: "AK", SecretKey: "SK", RoleARN: "acs:ram::1:role/r", SessionExpiration: 60}, []string{"900"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCredential(tt.cc)
			if err == nil {
				t.Fatal("want an error")
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

const cliConfigJSON = `{
  "current": "main",
  "profiles": [
    {"name": "main", "mode": "AK", "access_key_id": "AK-main", "access_key_secret": "SK-main", "region_id": "cn-shanghai"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "AK-sts", "access_key_secret": "SK-sts", "sts_token": "TOK-sts"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "AK-role", "access_key_secret": "SK-role",
     "ram_role_arn": "acs:ram::123456789012:role/ops", "ram_session_name": "s", "expired_seconds": 900},
    {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "main", "ram_role_arn": "acs:ram::123456789012:role/ops2"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "ecs-role"},
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

func TestNewCredentialProfiles(t *testing.T) {
	dir := t.TempDir()
	cliPath := writeFile(t, dir, "cli/config.json", cliConfigJSON)
	iniPath := writeFile(t, dir, "ini/credentials", iniCredentials)

	tests := []struct {
		name    string
		cc      CredentialConfig
		want    auth.Credential
		role    bool
		wantErr string
	}{
		{name: "cli current", cc: CredentialConfig{SharedCredentialsFile: cliPath}, want: credentials.NewAccessKeyCredential("AK-main", "SK-main")},
		{name: "cli named", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "sts"}, want: credentials.NewStsTokenCredential("AK-sts", "SK-sts", "TOK-sts")},
		{name: "cli ecs", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "ecs"}, want: credentials.NewEcsRamRoleCredential("ecs-role")},
		{name: "cli role", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "role"}, role: true},
		{name: "cli chain", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "chain"}, role: true},
		{name: "cli unsupported mode", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "sso"}, wantErr: "CloudSSO"},
		{name: "cli unknown", cc: CredentialConfig{SharedCredentialsFile: cliPath, Profile: "zzz"}, wantErr: "profiles: main, sts, role, chain, ecs, sso"},
		{name: "ini default", cc: CredentialConfig{SharedCredentialsFile: iniPath}, want: credentials.NewAccessKeyCredential("AK-ini", "SK-ini")},
		{name: "ini sts", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "temp"}, want: credentials.NewStsTokenCredential("AK-ini-sts", "SK-ini-sts", "TOK-ini")},
		{name: "ini ecs", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "vm"}, want: credentials.NewEcsRamRoleCredential("vm-role")},
		{name: "ini role", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "assume"}, role: true},
		{name: "ini incomplete", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "broken"}, wantErr: "lacks access_key_secret"},
		{name: "ini unknown", cc: CredentialConfig{SharedCredentialsFile: iniPath, Profile: "zzz"}, wantErr: "profiles: assume, broken, default, temp, vm"},
		{name: "profile plus role", cc: CredentialConfig{SharedCredentialsFile: iniPath, RoleARN: "acs:ram::1:role/extra"}, role: true},
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
			if tt.role {
				if _, ok := got.(*credentials.RAMRoleARNCredentialsProvider); !ok {
					t.Fatalf("got %T, want a RAM role ARN provider", got)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Error(diff)
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

	got, err := NewCredential(CredentialConfig{Profile: "sts"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(credentials.NewStsTokenCredential("AK-sts", "SK-sts", "TOK-sts"), got); diff != "" {
		t.Error(diff)
	}
	// Not in the CLI configuration: found in the credentials file.
	got, err = NewCredential(CredentialConfig{Profile: "temp"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(credentials.NewStsTokenCredential("AK-ini-sts", "SK-ini-sts", "TOK-ini"), got); diff != "" {
		t.Error(diff)
	}
}

func TestNewCredentialInvalidFiles(t *testing.T) {
	dir := t.TempDir()
	badJSON := writeFile(t, dir, "bad.json", `{"profiles": [ {"name": "x", "access_key_secret": "SK-leak" `)
	_, err := NewCredential(CredentialConfig{SharedCredentialsFile: badJSON})
	if err == nil || strings.Contains(err.Error(), "SK-leak") {
		t.Errorf("err = %v", err)
	}
	badINI := writeFile(t, dir, "bad.ini", "[default]\naccess_key_secret SK-leak\n")
	_, err = NewCredential(CredentialConfig{SharedCredentialsFile: badINI})
	if err == nil || strings.Contains(err.Error(), "SK-leak") {
		t.Errorf("err = %v", err)
	}
}

// TestRoleARNMakesNoNetworkCall builds an assume-role credential and a
// client with it, pointing STS at a listener that counts connections.
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

	cred, err := NewCredential(CredentialConfig{
		AccessKey: "AK", SecretKey: "SK",
		RoleARN: "acs:ram::123456789012:role/ops", RoleSessionName: "tf", ExternalID: "ext", SessionExpiration: 1800,
		STSEndpoint: ln.Addr().String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cred.(*credentials.RAMRoleARNCredentialsProvider); !ok {
		t.Fatalf("got %T", cred)
	}
	if _, err := New(Config{Endpoint: "https://" + EndpointChina, RegionID: "cn-shanghai", Credential: cred}); err != nil {
		t.Fatal(err)
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

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-access-key-id", "ID", "-access-key-secret", "S", "-site", "international", "-read-mode", "effective",
		"-max-contacts", "5", "-throttle-rate", "0.3", "-error-rate", "0.05", "-latency", "50ms", "-delete-delay", "3s", "-page-size-cap", "2"}, io.Discard, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := o.config(nil)
	if cfg.Site != emulator.SiteInternational || cfg.ReadMode != emulator.ReadModeEffective || cfg.MaxContacts != 5 ||
		cfg.DeleteDelay != 3*time.Second || cfg.PageSizeCap != 2 || o.latency != 50*time.Millisecond || o.throttleRate != 0.3 || o.errorRate != 0.05 {
		t.Fatalf("config %+v / options %+v", cfg, o)
	}
	if len(cfg.KeyPairs) != 1 || cfg.KeyPairs[0] != (emulator.KeyPair{AccessKeyID: "ID", AccessKeySecret: "S"}) || len(cfg.STSTokens) != 0 {
		t.Fatalf("keys %+v %+v", cfg.KeyPairs, cfg.STSTokens)
	}
	o, err = parseFlags([]string{"-security-token", "TOK"}, io.Discard, func(k string) string {
		return map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "EID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ESECRET"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg := o.config(nil); len(cfg.STSTokens) != 1 || cfg.STSTokens[0].SecurityToken != "TOK" || cfg.STSTokens[0].AccessKeyID != "EID" || len(cfg.KeyPairs) != 0 {
		t.Fatalf("STS config %+v", cfg)
	}
	if o.listen != "127.0.0.1:0" || o.site != "china" || o.readMode != "requested" || o.maxContacts != 20 || o.deleteDelay != 2*time.Second {
		t.Fatalf("defaults %+v", o)
	}

	bad := map[string][]string{
		"access key ID is required":     {"-access-key-secret", "S"},
		"access key secret is required": {"-access-key-id", "ID"},
		"-site must be":                 {"-access-key-id", "ID", "-access-key-secret", "S", "-site", "mars"},
		"-read-mode must be":            {"-access-key-id", "ID", "-access-key-secret", "S", "-read-mode", "lazy"},
		"-throttle-rate must be":        {"-access-key-id", "ID", "-access-key-secret", "S", "-throttle-rate", "1.5"},
		"-max-contacts must be":         {"-access-key-id", "ID", "-access-key-secret", "S", "-max-contacts", "0"},
		"-sts-duration must be":         {"-access-key-id", "ID", "-access-key-secret", "S", "-sts-duration", "0"},
		"unexpected arguments":          {"-access-key-id", "ID", "-access-key-secret", "S", "extra"},
	}
	for want, args := range bad {
		_, err := parseFlags(args, io.Discard, noEnv)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want %q", args, err, want)
		}
	}
}

// writeFile writes content to path, failing the test when it cannot.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSeed(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, `[{"ContactId":"c-OpsTeam00001","Name":"OpsTeam","EmailAddress":"ops@example.com","PhoneNumber":"86-13800000001",
		"Title":"TechnicalDirector","MessageTypes":["FaultMessage","SecurityMessage"],"Members":[]}]`)
	cs, err := loadSeed(good)
	if err != nil || len(cs) != 1 || cs[0].ContactID != "c-OpsTeam00001" || len(cs[0].MessageTypes) != 2 {
		t.Fatalf("loadSeed: %+v %v", cs, err)
	}
	typo := filepath.Join(dir, "typo.json")
	writeFile(t, typo, `[{"ContactId":"c-OpsTeam00001","Mail":"x@example.com"}]`)
	if _, err := loadSeed(typo); err == nil {
		t.Error("unknown field accepted")
	}
	if _, err := loadSeed(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
	// The quickstart's seed file loads into an emulator.
	if cs, err := loadSeed("../../examples/quickstart/contacts.json"); err == nil {
		if err := emulator.New(emulator.Config{}).SeedContacts(cs); err != nil {
			t.Errorf("quickstart seed: %v", err)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "contacts.json")
	writeFile(t, seed, `[{"ContactId":"c-OpsTeam00001","Name":"OpsTeam","EmailAddress":"ops@example.com","Title":"CEO","MessageTypes":["FaultMessage"]}]`)
	const secret = "Program-Test-Secret-123"
	p := startProgram(t, "http", "-listen", "127.0.0.1:0", "-access-key-id", "LTAIprog", "-access-key-secret", secret, "-seed", seed)
	endpoint, stdout, stderr := p.endpoint, &p.stdout, &p.stderr
	u, _ := url.Parse(endpoint)

	client, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewAccessKeyCredential("LTAIprog", secret))
	if err != nil {
		t.Fatal(err)
	}
	call := func(action string, form map[string]string) (string, error) {
		req := requests.NewCommonRequest()
		req.Method, req.Scheme, req.Domain = "POST", "http", u.Host
		req.Product, req.Version, req.ApiName = "ResourceDirectoryMaster", "2022-04-19", action
		for k, v := range form {
			req.FormParams[k] = v
		}
		resp, err := client.ProcessCommonRequest(req)
		if err != nil {
			return "", err
		}
		return resp.GetHttpContentString(), nil
	}
	if _, err := call("UpdateMessageContact", map[string]string{"ContactId": "c-OpsTeam00001", "PhoneNumber": "86-13912341234"}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(endpoint+"/_emulator/verify?ContactId=c-OpsTeam00001&Target=86-13912341234", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin verify: %v %v", resp, err)
	}
	resp.Body.Close()
	body, err := call("GetMessageContact", map[string]string{"ContactId": "c-OpsTeam00001"})
	if err != nil || !strings.Contains(body, `"PhoneNumber":"86-13912341234"`) || !strings.Contains(body, `"Status":"Active"`) {
		t.Fatalf("Get: %s %v", body, err)
	}
	resp, err = http.Get(endpoint + "/_emulator/calls")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var c struct{ Action string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			resp.Body.Close()
			t.Fatalf("calls line %q: %v", sc.Bytes(), err)
		}
		actions = append(actions, c.Action)
	}
	resp.Body.Close()
	if strings.Join(actions, ",") != "UpdateMessageContact,GetMessageContact" {
		t.Fatalf("calls %v", actions)
	}

	p.stop()
	out := stdout.String()
	for _, want := range []string{"action=UpdateMessageContact status=200 code=\n", "action=GetMessageContact status=200 code=\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), `provider "alicloudrd"`) || !strings.Contains(stderr.String(), endpoint) {
		t.Errorf("stderr lacks the provider block:\n%s", stderr.String())
	}
	if strings.Contains(out+stderr.String(), secret) {
		t.Error("the secret was printed")
	}
}

// program is the emulator program running in the test.
type program struct {
	t              *testing.T
	endpoint       string
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan error
}

// startProgram runs the program with args until the test ends and waits for
// its endpoint line, whose URL must have scheme.
func startProgram(t *testing.T, scheme string, args ...string) *program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{t: t, cancel: cancel, done: make(chan error, 1)}
	t.Cleanup(cancel)
	go func() { p.done <- run(ctx, args, &p.stdout, &p.stderr, noEnv) }()
	for deadline := time.Now().Add(5 * time.Second); p.endpoint == ""; {
		if line, _, ok := strings.Cut(p.stdout.String(), "\n"); ok {
			if !strings.HasPrefix(line, "endpoint="+scheme+"://127.0.0.1:") {
				t.Fatalf("first line %q", line)
			}
			p.endpoint = strings.TrimPrefix(line, "endpoint=")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no endpoint line; stderr: %s", p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return p
}

// stop shuts the program down and checks that it ends gracefully.
func (p *program) stop() {
	p.t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		p.t.Fatal("no graceful shutdown")
	}
}

// With -tls-cert the program serves HTTPS with a certificate it writes for
// clients to trust, and its STS issues credentials for the -sts-duration.
func TestRunTLSAndSTS(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	const providerARN = "acs:ram::1234567890123456:oidc-provider/ci"
	p := startProgram(t, "https", "-access-key-id", "ID", "-access-key-secret", "S", "-tls-cert", certFile,
		"-sts-duration", "90", "-oidc-provider-arn", providerARN, "-oidc-issuer", "https://ci.example", "-oidc-audience", "aud")
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no certificate", certFile)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	token := emulator.NewOIDCToken(emulator.OIDCClaims{Issuer: "https://ci.example", Subject: "job", Audiences: []string{"aud"},
		Expiry: time.Now().Add(time.Hour).Unix()})
	resp, err := client.PostForm(p.endpoint+"/", url.Values{"Action": {"AssumeRoleWithOIDC"}, "Version": {emulator.STSVersion},
		"RoleArn": {"acs:ram::1234567890123456:role/ci"}, "OIDCProviderArn": {providerARN}, "OIDCToken": {token}})
	if err != nil {
		t.Fatal(err)
	}
	var answer struct{ Credentials struct{ Expiration string } }
	err = json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	exp, perr := time.Parse(time.RFC3339, answer.Credentials.Expiration)
	if err != nil || perr != nil || resp.StatusCode != 200 || time.Until(exp) > 90*time.Second || time.Until(exp) < 80*time.Second {
		t.Fatalf("AssumeRoleWithOIDC: %d %+v %v %v", resp.StatusCode, answer, err, perr)
	}
	resp, err = client.Get(p.endpoint + "/_emulator/calls")
	if err != nil {
		t.Fatal(err)
	}
	calls, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(calls), `"action":"AssumeRoleWithOIDC"`) || !strings.Contains(string(calls), `"principal":"oidc:job"`) {
		t.Errorf("calls %s", calls)
	}
	if !strings.Contains(p.stderr.String(), "sts_endpoint") || strings.Contains(p.stdout.String()+p.stderr.String(), token) {
		t.Errorf("stderr %s", p.stderr.String())
	}
	p.stop()
}

func TestRunRejectsBadSeed(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "contacts.json")
	writeFile(t, seed, `[{"Name":"X","EmailAddress":"x@example.com","Title":"CEO","MessageTypes":["FaultMessage"]}]`)
	err := run(context.Background(), []string{"-access-key-id", "ID", "-access-key-secret", "S", "-seed", seed}, io.Discard, io.Discard, noEnv)
	if err == nil || !strings.Contains(err.Error(), "InvalidParameter.Name.Length") {
		t.Fatalf("bad seed: %v", err)
	}
}

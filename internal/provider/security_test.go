package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/recording"
)

// Security: the provider reports each rejection of the API gateway clearly,
// and no secret (AccessKey secret, STS secret or security token) reaches a
// log line, a diagnostic, a cassette, a plan or the state.
//
// These tests run against an in-process emulator whatever
// ALICLOUDRD_ACC_MODE says (loopback only, no credentials): the rejections
// they exercise (clock skew, replayed nonce, STS token expiry) are decided by
// the emulator's gateway, which a cassette replay does not reproduce.

// Test credentials of the emulator, not Alibaba Cloud keys.
const (
	testAccSTSKeyID         = "STS.NTestTempKey0001"
	testAccSTSSecret        = "sts-secret-do-not-use-5c0e9b1d"
	testAccSTSToken         = "CAIStest-sts-token-do-not-use-a81f3e92c4d7"
	testAccExpiredSTSKeyID  = "STS.NTestTempKey0002"
	testAccExpiredSTSSecret = "sts-secret-expired-do-not-use-77aa01"
	testAccExpiredSTSToken  = "CAIStest-expired-sts-token-do-not-use-3b6d"
)

// testAccSecrets are the values that must never leave the provider's memory:
// the test secrets and tokens, and the start of every secret and security
// token the emulator's STS issues and of every OIDC token the tests make.
var testAccSecrets = []string{
	acctest.AccessKeySecret,
	testAccSTSSecret, testAccSTSToken,
	testAccExpiredSTSSecret, testAccExpiredSTSToken,
	emulator.IssuedSecretPrefix, emulator.IssuedTokenPrefix, emulator.OIDCTokenPrefix,
}

// testAccSecurityEmulator starts an in-process emulator that accepts the
// acceptance-test key pair and the test STS tokens (one valid, one expired).
// skew moves the emulator's clock away from the provider's.
func testAccSecurityEmulator(t *testing.T, skew time.Duration) (*emulator.Emulator, string) {
	t.Helper()
	cfg := emulator.Config{
		KeyPairs: []emulator.KeyPair{{AccessKeyID: acctest.AccessKeyID, AccessKeySecret: acctest.AccessKeySecret}},
		STSTokens: []emulator.STSToken{
			{AccessKeyID: testAccSTSKeyID, AccessKeySecret: testAccSTSSecret, SecurityToken: testAccSTSToken, Expiration: time.Now().Add(time.Hour)},
			{AccessKeyID: testAccExpiredSTSKeyID, AccessKeySecret: testAccExpiredSTSSecret, SecurityToken: testAccExpiredSTSToken, Expiration: time.Now().Add(-time.Minute)},
		},
		Seed: 8,
	}
	if skew != 0 {
		cfg.Now = func() time.Time { return time.Now().Add(skew) }
	}
	e := emulator.New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv.URL
}

// testAccContactsHCL is the configuration of the security tests: the
// alicloudrd_message_contacts data source, whose read is one
// ListMessageContacts call.
const testAccContactsHCL = `
data "alicloudrd_message_contacts" "all" {}
`

// testAccRejection matches the diagnostic of a rejected ListMessageContacts
// (the call of the alicloudrd_message_contacts data source): Code, HTTP
// status and message, the RequestId the emulator gave (a UUID), then the
// advice.
func testAccRejection(code string, status int, message, advice string) *regexp.Regexp {
	return regexp.MustCompile(acctest.PhrasePattern(fmt.Sprintf("ListMessageContacts failed: %s (HTTP %d): %s (RequestId:", code, status, message)) +
		`[\s│]+[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\)[\s\S]*` + acctest.PhrasePattern(advice))
}

// Each rejection of the gateway is reported with its Code, HTTP status,
// message and RequestId, and says what to do.
func TestAccSecurity_rejections(t *testing.T) {
	tests := []struct {
		name       string
		skew       time.Duration
		accessKey  string
		secretKey  string
		token      string
		wantError  *regexp.Regexp
		wantCalled bool
	}{
		{
			name: "bad signature", accessKey: acctest.AccessKeyID, secretKey: "not-the-secret-of-this-key",
			wantError: testAccRejection("SignatureDoesNotMatch", 400,
				"Specified signature is not matched with our calculation.", "signed with a secret that does not belong to the AccessKey ID"),
		},
		{
			name: "unknown key", accessKey: "LTAI5tUnknownKey0099", secretKey: "whatever-secret",
			wantError: testAccRejection("InvalidAccessKeyId.NotFound", 404,
				"Specified access key is not found.", "The endpoint does not know this AccessKey ID"),
		},
		{
			name: "expired timestamp", skew: 20 * time.Minute, accessKey: acctest.AccessKeyID, secretKey: acctest.AccessKeySecret,
			wantError: testAccRejection("InvalidTimeStamp.Expired", 400,
				"Specified time stamp or date header is expired.", "synchronise this machine's clock"),
		},
		{
			name: "expired STS token", accessKey: testAccExpiredSTSKeyID, secretKey: testAccExpiredSTSSecret, token: testAccExpiredSTSToken,
			wantError: testAccRejection("InvalidSecurityToken.Expired", 400,
				"Specified SecurityToken is expired.", "The STS security token has expired"),
		},
		{
			name: "STS token of another key", accessKey: testAccSTSKeyID, secretKey: testAccSTSSecret, token: testAccExpiredSTSToken,
			wantError: testAccRejection("InvalidSecurityToken.MismatchWithAccessKey", 400,
				"Specified SecurityToken mismatch with the AccessKey.", "does not belong to this AccessKey ID"),
		},
		{
			name: "valid STS token", accessKey: testAccSTSKeyID, secretKey: testAccSTSSecret, token: testAccSTSToken,
			wantCalled: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, endpoint := testAccSecurityEmulator(t, tt.skew)
			token := ""
			if tt.token != "" {
				token = fmt.Sprintf("  security_token = %q", tt.token)
			}
			step := resource.TestStep{
				Config:      acctest.ProviderBlock(endpoint, tt.accessKey, tt.secretKey, token) + testAccContactsHCL,
				ExpectError: tt.wantError,
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
			calls := e.Calls()
			if len(calls) == 0 {
				t.Fatal("no call reached the emulator")
			}
			for _, c := range calls {
				if ok := c.Code == ""; ok != tt.wantCalled {
					t.Errorf("call %s answered %q", c.Action, c.Code)
				}
			}
		})
	}
}

// The pending-update resource reports a rejected signature with the same
// advice as the rest of the provider, on create and on refresh, not the
// advice to retry that fits a throttled or failed call.
func TestAccSecurity_pendingUpdateRejections(t *testing.T) {
	const contactID = "c-Rejected0001"
	e, endpoint := testAccSecurityEmulator(t, 0)
	if err := e.SeedContacts(testAccPendingUpdateSeed(contactID)); err != nil {
		t.Fatal(err)
	}
	config := func(secretKey string) string {
		return testAccPendingUpdatePhone(acctest.ProviderBlock(endpoint, acctest.AccessKeyID, secretKey, ""), contactID, testAccPendingUpdateNewPhone, "")
	}
	good, bad := config(acctest.AccessKeySecret), config("not-the-secret-of-this-key")
	const (
		rejected = "SignatureDoesNotMatch (HTTP 400): Specified signature is not matched with our calculation. (RequestId:"
		advice   = "The request was signed with a secret that does not belong to the AccessKey ID: check secret_key"
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)(e)
		},
		Steps: []resource.TestStep{
			{
				Config:      bad,
				ExpectError: acctest.ErrorMatching("Cannot request the message contact change", "UpdateMessageContact failed: "+rejected, advice),
			},
			{
				Config:            good,
				ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
			},
			{
				Config:      bad,
				ExpectError: acctest.ErrorMatching("Cannot read the message contact change", rejected, advice),
			},
			{
				// Back to the right secret, so that destroy cancels the change.
				Config: good,
			},
		},
	})
}

// A request replayed with a nonce already used is rejected, and the
// provider reports it with Code, HTTP status and RequestId. (The provider
// itself makes a new nonce for every attempt; only a middlebox replays one.)
func TestAccSecurity_replayedNonce(t *testing.T) {
	e, endpoint := testAccSecurityEmulator(t, 0)
	proxy := acctest.NewFaultProxy(t, endpoint)
	config := proxy.Config(testAccContactsHCL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The next request is sent as the first one the proxy received.
				PreConfig: proxy.Arm(acctest.Rule{ReplayFirst: true}),
				Config:    config,
				ExpectError: testAccRejection("SignatureNonceUsed", 400,
					"Specified signature nonce was used already.", "sent a request twice"),
			},
		},
	})
	// One request replayed, and rejected.
	if err := proxy.ExpectEvents("ListMessageContacts replaced by the first request received (ListMessageContacts): same nonce, same signature")(nil); err != nil {
		t.Fatal(err)
	}
	if err := acctest.CountCalls(acctest.AnyAction, "SignatureNonceUsed", 1)(e); err != nil {
		t.Fatal(err)
	}
}

// testAccNoSecretsIn reports where in text a secret appears (also
// percent-encoded or JSON-escaped), without repeating it.
func testAccNoSecretsIn(what, text string) error {
	var found []string
	for i, s := range testAccSecrets {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if strings.Contains(text, form) {
				found = append(found, fmt.Sprintf("secret #%d", i+1))
				break
			}
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("%s holds %s", what, strings.Join(found, ", "))
	}
	return nil
}

// testAccPlanHoldsNoSecret fails when the JSON plan (terraform show -json)
// holds a secret anywhere: configuration, prior state, planned values,
// resource changes. With ignoreConfig, the configuration, where Terraform
// repeats the provider block a test wrote with a secret in it, is left out.
type testAccPlanHoldsNoSecret struct{ ignoreConfig bool }

func (c testAccPlanHoldsNoSecret) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	if c.ignoreConfig {
		plan.Config = nil
	}
	out, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = testAccNoSecretsIn("the plan", string(out))
}

// testAccStateHoldsNoSecret fails when the state holds a secret in any
// resource or data source.
type testAccStateHoldsNoSecret struct{}

func (testAccStateHoldsNoSecret) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	out, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = testAccNoSecretsIn("the state", string(out))
}

// The provider's credentials, given as most users do, through the
// environment: a contact and a pending change are applied, an API error
// occurs, and neither plan, state nor the recorded API traffic holds the
// secret or the token. Not parallel: it sets the process environment.
func TestAccSecurity_secretsStayOut(t *testing.T) {
	e, _ := testAccSecurityEmulator(t, 0)
	rec := recording.NewRecorder(e)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", testAccSTSKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", testAccSTSSecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", testAccSTSToken)
	config := fmt.Sprintf(`
provider "alicloudrd" {
  endpoint = %q
}

resource "alicloudrd_message_contact" "test" {
  name          = "Secure"
  email_address = "secure@example.com"
  title         = "CEO"
  message_types = ["SecurityMessage"]
  lifecycle {
    ignore_changes = [phone_number]
  }
}

resource "alicloudrd_message_contact_pending_update" "phone" {
  contact_id   = alicloudrd_message_contact.test.id
  phone_number = "86-13912345678"
}
`, srv.URL)
	noSecrets := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{testAccPlanHoldsNoSecret{}},
		PostApplyPreRefresh:  []plancheck.PlanCheck{testAccPlanHoldsNoSecret{}},
		PostApplyPostRefresh: []plancheck.PlanCheck{testAccPlanHoldsNoSecret{}},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return testAccMessageContactGone(e) },
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  noSecrets,
				ConfigStateChecks: []statecheck.StateCheck{testAccStateHoldsNoSecret{}},
			},
			{
				// An API error: its diagnostic names the contact, not the credentials.
				Config: config + `
resource "alicloudrd_message_contact_pending_update" "missing" {
  contact_id    = "c-DoesNotExist"
  email_address = "nobody@example.com"
}
`,
				ExpectError: acctest.ErrorMatching("Message contact not found", "EntityNotExists.Contact (HTTP 404)"),
			},
		},
	})

	dir := t.TempDir()
	if err := rec.Save(filepath.Join(dir, "secrets.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := recording.ScanForSecrets(dir, []string{testAccSTSSecret, testAccSTSToken, testAccSTSKeyID}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := testAccNoSecretsIn("the cassette", string(raw)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("UpdateMessageContact")) {
		t.Fatal("the cassette recorded no UpdateMessageContact: the test exercised nothing")
	}
}

// The credentials are sensitive in the provider schema: Terraform redacts
// them from plans and the CLI's output.
func TestProviderSchema_credentialsSensitive(t *testing.T) {
	var resp fwprovider.SchemaResponse
	New("test")().Schema(context.Background(), fwprovider.SchemaRequest{}, &resp)
	for _, name := range []string{"access_key", "secret_key", "security_token"} {
		a, ok := resp.Schema.Attributes[name].(schema.StringAttribute)
		if !ok || !a.Sensitive {
			t.Errorf("provider attribute %s must be a sensitive string", name)
		}
	}
	oidc, _ := resp.Schema.Blocks["assume_role_with_oidc"].(schema.SingleNestedBlock)
	if a, ok := oidc.Attributes["oidc_token"].(schema.StringAttribute); !ok || !a.Sensitive {
		t.Error("assume_role_with_oidc.oidc_token must be a sensitive string")
	}
}

// testAccTraceRun selects the acceptance tests the trace scan runs: these
// by default, every one with ALICLOUDRD_TRACE_RUN='^TestAcc' (make
// testacc-trace).
const testAccTraceRun = `^(TestAccSecurity_|TestAccCredentials_|TestAccReliability_(addResponseLost|pendingUpdateResponsesLost|timeouts)$|` +
	`TestAccProvider_wrongSecret$|TestAccMessageContactResource_(crud|apiErrors)$|TestAccMessageContactPendingUpdate_basic$|` +
	`TestAccMessageContactDataSource_byIDAndName$)`

// The acceptance tests run again in a child process with TF_LOG=TRACE, the
// logs of Terraform and of the provider written per test (TF_LOG_PATH_MASK);
// no log line, nothing the child printed (diagnostics of failed steps
// included) holds a secret. The test harness logs each step's configuration
// verbatim, credentials included, as test input; those lines are skipped,
// and TestAccSecurity_secretsStayOut, whose configuration holds no secret,
// shows the rest of the pipeline never receives one from configuration.
func TestSecurity_traceLogsHoldNoSecrets(t *testing.T) {
	if os.Getenv("ALICLOUDRD_TRACE_CHILD") != "" {
		t.Skip("inside the traced run")
	}
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance tests are off: set %s=1", resource.EnvTfAcc)
	}
	run := os.Getenv("ALICLOUDRD_TRACE_RUN")
	if run == "" {
		run = testAccTraceRun
	}
	dir := os.Getenv("ALICLOUDRD_TRACE_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run", run, "-test.count", "1", "-test.v", "-test.timeout", "25m")
	cmd.Env = append(os.Environ(),
		"ALICLOUDRD_TRACE_CHILD=1",
		"TF_LOG=TRACE",
		"TF_ACC_LOG=TRACE",
		"TF_LOG_PATH_MASK="+filepath.Join(dir, "%s.log"),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the traced run failed: %v\n%s", err, testAccTail(out.String(), 60))
	}
	if err := testAccNoSecretsIn("the output of the traced run", out.String()); err != nil {
		t.Error(err)
	}

	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil {
		t.Fatal(err)
	}
	var lines, skipped, echoed int
	var apiLines, cliLines int
	for _, path := range logs {
		l, s, e, findings, err := testAccScanTraceLog(path)
		if err != nil {
			t.Fatal(err)
		}
		lines, skipped, echoed = lines+l, skipped+s, echoed+e
		for _, f := range findings {
			t.Errorf("%s", f)
		}
		data, _ := os.ReadFile(path)
		apiLines += bytes.Count(data, []byte("Resource Directory API call"))
		// The CLI's start-up line: "Terraform version" or, with OpenTofu, "OpenTofu version".
		cliLines += bytes.Count(data, []byte("[INFO]  Terraform version")) + bytes.Count(data, []byte("[INFO]  OpenTofu version"))
	}
	if len(logs) == 0 || apiLines == 0 || cliLines == 0 {
		t.Fatalf("the traced run wrote %d log files with %d provider API lines and %d Terraform CLI lines: nothing was traced", len(logs), apiLines, cliLines)
	}
	if echoed == 0 {
		t.Fatal("no skipped configuration line held the acceptance-test secret: the scan cannot be shown to recognise it")
	}
	passed := strings.Count(out.String(), "--- PASS: TestAcc")
	t.Logf("scanned %d trace logs (%d lines; skipped %d lines of the harness's configuration echo, %d of them with the secret) "+
		"of %d passing acceptance tests: no secret elsewhere", len(logs), lines, skipped, echoed, passed)
}

// testAccScanTraceLog scans one log file and returns how many lines it read
// and skipped, how many skipped lines held a secret (which shows the scan
// recognises it), and one finding per other line holding a secret. Skipped
// are the continuation lines ("  | ...") of the harness's
// test_terraform_configuration value: the test's configuration, which it
// wrote itself.
func testAccScanTraceLog(path string) (lines, skipped, echoed int, findings []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	inConfig := false
	for sc.Scan() {
		lines++
		line := sc.Text()
		if inConfig && strings.HasPrefix(line, "  | ") {
			skipped++
			if testAccNoSecretsIn("", line) != nil {
				echoed++
			}
			continue
		}
		inConfig = strings.TrimSpace(line) == "test_terraform_configuration="
		if err := testAccNoSecretsIn(fmt.Sprintf("%s:%d", filepath.Base(path), lines), line); err != nil {
			findings = append(findings, err.Error())
		}
	}
	return lines, skipped, echoed, findings, sc.Err()
}

func testAccTail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

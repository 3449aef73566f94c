package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// Credentials as pipelines use them: roles assumed at the emulator's STS
// (AssumeRole, AssumeRoleWithOIDC), whose temporary credentials then sign
// the Resource Directory calls. These tests run against a live emulator,
// served over HTTPS, in every ALICLOUDRD_ACC_MODE (acctest.Options.STS): STS
// answers are fresh secrets with an expiry, which no cassette replays.

const (
	testAccDeployRole   = "acs:ram::1234567890123456:role/terraform"
	testAccPipelineRole = "acs:ram::1234567890123456:role/pipeline"
	testAccOtherRole    = "acs:ram::1234567890123456:role/other"
	testAccOIDCProvider = "acs:ram::1234567890123456:oidc-provider/ci"
	testAccExternalID   = "ext-acc-0001"
	testAccOIDCSubject  = "repo:example/infra:ref:refs/heads/main"
)

// testAccOIDCToken is a token of the emulator's OIDC provider for subject,
// expiring at exp.
func testAccOIDCToken(subject string, exp time.Time, audience string) string {
	return emulator.NewOIDCToken(emulator.OIDCClaims{Issuer: emulator.DefaultOIDCIssuer, Subject: subject,
		Audiences: []string{audience}, Expiry: exp.Unix()})
}

// testAccTokenFile writes a token valid for an hour to a file of the test
// and returns its path.
func testAccTokenFile(t *testing.T, token string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "oidc-token")
	if err := os.WriteFile(path, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func testAccValidToken(subject string) string {
	return testAccOIDCToken(subject, time.Now().Add(time.Hour), emulator.DefaultOIDCAudience)
}

// testAccSTSServer is the server of a test of STS: the deploy and pipeline
// roles, the OIDC provider and the external ID of the deploy role.
func testAccSTSServer(t *testing.T, opts acctest.Options, duration time.Duration) *acctest.Server {
	opts.STS = &acctest.STSOptions{Duration: duration, Roles: []string{testAccDeployRole, testAccPipelineRole},
		ExternalID: testAccExternalID, OIDCProviderARN: testAccOIDCProvider}
	return acctest.NewServer(t, opts)
}

// testAccOIDCBlock is an assume_role_with_oidc block for the pipeline role.
func testAccOIDCBlock(tokenLine string) string {
	return fmt.Sprintf(`
  assume_role_with_oidc {
    role_arn          = %q
    oidc_provider_arn = %q
    %s
  }
`, testAccPipelineRole, testAccOIDCProvider, tokenLine)
}

// testAccAssumeRoleBlock is an assume_role block for role.
func testAccAssumeRoleBlock(role, externalID string) string {
	return fmt.Sprintf(`
  assume_role {
    role_arn    = %q
    external_id = %q
  }
`, role, externalID)
}

// testAccOneContactHCL manages one contact and reads the directory's.
const testAccOneContactHCL = `
resource "alicloudrd_message_contact" "test" {
  name          = "Pipeline"
  email_address = "pipeline@example.com"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
}

data "alicloudrd_message_contacts" "all" {
  depends_on = [alicloudrd_message_contact.test]
}
`

// testAccCallsBy checks that every call succeeded, that every Resource
// Directory call was made by role, and that each STS action was called
// (at least minSTS times) by the principal stsBy gives for it.
func testAccCallsBy(role string, stsBy map[string]string, minSTS int) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		counts := map[string]int{}
		for _, c := range e.Calls() {
			want, isSTS := stsBy[c.Action]
			if !isSTS {
				want = role
			}
			if c.Code != "" || c.Principal != want {
				return fmt.Errorf("%s answered %q was made by %q, want success by %q; calls: %v", c.Action, c.Code, c.Principal, want, acctest.CallList(e))
			}
			counts[c.Action]++
		}
		for action := range stsBy {
			if counts[action] < minSTS {
				return fmt.Errorf("%s called %d times, want at least %d; calls: %v", action, counts[action], minSTS, acctest.CallList(e))
			}
		}
		if len(counts) == len(stsBy) {
			return fmt.Errorf("no Resource Directory call was made; calls: %v", acctest.CallList(e))
		}
		return nil
	}
}

// testAccNoSecretChecks are the plan and state checks of a step whose
// provider assumes roles: neither holds a secret, an STS token or an OIDC
// token.
var testAccNoSecretChecks = struct {
	plan  resource.ConfigPlanChecks
	state []statecheck.StateCheck
}{
	plan: resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{testAccPlanHoldsNoSecret{ignoreConfig: true}},
		PostApplyPostRefresh: []plancheck.PlanCheck{testAccPlanHoldsNoSecret{ignoreConfig: true}},
	},
	state: []statecheck.StateCheck{testAccStateHoldsNoSecret{}},
}

// The provider assumes a role with its key pair; the role's temporary
// credentials sign every Resource Directory call.
func TestAccCredentials_assumeRole(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return testAccMessageContactGone(srv.Emulator()) },
		Steps: []resource.TestStep{{
			Config:            srv.ProviderBlockWith(testAccAssumeRoleBlock(testAccDeployRole, testAccExternalID)) + testAccOneContactHCL,
			ConfigPlanChecks:  testAccNoSecretChecks.plan,
			ConfigStateChecks: testAccNoSecretChecks.state,
			Check:             srv.Check(testAccCallsBy(testAccDeployRole, map[string]string{"AssumeRole": emulator.PrincipalStatic}, 1)),
		}},
	})
}

// A CI job's OIDC token file is exchanged for the pipeline role's
// credentials; the file is read again when they are renewed (the CI system
// rotates it: here right after the first exchange).
func TestAccCredentials_oidcTokenFile(t *testing.T) {
	tokenFile := testAccTokenFile(t, testAccValidToken(testAccOIDCSubject))
	var rotate sync.Once
	srv := testAccSTSServer(t, acctest.Options{AfterCall: func(c emulator.Call) {
		if c.Action == "AssumeRoleWithOIDC" {
			rotate.Do(func() { _ = os.WriteFile(tokenFile, []byte(testAccValidToken("rotated")), 0o600) })
		}
	}}, 30*time.Second)
	rotated := srv.Check(func(e *emulator.Emulator) error {
		for _, c := range e.Calls() {
			if c.Action == "AssumeRoleWithOIDC" && c.Principal == "oidc:rotated" {
				return nil
			}
		}
		return fmt.Errorf("the rotated token was never exchanged: %v", acctest.CallList(e))
	})
	oidcBy := func(e *emulator.Emulator) error {
		for _, c := range e.Calls() {
			if c.Action == "AssumeRoleWithOIDC" && c.Principal != "oidc:"+testAccOIDCSubject && c.Principal != "oidc:rotated" {
				return fmt.Errorf("AssumeRoleWithOIDC by %q", c.Principal)
			}
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return testAccMessageContactGone(srv.Emulator()) },
		Steps: []resource.TestStep{{
			Config:            srv.STSProviderBlock(testAccOIDCBlock(fmt.Sprintf("oidc_token_file = %q", tokenFile))) + testAccOneContactHCL,
			ConfigPlanChecks:  testAccNoSecretChecks.plan,
			ConfigStateChecks: testAccNoSecretChecks.state,
			Check:             resource.ComposeTestCheckFunc(rotated, srv.Check(testAccCallsByAny(testAccPipelineRole, "AssumeRoleWithOIDC")), srv.Check(oidcBy)),
		}},
	})
}

// testAccCallsByAny is testAccCallsBy for an STS action whose principal
// varies (the OIDC token's subject): only success is checked for it.
func testAccCallsByAny(role, stsAction string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		n := 0
		for _, c := range e.Calls() {
			switch {
			case c.Code != "":
				return fmt.Errorf("%s failed with %s; calls: %v", c.Action, c.Code, acctest.CallList(e))
			case c.Action == stsAction:
				n++
			case c.Principal != role:
				return fmt.Errorf("%s made by %q, want %q", c.Action, c.Principal, role)
			}
		}
		if n == 0 {
			return fmt.Errorf("no %s call; calls: %v", stsAction, acctest.CallList(e))
		}
		return nil
	}
}

// The same with nothing in the provider block but the endpoints: the
// environment variables a CI system sets (RRSA on Kubernetes sets these).
// Not parallel: it sets the process environment.
func TestAccCredentials_oidcEnvironment(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 0)
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", testAccPipelineRole)
	t.Setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", testAccOIDCProvider)
	t.Setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", testAccTokenFile(t, testAccValidToken(testAccOIDCSubject)))
	t.Setenv("ALIBABA_CLOUD_ROLE_SESSION_NAME", "ci-job-42")
	session := srv.Check(func(e *emulator.Emulator) error {
		for _, c := range e.Calls() {
			if c.Action == "AssumeRoleWithOIDC" && c.Params["RoleSessionName"] != "ci-job-42" {
				return fmt.Errorf("RoleSessionName %q", c.Params["RoleSessionName"])
			}
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return testAccMessageContactGone(srv.Emulator()) },
		Steps: []resource.TestStep{{
			Config:            srv.STSProviderBlock("") + testAccOneContactHCL,
			ConfigPlanChecks:  testAccNoSecretChecks.plan,
			ConfigStateChecks: testAccNoSecretChecks.state,
			Check: resource.ComposeTestCheckFunc(session, srv.Check(testAccCallsBy(testAccPipelineRole,
				map[string]string{"AssumeRoleWithOIDC": "oidc:" + testAccOIDCSubject}, 1))),
		}},
	})
}

// The pipeline's role, from its OIDC token given inline, assumes the role
// of the management account: AssumeRole is signed with the pipeline's
// temporary credentials.
func TestAccCredentials_oidcThenAssumeRole(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 0)
	block := testAccOIDCBlock(fmt.Sprintf("oidc_token = %q", testAccValidToken(testAccOIDCSubject))) +
		testAccAssumeRoleBlock(testAccDeployRole, testAccExternalID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return testAccMessageContactGone(srv.Emulator()) },
		Steps: []resource.TestStep{{
			Config:            srv.STSProviderBlock(block) + testAccOneContactHCL,
			ConfigPlanChecks:  testAccNoSecretChecks.plan,
			ConfigStateChecks: testAccNoSecretChecks.state,
			Check: srv.Check(testAccCallsBy(testAccDeployRole, map[string]string{
				"AssumeRoleWithOIDC": "oidc:" + testAccOIDCSubject, "AssumeRole": testAccPipelineRole}, 1)),
		}},
	})
}

// Credentials that expire every few seconds, in the middle of applying and
// destroying 20 contacts, are renewed: more than one AssumeRole, and no call
// fails.
func TestAccCredentials_renewedWhenExpiring(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 3*time.Second)
	config := srv.ProviderBlockWith(testAccAssumeRoleBlock(testAccDeployRole, testAccExternalID)) + `
resource "alicloudrd_message_contact" "many" {
  count         = 20
  name          = "Ops${substr("abcdefghijklmnopqrst", count.index, 1)}"
  email_address = "ops${count.index}@example.com"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
}
`
	allCalls := srv.Check(testAccCallsBy(testAccDeployRole, map[string]string{"AssumeRole": emulator.PrincipalStatic}, 2))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := allCalls(s); err != nil {
				return err
			}
			return testAccMessageContactGone(srv.Emulator())
		},
		Steps: []resource.TestStep{{
			Config: config,
			Check:  resource.ComposeTestCheckFunc(resource.TestCheckResourceAttr("alicloudrd_message_contact.many.19", "name", "Opst"), allCalls),
		}},
	})
}

// Credentials from a credentials URI (the emulator's admin path stands in
// for a local credentials server).
func TestAccCredentials_credentialsURI(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 0)
	uri := srv.URL + emulator.AdminPrefix + "credentials?RoleArn=" + testAccDeployRole
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.STSProviderBlock(fmt.Sprintf("  credentials_uri = %q", uri)) + `data "alicloudrd_message_contacts" "all" {}`,
			Check:  srv.Check(testAccCallsBy(testAccDeployRole, map[string]string{}, 0)),
		}},
	})
}

// Alibaba Cloud CLI profiles in OIDC and ChainableRamRoleArn mode: the
// chained profile's source is the OIDC profile. Not parallel: it sets HOME.
func TestAccCredentials_cliProfiles(t *testing.T) {
	srv := testAccSTSServer(t, acctest.Options{}, 0)
	home := t.TempDir()
	tokenFile := testAccTokenFile(t, testAccValidToken(testAccOIDCSubject))
	config := fmt.Sprintf(`{"current": "management", "profiles": [
  {"name": "pipeline", "mode": "OIDC", "ram_role_arn": %q, "oidc_provider_arn": %q, "oidc_token_file": %q},
  {"name": "management", "mode": "ChainableRamRoleArn", "source_profile": "pipeline", "ram_role_arn": %q, "external_id": %q}
]}`, testAccPipelineRole, testAccOIDCProvider, tokenFile, testAccDeployRole, testAccExternalID)
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.STSProviderBlock(`  profile = "management"`) + `data "alicloudrd_message_contacts" "all" {}`,
			Check: srv.Check(testAccCallsBy(testAccDeployRole, map[string]string{
				"AssumeRoleWithOIDC": "oidc:" + testAccOIDCSubject, "AssumeRole": testAccPipelineRole}, 1)),
		}},
	})
}

// Each mistake is an error that names the setting to fix, at plan time:
// those found in the configuration and the token file before any call,
// those only STS can tell at the first call, which the data source makes
// during plan.
func TestAccCredentials_errors(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	expired := file("expired", testAccOIDCToken(testAccOIDCSubject, time.Now().Add(-time.Minute), emulator.DefaultOIDCAudience))
	malformed := file("malformed", "not-a-jwt")
	otherAudience := file("audience", testAccOIDCToken(testAccOIDCSubject, time.Now().Add(time.Hour), "another-audience"))
	valid := file("valid", testAccValidToken(testAccOIDCSubject))
	oidc := func(tokenFile, providerARN string) string {
		return fmt.Sprintf(`
  assume_role_with_oidc {
    role_arn          = %q
    oidc_provider_arn = %q
    oidc_token_file   = %q
  }
`, testAccPipelineRole, providerARN, tokenFile)
	}
	const stsAdvice = "STS did not let these credentials assume the role: check assume_role: its role_arn"
	tests := []struct {
		name      string
		keys      bool // sign with the acceptance-test key pair
		block     string
		want      *regexp.Regexp
		callsMade bool
	}{
		{"wrong role", true, testAccAssumeRoleBlock(testAccOtherRole, testAccExternalID),
			acctest.ErrorMatching("could not obtain Alibaba Cloud credentials: assume_role: AssumeRole failed: NoPermission.Role (HTTP 403)", stsAdvice), true},
		{"wrong external id", true, testAccAssumeRoleBlock(testAccDeployRole, "ext-wrong"),
			acctest.ErrorMatching("AssumeRole failed: NoPermission.Role (HTTP 403)", "The ExternalId does not match", stsAdvice, "its external_id"), true},
		{"expired OIDC token", false, oidc(expired, testAccOIDCProvider),
			acctest.ErrorMatching("Invalid credentials configuration", "assume_role_with_oidc.oidc_token_file: the OIDC token expired at", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"), false},
		{"malformed OIDC token", false, oidc(malformed, testAccOIDCProvider),
			acctest.ErrorMatching("Invalid credentials configuration", "assume_role_with_oidc.oidc_token_file: the OIDC token is not a JWT"), false},
		{"missing token file", false, oidc(filepath.Join(dir, "missing"), testAccOIDCProvider),
			acctest.ErrorMatching("Invalid credentials configuration", "assume_role_with_oidc.oidc_token_file: cannot read the OIDC token", "no such file"), false},
		{"unknown OIDC provider", false, oidc(valid, "acs:ram::1234567890123456:oidc-provider/other"),
			acctest.ErrorMatching("assume_role_with_oidc: AssumeRoleWithOIDC failed: AuthenticationFail.NoPermission (HTTP 401)", "its oidc_provider_arn"), true},
		{"token for another audience", false, oidc(otherAudience, testAccOIDCProvider),
			acctest.ErrorMatching("AssumeRoleWithOIDC failed: AuthenticationFail.OIDCToken.AudienceNotMatch (HTTP 401)", "STS refused the OIDC token: check assume_role_with_oidc: its oidc_token_file"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := testAccSTSServer(t, acctest.Options{}, 0)
			block := srv.STSProviderBlock(tt.block)
			if tt.keys {
				block = srv.ProviderBlockWith(tt.block)
			}
			check := acctest.ExpectNoCalls
			if tt.callsMade {
				// STS refused: no Resource Directory call was made.
				check = func(e *emulator.Emulator) error {
					for _, c := range e.Calls() {
						if !strings.HasPrefix(c.Action, "AssumeRole") || c.Code == "" {
							return fmt.Errorf("unexpected call %s", c)
						}
					}
					return nil
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             srv.Check(check),
				Steps: []resource.TestStep{{
					Config:      block + `data "alicloudrd_message_contacts" "all" {}`,
					ExpectError: tt.want,
				}},
			})
		})
	}
}

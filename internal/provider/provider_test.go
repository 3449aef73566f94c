package provider

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// testAccProtoV6ProviderFactories serves the provider in-process with short
// waits, so polling tests and retries take milliseconds.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"alicloudrd": func() (tfprotov6.ProviderServer, error) {
		return acctest.Factories(New("test",
			WithPollInterval(20*time.Millisecond),
			WithRetryBackoff(time.Millisecond, 20*time.Millisecond),
		))["alicloudrd"]()
	},
}

func TestMain(m *testing.M) { acctest.Main(m) }

func TestAccProvider_reachesServer(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.Config(`data "alicloudrd_message_contacts" "all" {}`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.alicloudrd_message_contacts.all", "contacts.#", "0"),
				srv.Check(expectUserAgent),
			),
		}},
	})
}

// userAgentPattern is the User-Agent of every API call the provider makes in
// the acceptance tests: the CLI, the provider ("test") and then the SDK.
var userAgentPattern = regexp.MustCompile(`^Terraform/\d+\.\d+\.\d+\S* \(\+https://www\.terraform\.io\) ` +
	`terraform-provider-alicloudrd/test \(\+https://registry\.terraform\.io/providers/alicloudrd/alicloudrd\) AlibabaCloud \(`)

func expectUserAgent(e *emulator.Emulator) error {
	calls := e.Calls()
	if len(calls) == 0 {
		return errors.New("no API call served")
	}
	for _, c := range calls {
		if !userAgentPattern.MatchString(c.UserAgent) {
			return fmt.Errorf("%s: User-Agent %q does not match %s", c, c.UserAgent, userAgentPattern)
		}
	}
	return nil
}

func TestUserAgent(t *testing.T) {
	const reg = " (+https://registry.terraform.io/providers/alicloudrd/alicloudrd)"
	for _, tt := range []struct{ terraform, provider, want string }{
		{"1.16.0", "0.1.0", "Terraform/1.16.0 (+https://www.terraform.io) terraform-provider-alicloudrd/0.1.0" + reg},
		{"1.6.3", "dev", "Terraform/1.6.3 (+https://www.terraform.io) terraform-provider-alicloudrd/dev" + reg},
		{"", "0.1.0", "terraform-provider-alicloudrd/0.1.0" + reg},
	} {
		if got := userAgent(tt.terraform, tt.provider); got != tt.want {
			t.Errorf("userAgent(%q, %q) = %q, want %q", tt.terraform, tt.provider, got, tt.want)
		}
	}
}

func TestAccProvider_wrongSecret(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(srv.URL, acctest.AccessKeyID, "not-the-right-secret", "") +
				`data "alicloudrd_message_contacts" "all" {}`,
			ExpectError: regexp.MustCompile(`SignatureDoesNotMatch \(HTTP 400\)[\s\S]*RequestId:\s+[0-9A-F-]{36}`),
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(acctest.ExpectNoCalls),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "alicloudrd" {
  endpoint = %q
}
data "alicloudrd_message_contacts" "all" {}
`, srv.URL),
			ExpectError: regexp.MustCompile(`Missing credentials[\s\S]*Set access_key and secret_key`),
		}},
	})
}

// Configuration errors are found before any request: these tests need no server.
func TestAccProvider_configurationErrors(t *testing.T) {
	cases := map[string]struct {
		block string
		want  string
	}{
		"endpoint without scheme": {
			block: `endpoint = "127.0.0.1:8080"`,
			want:  `Invalid endpoint[\s\S]*the scheme is missing: start it with\s+https://`,
		},
		"endpoint with path": {
			block: `endpoint = "https://resourcedirectory.aliyuncs.com/v1"`,
			want:  `Invalid endpoint[\s\S]*the URL must not\s+have a path or query`,
		},
		"region": {
			block: `region = "Shanghai"`,
			want:  `Invalid Attribute Value Match[\s\S]*must be an Alibaba Cloud region ID such as\s+"cn-shanghai"`,
		},
		"site": {
			block: `site = "europe"`,
			want:  `Invalid Attribute Value Match[\s\S]*value must be one of: \["china"\s+"international"\]`,
		},
		"secret without key": {
			block: `secret_key = "s"`,
			want:  `Missing access_key[\s\S]*secret_key is set but access_key is not`,
		},
		"OIDC token twice": {
			block: `assume_role_with_oidc {
    oidc_token      = "a.b.c"
    oidc_token_file = "/run/token"
  }`,
			want: `Invalid Attribute Combination[\s\S]*oidc_token_file`,
		},
		"OIDC session too long": {
			block: `assume_role_with_oidc {
    session_expiration = 7200
  }`,
			want: `session_expiration value must be between 900\s+and 3600`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "alicloudrd" {
  %s
}
data "alicloudrd_message_contacts" "all" {}
`, tc.block),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestAccProvider_unknownValue(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ExternalProviders:        map[string]resource.ExternalProvider{},
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "later" {
  input = "http://127.0.0.1:1"
}
provider "alicloudrd" {
  endpoint   = terraform_data.later.output
  access_key = "k"
  secret_key = "s"
}
data "alicloudrd_message_contacts" "all" {}
`,
			ExpectError: regexp.MustCompile(`Unknown provider configuration value[\s\S]*"endpoint" depends on a value that\s+is known only after apply`),
		}},
	})
}

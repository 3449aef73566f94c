package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
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

func TestMain(m *testing.M) {
	cleanup, err := acctest.Setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

func TestAccProvider_reachesServer(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.Config(`data "alicloudrd_message_contacts" "all" {}`),
			Check:  resource.TestCheckResourceAttr("data.alicloudrd_message_contacts.all", "contacts.#", "0"),
		}},
	})
}

func TestAccProvider_wrongSecret(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "alicloudrd" {
  endpoint   = %q
  access_key = %q
  secret_key = "not-the-right-secret"
}
data "alicloudrd_message_contacts" "all" {}
`, srv.URL, acctest.AccessKeyID),
			ExpectError: regexp.MustCompile(`SignatureDoesNotMatch \(HTTP 400\)[\s\S]*RequestId:\s+[0-9A-F-]{36}`),
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(expectNoCalls),
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

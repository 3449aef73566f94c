package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
)

func TestAccNormalizePhoneNumberFunction(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.ProviderFunctions.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: srv.Config(`
output "spaced"   { value = provider::alicloudrd::normalize_phone_number("+86 139 1234 5678") }
output "prefixed" { value = provider::alicloudrd::normalize_phone_number("0086-13912345678") }
output "bare"     { value = provider::alicloudrd::normalize_phone_number("8613912345678") }
output "already"  { value = provider::alicloudrd::normalize_phone_number("86-13912345678") }
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("spaced", knownvalue.StringExact("86-13912345678")),
					statecheck.ExpectKnownOutputValue("prefixed", knownvalue.StringExact("86-13912345678")),
					statecheck.ExpectKnownOutputValue("bare", knownvalue.StringExact("86-13912345678")),
					statecheck.ExpectKnownOutputValue("already", knownvalue.StringExact("86-13912345678")),
				},
			},
			{
				Config:      srv.Config(`output "bad" { value = provider::alicloudrd::normalize_phone_number("call me maybe") }`),
				ExpectError: regexp.MustCompile(`Invalid value for "phone_number" parameter: cannot normalize phone_number:`),
			},
		},
	})
}

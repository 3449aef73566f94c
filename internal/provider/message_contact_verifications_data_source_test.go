package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

func TestAccMessageContactVerificationsDataSource_basic(t *testing.T) {
	// Seeded contacts have nothing pending; the two created here do.
	srv := acctest.NewServer(t, acctest.Options{PageSizeCap: 2, Seed: testAccContactsSeed[:2]})
	const all, one = "data.alicloudrd_message_contact_verifications.all", "data.alicloudrd_message_contact_verifications.one"
	config := srv.Config(`
resource "alicloudrd_message_contact" "a" {
  name          = "Ops"
  email_address = "ops@example.com"
  phone_number  = "86-13912345678"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
}

resource "alicloudrd_message_contact" "b" {
  name          = "Sre"
  email_address = "sre@example.com"
  title         = "MaintenanceDirector"
  message_types = ["FaultMessage"]
}

data "alicloudrd_message_contact_verifications" "all" {
  depends_on = [alicloudrd_message_contact.a, alicloudrd_message_contact.b]
}

data "alicloudrd_message_contact_verifications" "one" {
  contact_id = alicloudrd_message_contact.a.id
}
`)
	sameContact := statecheck.CompareValuePairs(
		one, tfjsonpath.New("verifications").AtSliceIndex(0).AtMapKey("contact_id"),
		"alicloudrd_message_contact.a", tfjsonpath.New("id"),
		compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: srv.Check(func(e *emulator.Emulator) error {
			// Only the seeded contacts are left.
			if cs := e.Contacts(); len(cs) != 2 {
				return fmt.Errorf("want the 2 seeded contacts left, got %d", len(cs))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					// Three pending targets at two a page: every page is read.
					resource.TestCheckResourceAttr(all, "verifications.#", "3"),
					resource.TestCheckTypeSetElemNestedAttrs(all, "verifications.*", map[string]string{"target": "ops@example.com", "target_type": "email"}),
					resource.TestCheckTypeSetElemNestedAttrs(all, "verifications.*", map[string]string{"target": "86-13912345678", "target_type": "phone"}),
					resource.TestCheckTypeSetElemNestedAttrs(all, "verifications.*", map[string]string{"target": "sre@example.com", "target_type": "email"}),
					resource.TestCheckNoResourceAttr(all, "contact_id"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameContact,
					statecheck.ExpectKnownValue(one, tfjsonpath.New("verifications"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"target": knownvalue.StringExact("ops@example.com"), "target_type": knownvalue.StringExact("email"),
						}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"target": knownvalue.StringExact("86-13912345678"), "target_type": knownvalue.StringExact("phone"),
						}),
					})),
				},
			},
			{
				// Verified: nothing left pending for that contact.
				PreConfig: srv.Outside(func(e *emulator.Emulator) error {
					for _, c := range e.Contacts() {
						if c.Name != "Ops" {
							continue
						}
						if err := e.Verify(c.ContactID, "ops@example.com"); err != nil {
							return err
						}
						return e.Verify(c.ContactID, "86-13912345678")
					}
					return nil
				}),
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(one, tfjsonpath.New("verifications"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("verifications"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"target": knownvalue.StringExact("sre@example.com"), "target_type": knownvalue.StringExact("email"),
						}),
					})),
				},
			},
			{
				Config: srv.Config(`
data "alicloudrd_message_contact_verifications" "missing" {
  contact_id = "c-000000000000"
}
`),
				ExpectError: acctest.ErrorMatching("Message contact not found", `No message contact has the ID "c-000000000000"`,
					rdclient.CodeContactNotFound+" (HTTP 404)"),
			},
		},
	})
}

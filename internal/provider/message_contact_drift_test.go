package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// Drift that histories (internal/histories) turned up, and the rule that an
// optional field the configuration does not set is not managed: each a
// replayed scenario.

// testAccSameContact checks that the contact in state is still the one
// remembered under "id": it was not replaced.
func testAccSameContact(srv *acctest.Server) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(testAccMessageContactName, "id", func(v string) error {
		if v != srv.Get("id") {
			return fmt.Errorf("the contact was replaced: %s, was %s", v, srv.Get("id"))
		}
		return nil
	})
}

// A contact whose phone number is left to a pending update: once the owner
// verifies it and the configuration asks for another number, the plan
// replaces the pending update and leaves the contact alone.
func TestAccMessageContactResource_verifiedPhoneNotManaged(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		config := func(phone string) string {
			return srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
`) + fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "phone" {
  contact_id        = alicloudrd_message_contact.test.id
  phone_number      = %q
  send_verification = false
}
`, phone))
		}
		const update = "alicloudrd_message_contact_pending_update.phone"
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps: []resource.TestStep{
				{
					Config: config("86-13900001111"),
					Check:  srv.Remember("id", testAccMessageContactName, "id"),
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("phone_number", knownvalue.Null()),
					},
				},
				{
					// The owner verifies the number: the contact records it;
					// nothing to do.
					PreConfig: srv.Outside(func(e *emulator.Emulator) error { return e.Verify(srv.Get("id"), "86-13900001111") }),
					Config:    config("86-13900001111"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13900001111")),
						statecheck.ExpectKnownValue(update, tfjsonpath.New("status"), knownvalue.StringExact("verified")),
					},
				},
				{
					// Another number: the pending update is replaced, the
					// contact is not (it was, before: "phone_number -> null
					// # forces replacement").
					Config: config("86-13900002222"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionNoop),
							plancheck.ExpectResourceAction(update, plancheck.ResourceActionDestroyBeforeCreate),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						testAccSameContact(srv),
						srv.Check(func(e *emulator.Emulator) error {
							c, _ := e.Contact(srv.Get("id"))
							if c.PhoneNumber != "86-13900001111" || c.PendingPhoneNumber != "86-13900002222" {
								return fmt.Errorf("emulator: phone %q pending %q, want 86-13900001111 pending 86-13900002222", c.PhoneNumber, c.PendingPhoneNumber)
							}
							return nil
						}),
					),
				},
			},
		})
	})
}

// Removing phone_number from a contact's configuration stops managing it:
// no replacement, no call, the number stays.
func TestAccMessageContactResource_phoneNumberUnset(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	config := func(phone string) string {
		return srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
` + phone))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				Config: config(`  phone_number = "86-13900001111"`),
				Check:  srv.Remember("id", testAccMessageContactName, "id"),
			},
			{
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccSameContact(srv),
					srv.Check(acctest.ExpectNoWrites),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13900001111")),
				},
			},
		},
	})
}

// A change Terraform requested, replaced by someone else's request before
// its owner verified it. In the effective read mode the plan requests the
// configured value again. In the requested mode the API cannot tell this
// from a change verified and then followed by another request: the plan
// keeps the value (requesting it again could withdraw the other request)
// and warns, and once that request is cancelled the plan requests it again.
func TestAccMessageContactResource_requestReplacedOutside(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		config := srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  phone_number  = "86-13900001111"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
`))
		requestedAgain := srv.Check(func(e *emulator.Emulator) error {
			c, _ := e.Contact(srv.Get("id"))
			if c.PendingPhoneNumber != "86-13900001111" {
				return fmt.Errorf("emulator: pending phone %q, want 86-13900001111 requested again", c.PendingPhoneNumber)
			}
			return nil
		})
		update := resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
		steps := []resource.TestStep{
			{
				Config: config,
				Check:  srv.Remember("id", testAccMessageContactName, "id"),
			},
		}
		replace := srv.Outside(func(e *emulator.Emulator) error { return e.RequestChange(srv.Get("id"), "86-13900502222") })
		if readMode == emulator.ReadModeEffective {
			steps = append(steps, resource.TestStep{
				PreConfig: replace, Config: config, ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(testAccSameContact(srv), requestedAgain),
			})
		} else {
			steps = append(steps, resource.TestStep{
				PreConfig: replace, Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			}, resource.TestStep{
				PreConfig: srv.Outside(func(e *emulator.Emulator) error { return e.CancelPending(srv.Get("id"), "86-13900502222") }),
				Config:    config, ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(testAccSameContact(srv), requestedAgain),
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps:                    steps,
		})
	})
}

// A contact updated in the apply that destroys its pending update: the
// cancellation changes the contact's pending phone number before the update
// reads the contact back. The apply ends with what it planned, and the next
// refresh records the cancellation. Before, Terraform failed the apply with
// "Provider produced inconsistent result after apply" (pending_phone_number
// was planned unchanged, but now null).
func TestAccMessageContactResource_updateWhilePendingUpdateDestroyed(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		contact := func(email string) string {
			return srv.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Ops"
  email_address = %q
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
`, email)))
		}
		const update = `
resource "alicloudrd_message_contact_pending_update" "phone" {
  contact_id        = alicloudrd_message_contact.test.id
  phone_number      = "86-13900001111"
  send_verification = false
}
`
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps: []resource.TestStep{
				{
					Config: contact("ops@example.com") + update,
					Check:  srv.Remember("id", testAccMessageContactName, "id"),
				},
				{
					// Refresh, so the contact's state shows the pending number.
					RefreshState: true,
					Check:        resource.TestCheckResourceAttr(testAccMessageContactName, "pending_phone_number", "86-13900001111"),
				},
				{
					Config: contact("oncall@example.com"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
							plancheck.ExpectResourceAction("alicloudrd_message_contact_pending_update.phone", plancheck.ResourceActionDestroy),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: testAccSameContact(srv),
				},
				{
					RefreshState: true,
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckNoResourceAttr(testAccMessageContactName, "pending_phone_number"),
						resource.TestCheckResourceAttr(testAccMessageContactName, "pending_email_address", "oncall@example.com"),
					),
				},
			},
		})
	})
}

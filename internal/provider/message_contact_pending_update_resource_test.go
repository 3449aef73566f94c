package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

const (
	testAccPendingUpdateResource = "alicloudrd_message_contact_pending_update.test"

	testAccPendingUpdateOldPhone = "86-13800138000"
	testAccPendingUpdateOldEmail = "ops@example.com"
	testAccPendingUpdateNewPhone = "86-13912345678"
	testAccPendingUpdateNewEmail = "ops.oncall@example.com"
)

// testAccPendingUpdateSeed is an Active contact with nothing pending.
func testAccPendingUpdateSeed(contactID string) []emulator.SeedContact {
	return []emulator.SeedContact{{
		ContactID:    contactID,
		Name:         "OpsTeam",
		EmailAddress: testAccPendingUpdateOldEmail,
		PhoneNumber:  testAccPendingUpdateOldPhone,
		Title:        "TechnicalDirector",
		MessageTypes: []string{"ServiceMessage", "FaultMessage"},
	}}
}

// testAccPendingUpdatePhone is a configuration requesting phone for contactID.
func testAccPendingUpdatePhone(providerBlock, contactID, phone, extra string) string {
	return providerBlock + fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "test" {
  contact_id   = %q
  phone_number = %q
%s
}
`, contactID, phone, extra)
}

// testAccPendingUpdateCancelled checks that the API received exactly one
// successful CancelMessageContactUpdate with exactly the pending value, and
// that the contact is back to its last verified value with nothing pending
// for that field.
func testAccPendingUpdateCancelled(contactID, param, value, restored string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		want := map[string]string{"ContactId": contactID, param: value}
		n := 0
		for _, c := range e.Calls() {
			if c.Action == rdclient.ActionCancelMessageContactUpdate && c.Code == "" && maps.Equal(c.Params, want) {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("want exactly one successful CancelMessageContactUpdate with %v, got %d; calls: %s", want, n, acctest.CallList(e))
		}
		snap, ok := e.Contact(contactID)
		if !ok {
			return fmt.Errorf("contact %s is gone", contactID)
		}
		effective, pending := snap.PhoneNumber, snap.PendingPhoneNumber
		if param == "EmailAddress" {
			effective, pending = snap.EmailAddress, snap.PendingEmailAddress
		}
		if pending != "" || effective != restored {
			return fmt.Errorf("contact %s: want %s %q with nothing pending, got %q pending %q", contactID, param, restored, effective, pending)
		}
		return nil
	}
}

// testAccPendingUpdatePending checks the emulator holds value as the
// contact's pending phone number or email address.
func testAccPendingUpdatePending(contactID, param, value string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		snap, ok := e.Contact(contactID)
		if !ok {
			return fmt.Errorf("contact %s is gone", contactID)
		}
		got := snap.PendingPhoneNumber
		if param == "EmailAddress" {
			got = snap.PendingEmailAddress
		}
		if got != value {
			return fmt.Errorf("contact %s: want %s %q pending, got %q", contactID, param, value, got)
		}
		return nil
	}
}

func testAccPendingUpdateNoCancel(e *emulator.Emulator) error {
	if n := e.CountCalls(rdclient.ActionCancelMessageContactUpdate); n != 0 {
		return fmt.Errorf("want no CancelMessageContactUpdate, got %d; calls: %s", n, acctest.CallList(e))
	}
	return nil
}

func testAccPendingUpdateStatus(name, status string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(name, tfjsonpath.New("status"), knownvalue.StringExact(status))
}

// create → pending with an empty follow-up plan; destroy cancels exactly the
// pending values and the contact gets its old values back.
func TestAccMessageContactPendingUpdate_basic(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-AbCdEfGh1234"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: resource.ComposeAggregateTestCheckFunc(
				srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
				srv.Check(testAccPendingUpdateCancelled(contactID, "EmailAddress", testAccPendingUpdateNewEmail, testAccPendingUpdateOldEmail)),
				srv.Check(func(e *emulator.Emulator) error {
					if snap, _ := e.Contact(contactID); snap.Status != emulator.StatusActive {
						return fmt.Errorf("contact status: want %s, got %s", emulator.StatusActive, snap.Status)
					}
					return nil
				}),
			),
			Steps: []resource.TestStep{{
				Config: testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "") + fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "email" {
  contact_id    = %q
  email_address = %q
}
`, contactID, testAccPendingUpdateNewEmail),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("id"),
							knownvalue.StringExact(contactID+":"+testAccPendingUpdateNewPhone)),
						plancheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("target_type"), knownvalue.StringExact("phone")),
						plancheck.ExpectUnknownValue(testAccPendingUpdateResource, tfjsonpath.New("status")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("id"),
						knownvalue.StringExact(contactID+":"+testAccPendingUpdateNewPhone)),
					testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending"),
					statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("target_type"), knownvalue.StringExact("phone")),
					statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("send_verification"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("email_address"), knownvalue.Null()),
					testAccPendingUpdateStatus("alicloudrd_message_contact_pending_update.email", "pending"),
					statecheck.ExpectKnownValue("alicloudrd_message_contact_pending_update.email", tfjsonpath.New("target_type"), knownvalue.StringExact("email")),
					statecheck.ExpectKnownValue("alicloudrd_message_contact_pending_update.email", tfjsonpath.New("id"),
						knownvalue.StringExact(contactID+":"+testAccPendingUpdateNewEmail)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
					srv.Check(testAccPendingUpdatePending(contactID, "EmailAddress", testAccPendingUpdateNewEmail)),
					srv.Check(func(e *emulator.Emulator) error {
						if p, m := e.CountCalls(rdclient.ActionSendPhoneVerificationForMessageContact), e.CountCalls(rdclient.ActionSendEmailVerificationForMessageContact); p != 1 || m != 1 {
							return fmt.Errorf("want one verification message per target, got phone %d, email %d", p, m)
						}
						return nil
					}),
				),
			}},
		})
	})
}

// Verified outside Terraform → status verified, empty plan; destroy sends no
// Cancel (the warning is checked in TestMessageContactPendingUpdate_delete).
func TestAccMessageContactPendingUpdate_verifiedOutside(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-VerIfied0001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		config := testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: resource.ComposeAggregateTestCheckFunc(
				srv.Check(testAccPendingUpdateNoCancel),
				srv.Check(func(e *emulator.Emulator) error {
					snap, _ := e.Contact(contactID)
					if snap.PhoneNumber != testAccPendingUpdateNewPhone || snap.PendingPhoneNumber != "" {
						return fmt.Errorf("want the verified phone %s kept, got %q pending %q", testAccPendingUpdateNewPhone, snap.PhoneNumber, snap.PendingPhoneNumber)
					}
					return nil
				}),
			),
			Steps: []resource.TestStep{
				{
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				},
				{
					PreConfig: srv.Outside(func(e *emulator.Emulator) error {
						return e.Verify(contactID, testAccPendingUpdateNewPhone)
					}),
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "verified")},
				},
			},
		})
	})
}

// Cancelled outside Terraform → the plan proposes to request it again, and
// applying does.
func TestAccMessageContactPendingUpdate_cancelledOutside(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-CanCelled001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		config := testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
			Steps: []resource.TestStep{
				{
					Config: config,
					Check:  srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
				},
				{
					PreConfig: srv.Outside(func(e *emulator.Emulator) error {
						return e.CancelPending(contactID, testAccPendingUpdateNewPhone)
					}),
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionCreate),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
					Check: resource.ComposeAggregateTestCheckFunc(
						srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
						// The change was requested twice.
						srv.Check(acctest.CountCalls(rdclient.ActionUpdateMessageContact, acctest.AnyCode, 2)),
					),
				},
			},
		})
	})
}

// Contact deleted outside Terraform → the plan proposes Create, applying
// names the missing contact, and destroy succeeds.
func TestAccMessageContactPendingUpdate_contactDeletedOutside(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-DeLeted00001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		config := testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: resource.ComposeAggregateTestCheckFunc(
				srv.Check(testAccPendingUpdateNoCancel),
				srv.Check(func(e *emulator.Emulator) error {
					if _, ok := e.Contact(contactID); ok {
						return fmt.Errorf("contact %s should be gone", contactID)
					}
					return nil
				}),
			),
			Steps: []resource.TestStep{
				{
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				},
				{
					PreConfig: srv.Outside(func(e *emulator.Emulator) error {
						return e.DeleteContact(contactID)
					}),
					Config:             config,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionCreate),
						},
					},
				},
				{
					Config:      config,
					ExpectError: acctest.ErrorMatching("Message contact not found", "Message contact "+contactID+" does not exist", "EntityNotExists.Contact (HTTP 404)"),
				},
			},
		})
	})
}

// Changing the target replaces the resource: the old value is cancelled and
// the new one requested, destroy-before-create and create-before-destroy.
func TestAccMessageContactPendingUpdate_replace(t *testing.T) {
	const (
		phoneB = "86-13700001111"
		phoneC = "86-13600002222"
	)
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-RePlace00001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", phoneC, testAccPendingUpdateOldPhone)),
			Steps: []resource.TestStep{
				{
					Config: testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, ""),
					Check:  srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
				},
				{
					Config: testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, phoneB, ""),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionDestroyBeforeCreate),
							plancheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("id"), knownvalue.StringExact(contactID+":"+phoneB)),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending"),
						statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("id"), knownvalue.StringExact(contactID+":"+phoneB)),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						// The old value was cancelled (and the old phone restored) before the new one was requested.
						srv.Check(func(e *emulator.Emulator) error {
							var seq []string
							for _, c := range e.Calls() {
								if c.Code != "" {
									continue
								}
								switch c.Action {
								case rdclient.ActionCancelMessageContactUpdate, rdclient.ActionUpdateMessageContact:
									seq = append(seq, c.Action+"="+c.Params["PhoneNumber"])
								}
							}
							want := []string{
								rdclient.ActionUpdateMessageContact + "=" + testAccPendingUpdateNewPhone,
								rdclient.ActionCancelMessageContactUpdate + "=" + testAccPendingUpdateNewPhone,
								rdclient.ActionUpdateMessageContact + "=" + phoneB,
							}
							if strings.Join(seq, " ") != strings.Join(want, " ") {
								return fmt.Errorf("want %v, got %v", want, seq)
							}
							return nil
						}),
						srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", phoneB)),
					),
				},
				{
					// create_before_destroy: the new request replaces the pending
					// value, so cancelling the old one finds it no longer pending
					// (ContactStatusMismatchAction) and succeeds after reading again.
					Config: testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, phoneC, `
  lifecycle {
    create_before_destroy = true
  }`),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionCreateBeforeDestroy),
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
					Check: resource.ComposeAggregateTestCheckFunc(
						srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", phoneC)),
						srv.Check(func(e *emulator.Emulator) error {
							for _, c := range e.Calls() {
								if c.Action == rdclient.ActionCancelMessageContactUpdate && c.Params["PhoneNumber"] == phoneB {
									if c.Code != rdclient.CodeStatusMismatch {
										return fmt.Errorf("cancelling %s: want %s, got %q", phoneB, rdclient.CodeStatusMismatch, c.Code)
									}
									return nil
								}
							}
							return fmt.Errorf("no CancelMessageContactUpdate for %s; calls: %s", phoneB, acctest.CallList(e))
						}),
					),
				},
			},
		})
	})
}

// send_verification = false requests the change and sends no message.
func TestAccMessageContactPendingUpdate_noSendVerification(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-NoSend000001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy: resource.ComposeAggregateTestCheckFunc(
				srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
				srv.Check(func(e *emulator.Emulator) error {
					if n := e.CountCalls(rdclient.ActionSendPhoneVerificationForMessageContact) + e.CountCalls(rdclient.ActionSendEmailVerificationForMessageContact); n != 0 {
						return fmt.Errorf("want no verification message sent, got %d Send calls", n)
					}
					return nil
				}),
			),
			Steps: []resource.TestStep{{
				Config: testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "  send_verification = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending"),
					statecheck.ExpectKnownValue(testAccPendingUpdateResource, tfjsonpath.New("send_verification"), knownvalue.Bool(false)),
				},
				Check: srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
			}},
		})
	})
}

// Requesting the value the contact already has ends verified at once.
func TestAccMessageContactPendingUpdate_alreadyEffective(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-AlreadySet01"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateNoCancel),
			Steps: []resource.TestStep{{
				Config:            testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateOldPhone, ""),
				ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "verified")},
			}},
		})
	})
}

// Import round-trip, and import IDs that are not <contact_id>:<target>.
func TestAccMessageContactPendingUpdate_import(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-ImPort000001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateCancelled(contactID, "EmailAddress", testAccPendingUpdateNewEmail, testAccPendingUpdateOldEmail)),
			Steps: []resource.TestStep{
				{
					Config: srv.Config(fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "test" {
  contact_id    = %q
  email_address = %q
}
`, contactID, testAccPendingUpdateNewEmail)),
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				},
				{
					ResourceName:      testAccPendingUpdateResource,
					ImportState:       true,
					ImportStateId:     contactID + ":" + testAccPendingUpdateNewEmail,
					ImportStateVerify: true,
				},
				{
					ResourceName:  testAccPendingUpdateResource,
					ImportState:   true,
					ImportStateId: contactID,
					ExpectError: acctest.ErrorMatching("Invalid import ID",
						`Expected an import ID of the form <contact_id>:<phone_number or email_address>, for example "c-qL4HqKONzOM7:86-13912345678"`),
				},
				{
					ResourceName:  testAccPendingUpdateResource,
					ImportState:   true,
					ImportStateId: contactID + ":139-1234",
					ExpectError:   acctest.ErrorMatching("Invalid import ID", "The phone_number part is not valid"),
				},
				{
					// A well-formed ID of a change that does not exist.
					ResourceName:  testAccPendingUpdateResource,
					ImportState:   true,
					ImportStateId: contactID + ":" + testAccPendingUpdateNewPhone,
					ExpectError: acctest.ErrorMatching("No such pending change", "Contact "+contactID+" has no pending change to phone number "+
						testAccPendingUpdateNewPhone, "nothing to import", "alicloudrd_message_contact_verifications"),
				},
			},
		})
	})
}

// Invalid phone, invalid email, both set, neither set and a bad wait are
// refused at plan time, without any API call.
func TestAccMessageContactPendingUpdate_invalidConfig(t *testing.T) {
	const contactID = "c-AbCdEfGh1234"
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccPendingUpdateSeed(contactID)})
	step := func(body string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{
			Config:      srv.Config(fmt.Sprintf("resource \"alicloudrd_message_contact_pending_update\" \"test\" {\n  contact_id = %q\n%s\n}\n", contactID, body)),
			PlanOnly:    true,
			ExpectError: want,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(acctest.ExpectNoCalls),
		Steps: []resource.TestStep{
			step(`  phone_number = "+86 139 1234 5678"`,
				acctest.ErrorMatching("Invalid Attribute Value", "Attribute phone_number is not a valid phone number", `write it as "86-13912345678"`)),
			step(`  phone_number = "86-12345"`,
				acctest.ErrorMatching("Invalid Attribute Value", "Attribute phone_number is not a valid phone number")),
			step(`  email_address = "Ops Team <ops@example.com>"`,
				acctest.ErrorMatching("Invalid Attribute Value", "Attribute email_address is not a valid email address")),
			step(`  email_address = "ops.example.com"`,
				acctest.ErrorMatching("Invalid Attribute Value", "Attribute email_address is not a valid email address")),
			step("  phone_number  = \"86-13912345678\"\n  email_address = \"ops@example.com\"",
				acctest.ErrorMatching("Invalid Attribute Combination", "2 attributes specified when one (and only one) of [phone_number,email_address] is required")),
			step("",
				acctest.ErrorMatching("Invalid Attribute Combination", "No attribute specified when one (and only one) of [phone_number,email_address] is required")),
			step("  phone_number = \"86-13912345678\"\n  wait_for_verification = \"10 minutes\"",
				acctest.ErrorMatching("Invalid Attribute Value", "Attribute wait_for_verification must be a positive duration with a unit", `got: "10 minutes"`)),
			{
				Config:      srv.Config("resource \"alicloudrd_message_contact_pending_update\" \"test\" {\n  contact_id   = \"contact-1\"\n  phone_number = \"86-13912345678\"\n}\n"),
				PlanOnly:    true,
				ExpectError: acctest.ErrorMatching("Invalid Attribute Value Match", "Attribute contact_id must be a message contact ID"),
			},
		},
	})
}

// testAccPendingUpdateThrottler throttles every call of the actions it is
// armed with until each has been answered Throttling.User n times, then lets
// them through: the provider must retry to succeed. It counts from the
// emulator's AfterCall hook, which runs before the throttled answer reaches
// the provider, so the retry after the n-th throttled call always goes
// through and every run makes the same calls.
type testAccPendingUpdateThrottler struct {
	srv  *acctest.Server
	mu   sync.Mutex
	left map[string]int // action -> Throttling.User answers still to give
}

// arm starts throttling actions, n times each.
func (th *testAccPendingUpdateThrottler) arm(n int, actions ...string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		th.mu.Lock()
		defer th.mu.Unlock()
		th.left = make(map[string]int, len(actions))
		for _, a := range actions {
			th.left[a] = n
		}
		th.applyLocked(e)
		return nil
	}
}

// afterCall is the emulator's AfterCall hook.
func (th *testAccPendingUpdateThrottler) afterCall(c emulator.Call) {
	th.mu.Lock()
	defer th.mu.Unlock()
	if c.Code != rdclient.CodeThrottlingUser || th.left[c.Action] == 0 {
		return
	}
	th.left[c.Action]--
	if th.left[c.Action] == 0 {
		th.applyLocked(th.srv.Emulator())
	}
}

// applyLocked sets the emulator's faults to throttle the actions that still
// have throttled answers to give; th.mu must be held.
func (th *testAccPendingUpdateThrottler) applyLocked(e *emulator.Emulator) {
	var still []string
	for a, n := range th.left {
		if n > 0 {
			still = append(still, a)
		}
	}
	if len(still) == 0 {
		e.SetFaults(emulator.Faults{})
		return
	}
	e.SetFaults(emulator.Faults{ThrottleRate: 1, Actions: still})
}

// testAccPendingUpdateRetried checks that each action was throttled n times
// and then succeeded exactly once.
func testAccPendingUpdateRetried(n int, actions ...string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		for _, a := range actions {
			throttled, ok := 0, 0
			for _, c := range e.Calls() {
				switch {
				case c.Action != a:
				case c.Code == rdclient.CodeThrottlingUser:
					throttled++
				case c.Code == "":
					ok++
				}
			}
			if throttled != n || ok != 1 {
				return fmt.Errorf("%s: want %d throttled calls then one success, got %d throttled, %d successful: %s",
					a, n, throttled, ok, acctest.CallList(e))
			}
		}
		return nil
	}
}

// Throttling injected during create and during delete: both succeed after
// retries.
func TestAccMessageContactPendingUpdate_throttling(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-ThroTTle0001"
		throttler := &testAccPendingUpdateThrottler{}
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID), AfterCall: throttler.afterCall})
		throttler.srv = srv
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					PreConfig: srv.Outside(throttler.arm(2,
						rdclient.ActionUpdateMessageContact, rdclient.ActionSendPhoneVerificationForMessageContact)),
					Config:            testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, ""),
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
					Check: resource.ComposeAggregateTestCheckFunc(
						srv.Check(testAccPendingUpdateRetried(2, rdclient.ActionUpdateMessageContact, rdclient.ActionSendPhoneVerificationForMessageContact)),
						srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
					),
				},
				{
					PreConfig: func() {
						srv.Outside(acctest.ResetCalls)()
						srv.Outside(throttler.arm(2, rdclient.ActionCancelMessageContactUpdate))()
					},
					Config: srv.Config(""),
					Check: resource.ComposeAggregateTestCheckFunc(
						srv.Check(testAccPendingUpdateRetried(2, rdclient.ActionCancelMessageContactUpdate)),
						srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
					),
				},
			},
		})
	})
}

// Throttling at a random rate on every call of create and delete, as set
// with acctest.Options.Faults: the outcome is the same as without it.
func TestAccMessageContactPendingUpdate_throttlingRandom(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-ThroTTle0002"
		srv := acctest.NewServer(t, acctest.Options{
			ReadMode: readMode,
			Seed:     testAccPendingUpdateSeed(contactID),
			Faults: emulator.Faults{ThrottleRate: 0.5, Actions: []string{
				rdclient.ActionUpdateMessageContact,
				rdclient.ActionSendPhoneVerificationForMessageContact,
				rdclient.ActionListMessageContactVerifications,
				rdclient.ActionCancelMessageContactUpdate,
			}},
		})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
			Steps: []resource.TestStep{{
				Config:            testAccPendingUpdatePhone(srv.ProviderBlockWith("  max_retries = 30"), contactID, testAccPendingUpdateNewPhone, ""),
				ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				Check:             srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
			}},
		})
	})
}

// wait_for_verification: the owner verifies during the wait, so create ends
// with the change verified. The owner acts at a fixed point of the wait,
// right after its second check (answered "still pending"), so every run
// makes the same calls.
func TestAccMessageContactPendingUpdate_waitVerified(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-WaitVerify01"
		var (
			srv       *acctest.Server
			mu        sync.Mutex
			requested bool // UpdateMessageContact succeeded
			checks    int  // ListMessageContactVerifications since then
		)
		verified := make(chan error, 1)
		owner := func(c emulator.Call) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case c.Action == rdclient.ActionUpdateMessageContact && c.Code == "" && c.Params["ContactId"] == contactID:
				requested = true
			case requested && c.Action == rdclient.ActionListMessageContactVerifications && c.Code == "" && c.Params["ContactId"] == contactID:
				checks++
				if checks == 2 {
					// The provider gets this check's answer (pending) only
					// once the owner has verified.
					verified <- srv.Emulator().Verify(contactID, testAccPendingUpdateNewPhone)
				}
			}
		}
		srv = acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID), AfterCall: owner})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateNoCancel),
			Steps: []resource.TestStep{{
				Config:            testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, `  wait_for_verification = "1m"`),
				ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "verified")},
				Check: func(*terraform.State) error {
					if !srv.Live() {
						return nil // recorded against a real endpoint: nobody verifies there
					}
					select {
					case err := <-verified:
						return err
					default:
						return fmt.Errorf("the owner never verified: the wait ended before its second check")
					}
				},
			}},
		})
	})
}

// wait_for_verification: nobody verifies; create fails with a clear message,
// the pending change stays in state (tainted) and destroy cancels it.
func TestAccMessageContactPendingUpdate_waitTimeout(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-WaitTimeout1"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		config := testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, `  wait_for_verification = "300ms"`)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
			Steps: []resource.TestStep{
				{
					Config: config,
					ExpectError: acctest.ErrorMatching("Message contact change still pending",
						"to phone number "+testAccPendingUpdateNewPhone+" was requested and is still pending: it was not verified within wait_for_verification (300ms)",
						"The owner of phone number "+testAccPendingUpdateNewPhone+" must verify it",
						"terraform destroy", "will cancel it"),
				},
				{
					// The pending change was kept in state, tainted: the plan replaces it.
					Config:             config,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPreRefresh:  []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionReplace)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccPendingUpdateResource, plancheck.ResourceActionReplace)},
					},
				},
			},
		})
	})
}

// The API calls each operation makes, as counted by the emulator:
// create 2, read while pending 1, delete 1.
func TestAccMessageContactPendingUpdate_apiCalls(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-ApiCalls0001"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		expect := func(op string, want ...string) func(*emulator.Emulator) error {
			return func(e *emulator.Emulator) error {
				if err := acctest.ExpectCalls(want)(e); err != nil {
					return fmt.Errorf("%s: %w", op, err)
				}
				t.Logf("%s: %d API call(s): %v", op, len(want), want)
				return nil
			}
		}
		resetCalls := srv.Outside(acctest.ResetCalls)
		config := testAccPendingUpdatePhone(srv.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					PreConfig: resetCalls,
					Config:    config,
					Check: srv.Check(expect("create",
						rdclient.ActionUpdateMessageContact, rdclient.ActionSendPhoneVerificationForMessageContact)),
				},
				{
					PreConfig:    resetCalls,
					RefreshState: true,
					Check:        srv.Check(expect("read while pending", rdclient.ActionListMessageContactVerifications)),
				},
				{
					// Removing the resource from the configuration: the plan's
					// refresh reads it (1 call), the apply cancels it (1 call).
					PreConfig: resetCalls,
					Config:    srv.Config(""),
					Check: srv.Check(expect("refresh + delete",
						rdclient.ActionListMessageContactVerifications, rdclient.ActionCancelMessageContactUpdate)),
				},
			},
		})
	})
}

// pendingUpdateFakeAPI answers the calls the resource makes from scripted
// functions; any other call panics (the embedded interface is nil).
type pendingUpdateFakeAPI struct {
	rdclient.API

	mu     sync.Mutex
	calls  []string
	update func(rdclient.UpdateMessageContactInput) error
	send   func() error
	cancel func(n int) error
	list   func(n int) ([]rdclient.ContactVerification, error)
	get    func(n int) (*rdclient.Contact, error)
}

func (f *pendingUpdateFakeAPI) record(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, action)
	n := 0
	for _, c := range f.calls {
		if c == action {
			n++
		}
	}
	return n
}

func (f *pendingUpdateFakeAPI) UpdateMessageContact(_ context.Context, in rdclient.UpdateMessageContactInput) error {
	f.record(rdclient.ActionUpdateMessageContact)
	return f.update(in)
}

func (f *pendingUpdateFakeAPI) SendPhoneVerificationForMessageContact(context.Context, string, string) error {
	f.record(rdclient.ActionSendPhoneVerificationForMessageContact)
	return f.send()
}

func (f *pendingUpdateFakeAPI) CancelMessageContactUpdate(_ context.Context, _ rdclient.CancelMessageContactUpdateInput) error {
	return f.cancel(f.record(rdclient.ActionCancelMessageContactUpdate))
}

func (f *pendingUpdateFakeAPI) ListAllMessageContactVerifications(_ context.Context, _ string) ([]rdclient.ContactVerification, error) {
	return f.list(f.record(rdclient.ActionListMessageContactVerifications))
}

func (f *pendingUpdateFakeAPI) GetMessageContact(_ context.Context, _ string) (*rdclient.Contact, error) {
	return f.get(f.record(rdclient.ActionGetMessageContact))
}

func pendingUpdateTestAPIError(action, code string, status int) error {
	return &rdclient.APIError{Action: action, Code: code, HTTPStatus: status, Message: "scripted " + code,
		RequestID: "5F3A2C1B-0000-4000-8000-000000000001"}
}

const pendingUpdateTestContact = "c-AbCdEfGh1234"

// pendingUpdateTestModel is a phone change of pendingUpdateTestContact in state.
func pendingUpdateTestModel(status, deleteTimeout string) messageContactPendingUpdateModel {
	to := map[string]attr.Value{"create": types.StringNull(), "delete": types.StringNull()}
	if deleteTimeout != "" {
		to["delete"] = types.StringValue(deleteTimeout)
	}
	return messageContactPendingUpdateModel{
		ID:                  types.StringValue(pendingUpdateTestContact + ":" + testAccPendingUpdateNewPhone),
		ContactID:           types.StringValue(pendingUpdateTestContact),
		PhoneNumber:         types.StringValue(testAccPendingUpdateNewPhone),
		EmailAddress:        types.StringNull(),
		SendVerification:    types.BoolValue(true),
		WaitForVerification: types.StringNull(),
		Status:              types.StringValue(status),
		TargetType:          types.StringValue("phone"),
		Timeouts: timeouts.Value{Object: types.ObjectValueMust(
			map[string]attr.Type{"create": types.StringType, "delete": types.StringType}, to)},
	}
}

func pendingUpdateTestSchema(t *testing.T, r fwresource.Resource) (tfsdk.State, tfsdk.Plan) {
	t.Helper()
	var sresp fwresource.SchemaResponse
	r.Schema(context.Background(), fwresource.SchemaRequest{}, &sresp)
	if sresp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", sresp.Diagnostics)
	}
	null := tftypes.NewValue(sresp.Schema.Type().TerraformType(context.Background()), nil)
	return tfsdk.State{Schema: sresp.Schema, Raw: null}, tfsdk.Plan{Schema: sresp.Schema, Raw: null}
}

func pendingUpdateTestDiags(diags interface {
	ErrorsCount() int
	WarningsCount() int
}) string {
	return fmt.Sprintf("%d error(s), %d warning(s)", diags.ErrorsCount(), diags.WarningsCount())
}

// Delete decides from facts: every outcome of CancelMessageContactUpdate.
func TestMessageContactPendingUpdate_delete(t *testing.T) {
	notFound := func(action string) error { return pendingUpdateTestAPIError(action, rdclient.CodeContactNotFound, 404) }
	mismatch := pendingUpdateTestAPIError(rdclient.ActionCancelMessageContactUpdate, rdclient.CodeStatusMismatch, 400)
	pendingList := func(int) ([]rdclient.ContactVerification, error) {
		return []rdclient.ContactVerification{{ContactID: pendingUpdateTestContact, Target: testAccPendingUpdateNewPhone}}, nil
	}
	emptyList := func(int) ([]rdclient.ContactVerification, error) { return []rdclient.ContactVerification{}, nil }
	contactWith := func(phone, status string) func(int) (*rdclient.Contact, error) {
		return func(int) (*rdclient.Contact, error) {
			return &rdclient.Contact{ContactID: pendingUpdateTestContact, PhoneNumber: phone, Status: status}, nil
		}
	}
	tests := map[string]struct {
		status, deleteTimeout string
		fake                  *pendingUpdateFakeAPI
		wantCalls             []string
		wantError, wantWarn   *regexp.Regexp
	}{
		"cancelled": {
			status:    "pending",
			fake:      &pendingUpdateFakeAPI{cancel: func(int) error { return nil }},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate},
		},
		"verified in state: no call, a warning": {
			status:   "verified",
			wantWarn: regexp.MustCompile(`was verified and is now the contact's value; it cannot be cancelled any more\. Terraform forgets it`),
		},
		"contact missing": {
			status:    "pending",
			fake:      &pendingUpdateFakeAPI{cancel: func(int) error { return notFound(rdclient.ActionCancelMessageContactUpdate) }},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate},
		},
		"mismatch, verified meanwhile": {
			status: "pending",
			fake: &pendingUpdateFakeAPI{
				cancel: func(int) error { return mismatch },
				list:   emptyList,
				get:    contactWith(testAccPendingUpdateNewPhone, rdclient.ContactStatusActive),
			},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate, rdclient.ActionListMessageContactVerifications, rdclient.ActionGetMessageContact},
			wantWarn:  regexp.MustCompile(`it cannot be cancelled any more`),
		},
		"mismatch, already withdrawn": {
			status: "pending",
			fake: &pendingUpdateFakeAPI{
				cancel: func(int) error { return mismatch },
				list:   emptyList,
				get:    contactWith(testAccPendingUpdateOldPhone, rdclient.ContactStatusActive),
			},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate, rdclient.ActionListMessageContactVerifications, rdclient.ActionGetMessageContact},
		},
		"mismatch, contact gone meanwhile": {
			status: "pending",
			fake: &pendingUpdateFakeAPI{
				cancel: func(int) error { return mismatch },
				list: func(int) ([]rdclient.ContactVerification, error) {
					return nil, notFound(rdclient.ActionListMessageContactVerifications)
				},
			},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate, rdclient.ActionListMessageContactVerifications},
		},
		"mismatch while the contact is deleting, then gone": {
			status: "pending",
			fake: &pendingUpdateFakeAPI{
				cancel: func(n int) error {
					if n == 1 {
						return mismatch
					}
					return notFound(rdclient.ActionCancelMessageContactUpdate)
				},
				list: emptyList,
				get:  contactWith(testAccPendingUpdateOldPhone, rdclient.ContactStatusDeleting),
			},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate, rdclient.ActionListMessageContactVerifications,
				rdclient.ActionGetMessageContact, rdclient.ActionCancelMessageContactUpdate},
		},
		"mismatch while still pending, until the delete timeout": {
			status:        "pending",
			deleteTimeout: "60ms",
			fake: &pendingUpdateFakeAPI{
				cancel: func(int) error { return mismatch },
				list:   pendingList,
				get:    contactWith(testAccPendingUpdateNewPhone, rdclient.ContactStatusVerifying),
			},
			wantError: regexp.MustCompile(`(?s)is still pending, but the API refused to cancel it until the delete timeout \(60ms\) ran out: ` +
				`CancelMessageContactUpdate failed: ContactStatusMismatchAction \(HTTP 400\).*RequestId: 5F3A2C1B.*raise timeouts\.delete`),
		},
		"other API error": {
			status: "pending",
			fake: &pendingUpdateFakeAPI{cancel: func(int) error {
				return pendingUpdateTestAPIError(rdclient.ActionCancelMessageContactUpdate, "InvalidParameter.PhoneNumber", 400)
			}},
			wantCalls: []string{rdclient.ActionCancelMessageContactUpdate},
			wantError: regexp.MustCompile(`InvalidParameter\.PhoneNumber \(HTTP 400\): scripted InvalidParameter\.PhoneNumber \(RequestId: 5F3A2C1B-0000-4000-8000-000000000001\)`),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			fake := tc.fake
			if fake == nil {
				fake = &pendingUpdateFakeAPI{}
			}
			r := &messageContactPendingUpdateResource{client: fake, pollInterval: 5 * time.Millisecond}
			state, _ := pendingUpdateTestSchema(t, r)
			model := pendingUpdateTestModel(tc.status, tc.deleteTimeout)
			if diags := state.Set(ctx, &model); diags.HasError() {
				t.Fatalf("state: %v", diags)
			}
			resp := &fwresource.DeleteResponse{State: state}
			r.Delete(ctx, fwresource.DeleteRequest{State: state}, resp)

			if tc.wantCalls != nil && strings.Join(fake.calls, " ") != strings.Join(tc.wantCalls, " ") {
				t.Errorf("calls: want %v, got %v", tc.wantCalls, fake.calls)
			}
			if tc.wantCalls == nil && tc.wantError == nil && len(fake.calls) != 0 {
				t.Errorf("want no call, got %v", fake.calls)
			}
			errs, warns := resp.Diagnostics.Errors(), resp.Diagnostics.Warnings()
			switch {
			case tc.wantError == nil && len(errs) > 0:
				t.Errorf("unexpected error: %s: %s", errs[0].Summary(), errs[0].Detail())
			case tc.wantError != nil && (len(errs) != 1 || !tc.wantError.MatchString(errs[0].Detail())):
				t.Errorf("want one error matching %s, got %s: %v", tc.wantError, pendingUpdateTestDiags(resp.Diagnostics), errs)
			}
			switch {
			case tc.wantWarn == nil && len(warns) > 0:
				t.Errorf("unexpected warning: %s", warns[0].Detail())
			case tc.wantWarn != nil && (len(warns) != 1 || !tc.wantWarn.MatchString(warns[0].Detail())):
				t.Errorf("want one warning matching %s, got %s: %v", tc.wantWarn, pendingUpdateTestDiags(resp.Diagnostics), warns)
			}
		})
	}
}

// A request whose response was lost is adopted when the value turns out to
// be pending: the verification message is still sent and nothing fails.
func TestMessageContactPendingUpdate_createAdoptsPending(t *testing.T) {
	ctx := context.Background()
	fake := &pendingUpdateFakeAPI{
		update: func(rdclient.UpdateMessageContactInput) error {
			return fmt.Errorf("UpdateMessageContact: connection reset by peer")
		},
		list: func(int) ([]rdclient.ContactVerification, error) {
			return []rdclient.ContactVerification{{ContactID: pendingUpdateTestContact, Target: testAccPendingUpdateNewPhone}}, nil
		},
		send: func() error { return nil },
	}
	r := &messageContactPendingUpdateResource{client: fake, pollInterval: 5 * time.Millisecond}
	state, plan := pendingUpdateTestSchema(t, r)
	model := pendingUpdateTestModel("", "")
	model.ID, model.Status, model.TargetType = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	if diags := plan.Set(ctx, &model); diags.HasError() {
		t.Fatalf("plan: %v", diags)
	}
	resp := &fwresource.CreateResponse{State: state}
	r.Create(ctx, fwresource.CreateRequest{Plan: plan}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("unexpected diagnostics: %v", resp.Diagnostics)
	}
	want := []string{rdclient.ActionUpdateMessageContact, rdclient.ActionListMessageContactVerifications, rdclient.ActionSendPhoneVerificationForMessageContact}
	if strings.Join(fake.calls, " ") != strings.Join(want, " ") {
		t.Errorf("calls: want %v, got %v", want, fake.calls)
	}
	var got messageContactPendingUpdateModel
	resp.Diagnostics.Append(resp.State.Get(ctx, &got)...)
	if got.Status.ValueString() != "pending" || got.ID.ValueString() != pendingUpdateTestContact+":"+testAccPendingUpdateNewPhone {
		t.Errorf("state: want pending %s:%s, got %s %s", pendingUpdateTestContact, testAccPendingUpdateNewPhone, got.Status, got.ID)
	}
}

// Create decides from the API's answers: every outcome of the request, the
// verification message and the read back, and what is saved in state.
func TestMessageContactPendingUpdate_create(t *testing.T) {
	const (
		update = rdclient.ActionUpdateMessageContact
		send   = rdclient.ActionSendPhoneVerificationForMessageContact
		list   = rdclient.ActionListMessageContactVerifications
		get    = rdclient.ActionGetMessageContact
	)
	pending := func(int) ([]rdclient.ContactVerification, error) {
		return []rdclient.ContactVerification{{ContactID: pendingUpdateTestContact, Target: testAccPendingUpdateNewPhone}}, nil
	}
	nothingPending := func(int) ([]rdclient.ContactVerification, error) { return nil, nil }
	contact := func(phone, status string) func(int) (*rdclient.Contact, error) {
		return func(int) (*rdclient.Contact, error) {
			return &rdclient.Contact{ContactID: pendingUpdateTestContact, PhoneNumber: phone, Status: status}, nil
		}
	}
	noVerification := pendingUpdateTestAPIError(send, rdclient.CodeVerificationNotFound, 404)
	tests := map[string]struct {
		noSend     bool
		fake       *pendingUpdateFakeAPI
		wantCalls  []string
		wantStatus string   // "" when nothing is saved
		wantError  []string // summary, then phrases of the detail
	}{
		"sent": {
			fake:      &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil }, send: func() error { return nil }},
			wantCalls: []string{update, send}, wantStatus: "pending",
		},
		"send limit reached: saved pending, with the advice": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil },
				send: func() error { return pendingUpdateTestAPIError(send, "SendValidateCodeExceedsLimitForAccount", 409) }},
			wantCalls: []string{update, send}, wantStatus: "pending",
			wantError: []string{"Cannot send the verification message", "was requested and is pending", "(HTTP 409)",
				"100 a day", "marked it tainted"},
		},
		"already the contact's value": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil },
				send: func() error { return noVerification }, list: nothingPending, get: contact(" "+testAccPendingUpdateNewPhone, "Active")},
			wantCalls: []string{update, send, list, get}, wantStatus: "verified",
		},
		"contact being deleted": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil },
				send: func() error { return noVerification }, list: nothingPending, get: contact(testAccPendingUpdateOldPhone, "Deleting")},
			wantCalls: []string{update, send, list, get},
			wantError: []string{"Message contact is being deleted", "Wait until the deletion ends"},
		},
		"neither pending nor the value": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil },
				send: func() error { return noVerification }, list: nothingPending, get: contact(testAccPendingUpdateOldPhone, "Active")},
			wantCalls: []string{update, send, list, get},
			wantError: []string{"Message contact change not recorded", "status is Active and it shows phone number " + testAccPendingUpdateOldPhone},
		},
		"contact missing": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error {
				return pendingUpdateTestAPIError(update, rdclient.CodeContactNotFound, 404)
			}},
			wantCalls: []string{update},
			wantError: []string{"Message contact not found", "does not exist", "alicloudrd_message_contacts"},
		},
		"request refused, not pending: permission advice": {
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error {
				return pendingUpdateTestAPIError(update, "Forbidden.RAM", 403)
			}, list: nothingPending},
			wantCalls: []string{update, list},
			wantError: []string{"Cannot request the message contact change", "Requesting phone number " + testAccPendingUpdateNewPhone +
				" for contact " + pendingUpdateTestContact + " failed", "(HTTP 403)", "resourcemanager:UpdateMessageContact"},
		},
		"no message sent, pending": {
			noSend:    true,
			fake:      &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil }, list: pending},
			wantCalls: []string{update, list}, wantStatus: "pending",
		},
		"no message sent, read back fails: saved pending": {
			noSend: true,
			fake: &pendingUpdateFakeAPI{update: func(rdclient.UpdateMessageContactInput) error { return nil },
				list: func(int) ([]rdclient.ContactVerification, error) {
					return nil, pendingUpdateTestAPIError(list, "ServiceUnavailable", 503)
				}},
			wantCalls: []string{update, list}, wantStatus: "pending",
			wantError: []string{"Cannot confirm the message contact change", "(HTTP 503)", "usually temporary", "marked it tainted"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			fake := tc.fake
			r := &messageContactPendingUpdateResource{client: fake, pollInterval: 5 * time.Millisecond}
			state, plan := pendingUpdateTestSchema(t, r)
			model := pendingUpdateTestModel("", "")
			model.ID, model.Status, model.TargetType = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
			model.SendVerification = types.BoolValue(!tc.noSend)
			if diags := plan.Set(ctx, &model); diags.HasError() {
				t.Fatalf("plan: %v", diags)
			}
			resp := &fwresource.CreateResponse{State: state}
			r.Create(ctx, fwresource.CreateRequest{Plan: plan}, resp)

			if strings.Join(fake.calls, " ") != strings.Join(tc.wantCalls, " ") {
				t.Errorf("calls: want %v, got %v", tc.wantCalls, fake.calls)
			}
			errs := resp.Diagnostics.Errors()
			switch {
			case len(tc.wantError) == 0 && len(errs) > 0:
				t.Errorf("unexpected diagnostics: %v", resp.Diagnostics)
			case len(tc.wantError) > 0 && len(errs) != 1:
				t.Errorf("want one error %q, got %v", tc.wantError[0], resp.Diagnostics)
			case len(tc.wantError) > 0:
				if errs[0].Summary() != tc.wantError[0] {
					t.Errorf("summary: want %q, got %q", tc.wantError[0], errs[0].Summary())
				}
				for _, phrase := range tc.wantError[1:] {
					if !strings.Contains(errs[0].Detail(), phrase) {
						t.Errorf("detail lacks %q:\n%s", phrase, errs[0].Detail())
					}
				}
			}
			if tc.wantStatus == "" {
				if !resp.State.Raw.IsNull() {
					t.Errorf("state: want nothing saved, got %v", resp.State.Raw)
				}
				return
			}
			var got messageContactPendingUpdateModel
			if diags := resp.State.Get(ctx, &got); diags.HasError() {
				t.Fatalf("state: %v", diags)
			}
			if got.Status.ValueString() != tc.wantStatus || got.ID.ValueString() != pendingUpdateTestContact+":"+testAccPendingUpdateNewPhone ||
				got.TargetType.ValueString() != "phone" {
				t.Errorf("state: want %s %s:%s phone, got %s %s %s", tc.wantStatus, pendingUpdateTestContact, testAccPendingUpdateNewPhone,
					got.Status, got.ID, got.TargetType)
			}
		})
	}
}

package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
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

const testAccMessageContactName = "alicloudrd_message_contact.test"

// Action sequences of one Read, as the emulator serves them.
var testAccMessageContactReadCalls = []string{
	rdclient.ActionGetMessageContact, rdclient.ActionListMessageContactVerifications,
}

// testAccNameCheckCalls are the plan-time check of a new contact name: one
// ListMessageContacts by the plan, one by the apply's final plan.
var testAccNameCheckCalls = []string{rdclient.ActionListMessageContacts, rdclient.ActionListMessageContacts}

// testAccMessageContactHCL renders a contact resource named "test".
func testAccMessageContactHCL(attrs string) string {
	return fmt.Sprintf(`
resource "alicloudrd_message_contact" "test" {
%s
}
`, attrs)
}

// testAccMessageContactExpectAsyncDelete checks a refresh, one
// DeleteMessageContact and then deletion-status polls ending with the
// contact gone.
func testAccMessageContactExpectAsyncDelete(e *emulator.Emulator) error {
	got := acctest.CallList(e)
	prefix := append(slices.Clone(testAccMessageContactReadCalls), rdclient.ActionDeleteMessageContact)
	if len(got) < len(prefix)+1 || !slices.Equal(got[:len(prefix)], prefix) {
		return fmt.Errorf("API calls: got %v, want %v then deletion-status polls", got, prefix)
	}
	polls := got[len(prefix):]
	last := rdclient.ActionGetMessageContactDeletionStatus + "(" + rdclient.CodeContactNotFound + ")"
	for i, a := range polls {
		if i == len(polls)-1 && a != last {
			return fmt.Errorf("last API call: got %s, want %s; calls %v", a, last, got)
		}
		if i < len(polls)-1 && a != rdclient.ActionGetMessageContactDeletionStatus {
			return fmt.Errorf("API call %d: got %s, want %s; calls %v", len(prefix)+i, a, rdclient.ActionGetMessageContactDeletionStatus, got)
		}
	}
	return nil
}

// testAccMessageContactGone checks the emulator holds no contact.
func testAccMessageContactGone(e *emulator.Emulator) error {
	if cs := e.Contacts(); len(cs) != 0 {
		return fmt.Errorf("want no contact left, the emulator holds %d (first: %s %q)", len(cs), cs[0].ContactID, cs[0].Name)
	}
	return nil
}

// testAccMessageContactStored compares the emulator's copy of the contact
// remembered under "id" with want (ContactID, Status, CreateDate ignored).
func testAccMessageContactStored(srv *acctest.Server, want emulator.ContactSnapshot) func(*terraform.State) error {
	return srv.Check(func(e *emulator.Emulator) error {
		id := srv.Get("id")
		got, ok := e.Contact(id)
		if !ok {
			return fmt.Errorf("contact %s does not exist in the emulator", id)
		}
		slices.Sort(got.MessageTypes)
		slices.Sort(got.Members)
		want.ContactID, want.Status, want.CreateDate = got.ContactID, got.Status, got.CreateDate
		slices.Sort(want.MessageTypes)
		slices.Sort(want.Members)
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			return fmt.Errorf("contact %s in the emulator:\n got %+v\nwant %+v", id, got, want)
		}
		return nil
	})
}

func testAccMessageContactValue(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(testAccMessageContactName, tfjsonpath.New(attr), v)
}

func testAccStringSet(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.SetExact(checks)
}

// testAccMessageContactClient is an API client outside Terraform, for
// changes someone else makes. Its calls go to the test's server, so they are
// recorded and replayed like the provider's.
func testAccMessageContactClient(t *testing.T, srv *acctest.Server) rdclient.API {
	t.Helper()
	cred, err := rdclient.NewCredential(rdclient.CredentialConfig{AccessKey: acctest.AccessKeyID, SecretKey: acctest.AccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	c, err := rdclient.New(rdclient.Config{Endpoint: srv.URL, RegionID: "cn-shanghai", Credential: cred, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAccMessageContactResource_crud(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	created := testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  phone_number  = "86-13912345678"
  title         = "TechnicalDirector"
  message_types = ["FaultMessage", "SecurityMessage"]
  members       = ["1512345678901234", "fd-QRzuWtXd2m"]
`)
	updated := testAccMessageContactHCL(`
  name                         = "Sre"
  email_address                = "sre@example.com"
  phone_number                 = "86-13812345678"
  title                        = "MaintenanceDirector"
  message_types                = ["AccountExpenses"]
  members                      = ["fd-QRzuWtXd2m", "rd-3G3LEe"]
  retain_in_members_on_destroy = false

  timeouts {
    delete = "2m"
  }
`)
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				// Create: the name checked at plan time (by the plan, then by
				// the apply's final plan), AddMessageContact, one
				// AssociateMembers, then one read back.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(created),
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Remember("id", testAccMessageContactName, "id"),
					srv.Check(acctest.ExpectCalls(
						testAccNameCheckCalls,
						[]string{rdclient.ActionAddMessageContact, rdclient.ActionAssociateMembers},
						testAccMessageContactReadCalls)),
					testAccMessageContactStored(srv, emulator.ContactSnapshot{
						Name: "Ops", PendingEmailAddress: "ops@example.com", PendingPhoneNumber: "86-13912345678",
						Title: "TechnicalDirector", MessageTypes: []string{"FaultMessage", "SecurityMessage"},
						Members: []string{"1512345678901234", "fd-QRzuWtXd2m"},
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testAccMessageContactName, tfjsonpath.New("id")),
					testAccMessageContactValue("id", knownvalue.StringRegexp(regexp.MustCompile(`^c-[A-Za-z0-9]{12}$`))),
					testAccMessageContactValue("name", knownvalue.StringExact("Ops")),
					testAccMessageContactValue("email_address", knownvalue.StringExact("ops@example.com")),
					testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13912345678")),
					testAccMessageContactValue("title", knownvalue.StringExact("TechnicalDirector")),
					testAccMessageContactValue("message_types", testAccStringSet("FaultMessage", "SecurityMessage")),
					testAccMessageContactValue("members", testAccStringSet("1512345678901234", "fd-QRzuWtXd2m")),
					testAccMessageContactValue("retain_in_members_on_destroy", knownvalue.Bool(true)),
					testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					testAccMessageContactValue("create_date", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`))),
					testAccMessageContactValue("pending_email_address", knownvalue.StringExact("ops@example.com")),
					testAccMessageContactValue("pending_phone_number", knownvalue.StringExact("86-13912345678")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Every attribute changes in place: a refresh, one
				// UpdateMessageContact, one DisassociateMembers, one
				// AssociateMembers, and a read back for the new pending values.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(testAccMessageContactName, tfjsonpath.New("pending_email_address")),
						plancheck.ExpectKnownValue(testAccMessageContactName, tfjsonpath.New("create_date"), knownvalue.NotNull()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.ExpectCalls(
						testAccMessageContactReadCalls,
						testAccNameCheckCalls, // a new name
						[]string{rdclient.ActionUpdateMessageContact, rdclient.ActionDisassociateMembers, rdclient.ActionAssociateMembers},
						testAccMessageContactReadCalls)),
					testAccMessageContactStored(srv, emulator.ContactSnapshot{
						Name: "Sre", PendingEmailAddress: "sre@example.com", PendingPhoneNumber: "86-13812345678",
						Title: "MaintenanceDirector", MessageTypes: []string{"AccountExpenses"},
						Members: []string{"fd-QRzuWtXd2m", "rd-3G3LEe"},
					}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(testAccMessageContactName, tfjsonpath.New("id")),
					testAccMessageContactValue("name", knownvalue.StringExact("Sre")),
					testAccMessageContactValue("email_address", knownvalue.StringExact("sre@example.com")),
					testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13812345678")),
					testAccMessageContactValue("title", knownvalue.StringExact("MaintenanceDirector")),
					testAccMessageContactValue("message_types", testAccStringSet("AccountExpenses")),
					testAccMessageContactValue("members", testAccStringSet("fd-QRzuWtXd2m", "rd-3G3LEe")),
					testAccMessageContactValue("retain_in_members_on_destroy", knownvalue.Bool(false)),
					testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					testAccMessageContactValue("pending_email_address", knownvalue.StringExact("sre@example.com")),
					testAccMessageContactValue("pending_phone_number", knownvalue.StringExact("86-13812345678")),
				},
			},
			{
				// The owners verify outside Terraform: nothing to change,
				// the contact is Active with nothing pending.
				PreConfig: func() {
					srv.Outside(func(e *emulator.Emulator) error {
						if err := e.Verify(srv.Get("id"), "sre@example.com"); err != nil {
							return err
						}
						return e.Verify(srv.Get("id"), "86-13812345678")
					})()
					srv.Outside(acctest.ResetCalls)()
				},
				Config: srv.Config(updated),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: srv.Check(acctest.ExpectCalls(testAccMessageContactReadCalls)),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("email_address", knownvalue.StringExact("sre@example.com")),
					testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13812345678")),
					testAccMessageContactValue("status", knownvalue.StringExact("Active")),
					testAccMessageContactValue("pending_email_address", knownvalue.Null()),
					testAccMessageContactValue("pending_phone_number", knownvalue.Null()),
				},
			},
			{
				// Changing only how it is destroyed calls nothing and keeps
				// the computed values known in the plan.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(strings.Replace(updated, "retain_in_members_on_destroy = false", "retain_in_members_on_destroy = true", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(testAccMessageContactName, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
						plancheck.ExpectKnownValue(testAccMessageContactName, tfjsonpath.New("pending_email_address"), knownvalue.Null()),
					},
				},
				Check: srv.Check(acctest.ExpectCalls(testAccMessageContactReadCalls)),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("retain_in_members_on_destroy", knownvalue.Bool(true)),
				},
			},
			{
				// Delete with retain_in_members_on_destroy = true: one
				// synchronous DeleteMessageContact after the refresh.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(""),
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.ExpectCalls(testAccMessageContactReadCalls, []string{rdclient.ActionDeleteMessageContact})),
					srv.Check(testAccMessageContactGone),
				),
			},
		},
	})
}

func TestAccMessageContactResource_memberBatches(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	seven := []string{
		"1000000000000001", "1000000000000002", "1000000000000003", "1000000000000004",
		"1000000000000005", "1000000000000006", "1000000000000007",
	}
	config := func(members []string) string {
		return srv.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Finance"
  email_address = "finance@example.com"
  title         = "FinanceDirector"
  message_types = ["AccountExpenses"]
  members       = [%s]
`, testAccQuoted(members))))
	}
	bound := func(want []string) func(*terraform.State) error {
		return srv.Check(func(e *emulator.Emulator) error {
			cs := e.Contacts()
			if len(cs) != 1 {
				return fmt.Errorf("want one contact, got %d", len(cs))
			}
			got := slices.Sorted(slices.Values(cs[0].Members))
			if !slices.Equal(got, want) {
				return fmt.Errorf("members in the emulator: got %v, want %v", got, want)
			}
			return nil
		})
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				// 7 members: two AssociateMembers calls (5 + 2).
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    config(seven),
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.CountCalls(rdclient.ActionAssociateMembers, acctest.AnyCode, 2)),
					srv.Check(acctest.CountCalls(rdclient.ActionDisassociateMembers, acctest.AnyCode, 0)),
					bound(seven),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", testAccStringSet(seven...)),
				},
			},
			{
				// Down to 1: six to unbind, two DisassociateMembers calls (5 + 1).
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    config(seven[6:]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.CountCalls(rdclient.ActionDisassociateMembers, acctest.AnyCode, 2)),
					srv.Check(acctest.CountCalls(rdclient.ActionAssociateMembers, acctest.AnyCode, 0)),
					srv.Check(acctest.CountCalls(rdclient.ActionUpdateMessageContact, acctest.AnyCode, 0)),
					bound(seven[6:]),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", testAccStringSet(seven[6:]...)),
				},
			},
			{
				// members removed from the configuration: no longer managed.
				// The binding stays, recorded in state; nothing is called.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config: srv.Config(testAccMessageContactHCL(`
  name          = "Finance"
  email_address = "finance@example.com"
  title         = "FinanceDirector"
  message_types = ["AccountExpenses"]
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.CountCalls(rdclient.ActionDisassociateMembers, acctest.AnyCode, 0)),
					bound(seven[6:]),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", testAccStringSet(seven[6:]...)),
				},
			},
			{
				// members = []: no member at all; one DisassociateMembers call.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    config(nil),
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.CountCalls(rdclient.ActionDisassociateMembers, acctest.AnyCode, 1)),
					bound(nil),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", knownvalue.SetExact(nil)),
				},
			},
		},
	})
}

func TestAccMessageContactResource_tooManyMembers(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	members := make([]string, 11)
	for i := range members {
		members[i] = fmt.Sprintf("10000000000000%02d", i+1)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(acctest.ExpectNoCalls),
		Steps: []resource.TestStep{{
			Config: srv.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
  members       = [%s]
`, testAccQuoted(members)))),
			ExpectError: acctest.ErrorMatching("Too many members",
				"A message contact can be bound to at most 10 members", "and members lists 11"),
		}},
	})
}

func TestAccMessageContactResource_planTimeValidation(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	base := `
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(acctest.ExpectNoCalls),
		Steps: []resource.TestStep{
			{
				Config:      srv.Config(testAccMessageContactHCL(strings.Replace(base, `"ServiceMessage"`, `"Billing"`, 1))),
				ExpectError: regexp.MustCompile(`message_types\[Value\("Billing"\)\]`),
			},
			{
				Config:      srv.Config(testAccMessageContactHCL(base + `  members = ["acct-1"]`)),
				ExpectError: acctest.ErrorMatching("starts with neither"),
			},
			{
				Config:      srv.Config(testAccMessageContactHCL(strings.Replace(base, `"ServiceMessage"`, ``, 1))),
				ExpectError: acctest.ErrorMatching("message_types", "at least 1"),
			},
		},
	})
}

// The configured email address (or phone number) is what is pending: the
// plan stays empty whether the API shows requested or verified values.
func TestAccMessageContactResource_pendingChange(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		api := testAccMessageContactClient(t, srv)
		config := func(email, phone string) string {
			return srv.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Ops"
  email_address = %q
  phone_number  = %q
  title         = "TechnicalDirector"
  message_types = ["FaultMessage"]
`, email, phone)))
		}
		update := func(in rdclient.UpdateMessageContactInput) func() {
			return func() {
				in.ContactID = srv.Get("id")
				if err := api.UpdateMessageContact(context.Background(), in); err != nil {
					t.Fatalf("changing the contact outside Terraform: %v", err)
				}
			}
		}
		email := func(s string) *string { return &s }
		emptyAfterApply := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps: []resource.TestStep{
				{
					// A new contact: its email address and phone number wait for verification.
					Config:           config("ops@example.com", "86-13912345678"),
					Check:            srv.Remember("id", testAccMessageContactName, "id"),
					ConfigPlanChecks: emptyAfterApply,
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("email_address", knownvalue.StringExact("ops@example.com")),
						testAccMessageContactValue("pending_email_address", knownvalue.StringExact("ops@example.com")),
						testAccMessageContactValue("pending_phone_number", knownvalue.StringExact("86-13912345678")),
						testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					},
				},
				{
					// Verified; then Terraform requests another email address.
					PreConfig: srv.Outside(func(e *emulator.Emulator) error {
						if err := e.Verify(srv.Get("id"), "ops@example.com"); err != nil {
							return err
						}
						return e.Verify(srv.Get("id"), "86-13912345678")
					}),
					Config:           config("oncall@example.com", "86-13912345678"),
					ConfigPlanChecks: emptyAfterApply,
					Check: srv.Check(func(e *emulator.Emulator) error {
						c, _ := e.Contact(srv.Get("id"))
						if c.EmailAddress != "ops@example.com" || c.PendingEmailAddress != "oncall@example.com" {
							return fmt.Errorf("emulator: email %q pending %q, want ops@example.com pending oncall@example.com", c.EmailAddress, c.PendingEmailAddress)
						}
						return nil
					}),
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("email_address", knownvalue.StringExact("oncall@example.com")),
						testAccMessageContactValue("pending_email_address", knownvalue.StringExact("oncall@example.com")),
						testAccMessageContactValue("pending_phone_number", knownvalue.Null()),
						testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					},
				},
				{
					// Still pending at the next run: no change proposed.
					Config:   config("oncall@example.com", "86-13912345678"),
					PlanOnly: true,
				},
				{
					// Terraform's change verified, then someone else requests
					// another address (e.g. an alicloudrd_message_contact_pending_update):
					// not Terraform's to undo, the plan stays empty.
					PreConfig: func() {
						srv.Outside(func(e *emulator.Emulator) error { return e.Verify(srv.Get("id"), "oncall@example.com") })()
						update(rdclient.UpdateMessageContactInput{EmailAddress: email("night@example.com")})()
					},
					Config: config("oncall@example.com", "86-13912345678"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("email_address", knownvalue.StringExact("oncall@example.com")),
						testAccMessageContactValue("pending_email_address", knownvalue.StringExact("night@example.com")),
						testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					},
				},
				{
					// That request is withdrawn: still nothing to change.
					PreConfig: srv.Outside(func(e *emulator.Emulator) error {
						return e.CancelPending(srv.Get("id"), "night@example.com")
					}),
					Config: config("oncall@example.com", "86-13912345678"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("pending_email_address", knownvalue.Null()),
						testAccMessageContactValue("status", knownvalue.StringExact("Active")),
					},
				},
				{
					// A change verified outside Terraform is real drift: the
					// plan puts the configured address back (pending again).
					PreConfig: func() {
						update(rdclient.UpdateMessageContactInput{EmailAddress: email("rogue@example.com")})()
						srv.Outside(func(e *emulator.Emulator) error { return e.Verify(srv.Get("id"), "rogue@example.com") })()
					},
					Config: config("oncall@example.com", "86-13912345678"),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(testAccMessageContactName, tfjsonpath.New("email_address"), knownvalue.StringExact("oncall@example.com")),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("email_address", knownvalue.StringExact("oncall@example.com")),
						testAccMessageContactValue("pending_email_address", knownvalue.StringExact("oncall@example.com")),
					},
				},
				{
					// A phone number change waits for verification the same way.
					Config:           config("oncall@example.com", "86-13812345678"),
					ConfigPlanChecks: emptyAfterApply,
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("phone_number", knownvalue.StringExact("86-13812345678")),
						testAccMessageContactValue("pending_phone_number", knownvalue.StringExact("86-13812345678")),
					},
				},
			},
		})
	})
}

// testAccMessageContactDeletePolls is the deletion-status poll at which the
// emulator ends an asynchronous deletion in the tests that exercise one: the
// first poll sees Deleting, the second the outcome, however slow the run.
const testAccMessageContactDeletePolls = 2

func TestAccMessageContactResource_asyncDelete(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{DeleteAfterPolls: testAccMessageContactDeletePolls})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				Config: srv.Config(testAccMessageContactHCL(`
  name                         = "Ops"
  email_address                = "ops@example.com"
  title                        = "CEO"
  message_types                = ["ServiceMessage"]
  members                      = ["1512345678901234"]
  retain_in_members_on_destroy = false
`)),
			},
			{
				// Removed from the configuration: DeleteMessageContact
				// answers Deleting, the provider polls until the contact is gone.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionDestroy),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(testAccMessageContactExpectAsyncDelete),
					srv.Check(func(e *emulator.Emulator) error {
						for _, c := range e.Calls() {
							if c.Action == rdclient.ActionDeleteMessageContact && c.Params["RetainContactInMembers"] != "false" {
								return fmt.Errorf("DeleteMessageContact sent RetainContactInMembers=%q, want false", c.Params["RetainContactInMembers"])
							}
						}
						return nil
					}),
					srv.Check(testAccMessageContactGone),
				),
			},
		},
	})
}

func TestAccMessageContactResource_asyncDeleteFailed(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{DeleteAfterPolls: testAccMessageContactDeletePolls})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				Config: srv.Config(testAccMessageContactHCL(`
  name                         = "Ops"
  email_address                = "ops@example.com"
  title                        = "FinanceDirector"
  message_types                = ["AccountExpenses", "SecurityMessage"]
  members                      = ["1512345678901234", "1698765432109876"]
  retain_in_members_on_destroy = false
`)),
				Check: srv.Remember("id", testAccMessageContactName, "id"),
			},
			{
				// The deletion ends Failed: the error names each account and
				// its message types, and the contact stays in state.
				PreConfig: srv.Outside(func(e *emulator.Emulator) error {
					e.FailNextDeletion(srv.Get("id"), []emulator.FailReason{
						{AccountID: "1698765432109876", MessageTypes: []string{"SecurityMessage"}},
						{AccountID: "1512345678901234", MessageTypes: []string{"SecurityMessage", "AccountExpenses"}},
					})
					return nil
				}),
				Config: srv.Config(""),
				ExpectError: acctest.ErrorMatching(
					"Cannot delete the message contact",
					"deletion of message contact", "failed (status Failed)",
					"account 1512345678901234: AccountExpenses, SecurityMessage",
					"account 1698765432109876: SecurityMessage",
					"assign another message contact for those message types, then destroy again"),
			},
			{
				// Still in state and still there: the next run deletes it.
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config:    srv.Config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionDestroy),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(testAccMessageContactExpectAsyncDelete),
					srv.Check(testAccMessageContactGone),
				),
			},
		},
	})
}

func TestAccMessageContactResource_disappears(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	config := srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
`))
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  srv.Remember("id", testAccMessageContactName, "id"),
				ConfigStateChecks: []statecheck.StateCheck{
					newID.AddStateValue(testAccMessageContactName, tfjsonpath.New("id")),
				},
			},
			{
				// Deleted outside Terraform: refresh drops it, the plan creates it again.
				PreConfig: srv.Outside(func(e *emulator.Emulator) error { return e.DeleteContact(srv.Get("id")) }),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					newID.AddStateValue(testAccMessageContactName, tfjsonpath.New("id")),
				},
			},
		},
	})
}

func TestAccMessageContactResource_import(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		config := srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  phone_number  = "86-13912345678"
  title         = "ProjectDirector"
  message_types = ["ServiceMessage", "ProductMessage"]
  members       = ["rd-3G3LEe"]
`))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps: []resource.TestStep{
				{Config: config},
				{
					// Import: one read, GetMessageContact and ListMessageContactVerifications.
					PreConfig:         srv.Outside(acctest.ResetCalls),
					Config:            config,
					ResourceName:      testAccMessageContactName,
					ImportState:       true,
					ImportStateVerify: true,
					ImportStateCheck: func([]*terraform.InstanceState) error {
						return srv.Check(acctest.ExpectCalls(testAccMessageContactReadCalls))(nil)
					},
				},
				{
					Config:        config,
					ResourceName:  testAccMessageContactName,
					ImportState:   true,
					ImportStateId: "contact-ops",
					ExpectError: acctest.ErrorMatching("Invalid import ID",
						"terraform import alicloudrd_message_contact.ops c-qL4HqKONzOM7", `"contact-ops" is not one`),
				},
				{
					Config:        config,
					ResourceName:  testAccMessageContactName,
					ImportState:   true,
					ImportStateId: "c-000000000000",
					ExpectError: acctest.ErrorMatching("Message contact not found", `No message contact has the ID "c-000000000000"`,
						"nothing to import", "EntityNotExists.Contact"),
				},
			},
		})
	})
}

func TestAccMessageContactResource_apiErrors(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{
		MaxContacts: 1,
		Seed: []emulator.SeedContact{{
			ContactID: "c-SeededOps001", Name: "Ops", EmailAddress: "ops@example.com",
			Title: "CEO", MessageTypes: []string{"ServiceMessage"},
		}},
	})
	config := func(name string) string {
		return srv.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = %q
  email_address = "sre@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
`, name)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Ops"),
				ExpectError: acctest.ErrorMatching("Cannot create the message contact",
					"AddMessageContact failed: InvalidParameter.Name.AlreadyUsed (HTTP 400): The Name is already used. (RequestId:",
					"already has this name. Choose another name"),
			},
			{
				Config: config("Sre"),
				ExpectError: acctest.ErrorMatching("Cannot create the message contact",
					"QuotaExceeded.Contacts (HTTP 400)", "RequestId:",
					"largest number of message contacts it can hold (20)"),
			},
		},
	})
}

// testAccInvalidMemberRule answers the second AssociateMembers call after
// arming as the API answers a member it does not know.
var testAccInvalidMemberRule = acctest.Rule{
	Action: rdclient.ActionAssociateMembers,
	Nth:    2,
	Fail: &acctest.APIError{
		Status: http.StatusBadRequest, Code: "InvalidMember", Message: "The Member is invalid.",
		RequestID: "5E1D7C2A-0000-4000-8000-00000000F417",
	},
}

// A member batch fails during an update: the state records the members
// bound so far, and the next apply binds only the rest.
func TestAccMessageContactResource_updateMembersPartialFailure(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	nine := []string{
		"1000000000000001", "1000000000000002", "1000000000000003", "1000000000000004", "1000000000000005",
		"1000000000000006", "1000000000000007", "1000000000000008", "1000000000000009",
	}
	config := func(members []string) string {
		return proxy.Config(testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
  members       = [%s]
`, testAccQuoted(members))))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{Config: config(nine[:2])},
			{
				// Seven to bind: the first batch of five succeeds, the second fails.
				PreConfig: proxy.Arm(testAccInvalidMemberRule),
				Config:    config(nine),
				ExpectError: acctest.ErrorMatching("Cannot update the members of the message contact",
					"AssociateMembers failed: InvalidMember (HTTP 400): The Member is invalid.",
					"RequestId: 5E1D7C2A-0000-4000-8000-00000000F417",
					"is not a resource directory, folder or member account",
					"The contact is now bound to 1000000000000001, 1000000000000002, 1000000000000003, 1000000000000004, "+
						"1000000000000005, 1000000000000006, 1000000000000007"),
			},
			{
				// The next apply binds only the two left: one AssociateMembers call.
				PreConfig: func() {
					proxy.Arm()()
					srv.Outside(acctest.ResetCalls)()
				},
				Config: config(nine),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionUpdate),
					},
				},
				Check: srv.Check(acctest.ExpectCalls(testAccMessageContactReadCalls, []string{rdclient.ActionAssociateMembers})),
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", testAccStringSet(nine...)),
				},
			},
		},
	})
}

// A member batch fails during creation: the contact and the members bound
// so far are saved (Terraform taints it), so nothing is left behind unmanaged.
func TestAccMessageContactResource_createMembersPartialFailure(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	config := proxy.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
  members       = ["1000000000000001", "1000000000000002", "1000000000000003", "1000000000000004",
                   "1000000000000005", "1000000000000006", "1000000000000007"]
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				PreConfig: proxy.Arm(testAccInvalidMemberRule),
				Config:    config,
				ExpectError: acctest.ErrorMatching("Cannot bind all members to the message contact",
					"InvalidMember (HTTP 400)", "was created and bound to 5 of its 7 members",
					"terraform untaint"),
			},
			{
				// The saved, tainted contact is replaced.
				PreConfig: proxy.Arm(),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				Check: srv.Check(func(e *emulator.Emulator) error {
					cs := e.Contacts()
					if len(cs) != 1 || len(cs[0].Members) != 7 {
						return fmt.Errorf("want one contact with 7 members, got %+v", cs)
					}
					return nil
				}),
			},
		},
	})
}

func testAccQuoted(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func TestMessageContactReconcileValue(t *testing.T) {
	s := types.StringValue
	null := types.StringNull()
	tests := []struct {
		name     string
		prior    types.String
		got      string
		pending  []string
		imported bool
		want     types.String
	}{
		{"nothing pending, no drift", s("a@x.io"), "a@x.io", nil, false, s("a@x.io")},
		{"own change pending, requested mode", s("b@x.io"), "b@x.io", []string{"b@x.io"}, false, s("b@x.io")},
		{"own change pending, effective mode", s("b@x.io"), "a@x.io", []string{"b@x.io"}, false, s("b@x.io")},
		{"own change pending, new contact, effective mode", s("b@x.io"), "", []string{"b@x.io"}, false, s("b@x.io")},
		{"own change verified", s("b@x.io"), "b@x.io", nil, false, s("b@x.io")},
		{"own change withdrawn", s("b@x.io"), "a@x.io", nil, false, s("a@x.io")},
		{"changed and verified outside", s("a@x.io"), "c@x.io", nil, false, s("c@x.io")},
		{"someone else's change pending, requested mode", s("a@x.io"), "c@x.io", []string{"c@x.io"}, false, s("a@x.io")},
		{"someone else's change pending, effective mode", s("a@x.io"), "a@x.io", []string{"c@x.io"}, false, s("a@x.io")},
		{"no phone, someone else's pending, requested mode", null, "86-13912345678", []string{"86-13912345678"}, false, null},
		{"no phone, someone else's pending, effective mode", null, "", []string{"86-13912345678"}, false, null},
		{"no phone", null, "", nil, false, null},
		{"phone added and verified outside", null, "86-13912345678", nil, false, s("86-13912345678")},
		{"import, requested mode", null, "b@x.io", []string{"b@x.io"}, true, s("b@x.io")},
		{"import, effective mode", null, "a@x.io", []string{"b@x.io"}, true, s("a@x.io")},
		{"import, new contact, effective mode", null, "", []string{"b@x.io"}, true, s("b@x.io")},
		{"import, no phone", null, "", nil, true, null},
		// Email addresses compare ignoring case (pending_change.go).
		{"own change pending in another case, effective mode", s("B@X.io"), "a@x.io", []string{"b@x.io"}, false, s("B@X.io")},
		{"own change pending in another case, requested mode", s("B@X.io"), "b@x.io", []string{"b@x.io"}, false, s("B@X.io")},
		{"verified in another case", s("B@X.io"), "b@x.io", nil, false, s("b@x.io")},
		{"phone numbers compare exactly", s("86-13912345678"), "86-13812345678", []string{"86-13912345679"}, false, s("86-13812345678")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := pendingKindOf(tt.prior.ValueString() + tt.got + strings.Join(tt.pending, ""))
			got, replaced := contactReconcileValue(kind, tt.prior, null, tt.got, tt.pending, tt.imported)
			if !got.Equal(tt.want) || replaced {
				t.Errorf("got %s (replaced %v), want %s", got, replaced, tt.want)
			}
		})
	}
}

// TestMessageContactReconcileValueReplacedRequest: a change Terraform
// requested that is no longer pending while someone else's is. In the
// effective read mode the API tells whether it was verified; in the
// requested mode it cannot, and the value is kept, said to be ambiguous.
func TestMessageContactReconcileValueReplacedRequest(t *testing.T) {
	s := types.StringValue
	tests := []struct {
		name                      string
		prior, priorPending, want types.String
		got                       string
		pending                   []string
		replaced                  bool
	}{
		{"requested mode", s("86-13900000007"), s("86-13900000007"), s("86-13900000007"), "86-13900500016", []string{"86-13900500016"}, true},
		{"email in another case, requested mode", s("b@x.io"), s("B@X.io"), s("b@x.io"), "c@x.io", []string{"c@x.io"}, true},
		{"effective mode, no phone yet", s("86-13900000007"), s("86-13900000007"), types.StringNull(), "", []string{"86-13900500016"}, false},
		{"effective mode, replaced", s("b@x.io"), s("b@x.io"), s("a@x.io"), "a@x.io", []string{"c@x.io"}, false},
		{"effective mode, verified first", s("b@x.io"), s("b@x.io"), s("b@x.io"), "b@x.io", []string{"c@x.io"}, false},
		// prior was effective at the last read: no ambiguity.
		{"effective before, requested mode", s("a@x.io"), s("z@x.io"), s("a@x.io"), "c@x.io", []string{"c@x.io"}, false},
		{"nothing pending before, requested mode", s("a@x.io"), types.StringNull(), s("a@x.io"), "c@x.io", []string{"c@x.io"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := pendingKindOf(tt.prior.ValueString())
			got, replaced := contactReconcileValue(kind, tt.prior, tt.priorPending, tt.got, tt.pending, false)
			if !got.Equal(tt.want) || replaced != tt.replaced {
				t.Errorf("got %s (replaced %v), want %s (replaced %v)", got, replaced, tt.want, tt.replaced)
			}
		})
	}
}

func TestMessageContactBatches(t *testing.T) {
	members := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}
	got := contactBatches(members)
	want := [][]string{{"1", "2", "3", "4", "5"}, {"6", "7", "8", "9", "10"}, {"11"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := contactBatches(nil); len(got) != 0 {
		t.Errorf("no member: got %v batches", got)
	}
}

func TestMessageContactDeletionFailedError(t *testing.T) {
	err := contactDeletionFailedError("c-qL4HqKONzOM7", []rdclient.DeletionFailReason{
		{AccountID: "1698765432109876", MessageTypes: []string{"SecurityMessage"}},
		{AccountID: "1512345678901234", MessageTypes: []string{"SecurityMessage", "AccountExpenses"}},
	})
	want := "The asynchronous deletion of message contact c-qL4HqKONzOM7 failed (status Failed), so the contact still exists. " +
		"These member accounts would be left without a contact for some message types:\n" +
		"  - account 1512345678901234: AccountExpenses, SecurityMessage\n" +
		"  - account 1698765432109876: SecurityMessage\n" +
		"\nIn each of these accounts, assign another message contact for those message types, then destroy again. " +
		"To delete the contact while members keep it, set retain_in_members_on_destroy = true and apply before destroying."
	if err.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", err, want)
	}
}

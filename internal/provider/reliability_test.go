package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

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

// Reliability: lost responses, timeouts, and a load of contacts and pending
// changes under injected throttling, server errors and latency.
//
// Partial failures of member binding are covered by
// TestAccMessageContactResource_createMembersPartialFailure and
// TestAccMessageContactResource_updateMembersPartialFailure.

const testAccLostContactHCL = `
resource "alicloudrd_message_contact" "test" {
  name          = "Lost"
  email_address = "lost@example.com"
  phone_number  = "86-13900001111"
  title         = "MaintenanceDirector"
  message_types = ["FaultMessage", "SecurityMessage"]
}
`

// testAccOneContactNamed checks the emulator holds exactly one contact, named
// name, and that it is the one in state.
func testAccOneContactNamed(srv *acctest.Server, name string) resource.TestCheckFunc {
	return srv.Check(func(e *emulator.Emulator) error {
		cs := e.Contacts()
		if len(cs) != 1 || cs[0].Name != name {
			return fmt.Errorf("want exactly one contact named %q, the emulator holds %+v", name, cs)
		}
		if id := srv.Get("id"); id != cs[0].ContactID {
			return fmt.Errorf("state holds contact %q, the emulator %q", id, cs[0].ContactID)
		}
		return nil
	})
}

// AddMessageContact is applied but its answer is lost; the client retries
// and the API answers Name.AlreadyUsed. The provider finds the contact it
// created and adopts it: one contact, in state, and an empty plan after.
func TestAccReliability_addResponseLost(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		proxy := acctest.NewFaultProxy(t, srv.URL)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             srv.Check(testAccMessageContactGone),
			Steps: []resource.TestStep{
				{
					PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionAddMessageContact, Drop: true}),
					Config:    proxy.ProviderBlock() + testAccLostContactHCL,
					Check: resource.ComposeAggregateTestCheckFunc(
						srv.Remember("id", testAccMessageContactName, "id"),
						proxy.ExpectEvents("AddMessageContact forwarded (HTTP 200), answer dropped"),
						testAccOneContactNamed(srv, "Lost"),
						srv.Check(acctest.CountCalls(rdclient.ActionAddMessageContact, "", 1)),
						srv.Check(acctest.CountCalls(rdclient.ActionAddMessageContact, rdclient.CodeNameAlreadyUsed, 1)),
					),
					ConfigStateChecks: []statecheck.StateCheck{
						testAccMessageContactValue("email_address", knownvalue.StringExact("lost@example.com")),
						testAccMessageContactValue("pending_email_address", knownvalue.StringExact("lost@example.com")),
						testAccMessageContactValue("status", knownvalue.StringExact("Verifying")),
					},
				},
				{
					PreConfig: proxy.Arm(),
					Config:    proxy.ProviderBlock() + testAccLostContactHCL,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: testAccOneContactNamed(srv, "Lost"),
				},
			},
		})
	})
}

// The same with retries off: the lost answer fails the call at once, and
// the provider still finds and adopts the contact within the same apply.
func TestAccReliability_addResponseLostNoRetry(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionAddMessageContact, Drop: true}),
				Config:    proxy.ProviderBlockWith("  max_retries = 0") + testAccLostContactHCL,
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Remember("id", testAccMessageContactName, "id"),
					proxy.ExpectEvents("AddMessageContact forwarded (HTTP 200), answer dropped"),
					testAccOneContactNamed(srv, "Lost"),
					srv.Check(acctest.CountCalls(rdclient.ActionAddMessageContact, acctest.AnyCode, 1)),
				),
			},
			{
				PreConfig: proxy.Arm(),
				Config:    proxy.ProviderBlockWith("  max_retries = 0") + testAccLostContactHCL,
				PlanOnly:  true,
			},
		},
	})
}

// A contact of the same name that differs from the configuration is never
// adopted, even when the answer to AddMessageContact was lost.
func TestAccReliability_addResponseLostNameTaken(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: []emulator.SeedContact{{
		ContactID: "c-TakenName001", Name: "Lost", EmailAddress: "someone@example.com",
		Title: "CEO", MessageTypes: []string{"FaultMessage"},
	}}})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The first answer is Name.AlreadyUsed, and it is lost: the retry
				// gets the same answer, and the provider looks the name up.
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionAddMessageContact, Drop: true}),
				Config:    proxy.ProviderBlock() + testAccLostContactHCL,
				ExpectError: acctest.ErrorMatching("Cannot create the message contact",
					"InvalidParameter.Name.AlreadyUsed (HTTP 400)", "RequestId:",
					`Contact c-TakenName001 already has the name "Lost" but differs from the configuration (title)`),
			},
			{
				// Nothing in state, nothing to apply: check what was left.
				Config: proxy.ProviderBlock(),
				Check: resource.ComposeAggregateTestCheckFunc(
					proxy.ExpectEvents("AddMessageContact forwarded (HTTP 400), answer dropped"),
					srv.Check(func(e *emulator.Emulator) error {
						if cs := e.Contacts(); len(cs) != 1 || cs[0].EmailAddress != "someone@example.com" || cs[0].Title != "CEO" {
							return fmt.Errorf("the seeded contact must be left alone: %+v", cs)
						}
						return nil
					}),
				),
			},
		},
	})
}

// A pending change's UpdateMessageContact, its verification message and,
// on destroy, its cancellation each lose their first answer. The retries
// converge: one pending record with the requested value, one message sent
// successfully, and the cancellation restores the old value.
func TestAccReliability_pendingUpdateResponsesLost(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		const contactID = "c-LostAnswer01"
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccPendingUpdateSeed(contactID)})
		proxy := acctest.NewFaultProxy(t, srv.URL)
		config := testAccPendingUpdatePhone(proxy.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, "")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					PreConfig: proxy.Arm(
						acctest.Rule{Action: rdclient.ActionUpdateMessageContact, Drop: true},
						acctest.Rule{Action: rdclient.ActionSendPhoneVerificationForMessageContact, Drop: true},
					),
					Config: config,
					Check: resource.ComposeAggregateTestCheckFunc(
						proxy.ExpectEvents(
							"UpdateMessageContact forwarded (HTTP 200), answer dropped",
							"SendPhoneVerificationForMessageContact forwarded (HTTP 200), answer dropped"),
						srv.Check(testAccPendingUpdatePending(contactID, "PhoneNumber", testAccPendingUpdateNewPhone)),
						srv.Check(testAccPendingUpdateOnlyPending(contactID, testAccPendingUpdateNewPhone)),
						srv.Check(acctest.CountCalls(rdclient.ActionUpdateMessageContact, "", 2)),
						srv.Check(acctest.CountCalls(rdclient.ActionSendPhoneVerificationForMessageContact, "", 2)),
					),
					ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				},
				{
					PreConfig: func() {
						proxy.Arm()()
						srv.Outside(acctest.ResetCalls)()
					},
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: srv.Check(testAccPendingUpdateNoWrites),
				},
				{
					// Destroy: the first cancellation is applied and its answer
					// lost; the retry finds nothing pending and is done.
					PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionCancelMessageContactUpdate, Drop: true}),
					Config:    proxy.ProviderBlock(),
					Check: resource.ComposeAggregateTestCheckFunc(
						proxy.ExpectEvents("CancelMessageContactUpdate forwarded (HTTP 200), answer dropped"),
						srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
						srv.Check(acctest.CountCalls(rdclient.ActionCancelMessageContactUpdate, rdclient.CodeStatusMismatch, 1)),
					),
				},
			},
		})
	})
}

// testAccPendingUpdateOnlyPending checks that the contact's only pending
// verification is value: no second request is pending.
func testAccPendingUpdateOnlyPending(contactID, value string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		snap, ok := e.Contact(contactID)
		if !ok {
			return fmt.Errorf("contact %s is gone", contactID)
		}
		var pending []string
		for _, v := range []string{snap.PendingEmailAddress, snap.PendingPhoneNumber} {
			if v != "" {
				pending = append(pending, v)
			}
		}
		if len(pending) != 1 || pending[0] != value {
			return fmt.Errorf("contact %s: want only %q pending, got %q", contactID, value, pending)
		}
		return nil
	}
}

// testAccPendingUpdateNoWrites checks that only reads were served.
func testAccPendingUpdateNoWrites(e *emulator.Emulator) error {
	for _, c := range e.Calls() {
		if !strings.HasPrefix(c.Action, "Get") && !strings.HasPrefix(c.Action, "List") {
			return fmt.Errorf("want only reads, got %s; calls: %s", c.Action, acctest.CallList(e))
		}
	}
	return nil
}

// With retries off, lost answers fail the apply; the next apply converges
// on what the API holds, because the state records it: a changed title
// whose answer was lost, a member batch whose answer was lost, and a
// deletion whose answer was lost.
func TestAccReliability_contactResponsesLostNoRetry(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	config := func(title string, members ...string) string {
		return proxy.ProviderBlockWith("  max_retries = 0") + testAccMessageContactHCL(fmt.Sprintf(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = %q
  message_types = ["ServiceMessage"]
  members       = [%s]
`, title, testAccQuoted(members)))
	}
	m := []string{"1000000000000001", "1000000000000002", "1000000000000003", "1000000000000004"}
	emptyPlan := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("CEO", m[:2]...),
				Check:  srv.Remember("id", testAccMessageContactName, "id"),
			},
			{
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionUpdateMessageContact, Drop: true}),
				Config:    config("TechnicalDirector", m[:2]...),
				ExpectError: acctest.ErrorMatching("Cannot update the message contact",
					"UpdateMessageContact: request to the Resource Directory API failed"),
			},
			{
				// The title was changed: refresh sees it, nothing is left to do.
				PreConfig:        proxy.Arm(),
				Config:           config("TechnicalDirector", m[:2]...),
				ConfigPlanChecks: emptyPlan,
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("title", knownvalue.StringExact("TechnicalDirector")),
				},
			},
			{
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionAssociateMembers, Drop: true}),
				Config:    config("TechnicalDirector", m...),
				ExpectError: acctest.ErrorMatching("Cannot update the members of the message contact",
					"AssociateMembers: request to the Resource Directory API failed"),
			},
			{
				// The members were bound and the state says so (read back after
				// the failure): nothing is bound twice.
				PreConfig:        proxy.Arm(),
				Config:           config("TechnicalDirector", m...),
				ConfigPlanChecks: emptyPlan,
				ConfigStateChecks: []statecheck.StateCheck{
					testAccMessageContactValue("members", testAccStringSet(m...)),
				},
				Check: srv.Check(acctest.CountCalls(rdclient.ActionAssociateMembers, "", 2)),
			},
			{
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionDeleteMessageContact, Drop: true}),
				Config:    config("TechnicalDirector", m...),
				Destroy:   true,
				ExpectError: acctest.ErrorMatching("Cannot delete the message contact",
					"DeleteMessageContact: request to the Resource Directory API failed"),
			},
			{
				// The contact was deleted; the state still had it: the next
				// destroy finds it gone and succeeds.
				PreConfig: proxy.Arm(),
				Config:    config("TechnicalDirector", m...),
				Destroy:   true,
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(testAccMessageContactGone),
					srv.Check(acctest.CountCalls(rdclient.ActionDeleteMessageContact, acctest.AnyCode, 1)),
				),
			},
		},
	})
}

// Latency beyond a resource timeout: a clear error naming the operation,
// its timeout and the API action; the call held never reached the API, so
// applying again converges.
func TestAccReliability_timeouts(t *testing.T) {
	const contactID = "c-TimeoutOps01"
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccPendingUpdateSeed(contactID)})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	pending := func(timeouts string) string {
		return testAccPendingUpdatePhone(proxy.ProviderBlock(), contactID, testAccPendingUpdateNewPhone, timeouts)
	}
	const timeouts = "  timeouts {\n    create = \"2s\"\n    delete = \"2s\"\n  }"
	hold := func(action string) func() {
		return proxy.Arm(acctest.Rule{Action: action, HoldBefore: time.Minute})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: hold(rdclient.ActionUpdateMessageContact),
				Config:    pending(timeouts),
				ExpectError: acctest.ErrorMatching("Cannot request the message contact change",
					"The create timeout (2s) ran out", "UpdateMessageContact"),
			},
			{
				// The held call never reached the API: applying again requests
				// the change once.
				PreConfig:         proxy.Arm(),
				Config:            pending(timeouts),
				ConfigStateChecks: []statecheck.StateCheck{testAccPendingUpdateStatus(testAccPendingUpdateResource, "pending")},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(testAccPendingUpdateOnlyPending(contactID, testAccPendingUpdateNewPhone)),
					srv.Check(acctest.CountCalls(rdclient.ActionUpdateMessageContact, acctest.AnyCode, 1)),
				),
			},
			{
				PreConfig: hold(rdclient.ActionCancelMessageContactUpdate),
				Config:    pending(timeouts),
				Destroy:   true,
				ExpectError: acctest.ErrorMatching("Cannot cancel the message contact change",
					"The delete timeout (2s) ran out", "CancelMessageContactUpdate"),
			},
			{
				// The held cancellation never reached the API: destroying again
				// cancels the change once.
				PreConfig: proxy.Arm(),
				Config:    pending(timeouts),
				Destroy:   true,
				Check:     srv.Check(testAccPendingUpdateCancelled(contactID, "PhoneNumber", testAccPendingUpdateNewPhone, testAccPendingUpdateOldPhone)),
			},
		},
	})
}

// A contact whose AddMessageContact is applied but answered after the create
// timeout: the error says so, and the contact is saved in state (tainted)
// rather than left behind, so the next apply manages it: no duplicate.
func TestAccReliability_createTimeoutAfterApplied(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{})
	proxy := acctest.NewFaultProxy(t, srv.URL)
	config := func(timeouts string) string {
		return proxy.ProviderBlock() + testAccMessageContactHCL(`
  name          = "Late"
  email_address = "late@example.com"
  title         = "CEO"
  message_types = ["FaultMessage"]
`+timeouts)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             srv.Check(testAccMessageContactGone),
		Steps: []resource.TestStep{
			{
				PreConfig: proxy.Arm(acctest.Rule{Action: rdclient.ActionAddMessageContact, HoldAfter: time.Minute}),
				Config:    config(`  timeouts { create = "2s" }`),
				ExpectError: acctest.ErrorMatching("Cannot create the message contact",
					"The create timeout (2s) ran out, yet contact", "was created: it is saved in the state",
					"terraform untaint"),
			},
			{
				// The saved contact is tainted: the plan replaces it, and the
				// directory never holds two contacts named Late.
				PreConfig: proxy.Arm(),
				Config:    config(`  timeouts { create = "2s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccMessageContactName, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Remember("id", testAccMessageContactName, "id"),
					testAccOneContactNamed(srv, "Late"),
				),
			},
		},
	})
}

// Load: 20 contacts (the directory's maximum), each with a pending phone
// change and a pending email change, applied, planned again and destroyed
// while the API throttles 30% of the calls, fails 15% of the others with a
// 5xx (half ServiceUnavailable, half InternalError: about 5% of all calls
// each) and adds random latency. Terraform
// must see no error; afterwards the directory holds no contact and no
// pending record. Live only: it measures the API traffic, which a cassette
// replay cannot reproduce. Run it with `make testacc-load`, which also runs
// the variant that loses answers.
func TestAccReliability_load(t *testing.T) {
	testAccReliabilityLoad(t, emulator.Faults{
		ThrottleRate:  0.30,
		ErrorRate:     0.15,
		Latency:       2 * time.Millisecond,
		LatencyJitter: 40 * time.Millisecond,
	})
}

// The load again, with 10% of the successful calls' answers lost as well:
// each such call was applied, and the client retries it.
func TestAccReliability_loadLostAnswers(t *testing.T) {
	testAccReliabilityLoad(t, emulator.Faults{
		ThrottleRate:  0.30,
		ErrorRate:     0.15,
		Latency:       2 * time.Millisecond,
		LatencyJitter: 40 * time.Millisecond,
		DropRate:      0.10,
	})
}

const testAccLoadContacts = 20

// testAccLoadHCL is the load configuration: n contacts, each with a pending
// phone change and a pending email change.
func testAccLoadHCL(n int) string {
	return fmt.Sprintf(`
locals {
  letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
}

resource "alicloudrd_message_contact" "c" {
  count         = %d
  name          = "Load${substr(local.letters, count.index, 1)}"
  email_address = "load${count.index}@example.com"
  phone_number  = format("86-1390000%%04d", count.index)
  title         = "TechnicalDirector"
  message_types = ["FaultMessage", "SecurityMessage"]

  lifecycle {
    # alicloudrd_message_contact_pending_update resources change these.
    ignore_changes = [email_address, phone_number]
  }
}

resource "alicloudrd_message_contact_pending_update" "phone" {
  count        = %d
  contact_id   = alicloudrd_message_contact.c[count.index].id
  phone_number = format("86-1391111%%04d", count.index)
}

resource "alicloudrd_message_contact_pending_update" "email" {
  count         = %d
  contact_id    = alicloudrd_message_contact.c[count.index].id
  email_address = "new${count.index}@example.com"
}
`, n, n, n)
}

// testAccLoadReport is what the load test measured.
type testAccLoadReport struct {
	Test             string         `json:"test"`
	Contacts         int            `json:"contacts"`
	PendingUpdates   int            `json:"pending_updates"`
	Faults           string         `json:"faults"`
	RequestsServed   int            `json:"requests_served"`
	Retries          int            `json:"retries"`
	ByCode           map[string]int `json:"answers_by_code"`
	AnswersDropped   int            `json:"answers_dropped"`
	DroppedByAction  map[string]int `json:"answers_dropped_by_action,omitempty"`
	TerraformErrors  int            `json:"errors_seen_by_terraform"`
	WallTimeSeconds  float64        `json:"wall_time_seconds"`
	ApplySeconds     float64        `json:"apply_seconds"`
	DestroySeconds   float64        `json:"destroy_seconds"`
	RequestsByAction map[string]int `json:"requests_by_action"`
}

func testAccReliabilityLoad(t *testing.T, faults emulator.Faults) {
	if acctest.CurrentMode() != acctest.ModeLive {
		t.Skip("load test: it measures live API traffic under injected faults; run it with `make testacc-load` (ALICLOUDRD_ACC_MODE=live)")
	}
	n := testAccLoadContacts
	srv := acctest.NewServer(t, acctest.Options{MaxContacts: n, Faults: faults})
	config := srv.ProviderBlockWith("  max_retries = 40") + testAccLoadHCL(n)

	var start, applied, destroyStart time.Time
	stateIDs := map[string]bool{}
	destroyed := func(*terraform.State) error {
		end := time.Now()
		e := srv.Emulator()
		if err := testAccMessageContactGone(e); err != nil {
			return err
		}
		report := testAccLoadSummary(t.Name(), e, faults, n)
		report.WallTimeSeconds = end.Sub(start).Seconds()
		report.ApplySeconds = applied.Sub(start).Seconds()
		report.DestroySeconds = end.Sub(destroyStart).Seconds()
		testAccLoadPublish(t, report)
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { start = time.Now() },
				Config:    config,
				Check: func(s *terraform.State) error {
					applied = time.Now()
					for _, rs := range s.RootModule().Resources {
						if rs.Type == "alicloudrd_message_contact" {
							stateIDs[rs.Primary.ID] = true
						}
					}
					return testAccLoadApplied(srv.Emulator(), stateIDs, n)
				},
			},
			{
				// Nothing left to do, under the same faults.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("alicloudrd_message_contact_pending_update.phone[19]", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue("alicloudrd_message_contact_pending_update.email[0]", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
			},
			{
				// Destroy; no contact and so no pending record may be left.
				PreConfig: func() { destroyStart = time.Now() },
				Config:    config,
				Destroy:   true,
				Check:     destroyed,
			},
		},
	})
}

// testAccLoadApplied checks the directory after the apply: exactly the n
// contacts in state, each with its phone and email change pending and
// nothing else.
func testAccLoadApplied(e *emulator.Emulator, stateIDs map[string]bool, n int) error {
	cs := e.Contacts()
	if len(cs) != n || len(stateIDs) != n {
		return fmt.Errorf("want %d contacts, the emulator holds %d and the state %d", n, len(cs), len(stateIDs))
	}
	for _, c := range cs {
		if !stateIDs[c.ContactID] {
			return fmt.Errorf("contact %s (%s) is not in state: the configuration did not create it", c.ContactID, c.Name)
		}
		i := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c.Name[len(c.Name)-1])
		wantPhone, wantEmail := fmt.Sprintf("86-1391111%04d", i), fmt.Sprintf("new%d@example.com", i)
		if c.PendingPhoneNumber != wantPhone || c.PendingEmailAddress != wantEmail {
			return fmt.Errorf("contact %s: want %s and %s pending, got %q and %q", c.Name, wantPhone, wantEmail, c.PendingPhoneNumber, c.PendingEmailAddress)
		}
	}
	return nil
}

// testAccLoadSummary counts what the emulator served. Each answer that was
// throttled, a 5xx or lost makes the client retry, so they count the retries.
func testAccLoadSummary(name string, e *emulator.Emulator, f emulator.Faults, n int) testAccLoadReport {
	r := testAccLoadReport{
		Test: name, Contacts: n, PendingUpdates: 2 * n,
		Faults: fmt.Sprintf("throttle %.0f%%, 5xx %.0f%%, latency %s+[0,%s), lost answers %.0f%%",
			100*f.ThrottleRate, 100*f.ErrorRate, f.Latency, f.LatencyJitter, 100*f.DropRate),
		ByCode: map[string]int{}, RequestsByAction: map[string]int{}, DroppedByAction: map[string]int{},
	}
	for _, c := range e.Calls() {
		r.RequestsServed++
		r.RequestsByAction[c.Action]++
		code := c.Code
		if code == "" {
			code = "OK"
		}
		r.ByCode[code]++
		switch {
		case c.Dropped:
			r.AnswersDropped++
			r.DroppedByAction[c.Action]++
			r.Retries++
		case c.Code == rdclient.CodeThrottlingUser || c.Status >= 500:
			r.Retries++
		}
	}
	return r
}

// testAccLoadPublish logs the figures and, when ALICLOUDRD_LOAD_REPORT names
// a file, appends them to it as a JSON line.
func testAccLoadPublish(t *testing.T, r testAccLoadReport) {
	codes := make([]string, 0, len(r.ByCode))
	for c, k := range r.ByCode {
		codes = append(codes, fmt.Sprintf("%s=%d", c, k))
	}
	sort.Strings(codes)
	dropped := make([]string, 0, len(r.DroppedByAction))
	for a, k := range r.DroppedByAction {
		dropped = append(dropped, fmt.Sprintf("%s=%d", a, k))
	}
	sort.Strings(dropped)
	t.Logf("load figures: %d contacts, %d pending updates; faults: %s\n"+
		"  requests served: %d (%s)\n"+
		"  retries made:    %d (answers throttled, 5xx or lost; lost: %d %v)\n"+
		"  errors seen by Terraform: %d\n"+
		"  wall time: %.1fs (apply and check %.1fs, destroy %.1fs)",
		r.Contacts, r.PendingUpdates, r.Faults, r.RequestsServed, strings.Join(codes, ", "), r.Retries,
		r.AnswersDropped, dropped, r.TerraformErrors, r.WallTimeSeconds, r.ApplySeconds, r.DestroySeconds)
	path := os.Getenv("ALICLOUDRD_LOAD_REPORT")
	if path == "" {
		return
	}
	line, err := json.Marshal(r)
	if err != nil {
		t.Errorf("encoding the load report: %v", err)
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Errorf("writing the load report: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Errorf("writing the load report: %v", err)
	}
}

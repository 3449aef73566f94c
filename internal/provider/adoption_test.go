package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Adoption: contacts and pending changes that exist outside Terraform are
// brought under management with resource identities (Terraform 1.12 and
// later) and found with `terraform query` (Terraform 1.14 and later).

const (
	testAccAdoptOps    = "c-AdoptOps0001"
	testAccAdoptSec    = "c-AdoptSec0001"
	testAccAdoptBill   = "c-AdoptBill001"
	testAccAdoptFolder = "fd-QRzuWtXd2m"
	testAccAdoptOwner  = "1512345678901234"

	testAccAdoptOpsPhone = "86-13912345678"
	testAccAdoptSecEmail = "sec.oncall@example.com"
)

// testAccAdoptSeed is three contacts nobody manages with Terraform; two are
// bound to a folder.
func testAccAdoptSeed() []emulator.SeedContact {
	return []emulator.SeedContact{
		{ContactID: testAccAdoptOps, Name: "OpsTeam", EmailAddress: "ops@example.com", PhoneNumber: "86-13800138000",
			Title: "TechnicalDirector", MessageTypes: []string{"ServiceMessage", "FaultMessage"}, Members: []string{testAccAdoptFolder}},
		{ContactID: testAccAdoptSec, Name: "SecTeam", EmailAddress: "sec@example.com",
			Title: "MaintenanceDirector", MessageTypes: []string{"SecurityMessage"}, Members: []string{testAccAdoptFolder, testAccAdoptOwner}},
		{ContactID: testAccAdoptBill, Name: "Billing", EmailAddress: "billing@example.com", PhoneNumber: "86-13700137000",
			Title: "FinanceDirector", MessageTypes: []string{"AccountExpenses"}},
	}
}

// testAccAdoptRequestChanges requests, outside Terraform, a new phone for
// OpsTeam and a new email for SecTeam.
func testAccAdoptRequestChanges(e *emulator.Emulator) error {
	if err := e.RequestChange(testAccAdoptOps, testAccAdoptOpsPhone); err != nil {
		return err
	}
	return e.RequestChange(testAccAdoptSec, testAccAdoptSecEmail)
}

// testAccAdoptOnlyReads checks that adopting changed nothing: every API call
// was a read.
func testAccAdoptOnlyReads(e *emulator.Emulator) error {
	for _, c := range e.Calls() {
		if !strings.HasPrefix(c.Action, "Get") && !strings.HasPrefix(c.Action, "List") {
			return fmt.Errorf("adopting made the write call %s; calls %v", c, acctest.CallList(e))
		}
	}
	return nil
}

const testAccAdoptOpsHCL = `
resource "alicloudrd_message_contact" "ops" {
  name          = "OpsTeam"
  email_address = "ops@example.com"
  phone_number  = "86-13800138000"
  title         = "TechnicalDirector"
  message_types = ["ServiceMessage", "FaultMessage"]
  members       = ["fd-QRzuWtXd2m"]
}
`

// An existing contact imported with an import block's identity: the plan
// imports it with no change, state carries the identity, and import by
// identity and by ID give the same state. Wrong identities fail at plan time.
func TestAccMessageContactResource_identityImport(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	name := "alicloudrd_message_contact.ops"
	importOps := fmt.Sprintf(`
import {
  to       = alicloudrd_message_contact.ops
  identity = { contact_id = %q }
}
`, testAccAdoptOps)
	importOther := func(identity string) string {
		return srv.Config(testAccAdoptOpsHCL + strings.Replace(testAccAdoptOpsHCL, `"ops"`, `"other"`, 1) + `
import {
  to       = alicloudrd_message_contact.other
  identity = ` + identity + `
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.IdentityImport.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: srv.Config(testAccAdoptOpsHCL + importOps),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(name, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(name, map[string]knownvalue.Check{"contact_id": knownvalue.StringExact(testAccAdoptOps)}),
					statecheck.ExpectIdentityValueMatchesStateAtPath(name, tfjsonpath.New("contact_id"), tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("status"), knownvalue.StringExact("Active")),
				},
				Check: srv.Check(testAccAdoptOnlyReads),
			},
			{
				// The configuration without the import block.
				Config:          srv.Config(testAccAdoptOpsHCL),
				ResourceName:    name,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:      name,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{
					"retain_in_members_on_destroy", "timeouts",
				},
			},
			{
				Config:      importOther(`{ contact_id = "c-000000000000" }`),
				ExpectError: acctest.ErrorMatching("Message contact not found", `No message contact has the ID "c-000000000000"`, "nothing to import"),
			},
			{
				Config:      importOther(`{ contact_id = "ops" }`),
				ExpectError: acctest.ErrorMatching("Invalid import identity", "alicloudrd_message_contact", "contact_id"),
			},
		},
	})
}

// Changes requested outside Terraform imported with identities: no call
// changes them, state carries the identities. Identities with both values,
// neither, a value that is not pending or an unknown contact fail at plan
// time.
func TestAccMessageContactPendingUpdate_identityImport(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	name := "alicloudrd_message_contact_pending_update.ops_phone"
	adopted := fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "ops_phone" {
  contact_id   = %[1]q
  phone_number = %[2]q
}

resource "alicloudrd_message_contact_pending_update" "sec_email" {
  contact_id    = %[3]q
  email_address = %[4]q
}

import {
  to       = alicloudrd_message_contact_pending_update.ops_phone
  identity = { contact_id = %[1]q, phone_number = %[2]q }
}

import {
  to       = alicloudrd_message_contact_pending_update.sec_email
  identity = { contact_id = %[3]q, email_address = %[4]q }
}
`, testAccAdoptOps, testAccAdoptOpsPhone, testAccAdoptSec, testAccAdoptSecEmail)
	bad := func(identity string) string {
		return srv.Config(adopted + fmt.Sprintf(`
resource "alicloudrd_message_contact_pending_update" "bad" {
  contact_id   = %q
  phone_number = "86-13600136000"
}

import {
  to       = alicloudrd_message_contact_pending_update.bad
  identity = %s
}
`, testAccAdoptBill, identity))
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.IdentityImport.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.Outside(testAccAdoptRequestChanges),
				Config:    srv.Config(adopted),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(name, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("alicloudrd_message_contact_pending_update.sec_email", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(name, map[string]knownvalue.Check{
						"contact_id":    knownvalue.StringExact(testAccAdoptOps),
						"phone_number":  knownvalue.StringExact(testAccAdoptOpsPhone),
						"email_address": knownvalue.Null(),
					}),
					statecheck.ExpectIdentity("alicloudrd_message_contact_pending_update.sec_email", map[string]knownvalue.Check{
						"contact_id":    knownvalue.StringExact(testAccAdoptSec),
						"phone_number":  knownvalue.Null(),
						"email_address": knownvalue.StringExact(testAccAdoptSecEmail),
					}),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("id"), knownvalue.StringExact(testAccAdoptOps+":"+testAccAdoptOpsPhone)),
				},
				Check: srv.Check(testAccAdoptOnlyReads),
			},
			{
				// The configuration without the import blocks.
				Config:          srv.Config(adopted[:strings.Index(adopted, "import {")]),
				ResourceName:    name,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: bad(fmt.Sprintf(`{ contact_id = %q, phone_number = "86-13600136000", email_address = "b@example.com" }`, testAccAdoptBill)),
				ExpectError: acctest.ErrorMatching("Invalid import identity", "alicloudrd_message_contact_pending_update",
					"set exactly one of phone_number and email_address"),
			},
			{
				Config:      bad(fmt.Sprintf(`{ contact_id = %q }`, testAccAdoptBill)),
				ExpectError: acctest.ErrorMatching("Invalid import identity", "set exactly one of phone_number and email_address"),
			},
			{
				Config:      bad(fmt.Sprintf(`{ contact_id = %q, phone_number = "+86 136 0013 6000" }`, testAccAdoptBill)),
				ExpectError: acctest.ErrorMatching("Invalid import identity", "phone_number:"),
			},
			{
				Config: bad(fmt.Sprintf(`{ contact_id = %q, phone_number = "86-13600136000" }`, testAccAdoptBill)),
				ExpectError: acctest.ErrorMatching("No such pending change", "Contact "+testAccAdoptBill+
					" has no pending change to phone number 86-13600136000", "nothing to import"),
			},
			{
				Config:      bad(`{ contact_id = "c-000000000000", phone_number = "86-13600136000" }`),
				ExpectError: acctest.ErrorMatching("No such pending change", "Message contact c-000000000000 does not exist"),
			},
		},
	})
}

// terraform query lists the contacts, all or by member, with identities,
// names and, with include_resource, what an import would store.
func TestAccMessageContactResource_query(t *testing.T) {
	acctest.ReadModes(t, testAccMessageContactQuery)
}

func testAccMessageContactQuery(t *testing.T, readMode string) {
	srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccAdoptSeed()})
	// What Get and List show for SecTeam's email while a new one waits for
	// verification, and so what an import stores.
	secEmail := map[string]string{emulator.ReadModeRequested: testAccAdoptSecEmail, emulator.ReadModeEffective: "sec@example.com"}[readMode]
	ops := map[string]knownvalue.Check{"contact_id": knownvalue.StringExact(testAccAdoptOps)}
	sec := map[string]knownvalue.Check{"contact_id": knownvalue.StringExact(testAccAdoptSec)}
	bill := map[string]knownvalue.Check{"contact_id": knownvalue.StringExact(testAccAdoptBill)}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.ListResources.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.Outside(testAccAdoptRequestChanges),
				Config:    srv.ProviderBlock(),
			},
			{
				Query: true,
				Config: fmt.Sprintf(`
list "alicloudrd_message_contact" "all" {
  provider = alicloudrd
}

list "alicloudrd_message_contact" "folder" {
  provider         = alicloudrd
  include_resource = true
  config {
    member = %q
  }
}
`, testAccAdoptFolder),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alicloudrd_message_contact.all", 3),
					querycheck.ExpectIdentity("alicloudrd_message_contact.all", ops),
					querycheck.ExpectIdentity("alicloudrd_message_contact.all", sec),
					querycheck.ExpectIdentity("alicloudrd_message_contact.all", bill),
					querycheck.ExpectResourceDisplayName("alicloudrd_message_contact.all", queryfilter.ByResourceIdentity(bill),
						knownvalue.StringExact("Billing")),
					querycheck.ExpectLength("alicloudrd_message_contact.folder", 2),
					querycheck.ExpectNoIdentity("alicloudrd_message_contact.folder", bill),
					querycheck.ExpectResourceDisplayName("alicloudrd_message_contact.folder", queryfilter.ByResourceIdentity(sec),
						knownvalue.StringExact("SecTeam")),
					querycheck.ExpectResourceKnownValues("alicloudrd_message_contact.folder", queryfilter.ByResourceIdentity(sec),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(testAccAdoptSec)},
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("SecTeam")},
							{Path: tfjsonpath.New("email_address"), KnownValue: knownvalue.StringExact(secEmail)},
							{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("pending_email_address"), KnownValue: knownvalue.StringExact(testAccAdoptSecEmail)},
							{Path: tfjsonpath.New("members"), KnownValue: testAccStringSet(testAccAdoptFolder, testAccAdoptOwner)},
							{Path: tfjsonpath.New("message_types"), KnownValue: testAccStringSet("SecurityMessage")},
							{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("Verifying")},
							{Path: tfjsonpath.New("retain_in_members_on_destroy"), KnownValue: knownvalue.Bool(true)},
						}),
				},
			},
			{
				Query: true,
				Config: `
list "alicloudrd_message_contact" "bad" {
  provider = alicloudrd
  config {
    member = "folder-1"
  }
}
`,
				ExpectError: acctest.ErrorMatching("Invalid Attribute Value Match", "Attribute member must be a resource directory ID",
					`"folder-1"`),
			},
		},
	})
}

// terraform query lists the pending changes, of every contact or of one,
// named "<contact>: <value> (<kind>)".
func TestAccMessageContactPendingUpdate_query(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	opsPhone := map[string]knownvalue.Check{
		"contact_id":    knownvalue.StringExact(testAccAdoptOps),
		"phone_number":  knownvalue.StringExact(testAccAdoptOpsPhone),
		"email_address": knownvalue.Null(),
	}
	secEmail := map[string]knownvalue.Check{
		"contact_id":    knownvalue.StringExact(testAccAdoptSec),
		"phone_number":  knownvalue.Null(),
		"email_address": knownvalue.StringExact(testAccAdoptSecEmail),
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.ListResources.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.Outside(testAccAdoptRequestChanges),
				Config:    srv.ProviderBlock(),
			},
			{
				Query: true,
				Config: fmt.Sprintf(`
list "alicloudrd_message_contact_pending_update" "all" {
  provider         = alicloudrd
  include_resource = true
}

list "alicloudrd_message_contact_pending_update" "sec" {
  provider = alicloudrd
  config {
    contact_id = %q
  }
}
`, testAccAdoptSec),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("alicloudrd_message_contact_pending_update.all", 2),
					querycheck.ExpectIdentity("alicloudrd_message_contact_pending_update.all", opsPhone),
					querycheck.ExpectIdentity("alicloudrd_message_contact_pending_update.all", secEmail),
					querycheck.ExpectResourceDisplayName("alicloudrd_message_contact_pending_update.all", queryfilter.ByResourceIdentity(opsPhone),
						knownvalue.StringExact("OpsTeam: "+testAccAdoptOpsPhone+" (phone)")),
					querycheck.ExpectResourceKnownValues("alicloudrd_message_contact_pending_update.all", queryfilter.ByResourceIdentity(opsPhone),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(testAccAdoptOps + ":" + testAccAdoptOpsPhone)},
							{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.StringExact(testAccAdoptOpsPhone)},
							{Path: tfjsonpath.New("email_address"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("pending")},
							{Path: tfjsonpath.New("target_type"), KnownValue: knownvalue.StringExact("phone")},
							{Path: tfjsonpath.New("send_verification"), KnownValue: knownvalue.Bool(true)},
						}),
					querycheck.ExpectLength("alicloudrd_message_contact_pending_update.sec", 1),
					querycheck.ExpectResourceDisplayName("alicloudrd_message_contact_pending_update.sec", queryfilter.ByResourceIdentity(secEmail),
						knownvalue.StringExact("SecTeam: "+testAccAdoptSecEmail+" (email)")),
				},
			},
			{
				Query: true,
				Config: `
list "alicloudrd_message_contact_pending_update" "gone" {
  provider = alicloudrd
  config {
    contact_id = "c-000000000000"
  }
}
`,
				ExpectError: acctest.ErrorMatching("Message contact not found", `No message contact has the ID "c-000000000000"`),
			},
			{
				Query: true,
				Config: `
list "alicloudrd_message_contact_pending_update" "bad" {
  provider = alicloudrd
  config {
    contact_id = "ops"
  }
}
`,
				ExpectError: acctest.ErrorMatching("Invalid Attribute Value Match", "Attribute contact_id must be a message contact ID",
					`"ops"`),
			},
		},
	})
}

// The adoption round trip: terraform query -generate-config-out writes
// configuration and import blocks; terraform apply imports every contact and
// pending change with only read calls; terraform plan is then empty.
func TestAccAdoption_generateConfig(t *testing.T) {
	acctest.ReadModes(t, testAccAdoptionGenerateConfig)
}

func testAccAdoptionGenerateConfig(t *testing.T, readMode string) {
	srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode, Seed: testAccAdoptSeed()})
	cli := acctest.NewCLI(t, acctest.ListResources, testAccProtoV6ProviderFactories["alicloudrd"])
	srv.Outside(testAccAdoptRequestChanges)()
	ctx := context.Background()

	cli.Write(t, "main.tf", fmt.Sprintf(`
terraform {
  required_providers {
    alicloudrd = { source = %q }
  }
}
%s`, acctest.ProviderSource, srv.ProviderBlock()))
	cli.Write(t, "adopt.tfquery.hcl", `
list "alicloudrd_message_contact" "all" {
  provider = alicloudrd
}

list "alicloudrd_message_contact_pending_update" "all" {
  provider = alicloudrd
}
`)
	if err := cli.TF.Init(ctx, cli.Reattach()); err != nil {
		t.Fatalf("terraform init: %v", err)
	}
	messages, err := cli.TF.QueryJSON(ctx, tfexec.GenerateConfigOut("generated.tf"), cli.Reattach())
	if err != nil {
		t.Fatalf("terraform query: %v", err)
	}
	for m := range messages {
		if m.Err != nil {
			t.Fatalf("terraform query: %v", m.Err)
		}
	}
	generated := cli.Read(t, "generated.tf")
	t.Logf("terraform query -generate-config-out wrote:\n%s", generated)
	flat := strings.Join(strings.Fields(generated), " ")
	for _, want := range []string{
		`identity = {`, `contact_id = "` + testAccAdoptOps + `"`, `contact_id = "` + testAccAdoptBill + `"`,
		`phone_number = "` + testAccAdoptOpsPhone + `"`, `email_address = "` + testAccAdoptSecEmail + `"`,
		`resource "alicloudrd_message_contact"`, `resource "alicloudrd_message_contact_pending_update"`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("generated configuration lacks %s", want)
		}
	}
	if n := strings.Count(generated, "import {"); n != 5 {
		t.Errorf("generated configuration holds %d import blocks, want 5 (3 contacts, 2 pending changes)", n)
	}

	srv.Outside(func(e *emulator.Emulator) error { e.ResetCalls(); return nil })()
	if err := cli.TF.Apply(ctx, cli.Reattach()); err != nil {
		t.Fatalf("terraform apply of the generated configuration: %v", err)
	}
	if err := srv.Check(testAccAdoptOnlyReads)(nil); err != nil {
		t.Error(err)
	}
	changes, err := cli.TF.Plan(ctx, cli.Reattach(), tfexec.Out("after-import.tfplan"))
	if err != nil {
		t.Fatalf("terraform plan after the import: %v", err)
	}
	if changes {
		out, _ := cli.TF.ShowPlanFileRaw(ctx, "after-import.tfplan", cli.Reattach())
		t.Errorf("terraform plan after the import proposes changes:\n%s", out)
	}
	if e := srv.Emulator(); e != nil {
		if n := e.CountCalls(rdclient.ActionCancelMessageContactUpdate) + e.CountCalls(rdclient.ActionUpdateMessageContact); n != 0 {
			t.Errorf("adoption changed pending values: %d calls", n)
		}
	}
}

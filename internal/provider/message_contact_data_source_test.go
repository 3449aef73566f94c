package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// testAccContactsSeed is five Active contacts, listed in this order (by ID);
// three are bound to the folder fd-Finance01.
var testAccContactsSeed = []emulator.SeedContact{
	{ContactID: "c-AAAAAAAAAAA1", Name: "Alice", EmailAddress: "alice@example.com", PhoneNumber: "86-13900000001",
		Title: "CEO", MessageTypes: []string{"ServiceMessage", "FaultMessage"}, Members: []string{"rd-3G3LEe", "fd-Finance01"}},
	{ContactID: "c-AAAAAAAAAAA2", Name: "Bob", EmailAddress: "bob@example.com",
		Title: "FinanceDirector", MessageTypes: []string{"AccountExpenses"}, Members: []string{"fd-Finance01"}},
	{ContactID: "c-AAAAAAAAAAA3", Name: "Carol", EmailAddress: "carol@example.com",
		Title: "TechnicalDirector", MessageTypes: []string{"FaultMessage"}},
	{ContactID: "c-AAAAAAAAAAA4", Name: "Dave", EmailAddress: "dave@example.com",
		Title: "MaintenanceDirector", MessageTypes: []string{"SecurityMessage"}, Members: []string{"1512345678901234"}},
	{ContactID: "c-AAAAAAAAAAA5", Name: "Erin", EmailAddress: "erin@example.com", PhoneNumber: "86-13900000005",
		Title: "Other", MessageTypes: []string{"ProductMessage", "ActivityMessage"}, Members: []string{"fd-Finance01"}},
}

func TestAccMessageContactsDataSource_pages(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{PageSizeCap: 2, Seed: testAccContactsSeed})
	const all, finance = "data.alicloudrd_message_contacts.all", "data.alicloudrd_message_contacts.finance"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: srv.Config(`
data "alicloudrd_message_contacts" "bad" {
  member = "folder-1"
}
`),
			ExpectError: acctest.ErrorMatching("Invalid Attribute Value Match", "member", "starts with neither"),
		}, {
			PreConfig: srv.Outside(acctest.ResetCalls),
			Config: srv.Config(`
data "alicloudrd_message_contacts" "all" {}

data "alicloudrd_message_contacts" "finance" {
  member = "fd-Finance01"
}
`),
			// Five contacts at two a page: three pages; three bound to the
			// folder: two pages.
			Check: srv.Check(acctest.CountCalls(rdclient.ActionListMessageContacts, acctest.AnyCode, 5)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("c-AAAAAAAAAAA1"), knownvalue.StringExact("c-AAAAAAAAAAA2"),
					knownvalue.StringExact("c-AAAAAAAAAAA3"), knownvalue.StringExact("c-AAAAAAAAAAA4"),
					knownvalue.StringExact("c-AAAAAAAAAAA5"),
				})),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("contacts"), knownvalue.ListSizeExact(5)),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("contacts").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":              knownvalue.StringExact("c-AAAAAAAAAAA1"),
					"name":            knownvalue.StringExact("Alice"),
					"email_address":   knownvalue.StringExact("alice@example.com"),
					"phone_number":    knownvalue.StringExact("86-13900000001"),
					"title":           knownvalue.StringExact("CEO"),
					"message_types":   testAccStringSet("ServiceMessage", "FaultMessage"),
					"members":         testAccStringSet("rd-3G3LEe", "fd-Finance01"),
					"status":          knownvalue.StringExact("Active"),
					"create_date":     knownvalue.NotNull(),
					"associated_date": knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(all, tfjsonpath.New("contacts").AtSliceIndex(2), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"name":         knownvalue.StringExact("Carol"),
					"phone_number": knownvalue.Null(),
					"members":      knownvalue.SetExact([]knownvalue.Check{}),
				})),
				statecheck.ExpectKnownValue(finance, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("c-AAAAAAAAAAA1"), knownvalue.StringExact("c-AAAAAAAAAAA2"),
					knownvalue.StringExact("c-AAAAAAAAAAA5"),
				})),
				statecheck.ExpectKnownValue(finance, tfjsonpath.New("contacts").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"name":            knownvalue.StringExact("Bob"),
					"associated_date": knownvalue.NotNull(),
				})),
			},
		}, {
			Config: srv.Config(`
data "alicloudrd_message_contacts" "nobody" {
  member = "1000000000000009"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.alicloudrd_message_contacts.nobody", tfjsonpath.New("contacts"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.alicloudrd_message_contacts.nobody", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccMessageContactDataSource_byIDAndName(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{PageSizeCap: 2, Seed: testAccContactsSeed})
	const byID, byName = "data.alicloudrd_message_contact.by_id", "data.alicloudrd_message_contact.by_name"
	erin := map[string]knownvalue.Check{
		"id":                    knownvalue.StringExact("c-AAAAAAAAAAA5"),
		"name":                  knownvalue.StringExact("Erin"),
		"email_address":         knownvalue.StringExact("erin@example.com"),
		"phone_number":          knownvalue.StringExact("86-13900000005"),
		"title":                 knownvalue.StringExact("Other"),
		"message_types":         testAccStringSet("ProductMessage", "ActivityMessage"),
		"members":               testAccStringSet("fd-Finance01"),
		"status":                knownvalue.StringExact("Active"),
		"pending_email_address": knownvalue.Null(),
		"pending_phone_number":  knownvalue.Null(),
	}
	var checks []statecheck.StateCheck
	for _, ds := range []string{byID, byName} {
		for attr, v := range erin {
			checks = append(checks, statecheck.ExpectKnownValue(ds, tfjsonpath.New(attr), v))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: srv.Config(`
data "alicloudrd_message_contact" "missing" {
  name = "Nobody"
}
`),
				ExpectError: acctest.ErrorMatching("Message contact not found",
					`No message contact is named "Nobody" among the 5 contacts`),
			},
			{
				Config: srv.Config(`
data "alicloudrd_message_contact" "missing" {
  id = "c-000000000000"
}
`),
				ExpectError: acctest.ErrorMatching("Message contact not found",
					`No message contact has the ID "c-000000000000"`,
					"EntityNotExists.Contact (HTTP 404)", "RequestId:"),
			},
			{
				Config: srv.Config(`
data "alicloudrd_message_contact" "both" {
  id   = "c-AAAAAAAAAAA5"
  name = "Erin"
}
`),
				ExpectError: acctest.ErrorMatching("Invalid Attribute Combination", "Exactly one of these attributes must be configured: [id,name]"),
			},
			{
				Config: srv.Config(`
data "alicloudrd_message_contact" "neither" {}
`),
				ExpectError: acctest.ErrorMatching("Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"),
			},
			{
				PreConfig: srv.Outside(acctest.ResetCalls),
				Config: srv.Config(`
data "alicloudrd_message_contact" "by_id" {
  id = "c-AAAAAAAAAAA5"
}

data "alicloudrd_message_contact" "by_name" {
  name = "Erin"
}
`),
				// By ID: GetMessageContact. By name: every page of
				// ListMessageContacts (three). Both: ListMessageContactVerifications.
				Check: resource.ComposeAggregateTestCheckFunc(
					srv.Check(acctest.CountCalls(rdclient.ActionGetMessageContact, acctest.AnyCode, 1)),
					srv.Check(acctest.CountCalls(rdclient.ActionListMessageContacts, acctest.AnyCode, 3)),
					srv.Check(acctest.CountCalls(rdclient.ActionListMessageContactVerifications, acctest.AnyCode, 2)),
				),
				ConfigStateChecks: checks,
			},
		},
	})
}

// The data source shows what is pending, next to the value the API reports.
func TestAccMessageContactDataSource_pending(t *testing.T) {
	acctest.ReadModes(t, func(t *testing.T, readMode string) {
		srv := acctest.NewServer(t, acctest.Options{ReadMode: readMode})
		email := map[string]string{
			emulator.ReadModeRequested: "ops@example.com",
			emulator.ReadModeEffective: "",
		}[readMode]
		emailCheck := knownvalue.Check(knownvalue.Null())
		if email != "" {
			emailCheck = knownvalue.StringExact(email)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: srv.Config(testAccMessageContactHCL(`
  name          = "Ops"
  email_address = "ops@example.com"
  title         = "CEO"
  message_types = ["ServiceMessage"]
`) + `
data "alicloudrd_message_contact" "test" {
  id = alicloudrd_message_contact.test.id
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.alicloudrd_message_contact.test", tfjsonpath.New("email_address"), emailCheck),
					statecheck.ExpectKnownValue("data.alicloudrd_message_contact.test", tfjsonpath.New("pending_email_address"), knownvalue.StringExact("ops@example.com")),
					statecheck.ExpectKnownValue("data.alicloudrd_message_contact.test", tfjsonpath.New("status"), knownvalue.StringExact("Verifying")),
					statecheck.ExpectKnownValue("data.alicloudrd_message_contact.test", tfjsonpath.New("members"), knownvalue.SetExact([]knownvalue.Check{})),
				},
			}},
		})
	})
}

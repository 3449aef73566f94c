package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The action alicloudrd_message_contact_send_verification (Terraform 1.14 and
// later): invoked on demand with `terraform apply -invoke`, which
// terraform-plugin-testing cannot run (acctest.CLI runs it), and from a
// pending update's lifecycle with action_trigger.

const testAccSendAction = "alicloudrd_message_contact_send_verification"

// testAccSendActionCLI starts a CLI (Terraform 1.14 or later, else the test
// skips) in a directory whose configuration is the provider block and hcl,
// initialised.
func testAccSendActionCLI(t *testing.T, srv *acctest.Server, cli *acctest.CLI, hcl string) {
	t.Helper()
	cli.Write(t, "main.tf", fmt.Sprintf(`
terraform {
  required_providers {
    alicloudrd = { source = %q }
  }
}
%s%s`, acctest.ProviderSource, srv.ProviderBlock(), hcl))
	if err := cli.TF.Init(context.Background(), cli.Reattach()); err != nil {
		t.Fatalf("terraform init: %v", err)
	}
}

// testAccSendActionBlock is an action block that sends the verification
// message of value, set in attr (phone_number or email_address), of contactID.
func testAccSendActionBlock(name, contactID, attr, value string) string {
	return fmt.Sprintf("\naction %q %q {\n  config {\n    contact_id = %q\n    %s = %q\n  }\n}\n", testAccSendAction, name, contactID, attr, value)
}

// testAccInvoke runs `terraform apply -invoke=action.<type>.<name>` with no
// API call recorded before it, and returns what the CLI printed.
func testAccInvoke(t *testing.T, srv *acctest.Server, cli *acctest.CLI, name string) (string, error) {
	t.Helper()
	srv.Outside(acctest.ResetCalls)()
	out, err := cli.Run(context.Background(), "apply", "-auto-approve", "-input=false", "-no-color",
		"-invoke=action."+testAccSendAction+"."+name)
	t.Logf("terraform apply -invoke=action.%s.%s:\n%s", testAccSendAction, name, out)
	return out, err
}

// testAccSendCalls checks that the emulator served exactly the calls of
// want since the last reset, each with the given business parameters.
func testAccSendCalls(t *testing.T, srv *acctest.Server, params map[string]string, want ...string) {
	t.Helper()
	if err := srv.Check(acctest.ExpectCalls(want))(nil); err != nil {
		t.Error(err)
		return
	}
	if err := srv.Check(func(e *emulator.Emulator) error {
		for _, c := range e.Calls() {
			for k, v := range params {
				if c.Params[k] != v {
					return fmt.Errorf("%s was called with %s=%q, want %q (parameters %v)", c.Action, k, c.Params[k], v, c.Params)
				}
			}
		}
		return nil
	})(nil); err != nil {
		t.Error(err)
	}
}

// Invoked on demand, the action makes exactly one Send call for the pending
// value it names, and reports what it sent to whom; the change stays
// pending. Throttled calls are retried, and the message is still sent once.
func TestAccMessageContactSendVerificationAction_invoke(t *testing.T) {
	cli := acctest.NewCLI(t, acctest.Actions, testAccProtoV6ProviderFactories["alicloudrd"])
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	srv.Outside(testAccAdoptRequestChanges)()
	testAccSendActionCLI(t, srv, cli,
		testAccSendActionBlock("ops_phone", testAccAdoptOps, "phone_number", testAccAdoptOpsPhone)+
			testAccSendActionBlock("sec_email", testAccAdoptSec, "email_address", testAccAdoptSecEmail))

	out, err := testAccInvoke(t, srv, cli, "ops_phone")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Sending a verification SMS to " + testAccAdoptOpsPhone + ", the pending phone number of message contact " + testAccAdoptOps,
		"Sent a verification SMS to " + testAccAdoptOpsPhone + ": its owner verifies the change with the code in it; until then the change stays pending",
		"Actions: 1 invoked.",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the output lacks the line %q", line)
		}
	}
	testAccSendCalls(t, srv, map[string]string{"ContactId": testAccAdoptOps, "PhoneNumber": testAccAdoptOpsPhone},
		rdclient.ActionSendPhoneVerificationForMessageContact)

	// Throttled twice, then sent: one message.
	srv.Outside(func(e *emulator.Emulator) error {
		e.SetFaults(emulator.Faults{ThrottleRate: 0.6, Actions: []string{rdclient.ActionSendEmailVerificationForMessageContact}})
		return nil
	})()
	out, err = testAccInvoke(t, srv, cli, "sec_email")
	if err != nil {
		t.Fatal(err)
	}
	if line := "Sent a verification email to " + testAccAdoptSecEmail + ": its owner verifies the change with the link in it"; !strings.Contains(out, line) {
		t.Errorf("the output lacks the line %q", line)
	}
	send := rdclient.ActionSendEmailVerificationForMessageContact
	testAccSendCalls(t, srv, map[string]string{"ContactId": testAccAdoptSec, "EmailAddress": testAccAdoptSecEmail},
		send+"("+rdclient.CodeThrottlingUser+")", send+"("+rdclient.CodeThrottlingUser+")", send)

	// Nothing changed: both values are still pending.
	if err := srv.Check(func(e *emulator.Emulator) error {
		ops, _ := e.Contact(testAccAdoptOps)
		sec, _ := e.Contact(testAccAdoptSec)
		if ops.PendingPhoneNumber != testAccAdoptOpsPhone || sec.PendingEmailAddress != testAccAdoptSecEmail {
			return fmt.Errorf("pending values changed: %q, %q", ops.PendingPhoneNumber, sec.PendingEmailAddress)
		}
		return nil
	})(nil); err != nil {
		t.Error(err)
	}
}

// From a pending update's lifecycle: with send_verification = false, the
// action triggered after create sends the one verification message; later
// plans and applies send none.
func TestAccMessageContactSendVerificationAction_afterCreate(t *testing.T) {
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	name := "alicloudrd_message_contact_pending_update.ops_phone"
	send := rdclient.ActionSendPhoneVerificationForMessageContact
	config := srv.Config(fmt.Sprintf(`
locals {
  contact_id = %[2]q
  new_phone  = %[3]q
}

resource "alicloudrd_message_contact_pending_update" "ops_phone" {
  contact_id        = local.contact_id
  phone_number      = local.new_phone
  send_verification = false

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%[1]s.ops_phone]
    }
  }
}

action %[1]q "ops_phone" {
  config {
    contact_id   = local.contact_id
    phone_number = local.new_phone
  }
}
`, testAccSendAction, testAccAdoptOps, testAccAdoptOpsPhone))
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.Actions.Check()},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(name, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(name, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("send_verification"), knownvalue.Bool(false)),
				},
				// The change is requested and confirmed; then the action
				// sends the one message.
				Check: srv.Check(acctest.ExpectCalls([]string{
					rdclient.ActionUpdateMessageContact, rdclient.ActionListMessageContactVerifications, send,
				})),
			},
			{
				// Nothing is created again, so nothing is sent again.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            srv.Check(acctest.CountCalls(send, acctest.AnyCode, 1)),
			},
		},
	})
}

// Errors a user can act on, each saying what to do next, each after exactly
// one Send call (none is retried): an unknown contact, nothing pending for
// the value, the per-minute and the daily send limits. An invalid value
// fails before any API call.
func TestAccMessageContactSendVerificationAction_errors(t *testing.T) {
	cli := acctest.NewCLI(t, acctest.Actions, testAccProtoV6ProviderFactories["alicloudrd"])
	srv := acctest.NewServer(t, acctest.Options{Seed: testAccAdoptSeed()})
	srv.Outside(testAccAdoptRequestChanges)()
	const otherPhone = "86-13600136000"
	testAccSendActionCLI(t, srv, cli, testAccSendActionBlock("gone", "c-000000000000", "phone_number", otherPhone)+
		testAccSendActionBlock("not_pending", testAccAdoptBill, "phone_number", otherPhone)+
		testAccSendActionBlock("sec_email", testAccAdoptSec, "email_address", testAccAdoptSecEmail)+
		testAccSendActionBlock("ops_phone", testAccAdoptOps, "phone_number", testAccAdoptOpsPhone))
	sendPhone, sendEmail := rdclient.ActionSendPhoneVerificationForMessageContact, rdclient.ActionSendEmailVerificationForMessageContact
	limited := "(" + rdclient.CodeSendLimitExceeded + ")"

	tests := []struct {
		action  string
		outside func(e *emulator.Emulator) error
		want    []string // phrases of the error, in order
		params  map[string]string
		calls   []string
	}{
		{
			action: "gone",
			want: []string{"Message contact not found", "Message contact c-000000000000 does not exist",
				"EntityNotExists.Contact (HTTP 404)", "RequestId", "Check contact_id", "alicloudrd_message_contacts"},
			params: map[string]string{"ContactId": "c-000000000000", "PhoneNumber": otherPhone},
			calls:  []string{sendPhone + "(" + rdclient.CodeContactNotFound + ")"},
		},
		{
			action: "not_pending",
			want: []string{"Nothing pending to verify", "Contact " + testAccAdoptBill + " has no pending change to phone number " + otherPhone,
				"EntityNotExists.Contact.Verification (HTTP 404)", "Request the change first",
				"alicloudrd_message_contact_pending_update", "already verified"},
			params: map[string]string{"ContactId": testAccAdoptBill, "PhoneNumber": otherPhone},
			calls:  []string{sendPhone + "(" + rdclient.CodeVerificationNotFound + ")"},
		},
		{
			// Ten messages went to the address in the last minute.
			action: "sec_email",
			outside: func(e *emulator.Emulator) error {
				return e.SendMessages(testAccAdoptSecEmail, emulator.SendLimitPerMinute)
			},
			want: []string{"Cannot send the verification message", "Sending a verification email to email address " + testAccAdoptSecEmail,
				rdclient.CodeSendLimitExceeded + " (HTTP 409)", "RequestId", "try again in a minute"},
			params: map[string]string{"ContactId": testAccAdoptSec, "EmailAddress": testAccAdoptSecEmail},
			calls:  []string{sendEmail + limited},
		},
		{
			// The account sent its messages of the day.
			action:  "ops_phone",
			outside: testAccSpendDailySends,
			want: []string{"Cannot send the verification message", "Sending a verification SMS to phone number " + testAccAdoptOpsPhone,
				rdclient.CodeSendLimitExceeded + " (HTTP 409)", "try again tomorrow"},
			params: map[string]string{"ContactId": testAccAdoptOps, "PhoneNumber": testAccAdoptOpsPhone},
			calls:  []string{sendPhone + limited},
		},
	}
	for _, tt := range tests {
		if tt.outside != nil {
			srv.Outside(tt.outside)()
		}
		out, err := testAccInvoke(t, srv, cli, tt.action)
		if err == nil {
			t.Errorf("%s: invoking succeeded, want an error", tt.action)
		}
		if re := acctest.ErrorMatching(tt.want...); !re.MatchString(out) {
			t.Errorf("%s: the output does not match %s", tt.action, re)
		}
		testAccSendCalls(t, srv, tt.params, tt.calls...)
	}

	// Invalid values fail the plan, before any API call.
	testAccSendActionCLI(t, srv, cli, testAccSendActionBlock("bad_phone", testAccAdoptOps, "phone_number", "+86 139 1234 5678")+
		testAccSendActionBlock("bad_contact", "ops", "email_address", "ops@example.com")+fmt.Sprintf(`
action %[1]q "both" {
  config {
    contact_id    = %[2]q
    phone_number  = %[3]q
    email_address = "ops@example.com"
  }
}

action %[1]q "neither" {
  config {
    contact_id = %[2]q
  }
}
`, testAccSendAction, testAccAdoptOps, testAccAdoptOpsPhone))
	out, err := testAccInvoke(t, srv, cli, "bad_phone")
	if err == nil {
		t.Error("invoking an action with invalid values succeeded")
	}
	for _, want := range [][]string{
		{"Invalid Attribute Value", "phone_number", "+86 139 1234 5678"},
		{"Invalid Attribute Value", "contact_id", `"ops"`},
		{"Invalid Attribute Combination", "phone_number", "email_address"},
	} {
		if re := acctest.ErrorMatching(want...); !re.MatchString(out) {
			t.Errorf("the output does not match %s", re)
		}
	}
	if err := srv.Check(acctest.ExpectNoCalls)(nil); err != nil {
		t.Error(err)
	}
}

// testAccSpendDailySends sends, outside Terraform, what is left of the
// account's verification messages of the day, 10 to each of other addresses.
func testAccSpendDailySends(e *emulator.Emulator) error {
	for i := range emulator.SendLimitPerDay / emulator.SendLimitPerMinute {
		err := e.SendMessages(fmt.Sprintf("other%d@example.com", i), emulator.SendLimitPerMinute)
		if errors.Is(err, emulator.ErrSendLimit) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("%d messages sent and no limit reached", emulator.SendLimitPerDay)
}

// Invoke, on a scripted API: the progress lines, one Send call whatever
// happens, and for each failure its summary, where it points and its advice.
func TestMessageContactSendVerificationAction_invokeOutcomes(t *testing.T) {
	ctx := context.Background()
	send := rdclient.ActionSendPhoneVerificationForMessageContact
	tests := map[string]struct {
		err       error
		progress  []string
		summary   string
		attribute string
		detail    []string // in order
	}{
		"sent": {
			progress: []string{
				"Sending a verification SMS to " + testAccPendingUpdateNewPhone + ", the pending phone number of message contact " + pendingUpdateTestContact,
				"Sent a verification SMS to " + testAccPendingUpdateNewPhone + ": its owner verifies the change with the code in it; until then the change stays pending",
			},
		},
		"nothing pending": {
			err: pendingUpdateTestAPIError(send, rdclient.CodeVerificationNotFound, 404), summary: "Nothing pending to verify",
			attribute: "phone_number", detail: []string{"has no pending change to phone number", "(HTTP 404)", "RequestId",
				"Request the change first", "already verified"},
		},
		"unknown contact": {
			err: pendingUpdateTestAPIError(send, rdclient.CodeContactNotFound, 404), summary: "Message contact not found",
			attribute: "contact_id", detail: []string{"Message contact " + pendingUpdateTestContact + " does not exist", "Check contact_id"},
		},
		"server failure outlasting the retries": {
			err: pendingUpdateTestAPIError(send, "ServiceUnavailable", 503), summary: "Cannot send the verification message",
			detail: []string{"Sending a verification SMS to phone number " + testAccPendingUpdateNewPhone, "(HTTP 503)", "usually temporary"},
		},
		"invalid parameter": {
			err: pendingUpdateTestAPIError(send, "InvalidParameter.MobileCountryCode", 400), summary: "Cannot send the verification message",
			detail: []string{"InvalidParameter.MobileCountryCode", "site"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			fake := &pendingUpdateFakeAPI{send: func() error { return tt.err }}
			a := &messageContactSendVerificationAction{client: fake}
			var sresp action.SchemaResponse
			a.Schema(ctx, action.SchemaRequest{}, &sresp)
			config := tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
				"contact_id":    tftypes.NewValue(tftypes.String, pendingUpdateTestContact),
				"phone_number":  tftypes.NewValue(tftypes.String, testAccPendingUpdateNewPhone),
				"email_address": tftypes.NewValue(tftypes.String, nil),
			})}
			var progress []string
			resp := action.InvokeResponse{SendProgress: func(e action.InvokeProgressEvent) { progress = append(progress, e.Message) }}
			a.Invoke(ctx, action.InvokeRequest{Config: config}, &resp)

			if want := []string{send}; !slices.Equal(fake.calls, want) {
				t.Errorf("calls %v, want %v", fake.calls, want)
			}
			if tt.err == nil {
				if resp.Diagnostics.HasError() || !slices.Equal(progress, tt.progress) {
					t.Errorf("diagnostics %v, progress %q; want no error and %q", resp.Diagnostics, progress, tt.progress)
				}
				return
			}
			if len(progress) != 1 || len(resp.Diagnostics) != 1 {
				t.Fatalf("progress %q, diagnostics %v: want the first progress line and one error", progress, resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Summary() != tt.summary {
				t.Errorf("summary %q, want %q", d.Summary(), tt.summary)
			}
			var at string
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				at = wp.Path().String()
			}
			if at != tt.attribute {
				t.Errorf("error on %q, want %q", at, tt.attribute)
			}
			if re := acctest.ErrorMatching(tt.detail...); !re.MatchString(d.Detail()) {
				t.Errorf("detail does not match %s:\n%s", re, d.Detail())
			}
		})
	}
}

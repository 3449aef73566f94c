package emulator

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func (v *testEnv) expectErr(action string, params map[string]string, status int, code string) {
	v.t.Helper()
	_, err := v.call(action, params)
	serverError(v.t, err, status, code)
}

// strs returns x, a decoded JSON array of strings, as a []string.
func strs(t testing.TB, x any) []string {
	t.Helper()
	var out []string
	for i := range at[[]any](t, x) {
		out = append(out, at[string](t, x, i))
	}
	return out
}

func TestEveryActionSucceeds(t *testing.T) {
	v := newEnv(t, Config{})
	seen := map[string]bool{}
	do := func(action string, p map[string]string) map[string]any {
		seen[action] = true
		return v.mustCall(action, p)
	}
	add := do("AddMessageContact", map[string]string{
		"Name": "Alice", "EmailAddress": "dm.ldm@gmail.com", "PhoneNumber": "86-13912341234",
		"Title": "FinanceDirector", "MessageTypes.1": "AccountExpenses", "MessageTypes.2": "SecurityMessage",
	})
	ref := at[map[string]any](t, add, "Contact")
	id := at[string](t, ref, "ContactId")
	if !validContactID(id) {
		t.Fatalf("ContactId %q", id)
	}
	if want := v.clock.Now().UTC().Format("2006-01-02 15:04:05"); ref["CreateDate"] != want {
		t.Errorf("CreateDate %v, want %s", ref["CreateDate"], want)
	}
	do("UpdateMessageContact", map[string]string{"ContactId": id, "Title": "CEO", "MessageTypes.1": "ProductMessage"})
	got := at[map[string]any](t, do("GetMessageContact", map[string]string{"ContactId": id}), "Contact")
	want := map[string]any{
		"ContactId": id, "Name": "Alice", "EmailAddress": "dm.ldm@gmail.com", "PhoneNumber": "86-13912341234",
		"Title": "CEO", "MessageTypes": []any{"ProductMessage"}, "Members": []any{}, "Status": "Verifying",
		"CreateDate": ref["CreateDate"],
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("Get (-want +got):\n%s", d)
	}
	list := do("ListMessageContacts", nil)
	if at[float64](t, list, "TotalCount") != 1 || at[float64](t, list, "PageNumber") != 1 || at[float64](t, list, "PageSize") != 10 {
		t.Errorf("List %v", list)
	}
	do("SendEmailVerificationForMessageContact", map[string]string{"ContactId": id, "EmailAddress": "dm.ldm@gmail.com"})
	do("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
	vers := do("ListMessageContactVerifications", map[string]string{"ContactId": id})
	if d := cmp.Diff([]any{
		map[string]any{"ContactId": id, "Target": "dm.ldm@gmail.com"},
		map[string]any{"ContactId": id, "Target": "86-13912341234"},
	}, vers["ContactVerifications"]); d != "" {
		t.Errorf("verifications (-want +got):\n%s", d)
	}
	do("CancelMessageContactUpdate", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
	as := do("AssociateMembers", map[string]string{"ContactId": id, "Members.1": "rd-k3AbCd", "Members.2": "1234567890123456"})
	if d := cmp.Diff([]any{
		map[string]any{"ContactId": id, "MemberId": "rd-k3AbCd", "ModifyDate": ref["CreateDate"]},
		map[string]any{"ContactId": id, "MemberId": "1234567890123456", "ModifyDate": ref["CreateDate"]},
	}, as["Members"]); d != "" {
		t.Errorf("AssociateMembers (-want +got):\n%s", d)
	}
	byMember := do("ListMessageContacts", map[string]string{"Member": "rd-k3AbCd"})
	if cs := at[[]any](t, byMember, "Contacts"); len(cs) != 1 || at[map[string]any](t, cs, 0)["AssociatedDate"] != ref["CreateDate"] {
		t.Errorf("List by member: %v", byMember)
	}
	if cs := at[[]any](t, do("ListMessageContacts", map[string]string{"Member": "fd-none"}), "Contacts"); len(cs) != 0 {
		t.Errorf("List by unbound member: %v", cs)
	}
	do("DisassociateMembers", map[string]string{"ContactId": id, "Members.1": "rd-k3AbCd"})
	if m := strs(t, v.getContact(id)["Members"]); !slices.Equal(m, []string{"1234567890123456"}) {
		t.Errorf("members after disassociate %v", m)
	}
	del := do("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
	if del["Status"] != "Deleting" {
		t.Errorf("Delete %v", del)
	}
	st := at[map[string]any](t, do("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}), "ContactDeletionStatus")
	if st["Status"] != "Deleting" || st["ContactId"] != id || len(at[[]any](t, st, "FailReasonList")) != 0 {
		t.Errorf("deletion status %v", st)
	}
	if missing := cmp.Diff(Actions(), sortedKeys(seen)); missing != "" {
		t.Errorf("actions not exercised (-all +seen):\n%s", missing)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// documentedCodes are the business error codes of internal/emulator/README.md
// "Actions".
var documentedCodes = []string{
	"MissingParameter.Name", "MissingParameter.EmailAddress", "MissingParameter.Title", "MissingParameter.MessageTypes",
	"MissingParameter.ContactId", "MissingParameter.PhoneNumber",
	"InvalidParameter.Name", "InvalidParameter.Name.Length", "InvalidParameter.Name.AlreadyUsed",
	"InvalidParameter.EmailAddress", "InvalidParameter.PhoneNumber", "InvalidParameter.MobileCountryCode",
	"InvalidParameter.Title", "InvalidParameter.MessageTypes", "InvalidParameter.ContactId", "InvalidParameter.PageSize",
	"InvalidParameter.Members", "InvalidParameter.Members.Duplicate", "InvalidParameter.Members.Length",
	"QuotaExceeded.Contacts", "LimitExceeded.ContactMembers", "InvalidMember",
	"EntityNotExists.Contact", "EntityNotExists.Contact.Verification",
	"ContactStatusMismatchAction", "ConcurrentCallNotSupported", "SendValidateCodeExceedsLimitForAccount",
}

// coveredElsewhere are documented codes asserted by dedicated tests.
var coveredElsewhere = map[string]string{
	"QuotaExceeded.Contacts":                 "TestLimits",
	"LimitExceeded.ContactMembers":           "TestLimits",
	"ConcurrentCallNotSupported":             "TestAsyncDeletion",
	"SendValidateCodeExceedsLimitForAccount": "TestSendLimits",
}

func TestBusinessErrors(t *testing.T) {
	v := newEnv(t, Config{})
	id := v.addContact("Alice", "alice@example.com", "86-13912341234")
	del := v.addContact("Bob", "bob@example.com", "")
	v.mustCall("DeleteMessageContact", map[string]string{"ContactId": del, "RetainContactInMembers": "false"})
	const missing = "c-000000000000"
	add := func(kv ...string) map[string]string {
		p := map[string]string{"Name": "Carol", "EmailAddress": "carol@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "-" {
				delete(p, kv[i])
			} else {
				p[kv[i]] = kv[i+1]
			}
		}
		return p
	}
	type tc struct {
		action string
		params map[string]string
		status int
		code   string
	}
	p := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []tc{
		// AddMessageContact
		{"AddMessageContact", add("Name", "-"), 400, "MissingParameter.Name"},
		{"AddMessageContact", add("EmailAddress", "-"), 400, "MissingParameter.EmailAddress"},
		{"AddMessageContact", add("Title", "-"), 400, "MissingParameter.Title"},
		{"AddMessageContact", add("MessageTypes.1", "-"), 400, "MissingParameter.MessageTypes"},
		{"AddMessageContact", add("Name", "Car0l"), 400, "InvalidParameter.Name"},
		{"AddMessageContact", add("Name", "C"), 400, "InvalidParameter.Name.Length"},
		{"AddMessageContact", add("Name", "Carolinebeth.x"), 400, "InvalidParameter.Name.Length"},
		{"AddMessageContact", add("Name", "Alice"), 400, "InvalidParameter.Name.AlreadyUsed"},
		{"AddMessageContact", add("EmailAddress", "Carol <carol@example.com>"), 400, "InvalidParameter.EmailAddress"},
		{"AddMessageContact", add("PhoneNumber", "86-139123"), 400, "InvalidParameter.PhoneNumber"},
		{"AddMessageContact", add("PhoneNumber", "1-2025550123"), 400, "InvalidParameter.MobileCountryCode"},
		{"AddMessageContact", add("Title", "Boss"), 400, "InvalidParameter.Title"},
		{"AddMessageContact", add("MessageTypes.2", "Spam"), 400, "InvalidParameter.MessageTypes"},
		{"AddMessageContact", add("MessageTypes.x", "FaultMessage"), 400, "InvalidParameter.MessageTypes"},
		// UpdateMessageContact
		{"UpdateMessageContact", p("Title", "CEO"), 400, "MissingParameter.ContactId"},
		{"UpdateMessageContact", p("ContactId", "c-short"), 400, "InvalidParameter.ContactId"},
		{"UpdateMessageContact", p("ContactId", missing, "Title", "CEO"), 404, "EntityNotExists.Contact"},
		{"UpdateMessageContact", p("ContactId", del, "Title", "CEO"), 400, "ContactStatusMismatchAction"},
		{"UpdateMessageContact", p("ContactId", id, "Name", "Bob"), 400, "InvalidParameter.Name.AlreadyUsed"},
		{"UpdateMessageContact", p("ContactId", id, "Name", "B"), 400, "InvalidParameter.Name.Length"},
		{"UpdateMessageContact", p("ContactId", id, "Name", "B_b"), 400, "InvalidParameter.Name"},
		{"UpdateMessageContact", p("ContactId", id, "EmailAddress", "no-at-sign"), 400, "InvalidParameter.EmailAddress"},
		{"UpdateMessageContact", p("ContactId", id, "PhoneNumber", "8613912341234"), 400, "InvalidParameter.PhoneNumber"},
		{"UpdateMessageContact", p("ContactId", id, "PhoneNumber", "44-7911123456"), 400, "InvalidParameter.MobileCountryCode"},
		{"UpdateMessageContact", p("ContactId", id, "Title", "ceo"), 400, "InvalidParameter.Title"},
		{"UpdateMessageContact", p("ContactId", id, "MessageTypes.1", "Other"), 400, "InvalidParameter.MessageTypes"},
		// GetMessageContact
		{"GetMessageContact", nil, 400, "MissingParameter.ContactId"},
		{"GetMessageContact", p("ContactId", "x-aaaaaaaaaaaa"), 400, "InvalidParameter.ContactId"},
		{"GetMessageContact", p("ContactId", missing), 404, "EntityNotExists.Contact"},
		// ListMessageContacts
		{"ListMessageContacts", p("PageSize", "101"), 400, "InvalidParameter.PageSize"},
		{"ListMessageContacts", p("PageSize", "0"), 400, "InvalidParameter.PageSize"},
		{"ListMessageContacts", p("PageSize", "ten"), 400, "InvalidParameter.PageSize"},
		{"ListMessageContacts", p("PageNumber", "0"), 400, "InvalidParameter.PageNumber"},
		// DeleteMessageContact
		{"DeleteMessageContact", nil, 400, "MissingParameter.ContactId"},
		{"DeleteMessageContact", p("ContactId", "c-aaaaaaaaaaa!"), 400, "InvalidParameter.ContactId"},
		{"DeleteMessageContact", p("ContactId", missing), 404, "EntityNotExists.Contact"},
		{"DeleteMessageContact", p("ContactId", id, "RetainContactInMembers", "maybe"), 400, "InvalidParameter.RetainContactInMembers"},
		// GetMessageContactDeletionStatus
		{"GetMessageContactDeletionStatus", nil, 400, "MissingParameter.ContactId"},
		{"GetMessageContactDeletionStatus", p("ContactId", "c-"), 400, "InvalidParameter.ContactId"},
		{"GetMessageContactDeletionStatus", p("ContactId", missing), 404, "EntityNotExists.Contact"},
		{"GetMessageContactDeletionStatus", p("ContactId", id), 400, "ContactStatusMismatchAction"},
		// CancelMessageContactUpdate
		{"CancelMessageContactUpdate", p("EmailAddress", "alice@example.com"), 400, "MissingParameter.ContactId"},
		{"CancelMessageContactUpdate", p("ContactId", "c-aaaa", "EmailAddress", "alice@example.com"), 400, "InvalidParameter.ContactId"},
		{"CancelMessageContactUpdate", p("ContactId", id, "PhoneNumber", "86-1"), 400, "InvalidParameter.PhoneNumber"},
		{"CancelMessageContactUpdate", p("ContactId", id, "PhoneNumber", "65-81234567"), 400, "InvalidParameter.MobileCountryCode"},
		{"CancelMessageContactUpdate", p("ContactId", id, "EmailAddress", "alice@"), 400, "InvalidParameter.EmailAddress"},
		{"CancelMessageContactUpdate", p("ContactId", id, "EmailAddress", "other@example.com"), 400, "ContactStatusMismatchAction"},
		{"CancelMessageContactUpdate", p("ContactId", del, "EmailAddress", "bob@example.com"), 400, "ContactStatusMismatchAction"},
		{"CancelMessageContactUpdate", p("ContactId", missing, "EmailAddress", "alice@example.com"), 404, "EntityNotExists.Contact"},
		{"CancelMessageContactUpdate", p("ContactId", id), 400, "MissingParameter"},
		{"CancelMessageContactUpdate", p("ContactId", id, "EmailAddress", "alice@example.com", "PhoneNumber", "86-13912341234"), 400, "InvalidParameter"},
		// ListMessageContactVerifications
		{"ListMessageContactVerifications", p("ContactId", "c-bad"), 400, "InvalidParameter.ContactId"},
		{"ListMessageContactVerifications", p("ContactId", missing), 404, "EntityNotExists.Contact"},
		{"ListMessageContactVerifications", p("PageSize", "500"), 400, "InvalidParameter.PageSize"},
		// SendEmailVerificationForMessageContact
		{"SendEmailVerificationForMessageContact", p("EmailAddress", "alice@example.com"), 400, "MissingParameter.ContactId"},
		{"SendEmailVerificationForMessageContact", p("ContactId", id), 400, "MissingParameter.EmailAddress"},
		{"SendEmailVerificationForMessageContact", p("ContactId", "c-?", "EmailAddress", "alice@example.com"), 400, "InvalidParameter.ContactId"},
		{"SendEmailVerificationForMessageContact", p("ContactId", id, "EmailAddress", "alice.example.com"), 400, "InvalidParameter.EmailAddress"},
		{"SendEmailVerificationForMessageContact", p("ContactId", missing, "EmailAddress", "alice@example.com"), 404, "EntityNotExists.Contact"},
		{"SendEmailVerificationForMessageContact", p("ContactId", id, "EmailAddress", "nobody@example.com"), 404, "EntityNotExists.Contact.Verification"},
		{"SendEmailVerificationForMessageContact", p("ContactId", del, "EmailAddress", "bob@example.com"), 404, "EntityNotExists.Contact.Verification"},
		// SendPhoneVerificationForMessageContact
		{"SendPhoneVerificationForMessageContact", p("PhoneNumber", "86-13912341234"), 400, "MissingParameter.ContactId"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", id), 400, "MissingParameter.PhoneNumber"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", "C-aaaaaaaaaaaa", "PhoneNumber", "86-13912341234"), 400, "InvalidParameter.ContactId"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", id, "PhoneNumber", "86-139-1234-1234"), 400, "InvalidParameter.PhoneNumber"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", id, "PhoneNumber", "1-2025550123"), 400, "InvalidParameter.MobileCountryCode"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", missing, "PhoneNumber", "86-13912341234"), 404, "EntityNotExists.Contact"},
		{"SendPhoneVerificationForMessageContact", p("ContactId", id, "PhoneNumber", "86-13800000000"), 404, "EntityNotExists.Contact.Verification"},
		// AssociateMembers
		{"AssociateMembers", p("Members.1", "rd-abc"), 400, "MissingParameter.ContactId"},
		{"AssociateMembers", p("ContactId", "c-abc", "Members.1", "rd-abc"), 400, "InvalidParameter.ContactId"},
		{"AssociateMembers", p("ContactId", id), 400, "InvalidParameter.Members"},
		{"AssociateMembers", p("ContactId", id, "Members.1", "rd-a", "Members.2", "rd-b", "Members.3", "rd-c", "Members.4", "rd-d", "Members.5", "rd-e", "Members.6", "rd-f"), 400, "InvalidParameter.Members"},
		{"AssociateMembers", p("ContactId", id, "Members.1", "rd-a", "Members.2", "rd-a"), 400, "InvalidParameter.Members.Duplicate"},
		{"AssociateMembers", p("ContactId", id, "Members.1", "acc-123"), 400, "InvalidMember"},
		{"AssociateMembers", p("ContactId", id, "Members.1", "123456789012345"), 400, "InvalidMember"},
		{"AssociateMembers", p("ContactId", missing, "Members.1", "rd-abc"), 404, "EntityNotExists.Contact"},
		{"AssociateMembers", p("ContactId", del, "Members.1", "rd-abc"), 400, "ContactStatusMismatchAction"},
		// DisassociateMembers
		{"DisassociateMembers", p("Members.1", "rd-abc"), 400, "MissingParameter.ContactId"},
		{"DisassociateMembers", p("ContactId", "c-abc", "Members.1", "rd-abc"), 400, "InvalidParameter.ContactId"},
		{"DisassociateMembers", p("ContactId", id), 400, "InvalidParameter.Members"},
		{"DisassociateMembers", p("ContactId", id, "Members.1", "bogus"), 400, "InvalidParameter.Members"},
		{"DisassociateMembers", p("ContactId", id, "Members.1", "rd-a", "Members.2", "rd-b", "Members.3", "rd-c", "Members.4", "rd-d", "Members.5", "rd-e", "Members.6", "rd-f"), 400, "InvalidParameter.Members.Length"},
		{"DisassociateMembers", p("ContactId", id, "Members.1", "rd-a", "Members.2", "rd-a"), 400, "InvalidParameter.Members.Duplicate"},
		{"DisassociateMembers", p("ContactId", missing, "Members.1", "rd-abc"), 404, "EntityNotExists.Contact"},
	}
	covered := map[string]bool{}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%02d_%s_%s", i, c.action, c.code), func(t *testing.T) {
			before := v.emu.Contacts()
			_, err := v.call(c.action, c.params)
			se := mustServerError(t, err, c.status, c.code)
			if se.Message() == "" {
				t.Error("empty Message")
			}
			if d := cmp.Diff(before, v.emu.Contacts()); d != "" {
				t.Errorf("a failed call changed state:\n%s", d)
			}
			calls := v.emu.Calls()
			if last := calls[len(calls)-1]; last.Action != c.action || last.Code != c.code || last.Status != c.status {
				t.Errorf("last call recorded as %+v", last)
			}
		})
		covered[c.code] = true
	}
	for _, code := range documentedCodes {
		if !covered[code] && coveredElsewhere[code] == "" {
			t.Errorf("documented code %s is not tested", code)
		}
	}
}

func TestPendingStateMachine(t *testing.T) {
	for _, mode := range []string{ReadModeRequested, ReadModeEffective} {
		t.Run(mode, func(t *testing.T) {
			v := newEnv(t, Config{ReadMode: mode})
			if err := v.emu.SeedContacts([]SeedContact{{
				ContactID: "c-seed00000001", Name: "Ops", EmailAddress: "ops@example.com", PhoneNumber: "86-13900000001",
				Title: "MaintenanceDirector", MessageTypes: []string{"FaultMessage"}, Members: []string{"rd-root1"},
			}}); err != nil {
				t.Fatal(err)
			}
			const id = "c-seed00000001"
			shown := func(requested, effective string) string {
				if mode == ReadModeRequested {
					return requested
				}
				return effective
			}
			check := func(step, email, phone, status string, pending ...string) {
				t.Helper()
				c := v.getContact(id)
				if c["EmailAddress"] != email || c["PhoneNumber"] != phone || c["Status"] != status {
					t.Fatalf("%s: Get shows %v/%v/%v, want %s/%s/%s", step, c["EmailAddress"], c["PhoneNumber"], c["Status"], email, phone, status)
				}
				lc := at[map[string]any](t, v.mustCall("ListMessageContacts", map[string]string{"ContactId": id}), "Contacts", 0)
				if lc["EmailAddress"] != email || lc["PhoneNumber"] != phone || lc["Status"] != status {
					t.Fatalf("%s: List shows %v", step, lc)
				}
				var targets []string
				for _, x := range at[[]any](t, v.mustCall("ListMessageContactVerifications", map[string]string{"ContactId": id}), "ContactVerifications") {
					targets = append(targets, at[string](t, x, "Target"))
				}
				if !slices.Equal(targets, pending) {
					t.Fatalf("%s: pending %v, want %v", step, targets, pending)
				}
			}
			check("seeded", "ops@example.com", "86-13900000001", "Active")

			v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "EmailAddress": "new@example.com"})
			check("email requested", shown("new@example.com", "ops@example.com"), "86-13900000001", "Verifying", "new@example.com")

			v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "EmailAddress": "newer@example.com"})
			check("second request replaces", shown("newer@example.com", "ops@example.com"), "86-13900000001", "Verifying", "newer@example.com")

			v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "EmailAddress": "ops@example.com"})
			check("back to effective drops pending", "ops@example.com", "86-13900000001", "Active")

			v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000002", "EmailAddress": "new@example.com"})
			check("both pending", shown("new@example.com", "ops@example.com"), shown("86-13900000002", "86-13900000001"), "Verifying", "new@example.com", "86-13900000002")
			v.mustCall("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000002"})
			v.mustCall("SendEmailVerificationForMessageContact", map[string]string{"ContactId": id, "EmailAddress": "new@example.com"})
			v.expectErr("SendEmailVerificationForMessageContact", map[string]string{"ContactId": id, "EmailAddress": "ops@example.com"}, 404, "EntityNotExists.Contact.Verification")

			v.expectErr("CancelMessageContactUpdate", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000003"}, 400, "ContactStatusMismatchAction")
			v.mustCall("CancelMessageContactUpdate", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000002"})
			check("phone cancelled", shown("new@example.com", "ops@example.com"), "86-13900000001", "Verifying", "new@example.com")
			v.expectErr("CancelMessageContactUpdate", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000002"}, 400, "ContactStatusMismatchAction")

			if err := v.emu.Verify(id, "new@example.com"); err != nil {
				t.Fatal(err)
			}
			check("email verified", "new@example.com", "86-13900000001", "Active")
			v.expectErr("CancelMessageContactUpdate", map[string]string{"ContactId": id, "EmailAddress": "new@example.com"}, 400, "ContactStatusMismatchAction")
			if err := v.emu.Verify(id, "new@example.com"); !errors.Is(err, ErrNothingPending) {
				t.Fatalf("Verify with nothing pending: %v", err)
			}
			if err := v.emu.Verify("c-000000000000", "x@example.com"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Verify on missing contact: %v", err)
			}

			// A change withdrawn outside the API.
			v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13900000004"})
			if err := v.emu.CancelPending(id, "86-13900000004"); err != nil {
				t.Fatal(err)
			}
			check("cancelled outside", "new@example.com", "86-13900000001", "Active")
			if err := v.emu.CancelPending(id, "86-13900000004"); !errors.Is(err, ErrNothingPending) {
				t.Fatalf("CancelPending twice: %v", err)
			}

			snap, ok := v.emu.Contact(id)
			want := ContactSnapshot{
				ContactID: id, Name: "Ops", EmailAddress: "new@example.com", PhoneNumber: "86-13900000001",
				Title: "MaintenanceDirector", MessageTypes: []string{"FaultMessage"}, Members: []string{"rd-root1"},
				Status: "Active", CreateDate: snap.CreateDate,
			}
			if d := cmp.Diff(want, snap); !ok || d != "" {
				t.Fatalf("snapshot (-want +got):\n%s", d)
			}
		})
	}
}

func TestAddStartsVerifying(t *testing.T) {
	for _, mode := range []string{ReadModeRequested, ReadModeEffective} {
		t.Run(mode, func(t *testing.T) {
			v := newEnv(t, Config{ReadMode: mode})
			id := v.addContact("Alice", "alice@example.com", "86-13912341234")
			snap, _ := v.emu.Contact(id)
			if snap.Status != StatusVerifying || snap.PendingEmailAddress != "alice@example.com" || snap.PendingPhoneNumber != "86-13912341234" || snap.EmailAddress != "" {
				t.Fatalf("snapshot after Add: %+v", snap)
			}
			c := v.getContact(id)
			wantEmail := map[string]string{ReadModeRequested: "alice@example.com", ReadModeEffective: ""}[mode]
			if c["EmailAddress"] != wantEmail || c["Status"] != "Verifying" {
				t.Fatalf("Get after Add: %v", c)
			}
			if err := v.emu.Verify(id, "alice@example.com"); err != nil {
				t.Fatal(err)
			}
			if c := v.getContact(id); c["EmailAddress"] != "alice@example.com" || c["Status"] != "Verifying" {
				t.Fatalf("after email verified: %v", c)
			}
			if err := v.emu.Verify(id, "86-13912341234"); err != nil {
				t.Fatal(err)
			}
			if c := v.getContact(id); c["PhoneNumber"] != "86-13912341234" || c["Status"] != "Active" {
				t.Fatalf("after both verified: %v", c)
			}
			// Adding without a phone leaves only the email pending.
			id2 := v.addContact("Bob", "bob@example.com", "")
			vers := v.mustCall("ListMessageContactVerifications", nil)
			if at[float64](t, vers, "TotalCount") != 1 || at[map[string]any](t, vers, "ContactVerifications", 0)["ContactId"] != id2 {
				t.Fatalf("verifications: %v", vers)
			}
		})
	}
}

func TestSites(t *testing.T) {
	cases := []struct {
		site, phone, code string
	}{
		{SiteChina, "86-13912341234", ""},
		{SiteChina, "86-19912341234", ""},
		{SiteChina, "86-12912341234", "InvalidParameter.PhoneNumber"},
		{SiteChina, "86-1391234123", "InvalidParameter.PhoneNumber"},
		{SiteChina, "86-139123412345", "InvalidParameter.PhoneNumber"},
		{SiteChina, "+86-13912341234", "InvalidParameter.PhoneNumber"},
		{SiteChina, "13912341234", "InvalidParameter.PhoneNumber"},
		{SiteChina, "86 13912341234", "InvalidParameter.PhoneNumber"},
		{SiteChina, "1-2025550123", "InvalidParameter.MobileCountryCode"},
		{SiteChina, "852-91234567", "InvalidParameter.MobileCountryCode"},
		{SiteInternational, "1-2025550123", ""},
		{SiteInternational, "44-7911123456", ""},
		{SiteInternational, "852-91234567", ""},
		{SiteInternational, "65-8123", ""},
		{SiteInternational, "86-13912341234", "InvalidParameter.MobileCountryCode"},
		{SiteInternational, "1-202", "InvalidParameter.PhoneNumber"},
		{SiteInternational, "1-202555012345678", "InvalidParameter.PhoneNumber"},
		{SiteInternational, "1234-2025550123", "InvalidParameter.PhoneNumber"},
		{SiteInternational, "01-2025550123", "InvalidParameter.PhoneNumber"},
		{SiteInternational, "1-20a5550123", "InvalidParameter.PhoneNumber"},
		{SiteInternational, "1-", "InvalidParameter.PhoneNumber"},
	}
	envs := map[string]*testEnv{
		SiteChina:         newEnv(t, Config{Site: SiteChina}),
		SiteInternational: newEnv(t, Config{Site: SiteInternational, MaxContacts: 50}),
	}
	for i, c := range cases {
		v := envs[c.site]
		name := "Person" + string(rune('a'+i))
		_, err := v.call("AddMessageContact", map[string]string{
			"Name": name, "EmailAddress": "p@example.com", "PhoneNumber": c.phone, "Title": "Other", "MessageTypes.1": "ServiceMessage",
		})
		if c.code == "" {
			if err != nil {
				t.Errorf("%s %s: %v", c.site, c.phone, err)
			}
			continue
		}
		serverError(t, err, 400, c.code)
		if msg := err.Error(); c.code == "InvalidParameter.MobileCountryCode" && !strings.Contains(msg, "The current site does not support the country code.") {
			t.Errorf("message %q", msg)
		}
	}
	// The default site is china.
	if New(Config{}).cfg.Site != SiteChina {
		t.Error("default site")
	}
}

func TestPagination(t *testing.T) {
	for _, capSize := range []int{0, 3} {
		t.Run(fmt.Sprintf("cap=%d", capSize), func(t *testing.T) {
			v := newEnv(t, Config{MaxContacts: 30, PageSizeCap: capSize})
			var want []string
			for i := 0; i < 25; i++ {
				want = append(want, v.addContact("Contact"+string(rune('a'+i)), fmt.Sprintf("p%d@example.com", i), ""))
			}
			sort.Strings(want)
			first := v.mustCall("ListMessageContacts", nil)
			wantSize := 10
			if capSize > 0 {
				wantSize = capSize
			}
			if at[float64](t, first, "PageNumber") != 1 || at[float64](t, first, "PageSize") != float64(wantSize) || at[float64](t, first, "TotalCount") != 25 {
				t.Fatalf("defaults: %v", first)
			}
			for _, api := range []string{"ListMessageContacts", "ListMessageContactVerifications"} {
				var got []string
				for page := 1; page < 100; page++ {
					out := v.mustCall(api, map[string]string{"PageNumber": fmt.Sprint(page), "PageSize": "10"})
					key := "Contacts"
					if api == "ListMessageContactVerifications" {
						key = "ContactVerifications"
					}
					items := at[[]any](t, out, key)
					if len(items) > wantSize {
						t.Fatalf("%s page %d has %d items", api, page, len(items))
					}
					if len(items) == 0 {
						break
					}
					for _, it := range items {
						got = append(got, at[string](t, it, "ContactId"))
					}
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("%s pages (-want +got):\n%s", api, d)
				}
			}
			out := v.mustCall("ListMessageContacts", map[string]string{"PageNumber": "1000000", "PageSize": "100"})
			if len(at[[]any](t, out, "Contacts")) != 0 || at[float64](t, out, "TotalCount") != 25 {
				t.Fatalf("page past the end: %v", out)
			}
			out = v.mustCall("ListMessageContacts", map[string]string{"PageSize": "100"})
			if n := len(at[[]any](t, out, "Contacts")); capSize == 0 && n != 25 || capSize > 0 && n != capSize {
				t.Fatalf("PageSize=100 gave %d", n)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	v := newEnv(t, Config{})
	var ids []string
	for i := 0; i < DefaultMaxContacts; i++ {
		ids = append(ids, v.addContact("Contact"+string(rune('a'+i)), "c@example.com", ""))
	}
	v.expectErr("AddMessageContact", map[string]string{"Name": "Overflow", "EmailAddress": "o@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"}, 400, "QuotaExceeded.Contacts")
	v.mustCall("DeleteMessageContact", map[string]string{"ContactId": ids[0]})
	v.addContact("Overflow", "o@example.com", "")

	small := newEnv(t, Config{MaxContacts: 1})
	small.addContact("One", "one@example.com", "")
	small.expectErr("AddMessageContact", map[string]string{"Name": "Two", "EmailAddress": "o@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"}, 400, "QuotaExceeded.Contacts")

	id := ids[1]
	batch := func(prefix string, n int) map[string]string {
		p := map[string]string{"ContactId": id}
		for i := 1; i <= n; i++ {
			p[fmt.Sprintf("Members.%d", i)] = fmt.Sprintf("%s%d", prefix, i)
		}
		return p
	}
	v.mustCall("AssociateMembers", batch("rd-a", 5))
	v.mustCall("AssociateMembers", batch("fd-b", 5))
	v.mustCall("AssociateMembers", batch("rd-a", 5)) // already bound: no change
	v.expectErr("AssociateMembers", batch("r-c", 1), 400, "LimitExceeded.ContactMembers")
	if m := at[[]any](t, v.getContact(id), "Members"); len(m) != MaxMembersPerContact {
		t.Fatalf("members %v", m)
	}
	v.mustCall("DisassociateMembers", batch("rd-a", 1))
	v.mustCall("AssociateMembers", batch("r-c", 1))
}

func TestSendLimits(t *testing.T) {
	v := newEnv(t, Config{MaxContacts: 5})
	id := v.addContact("Alice", "alice@example.com", "86-13912341234")
	send := map[string]string{"ContactId": id, "EmailAddress": "alice@example.com"}
	for i := 0; i < SendLimitPerMinute; i++ {
		v.mustCall("SendEmailVerificationForMessageContact", send)
	}
	v.expectErr("SendEmailVerificationForMessageContact", send, 409, "SendValidateCodeExceedsLimitForAccount")
	// Another address is not limited by this one.
	v.mustCall("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
	v.clock.Advance(61 * time.Second)
	v.mustCall("SendEmailVerificationForMessageContact", send)
	// 12 sent; sends for targets with nothing pending count too.
	for i := 12; i < SendLimitPerDay; i++ {
		v.expectErr("SendEmailVerificationForMessageContact", map[string]string{"ContactId": id, "EmailAddress": fmt.Sprintf("x%d@example.com", i)}, 404, "EntityNotExists.Contact.Verification")
	}
	v.expectErr("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"}, 409, "SendValidateCodeExceedsLimitForAccount")
	// A day later the account may send again (signed by hand: the SDK stamps
	// requests with the real time, which the emulator clock has left behind).
	v.clock.Advance(24 * time.Hour)
	st, body := rawPost(t, v.srv.URL, signedValues("POST", testKeyID, map[string]string{
		"Action": "SendEmailVerificationForMessageContact", "ContactId": id, "EmailAddress": "alice@example.com",
	}, v.clock.Now()))
	if st != 200 {
		t.Fatalf("after a day: %d %v", st, body)
	}
}

func TestAsyncDeletion(t *testing.T) {
	v := newEnv(t, Config{DeleteDelay: 2 * time.Second})
	id := v.addContact("Alice", "alice@example.com", "86-13912341234")
	v.mustCall("AssociateMembers", map[string]string{"ContactId": id, "Members.1": "rd-root"})

	out := v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
	if out["Status"] != "Deleting" {
		t.Fatalf("Delete: %v", out)
	}
	if c := v.getContact(id); c["Status"] != "Deleting" {
		t.Fatalf("Get while deleting: %v", c)
	}
	if vs := v.mustCall("ListMessageContactVerifications", map[string]string{"ContactId": id}); at[float64](t, vs, "TotalCount") != 0 {
		t.Fatalf("deleting drops pending records: %v", vs)
	}
	if err := v.emu.Verify(id, "alice@example.com"); !errors.Is(err, ErrNothingPending) {
		t.Fatalf("Verify while deleting: %v", err)
	}
	v.expectErr("UpdateMessageContact", map[string]string{"ContactId": id, "Title": "CEO"}, 400, "ContactStatusMismatchAction")
	v.expectErr("AssociateMembers", map[string]string{"ContactId": id, "Members.1": "rd-other"}, 400, "ContactStatusMismatchAction")
	v.expectErr("CancelMessageContactUpdate", map[string]string{"ContactId": id, "EmailAddress": "alice@example.com"}, 400, "ContactStatusMismatchAction")
	v.expectErr("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"}, 429, "ConcurrentCallNotSupported")
	v.expectErr("DeleteMessageContact", map[string]string{"ContactId": id}, 429, "ConcurrentCallNotSupported")

	v.clock.Advance(time.Second)
	st := at[map[string]any](t, v.mustCall("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}), "ContactDeletionStatus")
	if st["Status"] != "Deleting" {
		t.Fatalf("before the delay: %v", st)
	}
	v.clock.Advance(time.Second)
	v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	v.expectErr("GetMessageContact", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	if _, ok := v.emu.Contact(id); ok {
		t.Fatal("contact still stored")
	}

	t.Run("failed", func(t *testing.T) {
		id := v.addContact("Bob", "bob@example.com", "")
		reasons := []FailReason{{AccountID: "1234567890123456", MessageTypes: []string{"FaultMessage", "ServiceMessage"}}}
		v.emu.FailNextDeletion(id, reasons)
		v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "False"})
		v.clock.Advance(2 * time.Second)
		st := at[map[string]any](t, v.mustCall("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}), "ContactDeletionStatus")
		want := map[string]any{"ContactId": id, "Status": "Failed", "FailReasonList": []any{
			map[string]any{"AccountId": "1234567890123456", "MessageTypes": []any{"FaultMessage", "ServiceMessage"}},
		}}
		if d := cmp.Diff(want, st); d != "" {
			t.Fatalf("failed status (-want +got):\n%s", d)
		}
		// Back to its previous status, pending record included.
		if c := v.getContact(id); c["Status"] != "Verifying" {
			t.Fatalf("after failed deletion: %v", c)
		}
		if vs := v.mustCall("ListMessageContactVerifications", map[string]string{"ContactId": id}); at[float64](t, vs, "TotalCount") != 1 {
			t.Fatalf("pending record not restored: %v", vs)
		}
		v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "Title": "CEO"})
		// The failure is used once: the next deletion succeeds.
		v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
		v.clock.Advance(2 * time.Second)
		v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	})

	t.Run("synchronous", func(t *testing.T) {
		id := v.addContact("Carol", "carol@example.com", "")
		out := v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "true"})
		if out["Status"] != "Deleted" {
			t.Fatalf("Delete: %v", out)
		}
		v.expectErr("GetMessageContact", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
		// A re-added name gets a new ID.
		if id2 := v.addContact("Carol", "carol@example.com", ""); id2 == id {
			t.Fatal("contact ID reused")
		}
	})

	t.Run("hook", func(t *testing.T) {
		id := v.addContact("Dave", "dave@example.com", "")
		if err := v.emu.DeleteContact(id); err != nil {
			t.Fatal(err)
		}
		if err := v.emu.DeleteContact(id); !errors.Is(err, ErrNotFound) {
			t.Fatalf("second DeleteContact: %v", err)
		}
		v.expectErr("GetMessageContact", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	})
}

func TestSeedContacts(t *testing.T) {
	v := newEnv(t, Config{MaxContacts: 3})
	good := SeedContact{Name: "Seeded", EmailAddress: "s@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}}
	bad := []struct {
		name string
		mut  func(*SeedContact)
	}{
		{"id", func(s *SeedContact) { s.ContactID = "c-1" }},
		{"name", func(s *SeedContact) { s.Name = "S1" }},
		{"email", func(s *SeedContact) { s.EmailAddress = "nope" }},
		{"phone", func(s *SeedContact) { s.PhoneNumber = "1-2025550123" }},
		{"title", func(s *SeedContact) { s.Title = "" }},
		{"types", func(s *SeedContact) { s.MessageTypes = nil }},
		{"type", func(s *SeedContact) { s.MessageTypes = []string{"X"} }},
		{"member", func(s *SeedContact) { s.Members = []string{"x"} }},
	}
	for _, b := range bad {
		s := good
		b.mut(&s)
		if err := v.emu.SeedContacts([]SeedContact{s}); err == nil {
			t.Errorf("seed with bad %s accepted", b.name)
		}
	}
	if err := v.emu.SeedContacts([]SeedContact{good, good}); err == nil {
		t.Error("duplicate names accepted")
	}
	if err := v.emu.SeedContacts([]SeedContact{good, {Name: "Other", EmailAddress: "o@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}, ContactID: "c-abcdefabcdef"}}); err != nil {
		t.Fatal(err)
	}
	if len(v.emu.Contacts()) != 2 {
		t.Fatalf("contacts: %+v", v.emu.Contacts())
	}
	for _, c := range v.emu.Contacts() {
		if c.Status != StatusActive || c.PendingEmailAddress != "" || !validContactID(c.ContactID) {
			t.Errorf("seeded contact %+v", c)
		}
	}
	if err := v.emu.SeedContacts([]SeedContact{{Name: "Third", EmailAddress: "t@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}, ContactID: "c-abcdefabcdef"}}); err == nil {
		t.Error("duplicate ContactId accepted")
	}
	three := []SeedContact{
		{Name: "Third", EmailAddress: "t@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}},
		{Name: "Fourth", EmailAddress: "t@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}},
	}
	if err := v.emu.SeedContacts(three); err == nil {
		t.Error("seeding past MaxContacts accepted")
	}
}

func TestDateNow(t *testing.T) {
	fixed := time.Date(2023, 3, 27, 17, 19, 21, 0, time.UTC)
	v := newEnv(t, Config{DateNow: func() time.Time { return fixed }})
	id := v.addContact("Alice", "alice@example.com", "")
	if c := v.getContact(id); c["CreateDate"] != "2023-03-27 17:19:21" {
		t.Fatalf("CreateDate %v", c["CreateDate"])
	}
	out := v.mustCall("AssociateMembers", map[string]string{"ContactId": id, "Members.1": "rd-abc"})
	if m := at[map[string]any](t, out, "Members", 0); m["ModifyDate"] != "2023-03-27 17:19:21" {
		t.Fatalf("ModifyDate %v", m["ModifyDate"])
	}
	// Request timestamps are still checked against Now (the fake clock).
	if _, err := v.call("ListMessageContacts", nil); err != nil {
		t.Fatal(err)
	}
}

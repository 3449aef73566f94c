package provider

import (
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

func TestPendingKindOf(t *testing.T) {
	for target, want := range map[string]pendingKind{
		"86-13912345678":  pendingPhone,
		"ops@example.com": pendingEmail,
		"Ops@Example.COM": pendingEmail,
		"":                pendingPhone,
	} {
		if got := pendingKindOf(target); got != want {
			t.Errorf("pendingKindOf(%q) = %q, want %q", target, got, want)
		}
	}
}

// The comparison rule every user of pending values shares.
func TestPendingKindSame(t *testing.T) {
	tests := []struct {
		kind pendingKind
		a, b string
		want bool
	}{
		{pendingEmail, "ops@example.com", "ops@example.com", true},
		{pendingEmail, "Ops@Example.COM", "ops@example.com", true},
		{pendingEmail, " ops@example.com ", "ops@example.com", true},
		{pendingEmail, "ops@example.com", "ops2@example.com", false},
		{pendingEmail, "ops@example.com", "", false},
		{pendingPhone, "86-13912345678", "86-13912345678", true},
		{pendingPhone, " 86-13912345678", "86-13912345678", true},
		{pendingPhone, "86-13912345678", "86-13912345679", false},
		{pendingPhone, "8613912345678", "86-13912345678", false},
	}
	for _, tt := range tests {
		if got := tt.kind.same(tt.a, tt.b); got != tt.want {
			t.Errorf("%s.same(%q, %q) = %v, want %v", tt.kind, tt.a, tt.b, got, tt.want)
		}
		if got := tt.kind.same(tt.b, tt.a); got != tt.want {
			t.Errorf("%s.same(%q, %q) = %v, want %v (not symmetric)", tt.kind, tt.b, tt.a, got, tt.want)
		}
	}
}

func TestPendingValues(t *testing.T) {
	vs := []rdclient.ContactVerification{
		{ContactID: "c-1", Target: "86-13912345678"},
		{ContactID: "c-1", Target: "a@x.io"},
		{ContactID: "c-2", Target: "b@x.io"},
		{Target: "c@x.io"}, // no contact named: taken as the one asked about
	}
	if got := pendingValues(vs, "c-1", pendingEmail); len(got) != 2 || got[0] != "a@x.io" || got[1] != "c@x.io" {
		t.Errorf("emails of c-1 = %q, want [a@x.io c@x.io]", got)
	}
	if got := pendingValues(vs, "c-1", pendingPhone); len(got) != 1 || got[0] != "86-13912345678" {
		t.Errorf("phones of c-1 = %q, want [86-13912345678]", got)
	}
	if got := pendingValues(vs, "c-2", pendingPhone); len(got) != 0 {
		t.Errorf("phones of c-2 = %q, want none", got)
	}
}

func TestPendingChange(t *testing.T) {
	c := newPendingChange("c-1", "Ops@Example.com")
	if c.kind != pendingEmail || c.id() != "c-1:Ops@Example.com" || c.label() != "email address Ops@Example.com" {
		t.Errorf("change = %+v, id %q, label %q", c, c.id(), c.label())
	}
	if !c.pendingIn([]rdclient.ContactVerification{{ContactID: "c-1", Target: "ops@example.com"}}) {
		t.Error("pending in another case: want pending")
	}
	if c.pendingIn([]rdclient.ContactVerification{{ContactID: "c-2", Target: "ops@example.com"}}) {
		t.Error("pending on another contact: want not pending")
	}
	if !c.carriedBy(&rdclient.Contact{EmailAddress: "ops@example.COM"}) || c.carriedBy(nil) {
		t.Error("carriedBy: want true for the same address in another case, false without a contact")
	}
	phone := newPendingChange("c-1", "86-13912345678")
	if phone.kind != pendingPhone || phone.kind.attribute() != "phone_number" || phone.sendAction() != rdclient.ActionSendPhoneVerificationForMessageContact {
		t.Errorf("phone change = %+v", phone)
	}
	if in := phone.cancelInput(); in.PhoneNumber != "86-13912345678" || in.EmailAddress != "" {
		t.Errorf("cancelInput = %+v", in)
	}
	if in := c.updateInput(); in.EmailAddress == nil || *in.EmailAddress != "Ops@Example.com" || in.PhoneNumber != nil {
		t.Errorf("updateInput = %+v", in)
	}
}

package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The one model of a pending value, used by both resources, the data sources
// and the recovery of lost responses.
//
// A new phone number or email address of a message contact is pending until
// its owner verifies it. ListMessageContactVerifications lists the pending
// values of a contact as Targets, without saying which field each sets: only
// email addresses contain "@" (the API's phone numbers are
// "<country code>-<number>", digits only).
//
// How values compare, decided once for every caller:
//   - phone numbers are equal when their characters are, after trimming the
//     spaces around them: the API takes and returns the one spelling
//     "<country code>-<number>";
//   - email addresses are equal when they are equal ignoring case: the API
//     may report an address in another case than it was requested in, and
//     mailboxes are delivered to whatever the case. A value differing only in
//     case is therefore the same pending change everywhere in the provider.

// pendingKind is what a pending change sets: a phone number or an email
// address. Its string is the target_type attribute's value.
type pendingKind string

const (
	pendingPhone pendingKind = "phone"
	pendingEmail pendingKind = "email"
)

// pendingKindOf tells a pending email address from a pending phone number.
func pendingKindOf(target string) pendingKind {
	if strings.Contains(target, "@") {
		return pendingEmail
	}
	return pendingPhone
}

// label names the kind in prose: "phone number" or "email address".
func (k pendingKind) label() string {
	if k == pendingEmail {
		return "email address"
	}
	return "phone number"
}

// message names the verification message sent for a value of this kind.
func (k pendingKind) message() string {
	if k == pendingEmail {
		return "a verification email"
	}
	return "a verification SMS"
}

// proof is what the verification message gives its owner to verify with.
func (k pendingKind) proof() string {
	if k == pendingEmail {
		return "link"
	}
	return "code"
}

// attribute is the Terraform attribute that holds a value of this kind.
func (k pendingKind) attribute() string {
	if k == pendingEmail {
		return "email_address"
	}
	return "phone_number"
}

// same reports whether a and b are the same value of this kind.
func (k pendingKind) same(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if k == pendingEmail {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// among reports whether v is one of values, compared as this kind.
func (k pendingKind) among(values []string, v string) bool {
	return slices.ContainsFunc(values, func(x string) bool { return k.same(x, v) })
}

// of returns the contact's value of this kind, "" when c is nil.
func (k pendingKind) of(c *rdclient.Contact) string {
	switch {
	case c == nil:
		return ""
	case k == pendingEmail:
		return c.EmailAddress
	default:
		return c.PhoneNumber
	}
}

// pendingValues returns the values of kind among the pending verifications
// of contactID, in the API's order. Verifications that name another contact
// are skipped; those that name none are taken as contactID's.
func pendingValues(verifications []rdclient.ContactVerification, contactID string, kind pendingKind) []string {
	var out []string
	for _, v := range verifications {
		if v.ContactID != "" && v.ContactID != contactID {
			continue
		}
		if pendingKindOf(v.Target) == kind {
			out = append(out, v.Target)
		}
	}
	return out
}

// pendingChange is one requested change of a contact's phone number or email
// address.
type pendingChange struct {
	contactID string
	kind      pendingKind
	value     string
}

// newPendingChange returns the change setting value on contactID; the kind
// follows from the value.
func newPendingChange(contactID, value string) pendingChange {
	return pendingChange{contactID: contactID, kind: pendingKindOf(value), value: value}
}

// id is the change's identifier and import ID: "<contact_id>:<value>".
func (c pendingChange) id() string { return c.contactID + ":" + c.value }

// label names the change's value in prose: "phone number 86-139…".
func (c pendingChange) label() string { return c.kind.label() + " " + c.value }

// matches reports whether v, as reported by the API, is the change's value.
func (c pendingChange) matches(v string) bool { return c.kind.same(v, c.value) }

// pendingIn reports whether the change is among the pending verifications.
func (c pendingChange) pendingIn(verifications []rdclient.ContactVerification) bool {
	return c.kind.among(pendingValues(verifications, c.contactID, c.kind), c.value)
}

// carriedBy reports whether the contact shows the change's value.
func (c pendingChange) carriedBy(contact *rdclient.Contact) bool {
	return c.matches(c.kind.of(contact))
}

// sendAction is the API action that sends the change's verification message.
func (c pendingChange) sendAction() string {
	if c.kind == pendingEmail {
		return rdclient.ActionSendEmailVerificationForMessageContact
	}
	return rdclient.ActionSendPhoneVerificationForMessageContact
}

// sendVerificationMessage sends the change's verification message, with
// the one Send call of its kind.
func sendVerificationMessage(ctx context.Context, client rdclient.API, c pendingChange) error {
	if c.kind == pendingEmail {
		return client.SendEmailVerificationForMessageContact(ctx, c.contactID, c.value)
	}
	return client.SendPhoneVerificationForMessageContact(ctx, c.contactID, c.value)
}

// logFields names the change without its value.
func (c pendingChange) logFields() map[string]any {
	return map[string]any{"contact_id": c.contactID, "target_type": string(c.kind)}
}

// describe says what the contact shows for the change's field, for errors.
func (c pendingChange) describe(contact *rdclient.Contact) string {
	if contact == nil {
		return "the contact was not read"
	}
	status := contact.Status
	if status == "" {
		status = "unknown"
	}
	v := c.kind.of(contact)
	if v == "" {
		v = "(none)"
	}
	return fmt.Sprintf("the contact's status is %s and it shows %s %s", status, c.kind.label(), v)
}

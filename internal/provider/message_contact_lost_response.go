package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Recovery of a contact creation whose answer was lost.
//
// AddMessageContact is not idempotent: when its response is lost (the
// connection closed after the server applied it, or the attempt timed out),
// the client's retry is answered InvalidParameter.Name.AlreadyUsed, or the
// call fails with a transport error, although the contact exists. Reporting
// that failure would leave the contact outside the state, and every later
// apply would fail on its name. So when rdclient says the call may have been
// applied, Create looks for the contact by its (unique) name and adopts it
// when it carries exactly what was requested.

// lostCreateLookupTimeout bounds the lookup when the create timeout has
// already run out: finding the contact is what keeps it from being left
// behind unmanaged.
const lostCreateLookupTimeout = 30 * time.Second

// findLostCreate returns the contact that the failed AddMessageContact in
// created, or nil and a sentence saying why none was adopted.
func (r *messageContactResource) findLostCreate(ctx context.Context, in rdclient.AddMessageContactInput) (*rdclient.Contact, string) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), lostCreateLookupTimeout)
		defer cancel()
	}
	contacts, err := r.client.ListAllMessageContacts(ctx, "")
	if err != nil {
		return nil, fmt.Sprintf("The request may have been applied, and listing the contacts to find out failed: %s. "+
			"If a contact named %q now exists, import it with `terraform import` instead of applying again.", err, in.Name)
	}
	found := contactNamed(contacts, in.Name)
	if found == nil {
		return nil, ""
	}
	var verifications []rdclient.ContactVerification
	needPending := !pendingEmail.same(found.EmailAddress, in.EmailAddress) ||
		in.PhoneNumber != "" && !pendingPhone.same(found.PhoneNumber, in.PhoneNumber)
	if needPending {
		// In the API's effective read mode a new contact shows its email
		// address and phone number only once verified: look at what is pending.
		verifications, err = r.client.ListAllMessageContactVerifications(ctx, found.ContactID)
		if err != nil {
			return nil, fmt.Sprintf("Contact %s is named %q; reading its pending verifications to compare it with the configuration failed: %s. "+
				"If it is the contact this apply created, import it with `terraform import`.", found.ContactID, in.Name, err)
		}
	}
	if diff := lostCreateDifference(found, verifications, in); diff != "" {
		return nil, fmt.Sprintf("Contact %s already has the name %q but differs from the configuration (%s), so it was not "+
			"created by this apply and is left alone.", found.ContactID, in.Name, diff)
	}
	tflog.Warn(ctx, "the answer to AddMessageContact was lost, but the contact was created; adopting it",
		map[string]any{"contact_id": found.ContactID})
	return found, ""
}

// lostCreateDifference names the first field in which c differs from what
// in requested; "" when c is what in would have created.
func lostCreateDifference(c *rdclient.Contact, verifications []rdclient.ContactVerification, in rdclient.AddMessageContactInput) string {
	emails := pendingValues(verifications, c.ContactID, pendingEmail)
	phones := pendingValues(verifications, c.ContactID, pendingPhone)
	emailOK := pendingEmail.same(c.EmailAddress, in.EmailAddress) || pendingEmail.among(emails, in.EmailAddress)
	phoneOK := pendingPhone.same(c.PhoneNumber, in.PhoneNumber) || pendingPhone.among(phones, in.PhoneNumber)
	if in.PhoneNumber == "" {
		phoneOK = c.PhoneNumber == "" && len(phones) == 0
	}
	switch {
	case c.Title != in.Title:
		return "title"
	case !slices.Equal(contactSorted(c.MessageTypes), contactSorted(in.MessageTypes)):
		return "message types"
	case !emailOK:
		return "email address"
	case !phoneOK:
		return "phone number"
	case len(c.Members) > 0:
		return "it is bound to members"
	}
	return ""
}

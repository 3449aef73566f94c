package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The steps of the pending-update resource's Create and Delete, each
// returning its diagnostics.

// pendingUpdateCreate is one creation of a pending change: opCtx is bounded
// by the create timeout.
type pendingUpdateCreate struct {
	r       *messageContactPendingUpdateResource
	change  pendingChange
	opCtx   context.Context
	timeout time.Duration
}

// request requests the change, sends the verification message when send is
// set, and confirms the outcome. It returns the status to save (pending or
// verified) — with an error when the change is pending but something after
// the request failed — or "" when nothing is to be saved.
func (op pendingUpdateCreate) request(ctx context.Context, send bool) (string, diag.Diagnostics) {
	if diags := op.requestChange(ctx); diags.HasError() {
		return "", diags
	}
	if send {
		status, diags := op.sendVerification(ctx)
		if status != "" || diags.HasError() {
			return status, diags
		}
		// Nothing pending for the value: find out whether it is already
		// the contact's value.
	}
	return op.confirm()
}

// requestChange calls UpdateMessageContact. When the call fails, the
// request may still have been applied (a lost response, a retried apply):
// the change is adopted when it is pending.
func (op pendingUpdateCreate) requestChange(ctx context.Context) diag.Diagnostics {
	var diags diag.Diagnostics
	c := op.change
	tflog.Debug(ctx, "requesting a message contact change", c.logFields())
	err := op.r.client.UpdateMessageContact(op.opCtx, c.updateInput())
	if err == nil {
		return nil
	}
	if rdclient.IsNotFound(err) {
		diags.AddAttributeError(path.Root("contact_id"), "Message contact not found", pendingUpdateContactMissing(c, err))
		return diags
	}
	verifications, lerr := op.r.client.ListAllMessageContactVerifications(op.opCtx, c.contactID)
	if lerr == nil && c.pendingIn(verifications) {
		tflog.Info(ctx, "the requested change is already pending; adopting it", c.logFields())
		return nil
	}
	note := timeoutNote(op.opCtx, "create", op.timeout, rdclient.ActionUpdateMessageContact, "apply")
	if note != "" {
		note += " Requesting the same value again does not add a second pending change."
	}
	diags.AddError("Cannot request the message contact change", apiErrorDetail(
		fmt.Sprintf("Requesting %s for contact %s failed", c.label(), c.contactID), err,
		"Check the value and the contact, then run terraform apply again.", note))
	return diags
}

// sendVerification sends the verification message; success proves the
// change is pending. It returns "" without error when nothing is pending for
// the value.
func (op pendingUpdateCreate) sendVerification(ctx context.Context) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := op.change
	err := sendVerificationMessage(op.opCtx, op.r.client, c)
	switch {
	case err == nil:
		return pendingUpdateStatusPending, nil
	case rdclient.IsVerificationNotFound(err):
		tflog.Debug(ctx, "no verification pending for the requested value; checking the contact", c.logFields())
		return "", nil
	case rdclient.IsNotFound(err):
		diags.AddAttributeError(path.Root("contact_id"), "Message contact not found", pendingUpdateContactMissing(c, err))
		return "", diags
	}
	diags.AddError("Cannot send the verification message", apiErrorDetail(
		fmt.Sprintf("The change of contact %s to %s was requested and is pending, but the verification message could not be sent",
			c.contactID, c.label()), err, "",
		"Terraform saved the pending change in state and marked it tainted, so the next terraform apply cancels it and "+
			"requests it again, sending a new message. To keep it as it is instead, run terraform untaint on this resource.",
		timeoutNote(op.opCtx, "create", op.timeout, c.sendAction(), "apply")))
	return pendingUpdateStatusPending, diags
}

// confirm reads the change back when no message was sent (or the send found
// nothing pending): pending, already the contact's value, or an error.
func (op pendingUpdateCreate) confirm() (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := op.change
	facts, err := op.r.observe(op.opCtx, c, false)
	switch {
	case err != nil:
		diags.AddError("Cannot confirm the message contact change", apiErrorDetail(
			fmt.Sprintf("The change of contact %s to %s was requested, but reading it back failed", c.contactID, c.label()), err, "",
			"Terraform saved the change in state as pending and marked it tainted; the next terraform apply cancels it "+
				"(if it is still pending) and requests it again.",
			timeoutNote(op.opCtx, "create", op.timeout, "reading the change back", "apply")))
		return pendingUpdateStatusPending, diags
	case facts.contactGone:
		diags.AddAttributeError(path.Root("contact_id"), "Message contact not found", pendingUpdateContactMissing(c, facts.goneErr))
	case facts.pending:
		return pendingUpdateStatusPending, nil
	case facts.deleting:
		diags.AddAttributeError(path.Root("contact_id"), "Message contact is being deleted",
			fmt.Sprintf("Contact %s is being deleted, so %s cannot be requested for it. Wait until the deletion ends "+
				"(if it fails, the contact can be changed again), or choose another contact.", c.contactID, c.label()))
	case facts.carried:
		return pendingUpdateStatusVerified, nil
	default:
		diags.AddError("Message contact change not recorded",
			fmt.Sprintf("The API accepted the request to set %s on contact %s, but the change is neither pending verification "+
				"nor the contact's current value (%s). Another change of the same field may have been requested at the same "+
				"time, or the contact may be changing state. Check the contact with the alicloudrd_message_contact_verifications "+
				"data source or in the Resource Directory console, then run terraform apply again.",
				c.label(), c.contactID, c.describe(facts.contact)))
	}
	return "", diags
}

// waitForVerification polls until the change is verified, withdrawn or the
// wait ends. It returns verified; pending with an error when the wait or the
// create timeout ran out, or a check failed; "" with an error when the
// change or its contact disappeared.
func (op pendingUpdateCreate) waitForVerification(ctx context.Context, wait time.Duration) (string, diag.Diagnostics) {
	c := op.change
	tflog.Info(ctx, "waiting for the owner to verify the change", pendingUpdateWithField(c.logFields(), "wait", wait.String()))

	// Checks are scheduled at start + i*interval for i = 1..polls, so the
	// wait makes the same number of checks however long each one takes; the
	// create timeout (opCtx) bounds the whole.
	interval := min(op.r.pollInterval, wait)
	polls := int(wait / interval)
	start := time.Now()
	for i := 1; i <= polls; i++ {
		if !sleepUntil(op.opCtx, start.Add(time.Duration(i)*interval)) {
			return pendingUpdateStatusPending, op.stillPending(wait, true)
		}
		facts, err := op.r.observe(op.opCtx, c, false)
		if err != nil && op.opCtx.Err() != nil {
			return pendingUpdateStatusPending, op.stillPending(wait, true)
		}
		if status, diags, done := op.verificationOutcome(ctx, facts, err); done {
			return status, diags
		}
	}
	return pendingUpdateStatusPending, op.stillPending(wait, false)
}

// verificationOutcome reads one check of waitForVerification; done is false
// while the change is still pending.
func (op pendingUpdateCreate) verificationOutcome(ctx context.Context, facts pendingUpdateFacts, err error) (string, diag.Diagnostics, bool) {
	var diags diag.Diagnostics
	c := op.change
	switch {
	case err != nil:
		diags.AddError("Cannot check the message contact change", apiErrorDetail(
			fmt.Sprintf("The change of contact %s to %s was requested and is pending, but checking whether it was verified failed",
				c.contactID, c.label()), err, "",
			"Terraform saved the pending change in state and marked it tainted. terraform destroy (or the replacement "+
				"the next terraform apply plans) cancels it; run terraform untaint on this resource to keep it."))
		return pendingUpdateStatusPending, diags, true
	case facts.contactGone:
		diags.AddAttributeError(path.Root("contact_id"), "Message contact deleted while waiting",
			fmt.Sprintf("Contact %s was deleted while Terraform waited for the change to %s to be verified. %s",
				c.contactID, c.label(), pendingUpdateContactAdvice))
		return "", diags, true
	case facts.pending || facts.deleting:
		// Still pending, or hidden while the contact is being deleted.
		return "", nil, false
	case facts.carried:
		tflog.Info(ctx, "the change was verified", c.logFields())
		return pendingUpdateStatusVerified, nil, true
	}
	diags.AddError("Message contact change withdrawn while waiting",
		fmt.Sprintf("While Terraform waited for it to be verified, the change of contact %s to %s stopped being pending "+
			"without taking effect: it was cancelled, or replaced by another change of the same field, outside Terraform "+
			"(%s). Run terraform apply again to request it again.", c.contactID, c.label(), c.describe(facts.contact)))
	return "", diags, true
}

// stillPending is the error of a wait that ended before the owner verified.
func (op pendingUpdateCreate) stillPending(wait time.Duration, byCreateTimeout bool) diag.Diagnostics {
	var diags diag.Diagnostics
	c := op.change
	limit := fmt.Sprintf("wait_for_verification (%s)", wait)
	if byCreateTimeout {
		limit = fmt.Sprintf("the create timeout (%s)", op.timeout)
	}
	diags.AddError("Message contact change still pending",
		fmt.Sprintf("The change of contact %s to %s was requested and is still pending: it was not verified within %s.\n\n"+
			"The owner of %s must verify it (with the code or link of the verification message, or in the Resource "+
			"Directory console) before it takes effect. Nothing was cancelled: Terraform saved the pending change in state "+
			"and marked it tainted. terraform destroy (or replacing the resource, which the next terraform apply plans "+
			"because it is tainted) will cancel it. To keep waiting for the owner instead, run terraform untaint on this "+
			"resource; the next refresh reports status = \"verified\" once the change is verified.",
			c.contactID, c.label(), limit, c.label()))
	return diags
}

// afterCancel decides what a CancelMessageContactUpdate answer means. It
// returns the facts read when the cancellation must be tried again (the
// change is still pending, or hidden by a deletion, but the contact's state
// refuses it for now), else nil.
func (r *messageContactPendingUpdateResource) afterCancel(ctx, opCtx context.Context, c pendingChange, timeout time.Duration,
	err error) (*pendingUpdateFacts, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case err == nil:
		tflog.Info(ctx, "pending message contact change cancelled", c.logFields())
		return nil, nil
	case rdclient.IsNotFound(err):
		tflog.Info(ctx, "the message contact no longer exists; nothing to cancel", c.logFields())
		return nil, nil
	case !rdclient.IsStatusMismatch(err):
		diags.AddError("Cannot cancel the message contact change", apiErrorDetail(
			fmt.Sprintf("Cancelling the change of contact %s to %s failed", c.contactID, c.label()), err,
			"Check the contact, then run terraform destroy again.", "The change may still be pending.",
			timeoutNote(opCtx, "delete", timeout, rdclient.ActionCancelMessageContactUpdate, "destroy")))
		return nil, diags
	}

	// ContactStatusMismatchAction: find out why from the facts.
	facts, ferr := r.observe(opCtx, c, true)
	switch {
	case ferr != nil:
		diags.AddError("Cannot cancel the message contact change",
			fmt.Sprintf("Cancelling the change of contact %s to %s was refused (%s), and reading the contact to find out why "+
				"failed: %s\n\nRun terraform destroy again.", c.contactID, c.label(), err.Error(), ferr.Error()))
	case facts.contactGone:
		tflog.Info(ctx, "the message contact no longer exists; nothing to cancel", c.logFields())
	case facts.deleting || facts.pending:
		// The pending change is hidden while the contact is being deleted:
		// wait for the deletion to end either way.
		return &facts, nil
	case facts.carried:
		diags.AddWarning("Verified change not cancelled", pendingUpdateVerifiedWarning(c))
	default:
		tflog.Info(ctx, "the change is no longer pending (withdrawn outside Terraform); nothing to cancel", c.logFields())
	}
	return nil, diags
}

// awaitCancelRetry waits one poll interval before the cancellation is tried
// again, or reports that the delete timeout ran out while it was refused.
func (r *messageContactPendingUpdateResource) awaitCancelRetry(ctx, opCtx context.Context, c pendingChange, timeout time.Duration,
	err error, facts pendingUpdateFacts) diag.Diagnostics {
	tflog.Debug(ctx, "the change is still pending but cannot be cancelled now; retrying",
		pendingUpdateWithField(c.logFields(), "contact_status", facts.contactStatus()))
	if sleepUntil(opCtx, time.Now().Add(r.pollInterval)) {
		return nil
	}
	var diags diag.Diagnostics
	pendingText := "is still pending"
	if facts.deleting {
		pendingText = "may still be pending (the contact is being deleted, which hides its pending changes until the deletion ends)"
	}
	diags.AddError("Cannot cancel the message contact change",
		fmt.Sprintf("The change of contact %s to %s %s, but the API refused to cancel it until the delete "+
			"timeout (%s) ran out: %s\nThe contact's status is %s. This happens while a contact is being deleted or "+
			"changing state. Run terraform destroy again later, or raise timeouts.delete.",
			c.contactID, c.label(), pendingText, timeout, err.Error(), facts.contactStatus()))
	return diags
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// pendingUpdateFacts is what the API says about a change.
type pendingUpdateFacts struct {
	contactGone bool
	goneErr     error
	pending     bool // the value is listed as a pending verification
	carried     bool // GetMessageContact shows the value (only checked when not pending)
	// deleting is set when the contact is being deleted: its pending
	// changes are then hidden, and come back if the deletion fails.
	deleting bool
	contact  *rdclient.Contact // nil when not fetched
}

func (f pendingUpdateFacts) contactStatus() string {
	if f.contact == nil || f.contact.Status == "" {
		return "unknown"
	}
	return f.contact.Status
}

// observe reads the facts about a change: the pending verifications first
// (one call when the change is pending), then the contact when the change is
// not pending or withContact is set. A pending value is never taken as
// verified, whatever GetMessageContact shows: in the API's requested read
// mode it shows pending values.
func (r *messageContactPendingUpdateResource) observe(ctx context.Context, c pendingChange, withContact bool) (pendingUpdateFacts, error) {
	var facts pendingUpdateFacts
	vs, err := r.client.ListAllMessageContactVerifications(ctx, c.contactID)
	if rdclient.IsNotFound(err) {
		facts.contactGone, facts.goneErr = true, err
		return facts, nil
	}
	if err != nil {
		return facts, err
	}
	facts.pending = c.pendingIn(vs)
	if facts.pending && !withContact {
		return facts, nil
	}
	contact, err := r.client.GetMessageContact(ctx, c.contactID)
	if rdclient.IsNotFound(err) {
		facts.contactGone, facts.goneErr = true, err
		return facts, nil
	}
	if err != nil {
		return facts, err
	}
	facts.contact = contact
	facts.deleting = contact.Status == rdclient.ContactStatusDeleting
	facts.carried = !facts.pending && c.carriedBy(contact)
	return facts, nil
}

// updateInput is the UpdateMessageContact call that requests the change.
func (c pendingChange) updateInput() rdclient.UpdateMessageContactInput {
	in := rdclient.UpdateMessageContactInput{ContactID: c.contactID}
	value := c.value
	if c.kind == pendingEmail {
		in.EmailAddress = &value
	} else {
		in.PhoneNumber = &value
	}
	return in
}

// cancelInput is the CancelMessageContactUpdate call that withdraws the change.
func (c pendingChange) cancelInput() rdclient.CancelMessageContactUpdateInput {
	in := rdclient.CancelMessageContactUpdateInput{ContactID: c.contactID}
	if c.kind == pendingEmail {
		in.EmailAddress = c.value
	} else {
		in.PhoneNumber = c.value
	}
	return in
}

const pendingUpdateContactAdvice = "Check contact_id; list the existing contacts with the alicloudrd_message_contacts data source."

// pendingUpdateContactMissing explains that the change's contact does not exist.
func pendingUpdateContactMissing(c pendingChange, err error) string {
	detail := fmt.Sprintf("Message contact %s does not exist, so %s cannot be requested for it. %s",
		c.contactID, c.label(), pendingUpdateContactAdvice)
	if err != nil {
		detail += "\n\n" + err.Error()
	}
	return detail
}

// pendingUpdateNothingToImport explains why an imported change is not one:
// its contact does not exist, or the value is neither pending nor the
// contact's value.
func pendingUpdateNothingToImport(c pendingChange, facts pendingUpdateFacts) string {
	if facts.contactGone {
		return fmt.Sprintf("Message contact %s does not exist, so it has no pending change to import. %s",
			c.contactID, pendingUpdateContactAdvice)
	}
	return fmt.Sprintf("Contact %s has no pending change to %s, and that is not the contact's value either (%s), so there "+
		"is nothing to import. List what is pending with the alicloudrd_message_contact_verifications data source, or "+
		"`terraform query` with a list \"alicloudrd_message_contact_pending_update\" block.",
		c.contactID, c.label(), c.describe(facts.contact))
}

func pendingUpdateVerifiedWarning(c pendingChange) string {
	return fmt.Sprintf("The change of contact %s to %s was verified and is now the contact's value; it cannot be cancelled "+
		"any more. Terraform forgets it and leaves the contact as it is. To change the value again, request a new change.",
		c.contactID, c.label())
}

func pendingUpdateWithField(fields map[string]any, key string, value any) map[string]any {
	out := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		out[k] = v
	}
	out[key] = value
	return out
}

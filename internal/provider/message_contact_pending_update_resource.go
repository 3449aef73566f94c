package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ resource.Resource                = (*messageContactPendingUpdateResource)(nil)
	_ resource.ResourceWithConfigure   = (*messageContactPendingUpdateResource)(nil)
	_ resource.ResourceWithImportState = (*messageContactPendingUpdateResource)(nil)

	_ validator.String    = pendingUpdateDurationValidator{}
	_ planmodifier.String = pendingUpdateDerivedValue{}
)

// Values of the computed status and target_type attributes.
const (
	pendingUpdateStatusPending  = "pending"
	pendingUpdateStatusVerified = "verified"

	pendingUpdateTargetPhone = "phone"
	pendingUpdateTargetEmail = "email"
)

const (
	pendingUpdateDefaultCreateTimeout = 20 * time.Minute
	pendingUpdateDefaultDeleteTimeout = 10 * time.Minute

	pendingUpdateImportExamplePhone = "c-qL4HqKONzOM7:86-13912345678"
	pendingUpdateImportExampleEmail = "c-qL4HqKONzOM7:ops@example.com"
)

// NewMessageContactPendingUpdateResource returns the
// alicloudrd_message_contact_pending_update resource.
func NewMessageContactPendingUpdateResource() resource.Resource {
	return &messageContactPendingUpdateResource{}
}

// messageContactPendingUpdateResource is one requested change of a message
// contact's phone number or email address, from its request until its owner
// verifies it (or Terraform cancels it).
type messageContactPendingUpdateResource struct {
	client       rdclient.API
	pollInterval time.Duration
}

type messageContactPendingUpdateModel struct {
	ID                  types.String   `tfsdk:"id"`
	ContactID           types.String   `tfsdk:"contact_id"`
	PhoneNumber         types.String   `tfsdk:"phone_number"`
	EmailAddress        types.String   `tfsdk:"email_address"`
	SendVerification    types.Bool     `tfsdk:"send_verification"`
	WaitForVerification types.String   `tfsdk:"wait_for_verification"`
	Status              types.String   `tfsdk:"status"`
	TargetType          types.String   `tfsdk:"target_type"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (r *messageContactPendingUpdateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact_pending_update"
}

func (r *messageContactPendingUpdateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true,
		Delete: true,
		CreateDescription: fmt.Sprintf("How long creation may take, retries and `wait_for_verification` included, as a duration such as `30m`. Default `%s`.",
			pendingUpdateDurationString(pendingUpdateDefaultCreateTimeout)),
		DeleteDescription: fmt.Sprintf("How long cancelling may take, retries included, as a duration such as `10m`. Default `%s`.",
			pendingUpdateDurationString(pendingUpdateDefaultDeleteTimeout)),
	})
	if b, ok := timeoutsBlock.(schema.SingleNestedBlock); ok {
		b.MarkdownDescription = "Timeouts of the create and delete operations."
		timeoutsBlock = b
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "A requested change of a Resource Directory message contact's phone number or email address " +
			"that waits for its owner to verify it.\n\n" +
			"A new phone number or email address of a message contact takes effect only after the owner of that phone or " +
			"mailbox verifies it; until then the change is **pending**. Creating this resource requests the change " +
			"(`UpdateMessageContact`) and sends the verification message (`SendPhoneVerificationForMessageContact` or " +
			"`SendEmailVerificationForMessageContact`). Its `status` is `pending` until the owner verifies, then `verified`.\n\n" +
			"**Destroying this resource cancels the pending change** (`CancelMessageContactUpdate`): the contact keeps its " +
			"last verified value. A change that was already verified cannot be cancelled any more: destroying it only " +
			"removes it from the Terraform state, with a warning. If the change is cancelled, or the contact deleted, " +
			"outside Terraform, the next refresh removes the resource from state and the plan proposes to request the " +
			"change again.\n\n" +
			"When an `alicloudrd_message_contact` resource manages the same contact, add the field this resource changes " +
			"(`phone_number` or `email_address`) to that resource's `lifecycle { ignore_changes = [...] }`, so that the two " +
			"resources do not fight over the value.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the change: `<contact_id>:<phone_number or email_address>`, for example `" +
					pendingUpdateImportExamplePhone + "`. This is also the import ID.",
				Computed: true,
				PlanModifiers: []planmodifier.String{
					pendingUpdateDerivedValue{attr: "id"},
				},
			},
			"contact_id": schema.StringAttribute{
				MarkdownDescription: "ID of the message contact to change, such as `c-qL4HqKONzOM7`. Changing it cancels this " +
					"change and requests a new one on the other contact.",
				Required: true,
				Validators: []validator.String{
					validators.ContactID(),
				},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplace(),
				},
			},
			"phone_number": schema.StringAttribute{
				MarkdownDescription: "The new mobile phone number, written `<country code>-<number>` such as `86-13912345678` " +
					"(the function `provider::alicloudrd::normalize_phone_number` rewrites other spellings). " +
					"Exactly one of `phone_number` and `email_address` must be set. Changing it cancels the pending change " +
					"and requests the new value.",
				Optional: true,
				Validators: []validator.String{
					validators.PhoneNumber(),
					stringvalidator.ExactlyOneOf(path.MatchRoot("phone_number"), path.MatchRoot("email_address")),
				},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplace(),
				},
			},
			"email_address": schema.StringAttribute{
				MarkdownDescription: "The new email address, a plain address such as `ops@example.com`. " +
					"Exactly one of `phone_number` and `email_address` must be set. Changing it cancels the pending change " +
					"and requests the new value.",
				Optional: true,
				Validators: []validator.String{
					validators.EmailAddress(),
				},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplace(),
				},
			},
			"send_verification": schema.BoolAttribute{
				MarkdownDescription: "Whether creation sends the verification message (a code by SMS, or a link by email) to " +
					"the new phone number or email address. Default `true`. Set it to `false` when the message is sent " +
					"another way; the change stays pending until it is verified either way. Changing it later has no effect " +
					"on a change already requested.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"wait_for_verification": schema.StringAttribute{
				MarkdownDescription: "When set, creation waits up to this long (a duration such as `10m`, `30s` or `1h30m`) " +
					"for the owner to verify the change, for pipelines that need the new value to be effective before they " +
					"go on; the create timeout bounds the wait too. If it is not verified in time, apply fails with an " +
					"error but nothing is cancelled: the change stays pending and is kept in state (marked tainted, so the " +
					"next apply replaces it unless you run `terraform untaint`). Off by default: creation returns as soon " +
					"as the change is requested. Only creation waits; changing it later has no effect.",
				Optional: true,
				Validators: []validator.String{
					pendingUpdateDurationValidator{},
				},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`pending` while the change waits for verification; `verified` once the owner verified " +
					"it and the contact carries the new value.",
				Computed: true,
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
				},
			},
			"target_type": schema.StringAttribute{
				MarkdownDescription: "What the change sets: `phone` (`phone_number`) or `email` (`email_address`).",
				Computed:            true,
				PlanModifiers: []planmodifier.String{
					pendingUpdateDerivedValue{attr: "target_type"},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock,
		},
	}
}

func (r *messageContactPendingUpdateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		r.client = data.client
		r.pollInterval = data.pollInterval
	}
}

func (r *messageContactPendingUpdateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	createTimeout, diags := plan.Timeouts.Create(ctx, pendingUpdateDefaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var wait time.Duration
	if !plan.WaitForVerification.IsNull() && !plan.WaitForVerification.IsUnknown() {
		d, err := time.ParseDuration(plan.WaitForVerification.ValueString())
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("wait_for_verification"), "Invalid wait_for_verification",
				fmt.Sprintf("wait_for_verification must be a positive duration such as \"10m\", got %q.", plan.WaitForVerification.ValueString()))
			return
		}
		wait = d
	}

	target := pendingUpdateTargetOf(plan)
	plan.ID = types.StringValue(target.id())
	plan.TargetType = types.StringValue(target.kind())

	// saveState records the change in state; called once the change is
	// known to be (or may be) pending, so that nothing requested is lost.
	saveState := func(status string) {
		plan.Status = types.StringValue(status)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}

	opCtx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()
	logFields := target.logFields()

	// 1. Request the change.
	in := rdclient.UpdateMessageContactInput{ContactID: target.contactID}
	value := target.value
	if target.email {
		in.EmailAddress = &value
	} else {
		in.PhoneNumber = &value
	}
	tflog.Debug(ctx, "requesting a message contact change", logFields)
	if err := r.client.UpdateMessageContact(opCtx, in); err != nil {
		if rdclient.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found", target.contactMissingDetail(err))
			return
		}
		// The request may have been applied even though the call failed (a
		// lost response, a retried apply): adopt the change when it is pending.
		verifications, lerr := r.client.ListAllMessageContactVerifications(opCtx, target.contactID)
		if lerr != nil || !target.pendingIn(verifications) {
			advice := credentialsAdviceOr(err, "Check the value and the contact, then run terraform apply again. An error with an "+
				"HTTP status of 5xx, or throttling, is usually temporary; quote the RequestId when you contact Alibaba Cloud support.")
			if note := timeoutNote(opCtx, "create", createTimeout, rdclient.ActionUpdateMessageContact, "apply"); note != "" {
				advice = note + " Requesting the same value again does not add a second pending change."
			}
			resp.Diagnostics.AddError("Cannot request the message contact change",
				fmt.Sprintf("Requesting %s for contact %s failed: %s\n\n%s", target.label(), target.contactID, err.Error(), advice))
			return
		}
		tflog.Info(ctx, "the requested change is already pending; adopting it", logFields)
	}

	// 2. Send the verification message; success proves the value is pending.
	status := ""
	if plan.SendVerification.ValueBool() {
		var err error
		if target.email {
			err = r.client.SendEmailVerificationForMessageContact(opCtx, target.contactID, target.value)
		} else {
			err = r.client.SendPhoneVerificationForMessageContact(opCtx, target.contactID, target.value)
		}
		switch {
		case err == nil:
			status = pendingUpdateStatusPending
		case rdclient.IsVerificationNotFound(err):
			// Nothing pending for the value: find out whether it is already
			// the contact's value.
			tflog.Debug(ctx, "no verification pending for the requested value; checking the contact", logFields)
		case rdclient.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found", target.contactMissingDetail(err))
			return
		default:
			saveState(pendingUpdateStatusPending)
			resp.Diagnostics.AddError("Cannot send the verification message",
				fmt.Sprintf("The change of contact %s to %s was requested and is pending, but the verification message could not be sent: %s\n\n"+
					"Terraform saved the pending change in state and marked it tainted, so the next terraform apply cancels it and "+
					"requests it again, sending a new message. To keep it as it is instead, run terraform untaint on this resource. "+
					"SendValidateCodeExceedsLimitForAccount means the daily or per-minute sending limit was reached: wait before retrying.%s",
					target.contactID, target.label(), err.Error(), pendingUpdateSentence(timeoutNote(opCtx, "create", createTimeout, target.sendAction(), "apply"))))
			return
		}
	}

	// 3. Without a send (or when the send found nothing pending), confirm by reading.
	if status == "" {
		facts, err := r.observe(opCtx, target, false)
		if err != nil {
			saveState(pendingUpdateStatusPending)
			resp.Diagnostics.AddError("Cannot confirm the message contact change",
				fmt.Sprintf("The change of contact %s to %s was requested, but reading it back failed: %s\n\n"+
					"Terraform saved the change in state as pending and marked it tainted; the next terraform apply cancels it "+
					"(if it is still pending) and requests it again.%s", target.contactID, target.label(), err.Error(),
					pendingUpdateSentence(timeoutNote(opCtx, "create", createTimeout, "reading the change back", "apply"))))
			return
		}
		switch {
		case facts.contactGone:
			resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found", target.contactMissingDetail(facts.goneErr))
			return
		case facts.pending:
			status = pendingUpdateStatusPending
		case facts.deleting:
			resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact is being deleted",
				fmt.Sprintf("Contact %s is being deleted, so %s cannot be requested for it. Wait until the deletion ends "+
					"(if it fails, the contact can be changed again), or choose another contact.", target.contactID, target.label()))
			return
		case facts.carried:
			status = pendingUpdateStatusVerified
		default:
			resp.Diagnostics.AddError("Message contact change not recorded",
				fmt.Sprintf("The API accepted the request to set %s on contact %s, but the change is neither pending verification "+
					"nor the contact's current value (%s). Another change of the same field may have been requested at the same "+
					"time, or the contact may be changing state. Check the contact with the alicloudrd_message_contact_verifications "+
					"data source or in the Resource Directory console, then run terraform apply again.",
					target.label(), target.contactID, facts.describeContact(target)))
			return
		}
	}

	// 4. Optionally wait for the owner to verify.
	if status == pendingUpdateStatusPending && wait > 0 {
		r.waitForVerification(ctx, opCtx, target, wait, createTimeout, &status, resp)
		if status == "" {
			return // withdrawn or gone while waiting; the error is in resp
		}
		saveState(status)
		return
	}

	tflog.Info(ctx, "message contact change requested", pendingUpdateWithField(logFields, "status", status))
	saveState(status)
}

// waitForVerification polls until the change is verified, withdrawn or the
// wait ends. It sets *status to verified, leaves it pending on timeout (with
// an error added to resp), or clears it when the change disappeared.
func (r *messageContactPendingUpdateResource) waitForVerification(ctx, opCtx context.Context, target pendingUpdateTarget,
	wait, createTimeout time.Duration, status *string, resp *resource.CreateResponse) {
	tflog.Info(ctx, "waiting for the owner to verify the change", pendingUpdateWithField(target.logFields(), "wait", wait.String()))

	timedOut := func(byCreateTimeout bool) {
		limit := fmt.Sprintf("wait_for_verification (%s)", wait)
		if byCreateTimeout {
			limit = fmt.Sprintf("the create timeout (%s)", createTimeout)
		}
		resp.Diagnostics.AddError("Message contact change still pending",
			fmt.Sprintf("The change of contact %s to %s was requested and is still pending: it was not verified within %s.\n\n"+
				"The owner of %s must verify it (with the code or link of the verification message, or in the Resource "+
				"Directory console) before it takes effect. Nothing was cancelled: Terraform saved the pending change in state "+
				"and marked it tainted. terraform destroy (or replacing the resource, which the next terraform apply plans "+
				"because it is tainted) will cancel it. To keep waiting for the owner instead, run terraform untaint on this "+
				"resource; the next refresh reports status = \"verified\" once the change is verified.",
				target.contactID, target.label(), limit, target.label()))
	}

	// Checks are scheduled at start + i*interval for i = 1..polls, so the
	// wait makes the same number of checks however long each one takes; the
	// create timeout (opCtx) bounds the whole.
	interval := min(r.pollInterval, wait)
	polls := int(wait / interval)
	start := time.Now()
	for i := 1; i <= polls; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			timer := time.NewTimer(d)
			select {
			case <-opCtx.Done():
				timer.Stop()
				timedOut(true)
				return
			case <-timer.C:
			}
		}
		facts, err := r.observe(opCtx, target, false)
		if err != nil {
			if opCtx.Err() != nil {
				timedOut(true)
				return
			}
			resp.Diagnostics.AddError("Cannot check the message contact change",
				fmt.Sprintf("The change of contact %s to %s was requested and is pending, but checking whether it was verified failed: %s\n\n"+
					"Terraform saved the pending change in state and marked it tainted. terraform destroy (or the replacement "+
					"the next terraform apply plans) cancels it; run terraform untaint on this resource to keep it.",
					target.contactID, target.label(), err.Error()))
			return
		}
		switch {
		case facts.contactGone:
			*status = ""
			resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact deleted while waiting",
				fmt.Sprintf("Contact %s was deleted while Terraform waited for the change to %s to be verified. %s",
					target.contactID, target.label(), target.contactMissingAdvice()))
			return
		case facts.pending || facts.deleting:
			// Still pending, or hidden while the contact is being deleted.
			continue
		case facts.carried:
			*status = pendingUpdateStatusVerified
			tflog.Info(ctx, "the change was verified", target.logFields())
			return
		default:
			*status = ""
			resp.Diagnostics.AddError("Message contact change withdrawn while waiting",
				fmt.Sprintf("While Terraform waited for it to be verified, the change of contact %s to %s stopped being pending "+
					"without taking effect: it was cancelled, or replaced by another change of the same field, outside Terraform "+
					"(%s). Run terraform apply again to request it again.",
					target.contactID, target.label(), facts.describeContact(target)))
			return
		}
	}
	timedOut(false)
}

func (r *messageContactPendingUpdateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	target := pendingUpdateTargetOf(state)
	logFields := target.logFields()

	facts, err := r.observe(ctx, target, false)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the message contact change",
			fmt.Sprintf("Reading the change of contact %s to %s failed: %s\n\n%s", target.contactID, target.label(), err.Error(),
				credentialsAdviceOr(err, "An error with an HTTP status of 5xx, or throttling, is usually temporary: run the command again.")))
		return
	}
	switch {
	case facts.contactGone:
		tflog.Warn(ctx, "the message contact no longer exists; removing the change from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	case facts.pending:
		state.Status = types.StringValue(pendingUpdateStatusPending)
	case facts.deleting:
		// A contact being deleted hides its pending changes; they come back
		// if the deletion fails. Keep what is known until the deletion ends.
		tflog.Warn(ctx, "the message contact is being deleted; keeping the change as it is until the deletion ends", logFields)
		if state.Status.IsNull() || state.Status.IsUnknown() {
			state.Status = types.StringValue(pendingUpdateStatusPending)
		}
	case facts.carried:
		state.Status = types.StringValue(pendingUpdateStatusVerified)
	default:
		tflog.Warn(ctx, "the change is neither pending nor the contact's value (cancelled or replaced outside Terraform); removing it from state", logFields)
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(target.id())
	state.TargetType = types.StringValue(target.kind())
	if state.SendVerification.IsNull() || state.SendVerification.IsUnknown() {
		state.SendVerification = types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes only the attributes that make no API call:
// send_verification, wait_for_verification and timeouts.
func (r *messageContactPendingUpdateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	plan.Status = state.Status
	plan.TargetType = state.TargetType
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *messageContactPendingUpdateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	target := pendingUpdateTargetOf(state)
	logFields := target.logFields()

	if state.Status.ValueString() == pendingUpdateStatusVerified {
		resp.Diagnostics.AddWarning("Verified change not cancelled", target.verifiedWarning())
		return
	}

	deleteTimeout, diags := state.Timeouts.Delete(ctx, pendingUpdateDefaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	opCtx, cancel := context.WithTimeout(ctx, deleteTimeout)
	defer cancel()

	in := rdclient.CancelMessageContactUpdateInput{ContactID: target.contactID}
	if target.email {
		in.EmailAddress = target.value
	} else {
		in.PhoneNumber = target.value
	}
	for {
		tflog.Debug(ctx, "cancelling the pending message contact change", logFields)
		err := r.client.CancelMessageContactUpdate(opCtx, in)
		switch {
		case err == nil:
			tflog.Info(ctx, "pending message contact change cancelled", logFields)
			return
		case rdclient.IsNotFound(err):
			tflog.Info(ctx, "the message contact no longer exists; nothing to cancel", logFields)
			return
		case !rdclient.IsStatusMismatch(err):
			advice := credentialsAdviceOr(err, "An error with an HTTP status of 5xx, or throttling, is usually temporary: run "+
				"terraform destroy again. Quote the RequestId when you contact Alibaba Cloud support.")
			if note := timeoutNote(opCtx, "delete", deleteTimeout, rdclient.ActionCancelMessageContactUpdate, "destroy"); note != "" {
				advice = note
			}
			resp.Diagnostics.AddError("Cannot cancel the message contact change",
				fmt.Sprintf("Cancelling the change of contact %s to %s failed: %s\n\nThe change may still be pending. %s",
					target.contactID, target.label(), err.Error(), advice))
			return
		}

		// ContactStatusMismatchAction: find out why from the facts.
		facts, ferr := r.observe(opCtx, target, true)
		if ferr != nil {
			resp.Diagnostics.AddError("Cannot cancel the message contact change",
				fmt.Sprintf("Cancelling the change of contact %s to %s was refused (%s), and reading the contact to find out why "+
					"failed: %s\n\nRun terraform destroy again.", target.contactID, target.label(), err.Error(), ferr.Error()))
			return
		}
		switch {
		case facts.contactGone:
			tflog.Info(ctx, "the message contact no longer exists; nothing to cancel", logFields)
			return
		case facts.deleting:
			// The pending change is hidden while the contact is being
			// deleted; wait for the deletion to end either way.
		case !facts.pending && facts.carried:
			resp.Diagnostics.AddWarning("Verified change not cancelled", target.verifiedWarning())
			return
		case !facts.pending:
			tflog.Info(ctx, "the change is no longer pending (withdrawn outside Terraform); nothing to cancel", logFields)
			return
		}

		// Still pending (or hidden while the contact is being deleted), yet
		// the contact's state refuses the cancellation: try again later.
		tflog.Debug(ctx, "the change is still pending but cannot be cancelled now; retrying",
			pendingUpdateWithField(logFields, "contact_status", facts.contactStatus()))
		timer := time.NewTimer(r.pollInterval)
		select {
		case <-opCtx.Done():
			timer.Stop()
			pendingText := "is still pending"
			if facts.deleting {
				pendingText = "may still be pending (the contact is being deleted, which hides its pending changes until the deletion ends)"
			}
			resp.Diagnostics.AddError("Cannot cancel the message contact change",
				fmt.Sprintf("The change of contact %s to %s %s, but the API refused to cancel it until the delete "+
					"timeout (%s) ran out: %s\nThe contact's status is %s. This happens while a contact is being deleted or "+
					"changing state. Run terraform destroy again later, or raise timeouts.delete.",
					target.contactID, target.label(), pendingText, deleteTimeout, err.Error(), facts.contactStatus()))
			return
		case <-timer.C:
		}
	}
}

func (r *messageContactPendingUpdateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	contactID, value, ok := strings.Cut(req.ID, ":")
	contactID, value = strings.TrimSpace(contactID), strings.TrimSpace(value)
	expected := fmt.Sprintf("Expected an import ID of the form <contact_id>:<phone_number or email_address>, for example %q or %q; got %q.",
		pendingUpdateImportExamplePhone, pendingUpdateImportExampleEmail, req.ID)
	if !ok || contactID == "" || value == "" {
		resp.Diagnostics.AddError("Invalid import ID", expected)
		return
	}
	email := strings.Contains(value, "@")
	attr, v := "phone_number", validators.PhoneNumber()
	if email {
		attr, v = "email_address", validators.EmailAddress()
	}
	for _, check := range []struct {
		attr  string
		value string
		v     validator.String
	}{{"contact_id", contactID, validators.ContactID()}, {attr, value, v}} {
		vresp := &validator.StringResponse{}
		check.v.ValidateString(ctx, validator.StringRequest{
			Path:           path.Root(check.attr),
			PathExpression: path.MatchRoot(check.attr),
			ConfigValue:    types.StringValue(check.value),
		}, vresp)
		if vresp.Diagnostics.HasError() {
			details := make([]string, 0, len(vresp.Diagnostics))
			for _, d := range vresp.Diagnostics.Errors() {
				details = append(details, d.Detail())
			}
			resp.Diagnostics.AddError("Invalid import ID",
				fmt.Sprintf("%s\n\nThe %s part is not valid: %s", expected, check.attr, strings.Join(details, " ")))
			return
		}
	}

	target := pendingUpdateTarget{contactID: contactID, value: value, email: email}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), target.id())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("contact_id"), contactID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), value)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("target_type"), target.kind())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_verification"), true)...)
}

// pendingUpdateTarget is the value a change sets on a contact.
type pendingUpdateTarget struct {
	contactID string
	value     string
	email     bool
}

func pendingUpdateTargetOf(m messageContactPendingUpdateModel) pendingUpdateTarget {
	if !m.EmailAddress.IsNull() && !m.EmailAddress.IsUnknown() {
		return pendingUpdateTarget{contactID: m.ContactID.ValueString(), value: m.EmailAddress.ValueString(), email: true}
	}
	return pendingUpdateTarget{contactID: m.ContactID.ValueString(), value: m.PhoneNumber.ValueString()}
}

func (t pendingUpdateTarget) id() string { return t.contactID + ":" + t.value }

// sendAction is the API action that sends the verification message.
func (t pendingUpdateTarget) sendAction() string {
	if t.email {
		return rdclient.ActionSendEmailVerificationForMessageContact
	}
	return rdclient.ActionSendPhoneVerificationForMessageContact
}

// pendingUpdateSentence prefixes a non-empty sentence with a space.
func pendingUpdateSentence(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func (t pendingUpdateTarget) kind() string {
	if t.email {
		return pendingUpdateTargetEmail
	}
	return pendingUpdateTargetPhone
}

func (t pendingUpdateTarget) label() string {
	if t.email {
		return fmt.Sprintf("email address %s", t.value)
	}
	return fmt.Sprintf("phone number %s", t.value)
}

// logFields names the change without its value.
func (t pendingUpdateTarget) logFields() map[string]any {
	return map[string]any{"contact_id": t.contactID, "target_type": t.kind()}
}

// matches compares a value reported by the API with the target: exactly for
// phone numbers, ignoring case for email addresses.
func (t pendingUpdateTarget) matches(v string) bool {
	if t.email {
		return strings.EqualFold(strings.TrimSpace(v), t.value)
	}
	return strings.TrimSpace(v) == t.value
}

func (t pendingUpdateTarget) pendingIn(vs []rdclient.ContactVerification) bool {
	for _, v := range vs {
		if v.ContactID != "" && v.ContactID != t.contactID {
			continue
		}
		if strings.Contains(v.Target, "@") == t.email && t.matches(v.Target) {
			return true
		}
	}
	return false
}

func (t pendingUpdateTarget) field(c *rdclient.Contact) string {
	if c == nil {
		return ""
	}
	if t.email {
		return c.EmailAddress
	}
	return c.PhoneNumber
}

func (t pendingUpdateTarget) contactMissingAdvice() string {
	return "Check contact_id; list the existing contacts with the alicloudrd_message_contacts data source."
}

func (t pendingUpdateTarget) contactMissingDetail(err error) string {
	detail := fmt.Sprintf("Message contact %s does not exist, so %s cannot be requested for it. %s",
		t.contactID, t.label(), t.contactMissingAdvice())
	if err != nil {
		detail += "\n\n" + err.Error()
	}
	return detail
}

func (t pendingUpdateTarget) verifiedWarning() string {
	return fmt.Sprintf("The change of contact %s to %s was verified and is now the contact's value; it cannot be cancelled "+
		"any more. Terraform forgets it and leaves the contact as it is. To change the value again, request a new change.",
		t.contactID, t.label())
}

// pendingUpdateFacts is what the API says about a change.
type pendingUpdateFacts struct {
	contactGone bool
	goneErr     error
	pending     bool // the target is listed as a pending verification
	carried     bool // GetMessageContact shows the target (only checked when not pending)
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

func (f pendingUpdateFacts) describeContact(t pendingUpdateTarget) string {
	if f.contact == nil {
		return "the contact was not read"
	}
	field := "phone number"
	if t.email {
		field = "email address"
	}
	v := t.field(f.contact)
	if v == "" {
		v = "(none)"
	}
	return fmt.Sprintf("the contact's status is %s and it shows %s %s", f.contactStatus(), field, v)
}

// observe reads the facts about a change: the pending verifications first
// (one call when the change is pending), then the contact when the change is
// not pending or withContact is set. A pending target is never taken as
// verified, whatever GetMessageContact shows: in the API's requested read mode
// it shows pending values.
func (r *messageContactPendingUpdateResource) observe(ctx context.Context, t pendingUpdateTarget, withContact bool) (pendingUpdateFacts, error) {
	var facts pendingUpdateFacts
	vs, err := r.client.ListAllMessageContactVerifications(ctx, t.contactID)
	if rdclient.IsNotFound(err) {
		facts.contactGone, facts.goneErr = true, err
		return facts, nil
	}
	if err != nil {
		return facts, err
	}
	facts.pending = t.pendingIn(vs)
	if facts.pending && !withContact {
		return facts, nil
	}
	c, err := r.client.GetMessageContact(ctx, t.contactID)
	if rdclient.IsNotFound(err) {
		facts.contactGone, facts.goneErr = true, err
		return facts, nil
	}
	if err != nil {
		return facts, err
	}
	facts.contact = c
	facts.deleting = c.Status == rdclient.ContactStatusDeleting
	facts.carried = !facts.pending && t.matches(t.field(c))
	return facts, nil
}

func pendingUpdateWithField(fields map[string]any, key string, value any) map[string]any {
	out := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		out[k] = v
	}
	out[key] = value
	return out
}

// pendingUpdateDurationString writes whole minutes as "20m" rather than "20m0s".
func pendingUpdateDurationString(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// pendingUpdateDurationValidator checks that a string is a positive Go
// duration such as "10m".
type pendingUpdateDurationValidator struct{}

func (v pendingUpdateDurationValidator) Description(ctx context.Context) string {
	return v.MarkdownDescription(ctx)
}

func (v pendingUpdateDurationValidator) MarkdownDescription(context.Context) string {
	return "value must be a positive duration such as `30s`, `10m` or `1h30m`"
}

func (v pendingUpdateDurationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(s)
	if err == nil && d > 0 {
		return
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueDiagnostic(req.Path,
		"must be a positive duration with a unit, such as \"30s\", \"10m\" or \"1h30m\" (units: s, m, h)", fmt.Sprintf("%q", s)))
}

// pendingUpdateDerivedValue plans id and target_type from the configuration,
// so that they are known at plan time.
type pendingUpdateDerivedValue struct {
	attr string
}

func (m pendingUpdateDerivedValue) Description(ctx context.Context) string {
	return m.MarkdownDescription(ctx)
}

func (m pendingUpdateDerivedValue) MarkdownDescription(context.Context) string {
	return "Derived from contact_id, phone_number and email_address."
}

func (m pendingUpdateDerivedValue) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var contactID, phone, email types.String
	var diags diag.Diagnostics
	diags.Append(req.Plan.GetAttribute(ctx, path.Root("contact_id"), &contactID)...)
	diags.Append(req.Plan.GetAttribute(ctx, path.Root("phone_number"), &phone)...)
	diags.Append(req.Plan.GetAttribute(ctx, path.Root("email_address"), &email)...)
	if diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	if phone.IsUnknown() || email.IsUnknown() || phone.IsNull() == email.IsNull() {
		return
	}
	target := pendingUpdateTargetOf(messageContactPendingUpdateModel{ContactID: contactID, PhoneNumber: phone, EmailAddress: email})
	switch m.attr {
	case "target_type":
		resp.PlanValue = types.StringValue(target.kind())
	case "id":
		if !contactID.IsUnknown() {
			resp.PlanValue = types.StringValue(target.id())
		}
	}
}

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
					"another way, for example by the `alicloudrd_message_contact_send_verification` action triggered after " +
					"create; the change stays pending until it is verified either way. Changing it later has no effect " +
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
	// Whatever is saved in state, even with an error, gets its identity.
	defer func(ctx context.Context) {
		resp.Diagnostics.Append(pendingUpdateIdentityFromState(ctx, resp.State, resp.Identity)...)
	}(ctx)
	var plan messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	createTimeout, wait, diags := pendingUpdateCreateLimits(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	change := pendingChangeOf(plan)
	plan.ID = types.StringValue(change.id())
	plan.TargetType = types.StringValue(string(change.kind))

	opCtx, cancel := context.WithTimeout(ctx, createTimeout)
	defer cancel()
	op := pendingUpdateCreate{r: r, change: change, opCtx: opCtx, timeout: createTimeout}

	// Request the change and make sure it is pending; then, if asked, wait
	// for the owner to verify it. Whatever may be pending is saved in state,
	// even with an error, so that nothing requested is lost.
	status, diags := op.request(ctx, plan.SendVerification.ValueBool())
	resp.Diagnostics.Append(diags...)
	if status == pendingUpdateStatusPending && wait > 0 && !diags.HasError() {
		status, diags = op.waitForVerification(ctx, wait)
		resp.Diagnostics.Append(diags...)
	}
	if status == "" {
		return
	}
	if !resp.Diagnostics.HasError() {
		tflog.Info(ctx, "message contact change requested", pendingUpdateWithField(change.logFields(), "status", status))
	}
	plan.Status = types.StringValue(status)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *messageContactPendingUpdateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	change := pendingChangeOf(state)
	logFields := change.logFields()
	// Only an import leaves the computed status unset in state.
	imported := state.Status.IsNull()
	// The identity follows from the change, which Read never changes; set it
	// first, so that it is there even when the change is gone.
	resp.Diagnostics.Append(pendingUpdateIdentityFromState(ctx, req.State, resp.Identity)...)

	facts, err := r.observe(ctx, change, false)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the message contact change", apiErrorDetail(
			fmt.Sprintf("Reading the change of contact %s to %s failed", change.contactID, change.label()), err,
			"Check the contact, then run the command again."))
		return
	}
	switch {
	case imported && (facts.contactGone || !facts.pending && !facts.deleting && !facts.carried):
		resp.Diagnostics.AddError("No such pending change", pendingUpdateNothingToImport(change, facts))
		return
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
	state.ID = types.StringValue(change.id())
	state.TargetType = types.StringValue(string(change.kind))
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
	resp.Diagnostics.Append(pendingUpdateIdentityFromState(ctx, resp.State, resp.Identity)...)
}

func (r *messageContactPendingUpdateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state messageContactPendingUpdateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	change := pendingChangeOf(state)
	if state.Status.ValueString() == pendingUpdateStatusVerified {
		resp.Diagnostics.AddWarning("Verified change not cancelled", pendingUpdateVerifiedWarning(change))
		return
	}
	deleteTimeout, diags := state.Timeouts.Delete(ctx, pendingUpdateDefaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	opCtx, cancel := context.WithTimeout(ctx, deleteTimeout)
	defer cancel()

	// CancelMessageContactUpdate until it is done, or the facts say there is
	// nothing (left) to cancel, or the delete timeout runs out.
	for {
		err := r.client.CancelMessageContactUpdate(opCtx, change.cancelInput())
		retry, diags := r.afterCancel(ctx, opCtx, change, deleteTimeout, err)
		resp.Diagnostics.Append(diags...)
		if retry == nil {
			return
		}
		resp.Diagnostics.Append(r.awaitCancelRetry(ctx, opCtx, change, deleteTimeout, err, *retry)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
}

func (r *messageContactPendingUpdateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		r.importByIdentity(ctx, req, resp)
		return
	}
	contactID, value, ok := strings.Cut(req.ID, ":")
	contactID, value = strings.TrimSpace(contactID), strings.TrimSpace(value)
	expected := fmt.Sprintf("Expected an import ID of the form <contact_id>:<phone_number or email_address>, for example %q or %q; got %q.",
		pendingUpdateImportExamplePhone, pendingUpdateImportExampleEmail, req.ID)
	if !ok || contactID == "" || value == "" {
		resp.Diagnostics.AddError("Invalid import ID", expected)
		return
	}
	change := newPendingChange(contactID, value)
	valueValidator := validators.PhoneNumber()
	if change.kind == pendingEmail {
		valueValidator = validators.EmailAddress()
	}
	for _, part := range []struct {
		attr, value string
		v           validator.String
	}{{"contact_id", contactID, validators.ContactID()}, {change.kind.attribute(), value, valueValidator}} {
		if problem := validationProblem(ctx, part.v, part.attr, part.value); problem != "" {
			resp.Diagnostics.AddError("Invalid import ID",
				fmt.Sprintf("%s\n\nThe %s part is not valid: %s", expected, part.attr, problem))
			return
		}
	}

	resp.Diagnostics.Append(pendingUpdateImported(ctx, change, resp)...)
}

// importByIdentity imports a change named by an import block's identity
// (Terraform 1.12 and later): contact_id and exactly one of phone_number and
// email_address.
func (r *messageContactPendingUpdateResource) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	const example = "  identity = {\n    contact_id   = \"c-qL4HqKONzOM7\"\n    phone_number = \"86-13912345678\"\n  }"
	var identity pendingUpdateIdentityModel
	resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
	if resp.Diagnostics.HasError() {
		return
	}
	phoneSet := !identity.PhoneNumber.IsNull() && identity.PhoneNumber.ValueString() != ""
	emailSet := !identity.EmailAddress.IsNull() && identity.EmailAddress.ValueString() != ""
	if phoneSet == emailSet {
		importIdentityError(&resp.Diagnostics, "alicloudrd_message_contact_pending_update",
			"set exactly one of phone_number and email_address, the pending value to import.", example)
		return
	}
	change := pendingChange{contactID: identity.ContactID.ValueString(), kind: pendingPhone, value: identity.PhoneNumber.ValueString()}
	valueValidator := validators.PhoneNumber()
	if emailSet {
		change.kind, change.value, valueValidator = pendingEmail, identity.EmailAddress.ValueString(), validators.EmailAddress()
	}
	for _, part := range []struct {
		attr, value string
		v           validator.String
	}{{"contact_id", change.contactID, validators.ContactID()}, {change.kind.attribute(), change.value, valueValidator}} {
		if problem := validationProblem(ctx, part.v, part.attr, part.value); problem != "" {
			importIdentityError(&resp.Diagnostics, "alicloudrd_message_contact_pending_update", part.attr+": "+problem, example)
			return
		}
	}
	resp.Diagnostics.Append(pendingUpdateImported(ctx, change, resp)...)
}

// pendingUpdateImported writes what an import knows of a change into state
// and identity; Read then completes it.
func pendingUpdateImported(ctx context.Context, change pendingChange, resp *resource.ImportStateResponse) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(resp.State.SetAttribute(ctx, path.Root("id"), change.id())...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root("contact_id"), change.contactID)...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root(change.kind.attribute()), change.value)...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root("target_type"), string(change.kind))...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root("send_verification"), true)...)
	if resp.Identity != nil {
		diags.Append(resp.Identity.Set(ctx, pendingUpdateIdentityOf(change))...)
	}
	return diags
}

// pendingChangeOf is the change a model (plan or state) describes.
func pendingChangeOf(m messageContactPendingUpdateModel) pendingChange {
	if !m.EmailAddress.IsNull() && !m.EmailAddress.IsUnknown() {
		return pendingChange{contactID: m.ContactID.ValueString(), kind: pendingEmail, value: m.EmailAddress.ValueString()}
	}
	return pendingChange{contactID: m.ContactID.ValueString(), kind: pendingPhone, value: m.PhoneNumber.ValueString()}
}

// pendingUpdateCreateLimits reads the create timeout and the optional
// wait_for_verification duration (0 when not set) from the plan.
func pendingUpdateCreateLimits(ctx context.Context, plan messageContactPendingUpdateModel) (time.Duration, time.Duration, diag.Diagnostics) {
	createTimeout, diags := plan.Timeouts.Create(ctx, pendingUpdateDefaultCreateTimeout)
	if diags.HasError() || plan.WaitForVerification.IsNull() || plan.WaitForVerification.IsUnknown() {
		return createTimeout, 0, diags
	}
	wait, err := time.ParseDuration(plan.WaitForVerification.ValueString())
	if err != nil || wait <= 0 {
		diags.AddAttributeError(path.Root("wait_for_verification"), "Invalid wait_for_verification",
			fmt.Sprintf("wait_for_verification must be a positive duration such as \"10m\", got %q.", plan.WaitForVerification.ValueString()))
	}
	return createTimeout, wait, diags
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
	change := pendingChangeOf(messageContactPendingUpdateModel{ContactID: contactID, PhoneNumber: phone, EmailAddress: email})
	switch m.attr {
	case "target_type":
		resp.PlanValue = types.StringValue(string(change.kind))
	case "id":
		if !contactID.IsUnknown() {
			resp.PlanValue = types.StringValue(change.id())
		}
	}
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ resource.Resource                = (*messageContactResource)(nil)
	_ resource.ResourceWithConfigure   = (*messageContactResource)(nil)
	_ resource.ResourceWithImportState = (*messageContactResource)(nil)
	_ resource.ResourceWithMoveState   = (*messageContactResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*messageContactResource)(nil)
)

// Default timeouts of the message contact resource.
const (
	messageContactCreateTimeout = 10 * time.Minute
	messageContactUpdateTimeout = 10 * time.Minute
	messageContactDeleteTimeout = 20 * time.Minute
)

// NewMessageContactResource returns the alicloudrd_message_contact resource.
func NewMessageContactResource() resource.Resource {
	return &messageContactResource{}
}

type messageContactResource struct {
	client       rdclient.API
	pollInterval time.Duration
	planListing  *contactListing
}

type messageContactResourceModel struct {
	ID                       types.String   `tfsdk:"id"`
	Name                     types.String   `tfsdk:"name"`
	EmailAddress             types.String   `tfsdk:"email_address"`
	PhoneNumber              types.String   `tfsdk:"phone_number"`
	Title                    types.String   `tfsdk:"title"`
	MessageTypes             types.Set      `tfsdk:"message_types"`
	Members                  types.Set      `tfsdk:"members"`
	RetainInMembersOnDestroy types.Bool     `tfsdk:"retain_in_members_on_destroy"`
	Status                   types.String   `tfsdk:"status"`
	CreateDate               types.String   `tfsdk:"create_date"`
	PendingEmailAddress      types.String   `tfsdk:"pending_email_address"`
	PendingPhoneNumber       types.String   `tfsdk:"pending_phone_number"`
	Timeouts                 timeouts.Value `tfsdk:"timeouts"`
}

const messageContactDescription = "Manages a message contact of an Alibaba Cloud Resource Directory: a person who receives " +
	"billing, fault, security and other notices for the resource directory, its folders and its member accounts.\n\n" +
	"Changing `email_address` or `phone_number` requests the change: it takes effect only when the owner of the new " +
	"address or number verifies it (the API sends the verification message). Until then the change is **pending**, " +
	"shown in `pending_email_address` and `pending_phone_number`, and the contact's `status` is `Verifying`.\n\n" +
	"~> **Pending changes and plans.** A change waiting for verification never produces a perpetual diff, whether the " +
	"API reports the requested or the last verified value while the change is pending. On refresh, for the email " +
	"address (and likewise the phone number): if the value in state is pending, the configured value is kept; " +
	"otherwise, if the value the API reports is not pending, it is the effective value and is used, so a change " +
	"verified, withdrawn or made outside Terraform shows in the plan; otherwise the API is showing someone else's " +
	"pending request (for example an `alicloudrd_message_contact_pending_update`), and the value in state, still " +
	"the effective one, is kept.\n\n" +
	"~> **What the configuration does not set is not managed.** `phone_number` and `members` are optional: left out of " +
	"the configuration, they are not managed, and the contact's values in the directory (a phone number verified " +
	"through an `alicloudrd_message_contact_pending_update`, members bound outside Terraform) are recorded in state " +
	"and never planned away. Removing either from the configuration stops managing it and changes nothing in the " +
	"directory. No value that the configuration does not set ever replaces the contact."

func (r *messageContactResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact"
}

func (r *messageContactResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: messageContactDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the message contact, for example `c-qL4HqKONzOM7`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the contact: 2 to 12 letters (Chinese characters are accepted), unique in the resource directory.",
				Required:            true,
				Validators:          []validator.String{validators.ContactName()},
			},
			"email_address": schema.StringAttribute{
				MarkdownDescription: "Email address of the contact, a plain address such as `ops@example.com`. A new address takes " +
					"effect once its owner verifies it; until then it is also in `pending_email_address`.",
				Required:   true,
				Validators: []validator.String{validators.EmailAddress()},
			},
			"phone_number": schema.StringAttribute{
				MarkdownDescription: "Mobile phone number of the contact, `<country code>-<number>`, for example `86-13912345678` " +
					"(the `china` site accepts only 86, the `international` site the other country codes; " +
					"`provider::alicloudrd::normalize_phone_number` converts other notations). A new number takes effect once its " +
					"owner verifies it; until then it is also in `pending_phone_number`. Not managed when not set: the contact's " +
					"number in the directory, if any, is then recorded here and kept (the API cannot remove a phone number).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validators.PhoneNumber()},
				PlanModifiers: []planmodifier.String{contactUnsetNotManaged()},
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "Job title of the contact: one of " + contactQuotedList(validators.Titles) + ".",
				Required:            true,
				Validators:          []validator.String{validators.Title()},
			},
			"message_types": schema.SetAttribute{
				MarkdownDescription: "Kinds of message the contact receives (order carries no meaning), at least one of " +
					contactQuotedList(validators.MessageTypes) + ".",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.MessageType()),
				},
			},
			"members": schema.SetAttribute{
				MarkdownDescription: fmt.Sprintf("Objects the contact is bound to, at most %d: the resource directory (`rd-…`), "+
					"folders (`fd-…`, `r-…` for the root folder) and member accounts (16 digits). They are bound and unbound "+
					"%d per call; only the members that change are sent. When set, members bound outside Terraform show as a "+
					"change to remove; when not set, members are not managed and the bindings in the directory are recorded here and kept.",
					maxContactMembers, rdclient.MaxMembersPerCall),
				Optional:      true,
				Computed:      true,
				ElementType:   types.StringType,
				PlanModifiers: []planmodifier.Set{contactUnsetNotManaged()},
				Validators: []validator.Set{
					contactMembersAtMost(maxContactMembers),
					setvalidator.ValueStringsAre(validators.MemberID()),
				},
			},
			"retain_in_members_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "What destroying the contact does for its members. `true` (default): the contact is deleted " +
					"at once and members keep it. `false`: the contact is removed from its members too; the API deletes it " +
					"asynchronously and the provider waits until it is gone. That deletion fails when a member account would be " +
					"left without a contact for some message types: the error names each account and message type; assign another " +
					"contact for them and destroy again.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the contact: `Verifying` while a change of email address or phone number waits for " +
					"verification, `Active` otherwise, `Deleting` during an asynchronous deletion.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{contactUseStateIfUnchanged("email_address", "phone_number")},
			},
			"create_date": schema.StringAttribute{
				MarkdownDescription: "When the contact was created, `yyyy-MM-dd HH:mm:ss` as the API reports it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"pending_email_address": schema.StringAttribute{
				MarkdownDescription: "Email address waiting for its owner's verification, whoever requested it; null when none is pending.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{contactUseStateIfUnchanged("email_address")},
			},
			"pending_phone_number": schema.StringAttribute{
				MarkdownDescription: "Phone number waiting for its owner's verification, whoever requested it; null when none is pending.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{contactUseStateIfUnchanged("phone_number")},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *messageContactResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		r.client = data.client
		r.planListing = data.planListing
		r.pollInterval = data.pollInterval
	}
}

func (r *messageContactResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	// Whatever is saved in state, even with an error, gets its identity.
	defer func(ctx context.Context) {
		resp.Diagnostics.Append(contactIdentityFromState(ctx, resp.State, resp.Identity)...)
		contactRememberID(ctx, resp.State, resp.Private)
	}(ctx)
	var plan messageContactResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, messageContactCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	messageTypes, diags := contactSetStrings(ctx, plan.MessageTypes)
	resp.Diagnostics.Append(diags...)
	members, diags := contactSetStrings(ctx, plan.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	addIn := rdclient.AddMessageContactInput{
		Name:         plan.Name.ValueString(),
		EmailAddress: plan.EmailAddress.ValueString(),
		PhoneNumber:  plan.PhoneNumber.ValueString(),
		Title:        plan.Title.ValueString(),
		MessageTypes: messageTypes,
	}
	out, diags := r.add(ctx, &plan, addIn, timeout, &resp.State)
	resp.Diagnostics.Append(diags...)
	if out == nil {
		return
	}
	plan.ID = types.StringValue(out.ContactID)
	plan.CreateDate = contactStringOrNull(out.CreateDate)
	tflog.Debug(ctx, "created message contact", map[string]any{"contact_id": out.ContactID})

	bound, err := r.associate(ctx, out.ContactID, members, nil)
	if err != nil {
		// Keep what exists, with the members bound so far, so nothing is lost.
		resp.Diagnostics.Append(r.savePartial(ctx, &plan, bound, &resp.State)...)
		resp.Diagnostics.AddError("Cannot bind all members to the message contact",
			apiErrorDetail("", err, "", fmt.Sprintf("Contact %s was created and bound to %d of its %d members (%s). "+
				"Terraform marks a resource whose creation failed as tainted and would replace it: to keep the contact and "+
				"bind the remaining members instead, run `terraform untaint` on it, fix the cause, and apply again.",
				out.ContactID, len(bound), len(members), contactListOrNone(bound))))
		return
	}

	planned := plan
	resp.Diagnostics.Append(r.refresh(ctx, &plan, false)...)
	contactKeepPlanned(&plan, planned)
	contactNullUnknownComputed(&plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *messageContactResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state messageContactResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only an import leaves the required name unset in state.
	imported := state.Name.IsNull()
	// The identity follows from the ID, which Read never changes; set it
	// first, so that it is there even when the contact is gone.
	resp.Diagnostics.Append(contactIdentityFromState(ctx, req.State, resp.Identity)...)

	c, verifications, err := r.fetch(ctx, state.ID.ValueString())
	if rdclient.IsNotFound(err) && imported {
		resp.Diagnostics.AddError("Message contact not found", fmt.Sprintf("No message contact has the ID %q in this "+
			"resource directory, so there is nothing to import. Check the ID; the data source alicloudrd_message_contacts, "+
			"or `terraform query` with a list \"alicloudrd_message_contact\" block, lists the contacts.\n\n%s",
			state.ID.ValueString(), err))
		return
	}
	if rdclient.IsNotFound(err) {
		tflog.Warn(ctx, "message contact no longer exists; removing it from state", map[string]any{"contact_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the message contact", apiErrorDetail("", err, ""))
		return
	}
	resp.Diagnostics.Append(contactApplyToModel(&state, c, verifications, imported)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	contactRememberID(ctx, resp.State, resp.Private)
}

func (r *messageContactResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state messageContactResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, messageContactUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	plan.ID = state.ID

	// 1. One UpdateMessageContact with only the fields that change.
	in, changed, diags := contactUpdateInput(ctx, id, plan, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if changed {
		if err := r.client.UpdateMessageContact(ctx, in); err != nil {
			resp.Diagnostics.AddError("Cannot update the message contact", apiErrorDetail("", err, "",
				timeoutNote(ctx, "update", timeout, rdclient.ActionUpdateMessageContact, "apply")))
			return
		}
	}

	// 2. Members: unbind the removed ones first, so the contact never
	// exceeds its limit, then bind the added ones; in batches.
	planned, diags := contactSetStrings(ctx, plan.Members)
	resp.Diagnostics.Append(diags...)
	prior, diags := contactSetStrings(ctx, state.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	bound, err := r.disassociate(ctx, id, contactDifference(prior, planned), prior)
	if err == nil {
		bound, err = r.associate(ctx, id, contactDifference(planned, prior), bound)
	}
	if err != nil {
		resp.Diagnostics.Append(r.savePartial(ctx, &plan, bound, &resp.State)...)
		resp.Diagnostics.AddError("Cannot update the members of the message contact",
			apiErrorDetail("", err, "", fmt.Sprintf("The contact is now bound to %s. The state records that, so the next apply "+
				"binds or unbinds only what is left.", contactListOrNone(bound))))
		return
	}

	// 3. Status and pending values are known in the plan unless the email
	// address or phone number changed; then read them back.
	if plan.Status.IsUnknown() || plan.PendingEmailAddress.IsUnknown() || plan.PendingPhoneNumber.IsUnknown() {
		planned := plan
		resp.Diagnostics.Append(r.refresh(ctx, &plan, false)...)
		contactKeepPlanned(&plan, planned)
	}
	contactNullUnknownComputed(&plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(contactIdentityFromState(ctx, resp.State, resp.Identity)...)
}

func (r *messageContactResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state messageContactResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, messageContactDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	retain := state.RetainInMembersOnDestroy.IsNull() || state.RetainInMembersOnDestroy.ValueBool()
	status, err := r.client.DeleteMessageContact(ctx, id, retain)
	switch {
	case rdclient.IsNotFound(err):
		return
	case rdclient.HasCode(err, rdclient.CodeConcurrentCallNotSupported):
		// A deletion is already running (for example one an earlier,
		// interrupted destroy started): wait for it.
		status = rdclient.DeletionStatusDeleting
	case err != nil:
		resp.Diagnostics.AddError("Cannot delete the message contact", apiErrorDetail("", err, "",
			timeoutNote(ctx, "delete", timeout, rdclient.ActionDeleteMessageContact, "destroy")))
		return
	}
	if status != rdclient.DeletionStatusDeleting {
		return
	}
	if err := r.waitDeleted(ctx, id, timeout); err != nil {
		resp.Diagnostics.AddError("Cannot delete the message contact", err.Error())
	}
}

func (r *messageContactResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		// import { identity = { contact_id = "c-…" } } (Terraform 1.12 and later).
		var identity messageContactIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if problem := validationProblem(ctx, validators.ContactID(), "contact_id", identity.ContactID.ValueString()); problem != "" {
			importIdentityError(&resp.Diagnostics, "alicloudrd_message_contact", "contact_id: "+problem,
				"  identity = {\n    contact_id = \"c-qL4HqKONzOM7\"\n  }")
			return
		}
		id = identity.ContactID.ValueString()
	}
	if problem := validationProblem(ctx, validators.ContactID(), "id", id); problem != "" {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("A message contact is imported by its ID, \"c-\" followed by 12 letters or digits, for example:\n\n"+
				"  terraform import alicloudrd_message_contact.ops c-qL4HqKONzOM7\n\n"+
				"%q is not one: %s. The data source alicloudrd_message_contacts lists the IDs.",
				id, problem))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(contactIdentityFromState(ctx, resp.State, resp.Identity)...)
}

// add calls AddMessageContact. When its answer was lost, it adopts the
// contact the call created (message_contact_lost_response.go); a contact
// adopted with no time left is saved in state, with an error. It returns nil
// when Create must stop.
func (r *messageContactResource) add(ctx context.Context, plan *messageContactResourceModel, in rdclient.AddMessageContactInput,
	timeout time.Duration, state *tfsdk.State) (*rdclient.AddMessageContactOutput, diag.Diagnostics) {
	var diags diag.Diagnostics
	out, err := r.client.AddMessageContact(ctx, in)
	if err == nil {
		return out, nil
	}
	note := ""
	if rdclient.MayHaveBeenApplied(err) {
		found, why := r.findLostCreate(ctx, in)
		if found != nil {
			out = &rdclient.AddMessageContactOutput{ContactID: found.ContactID, CreateDate: found.CreateDate}
			if ctx.Err() == nil {
				return out, nil
			}
			// Created, but no time is left to finish: save it so that it is not lost.
			plan.ID = types.StringValue(out.ContactID)
			plan.CreateDate = contactStringOrNull(out.CreateDate)
			diags.Append(r.savePartial(ctx, plan, nil, state)...)
			diags.AddError("Cannot create the message contact",
				apiErrorDetail("", err, "", fmt.Sprintf("The create timeout (%s) ran out, yet contact %s was created: it is saved in the state, "+
					"bound to no member yet. Terraform marks it tainted and would replace it: to keep it instead, run `terraform untaint` "+
					"on it, then apply again (or raise timeouts.create).", pendingUpdateDurationString(timeout), out.ContactID)))
			return nil, diags
		}
		note = why
	}
	if note == "" && rdclient.HasCode(err, rdclient.CodeNameAlreadyUsed) {
		note = r.nameTakenNote(ctx, in.Name)
	}
	diags.AddError("Cannot create the message contact", apiErrorDetail("", err, "", note,
		timeoutNote(ctx, "create", timeout, rdclient.ActionAddMessageContact, "apply")))
	return nil, diags
}

// nameTakenNote names the contact that already has name, with the blocks
// that adopt it; "" when it cannot be found.
func (r *messageContactResource) nameTakenNote(ctx context.Context, name string) string {
	contacts, err := r.client.ListAllMessageContacts(ctx, "")
	if err != nil {
		return ""
	}
	c := contactNamed(contacts, name)
	if c == nil {
		return ""
	}
	return fmt.Sprintf("Contact %s has the name %q.\n\n%s", c.ContactID, name, contactNameTakenAdvice(c.ContactID))
}

// contactUpdateInput is the UpdateMessageContact call that changes the
// fields planned differently from state; changed is false when none is.
func contactUpdateInput(ctx context.Context, id string, plan, state messageContactResourceModel) (rdclient.UpdateMessageContactInput, bool, diag.Diagnostics) {
	in := rdclient.UpdateMessageContactInput{ContactID: id}
	changed := false
	setIfChanged := func(planned, prior types.String, field **string) {
		if planned.IsNull() || planned.IsUnknown() || planned.Equal(prior) {
			return
		}
		v := planned.ValueString()
		*field = &v
		changed = true
	}
	setIfChanged(plan.Name, state.Name, &in.Name)
	setIfChanged(plan.EmailAddress, state.EmailAddress, &in.EmailAddress)
	setIfChanged(plan.PhoneNumber, state.PhoneNumber, &in.PhoneNumber)
	setIfChanged(plan.Title, state.Title, &in.Title)
	if plan.MessageTypes.Equal(state.MessageTypes) {
		return in, changed, nil
	}
	// The set is sent whole: the API replaces the contact's message types.
	messageTypes, diags := contactSetStrings(ctx, plan.MessageTypes)
	in.MessageTypes = messageTypes
	return in, true, diags
}

// fetch reads a contact and its pending verifications: two API calls.
func (r *messageContactResource) fetch(ctx context.Context, id string) (*rdclient.Contact, []rdclient.ContactVerification, error) {
	c, err := r.client.GetMessageContact(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	verifications, err := r.client.ListAllMessageContactVerifications(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return c, verifications, nil
}

// refresh reads the contact back into m after a change, with m's email
// address and phone number as the prior values of the reconciliation rule.
func (r *messageContactResource) refresh(ctx context.Context, m *messageContactResourceModel, bestEffort bool) diag.Diagnostics {
	var diags diag.Diagnostics
	c, verifications, err := r.fetch(ctx, m.ID.ValueString())
	if err != nil {
		if bestEffort {
			tflog.Warn(ctx, "cannot read the message contact back", map[string]any{"error": err.Error()})
			return nil
		}
		diags.AddError("Cannot read the message contact back",
			apiErrorDetail("", err, "", fmt.Sprintf("The change was made; contact %s is in the state, and the next refresh completes it.", m.ID.ValueString())))
		return diags
	}
	return contactApplyToModel(m, c, verifications, false)
}

// savePartial records a contact whose members were only partly bound or
// unbound: the members known to be bound, then whatever a read can confirm.
func (r *messageContactResource) savePartial(ctx context.Context, m *messageContactResourceModel, bound []string, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(bound) == 0 && (m.Members.IsNull() || m.Members.IsUnknown()) {
		m.Members = types.SetNull(types.StringType)
	} else {
		set, d := contactStringSet(bound)
		diags.Append(d...)
		m.Members = set
	}
	// The call that failed may still have been applied (a dropped
	// response): read the contact when possible, to record the truth.
	diags.Append(r.refresh(ctx, m, true)...)
	contactNullUnknownComputed(m)
	diags.Append(state.Set(ctx, m)...)
	return diags
}

// associate binds members in batches, returning the members bound after the
// last successful batch (starting from already).
func (r *messageContactResource) associate(ctx context.Context, id string, add, already []string) ([]string, error) {
	bound := append([]string(nil), already...)
	for _, batch := range contactBatches(add) {
		if _, err := r.client.AssociateMembers(ctx, id, batch); err != nil {
			return contactSorted(bound), err
		}
		bound = append(bound, batch...)
	}
	return contactSorted(bound), nil
}

// disassociate unbinds members in batches, returning the members still
// bound after the last successful batch (starting from already).
func (r *messageContactResource) disassociate(ctx context.Context, id string, remove, already []string) ([]string, error) {
	bound := append([]string(nil), already...)
	for _, batch := range contactBatches(remove) {
		if _, err := r.client.DisassociateMembers(ctx, id, batch); err != nil {
			return contactSorted(bound), err
		}
		bound = contactDifference(bound, batch)
	}
	return contactSorted(bound), nil
}

// waitDeleted polls an asynchronous deletion until the contact is gone or
// the deletion failed.
func (r *messageContactResource) waitDeleted(ctx context.Context, id string, timeout time.Duration) error {
	ticker := time.NewTicker(r.pollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("message contact %s was still being deleted (status Deleting) after %s. The deletion goes on in "+
				"the resource directory: run terraform destroy (or apply) again later to confirm it, or raise timeouts.delete", id, timeout)
		case <-ticker.C:
		}
		ds, err := r.client.GetMessageContactDeletionStatus(ctx, id)
		switch {
		case rdclient.IsNotFound(err):
			return nil
		case err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
			continue
		case err != nil:
			return errors.New(apiErrorDetail("", err, "", "The deletion may still be running: run terraform destroy again to check."))
		case ds.Status == rdclient.DeletionStatusFailed:
			return contactDeletionFailedError(id, ds.FailReasonList)
		}
		tflog.Debug(ctx, "message contact still deleting", map[string]any{"contact_id": id, "status": ds.Status})
	}
}

// contactDeletionFailedError explains a Failed asynchronous deletion.
func contactDeletionFailedError(id string, reasons []rdclient.DeletionFailReason) error {
	var b strings.Builder
	fmt.Fprintf(&b, "The asynchronous deletion of message contact %s failed (status Failed), so the contact still exists.", id)
	if len(reasons) > 0 {
		b.WriteString(" These member accounts would be left without a contact for some message types:\n")
		sorted := append([]rdclient.DeletionFailReason(nil), reasons...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].AccountID < sorted[j].AccountID })
		for _, fr := range sorted {
			types := "(no message type given)"
			if len(fr.MessageTypes) > 0 {
				types = strings.Join(contactSorted(fr.MessageTypes), ", ")
			}
			fmt.Fprintf(&b, "  - account %s: %s\n", fr.AccountID, types)
		}
		b.WriteString("\nIn each of these accounts, assign another message contact for those message types, then destroy again.")
	} else {
		b.WriteString(" The API gave no reason.")
	}
	b.WriteString(" To delete the contact while members keep it, set retain_in_members_on_destroy = true and apply before destroying.")
	return errors.New(b.String())
}

// contactApplyToModel writes what the API reports into the resource model,
// keeping pending values by the rule of contactReconcileValue.
func contactApplyToModel(m *messageContactResourceModel, c *rdclient.Contact, verifications []rdclient.ContactVerification, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	emails := pendingValues(verifications, c.ContactID, pendingEmail)
	phones := pendingValues(verifications, c.ContactID, pendingPhone)

	m.ID = types.StringValue(c.ContactID)
	m.Name = types.StringValue(c.Name)
	m.Title = types.StringValue(c.Title)
	for _, f := range []struct {
		kind         pendingKind
		value        *types.String
		priorPending types.String
		got          string
		pending      []string
	}{
		{pendingEmail, &m.EmailAddress, m.PendingEmailAddress, c.EmailAddress, emails},
		{pendingPhone, &m.PhoneNumber, m.PendingPhoneNumber, c.PhoneNumber, phones},
	} {
		v, replaced := contactReconcileValue(f.kind, *f.value, f.priorPending, f.got, f.pending, imported)
		if replaced {
			diags.AddWarning(fmt.Sprintf("The %s requested for contact %s is no longer pending", f.kind.label(), c.ContactID),
				fmt.Sprintf("Terraform requested %[1]s for contact %[2]s, and it is no longer pending; someone else's request for "+
					"%[3]s is. Either the owner verified %[1]s before that request came, or that request replaced Terraform's "+
					"before it was verified: while a change is pending the API shows the requested value, so the provider "+
					"cannot tell which. It keeps %[1]s and plans no change, so as not to withdraw the other request. Once %[3]s "+
					"is verified or cancelled, the next plan shows any difference; to request %[1]s again now, cancel that request.",
					v.ValueString(), c.ContactID, strings.Join(f.pending, ", ")))
		}
		*f.value = v
	}

	messageTypes, d := contactStringSet(c.MessageTypes)
	diags.Append(d...)
	m.MessageTypes = messageTypes
	if len(c.Members) == 0 && (m.Members.IsNull() || m.Members.IsUnknown() || imported) {
		// No member, and none configured: null, not an empty set.
		m.Members = types.SetNull(types.StringType)
	} else {
		members, d := contactStringSet(c.Members)
		diags.Append(d...)
		m.Members = members
	}

	m.Status = contactStringOrNull(c.Status)
	if c.CreateDate != "" || m.CreateDate.IsUnknown() {
		m.CreateDate = contactStringOrNull(c.CreateDate)
	}
	m.PendingEmailAddress = contactFirstOrNull(emails)
	m.PendingPhoneNumber = contactFirstOrNull(phones)
	if m.RetainInMembersOnDestroy.IsNull() || m.RetainInMembersOnDestroy.IsUnknown() {
		m.RetainInMembersOnDestroy = types.BoolValue(true)
	}
	return diags
}

// contactKeepPlanned puts back every value the plan knew after a read back:
// an apply must end with what it planned, unknown values aside. Another
// resource of the same apply may change what the read sees (an
// alicloudrd_message_contact_pending_update requesting or cancelling a
// change of this contact); the next refresh records that.
func contactKeepPlanned(m *messageContactResourceModel, planned messageContactResourceModel) {
	for _, v := range []struct{ got, want *types.String }{
		{&m.Name, &planned.Name}, {&m.EmailAddress, &planned.EmailAddress}, {&m.PhoneNumber, &planned.PhoneNumber},
		{&m.Title, &planned.Title}, {&m.Status, &planned.Status}, {&m.CreateDate, &planned.CreateDate},
		{&m.PendingEmailAddress, &planned.PendingEmailAddress}, {&m.PendingPhoneNumber, &planned.PendingPhoneNumber},
	} {
		if !v.want.IsUnknown() {
			*v.got = *v.want
		}
	}
	for _, v := range []struct{ got, want *types.Set }{{&m.MessageTypes, &planned.MessageTypes}, {&m.Members, &planned.Members}} {
		if !v.want.IsUnknown() {
			*v.got = *v.want
		}
	}
}

// contactNullUnknownComputed replaces computed values still unknown (a read
// back failed) with null: state must hold known values. An unknown
// phone_number or members was not configured, so Create set none.
func contactNullUnknownComputed(m *messageContactResourceModel) {
	for _, v := range []*types.String{&m.Status, &m.CreateDate, &m.PendingEmailAddress, &m.PendingPhoneNumber, &m.PhoneNumber} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	if m.Members.IsUnknown() {
		m.Members = types.SetNull(types.StringType)
	}
}

func contactQuotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

func contactListOrNone(values []string) string {
	if len(values) == 0 {
		return "no member"
	}
	return strings.Join(values, ", ")
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ action.Action              = (*messageContactSendVerificationAction)(nil)
	_ action.ActionWithConfigure = (*messageContactSendVerificationAction)(nil)
)

// NewMessageContactSendVerificationAction returns the
// alicloudrd_message_contact_send_verification action (Terraform 1.14 and
// later).
func NewMessageContactSendVerificationAction() action.Action {
	return &messageContactSendVerificationAction{}
}

// messageContactSendVerificationAction sends the verification message of a
// pending phone or email change again, on demand (terraform apply -invoke)
// or from a resource's lifecycle (action_trigger).
type messageContactSendVerificationAction struct {
	client rdclient.API
}

func (a *messageContactSendVerificationAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact_send_verification"
}

func (a *messageContactSendVerificationAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends the verification message of a pending phone or email change again: a code by SMS to " +
			"the new phone number (`SendPhoneVerificationForMessageContact`), or a link by email to the new address " +
			"(`SendEmailVerificationForMessageContact`). Use it when the first message expired, went to spam or reached a " +
			"phone that was off: the change stays as it is, no plan shows a difference, and nothing is requested again.\n\n" +
			"Run it on demand with `terraform apply -invoke=action.alicloudrd_message_contact_send_verification.<name>`, " +
			"or from the `lifecycle` of an `alicloudrd_message_contact_pending_update` with `action_trigger`. " +
			"Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"contact_id": schema.StringAttribute{
				MarkdownDescription: "ID of the message contact whose change is pending, such as `c-qL4HqKONzOM7`.",
				Required:            true,
				Validators:          []validator.String{validators.ContactID()},
			},
			"phone_number": schema.StringAttribute{
				MarkdownDescription: "The pending phone number to send a code to by SMS, written `<country code>-<number>` " +
					"such as `86-13912345678`. Exactly one of `phone_number` and `email_address` must be set.",
				Optional: true,
				Validators: []validator.String{
					validators.PhoneNumber(),
					stringvalidator.ExactlyOneOf(path.MatchRoot("phone_number"), path.MatchRoot("email_address")),
				},
			},
			"email_address": schema.StringAttribute{
				MarkdownDescription: "The pending email address to send a link to, such as `ops@example.com`. " +
					"Exactly one of `phone_number` and `email_address` must be set.",
				Optional:   true,
				Validators: []validator.String{validators.EmailAddress()},
			},
		},
	}
}

func (a *messageContactSendVerificationAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		a.client = data.client
	}
}

// Invoke makes one Send{Phone,Email}VerificationForMessageContact call
// (retried by the client on throttling, server errors and lost answers
// only) and reports what it sent to whom.
func (a *messageContactSendVerificationAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	// The configuration names a pending change as a pending update's
	// identity does.
	var cfg pendingUpdateIdentityModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := pendingChangeOf(messageContactPendingUpdateModel{ContactID: cfg.ContactID, PhoneNumber: cfg.PhoneNumber, EmailAddress: cfg.EmailAddress})
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sending %s to %s, the pending %s of message contact %s",
		c.kind.message(), c.value, c.kind.label(), c.contactID)})
	tflog.Debug(ctx, "sending a verification message", c.logFields())

	err := sendVerificationMessage(ctx, a.client, c)
	switch {
	case err == nil:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sent %s to %s: its owner verifies the change with "+
			"the %s in it; until then the change stays pending", c.kind.message(), c.value, c.kind.proof())})
		tflog.Info(ctx, "verification message sent", c.logFields())
	case rdclient.IsVerificationNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root(c.kind.attribute()), "Nothing pending to verify", apiErrorDetail(
			fmt.Sprintf("Contact %s has no pending change to %s, so there is nothing to send a verification message for", c.contactID, c.label()), err, "",
			fmt.Sprintf("Request the change first: an alicloudrd_message_contact_pending_update resource with this contact_id and %s "+
				"requests it and sends the message. Or it was already verified: the alicloudrd_message_contact data source shows "+
				"the contact's %s, and alicloudrd_message_contact_verifications what is still pending.", c.kind.attribute(), c.kind.label())))
	case rdclient.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found", apiErrorDetail(
			fmt.Sprintf("Message contact %s does not exist, so no verification message can be sent for it", c.contactID), err, "",
			pendingUpdateContactAdvice))
	default:
		resp.Diagnostics.AddError("Cannot send the verification message", apiErrorDetail(
			fmt.Sprintf("Sending %s to %s for contact %s failed", c.kind.message(), c.label(), c.contactID), err,
			"Check the contact and the value, then invoke the action again."))
	}
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identities (Terraform 1.12 and later): what identifies a message
// contact and a pending change across Terraform, for `import` blocks with
// `identity` and for `terraform query`.

var (
	_ resource.ResourceWithIdentity = (*messageContactResource)(nil)
	_ resource.ResourceWithIdentity = (*messageContactPendingUpdateResource)(nil)
)

// messageContactIdentityModel is the identity of an alicloudrd_message_contact.
type messageContactIdentityModel struct {
	ContactID types.String `tfsdk:"contact_id"`
}

// pendingUpdateIdentityModel is the identity of an
// alicloudrd_message_contact_pending_update: the contact and exactly one of
// the new phone number or email address.
type pendingUpdateIdentityModel struct {
	ContactID    types.String `tfsdk:"contact_id"`
	PhoneNumber  types.String `tfsdk:"phone_number"`
	EmailAddress types.String `tfsdk:"email_address"`
}

func (r *messageContactResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"contact_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the message contact, such as `c-qL4HqKONzOM7`.",
			},
		},
	}
}

func (r *messageContactPendingUpdateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"contact_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the message contact the change is for, such as `c-qL4HqKONzOM7`.",
			},
			"phone_number": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "The pending phone number, such as `86-13912345678`; exactly one of `phone_number` and `email_address`.",
			},
			"email_address": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "The pending email address; exactly one of `phone_number` and `email_address`.",
			},
		},
	}
}

// contactIdentityFromState sets identity from the contact ID in state; it
// does nothing when there is no identity to set or no state.
func contactIdentityFromState(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || state.Raw.IsNull() {
		return nil
	}
	var id types.String
	diags := state.GetAttribute(ctx, path.Root("id"), &id)
	if diags.HasError() || id.IsNull() || id.IsUnknown() {
		return diags
	}
	return identity.Set(ctx, messageContactIdentityModel{ContactID: id})
}

// pendingUpdateIdentityOf is the identity of a change.
func pendingUpdateIdentityOf(c pendingChange) pendingUpdateIdentityModel {
	m := pendingUpdateIdentityModel{
		ContactID:    types.StringValue(c.contactID),
		PhoneNumber:  types.StringNull(),
		EmailAddress: types.StringNull(),
	}
	if c.kind == pendingEmail {
		m.EmailAddress = types.StringValue(c.value)
	} else {
		m.PhoneNumber = types.StringValue(c.value)
	}
	return m
}

// pendingUpdateIdentityFromState sets identity from the change in state; it
// does nothing when there is no identity to set or no state.
func pendingUpdateIdentityFromState(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || state.Raw.IsNull() {
		return nil
	}
	var m messageContactPendingUpdateModel
	diags := state.Get(ctx, &m)
	if diags.HasError() || m.ContactID.IsNull() {
		return diags
	}
	return identity.Set(ctx, pendingUpdateIdentityOf(pendingChangeOf(m)))
}

// importIdentityError is the error of an import whose identity is not valid.
func importIdentityError(diags *diag.Diagnostics, resourceType, problem, example string) {
	diags.AddError("Invalid import identity",
		fmt.Sprintf("The identity given to import %s is not valid: %s\n\nFor example:\n\n%s", resourceType, problem, example))
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ list.ListResource              = (*messageContactPendingUpdateListResource)(nil)
	_ list.ListResourceWithConfigure = (*messageContactPendingUpdateListResource)(nil)
)

// NewMessageContactPendingUpdateListResource returns the
// alicloudrd_message_contact_pending_update list resource, for `terraform query`.
func NewMessageContactPendingUpdateListResource() list.ListResource {
	return &messageContactPendingUpdateListResource{}
}

// messageContactPendingUpdateListResource lists the phone and email changes
// waiting for verification, of one contact or of all.
type messageContactPendingUpdateListResource struct {
	client rdclient.API
}

type messageContactPendingUpdateListModel struct {
	ContactID types.String `tfsdk:"contact_id"`
}

func (l *messageContactPendingUpdateListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact_pending_update"
}

func (l *messageContactPendingUpdateListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the phone and email changes waiting for verification, for `terraform query` (Terraform " +
			"1.14 and later): each result is an `alicloudrd_message_contact_pending_update` with its identity, named " +
			"`<contact name>: <new value> (phone|email)`. `terraform query -generate-config-out=FILE` writes the configuration " +
			"and import blocks that bring them under management, so that `terraform destroy` can cancel them.",
		Attributes: map[string]listschema.Attribute{
			"contact_id": listschema.StringAttribute{
				MarkdownDescription: "Only the changes of this message contact, such as `c-qL4HqKONzOM7`. Every contact's when omitted.",
				Optional:            true,
				Validators:          []validator.String{validators.ContactID()},
			},
		},
	}
}

func (l *messageContactPendingUpdateListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		l.client = data.client
	}
}

// List makes ⌈pending values/100⌉ ListMessageContactVerifications calls,
// then, for the contacts' names, one GetMessageContact (contact_id set) or
// ⌈contacts/100⌉ ListMessageContacts calls; none when nothing is pending.
// include_resource needs no further call.
func (l *messageContactPendingUpdateListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg messageContactPendingUpdateListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	contactID := cfg.ContactID.ValueString()
	verifications, err := l.client.ListAllMessageContactVerifications(ctx, contactID)
	if rdclient.IsNotFound(err) && contactID != "" {
		var result list.ListResult
		result.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found",
			fmt.Sprintf("No message contact has the ID %q in this resource directory. Check contact_id; the list "+
				"\"alicloudrd_message_contact\" block or the data source alicloudrd_message_contacts lists the contacts.\n\n%s", contactID, err))
		stream.Results = list.ListResultsStreamDiagnostics(result.Diagnostics)
		return
	}
	if err != nil {
		stream.Results = listErrorResult("Cannot list the pending verifications", err)
		return
	}
	names, err := l.contactNames(ctx, contactID, verifications)
	if err != nil {
		stream.Results = listErrorResult("Cannot read the names of the message contacts", err)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, v := range verifications {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if v.ContactID == "" {
				v.ContactID = contactID
			}
			if !push(pendingUpdateListResult(ctx, req, newPendingChange(v.ContactID, v.Target), names[v.ContactID])) {
				return
			}
		}
	}
}

// contactNames maps contact IDs to names, for the display names.
func (l *messageContactPendingUpdateListResource) contactNames(ctx context.Context, contactID string, verifications []rdclient.ContactVerification) (map[string]string, error) {
	names := map[string]string{}
	switch {
	case len(verifications) == 0:
	case contactID != "":
		c, err := l.client.GetMessageContact(ctx, contactID)
		if err != nil {
			return nil, err
		}
		names[c.ContactID] = c.Name
	default:
		contacts, err := l.client.ListAllMessageContacts(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, c := range contacts {
			names[c.ContactID] = c.Name
		}
	}
	return names, nil
}

// pendingUpdateListResult is one pending change as a list result: its
// identity, "<name>: <value> (<kind>)", and with include_resource the state
// an import would store.
func pendingUpdateListResult(ctx context.Context, req list.ListRequest, c pendingChange, name string) list.ListResult {
	result := req.NewListResult(ctx)
	if name == "" {
		name = c.contactID
	}
	result.DisplayName = fmt.Sprintf("%s: %s (%s)", name, c.value, c.kind)
	result.Diagnostics.Append(result.Identity.Set(ctx, pendingUpdateIdentityOf(c))...)
	if !req.IncludeResource {
		return result
	}
	m := messageContactPendingUpdateModel{
		ID:                  types.StringValue(c.id()),
		ContactID:           types.StringValue(c.contactID),
		PhoneNumber:         types.StringNull(),
		EmailAddress:        types.StringNull(),
		SendVerification:    types.BoolValue(true),
		WaitForVerification: types.StringNull(),
		Status:              types.StringValue(pendingUpdateStatusPending),
		TargetType:          types.StringValue(string(c.kind)),
	}
	if c.kind == pendingEmail {
		m.EmailAddress = types.StringValue(c.value)
	} else {
		m.PhoneNumber = types.StringValue(c.value)
	}
	to, diags := nullTimeouts(ctx, result.Resource)
	result.Diagnostics.Append(diags...)
	m.Timeouts = to
	if !result.Diagnostics.HasError() {
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}

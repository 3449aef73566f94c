package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ list.ListResource              = (*messageContactListResource)(nil)
	_ list.ListResourceWithConfigure = (*messageContactListResource)(nil)
)

// NewMessageContactListResource returns the alicloudrd_message_contact list
// resource, for `terraform query`.
func NewMessageContactListResource() list.ListResource {
	return &messageContactListResource{}
}

// messageContactListResource lists the message contacts of the resource
// directory, optionally only those bound to a member.
type messageContactListResource struct {
	client rdclient.API
}

type messageContactListModel struct {
	Member types.String `tfsdk:"member"`
}

func (l *messageContactListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact"
}

func (l *messageContactListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the message contacts of the resource directory, for `terraform query` (Terraform 1.14 " +
			"and later): each result is an `alicloudrd_message_contact` with its identity, named by the contact's name. " +
			"`terraform query -generate-config-out=FILE` writes the configuration and import blocks that bring them under management.",
		Attributes: map[string]listschema.Attribute{
			"member": listschema.StringAttribute{
				MarkdownDescription: "Only the contacts bound to this member: the resource directory (`rd-…`), a folder " +
					"(`fd-…`, `r-…` for the root) or a member account (16 digits). All contacts when omitted.",
				Optional:   true,
				Validators: []validator.String{validators.MemberID()},
			},
		},
	}
}

func (l *messageContactListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		l.client = data.client
	}
}

// List makes ⌈contacts/100⌉ ListMessageContacts calls, plus, with
// include_resource, ⌈pending values/100⌉ ListMessageContactVerifications
// calls for the pending values of every contact at once.
func (l *messageContactListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg messageContactListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	contacts, err := l.client.ListAllMessageContacts(ctx, cfg.Member.ValueString())
	if err != nil {
		stream.Results = listErrorResult("Cannot list the message contacts", err)
		return
	}
	var verifications []rdclient.ContactVerification
	if req.IncludeResource && len(contacts) > 0 {
		if verifications, err = l.client.ListAllMessageContactVerifications(ctx, ""); err != nil {
			stream.Results = listErrorResult("Cannot list the pending verifications of the message contacts", err)
			return
		}
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range contacts {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(messageContactListResult(ctx, req, &contacts[i], verifications)) {
				return
			}
		}
	}
}

// messageContactListResult is one contact as a list result: its identity,
// its name, and with include_resource the state an import would store.
func messageContactListResult(ctx context.Context, req list.ListRequest, c *rdclient.Contact, verifications []rdclient.ContactVerification) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = c.Name
	result.Diagnostics.Append(result.Identity.Set(ctx, messageContactIdentityModel{ContactID: types.StringValue(c.ContactID)})...)
	if !req.IncludeResource {
		return result
	}
	m := messageContactResourceModel{
		Members:                  types.SetNull(types.StringType),
		RetainInMembersOnDestroy: types.BoolNull(),
		CreateDate:               types.StringNull(),
	}
	result.Diagnostics.Append(contactApplyToModel(&m, c, verifications, true)...)
	to, diags := nullTimeouts(ctx, result.Resource)
	result.Diagnostics.Append(diags...)
	m.Timeouts = to
	if !result.Diagnostics.HasError() {
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
	return result
}

// nullTimeouts is a null timeouts block of the resource's schema, as an
// import leaves it.
func nullTimeouts(ctx context.Context, r *tfsdk.Resource) (timeouts.Value, diag.Diagnostics) {
	t, diags := r.Schema.TypeAtPath(ctx, path.Root("timeouts"))
	obj, ok := t.(attr.TypeWithAttributeTypes)
	if diags.HasError() || !ok {
		diags.AddError("Unexpected resource schema", fmt.Sprintf("The timeouts block has type %T; please report this to the provider's maintainers.", t))
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(obj.AttributeTypes())}, diags
}

// listErrorResult is a list stream that reports a failed API call.
func listErrorResult(summary string, err error) func(func(list.ListResult) bool) {
	var diags diag.Diagnostics
	diags.AddError(summary, apiErrorDetail("", err, "Check the list block's config, then run terraform query again."))
	return list.ListResultsStreamDiagnostics(diags)
}

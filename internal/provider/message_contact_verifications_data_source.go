package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ datasource.DataSource              = (*messageContactVerificationsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*messageContactVerificationsDataSource)(nil)
)

// NewMessageContactVerificationsDataSource returns the
// alicloudrd_message_contact_verifications data source.
func NewMessageContactVerificationsDataSource() datasource.DataSource {
	return &messageContactVerificationsDataSource{}
}

type messageContactVerificationsDataSource struct {
	client rdclient.API
}

type messageContactVerificationsDataSourceModel struct {
	ContactID     types.String `tfsdk:"contact_id"`
	Verifications types.List   `tfsdk:"verifications"`
}

var contactVerificationAttrTypes = map[string]attr.Type{
	"contact_id":  types.StringType,
	"target":      types.StringType,
	"target_type": types.StringType,
}

func (d *messageContactVerificationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact_verifications"
}

func (d *messageContactVerificationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the phone numbers and email addresses waiting for their owner's verification, for all " +
			"message contacts or for one: what a review of pending changes, or a check for drift, needs. Every page of " +
			"the listing is read.",
		Attributes: map[string]schema.Attribute{
			"contact_id": schema.StringAttribute{
				MarkdownDescription: "Only list what is pending for this contact, for example `c-qL4HqKONzOM7`.",
				Optional:            true,
				Validators:          []validator.String{validators.ContactID()},
			},
			"verifications": schema.ListNestedAttribute{
				MarkdownDescription: "The pending verifications, in the order the API lists them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"contact_id": schema.StringAttribute{
							MarkdownDescription: "ID of the contact.",
							Computed:            true,
						},
						"target": schema.StringAttribute{
							MarkdownDescription: "The pending phone number (`<country code>-<number>`) or email address.",
							Computed:            true,
						},
						"target_type": schema.StringAttribute{
							MarkdownDescription: "`phone` or `email`.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *messageContactVerificationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = contactDataSourceClient(req, resp)
}

func (d *messageContactVerificationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg messageContactVerificationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	contactID := cfg.ContactID.ValueString()
	verifications, err := d.client.ListAllMessageContactVerifications(ctx, contactID)
	if rdclient.IsNotFound(err) && contactID != "" {
		resp.Diagnostics.AddAttributeError(path.Root("contact_id"), "Message contact not found",
			fmt.Sprintf("No message contact has the ID %q in this resource directory. Check the ID; the data source "+
				"alicloudrd_message_contacts lists the contacts.\n\n%s", contactID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the pending verifications", apiErrorDetail("", err, ""))
		return
	}

	items := make([]attr.Value, 0, len(verifications))
	for _, v := range verifications {
		obj, diags := types.ObjectValue(contactVerificationAttrTypes, map[string]attr.Value{
			"contact_id":  types.StringValue(v.ContactID),
			"target":      types.StringValue(v.Target),
			"target_type": types.StringValue(string(pendingKindOf(v.Target))),
		})
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	var diags diag.Diagnostics
	state := messageContactVerificationsDataSourceModel{ContactID: cfg.ContactID}
	state.Verifications, diags = types.ListValue(types.ObjectType{AttrTypes: contactVerificationAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

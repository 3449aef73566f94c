package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	_ datasource.DataSource              = (*messageContactsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*messageContactsDataSource)(nil)
)

// NewMessageContactsDataSource returns the alicloudrd_message_contacts data source.
func NewMessageContactsDataSource() datasource.DataSource {
	return &messageContactsDataSource{}
}

type messageContactsDataSource struct {
	client rdclient.API
}

type messageContactsDataSourceModel struct {
	Member   types.String `tfsdk:"member"`
	IDs      types.List   `tfsdk:"ids"`
	Contacts types.List   `tfsdk:"contacts"`
}

// contactListItemAttrTypes are the attributes of one element of contacts.
var contactListItemAttrTypes = map[string]attr.Type{
	"id":              types.StringType,
	"name":            types.StringType,
	"email_address":   types.StringType,
	"phone_number":    types.StringType,
	"title":           types.StringType,
	"message_types":   types.SetType{ElemType: types.StringType},
	"members":         types.SetType{ElemType: types.StringType},
	"status":          types.StringType,
	"create_date":     types.StringType,
	"associated_date": types.StringType,
}

func (d *messageContactsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contacts"
}

func (d *messageContactsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the message contacts of the resource directory, all of them or those bound to one member. " +
			"Every page of the listing is read.\n\n" +
			"`email_address` and `phone_number` are the values the API reports: while a change waits for verification, " +
			"depending on the API, that is the requested or the last verified value; the data source " +
			"`alicloudrd_message_contact_verifications` lists what is pending.",
		Attributes: map[string]schema.Attribute{
			"member": schema.StringAttribute{
				MarkdownDescription: "Only list the contacts bound to this member: the resource directory (`rd-…`), a folder (`fd-…`, `r-…`) or a member account (16 digits).",
				Optional:            true,
				Validators:          []validator.String{validators.MemberID()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the contacts listed, in the order of `contacts`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"contacts": schema.ListNestedAttribute{
				MarkdownDescription: "The contacts, in the order the API lists them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "ID of the contact.",
							Computed:            true,
						},
						"name": schema.StringAttribute{
							MarkdownDescription: "Name of the contact.",
							Computed:            true,
						},
						"email_address": schema.StringAttribute{
							MarkdownDescription: "Email address, as the API reports it.",
							Computed:            true,
						},
						"phone_number": schema.StringAttribute{
							MarkdownDescription: "Phone number (`<country code>-<number>`), as the API reports it; null when it has none.",
							Computed:            true,
						},
						"title": schema.StringAttribute{
							MarkdownDescription: "Job title.",
							Computed:            true,
						},
						"message_types": schema.SetAttribute{
							MarkdownDescription: "Kinds of message the contact receives.",
							Computed:            true,
							ElementType:         types.StringType,
						},
						"members": schema.SetAttribute{
							MarkdownDescription: "Resource directory, folders and member accounts the contact is bound to.",
							Computed:            true,
							ElementType:         types.StringType,
						},
						"status": schema.StringAttribute{
							MarkdownDescription: "`Verifying`, `Active` or `Deleting`.",
							Computed:            true,
						},
						"create_date": schema.StringAttribute{
							MarkdownDescription: "When the contact was created, `yyyy-MM-dd HH:mm:ss`.",
							Computed:            true,
						},
						"associated_date": schema.StringAttribute{
							MarkdownDescription: "With `member`: when the contact was bound to that member. Null otherwise.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *messageContactsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = contactDataSourceClient(req, resp)
}

func (d *messageContactsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg messageContactsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	contacts, err := d.client.ListAllMessageContacts(ctx, cfg.Member.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the message contacts", apiErrorDetail("", err, ""))
		return
	}

	ids := make([]attr.Value, 0, len(contacts))
	items := make([]attr.Value, 0, len(contacts))
	for _, c := range contacts {
		item, diags := contactListItem(c)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		ids = append(ids, types.StringValue(c.ContactID))
		items = append(items, item)
	}

	var diags diag.Diagnostics
	state := messageContactsDataSourceModel{Member: cfg.Member}
	state.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	state.Contacts, diags = types.ListValue(types.ObjectType{AttrTypes: contactListItemAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func contactListItem(c rdclient.Contact) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	messageTypes, d := contactStringSet(c.MessageTypes)
	diags.Append(d...)
	members, d := contactStringSet(c.Members)
	diags.Append(d...)
	if diags.HasError() {
		return types.ObjectNull(contactListItemAttrTypes), diags
	}
	obj, d := types.ObjectValue(contactListItemAttrTypes, map[string]attr.Value{
		"id":              types.StringValue(c.ContactID),
		"name":            types.StringValue(c.Name),
		"email_address":   contactStringOrNull(c.EmailAddress),
		"phone_number":    contactStringOrNull(c.PhoneNumber),
		"title":           types.StringValue(c.Title),
		"message_types":   messageTypes,
		"members":         members,
		"status":          contactStringOrNull(c.Status),
		"create_date":     contactStringOrNull(c.CreateDate),
		"associated_date": contactStringOrNull(c.AssociatedDate),
	})
	diags.Append(d...)
	return obj, diags
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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
	_ datasource.DataSource                     = (*messageContactDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*messageContactDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*messageContactDataSource)(nil)
)

// NewMessageContactDataSource returns the alicloudrd_message_contact data source.
func NewMessageContactDataSource() datasource.DataSource {
	return &messageContactDataSource{}
}

type messageContactDataSource struct {
	client rdclient.API
}

type messageContactDataSourceModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	EmailAddress        types.String `tfsdk:"email_address"`
	PhoneNumber         types.String `tfsdk:"phone_number"`
	Title               types.String `tfsdk:"title"`
	MessageTypes        types.Set    `tfsdk:"message_types"`
	Members             types.Set    `tfsdk:"members"`
	Status              types.String `tfsdk:"status"`
	CreateDate          types.String `tfsdk:"create_date"`
	PendingEmailAddress types.String `tfsdk:"pending_email_address"`
	PendingPhoneNumber  types.String `tfsdk:"pending_phone_number"`
}

func (d *messageContactDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_message_contact"
}

func (d *messageContactDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one message contact of the resource directory, by `id` or by `name` (exactly one of them).\n\n" +
			"`email_address` and `phone_number` are the values the API reports: while a change waits for verification, " +
			"depending on the API, that is the requested or the last verified value. `pending_email_address` and " +
			"`pending_phone_number` show what is waiting for verification.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the contact to read, for example `c-qL4HqKONzOM7`. Exactly one of `id` and `name` is set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.ContactID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the contact to read (names are unique in a resource directory). Exactly one of `id` and `name` is set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.ContactName()},
			},
			"email_address": schema.StringAttribute{
				MarkdownDescription: "Email address of the contact, as the API reports it.",
				Computed:            true,
			},
			"phone_number": schema.StringAttribute{
				MarkdownDescription: "Phone number of the contact (`<country code>-<number>`), as the API reports it; null when it has none.",
				Computed:            true,
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "Job title of the contact.",
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
			"pending_email_address": schema.StringAttribute{
				MarkdownDescription: "Email address waiting for verification; null when none is pending.",
				Computed:            true,
			},
			"pending_phone_number": schema.StringAttribute{
				MarkdownDescription: "Phone number waiting for verification; null when none is pending.",
				Computed:            true,
			},
		},
	}
}

func (d *messageContactDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *messageContactDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = contactDataSourceClient(req, resp)
}

func (d *messageContactDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg messageContactDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var c *rdclient.Contact
	if !cfg.ID.IsNull() {
		got, err := d.client.GetMessageContact(ctx, cfg.ID.ValueString())
		if rdclient.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Message contact not found",
				fmt.Sprintf("No message contact has the ID %q in this resource directory. Check the ID; the data source "+
					"alicloudrd_message_contacts lists the contacts.\n\n%s", cfg.ID.ValueString(), err))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the message contact", apiErrorDetail("", err, ""))
			return
		}
		c = got
	} else {
		all, err := d.client.ListAllMessageContacts(ctx, "")
		if err != nil {
			resp.Diagnostics.AddError("Cannot list the message contacts", apiErrorDetail("", err, ""))
			return
		}
		name := cfg.Name.ValueString()
		for i := range all {
			if all[i].Name == name {
				c = &all[i]
				break
			}
		}
		if c == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Message contact not found",
				fmt.Sprintf("No message contact is named %q among the %d contacts of this resource directory. "+
					"Names are case-sensitive; the data source alicloudrd_message_contacts lists the contacts.", name, len(all)))
			return
		}
	}

	verifications, err := d.client.ListAllMessageContactVerifications(ctx, c.ContactID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the pending verifications of the message contact", apiErrorDetail("", err, ""))
		return
	}
	emails := pendingValues(verifications, c.ContactID, pendingEmail)
	phones := pendingValues(verifications, c.ContactID, pendingPhone)

	state := messageContactDataSourceModel{
		ID:                  types.StringValue(c.ContactID),
		Name:                types.StringValue(c.Name),
		EmailAddress:        contactStringOrNull(c.EmailAddress),
		PhoneNumber:         contactStringOrNull(c.PhoneNumber),
		Title:               types.StringValue(c.Title),
		Status:              contactStringOrNull(c.Status),
		CreateDate:          contactStringOrNull(c.CreateDate),
		PendingEmailAddress: contactFirstOrNull(emails),
		PendingPhoneNumber:  contactFirstOrNull(phones),
	}
	var diags diag.Diagnostics
	state.MessageTypes, diags = contactStringSet(c.MessageTypes)
	resp.Diagnostics.Append(diags...)
	state.Members, diags = contactStringSet(c.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// contactDataSourceClient takes the API client from the provider data.
func contactDataSourceClient(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) rdclient.API {
	if data := providerDataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		return data.client
	}
	return nil
}

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Adoption without a Terraform CLI: what the list resources return and how
// imports by identity are checked, so that `make test` covers them with any
// CLI (their acceptance tests need Terraform 1.12 and 1.14).

// listResults runs a query to the end and returns its results.
func listResults(t testing.TB, c rdclient.API, tc listCallsCase) []list.ListResult {
	t.Helper()
	ctx := context.Background()
	lr := tc.lr(c)
	var cfgSchema list.ListResourceSchemaResponse
	lr.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &cfgSchema)
	var rs fwresource.SchemaResponse
	tc.r.Schema(ctx, fwresource.SchemaRequest{}, &rs)
	var is fwresource.IdentitySchemaResponse
	withIdentity, ok := tc.r.(fwresource.ResourceWithIdentity)
	if !ok {
		t.Fatalf("%T has no identity", tc.r)
	}
	withIdentity.IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &is)
	var stream list.ListResultsStream
	lr.List(ctx, list.ListRequest{
		Config:                 tfsdk.Config{Schema: cfgSchema.Schema, Raw: tftypes.NewValue(cfgSchema.Schema.Type().TerraformType(ctx), tc.config)},
		IncludeResource:        tc.include,
		ResourceSchema:         rs.Schema,
		ResourceIdentitySchema: is.IdentitySchema,
	}, &stream)
	var out []list.ListResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

func TestMessageContactListResults(t *testing.T) {
	ctx := context.Background()
	_, c := listCallsFixture(t, 3)
	cases := listCallsCases()
	results := listResults(t, c, cases[1]) // contacts, include_resource
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	r := results[1]
	if r.Diagnostics.HasError() || r.DisplayName != "TeamAb" {
		t.Errorf("result 1: display name %q, diagnostics %v; want TeamAb", r.DisplayName, r.Diagnostics)
	}
	var identity messageContactIdentityModel
	if diags := r.Identity.Get(ctx, &identity); diags.HasError() || identity.ContactID.ValueString() != "c-LstCalls0001" {
		t.Errorf("result 1: identity %v (%v), want contact_id c-LstCalls0001", identity, diags)
	}
	var m messageContactResourceModel
	if diags := r.Resource.Get(ctx, &m); diags.HasError() {
		t.Fatalf("result 1: resource: %v", diags)
	}
	// The emulator shows the requested email while it is pending (its
	// default read mode), as an import would store it.
	if m.ID.ValueString() != "c-LstCalls0001" || m.Name.ValueString() != "TeamAb" ||
		m.EmailAddress.ValueString() != "team1.new@example.com" || m.PendingEmailAddress.ValueString() != "team1.new@example.com" ||
		!m.PhoneNumber.IsNull() || !m.Members.IsNull() || m.Status.ValueString() != "Verifying" ||
		!m.RetainInMembersOnDestroy.ValueBool() || !m.Timeouts.IsNull() {
		t.Errorf("result 1: resource %+v", m)
	}

	// Without include_resource there is no resource.
	for _, r := range listResults(t, c, cases[0]) {
		if !r.Resource.Raw.IsNull() {
			t.Errorf("%s: a resource without include_resource", r.DisplayName)
		}
	}
}

func TestPendingUpdateListResults(t *testing.T) {
	ctx := context.Background()
	_, c := listCallsFixture(t, 3)
	cases := listCallsCases()
	results := listResults(t, c, cases[3]) // pending_updates, include_resource
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	r := results[2]
	if r.DisplayName != "TeamAc: team2.new@example.com (email)" {
		t.Errorf("display name %q", r.DisplayName)
	}
	var identity pendingUpdateIdentityModel
	if diags := r.Identity.Get(ctx, &identity); diags.HasError() || identity.ContactID.ValueString() != "c-LstCalls0002" ||
		identity.EmailAddress.ValueString() != "team2.new@example.com" || !identity.PhoneNumber.IsNull() {
		t.Errorf("identity %+v (%v)", identity, diags)
	}
	var m messageContactPendingUpdateModel
	if diags := r.Resource.Get(ctx, &m); diags.HasError() {
		t.Fatalf("resource: %v", diags)
	}
	if m.ID.ValueString() != "c-LstCalls0002:team2.new@example.com" || m.EmailAddress.ValueString() != "team2.new@example.com" ||
		!m.PhoneNumber.IsNull() || m.Status.ValueString() != "pending" || m.TargetType.ValueString() != "email" ||
		!m.SendVerification.ValueBool() || !m.WaitForVerification.IsNull() || !m.Timeouts.IsNull() {
		t.Errorf("resource %+v", m)
	}

	// An unknown contact is an error on contact_id.
	unknown := cases[4]
	unknown.config = map[string]tftypes.Value{"contact_id": tftypes.NewValue(tftypes.String, "c-000000000000")}
	results = listResults(t, c, unknown)
	if len(results) != 1 || !results[0].Diagnostics.HasError() ||
		results[0].Diagnostics.Errors()[0].Summary() != "Message contact not found" {
		t.Errorf("unknown contact: %+v", results)
	}
}

// importWithIdentity runs ImportState with an identity and returns the
// response.
func importWithIdentity(t *testing.T, r fwresource.Resource, identity any) *fwresource.ImportStateResponse {
	t.Helper()
	ctx := context.Background()
	var rs fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &rs)
	var is fwresource.IdentitySchemaResponse
	r.(fwresource.ResourceWithIdentity).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &is) //nolint:forcetypeassert // both resources have one
	newIdentity := func() *tfsdk.ResourceIdentity {
		return &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(is.IdentitySchema.Type().TerraformType(ctx), nil)}
	}
	req := fwresource.ImportStateRequest{Identity: newIdentity()}
	if diags := req.Identity.Set(ctx, identity); diags.HasError() {
		t.Fatal(diags)
	}
	resp := &fwresource.ImportStateResponse{
		State:    tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)},
		Identity: newIdentity(),
	}
	r.(fwresource.ResourceWithImportState).ImportState(ctx, req, resp) //nolint:forcetypeassert // both resources import
	return resp
}

func TestImportByIdentity(t *testing.T) {
	ctx := context.Background()
	s, null := types.StringValue, types.StringNull()
	tests := []struct {
		name     string
		r        fwresource.Resource
		identity any
		wantErr  string // phrase of the error detail, "" for success
		wantID   string
	}{
		{"contact", NewMessageContactResource(), messageContactIdentityModel{ContactID: s("c-qL4HqKONzOM7")}, "", "c-qL4HqKONzOM7"},
		{"contact, malformed", NewMessageContactResource(), messageContactIdentityModel{ContactID: s("ops")}, "contact_id:", ""},
		{"phone change", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-qL4HqKONzOM7"), PhoneNumber: s("86-13912345678"), EmailAddress: null}, "",
			"c-qL4HqKONzOM7:86-13912345678"},
		{"email change", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-qL4HqKONzOM7"), PhoneNumber: null, EmailAddress: s("ops@example.com")}, "",
			"c-qL4HqKONzOM7:ops@example.com"},
		{"both values", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-qL4HqKONzOM7"), PhoneNumber: s("86-13912345678"), EmailAddress: s("ops@example.com")},
			"set exactly one of phone_number and email_address", ""},
		{"neither value", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-qL4HqKONzOM7"), PhoneNumber: null, EmailAddress: null},
			"set exactly one of phone_number and email_address", ""},
		{"malformed phone", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-qL4HqKONzOM7"), PhoneNumber: s("+86 139 1234 5678"), EmailAddress: null}, "phone_number:", ""},
		{"malformed contact", NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: s("c-1"), PhoneNumber: s("86-13912345678"), EmailAddress: null}, "contact_id:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := importWithIdentity(t, tt.r, tt.identity)
			if tt.wantErr != "" {
				errs := resp.Diagnostics.Errors()
				if len(errs) != 1 || errs[0].Summary() != "Invalid import identity" || !strings.Contains(errs[0].Detail(), tt.wantErr) {
					t.Errorf("diagnostics %v, want Invalid import identity: …%s…", resp.Diagnostics, tt.wantErr)
				}
				if !resp.State.Raw.IsNull() {
					t.Errorf("state written for a bad identity: %v", resp.State.Raw)
				}
				return
			}
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			var id types.String
			resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("id"), &id)...)
			if id.ValueString() != tt.wantID {
				t.Errorf("state id %s, want %s", id, tt.wantID)
			}
			if resp.Identity.Raw.IsNull() {
				t.Error("identity not set")
			}
		})
	}
}

// Reading what an import named: what does not exist fails with an error that
// says so, instead of vanishing from state.
func TestReadAfterImportOfNothing(t *testing.T) {
	ctx := context.Background()
	_, c := listCallsFixture(t, 1)

	contact := &messageContactResource{client: c}
	var rs fwresource.SchemaResponse
	contact.Schema(ctx, fwresource.SchemaRequest{}, &rs)
	state := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)}
	if diags := state.SetAttribute(ctx, path.Root("id"), "c-000000000000"); diags.HasError() {
		t.Fatal(diags)
	}
	resp := &fwresource.ReadResponse{State: state}
	contact.Read(ctx, fwresource.ReadRequest{State: state}, resp)
	if errs := resp.Diagnostics.Errors(); len(errs) != 1 || errs[0].Summary() != "Message contact not found" ||
		!strings.Contains(errs[0].Detail(), "nothing to import") {
		t.Errorf("contact: diagnostics %v", resp.Diagnostics)
	}

	pending := &messageContactPendingUpdateResource{client: c}
	for _, tc := range []struct{ contactID, value, want string }{
		{"c-000000000000", "86-13912345678", "Message contact c-000000000000 does not exist"},
		{"c-LstCalls0000", "86-13912345678", "has no pending change to phone number 86-13912345678, and that is not the contact's value"},
	} {
		resp := importWithIdentity(t, NewMessageContactPendingUpdateResource(),
			pendingUpdateIdentityModel{ContactID: types.StringValue(tc.contactID), PhoneNumber: types.StringValue(tc.value), EmailAddress: types.StringNull()})
		read := &fwresource.ReadResponse{State: resp.State}
		pending.Read(ctx, fwresource.ReadRequest{State: resp.State}, read)
		if errs := read.Diagnostics.Errors(); len(errs) != 1 || errs[0].Summary() != "No such pending change" ||
			!strings.Contains(errs[0].Detail(), tc.want) {
			t.Errorf("%s:%s: diagnostics %v", tc.contactID, tc.value, read.Diagnostics)
		}
	}
	// A pending value imports as pending.
	imported := importWithIdentity(t, NewMessageContactPendingUpdateResource(),
		pendingUpdateIdentityModel{ContactID: types.StringValue("c-LstCalls0000"), PhoneNumber: types.StringNull(),
			EmailAddress: types.StringValue("team0.new@example.com")})
	read := &fwresource.ReadResponse{State: imported.State}
	pending.Read(ctx, fwresource.ReadRequest{State: imported.State}, read)
	var m messageContactPendingUpdateModel
	read.Diagnostics.Append(read.State.Get(ctx, &m)...)
	if read.Diagnostics.HasError() || m.Status.ValueString() != "pending" {
		t.Errorf("pending email: status %s, diagnostics %v", m.Status, read.Diagnostics)
	}
}

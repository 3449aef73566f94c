package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

const (
	moveTestContact  = "c-qL4HqKONzOM7"
	moveTestEmail    = "ops@example.com"
	moveTestNewEmail = "ops.oncall@example.com"
	moveTestPhone    = "86-13800138000"
	moveTestCreated  = "2023-03-27 17:19:21"
)

// moveTestSourceState is the state of an alicloud_resource_manager_message_contact
// (aliyun/alicloud, schema version 0) as Terraform stores it, with the
// email address it recorded (the requested one or the effective one,
// depending on what the API reported while a change was pending).
func moveTestSourceState(email string) string {
	return `{"create_time":"` + moveTestCreated + `","email_address":"` + email + `","id":"` + moveTestContact + `",` +
		`"message_contact_name":"OpsTeam","message_types":["SecurityMessage","FaultMessage"],` +
		`"phone_number":"` + moveTestPhone + `","status":"Verifying","timeouts":null,"title":"MaintenanceDirector"}`
}

func moveTestRequest(address string, version int64, state string) *tfprotov6.MoveResourceStateRequest {
	return &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: address,
		SourceTypeName:        alicloudContactType,
		SourceSchemaVersion:   version,
		SourceState:           &tfprotov6.RawState{JSON: []byte(state)},
		TargetTypeName:        "alicloudrd_message_contact",
	}
}

// moveTestMove sends the request to the provider server, as Terraform does
// for a moved block.
func moveTestMove(t *testing.T, req *tfprotov6.MoveResourceStateRequest) *tfprotov6.MoveResourceStateResponse {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatalf("provider server: %v", err)
	}
	resp, err := server.MoveResourceState(context.Background(), req)
	if err != nil {
		t.Fatalf("MoveResourceState: %v", err)
	}
	return resp
}

func moveTestSchema(t *testing.T) fwresource.SchemaResponse {
	t.Helper()
	var resp fwresource.SchemaResponse
	NewMessageContactResource().Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp
}

// moveTestTargetState decodes the moved state with the resource's schema.
func moveTestTargetState(t *testing.T, resp *tfprotov6.MoveResourceStateResponse) tfsdk.State {
	t.Helper()
	for _, d := range resp.Diagnostics {
		t.Errorf("unexpected diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if resp.TargetState == nil {
		t.Fatal("no target state")
	}
	s := moveTestSchema(t).Schema
	raw, err := resp.TargetState.Unmarshal(s.Type().TerraformType(context.Background()))
	if err != nil {
		t.Fatalf("decoding the target state: %v", err)
	}
	return tfsdk.State{Schema: s, Raw: raw}
}

// moveTestWant is the state expected from moveTestSourceState(email).
func moveTestWant(email string) messageContactResourceModel {
	return messageContactResourceModel{
		ID:                       types.StringValue(moveTestContact),
		Name:                     types.StringValue("OpsTeam"),
		EmailAddress:             types.StringValue(email),
		PhoneNumber:              types.StringValue(moveTestPhone),
		Title:                    types.StringValue("MaintenanceDirector"),
		MessageTypes:             testStringSet("FaultMessage", "SecurityMessage"),
		Members:                  types.SetNull(types.StringType),
		RetainInMembersOnDestroy: types.BoolValue(true),
		Status:                   types.StringValue("Verifying"),
		CreateDate:               types.StringValue(moveTestCreated),
		PendingEmailAddress:      types.StringNull(),
		PendingPhoneNumber:       types.StringNull(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
			"create": types.StringType, "update": types.StringType, "delete": types.StringType,
		})},
	}
}

func testStringSet(values ...string) types.Set {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

// moveTestCompare compares got with want attribute by attribute, for every
// attribute and block of the schema.
func moveTestCompare(t *testing.T, got tfsdk.State, want messageContactResourceModel) {
	t.Helper()
	ctx := context.Background()
	wantState := tfsdk.State{Schema: got.Schema, Raw: got.Raw.Copy()}
	if diags := wantState.Set(ctx, &want); diags.HasError() {
		t.Fatalf("expected state: %v", diags)
	}
	names := append(sortedKeys(got.Schema.GetAttributes()), sortedKeys(got.Schema.GetBlocks())...)
	for _, name := range names {
		var g, w attr.Value
		got.GetAttribute(ctx, path.Root(name), &g)
		wantState.GetAttribute(ctx, path.Root(name), &w)
		if g == nil || w == nil || !g.Equal(w) {
			t.Errorf("%s: got %v, want %v", name, g, w)
		}
	}
	if !got.Raw.Equal(wantState.Raw) {
		t.Errorf("state: got %s, want %s", got.Raw, wantState.Raw)
	}
}

func TestMessageContactMoveState(t *testing.T) {
	noPhone := messageContactResourceModel{
		ID:                       types.StringValue(moveTestContact),
		Name:                     types.StringValue("Finance"),
		EmailAddress:             types.StringValue("billing@example.com"),
		PhoneNumber:              types.StringNull(),
		Title:                    types.StringValue("CEO"),
		MessageTypes:             testStringSet("AccountExpenses"),
		Members:                  types.SetNull(types.StringType),
		RetainInMembersOnDestroy: types.BoolValue(true),
		Status:                   types.StringValue("Active"),
		CreateDate:               types.StringNull(),
		PendingEmailAddress:      types.StringNull(),
		PendingPhoneNumber:       types.StringNull(),
		Timeouts:                 moveTestWant("").Timeouts,
	}
	tests := map[string]struct {
		address string
		state   string
		want    messageContactResourceModel
	}{
		// The API reported the requested address while it was pending.
		"pending email, recorded as requested": {
			address: alicloudProviderAddress,
			state:   moveTestSourceState(moveTestNewEmail),
			want:    moveTestWant(moveTestNewEmail),
		},
		// The API reported the last verified address while a change was pending.
		"pending email, recorded as effective": {
			address: alicloudProviderAddress,
			state:   moveTestSourceState(moveTestEmail),
			want:    moveTestWant(moveTestEmail),
		},
		"OpenTofu registry": {
			address: alicloudProviderAddressTofu,
			state:   moveTestSourceState(moveTestNewEmail),
			want:    moveTestWant(moveTestNewEmail),
		},
		// Empty strings and repeated message types, as a state edited by
		// hand or written by an older provider version may hold; unknown
		// attributes are ignored.
		"no phone number, empty values": {
			address: alicloudProviderAddress,
			state: `{"id":"` + moveTestContact + `","message_contact_name":"Finance","email_address":"billing@example.com",` +
				`"phone_number":"","title":"CEO","message_types":["AccountExpenses","AccountExpenses"],"status":"Active",` +
				`"create_time":"","unknown_attribute":{"a":1}}`,
			want: noPhone,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp := moveTestMove(t, moveTestRequest(tc.address, 0, tc.state))
			moveTestCompare(t, moveTestTargetState(t, resp), tc.want)
		})
	}
}

func TestMessageContactMoveState_errors(t *testing.T) {
	valid := moveTestSourceState(moveTestEmail)
	importHint := "terraform import alicloudrd_message_contact.<name> " + moveTestContact
	tests := map[string]struct {
		req         *tfprotov6.MoveResourceStateRequest
		wantSummary string
		wantPhrases []string
	}{
		"other provider address": {
			req:         moveTestRequest("registry.terraform.io/hashicorp/alicloud", 0, valid),
			wantSummary: "Unsupported source provider for the move",
			wantPhrases: []string{
				"alicloudrd_message_contact takes over alicloud_resource_manager_message_contact from the provider " +
					"registry.terraform.io/aliyun/alicloud (registry.opentofu.org/aliyun/alicloud under OpenTofu), at schema version 0. " +
					"This alicloud_resource_manager_message_contact comes from registry.terraform.io/hashicorp/alicloud.",
				"terraform state replace-provider registry.terraform.io/hashicorp/alicloud registry.terraform.io/aliyun/alicloud",
				"Otherwise, remove the moved block",
				"terraform state rm alicloud_resource_manager_message_contact.<name>",
				importHint,
			},
		},
		"other registry host": {
			req:         moveTestRequest("terraform.example.com/aliyun/alicloud", 0, valid),
			wantSummary: "Unsupported source provider for the move",
			wantPhrases: []string{"comes from terraform.example.com/aliyun/alicloud", importHint},
		},
		"schema version 1": {
			req:         moveTestRequest(alicloudProviderAddress, 1, valid),
			wantSummary: "Unsupported source schema version for the move",
			wantPhrases: []string{
				"takes over alicloud_resource_manager_message_contact at schema version 0",
				"this state is at schema version 1",
				"Instead, remove the moved block",
				importHint,
			},
		},
		"malformed JSON": {
			req:         moveTestRequest(alicloudProviderAddress, 0, `{"id": "`+moveTestContact+`",`),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{
				"The state of alicloud_resource_manager_message_contact cannot be moved to alicloudrd_message_contact: the state is not valid JSON.",
				"terraform import alicloudrd_message_contact.<name> <contact ID>",
			},
		},
		"not an object": {
			req:         moveTestRequest(alicloudProviderAddress, 0, `["`+moveTestContact+`"]`),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": the state is a list, where an object of attributes is expected."},
		},
		"no JSON": {
			req:         moveTestRequest(alicloudProviderAddress, 0, ""),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": the state holds no attributes in JSON."},
		},
		"missing id": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				strings.Replace(valid, `"id":"`+moveTestContact+`",`, "", 1)),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": it has no id (the contact ID).", "<contact ID>"},
		},
		"null id": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				strings.Replace(valid, `"id":"`+moveTestContact+`"`, `"id":null`, 1)),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": it has no id (the contact ID)."},
		},
		"bad id": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				strings.Replace(valid, moveTestContact, "contact-1", 1)),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{
				`: Attribute id must be a message contact ID, "c-" followed by 12 letters or digits (for example ` +
					`"c-qL4HqKONzOM7"), but it does not start with "c-", got: "contact-1".`,
				"<contact ID>",
			},
		},
		"wrong JSON types": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				`{"id":"`+moveTestContact+`","message_contact_name":"OpsTeam","email_address":["ops@example.com"],`+
					`"title":7,"message_types":"FaultMessage","status":true}`),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{
				": email_address holds a list, where a string is expected; title holds a number, where a string is expected; " +
					"status holds a boolean, where a string is expected; message_types holds a string, where a list of strings is expected.",
				importHint,
			},
		},
		"wrong element type": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				strings.Replace(valid, `["SecurityMessage","FaultMessage"]`, `["SecurityMessage",null]`, 1)),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": message_types[1] holds null, where a string is expected."},
		},
		"id of another type": {
			req: moveTestRequest(alicloudProviderAddress, 0,
				strings.Replace(valid, `"id":"`+moveTestContact+`"`, `"id":12`, 1)),
			wantSummary: "Invalid source state for the move",
			wantPhrases: []string{": id holds a number, where a string is expected."},
		},
		// Another source type is left to the framework, which reports that
		// no mover took it.
		"other source type": {
			req: &tfprotov6.MoveResourceStateRequest{
				SourceProviderAddress: alicloudProviderAddress,
				SourceTypeName:        "alicloud_resource_manager_account",
				SourceState:           &tfprotov6.RawState{JSON: []byte(valid)},
				TargetTypeName:        "alicloudrd_message_contact",
			},
			wantSummary: "Unable to Move Resource State",
			wantPhrases: []string{
				"The target resource implementation does not include support for the given source resource.",
				"Source Resource Type: alicloud_resource_manager_account",
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp := moveTestMove(t, tc.req)
			if resp.TargetState != nil {
				t.Errorf("want no target state, got %v", resp.TargetState)
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got %d: %v", len(resp.Diagnostics), resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != tc.wantSummary {
				t.Errorf("want error %q, got %s %q", tc.wantSummary, d.Severity, d.Summary)
			}
			for _, phrase := range tc.wantPhrases {
				if !strings.Contains(d.Detail, phrase) {
					t.Errorf("detail lacks %q:\n%s", phrase, d.Detail)
				}
			}
		})
	}
}

// The refresh after a move, for a contact whose change of email address
// waits for verification: what Read keeps in each of the API's read modes.
func TestMessageContactMoveState_refresh(t *testing.T) {
	verifications := []rdclient.ContactVerification{{ContactID: moveTestContact, Target: moveTestNewEmail}}
	tests := map[string]struct {
		recorded, reported string   // the source's email_address; GetMessageContact's
		members            []string // bound to the contact
		wantEmail          string
		wantMembers        types.Set
	}{
		// Rule 1: the recorded address is pending, so it is kept, as it is
		// in the configuration: the plan is empty.
		"requested read mode": {
			recorded: moveTestNewEmail, reported: moveTestNewEmail,
			wantEmail: moveTestNewEmail, wantMembers: types.SetNull(types.StringType),
		},
		// Rule 2: the recorded address is the effective one; it stays, and
		// a configuration holding the requested address plans to request it
		// again, once, as the source provider planned on every run.
		"effective read mode": {
			recorded: moveTestEmail, reported: moveTestEmail,
			wantEmail: moveTestEmail, wantMembers: types.SetNull(types.StringType),
		},
		// Members the source did not model are read and recorded; a
		// configuration without them leaves them as they are.
		"bound members": {
			recorded: moveTestNewEmail, reported: moveTestNewEmail, members: []string{"1512345678901234", "fd-5jQbBMvQ7h"},
			wantEmail: moveTestNewEmail, wantMembers: testStringSet("1512345678901234", "fd-5jQbBMvQ7h"),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			moved := moveTestTargetState(t, moveTestMove(t, moveTestRequest(alicloudProviderAddress, 0, moveTestSourceState(tc.recorded))))
			fake := &pendingUpdateFakeAPI{
				get: func(int) (*rdclient.Contact, error) {
					return &rdclient.Contact{
						ContactID: moveTestContact, Name: "OpsTeam", EmailAddress: tc.reported, PhoneNumber: moveTestPhone,
						Title: "MaintenanceDirector", MessageTypes: []string{"FaultMessage", "SecurityMessage"},
						Members: tc.members, Status: rdclient.ContactStatusVerifying, CreateDate: moveTestCreated,
					}, nil
				},
				list: func(int) ([]rdclient.ContactVerification, error) { return verifications, nil },
			}
			r := &messageContactResource{client: fake}
			resp := &fwresource.ReadResponse{State: moved}
			r.Read(ctx, fwresource.ReadRequest{State: moved}, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("read: %v", resp.Diagnostics)
			}
			want := moveTestWant(tc.wantEmail)
			want.PendingEmailAddress = types.StringValue(moveTestNewEmail)
			want.Members = tc.wantMembers
			moveTestCompare(t, resp.State, want)
		})
	}
}

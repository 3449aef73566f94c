package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

// Moving a contact managed by the aliyun/alicloud provider's
// alicloud_resource_manager_message_contact to alicloudrd_message_contact
// with a `moved` block (Terraform 1.8 and later):
//
//	moved {
//	  from = alicloud_resource_manager_message_contact.ops
//	  to   = alicloudrd_message_contact.ops
//	}
//
// The move is offline: it converts the source's raw state, and the next
// refresh reads the contact. The source resource does not model members, so
// members is null until that refresh reads them; pending_email_address and
// pending_phone_number are filled the same way. The email address and phone
// number are taken as the source recorded them, and the refresh reconciles
// them by the rule of contactReconcileValue.

const (
	alicloudContactType          = "alicloud_resource_manager_message_contact"
	alicloudContactSchemaVersion = 0
	alicloudProviderAddress      = "registry.terraform.io/aliyun/alicloud"
	alicloudProviderAddressTofu  = "registry.opentofu.org/aliyun/alicloud"
)

// MoveState accepts the state of alicloud_resource_manager_message_contact
// (registry.terraform.io/aliyun/alicloud, or its OpenTofu registry address)
// at schema version 0.
func (r *messageContactResource) MoveState(_ context.Context) []resource.StateMover {
	// No SourceSchema: the raw JSON state is decoded here, so that a state
	// of the wrong shape gets an error naming the attribute.
	return []resource.StateMover{{StateMover: moveAlicloudContact}}
}

func moveAlicloudContact(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if req.SourceTypeName != alicloudContactType {
		// Not ours: no state and no diagnostics lets the framework report
		// the move as unsupported.
		return
	}
	id := alicloudContactIDHint(ctx, req.SourceRawState)
	if req.SourceProviderAddress != alicloudProviderAddress && req.SourceProviderAddress != alicloudProviderAddressTofu {
		resp.Diagnostics.AddError("Unsupported source provider for the move",
			fmt.Sprintf("alicloudrd_message_contact takes over %s from the provider %s (%s under OpenTofu), at schema "+
				"version %d. This %s comes from %s.\n\n"+
				"If that address serves the same provider (aliyun/alicloud published or mirrored under another name), "+
				"point the state at the supported address, then plan again:\n\n"+
				"  terraform state replace-provider %s %s\n\n%s",
				alicloudContactType, alicloudProviderAddress, alicloudProviderAddressTofu, alicloudContactSchemaVersion,
				alicloudContactType, req.SourceProviderAddress,
				req.SourceProviderAddress, alicloudProviderAddress, alicloudMoveRemedy("Otherwise", id)))
		return
	}
	if req.SourceSchemaVersion != alicloudContactSchemaVersion {
		resp.Diagnostics.AddError("Unsupported source schema version for the move",
			fmt.Sprintf("alicloudrd_message_contact takes over %s at schema version %d, the version the aliyun/alicloud "+
				"provider writes; this state is at schema version %d, from a provider version whose state is not known "+
				"here.\n\n%s",
				alicloudContactType, alicloudContactSchemaVersion, req.SourceSchemaVersion, alicloudMoveRemedy("Instead", id)))
		return
	}

	model, problems := alicloudContactModel(ctx, req.SourceRawState)
	if len(problems) > 0 {
		resp.Diagnostics.AddError("Invalid source state for the move",
			fmt.Sprintf("The state of %s cannot be moved to alicloudrd_message_contact: %s.\n\n%s",
				alicloudContactType, strings.Join(problems, "; "), alicloudMoveRemedy("Instead", id)))
		return
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, &model)...)
}

// alicloudMoveRemedy tells how to bring the contact under
// alicloudrd_message_contact without the move; lead starts the sentence.
func alicloudMoveRemedy(lead, id string) string {
	if id == "" {
		id = "<contact ID>"
	}
	return fmt.Sprintf("%s, remove the moved block, take the resource out of the state without destroying the contact, "+
		"and import the contact:\n\n"+
		"  terraform state rm %s.<name>\n"+
		"  terraform import alicloudrd_message_contact.<name> %s\n\n"+
		"(or, in configuration, a removed block with lifecycle { destroy = false } and an import block).",
		lead, alicloudContactType, id)
}

// alicloudContactModel converts the raw state of the source resource,
// returning every problem found in it.
func alicloudContactModel(ctx context.Context, raw *tfprotov6.RawState) (messageContactResourceModel, []string) {
	var m messageContactResourceModel
	src, problem := alicloudContactAttributes(raw)
	if problem != "" {
		return m, []string{problem}
	}
	var problems []string
	str := func(name string) types.String {
		s, p := src.str(name)
		if p != "" {
			problems = append(problems, p)
		}
		return contactStringOrNull(s)
	}

	id, p := src.str("id")
	switch {
	case p != "":
		problems = append(problems, p)
	case id == "":
		problems = append(problems, "it has no id (the contact ID)")
	default:
		if p := validationProblem(ctx, validators.ContactID(), "id", id); p != "" {
			problems = append(problems, p)
		}
	}
	m.ID = types.StringValue(id)
	m.Name = str("message_contact_name")
	m.EmailAddress = str("email_address")
	m.PhoneNumber = str("phone_number")
	m.Title = str("title")
	m.Status = str("status")
	m.CreateDate = str("create_time")

	messageTypes, p := src.strs("message_types")
	if p != "" {
		problems = append(problems, p)
	}
	m.MessageTypes = types.SetNull(types.StringType)
	if messageTypes != nil {
		set, diags := contactStringSet(slices.Compact(contactSorted(messageTypes)))
		for _, d := range diags.Errors() {
			problems = append(problems, d.Detail())
		}
		m.MessageTypes = set
	}

	// Not modelled by the source: members and the pending values are read by
	// the next refresh; the others take the resource's defaults.
	m.Members = types.SetNull(types.StringType)
	m.PendingEmailAddress = types.StringNull()
	m.PendingPhoneNumber = types.StringNull()
	m.RetainInMembersOnDestroy = types.BoolValue(true)
	m.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
	return m, problems
}

// alicloudAttributes is the raw state of the source resource, by attribute.
type alicloudAttributes map[string]json.RawMessage

// alicloudContactAttributes decodes the raw state into its attributes, or
// says why it cannot.
func alicloudContactAttributes(raw *tfprotov6.RawState) (alicloudAttributes, string) {
	if raw == nil || len(bytes.TrimSpace(raw.JSON)) == 0 {
		return nil, "the state holds no attributes in JSON"
	}
	if !json.Valid(raw.JSON) {
		return nil, "the state is not valid JSON"
	}
	var attrs alicloudAttributes
	if err := json.Unmarshal(raw.JSON, &attrs); err != nil || attrs == nil {
		return nil, fmt.Sprintf("the state is %s, where an object of attributes is expected", alicloudJSONKind(raw.JSON))
	}
	return attrs, ""
}

// alicloudContactIDHint returns the contact ID the raw state records, "" when
// there is none, for the messages that suggest an import.
func alicloudContactIDHint(ctx context.Context, raw *tfprotov6.RawState) string {
	attrs, problem := alicloudContactAttributes(raw)
	if problem != "" {
		return ""
	}
	id, problem := attrs.str("id")
	if problem != "" || validationProblem(ctx, validators.ContactID(), "id", id) != "" {
		return ""
	}
	return id
}

// str returns a string attribute, "" when it is absent or null, or a
// problem when it holds another kind of value.
func (a alicloudAttributes) str(name string) (string, string) {
	v, ok := a[name]
	if !ok || alicloudJSONKind(v) == "null" {
		return "", ""
	}
	var s string
	if alicloudJSONKind(v) != "a string" || json.Unmarshal(v, &s) != nil {
		return "", alicloudJSONProblem(name, v, "a string")
	}
	return s, ""
}

// strs returns a list of strings, nil when it is absent or null, or a
// problem when it or one of its elements holds another kind of value.
func (a alicloudAttributes) strs(name string) ([]string, string) {
	v, ok := a[name]
	if !ok || alicloudJSONKind(v) == "null" {
		return nil, ""
	}
	var elems []json.RawMessage
	if alicloudJSONKind(v) != "a list" || json.Unmarshal(v, &elems) != nil {
		return nil, alicloudJSONProblem(name, v, "a list of strings")
	}
	out := make([]string, 0, len(elems))
	for i, e := range elems {
		var s string
		if alicloudJSONKind(e) != "a string" || json.Unmarshal(e, &s) != nil {
			return nil, alicloudJSONProblem(fmt.Sprintf("%s[%d]", name, i), e, "a string")
		}
		out = append(out, s)
	}
	return out, ""
}

func alicloudJSONProblem(name string, v json.RawMessage, want string) string {
	return fmt.Sprintf("%s holds %s, where %s is expected", name, alicloudJSONKind(v), want)
}

// alicloudJSONKind names the kind of a JSON value by its first character.
func alicloudJSONKind(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

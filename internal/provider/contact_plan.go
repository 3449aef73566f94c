package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Plan-time rules of the message contact resource: a validator and plan
// modifiers.

// contactMembersAtMost checks at plan time that a members set does not
// exceed what the API can bind to one contact.
type contactMembersAtMostValidator struct{ max int }

var _ validator.Set = contactMembersAtMostValidator{}

func contactMembersAtMost(n int) validator.Set { return contactMembersAtMostValidator{max: n} }

func (v contactMembersAtMostValidator) Description(_ context.Context) string {
	return fmt.Sprintf("a message contact can be bound to at most %d members", v.max)
}

func (v contactMembersAtMostValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v contactMembersAtMostValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.Elements()); n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Too many members",
			fmt.Sprintf("A message contact can be bound to at most %d members (the resource directory, folders or member accounts), "+
				"and %s lists %d. Bind a folder instead of its accounts, or split the members across several contacts.",
				v.max, req.Path, n))
	}
}

// contactUseStateIfUnchanged keeps a computed value from state when the
// attributes it depends on are not changing, instead of showing it as
// "known after apply".
type contactUseStateIfUnchangedModifier struct{ dependsOn []string }

var _ planmodifier.String = contactUseStateIfUnchangedModifier{}

func contactUseStateIfUnchanged(dependsOn ...string) planmodifier.String {
	return contactUseStateIfUnchangedModifier{dependsOn: dependsOn}
}

func (m contactUseStateIfUnchangedModifier) Description(_ context.Context) string {
	return "The value stays as it is unless " + strings.Join(m.dependsOn, " or ") + " changes."
}

func (m contactUseStateIfUnchangedModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m contactUseStateIfUnchangedModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	// Only on update: nothing in state on create, nothing planned on destroy.
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	if !req.PlanValue.IsUnknown() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, name := range m.dependsOn {
		var planned, prior types.String
		if diags := req.Plan.GetAttribute(ctx, path.Root(name), &planned); diags.HasError() {
			return
		}
		if diags := req.State.GetAttribute(ctx, path.Root(name), &prior); diags.HasError() {
			return
		}
		if !planned.Equal(prior) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}

// phoneNumberRemovalReplaces plans a replacement when phone_number is removed
// from the configuration: the API cannot remove a contact's phone number.
func phoneNumberRemovalReplaces() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull() && req.PlanValue.IsNull() && !req.ConfigValue.IsUnknown()
		},
		"Removing the phone number replaces the contact: the API cannot remove a contact's phone number.",
		"Removing the phone number replaces the contact: the API cannot remove a contact's phone number.",
	)
}

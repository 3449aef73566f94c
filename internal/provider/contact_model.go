package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Shared by the message contact resource and data sources: conversions
// between API values and Terraform values, the reconciliation rule for
// values waiting for verification, and the wording of API errors.

// maxContactMembers is how many members (resource directory, folders,
// accounts) one message contact can be bound to.
const maxContactMembers = 10

// Target types of a pending verification.
const (
	targetTypeEmail = "email"
	targetTypePhone = "phone"
)

// contactTargetType tells a pending email address from a pending phone
// number: only email addresses contain "@".
func contactTargetType(target string) string {
	if strings.Contains(target, "@") {
		return targetTypeEmail
	}
	return targetTypePhone
}

// contactPendingTargets splits the pending verifications of contactID into
// email addresses and phone numbers.
func contactPendingTargets(verifications []rdclient.ContactVerification, contactID string) (emails, phones []string) {
	for _, v := range verifications {
		if v.ContactID != "" && v.ContactID != contactID {
			continue
		}
		if contactTargetType(v.Target) == targetTypeEmail {
			emails = append(emails, v.Target)
		} else {
			phones = append(phones, v.Target)
		}
	}
	return emails, phones
}

// contactReconcileValue decides the email address (or phone number) kept in
// a message contact's state, so that a change waiting for verification never
// causes a perpetual diff, whatever the API shows while the change is
// pending (the requested value or the last verified one).
//
// With P the pending targets of that kind (from ListMessageContactVerifications),
// prior the value in state and got the value GetMessageContact reports:
//
//  1. prior ∈ P: the change Terraform requested is still pending; keep prior.
//  2. got ∉ P: got is the effective value; use it, so real drift (a change
//     verified or made outside Terraform, or Terraform's request withdrawn)
//     shows in the plan.
//  3. otherwise (got ∈ P, prior ∉ P): the API shows someone else's pending
//     request, for example an alicloudrd_message_contact_pending_update
//     resource; prior is still the effective value, keep it.
//
// After an import there is no prior value: got is used, or the pending value
// when the API reports no value at all (a new contact whose first address is
// not verified yet, read from an API that shows only verified values).
func contactReconcileValue(prior types.String, got string, pending []string, imported bool) types.String {
	gotValue := contactStringOrNull(got)
	if imported {
		if got == "" && len(pending) > 0 {
			return types.StringValue(pending[0])
		}
		return gotValue
	}
	if !prior.IsNull() && !prior.IsUnknown() && contactContains(pending, prior.ValueString()) {
		return prior
	}
	if !contactContains(pending, got) {
		return gotValue
	}
	if prior.IsUnknown() {
		return gotValue
	}
	return prior
}

func contactContains(values []string, s string) bool {
	for _, v := range values {
		if v == s {
			return true
		}
	}
	return false
}

// contactFirstOrNull returns the first value, or null.
func contactFirstOrNull(values []string) types.String {
	if len(values) == 0 {
		return types.StringNull()
	}
	return types.StringValue(values[0])
}

func contactStringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// contactStringSet converts a list of strings into a set value.
func contactStringSet(values []string) (types.Set, diag.Diagnostics) {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range contactSorted(values) {
		elems = append(elems, types.StringValue(v))
	}
	return types.SetValue(types.StringType, elems)
}

// contactSetStrings returns the known elements of a set of strings, sorted.
func contactSetStrings(ctx context.Context, s types.Set) ([]string, diag.Diagnostics) {
	if s.IsNull() || s.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := s.ElementsAs(ctx, &out, false)
	return contactSorted(out), diags
}

func contactSorted(values []string) []string {
	out := append([]string(nil), values...)
	sort.Strings(out)
	return out
}

// contactDifference returns the elements of a that are not in b, sorted.
func contactDifference(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, v := range b {
		in[v] = true
	}
	var out []string
	for _, v := range a {
		if !in[v] {
			out = append(out, v)
		}
	}
	return contactSorted(out)
}

// contactBatches splits values into batches of at most
// rdclient.MaxMembersPerCall, the most one Associate/Disassociate call takes.
func contactBatches(values []string) [][]string {
	n := rdclient.MaxMembersPerCall
	var out [][]string
	for len(values) > 0 {
		k := min(n, len(values))
		out = append(out, values[:k])
		values = values[k:]
	}
	return out
}

// contactErrorAdvice says what to do about an API error, when the error
// has a known remedy.
func contactErrorAdvice(err error) string {
	apiErr, ok := rdclient.AsAPIError(err)
	if !ok {
		if errors.Is(err, context.DeadlineExceeded) {
			return "The operation ran out of time. Raise the matching value in the resource's timeouts block, or retry."
		}
		return ""
	}
	if advice := credentialsErrorAdvice(apiErr.Code); advice != "" {
		return advice
	}
	switch {
	case apiErr.Code == rdclient.CodeNameAlreadyUsed:
		return "Another message contact in the resource directory already has this name. Choose another name, " +
			"or import the existing contact with `terraform import` and manage it here."
	case apiErr.Code == rdclient.CodeQuotaExceededContacts:
		return "The resource directory already has the largest number of message contacts it can hold (20). " +
			"Delete a contact you no longer need, or reuse an existing one (data source alicloudrd_message_contacts lists them)."
	case apiErr.Code == rdclient.CodeLimitExceededContactMembers:
		return fmt.Sprintf("A message contact can be bound to at most %d members. Members bound outside Terraform count too: "+
			"check the contact's members (data source alicloudrd_message_contact) and unbind the ones you no longer need.", maxContactMembers)
	case apiErr.Code == "InvalidMember":
		return "One of the members is not a resource directory, folder or member account of this resource directory. " +
			"Check the IDs in members: the resource directory (rd-…), its folders (fd-…, r-… for the root) and its member accounts (16 digits)."
	case strings.HasPrefix(apiErr.Code, "InvalidParameter.Members"):
		return "Check the IDs in members: each must be a resource directory (rd-…), folder (fd-…, r-…) or 16-digit account ID, listed once."
	case apiErr.Code == "InvalidParameter.MobileCountryCode":
		return "The provider's site does not accept this phone number's country code: the china site takes only 86 (mainland China " +
			"mobile numbers), the international site the other country codes. Use a number of the right country, or set the provider's site."
	case apiErr.Code == rdclient.CodeStatusMismatch:
		return "The contact is being deleted (status Deleting) or in a state that does not allow this change. " +
			"Wait until the deletion ends, refresh, and apply again."
	case apiErr.Code == rdclient.CodeConcurrentCallNotSupported:
		return "Another operation on this contact is still running (for example an asynchronous deletion). Wait for it to end, then apply again."
	case apiErr.Code == rdclient.CodeContactNotFound:
		return "The contact no longer exists; it was probably deleted outside Terraform. Refresh, and apply to create it again."
	case strings.HasPrefix(apiErr.Code, "Forbidden") || strings.HasPrefix(apiErr.Code, "NoPermission"):
		return "The credentials are not allowed to call this action: grant the RAM policy action resourcemanager:" + apiErr.Action + "."
	}
	return ""
}

// contactErrorDetail is the text of an error diagnostic: the API error
// (Code, HTTP status, message, RequestId) and what to do about it.
func contactErrorDetail(err error, extra ...string) string {
	parts := []string{err.Error()}
	if advice := contactErrorAdvice(err); advice != "" {
		parts = append(parts, advice)
	}
	for _, e := range extra {
		if e != "" {
			parts = append(parts, e)
		}
	}
	return strings.Join(parts, "\n\n")
}

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

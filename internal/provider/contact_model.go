package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Shared by the message contact resource and data sources: conversions
// between API values and Terraform values, the reconciliation rule for
// values waiting for verification, and member batches.

// maxContactMembers is how many members (resource directory, folders,
// accounts) one message contact can be bound to.
const maxContactMembers = 10

// maxDirectoryContacts is how many message contacts a resource directory
// can hold.
const maxDirectoryContacts = 20

// contactReconcileValue decides the email address (or phone number) kept in
// a message contact's state, so that a change waiting for verification never
// causes a perpetual diff, whatever the API shows while the change is
// pending (the requested value or the last verified one).
//
// With P the pending values of that kind (from ListMessageContactVerifications),
// prior the value in state, priorPending the pending value in state (what
// the last read saw pending) and got the value GetMessageContact reports,
// all compared by the kind's rule (pending_change.go):
//
//  1. prior ∈ P: the change Terraform requested is still pending; keep prior.
//  2. got ∉ P: got is the effective value; use it, so real drift (a change
//     verified or made outside Terraform, or Terraform's request withdrawn)
//     shows in the plan.
//  3. otherwise (got ∈ P, prior ∉ P) the API shows someone else's pending
//     request, for example an alicloudrd_message_contact_pending_update
//     resource, and prior is the effective value: keep it. One case is
//     ambiguous: prior was itself pending at the last read (priorPending).
//     Either its owner verified it before the other request came, and prior
//     is effective; or the other request replaced it before it was verified.
//     Only the API's effective read mode tells them apart (rule 2 applies
//     there); in the requested mode prior is kept, since requesting it again
//     would withdraw the other request if prior is effective (an update to
//     the effective value drops the pending one), and replaced is true so
//     that Read can say so.
//
// After an import there is no prior value: got is used, or the pending value
// when the API reports no value at all (a new contact whose first address is
// not verified yet, read from an API that shows only verified values).
func contactReconcileValue(kind pendingKind, prior, priorPending types.String, got string, pending []string, imported bool) (v types.String, replaced bool) {
	gotValue := contactStringOrNull(got)
	if imported {
		if got == "" && len(pending) > 0 {
			return types.StringValue(pending[0]), false
		}
		return gotValue, false
	}
	if !prior.IsNull() && !prior.IsUnknown() && kind.among(pending, prior.ValueString()) {
		return prior, false
	}
	if !kind.among(pending, got) || prior.IsUnknown() {
		return gotValue, false
	}
	replaced = !prior.IsNull() && !priorPending.IsNull() && !priorPending.IsUnknown() &&
		kind.same(priorPending.ValueString(), prior.ValueString())
	return prior, replaced
}

// contactNamed returns the contact named name (names are unique in a
// resource directory), or nil.
func contactNamed(contacts []rdclient.Contact, name string) *rdclient.Contact {
	for i := range contacts {
		if contacts[i].Name == name {
			return &contacts[i]
		}
	}
	return nil
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

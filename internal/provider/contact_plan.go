package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
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
		var planned, prior, configured types.String
		if diags := req.Plan.GetAttribute(ctx, path.Root(name), &planned); diags.HasError() {
			return
		}
		if diags := req.State.GetAttribute(ctx, path.Root(name), &prior); diags.HasError() {
			return
		}
		if diags := req.Config.GetAttribute(ctx, path.Root(name), &configured); diags.HasError() {
			return
		}
		// Not set in the configuration: contactUnsetNotManaged keeps the
		// value in state, whatever this plan holds before it runs.
		if !planned.Equal(prior) && !configured.IsNull() {
			return
		}
	}
	resp.PlanValue = req.StateValue
}

// contactUnsetNotManaged keeps the value in state when the configuration
// does not set the attribute: an optional field left out of the
// configuration is not managed. Whatever the directory holds (a phone
// number verified through a pending update, members bound outside
// Terraform) is then recorded, never planned away and never a reason to
// replace the contact.
type contactUnsetNotManagedModifier struct{}

func contactUnsetNotManaged() contactUnsetNotManagedModifier { return contactUnsetNotManagedModifier{} }

var (
	_ planmodifier.String = contactUnsetNotManagedModifier{}
	_ planmodifier.Set    = contactUnsetNotManagedModifier{}
)

func (contactUnsetNotManagedModifier) Description(_ context.Context) string {
	return "Not managed when the configuration does not set it: the value in the directory is kept as it is."
}

func (m contactUnsetNotManagedModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

// keep tells whether the planned value is the one in state: on update, with
// the attribute absent from the configuration.
func (contactUnsetNotManagedModifier) keep(state tfsdk.State, plan tfsdk.Plan, config attr.Value) bool {
	return !state.Raw.IsNull() && !plan.Raw.IsNull() && config.IsNull()
}

func (m contactUnsetNotManagedModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if m.keep(req.State, req.Plan, req.ConfigValue) {
		resp.PlanValue = req.StateValue
	}
}

func (m contactUnsetNotManagedModifier) PlanModifySet(_ context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if m.keep(req.State, req.Plan, req.ConfigValue) {
		resp.PlanValue = req.StateValue
	}
}

// privateContactID is the key of the private state that holds a contact's
// ID. Terraform hands a resource's private state to the plan of the object
// that replaces it (`-replace`), so that plan can tell that the contact whose
// name it takes is the one it deletes first.
const privateContactID = "contact_id"

// ModifyPlan says at plan time what the directory already knows would make
// the apply fail: the planned name is another contact's, or the directory is
// full. They are warnings: the provider plans one resource at a time and
// cannot see whether the same plan deletes or renames that other contact
// (taint, a removed or renamed address, swapped names), which would make the
// apply succeed. The apply's own error then names the same contact.
func (r *messageContactResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state messageContactResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || (!creating && plan.Name.Equal(state.Name)) {
		return
	}
	replacing := ""
	if creating {
		if b, d := req.Private.GetKey(ctx, privateContactID); !d.HasError() && len(b) > 0 {
			_ = json.Unmarshal(b, &replacing)
		}
	} else {
		replacing = state.ID.ValueString()
	}
	contacts, err := r.planListing.contacts(ctx, r.client)
	if err != nil {
		tflog.Warn(ctx, "cannot list the message contacts to check the plan", map[string]any{"error": err.Error()})
		return
	}
	name := plan.Name.ValueString()
	if c := contactNamed(contacts, name); c != nil && c.ContactID != replacing {
		// The summary names the contact: Terraform folds warnings with one
		// summary into one, which would hide the others.
		resp.Diagnostics.AddAttributeWarning(path.Root("name"), fmt.Sprintf("Message contact name %q already used by %s", name, c.ContactID),
			fmt.Sprintf("Contact %s in the resource directory already has the name %q, and names are unique: this apply "+
				"fails unless the same plan first deletes or renames %s (`-replace`, `taint`, a removed address).\n\n%s",
				c.ContactID, name, c.ContactID, contactNameTakenAdvice(c.ContactID)))
		return
	}
	if creating && replacing == "" && len(contacts) >= maxDirectoryContacts {
		resp.Diagnostics.AddWarning("The resource directory has no room for another message contact",
			fmt.Sprintf("The resource directory already holds %d message contacts, the most it can hold: creating %q fails at "+
				"apply unless the same plan deletes one first. Delete a contact you no longer need, or reuse one "+
				"(data source alicloudrd_message_contacts lists them).", len(contacts), name))
	}
}

// contactListing is one listing of the directory's contacts, shared by the
// plan-time checks (ModifyPlan) of one provider process. Terraform plans
// each resource instance with a call of its own, in one process, so a plan
// that creates n contacts would otherwise list the directory n times. The
// listing is taken again when this process has changed the directory since
// (the apply's final plans interleave with its writes); changes made
// elsewhere during a plan are not seen, as in any plan. Only warnings
// depend on it: the apply's own errors list the directory afresh.
type contactListing struct {
	mu     sync.Mutex
	taken  bool
	writes uint64 // the client's write count when the listing was taken
	list   []rdclient.Contact
}

// writeCounter is what rdclient.Client tells of its writes.
type writeCounter interface{ Writes() uint64 }

// contacts returns the listing, taking it when there is none yet or when
// client has written since. A client that does not count its writes is
// listed every time. Concurrent callers wait for one listing.
func (l *contactListing) contacts(ctx context.Context, client rdclient.API) ([]rdclient.Contact, error) {
	wc, ok := client.(writeCounter)
	if l == nil || !ok {
		return client.ListAllMessageContacts(ctx, "")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	before := wc.Writes()
	if l.taken && l.writes == before {
		return l.list, nil
	}
	list, err := client.ListAllMessageContacts(ctx, "")
	if err != nil {
		return nil, err
	}
	// A write that overlapped the listing leaves it untrusted for the next
	// caller.
	l.list, l.writes, l.taken = list, before, wc.Writes() == before
	return list, nil
}

// contactNameTakenAdvice is the recovery for a contact that already has the
// name a configuration gives: import it, move it, or rename.
func contactNameTakenAdvice(id string) string {
	return fmt.Sprintf("If %[1]s is the contact this resource means (an interrupted apply created it, or it was made outside "+
		"Terraform), import it instead of creating it: add this block, with the resource's address (the \"with\" line of "+
		"this message), and plan again:\n\n"+
		"import {\n  to = alicloudrd_message_contact.<name>\n  id = %[2]q\n}\n\n"+
		"With Terraform 1.12 or later, `identity = { contact_id = %[2]q }` may stand for the id. Terraform skips the import "+
		"when the state still holds this address for a contact deleted since: run `terraform apply -refresh-only` first. If %[1]s is managed in "+
		"this configuration under an address you renamed, add a `moved` block from the old address to the new one "+
		"instead. Otherwise choose another name.", id, id)
}

// privateSetter is the private state of a response.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// contactRememberID keeps the ID of the contact in state in its private
// state, for the plan of a replacement (ModifyPlan). It is a hint: without
// it, that plan warns about a name its own replacement frees.
func contactRememberID(ctx context.Context, state tfsdk.State, private privateSetter) {
	if private == nil || state.Raw.IsNull() {
		return
	}
	var id types.String
	if diags := state.GetAttribute(ctx, path.Root("id"), &id); diags.HasError() || id.IsNull() || id.IsUnknown() {
		return
	}
	b, _ := json.Marshal(id.ValueString())
	if diags := private.SetKey(ctx, privateContactID, b); diags.HasError() {
		tflog.Debug(ctx, "cannot keep the contact ID in private state", map[string]any{"contact_id": id.ValueString()})
	}
}

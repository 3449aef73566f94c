package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// opRow is the API calls of one operation, next to the API's minimum.
type opRow struct {
	kind   string // resource or data source
	name   string
	op     string
	calls  callSet
	min    int
	reason string
	wall   time.Duration
}

// Contacts the operations emulator starts with.
const opsSeed = `[
  {"ContactId": "c-BenchOps0001", "Name": "OpsTeam", "EmailAddress": "ops@example.com", "PhoneNumber": "86-13800000001",
   "Title": "TechnicalDirector", "MessageTypes": ["FaultMessage"], "Members": ["1512345678900001"]},
  {"ContactId": "c-BenchOps0002", "Name": "Finance", "EmailAddress": "finance@example.com", "PhoneNumber": "86-13800000002",
   "Title": "FinanceDirector", "MessageTypes": ["AccountExpenses"], "Members": ["1512345678900001"]},
  {"ContactId": "c-BenchOps0003", "Name": "Security", "EmailAddress": "sec@example.com",
   "Title": "Other", "MessageTypes": ["SecurityMessage"], "Members": []}
]
`

// opsBench runs every operation of every resource and data source against
// one emulator and counts the calls of each step.
type opsBench struct {
	ctx     context.Context
	env     *tfEnv
	emu     *emulatorProc
	counter *callCounter
	dir     string
	rows    []opRow
}

func runOps(ctx context.Context, env *tfEnv, emulatorBin, dir string) ([]opRow, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	seed := filepath.Join(dir, "contacts.json")
	if err := os.WriteFile(seed, []byte(opsSeed), 0o644); err != nil {
		return nil, err
	}
	emu, err := startEmulator(ctx, emulatorBin, dir, "emulator", env.secret, "-seed", seed, "-delete-delay", "1s")
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	counter, err := newCallCounter(emu)
	if err != nil {
		return nil, err
	}
	o := &opsBench{ctx: ctx, env: env, emu: emu, counter: counter, dir: dir}
	for _, f := range []func() error{o.dataSources, o.pendingUpdatePhone, o.pendingUpdateEmail, o.contact, o.contactMembers} {
		if err := f(); err != nil {
			return o.rows, err
		}
	}
	return o.rows, nil
}

func (o *opsBench) workspace(name, config string) (*workspace, error) {
	ws, err := o.env.workspace(filepath.Join(o.dir, name), o.emu.endpoint)
	if err != nil {
		return nil, err
	}
	return ws, ws.write("main.tf", providerBlock+config)
}

// untracked runs a command whose calls belong to no row (it must make none
// or they are discarded).
func (o *opsBench) untracked(ws *workspace, args ...string) error {
	if _, err := ws.run(o.ctx, args); err != nil {
		return err
	}
	_, err := o.counter.next()
	return err
}

// measure runs a command and records its calls as one row.
func (o *opsBench) measure(ws *workspace, kind, name, op string, minCalls int, reason string, args ...string) error {
	if _, err := o.counter.next(); err != nil { // drop anything in between
		return err
	}
	res, err := ws.run(o.ctx, args)
	if err != nil {
		return err
	}
	calls, err := o.counter.next()
	if err != nil {
		return err
	}
	o.rows = append(o.rows, opRow{kind: kind, name: name, op: op, calls: calls, min: minCalls, reason: reason, wall: res.wall})
	progress("ops: %s %s: %s — %d calls", name, op, calls.byAction(), calls.total())
	return nil
}

var (
	tfApply       = []string{"apply", "-auto-approve", "-input=false"}
	tfApplyNoRead = []string{"apply", "-auto-approve", "-input=false", "-refresh=false"}
	tfPlanEmpty   = []string{"plan", "-input=false", "-detailed-exitcode"}
	tfRefreshOnly = []string{"apply", "-auto-approve", "-input=false", "-refresh-only"}
	tfDestroy     = []string{"destroy", "-auto-approve", "-input=false", "-refresh=false"}
)

func (o *opsBench) dataSources() error {
	const kind = "data source"
	cases := []struct {
		name, op, config string
		min              int
		reason           string
	}{
		{"alicloudrd_message_contact", "read by id", `data "alicloudrd_message_contact" "x" { id = "c-BenchOps0003" }`, 2,
			"GetMessageContact, plus ListMessageContactVerifications for `pending_*` (Get shows no pending state)"},
		{"alicloudrd_message_contact", "read by name", `data "alicloudrd_message_contact" "x" { name = "Security" }`, 2,
			"the API has no name filter: ⌈contacts/100⌉ ListMessageContacts pages (1 here), then the match's pending list"},
		{"alicloudrd_message_contacts", "read, filtered by member", `data "alicloudrd_message_contacts" "x" { member = "1512345678900001" }`, 1,
			"⌈matches/100⌉ ListMessageContacts pages with the Member filter"},
		{"alicloudrd_message_contacts", "read, all", `data "alicloudrd_message_contacts" "x" {}`, 1,
			"⌈contacts/100⌉ ListMessageContacts pages"},
		{"alicloudrd_message_contact_verifications", "read, one contact", `data "alicloudrd_message_contact_verifications" "x" { contact_id = "c-BenchOps0001" }`, 1,
			"⌈pending/100⌉ ListMessageContactVerifications pages"},
		{"alicloudrd_message_contact_verifications", "read, all contacts", `data "alicloudrd_message_contact_verifications" "x" {}`, 1,
			"⌈pending/100⌉ ListMessageContactVerifications pages"},
	}
	for i, c := range cases {
		ws, err := o.workspace(fmt.Sprintf("ds-%d", i), c.config+"\n")
		if err != nil {
			return err
		}
		// A data source is read during plan; the plan has nothing to change.
		if err := o.measure(ws, kind, c.name, c.op, c.min, c.reason, tfPlanEmpty...); err != nil {
			return err
		}
	}
	return nil
}

const pendingUpdateType = "alicloudrd_message_contact_pending_update"

func pendingUpdateConfig(attr, value string, send bool) string {
	return fmt.Sprintf(`resource "alicloudrd_message_contact_pending_update" "x" {
  contact_id        = %q
  %-17s = %q
  send_verification = %t
}
`, map[string]string{"phone_number": "c-BenchOps0001", "email_address": "c-BenchOps0002"}[attr], attr, value, send)
}

func (o *opsBench) pendingUpdatePhone() error {
	const kind, name = "resource", pendingUpdateType
	const phone = "86-13912345678"
	ws, err := o.workspace("pending-phone", pendingUpdateConfig("phone_number", phone, true))
	if err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "create (phone, `send_verification = true`)", 2,
		"UpdateMessageContact requests the change; Send…Verification sends the message, and its success proves the value is pending",
		tfApply...); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "read while pending (refresh; plan empty)", 1,
		"ListMessageContactVerifications lists the value as pending; the contact need not be read", tfPlanEmpty...); err != nil {
		return err
	}
	if err := ws.write("main.tf", providerBlock+pendingUpdateConfig("phone_number", phone, false)); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "update `send_verification` (apply -refresh=false)", 0,
		"only creation uses it: no API field changes", tfApplyNoRead...); err != nil {
		return err
	}
	if err := o.untracked(ws, "state", "rm", pendingUpdateType+".x"); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "import (and its read)", 1,
		"the import ID carries contact and value; one ListMessageContactVerifications confirms it is pending",
		"import", "-input=false", pendingUpdateType+".x", "c-BenchOps0001:"+phone); err != nil {
		return err
	}
	return o.measure(ws, kind, name, "delete while pending (destroy -refresh=false)", 1,
		"CancelMessageContactUpdate", tfDestroy...)
}

func (o *opsBench) pendingUpdateEmail() error {
	const kind, name = "resource", pendingUpdateType
	const email = "finance.new@example.com"
	ws, err := o.workspace("pending-email", pendingUpdateConfig("email_address", email, false))
	if err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "create (email, `send_verification = false`)", 2,
		"UpdateMessageContact returns nothing: one read (ListMessageContactVerifications) tells pending from already effective",
		tfApply...); err != nil {
		return err
	}
	if err := o.emu.verify("c-BenchOps0002", email); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "read after the owner verified (apply -refresh-only)", 2,
		"no longer in ListMessageContactVerifications: GetMessageContact tells verified from withdrawn", tfRefreshOnly...); err != nil {
		return err
	}
	return o.measure(ws, kind, name, "delete when verified (destroy -refresh=false)", 0,
		"a verified change cannot be cancelled: forgotten with a warning", tfDestroy...)
}

func contactConfig(name, email, title string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"alicloudrd_message_contact\" \"x\" {\n  name          = %q\n  email_address = %q\n", name, email)
	fmt.Fprintf(&b, "  title         = %q\n  message_types = [\"FaultMessage\", \"ServiceMessage\"]\n", title)
	for _, e := range extra {
		b.WriteString("  " + e + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// accounts is an HCL list of n member account IDs numbered from from.
func accounts(from, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprintf("15123456789%05d", from+i))
	}
	return ids
}

func hclList(items ...[]string) string {
	var all []string
	for _, it := range items {
		all = append(all, it...)
	}
	return "[" + strings.Join(all, ", ") + "]"
}

// nameCheckGap is the plan-time check of a new contact's name and of the
// directory's room: one ListMessageContacts page by the plan, one by the
// apply's final plan.
const nameCheckGap = "; at plan time one ListMessageContacts page by the plan and one by the apply's final plan check that " +
	"the name is free and the directory has room, so the plan warns before the apply fails: +2 (one listing per provider " +
	"process, shared by every contact the plan creates or renames, taken again after the process writes)"

const readBackGap = "; the provider then reads back (GetMessageContact + ListMessageContactVerifications) because `status` and " +
	"`pending_*` are unknown until the API is asked"

func (o *opsBench) contact() error {
	const kind, name = "resource", "alicloudrd_message_contact"
	phone := `phone_number  = "86-13900000001"`
	ws, err := o.workspace("contact", contactConfig("BenchAlpha", "alpha@example.com", "TechnicalDirector", phone))
	if err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "create, no members", 1,
		"AddMessageContact"+readBackGap+" (Add returns only ContactId and CreateDate): +2"+nameCheckGap, tfApply...); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "read (refresh; plan empty)", 2,
		"GetMessageContact; ListMessageContactVerifications for `pending_*` and to tell a pending value from an effective one",
		tfPlanEmpty...); err != nil {
		return err
	}
	if err := ws.write("main.tf", providerBlock+contactConfig("BenchAlpha", "alpha@example.com", "CEO", phone)); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "update `title` (apply -refresh=false)", 1,
		"UpdateMessageContact with the changed field only", tfApplyNoRead...); err != nil {
		return err
	}
	if err := ws.write("main.tf", providerBlock+contactConfig("BenchAlpha", "alpha2@example.com", "CEO", phone)); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "update `email_address` (apply -refresh=false)", 1,
		"UpdateMessageContact"+readBackGap+": +2", tfApplyNoRead...); err != nil {
		return err
	}
	id, err := stateAttr(ws.dir, "alicloudrd_message_contact", "id")
	if err != nil {
		return err
	}
	if err := o.untracked(ws, "state", "rm", "alicloudrd_message_contact.x"); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "import (and its read)", 2, "as read",
		"import", "-input=false", "alicloudrd_message_contact.x", id); err != nil {
		return err
	}
	return o.measure(ws, kind, name, "delete, `retain_in_members_on_destroy = true` (destroy -refresh=false)", 1,
		"DeleteMessageContact (synchronous)", tfDestroy...)
}

func (o *opsBench) contactMembers() error {
	const kind, name = "resource", "alicloudrd_message_contact"
	ws, err := o.workspace("contact-members", contactConfig("BenchBeta", "beta@example.com", "Other", "members       = "+hclList(accounts(11, 7))))
	if err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "create, 7 members", 3,
		"AddMessageContact + ⌈7/5⌉ AssociateMembers"+readBackGap+": +2"+nameCheckGap, tfApply...); err != nil {
		return err
	}
	// Members 11..15 stay, 16 and 17 go, 18..20 come.
	members := "members       = " + hclList(accounts(11, 5), accounts(18, 3))
	if err := ws.write("main.tf", providerBlock+contactConfig("BenchBeta", "beta@example.com", "Other", members)); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "update `members`: 2 removed, 3 added (apply -refresh=false)", 2,
		"⌈2/5⌉ DisassociateMembers + ⌈3/5⌉ AssociateMembers; `status` stays known, so no read-back", tfApplyNoRead...); err != nil {
		return err
	}
	if err := ws.write("main.tf", providerBlock+contactConfig("BenchBeta", "beta@example.com", "Other", members,
		"retain_in_members_on_destroy = false")); err != nil {
		return err
	}
	if err := o.measure(ws, kind, name, "update `retain_in_members_on_destroy` (apply -refresh=false)", 0,
		"only destroy uses it", tfApplyNoRead...); err != nil {
		return err
	}
	return o.measure(ws, kind, name, "delete, `retain_in_members_on_destroy = false` (destroy -refresh=false)", 2,
		"asynchronous: DeleteMessageContact answers Deleting; at least one GetMessageContactDeletionStatus must see it gone "+
			"(polled every 5 s; the emulator deletes in 1 s)", tfDestroy...)
}

// stateAttr reads an attribute of the only instance of a resource type from
// the local state.
func stateAttr(dir, resourceType, attr string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		return "", err
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return "", err
	}
	for _, r := range st.Resources {
		if r.Type == resourceType && len(r.Instances) == 1 {
			if v, ok := r.Instances[0].Attributes[attr].(string); ok {
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("no %s.%s in %s/terraform.tfstate", resourceType, attr, dir)
}

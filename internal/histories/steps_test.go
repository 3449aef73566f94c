//go:build unix

package histories

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The steps of a history: edits of the configuration, acts outside
// Terraform, and Terraform commands. A step that does not apply to the
// current model skips, and rapid draws another.

func (h *history) actions() map[string]func(*rapid.T) {
	step := func(f func(*rapid.T)) func(*rapid.T) {
		return func(rt *rapid.T) {
			h.rt = rt
			f(rt)
			h.w.stats.steps.Add(1)
		}
	}
	return map[string]func(*rapid.T){
		// Edits of the configuration.
		"addContact":    step(h.addContact),
		"removeContact": step(h.removeContact),
		"editContact":   step(h.editContact),
		"addUpdate":     step(h.addUpdate),
		"removeUpdate":  step(h.removeUpdate),
		"changeUpdate":  step(h.changeUpdate),
		"adoptForeign":  step(h.adoptForeign),
		// Acts outside Terraform.
		"outsideVerify":  step(h.outsideVerify),
		"outsideCancel":  step(h.outsideCancel),
		"outsideRequest": step(h.outsideRequest),
		"outsideUpdate":  step(h.outsideUpdate),
		"outsideDelete":  step(h.outsideDelete),
		"outsideMembers": step(h.outsideMembers),
		"faults":         step(h.faults),
		// Terraform commands.
		"plan":        step(h.plan),
		"apply":       step(h.apply),
		"apply2":      step(h.apply), // applies are drawn twice as often
		"refreshOnly": step(h.refreshOnly),
		"destroy":     step(h.destroy),
		"kill":        step(h.kill),
	}
}

func (h *history) next() int { h.fresh++; return h.fresh }

// ---- edits of the configuration ----

func (h *history) freeSlot(rt *rapid.T) int {
	var free []int
	for s := range 3 {
		if h.cfg.contacts[s] == nil {
			free = append(free, s)
		}
	}
	if len(free) == 0 {
		rt.Skip("three contacts already")
	}
	return rapid.SampledFrom(free).Draw(rt, "slot")
}

func (h *history) someContact(rt *rapid.T) *contact {
	slots := h.cfg.slots()
	if len(slots) == 0 {
		rt.Skip("no contact in the configuration")
	}
	return h.cfg.contacts[rapid.SampledFrom(slots).Draw(rt, "slot")]
}

func (h *history) drawTypes(rt *rapid.T) []string {
	types := rapid.SliceOfNDistinct(rapid.SampledFrom(messageTypes), 1, 3, rapid.ID[string]).Draw(rt, "messageTypes")
	slices.Sort(types)
	return types
}

func (h *history) drawMembers(rt *rapid.T) []string {
	if !rapid.Bool().Draw(rt, "setMembers") {
		return nil
	}
	m := rapid.SliceOfNDistinct(rapid.SampledFrom(memberPool), 0, 3, rapid.ID[string]).Draw(rt, "members")
	slices.Sort(m)
	if m == nil {
		m = []string{}
	}
	return m
}

func (h *history) addContact(rt *rapid.T) {
	s := h.freeSlot(rt)
	c := &contact{
		slot:    s,
		name:    "Ct" + letters(h.next()),
		email:   emailAddress(s, h.next()),
		title:   rapid.SampledFrom(titles).Draw(rt, "title"),
		types:   h.drawTypes(rt),
		members: h.drawMembers(rt),
		updates: map[kind]update{},
	}
	if rapid.Bool().Draw(rt, "setPhone") {
		c.phone = phoneNumber(h.next())
	}
	h.cfg.contacts[s] = c
	h.remember(c)
	h.writeConfig()
}

func (h *history) removeContact(rt *rapid.T) {
	c := h.someContact(rt)
	delete(h.cfg.contacts, c.slot)
	delete(h.cfg.imports, c.address()) // an import block needs its resource
	h.writeConfig()
}

func (h *history) editContact(rt *rapid.T) {
	c := h.someContact(rt)
	switch rapid.SampledFrom([]string{"name", "email", "phone", "title", "types", "members"}).Draw(rt, "field") {
	case "name":
		c.name = "Ct" + letters(h.next())
	case "email":
		c.email = emailAddress(c.slot, h.next())
	case "phone":
		if c.phone != "" && rapid.Bool().Draw(rt, "unsetPhone") {
			c.phone = "" // no longer managed
			c.ignore = slices.DeleteFunc(c.ignore, func(a string) bool { return a == "phone_number" })
		} else {
			c.phone = phoneNumber(h.next())
			if _, ok := c.updates[phone]; ok && !c.ignores("phone_number") {
				c.ignore = append(c.ignore, "phone_number")
			}
		}
	case "title":
		c.title = rapid.SampledFrom(titles).Draw(rt, "title")
	case "types":
		c.types = h.drawTypes(rt)
	case "members":
		c.members = h.drawMembers(rt)
	}
	h.remember(c)
	h.writeConfig()
}

// remember adds the values a contact asks for to what Terraform requested.
func (h *history) remember(c *contact) {
	h.requested[c.email] = true
	if c.phone != "" {
		h.requested[c.phone] = true
	}
	for _, u := range c.updates {
		h.requested[u.value] = true
	}
}

func (h *history) drawUpdate(rt *rapid.T, c *contact, k kind) update {
	u := update{sendVerification: rapid.Bool().Draw(rt, "sendVerification")}
	if k == phone {
		u.value = phoneNumber(h.next())
	} else {
		u.value = emailAddress(c.slot, h.next())
	}
	return u
}

func (h *history) addUpdate(rt *rapid.T) {
	c := h.someContact(rt)
	k := rapid.SampledFrom(kinds).Draw(rt, "kind")
	if _, ok := c.updates[k]; ok {
		rt.Skip("that pending update is configured already")
	}
	c.updates[k] = h.drawUpdate(rt, c, k)
	// The contact resource must leave the field to the pending update, as
	// the documentation says: ignore_changes, or for the phone number not
	// setting it at all.
	switch {
	case k == email && !c.ignores("email_address"):
		c.ignore = append(c.ignore, "email_address")
	case k == phone && c.phone != "" && !c.ignores("phone_number"):
		if rapid.Bool().Draw(rt, "unsetPhoneInstead") {
			c.phone = ""
		} else {
			c.ignore = append(c.ignore, "phone_number")
		}
	}
	h.remember(c)
	h.writeConfig()
}

func (h *history) someUpdate(rt *rapid.T) (*contact, kind) {
	type ref struct {
		slot int
		k    kind
	}
	var refs []ref
	for _, s := range h.cfg.slots() {
		for _, k := range kinds {
			if _, ok := h.cfg.contacts[s].updates[k]; ok {
				refs = append(refs, ref{s, k})
			}
		}
	}
	if len(refs) == 0 {
		rt.Skip("no pending update in the configuration")
	}
	r := rapid.SampledFrom(refs).Draw(rt, "update")
	return h.cfg.contacts[r.slot], r.k
}

func (h *history) removeUpdate(rt *rapid.T) {
	c, k := h.someUpdate(rt)
	delete(c.updates, k)
	h.writeConfig()
}

func (h *history) changeUpdate(rt *rapid.T) {
	c, k := h.someUpdate(rt)
	c.updates[k] = h.drawUpdate(rt, c, k)
	h.remember(c)
	h.writeConfig()
}

// adoptForeign writes a contact that was there before Terraform into the
// configuration and imports it: with `terraform import`, an import block,
// or (Terraform 1.12+) an import block with its identity.
func (h *history) adoptForeign(rt *rapid.T) {
	var candidates []emulator.ContactSnapshot
	for _, id := range h.foreign {
		if snap, ok := h.emu.Contact(id); ok && !h.owned[id] && !slices.Contains(slices.Collect(maps.Values(h.cfg.imports)), id) && snap.EmailAddress != "" {
			candidates = append(candidates, snap)
		}
	}
	if len(candidates) == 0 {
		rt.Skip("no contact to adopt")
	}
	snap := rapid.SampledFrom(candidates).Draw(rt, "adopt")
	s := h.freeSlot(rt)
	if _, ok := h.state()[fmt.Sprintf("alicloudrd_message_contact.c%d", s)]; ok {
		rt.Skip("that address is still in the state")
	}
	c := &contact{slot: s, name: snap.Name, email: snap.EmailAddress, title: snap.Title,
		types: slices.Sorted(slices.Values(snap.MessageTypes)), updates: map[kind]update{},
		// The email address may be pending a change someone else asked for.
		ignore: []string{"email_address"}}
	h.cfg.contacts[s] = c
	how := []string{"cli", "block"}
	if h.w.identityImports() {
		how = append(how, "identity")
	}
	switch rapid.SampledFrom(how).Draw(rt, "importWith") {
	case "cli":
		h.writeConfig()
		r := h.run(0, "import", "-input=false", "-no-color", c.address(), snap.ContactID)
		if r.code != 0 && !h.faulty {
			rt.Fatalf("%s failed:\n%s", r, r.out)
		}
		h.contactIDs(h.state())
	case "block":
		h.cfg.imports[c.address()] = snap.ContactID
		h.writeConfig()
	case "identity":
		h.cfg.imports[c.address()] = snap.ContactID
		h.cfg.identity = true
		h.writeConfig()
	}
}

// ---- acts outside Terraform ----

// pendingTargets are the values pending in the directory.
func (h *history) pendingTargets() [][2]string {
	var out [][2]string
	for _, c := range h.emu.Contacts() {
		for _, v := range []string{c.PendingEmailAddress, c.PendingPhoneNumber} {
			if v != "" {
				out = append(out, [2]string{c.ContactID, v})
			}
		}
	}
	return out
}

// drawPending draws a value pending in the directory, as {contact, value}.
func (h *history) drawPending(rt *rapid.T, label string) [2]string {
	targets := h.pendingTargets()
	if len(targets) == 0 {
		rt.Skip("nothing pending")
	}
	return rapid.SampledFrom(targets).Draw(rt, label)
}

func (h *history) outsideVerify(rt *rapid.T) {
	p := h.drawPending(rt, "verify")
	if err := h.emu.Verify(p[0], p[1]); err != nil {
		rt.Fatal(err)
	}
	h.outside("the owner verifies %s of %s:\ncurl -X POST '%s/_emulator/verify?ContactId=%s&Target=%s'", p[1], p[0], h.srv.URL, p[0], p[1])
}

func (h *history) outsideCancel(rt *rapid.T) {
	p := h.drawPending(rt, "cancel")
	if err := h.emu.CancelPending(p[0], p[1]); err != nil {
		rt.Fatal(err)
	}
	h.outside("someone cancels the pending change %s of %s (CancelMessageContactUpdate)", p[1], p[0])
}

func (h *history) someDirectoryContact(rt *rapid.T) emulator.ContactSnapshot {
	cs := h.emu.Contacts()
	if len(cs) == 0 {
		rt.Skip("no contact in the directory")
	}
	return rapid.SampledFrom(cs).Draw(rt, "contact")
}

func (h *history) outsideRequest(rt *rapid.T) {
	c := h.someDirectoryContact(rt)
	target := phoneNumber(500000 + h.next())
	if rapid.Bool().Draw(rt, "email") {
		target = fmt.Sprintf("outsider.%s@example.com", letters(h.next()))
	}
	if err := h.emu.RequestChange(c.ContactID, target); err != nil {
		rt.Fatal(err)
	}
	h.outside("someone requests %s for %s at the console", target, c.ContactID)
}

func (h *history) outsideUpdate(rt *rapid.T) {
	c := h.someDirectoryContact(rt)
	in := rdclient.UpdateMessageContactInput{ContactID: c.ContactID}
	what := ""
	if rapid.Bool().Draw(rt, "rename") {
		name := "Out" + letters(h.next())
		in.Name, what = &name, "name "+name
	} else {
		title := rapid.SampledFrom(titles).Draw(rt, "title")
		in.Title, what = &title, "title "+title
	}
	if err := h.api.UpdateMessageContact(context.Background(), in); err != nil {
		rt.Fatalf("UpdateMessageContact outside Terraform: %v", err)
	}
	h.outside("someone sets the %s of %s (UpdateMessageContact)", what, c.ContactID)
}

func (h *history) outsideDelete(rt *rapid.T) {
	c := h.someDirectoryContact(rt)
	if slices.Contains(slices.Collect(maps.Values(h.cfg.imports)), c.ContactID) {
		rt.Skip("an import block of the configuration names that contact")
	}
	if err := h.emu.DeleteContact(c.ContactID); err != nil {
		rt.Fatal(err)
	}
	h.goneOutside[c.ContactID] = true
	h.outside("someone deletes %s (DeleteMessageContact)", c.ContactID)
}

func (h *history) outsideMembers(rt *rapid.T) {
	c := h.someDirectoryContact(rt)
	m := rapid.SampledFrom(memberPool).Draw(rt, "member")
	var err error
	act := "binds"
	if slices.Contains(c.Members, m) {
		act = "unbinds"
		_, err = h.api.DisassociateMembers(context.Background(), c.ContactID, []string{m})
	} else {
		_, err = h.api.AssociateMembers(context.Background(), c.ContactID, []string{m})
	}
	if err != nil {
		rt.Fatalf("members outside Terraform: %v", err)
	}
	h.outside("someone %s %s to %s", act, m, c.ContactID)
}

func (h *history) faults(rt *rapid.T) {
	f := emulator.Faults{}
	switch rapid.SampledFrom([]string{"throttling", "5xx", "lost answers", "latency"}).Draw(rt, "fault") {
	case "throttling":
		f.ThrottleRate = 0.3
	case "5xx":
		f.ErrorRate = 0.2
	case "lost answers":
		f.DropRate = 0.3
	case "latency":
		f.Latency = 30 * time.Millisecond
	}
	h.setFaults(f)
	h.outside("the API fails for the next command: %+v", f)
}

// ---- Terraform commands ----

func (h *history) plan(rt *rapid.T) {
	r := h.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	faulty := h.takeFaults()
	h.checkNoWrites(r, "a plan")
	switch {
	case r.code == 1 && !faulty:
		rt.Fatalf("%s failed without faults:\n%s", r, r.out)
	case r.code == 2 && h.converged:
		rt.Fatalf("%s after a converged apply, with nothing changed since, plans changes:\n%s", r, r.out)
	}
}

func (h *history) takeFaults() bool {
	f := h.faulty
	h.faulty = false
	return f
}

func (h *history) apply(rt *rapid.T) {
	h.applyAndCheck(rt, 0)
}

func (h *history) refreshOnly(rt *rapid.T) {
	before := h.contactIDs(h.state())
	r := h.run(0, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	faulty := h.takeFaults()
	h.checkNoWrites(r, "apply -refresh-only")
	if r.code != 0 && !faulty {
		rt.Fatalf("%s failed without faults:\n%s", r, r.out)
	}
	after := h.contactIDs(h.state())
	for addr, id := range after {
		if before[addr] != id {
			rt.Fatalf("%s changed the contact of %s from %q to %q", r, addr, before[addr], id)
		}
	}
	h.converged = false
}

func (h *history) destroy(rt *rapid.T) {
	st := h.state()
	before := h.contactIDs(st)
	r := h.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	faulty := h.takeFaults()
	h.checkWrites(r, before, true)
	if r.code != 0 {
		if !faulty {
			rt.Fatalf("%s failed without faults:\n%s", r, r.out)
		}
		h.converged = false
		return
	}
	if left := h.state(); len(left) > 0 {
		rt.Fatalf("%s succeeded but the state still holds %v", r, slices.Sorted(maps.Keys(left)))
	}
	for addr, id := range before {
		if snap, ok := h.emu.Contact(id); ok && snap.Status != "Deleting" {
			rt.Fatalf("%s succeeded but %s (%s) is still in the directory", r, addr, id)
		}
	}
	for _, id := range h.foreign {
		if _, ok := h.emu.Contact(id); !ok && !h.goneOutside[id] && !h.owned[id] {
			rt.Fatalf("%s deleted %s, a contact Terraform neither created nor imported", r, id)
		}
	}
	// Import blocks of contacts the destroy deleted would now fail.
	for addr, id := range h.cfg.imports {
		if _, ok := h.emu.Contact(id); !ok {
			delete(h.cfg.imports, addr)
		}
	}
	h.converged = false
}

// kill runs an apply and kills Terraform's process group once the API has
// served the n-th call; then the next plan must name the recovery of any
// contact the killed apply created but did not record, and once that is
// done an apply converges.
func (h *history) kill(rt *rapid.T) {
	n := rapid.IntRange(1, 10).Draw(rt, "killAtCall")
	r := h.applyAndCheck(rt, n)
	if !r.killed {
		return
	}
	h.w.stats.kills.Add(1)
	h.takeFaults()
	ids := h.contactIDs(h.state())
	inState := map[string]bool{}
	for _, id := range ids {
		inState[id] = true
	}
	var lost []emulator.ContactSnapshot
	for _, snap := range h.emu.Contacts() {
		if !inState[snap.ContactID] && !slices.Contains(h.foreign, snap.ContactID) && h.configuredName(snap.Name) != nil {
			lost = append(lost, snap)
		}
	}
	p := h.run(0, "plan", "-input=false", "-no-color")
	if p.code == 1 {
		rt.Fatalf("after the kill, %s fails:\n%s", p, p.out)
	}
	for _, snap := range lost {
		c := h.configuredName(snap.Name)
		block := regexp.MustCompile(`import \{\s+to = alicloudrd_message_contact\.<name>\s+id = "` + snap.ContactID + `"\s+\}`)
		if !regexp.MustCompile(`Message contact name "`+snap.Name+`" already used by `+snap.ContactID).MatchString(p.out) || !block.MatchString(p.out) {
			rt.Fatalf("after the kill, contact %s (%q) exists but is not in the state, and %s does not name it with an "+
				"import block to paste:\n%s", snap.ContactID, snap.Name, p, p.out)
		}
		// The recovery the plan names.
		h.owned[snap.ContactID] = true
		h.cfg.imports[c.address()] = snap.ContactID
	}
	if len(lost) > 0 {
		// An address the state still holds, for a contact deleted outside
		// since, would make Terraform skip the import: refresh first, as the
		// plan's message says.
		st := h.state()
		for _, snap := range lost {
			if _, stale := st[h.configuredName(snap.Name).address()]; stale {
				if r := h.run(0, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"); r.code != 0 {
					rt.Fatalf("%s failed:\n%s", r, r.out)
				}
				break
			}
		}
		h.writeConfig()
	}
	h.applyAndCheck(rt, 0)
}

func (h *history) configuredName(name string) *contact {
	for _, c := range h.cfg.contacts {
		if c.name == name {
			return c
		}
	}
	return nil
}

//go:build unix

package histories

import (
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The invariants, each with its own failure message.

// forbidden are what no command may print: a crash, or Terraform's word that
// the provider broke the protocol's promises.
var forbidden = []string{
	"panic:", "goroutine ", "Provider produced inconsistent result", "Provider produced inconsistent final plan",
	"produced an unexpected new value", "Provider produced invalid plan", "Provider returned invalid result object",
	"Missing Resource Identity", "Unexpected Identity Change", "Plugin did not respond", "value is unknown after apply",
	"Provider produced null object",
}

// checkOutput: a command succeeds, or fails with the provider's own
// diagnostics; it never prints what forbidden lists.
func (h *history) checkOutput(r result) {
	for _, f := range forbidden {
		if strings.Contains(r.out, f) {
			h.rt.Fatalf("%s printed %q:\n%s", r, f, r.out)
		}
	}
}

// checkNoWrites: plans and refreshes never change the directory.
func (h *history) checkNoWrites(r result, what string) {
	if w := acctest.Writes(r.calls); len(w) > 0 {
		h.rt.Fatalf("%s (%s) made write calls: %v", r, what, w)
	}
}

// checkWrites: Terraform deletes only contacts it created or imported, and
// only when their address leaves the configuration or on destroy; it cancels
// only values it requested.
func (h *history) checkWrites(r result, before map[string]string, destroying bool) {
	address := map[string]string{}
	for addr, id := range before {
		address[id] = addr
	}
	for _, c := range r.calls {
		switch c.Action {
		case rdclient.ActionDeleteMessageContact:
			id := c.Params["ContactId"]
			if !h.owned[id] {
				h.rt.Fatalf("%s deleted %s, a contact Terraform neither created nor imported", r, id)
			}
			addr := address[id]
			if !destroying && addr != "" && h.cfg.contacts[slotOf(addr)] != nil {
				h.rt.Fatalf("%s deleted %s although %s is still in the configuration: a contact is never replaced "+
					"for a value the configuration does not set, or for a change verified or cancelled outside", r, id, addr)
			}
		case rdclient.ActionCancelMessageContactUpdate:
			target := c.Params["PhoneNumber"] + c.Params["EmailAddress"]
			if !h.requested[target] && !h.requested[strings.ToLower(target)] {
				h.rt.Fatalf("%s cancelled %s of %s, a change Terraform did not request", r, target, c.Params["ContactId"])
			}
		}
	}
}

// slotOf is the slot of a contact address alicloudrd_message_contact.c<slot>.
func slotOf(addr string) int {
	s := strings.TrimPrefix(addr, "alicloudrd_message_contact.c")
	if len(s) != 1 || s[0] < '0' || s[0] > '9' {
		return -1
	}
	return int(s[0] - '0')
}

// applyAndCheck runs an apply (killed at the killAt-th call when > 0) and
// checks it: writes only to what Terraform owns; no contact replaced; and
// after a success, an empty plan (one apply converges) and a directory that
// matches the configuration. An apply with nothing to do makes no write.
func (h *history) applyAndCheck(rt *rapid.T, killAt int) result {
	converged := h.converged
	before := h.contactIDs(h.state())
	args := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	if killAt > 0 {
		// One operation at a time: the n-th call is the same call each
		// time the history runs, so a failure reproduces and shrinks.
		args = append(args, "-parallelism=1")
	}
	r := h.run(killAt, args...)
	faulty := h.takeFaults()
	h.checkWrites(r, before, false)
	if converged && !r.killed {
		if w := acctest.Writes(r.calls); len(w) > 0 {
			rt.Fatalf("%s had nothing to do (the last apply converged and nothing changed since) but made write calls: %v", r, w)
		}
	}
	after := h.contactIDs(h.state())
	for addr, id := range after {
		if old := before[addr]; old != "" && old != id && !h.goneOutside[old] {
			rt.Fatalf("%s replaced %s (%s, now %s) although the contact was not deleted outside", r, addr, old, id)
		}
	}
	if r.killed {
		h.converged = false
		return r
	}
	if r.code != 0 {
		if !faulty {
			rt.Fatalf("%s failed without faults:\n%s", r, r.out)
		}
		h.converged = false
		return r
	}
	if len(h.cfg.imports) > 0 {
		// Done: import blocks stay harmless, but a later recreation of
		// the contact would make them point at a deleted one.
		h.cfg.imports = map[string]string{}
		h.cfg.identity = false
		h.writeConfig()
	}
	p := h.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	h.checkNoWrites(p, "the plan after an apply")
	if p.code != 0 {
		rt.Fatalf("one apply does not converge: after %s succeeded, %s exits %d:\n%s", r, p, p.code, p.out)
	}
	h.checkDirectory(r)
	h.converged = true
	return r
}

// ambiguous tells whether a configured value that is neither effective nor
// pending is the documented case where the API cannot tell: in the requested
// read mode, someone else's request (pending) replaced Terraform's, or came
// after it was verified; the provider keeps the value and warns
// (contactReconcileValue, rule 3).
func (h *history) ambiguous(pending string) bool {
	return h.mode == emulator.ReadModeRequested && pending != "" && !h.requested[pending] && !h.requested[strings.ToLower(pending)]
}

// checkDirectory: after a successful apply, each configured contact exists
// once, with the configured fields and members; each configured pending
// update is pending, or verified.
func (h *history) checkDirectory(r result) {
	st := h.state()
	ids := h.contactIDs(st)
	for _, s := range h.cfg.slots() {
		c := h.cfg.contacts[s]
		id := ids[c.address()]
		snap, ok := h.emu.Contact(id)
		if id == "" || !ok {
			h.rt.Fatalf("after %s, %s (state ID %q) is not in the directory", r, c.address(), id)
		}
		named := 0
		for _, other := range h.emu.Contacts() {
			if other.Name == c.name {
				named++
			}
		}
		if named != 1 {
			h.rt.Fatalf("after %s, %d contacts are named %q", r, named, c.name)
		}
		fail := func(field string, got, want any) {
			h.rt.Fatalf("after %s, %s (%s) has %s %v in the directory, the configuration says %v", r, c.address(), id, field, got, want)
		}
		if snap.Name != c.name {
			fail("name", snap.Name, c.name)
		}
		if snap.Title != c.title {
			fail("title", snap.Title, c.title)
		}
		if got := slices.Sorted(slices.Values(snap.MessageTypes)); !slices.Equal(got, c.types) {
			fail("message types", got, c.types)
		}
		if c.members != nil {
			if got := slices.Sorted(slices.Values(snap.Members)); !slices.Equal(got, c.members) && (len(got) != 0 || len(c.members) != 0) {
				fail("members", got, c.members)
			}
		}
		if c.managesEmail() && !strings.EqualFold(snap.EmailAddress, c.email) && !strings.EqualFold(snap.PendingEmailAddress, c.email) &&
			!h.ambiguous(snap.PendingEmailAddress) {
			fail("email address (effective / pending)", snap.EmailAddress+" / "+snap.PendingEmailAddress, c.email)
		}
		if c.managesPhone() && snap.PhoneNumber != c.phone && snap.PendingPhoneNumber != c.phone && !h.ambiguous(snap.PendingPhoneNumber) {
			fail("phone number (effective / pending)", snap.PhoneNumber+" / "+snap.PendingPhoneNumber, c.phone)
		}
		for _, k := range kinds {
			u, ok := c.updates[k]
			if !ok {
				continue
			}
			attrs := st[updateAddress(s, k)]
			if attrs == nil {
				h.rt.Fatalf("after %s, %s is not in the state", r, updateAddress(s, k))
			}
			effective, pending := snap.PhoneNumber, snap.PendingPhoneNumber
			if k == email {
				effective, pending = snap.EmailAddress, snap.PendingEmailAddress
			}
			status := str(attrs, "status")
			switch {
			case strings.EqualFold(pending, u.value):
				if status != "pending" {
					h.rt.Fatalf("after %s, %s is pending in the directory but its status is %q", r, updateAddress(s, k), status)
				}
			case strings.EqualFold(effective, u.value):
				if status != "verified" {
					h.rt.Fatalf("after %s, %s is effective in the directory but its status is %q", r, updateAddress(s, k), status)
				}
			default:
				h.rt.Fatalf("after %s, %s asks for %s, which %s neither has nor has pending (%s / %s)",
					r, updateAddress(s, k), u.value, id, effective, pending)
			}
		}
	}
}

package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// AfterCall sees every API call once it is handled (admin paths excluded),
// may change the emulator's state, and runs before the client gets the
// answer: the call it follows does not see its change, the next call does.
func TestAfterCall(t *testing.T) {
	var (
		mu    sync.Mutex
		calls []Call
		emu   *Emulator
		id    string
		// hold, when set, blocks the hook of the next ListMessageContactVerifications
		// until it is closed.
		hold    chan struct{}
		holding = make(chan struct{}, 1)
	)
	hook := func(c Call) {
		mu.Lock()
		calls = append(calls, c)
		n := len(calls)
		h := hold
		mu.Unlock()
		if c.Action == "ListMessageContactVerifications" && h != nil {
			holding <- struct{}{}
			<-h
		}
		// The second poll after the update: the owner verifies.
		if c.Action == "ListMessageContactVerifications" && n == 4 {
			if err := emu.Verify(c.Params["ContactId"], "86-13912341234"); err != nil {
				t.Errorf("Verify from the hook: %v", err)
			}
		}
	}
	v := newEnv(t, Config{AfterCall: hook})
	emu = v.emu
	id = v.addContact("Alice", "alice@example.com", "")
	if err := v.emu.Verify(id, "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	v.mustCall("UpdateMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
	pending := func() float64 {
		return at[float64](t, v.mustCall("ListMessageContactVerifications", map[string]string{"ContactId": id}), "TotalCount")
	}
	if n := pending(); n != 1 { // call 3
		t.Fatalf("first poll: %v pending, want 1", n)
	}
	if n := pending(); n != 1 { // call 4: the hook verifies after it was handled
		t.Fatalf("second poll: %v pending, want 1 (the hook runs after the call)", n)
	}
	if n := pending(); n != 0 { // call 5
		t.Fatalf("third poll: %v pending, want 0 (verified by the hook)", n)
	}

	// An error and an unauthenticated call reach the hook too; admin paths do not.
	v.expectErr("GetMessageContact", map[string]string{"ContactId": "c-000000000000"}, 404, "EntityNotExists.Contact")
	resp, err := http.PostForm(v.srv.URL+"/", map[string][]string{"Action": {"ListMessageContacts"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, err := http.Get(v.srv.URL + "/_emulator/calls"); err == nil {
		resp.Body.Close()
	}

	mu.Lock()
	got := slicesOfActions(calls)
	mu.Unlock()
	want := []string{
		"AddMessageContact", "UpdateMessageContact",
		"ListMessageContactVerifications", "ListMessageContactVerifications", "ListMessageContactVerifications",
		"GetMessageContact(EntityNotExists.Contact)", "ListMessageContacts(MissingParameter)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("calls seen by the hook (-want +got):\n%s", d)
	}
	if d := cmp.Diff(slicesOfActions(v.emu.Calls()), got); d != "" {
		t.Fatalf("the hook and Calls disagree (-Calls +hook):\n%s", d)
	}
	mu.Lock()
	if calls[1].Params["PhoneNumber"] != "86-13912341234" || calls[1].Status != http.StatusOK {
		t.Errorf("hook call %+v", calls[1])
	}
	calls[1].Params["PhoneNumber"] = "changed by the hook's owner"
	mu.Unlock()
	if c := v.emu.Calls()[1]; c.Params["PhoneNumber"] != "86-13912341234" {
		t.Errorf("the hook's Call shares its Params with Calls: %+v", c)
	}

	// The answer waits for the hook: while it blocks, the client has nothing.
	mu.Lock()
	hold = make(chan struct{})
	release := hold
	mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := v.call("ListMessageContactVerifications", map[string]string{"ContactId": id})
		done <- err
	}()
	select {
	case <-holding:
	case <-time.After(10 * time.Second):
		t.Fatal("the hook was not called")
	}
	select {
	case err := <-done:
		t.Fatalf("the client got its answer (%v) before the hook returned", err)
	case <-time.After(100 * time.Millisecond):
	}
	// Meanwhile the emulator serves others: the hook runs outside its lock.
	if _, ok := v.emu.Contact(id); !ok {
		t.Fatal("contact gone")
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("held call: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the client never got its answer")
	}
}

func slicesOfActions(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.String()
	}
	return out
}

// DeleteAfterPolls ends an asynchronous deletion at a fixed poll, however
// much time passes.
func TestDeleteAfterPolls(t *testing.T) {
	v := newEnv(t, Config{DeleteDelay: time.Millisecond, DeleteAfterPolls: 3})
	status := func(id string) string {
		return at[string](t, v.mustCall("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}), "ContactDeletionStatus", "Status")
	}

	id := v.addContact("Alice", "alice@example.com", "")
	v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
	v.clock.Advance(10 * time.Minute) // far past DeleteDelay: the clock ends nothing
	if c := v.getContact(id); c["Status"] != "Deleting" {
		t.Fatalf("Get long after DeleteDelay: %v", c)
	}
	for i := 1; i <= 2; i++ {
		if s := status(id); s != "Deleting" {
			t.Fatalf("poll %d: %s, want Deleting", i, s)
		}
	}
	v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	if _, ok := v.emu.Contact(id); ok {
		t.Fatal("contact still stored after the third poll")
	}

	t.Run("failed", func(t *testing.T) {
		id := v.addContact("Bob", "bob@example.com", "")
		v.emu.FailNextDeletion(id, []FailReason{{AccountID: "1234567890123456", MessageTypes: []string{"FaultMessage"}}})
		v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
		status(id)
		status(id)
		if s := status(id); s != "Failed" {
			t.Fatalf("third poll: %s, want Failed", s)
		}
		if c := v.getContact(id); c["Status"] != "Verifying" {
			t.Fatalf("after the failed deletion: %v", c)
		}
		// A new deletion counts its polls from zero.
		v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
		if s := status(id); s != "Deleting" {
			t.Fatalf("first poll of the second deletion: %s", s)
		}
		status(id)
		v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
	})

	t.Run("synchronous", func(t *testing.T) {
		id := v.addContact("Carol", "carol@example.com", "")
		v.mustCall("DeleteMessageContact", map[string]string{"ContactId": id})
		v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 404, "EntityNotExists.Contact")
		// No asynchronous deletion was requested: nothing to poll.
		id = v.addContact("Dave", "dave@example.com", "")
		v.expectErr("GetMessageContactDeletionStatus", map[string]string{"ContactId": id}, 400, "ContactStatusMismatchAction")
	})
}

// RequestChange makes a value pending as an Update would, without an API
// call; Verify and CancelPending then act on it.
func TestRequestChange(t *testing.T) {
	e := New(Config{})
	if err := e.SeedContacts([]SeedContact{{ContactID: "c-qL4HqKONzOM7", Name: "Ops", EmailAddress: "ops@example.com",
		PhoneNumber: "86-13800138000", Title: "CEO", MessageTypes: []string{"ServiceMessage"}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.RequestChange("c-000000000000", "a@example.com"); err != ErrNotFound {
		t.Errorf("unknown contact: err = %v, want ErrNotFound", err)
	}
	for _, target := range []string{"new@example.com", "86-13912345678"} {
		if err := e.RequestChange("c-qL4HqKONzOM7", target); err != nil {
			t.Fatalf("RequestChange(%q): %v", target, err)
		}
	}
	snap, _ := e.Contact("c-qL4HqKONzOM7")
	if snap.PendingEmailAddress != "new@example.com" || snap.PendingPhoneNumber != "86-13912345678" || snap.Status != StatusVerifying {
		t.Errorf("after RequestChange: pending %q %q, status %s", snap.PendingEmailAddress, snap.PendingPhoneNumber, snap.Status)
	}
	if len(e.Calls()) != 0 {
		t.Errorf("RequestChange made API calls: %v", e.Calls())
	}
	if err := e.Verify("c-qL4HqKONzOM7", "new@example.com"); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if err := e.CancelPending("c-qL4HqKONzOM7", "86-13912345678"); err != nil {
		t.Errorf("CancelPending: %v", err)
	}
	snap, _ = e.Contact("c-qL4HqKONzOM7")
	if snap.EmailAddress != "new@example.com" || snap.PhoneNumber != "86-13800138000" || snap.Status != StatusActive {
		t.Errorf("after Verify and CancelPending: %+v", snap)
	}
}

// SendMessages spends the send limits as Send calls do, without an API call:
// the next Send call to the same address, or any once the account's daily
// limit is spent, is refused.
func TestSendMessages(t *testing.T) {
	v := newEnv(t, Config{})
	id := v.addContact("Alice", "alice@example.com", "86-13912341234")
	send := map[string]string{"ContactId": id, "EmailAddress": "alice@example.com"}
	if err := v.emu.SendMessages("alice@example.com", SendLimitPerMinute); err != nil {
		t.Fatalf("SendMessages within the limit: %v", err)
	}
	v.expectErr("SendEmailVerificationForMessageContact", send, 409, "SendValidateCodeExceedsLimitForAccount")
	if err := v.emu.SendMessages("alice@example.com", 1); !errors.Is(err, ErrSendLimit) {
		t.Errorf("SendMessages over the minute's limit: err = %v, want ErrSendLimit", err)
	}
	v.mustCall("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
	// 11 messages so far: 80 more to other addresses, then 9 of 10 to one.
	for i := range 8 {
		if err := v.emu.SendMessages(fmt.Sprintf("x%d@example.com", i), 10); err != nil {
			t.Fatalf("SendMessages to address %d: %v", i, err)
		}
	}
	if err := v.emu.SendMessages("y@example.com", 10); !errors.Is(err, ErrSendLimit) {
		t.Errorf("SendMessages over the day's limit: err = %v, want ErrSendLimit", err)
	}
	v.expectErr("SendPhoneVerificationForMessageContact", map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"}, 409, "SendValidateCodeExceedsLimitForAccount")
	for _, c := range v.emu.Calls() {
		if c.Action != "SendEmailVerificationForMessageContact" && c.Action != "SendPhoneVerificationForMessageContact" && c.Action != "AddMessageContact" {
			t.Errorf("unexpected call %s", c)
		}
	}
}

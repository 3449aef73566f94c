package rdclient

import (
	"context"
	"testing"
)

// Writes counts each write call twice (begun, ended), failed ones too, and
// no read.
func TestWritesCountsWriteCalls(t *testing.T) {
	f := newFake(t, func(_ int, c recordedCall) reply {
		if c.Action() == ActionUpdateMessageContact && c.business()["Title"] == "Other" {
			return errReply(400, "InvalidParameter", "bad", "req-1")
		}
		return okReply(map[string]any{"Contacts": []any{}, "Total": 0})
	})
	c := newTestClient(t, f.URL)
	ctx := context.Background()
	if _, err := c.ListAllMessageContacts(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := c.Writes(); got != 0 {
		t.Fatalf("after a read, Writes() = %d, want 0", got)
	}
	if err := c.UpdateMessageContact(ctx, UpdateMessageContactInput{ContactID: "c-1", Title: ptr("CEO")}); err != nil {
		t.Fatal(err)
	}
	if got := c.Writes(); got != 2 {
		t.Fatalf("after one write, Writes() = %d, want 2", got)
	}
	if err := c.UpdateMessageContact(ctx, UpdateMessageContactInput{ContactID: "c-1", Title: ptr("Other")}); err == nil {
		t.Fatal("the failing update succeeded")
	}
	if got := c.Writes(); got != 4 {
		t.Fatalf("after a failed write, Writes() = %d, want 4", got)
	}
}

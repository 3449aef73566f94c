package provider

import (
	"context"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// lists counts the ListMessageContacts calls the emulator served.
func lists(e *emulator.Emulator) int {
	n := 0
	for _, c := range e.Calls() {
		if c.Action == rdclient.ActionListMessageContacts {
			n++
		}
	}
	return n
}

// The plan-time checks of one provider process share one listing until the
// process writes; a client that does not count its writes lists every time.
func TestContactListingSharedUntilWrite(t *testing.T) {
	ctx := context.Background()
	emu, client := listCallsFixture(t, 3)
	l := &contactListing{}
	for i := range 3 {
		got, err := l.contacts(ctx, client)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("check %d: %d contacts, want 3", i, len(got))
		}
	}
	if n := lists(emu); n != 1 {
		t.Fatalf("three checks listed %d times, want once", n)
	}

	title := "CEO"
	if err := client.UpdateMessageContact(ctx, rdclient.UpdateMessageContactInput{ContactID: "c-LstCalls0000", Title: &title}); err != nil {
		t.Fatal(err)
	}
	got, err := l.contacts(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	if n := lists(emu); n != 2 {
		t.Fatalf("after a write, %d listings in all, want 2", n)
	}
	if c := contactNamed(got, "TeamAa"); c == nil || c.Title != "CEO" {
		t.Fatalf("after a write, the listing holds %+v, want TeamAa with title CEO", c)
	}
	if _, err := l.contacts(ctx, client); err != nil || lists(emu) != 2 {
		t.Fatalf("no write since: %d listings in all (err %v), want 2", lists(emu), err)
	}

	// Without a write count, and without a listing to share: every time.
	plain := struct{ rdclient.API }{client}
	for range 2 {
		if _, err := l.contacts(ctx, plain); err != nil {
			t.Fatal(err)
		}
	}
	var none *contactListing
	if _, err := none.contacts(ctx, client); err != nil {
		t.Fatal(err)
	}
	if n := lists(emu); n != 5 {
		t.Fatalf("%d listings in all, want 5", n)
	}
}

// overlappingWrites is a client whose every listing overlaps a write.
type overlappingWrites struct {
	rdclient.API
	writes uint64
}

func (o *overlappingWrites) Writes() uint64 { return o.writes }

func (o *overlappingWrites) ListAllMessageContacts(ctx context.Context, member string) ([]rdclient.Contact, error) {
	o.writes++
	defer func() { o.writes++ }()
	return o.API.ListAllMessageContacts(ctx, member)
}

// A listing that a write of the same process overlapped is not shared.
func TestContactListingNotSharedAfterOverlappingWrite(t *testing.T) {
	ctx := context.Background()
	emu, client := listCallsFixture(t, 1)
	l := &contactListing{}
	o := &overlappingWrites{API: client}
	for range 2 {
		if _, err := l.contacts(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if n := lists(emu); n != 2 {
		t.Fatalf("%d listings, want 2", n)
	}
}

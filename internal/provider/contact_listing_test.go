package provider

import (
	"context"
	"errors"
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

// The plan-time checks of one provider process share one listing, taken by
// the first, even after the process writes: the number of listings of a
// command does not depend on the order in which Terraform runs them.
func TestContactListingTakenOncePerProcess(t *testing.T) {
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
	if n := lists(emu); n != 1 {
		t.Fatalf("after a write, %d listings in all, want still 1", n)
	}
	if c := contactNamed(got, "TeamAa"); c == nil || c.Title != "Other" {
		t.Fatalf("the shared listing holds %+v, want TeamAa as first listed (title Other)", c)
	}

	// A new process (a new listing) lists again; without a listing to
	// share, every check lists.
	if _, err := (&contactListing{}).contacts(ctx, client); err != nil {
		t.Fatal(err)
	}
	var none *contactListing
	for range 2 {
		if _, err := none.contacts(ctx, client); err != nil {
			t.Fatal(err)
		}
	}
	if n := lists(emu); n != 4 {
		t.Fatalf("%d listings in all, want 4", n)
	}
}

// failingList fails its first listing.
type failingList struct {
	rdclient.API
	calls int
}

func (f *failingList) ListAllMessageContacts(ctx context.Context, member string) ([]rdclient.Contact, error) {
	f.calls++
	if f.calls == 1 {
		return nil, errors.New("throttled")
	}
	return f.API.ListAllMessageContacts(ctx, member)
}

// A listing that failed is not shared: the next check lists again.
func TestContactListingFailureNotShared(t *testing.T) {
	ctx := context.Background()
	_, client := listCallsFixture(t, 1)
	l := &contactListing{}
	f := &failingList{API: client}
	if _, err := l.contacts(ctx, f); err == nil {
		t.Fatal("the failing listing succeeded")
	}
	for range 2 {
		got, err := l.contacts(ctx, f)
		if err != nil || len(got) != 1 {
			t.Fatalf("after a failure: %d contacts, err %v; want 1, nil", len(got), err)
		}
	}
	if f.calls != 2 {
		t.Fatalf("%d listings, want 2 (the failed one and one shared)", f.calls)
	}
}

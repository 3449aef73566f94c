package provider

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/acctest"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// The API calls of `terraform query`: the list resources run against an
// emulator holding n contacts, each with a pending email address.

// listCallsFixture is an emulator with n contacts, each with a new email
// address waiting for verification, and a client of it.
func listCallsFixture(tb testing.TB, n int) (*emulator.Emulator, rdclient.API) {
	tb.Helper()
	emu := emulator.New(emulator.Config{
		KeyPairs:    []emulator.KeyPair{{AccessKeyID: acctest.AccessKeyID, AccessKeySecret: acctest.AccessKeySecret}},
		MaxContacts: n,
	})
	seed := make([]emulator.SeedContact, n)
	for i := range seed {
		seed[i] = emulator.SeedContact{ContactID: fmt.Sprintf("c-LstCalls%04d", i), Name: "Team" + string(rune('A'+i/26)) + string(rune('a'+i%26)),
			EmailAddress: fmt.Sprintf("team%d@example.com", i), Title: "Other", MessageTypes: []string{"ServiceMessage"}}
	}
	if err := emu.SeedContacts(seed); err != nil {
		tb.Fatal(err)
	}
	for i := range seed {
		if err := emu.RequestChange(seed[i].ContactID, fmt.Sprintf("team%d.new@example.com", i)); err != nil {
			tb.Fatal(err)
		}
	}
	srv := httptest.NewServer(emu)
	tb.Cleanup(srv.Close)
	cred, err := rdclient.NewCredential(rdclient.CredentialConfig{AccessKey: acctest.AccessKeyID, SecretKey: acctest.AccessKeySecret})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := rdclient.New(rdclient.Config{Endpoint: srv.URL, RegionID: "cn-shanghai", Credential: cred})
	if err != nil {
		tb.Fatal(err)
	}
	return emu, c
}

// listCallsCase is one query: a list resource, its config and include_resource.
type listCallsCase struct {
	name    string
	lr      func(rdclient.API) list.ListResource
	r       fwresource.Resource
	config  map[string]tftypes.Value
	include bool
}

func listCallsCases() []listCallsCase {
	contacts := func(c rdclient.API) list.ListResource { return &messageContactListResource{client: c} }
	pending := func(c rdclient.API) list.ListResource { return &messageContactPendingUpdateListResource{client: c} }
	noMember := map[string]tftypes.Value{"member": tftypes.NewValue(tftypes.String, nil)}
	noContact := map[string]tftypes.Value{"contact_id": tftypes.NewValue(tftypes.String, nil)}
	oneContact := map[string]tftypes.Value{"contact_id": tftypes.NewValue(tftypes.String, "c-LstCalls0001")}
	return []listCallsCase{
		{"contacts", contacts, NewMessageContactResource(), noMember, false},
		{"contacts include_resource", contacts, NewMessageContactResource(), noMember, true},
		{"pending_updates", pending, NewMessageContactPendingUpdateResource(), noContact, false},
		{"pending_updates include_resource", pending, NewMessageContactPendingUpdateResource(), noContact, true},
		{"pending_updates of one contact", pending, NewMessageContactPendingUpdateResource(), oneContact, false},
	}
}

// runList runs a query to the end and returns how many results it gave.
func runList(tb testing.TB, c rdclient.API, tc listCallsCase) int {
	tb.Helper()
	results := listResults(tb, c, tc)
	for i, result := range results {
		if result.Diagnostics.HasError() {
			tb.Fatalf("%s: %v", tc.name, result.Diagnostics)
		}
		if tc.include && result.Resource.Raw.IsNull() {
			tb.Fatalf("%s: result %d has no resource", tc.name, i)
		}
	}
	return len(results)
}

// A query makes ⌈items/100⌉ list pages, plus the fewest calls that
// include_resource and the display names need.
func TestListResourceAPICalls(t *testing.T) {
	pages := func(items int) int { return (items + 99) / 100 }
	for _, contacts := range []int{10, 100, 150} {
		emu, c := listCallsFixture(t, contacts)
		want := map[string]struct{ results, calls int }{
			"contacts":                         {contacts, pages(contacts)},
			"contacts include_resource":        {contacts, pages(contacts) + pages(contacts)},
			"pending_updates":                  {contacts, pages(contacts) + pages(contacts)},
			"pending_updates include_resource": {contacts, pages(contacts) + pages(contacts)},
			"pending_updates of one contact":   {1, 2},
		}
		for _, tc := range listCallsCases() {
			before := len(emu.Calls())
			results := runList(t, c, tc)
			calls := len(emu.Calls()) - before
			t.Logf("%d contacts, %s: %d results, %d API calls", contacts, tc.name, results, calls)
			if w := want[tc.name]; results != w.results || calls != w.calls {
				t.Errorf("%d contacts, %s: %d results and %d API calls, want %d and %d", contacts, tc.name, results, calls, w.results, w.calls)
			}
		}
	}
}

// BenchmarkListResource measures a query of 10 and of 100 contacts (each
// with a pending email): time, memory and API calls per query.
func BenchmarkListResource(b *testing.B) {
	for _, contacts := range []int{10, 100} {
		emu, c := listCallsFixture(b, contacts)
		for _, tc := range listCallsCases() {
			b.Run(fmt.Sprintf("contacts=%d/%s", contacts, tc.name), func(b *testing.B) {
				before := len(emu.Calls())
				for b.Loop() {
					runList(b, c, tc)
				}
				b.ReportMetric(float64(len(emu.Calls())-before)/float64(b.N), "calls/op")
			})
		}
	}
}

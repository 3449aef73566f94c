package acctest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// proxied starts an emulator, a proxy in front of it and a client of the
// proxy.
func proxied(t *testing.T) (*emulator.Emulator, *FaultProxy, rdclient.API) {
	t.Helper()
	e, upstream := testEmulator(t)
	p := NewFaultProxy(t, upstream)
	return e, p, testClient(t, p.URL)
}

// giveUp arms p with rule and makes a ListMessageContacts call the client
// gives up on, then waits for the proxy to log wantEvent.
func giveUp(t *testing.T, p *FaultProxy, api rdclient.API, rule Rule, wantEvent string) {
	t.Helper()
	p.Arm(rule)()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := listContacts(ctx, api); err == nil {
		t.Fatal("the held call succeeded")
	}
	waitForEvents(t, p, wantEvent)
}

// listContacts makes one ListMessageContacts call.
func listContacts(ctx context.Context, api rdclient.API) error {
	_, err := api.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{PageNumber: 1, PageSize: 10})
	return err
}

// checkCalls fails the test unless check passes on e.
func checkCalls(t *testing.T, e *emulator.Emulator, check func(*emulator.Emulator) error) {
	t.Helper()
	if err := check(e); err != nil {
		t.Error(err)
	}
}

// waitForEvents waits until the proxy has logged want, for the events of a
// call the client gave up on, which the proxy logs once it sees the
// connection closed.
func waitForEvents(t *testing.T, p *FaultProxy, want ...string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if got = p.Events(); len(got) >= len(want) {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("proxy events:\n got %q\nwant %q", got, want)
	}
}

func TestFaultProxy_forwardsUntilArmed(t *testing.T) {
	e, upstream := testEmulator(t)
	p := NewFaultProxy(t, upstream+"/")
	api := testClient(t, p.URL)
	for range 2 {
		if err := listContacts(context.Background(), api); err != nil {
			t.Fatal(err)
		}
	}
	checkCalls(t, e, CountCalls(rdclient.ActionListMessageContacts, "", 2))
	if err := p.ExpectEvents()(nil); err != nil {
		t.Error(err)
	}
}

func TestFaultProxy_fail(t *testing.T) {
	e, p, api := proxied(t)
	invalid := &APIError{Code: "InvalidMember", Message: "The Member is invalid.", RequestID: "5E1D7C2A-0000-4000-8000-00000000F417"}
	p.Arm(Rule{Action: rdclient.ActionListMessageContacts, Nth: 2, Times: 2, Fail: invalid})()
	ctx := context.Background()
	for i, wantErr := range []bool{false, true, true, false} {
		err := listContacts(ctx, api)
		if (err != nil) != wantErr {
			t.Fatalf("call %d: error %v, want an error: %v", i+1, err, wantErr)
		}
		if err != nil {
			for _, s := range []string{"InvalidMember (HTTP 400)", "The Member is invalid.", invalid.RequestID} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("call %d: the error does not say %q: %v", i+1, s, err)
				}
			}
		}
	}
	// The failed calls never reached the server.
	checkCalls(t, e, ExpectCalls([]string{rdclient.ActionListMessageContacts, rdclient.ActionListMessageContacts}))
	if err := p.ExpectEvents(
		"ListMessageContacts answered InvalidMember (HTTP 400), not forwarded",
		"ListMessageContacts answered InvalidMember (HTTP 400), not forwarded")(nil); err != nil {
		t.Error(err)
	}

	// Arming again forgets the rules and the events.
	p.Arm()()
	if err := listContacts(ctx, api); err != nil {
		t.Fatal(err)
	}
	if got := p.Events(); len(got) != 0 {
		t.Errorf("events after arming with no rule: %q", got)
	}
}

func TestFaultProxy_match(t *testing.T) {
	e, p, api := proxied(t)
	p.Arm(Rule{
		Action: rdclient.ActionGetMessageContact, Match: map[string]string{"ContactId": "c-000000000002"},
		Fail: &APIError{Status: 503, Code: "ServiceUnavailable", Message: "Try later.", RequestID: "R"},
	})()
	ctx := context.Background()
	for _, id := range []string{"c-000000000001", "c-000000000002", "c-000000000003"} {
		_, _ = api.GetMessageContact(ctx, id)
	}
	notFound := rdclient.ActionGetMessageContact + "(" + rdclient.CodeContactNotFound + ")"
	checkCalls(t, e, ExpectCalls([]string{notFound, notFound}))
	if err := p.ExpectEvents("GetMessageContact answered ServiceUnavailable (HTTP 503), not forwarded")(nil); err != nil {
		t.Error(err)
	}
}

func TestFaultProxy_drop(t *testing.T) {
	e, p, api := proxied(t)
	p.Arm(Rule{Action: rdclient.ActionListMessageContacts, Drop: true})()
	if err := listContacts(context.Background(), api); err == nil {
		t.Fatal("the call whose answer was dropped succeeded")
	}
	// The call was applied: the server answered it.
	checkCalls(t, e, ExpectCalls([]string{rdclient.ActionListMessageContacts}))
	if err := p.ExpectEvents("ListMessageContacts forwarded (HTTP 200), answer dropped")(nil); err != nil {
		t.Error(err)
	}
}

func TestFaultProxy_holdBefore(t *testing.T) {
	e, p, api := proxied(t)
	giveUp(t, p, api, Rule{Action: rdclient.ActionListMessageContacts, HoldBefore: time.Minute},
		"ListMessageContacts held; the client gave up, not forwarded")
	checkCalls(t, e, ExpectNoCalls)

	// A hold shorter than the client's patience only delays the call.
	p.Arm(Rule{Action: rdclient.ActionListMessageContacts, HoldBefore: time.Millisecond})()
	if err := listContacts(context.Background(), api); err != nil {
		t.Fatal(err)
	}
	checkCalls(t, e, CountCalls(rdclient.ActionListMessageContacts, "", 1))
}

func TestFaultProxy_holdAfter(t *testing.T) {
	e, p, api := proxied(t)
	giveUp(t, p, api, Rule{Action: rdclient.ActionListMessageContacts, HoldAfter: time.Minute},
		"ListMessageContacts forwarded (HTTP 200), answer held; the client gave up")
	checkCalls(t, e, CountCalls(rdclient.ActionListMessageContacts, "", 1))
}

func TestFaultProxy_replayFirst(t *testing.T) {
	e, p, api := proxied(t)
	ctx := context.Background()
	if err := listContacts(ctx, api); err != nil {
		t.Fatal(err)
	}
	p.Arm(Rule{ReplayFirst: true})()
	if _, err := api.GetMessageContact(ctx, "c-000000000001"); err == nil || !strings.Contains(err.Error(), "SignatureNonceUsed") {
		t.Fatalf("the replayed request: got %v, want SignatureNonceUsed", err)
	}
	// The rule acts once: the next request goes through as it is.
	if err := listContacts(ctx, api); err != nil {
		t.Fatal(err)
	}
	checkCalls(t, e, ExpectCalls([]string{
		rdclient.ActionListMessageContacts, rdclient.ActionListMessageContacts + "(SignatureNonceUsed)", rdclient.ActionListMessageContacts,
	}))
	if err := p.ExpectEvents("GetMessageContact replaced by the first request received (ListMessageContacts): same nonce, same signature")(nil); err != nil {
		t.Error(err)
	}
}

func TestRuleCheck(t *testing.T) {
	bad := []Rule{
		{Action: rdclient.ActionListMessageContacts},
		{Drop: true, ReplayFirst: true},
		{Fail: &APIError{}, HoldAfter: time.Second},
		{Drop: true, Nth: -1},
		{Drop: true, Times: -1},
	}
	for _, r := range bad {
		if err := r.check(); err == nil {
			t.Errorf("%+v: no error", r)
		}
	}
	for _, r := range []Rule{{Drop: true}, {HoldBefore: time.Second, Nth: 3, Times: 2}, {ReplayFirst: true}} {
		if err := r.check(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
}

func TestFaultProxy_providerBlock(t *testing.T) {
	_, upstream := testEmulator(t)
	p := NewFaultProxy(t, upstream)
	if got, want := p.Config("# rest\n"), ProviderBlock(p.URL, AccessKeyID, AccessKeySecret, "")+"# rest\n"; got != want {
		t.Errorf("Config:\n got %s\nwant %s", got, want)
	}
	if got, want := p.ProviderBlockWith("  max_retries = 0"), ProviderBlock(p.URL, AccessKeyID, AccessKeySecret, "  max_retries = 0"); got != want {
		t.Errorf("ProviderBlockWith:\n got %s\nwant %s", got, want)
	}
}

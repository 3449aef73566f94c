package acctest

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// testEmulator starts an emulator that accepts the acceptance-test key pair
// and returns it with its URL.
func testEmulator(t *testing.T) (*emulator.Emulator, string) {
	t.Helper()
	e := emulator.New(emulator.Config{
		KeyPairs: []emulator.KeyPair{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}},
		Seed:     1,
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return e, srv.URL
}

// testClient is an API client of endpoint that signs with the
// acceptance-test key pair and does not retry.
func testClient(t *testing.T, endpoint string) rdclient.API {
	t.Helper()
	c, err := rdclient.New(rdclient.Config{
		Endpoint:   endpoint,
		RegionID:   "cn-shanghai",
		Credential: credentials.NewAccessKeyCredential(AccessKeyID, AccessKeySecret),
		MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCallChecks(t *testing.T) {
	e, url := testEmulator(t)
	if err := ExpectNoCalls(e); err != nil {
		t.Errorf("ExpectNoCalls before any call: %v", err)
	}
	if err := ExpectCalls()(e); err != nil {
		t.Errorf("ExpectCalls() before any call: %v", err)
	}

	api := testClient(t, url)
	ctx := context.Background()
	if _, err := api.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{PageNumber: 1, PageSize: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetMessageContact(ctx, "c-000000000000"); err == nil {
		t.Fatal("getting a contact that does not exist succeeded")
	}
	if _, err := api.GetMessageContact(ctx, "c-000000000001"); err == nil {
		t.Fatal("getting a contact that does not exist succeeded")
	}
	notFound := rdclient.ActionGetMessageContact + "(" + rdclient.CodeContactNotFound + ")"

	if got, want := strings.Join(CallList(e), " "), rdclient.ActionListMessageContacts+" "+notFound+" "+notFound; got != want {
		t.Errorf("CallList: got %s, want %s", got, want)
	}

	pass := []struct {
		name  string
		check func(*emulator.Emulator) error
	}{
		{"CountCalls of successes", CountCalls(rdclient.ActionListMessageContacts, "", 1)},
		{"CountCalls of a code", CountCalls(rdclient.ActionGetMessageContact, rdclient.CodeContactNotFound, 2)},
		{"CountCalls of any outcome", CountCalls(rdclient.ActionGetMessageContact, AnyCode, 2)},
		{"CountCalls of any action", CountCalls(AnyAction, AnyCode, 3)},
		{"CountCalls of a code of any action", CountCalls(AnyAction, rdclient.CodeContactNotFound, 2)},
		{"CountCalls of none", CountCalls(rdclient.ActionGetMessageContact, "", 0)},
		{"ExpectCalls in one group", ExpectCalls([]string{rdclient.ActionListMessageContacts, notFound, notFound})},
		{"ExpectCalls in groups", ExpectCalls([]string{rdclient.ActionListMessageContacts}, []string{notFound, notFound})},
	}
	for _, c := range pass {
		if err := c.check(e); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	fail := []struct {
		name  string
		check func(*emulator.Emulator) error
	}{
		{"CountCalls, one too many", CountCalls(rdclient.ActionListMessageContacts, "", 2)},
		{"CountCalls, one too few", CountCalls(rdclient.ActionGetMessageContact, AnyCode, 1)},
		{"CountCalls, successes only", CountCalls(rdclient.ActionGetMessageContact, "", 2)},
		{"CountCalls, another code", CountCalls(rdclient.ActionGetMessageContact, rdclient.CodeThrottlingUser, 2)},
		{"ExpectCalls without codes", ExpectCalls([]string{rdclient.ActionListMessageContacts, rdclient.ActionGetMessageContact, rdclient.ActionGetMessageContact})},
		{"ExpectCalls, a call missing", ExpectCalls([]string{rdclient.ActionListMessageContacts, notFound})},
		{"ExpectCalls, in another order", ExpectCalls([]string{notFound, rdclient.ActionListMessageContacts, notFound})},
		{"ExpectNoCalls", ExpectNoCalls},
	}
	for _, c := range fail {
		if err := c.check(e); err == nil {
			t.Errorf("%s: passed, want an error", c.name)
		}
	}

	if err := ResetCalls(e); err != nil {
		t.Fatal(err)
	}
	if err := ExpectNoCalls(e); err != nil {
		t.Errorf("ExpectNoCalls after ResetCalls: %v", err)
	}
	if err := CountCalls(AnyAction, AnyCode, 0)(e); err != nil {
		t.Errorf("CountCalls after ResetCalls: %v", err)
	}
}

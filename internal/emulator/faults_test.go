package emulator

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/google/go-cmp/cmp"
)

func TestFaultThrottleAndErrors(t *testing.T) {
	v := newEnv(t, Config{Seed: 7})
	v.emu.SetFaults(Faults{ThrottleRate: 1})
	_, err := v.call("AddMessageContact", map[string]string{"Name": "Alice", "EmailAddress": "a@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"})
	se := mustServerError(t, err, 400, "Throttling.User")
	if se.Message() != "Request was denied due to user flow control." {
		t.Errorf("message %q", se.Message())
	}
	if len(v.emu.Contacts()) != 0 {
		t.Fatal("a throttled call was applied")
	}
	// Faults apply only after authentication.
	bad, err := newKeyClient(testKeyID, "wrong")
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.callWith(bad, "POST", "ListMessageContacts", nil, nil)
	serverError(t, err, 400, "SignatureDoesNotMatch")

	v.emu.SetFaults(Faults{ErrorRate: 1})
	codes := map[string]int{}
	for i := 0; i < 30; i++ {
		_, err := v.call("ListMessageContacts", nil)
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) {
			t.Fatalf("want server error, got %v", err)
		}
		codes[fmt.Sprintf("%d %s", se.HttpStatus(), se.ErrorCode())]++
	}
	if codes["503 ServiceUnavailable"] == 0 || codes["500 InternalError"] == 0 || len(codes) != 2 {
		t.Fatalf("5xx mix: %v", codes)
	}

	// The Actions filter.
	v.emu.SetFaults(Faults{ThrottleRate: 1, Actions: []string{"AddMessageContact"}})
	if _, err := v.call("ListMessageContacts", nil); err != nil {
		t.Fatalf("unfiltered action faulted: %v", err)
	}
	_, err = v.call("AddMessageContact", map[string]string{"Name": "Alice", "EmailAddress": "a@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"})
	serverError(t, err, 400, "Throttling.User")

	v.emu.SetFaults(Faults{})
	if _, err := v.call("ListMessageContacts", nil); err != nil {
		t.Fatal(err)
	}
}

func TestFaultsReproducible(t *testing.T) {
	outcomes := func(seed int64) []string {
		v := newEnv(t, Config{Seed: seed})
		v.emu.SetFaults(Faults{ThrottleRate: 0.3, ErrorRate: 0.2})
		var out []string
		for i := 0; i < 40; i++ {
			_, err := v.call("ListMessageContacts", nil)
			var se *sdkerrors.ServerError
			if errors.As(err, &se) {
				out = append(out, se.ErrorCode())
			} else {
				out = append(out, "ok")
			}
		}
		return out
	}
	a, b := outcomes(11), outcomes(11)
	if d := cmp.Diff(a, b); d != "" {
		t.Fatalf("same seed, different faults:\n%s", d)
	}
	if cmp.Equal(a, outcomes(12)) {
		t.Error("different seeds gave the same faults")
	}
	seen := map[string]bool{}
	for _, o := range a {
		seen[o] = true
	}
	if !seen["ok"] || !seen["Throttling.User"] {
		t.Errorf("outcomes %v", a)
	}
}

func TestFaultLatency(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.SetFaults(Faults{Latency: 80 * time.Millisecond, LatencyJitter: 20 * time.Millisecond})
	start := time.Now()
	if _, err := v.call("ListMessageContacts", nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("latency not applied: %v", d)
	}

	// A client that gives up cancels the request: nothing is applied.
	v.emu.SetFaults(Faults{Latency: 5 * time.Second})
	req := v.newRequest("POST", "AddMessageContact")
	for k, val := range map[string]string{"Name": "Alice", "EmailAddress": "a@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"} {
		req.FormParams[k] = val
	}
	req.SetReadTimeout(100 * time.Millisecond)
	start = time.Now()
	if _, err := v.client.ProcessCommonRequest(req); err == nil {
		t.Fatal("want a timeout")
	}
	deadline := time.Now().Add(3 * time.Second)
	for v.emu.CountCalls("AddMessageContact") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the cancelled request was not recorded")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatal("the handler did not honour cancellation")
	}
	calls := v.emu.Calls()
	if last := calls[len(calls)-1]; last.Status != 499 {
		t.Fatalf("cancelled call recorded as %+v", last)
	}
	if len(v.emu.Contacts()) != 0 {
		t.Fatal("a cancelled call was applied")
	}
}

func TestFaultDroppedResponse(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.SetFaults(Faults{DropRate: 1, Actions: []string{"AddMessageContact"}})
	_, err := v.call("AddMessageContact", map[string]string{"Name": "Alice", "EmailAddress": "a@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"})
	if err == nil {
		t.Fatal("want a transport error")
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		t.Fatalf("want a transport error, got a server answer %v", se)
	}
	cs := v.emu.Contacts()
	if len(cs) != 1 || cs[0].Name != "Alice" {
		t.Fatalf("the change was not applied: %+v", cs)
	}
	calls := v.emu.Calls()
	if last := calls[len(calls)-1]; !last.Dropped || last.Status != 200 {
		t.Fatalf("dropped call recorded as %+v", last)
	}
	// Failed calls are answered, not dropped.
	_, err = v.call("AddMessageContact", map[string]string{"Name": "Alice", "EmailAddress": "a@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage"})
	serverError(t, err, 400, "InvalidParameter.Name.AlreadyUsed")
	// Other actions are not affected.
	v.mustCall("GetMessageContact", map[string]string{"ContactId": cs[0].ContactID})
}

func TestAdminPaths(t *testing.T) {
	v := newEnv(t, Config{})
	id := v.addContact("Alice", "alice@example.com", "86-13912341234")
	post := func(path string, body string) (int, string) {
		resp, err := http.Post(v.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(v.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := post("/_emulator/verify?ContactId="+id+"&Target=alice%40example.com", ""); st != 200 || !strings.Contains(body, `"Status":"Verifying"`) {
		t.Fatalf("verify: %d %s", st, body)
	}
	if st, body := post("/_emulator/verify?ContactId="+id+"&Target=alice%40example.com", ""); st != 404 {
		t.Fatalf("verify twice: %d %s", st, body)
	}
	if st, _ := post("/_emulator/verify?ContactId=c-000000000000&Target=x", ""); st != 404 {
		t.Fatalf("verify on missing contact: %d", st)
	}
	if st, body := post("/_emulator/cancel?ContactId="+id+"&Target=86-13912341234", ""); st != 200 || !strings.Contains(body, `"Status":"Active"`) {
		t.Fatalf("cancel: %d %s", st, body)
	}
	if st, _ := get("/_emulator/verify?ContactId=" + id); st != 405 {
		t.Fatalf("GET verify: %d", st)
	}
	if st, _ := get("/_emulator/nothing"); st != 404 {
		t.Fatalf("unknown admin path: %d", st)
	}
	if st, body := get("/_emulator/contacts"); st != 200 || !strings.Contains(body, id) {
		t.Fatalf("contacts: %d %s", st, body)
	}

	if st, body := post("/_emulator/faults", `{"ThrottleRate":1,"Latency":"1ms","Actions":["ListMessageContacts"]}`); st != 200 {
		t.Fatalf("faults: %d %s", st, body)
	}
	_, err := v.call("ListMessageContacts", nil)
	serverError(t, err, 400, "Throttling.User")
	if st, _ := post("/_emulator/faults", `{"ThrottleRate":2}`); st != 400 {
		t.Fatal("rate > 1 accepted")
	}
	if st, _ := post("/_emulator/faults", `{"Bogus":1}`); st != 400 {
		t.Fatal("unknown field accepted")
	}
	if st, _ := post("/_emulator/faults", `{"Latency":1000000}`); st != 200 {
		t.Fatal("nanosecond latency rejected")
	}
	post("/_emulator/faults", `{}`)

	st, body := get("/_emulator/calls")
	if st != 200 {
		t.Fatalf("calls: %d", st)
	}
	var lines []Call
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		var c Call
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, c)
	}
	want := []struct {
		action string
		status int
		code   string
	}{{"AddMessageContact", 200, ""}, {"ListMessageContacts", 400, "Throttling.User"}}
	if len(lines) != len(want) {
		t.Fatalf("calls %+v", lines)
	}
	for i, w := range want {
		if lines[i].Action != w.action || lines[i].Status != w.status || lines[i].Code != w.code {
			t.Errorf("call %d = %+v", i, lines[i])
		}
	}
	if !strings.Contains(body, `"action":"AddMessageContact","code":"","status":200`) {
		t.Errorf("calls line shape: %s", body)
	}

	if st, _ := post("/_emulator/delete?ContactId="+id, ""); st != 200 {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := post("/_emulator/delete?ContactId="+id, ""); st != 404 {
		t.Fatalf("delete twice: %d", st)
	}
	if v.emu.CountCalls("AddMessageContact") != 1 {
		t.Error("admin calls must not be recorded")
	}
	v.emu.ResetCalls()
	if len(v.emu.Calls()) != 0 || v.emu.CountCalls("AddMessageContact") != 0 {
		t.Error("ResetCalls")
	}
}

func TestCallsAndLogsCarryNoCredentials(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	v := newEnv(t, Config{
		STSTokens: []STSToken{{AccessKeyID: testSTSKeyID, AccessKeySecret: testSTSSecret, SecurityToken: testSTSToken}},
		KeyPairs:  []KeyPair{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
		Logf: func(format string, args ...any) {
			mu.Lock()
			lines = append(lines, fmt.Sprintf(format, args...))
			mu.Unlock()
		},
	})
	v.addContact("Alice", "alice@example.com", "")
	sts, err := newSTSClient(testSTSKeyID, testSTSSecret, testSTSToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.callWith(sts, "POST", "ListMessageContacts", map[string]string{"PageSize": "5"}, nil); err != nil {
		t.Fatal(err)
	}
	v.expectErr("GetMessageContact", map[string]string{"ContactId": "c-000000000000"}, 404, "EntityNotExists.Contact")
	bad, err := newKeyClient(testKeyID, "wrong-secret")
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.callWith(bad, "POST", "ListMessageContacts", nil, nil)
	serverError(t, err, 400, "SignatureDoesNotMatch")

	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"action=AddMessageContact status=200 code=",
		"action=ListMessageContacts status=200 code=",
		"action=GetMessageContact status=404 code=EntityNotExists.Contact",
		"action=ListMessageContacts status=400 code=SignatureDoesNotMatch",
	}
	if d := cmp.Diff(want, lines); d != "" {
		t.Fatalf("log lines (-want +got):\n%s", d)
	}
	calls := v.emu.Calls()
	if d := cmp.Diff(map[string]string{"PageSize": "5"}, calls[1].Params); d != "" {
		t.Errorf("recorded params (-want +got):\n%s", d)
	}
	blob, _ := json.Marshal(calls)
	for _, secret := range []string{testSecret, testSTSSecret, testSTSToken, testKeyID, testSTSKeyID, "wrong-secret", "SignatureNonce", "Timestamp"} {
		if strings.Contains(string(blob), secret) || strings.Contains(strings.Join(lines, "\n"), secret) {
			t.Errorf("%q recorded", secret)
		}
	}
}

func TestDeterministicIDs(t *testing.T) {
	names := []string{"Alice", "Bob", "Carol", "Dave", "Eve", "Frank", "Grace", "Heidi", "张三", "李四"}
	run := func(seed int64, order []int, concurrent bool) (map[string]string, map[string]bool) {
		v := newEnv(t, Config{Seed: seed})
		ids := map[string]string{}
		reqIDs := map[string]bool{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, i := range order {
			add := func(name string) {
				defer wg.Done()
				// add may run on its own goroutine: it reports with t.Error,
				// never t.Fatal.
				c, err := newKeyClient(testKeyID, testSecret)
				if err != nil {
					t.Error(err)
					return
				}
				out, err := v.callWith(c, "POST", "AddMessageContact", nil, map[string]string{
					"Name": name, "EmailAddress": "x@example.com", "Title": "CEO", "MessageTypes.1": "FaultMessage",
				})
				if err != nil {
					t.Error(err)
					return
				}
				id, err := lookup[string](out, "Contact", "ContactId")
				if err != nil {
					t.Errorf("AddMessageContact: %v in %v", err, out)
					return
				}
				// The same read twice gets two RequestIds, both deterministic.
				g1, err1 := v.callWith(c, "POST", "GetMessageContact", nil, map[string]string{"ContactId": id})
				g2, err2 := v.callWith(c, "GET", "GetMessageContact", map[string]string{"ContactId": id}, nil)
				if err1 != nil || err2 != nil || g1["RequestId"] == g2["RequestId"] {
					t.Errorf("repeated Get: %v %v %v %v", g1["RequestId"], g2["RequestId"], err1, err2)
				}
				var rids []string
				for _, answer := range []map[string]any{out, g1, g2} {
					rid, err := lookup[string](answer, "RequestId")
					if err != nil {
						t.Errorf("%v in %v", err, answer)
						return
					}
					rids = append(rids, rid)
				}
				mu.Lock()
				ids[name] = id
				for _, rid := range rids {
					reqIDs[rid] = true
				}
				mu.Unlock()
			}
			wg.Add(1)
			if concurrent {
				go add(names[i])
			} else {
				add(names[i])
			}
		}
		wg.Wait()
		return ids, reqIDs
	}
	seq := make([]int, len(names))
	for i := range seq {
		seq[i] = i
	}
	shuffled := rand.New(rand.NewSource(3)).Perm(len(names))
	ids1, req1 := run(42, seq, false)
	ids2, req2 := run(42, shuffled, true)
	if d := cmp.Diff(ids1, ids2); d != "" {
		t.Fatalf("contact IDs differ (-seq +concurrent):\n%s", d)
	}
	if d := cmp.Diff(req1, req2); d != "" {
		t.Fatalf("RequestIds differ (-seq +concurrent):\n%s", d)
	}
	ids3, req3 := run(43, seq, false)
	for n := range ids1 {
		if ids1[n] == ids3[n] {
			t.Errorf("seed does not change the ID of %s", n)
		}
	}
	if cmp.Equal(req1, req3) {
		t.Error("seed does not change RequestIds")
	}
	for rid := range req1 {
		if len(rid) != 36 || strings.ToUpper(rid) != rid || strings.Count(rid, "-") != 4 {
			t.Errorf("RequestId %q is not an uppercase UUID", rid)
		}
	}
	for n, id := range ids1 {
		if !validContactID(id) {
			t.Errorf("%s: ID %q", n, id)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	v := newEnv(t, Config{MaxContacts: 100, Seed: 1})
	v.emu.SetFaults(Faults{ThrottleRate: 0.05, ErrorRate: 0.05})
	const workers, rounds = 8, 12
	var wg sync.WaitGroup
	stop := make(chan struct{})
	// Readers and hook users in parallel with API clients.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, c := range v.emu.Contacts() {
				if c.PendingEmailAddress != "" {
					_ = v.emu.Verify(c.ContactID, c.PendingEmailAddress)
				}
			}
			_ = v.emu.Calls()
			_ = v.emu.CountCalls("AddMessageContact")
			time.Sleep(time.Millisecond)
		}
	}()
	var workersWG sync.WaitGroup
	for w := 0; w < workers; w++ {
		workersWG.Add(1)
		go func(w int) {
			defer workersWG.Done()
			c, err := newKeyClient(testKeyID, testSecret)
			if err != nil {
				t.Error(err)
				return
			}
			for r := 0; r < rounds; r++ {
				name := "W" + string(rune('a'+w)) + "R" + string(rune('a'+r))
				out, err := v.callWith(c, "POST", "AddMessageContact", nil, map[string]string{
					"Name": name, "EmailAddress": "w@example.com", "PhoneNumber": "86-13912341234", "Title": "CEO", "MessageTypes.1": "FaultMessage",
				})
				if err != nil {
					continue // injected faults
				}
				id, err := lookup[string](out, "Contact", "ContactId")
				if err != nil {
					t.Errorf("AddMessageContact: %v in %v", err, out)
					return
				}
				_, _ = v.callWith(c, "POST", "UpdateMessageContact", nil, map[string]string{"ContactId": id, "EmailAddress": "z@example.com"})
				_, _ = v.callWith(c, "POST", "GetMessageContact", nil, map[string]string{"ContactId": id})
				_, _ = v.callWith(c, "GET", "ListMessageContacts", map[string]string{"PageSize": "50"}, nil)
				_, _ = v.callWith(c, "POST", "AssociateMembers", nil, map[string]string{"ContactId": id, "Members.1": "rd-x"})
				_, _ = v.callWith(c, "POST", "CancelMessageContactUpdate", nil, map[string]string{"ContactId": id, "PhoneNumber": "86-13912341234"})
				if r%3 == 0 {
					_, _ = v.callWith(c, "POST", "DeleteMessageContact", nil, map[string]string{"ContactId": id, "RetainContactInMembers": "false"})
				}
			}
		}(w)
	}
	workersWG.Wait()
	close(stop)
	wg.Wait()
	v.emu.SetFaults(Faults{})
	for _, c := range v.emu.Contacts() {
		pending := c.PendingEmailAddress != "" || c.PendingPhoneNumber != ""
		switch {
		case c.Status == StatusDeleting && pending,
			c.Status == StatusVerifying && !pending,
			c.Status == StatusActive && pending:
			t.Errorf("inconsistent contact %+v", c)
		}
	}
	for _, call := range v.emu.Calls() {
		if call.Status >= 500 && call.Code != "InternalError" && call.Code != "ServiceUnavailable" {
			t.Errorf("unexpected 5xx %+v", call)
		}
	}
}

func TestNonceCacheIsBounded(t *testing.T) {
	clock := newFakeClock()
	e := New(Config{Now: clock.Now})
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := 0; i < 5000; i++ {
		e.rememberNonce(fmt.Sprint("k", i), clock.Now())
	}
	e.pruneNonces(clock.Now())
	if len(e.nonces) != 5000 {
		t.Fatalf("pruned too early: %d", len(e.nonces))
	}
	clock.Advance(timestampWindow + time.Second)
	e.rememberNonce("fresh", clock.Now())
	e.pruneNonces(clock.Now())
	if len(e.nonces) != 1 || len(e.nonceQueue)-e.nonceHead != 1 {
		t.Fatalf("after the window: %d nonces, %d queued", len(e.nonces), len(e.nonceQueue)-e.nonceHead)
	}
	for i := 0; i < maxNonces+100; i++ {
		e.rememberNonce(fmt.Sprint("n", i), clock.Now())
		if i%1000 == 0 {
			e.pruneNonces(clock.Now())
		}
	}
	e.pruneNonces(clock.Now())
	if len(e.nonces) > maxNonces || len(e.nonceQueue) > 2*maxNonces+2048 {
		t.Fatalf("cache unbounded: %d nonces, queue %d", len(e.nonces), len(e.nonceQueue))
	}
}

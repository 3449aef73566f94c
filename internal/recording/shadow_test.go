package recording

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// orderedUpstream answers every call with how many calls it served before
// it, so its answers depend on the order of the calls, as a real server's
// answers depend on its state.
type orderedUpstream struct {
	mu     sync.Mutex
	served int
	admin  int
}

func (u *orderedUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if isAdminPath(r.URL.Path) {
		u.admin++
		_, _ = w.Write([]byte(`{"shadow":true}`))
		return
	}
	params, _, err := requestParams(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	u.served++
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"RequestId": params.Get("Action") + "-" + strings.Repeat("x", u.served),
		"Action":    params.Get("Action"),
		"Before":    u.served - 1,
	})
}

var (
	shadowFirst  = apiCall{"GetMessageContact", []string{"ContactId", "c-qL4HqKONzOM7"}}
	shadowSecond = apiCall{"ListMessageContacts", nil}
)

// recordOrdered records calls against an orderedUpstream.
func recordOrdered(t *testing.T, calls ...apiCall) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ordered.yaml")
	rec := NewRecorder(&orderedUpstream{})
	srv := httptest.NewServer(rec)
	defer srv.Close()
	run(t, srv.URL, calls)
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func replayWithShadow(t *testing.T, path string, shadow http.Handler, calls ...apiCall) *Replayer {
	t.Helper()
	p, url := replayServer(t, path)
	if shadow != nil {
		p.SetShadow(shadow)
	}
	run(t, url, calls)
	return p
}

func TestShadowAgreesInRecordedOrder(t *testing.T) {
	path := recordOrdered(t, shadowFirst, shadowSecond)
	shadow := &orderedUpstream{}
	p := replayWithShadow(t, path, shadow, shadowFirst, shadowSecond)
	if err := p.Err(); err != nil {
		t.Fatalf("replay in the recorded order: %v", err)
	}
	if shadow.served != 2 {
		t.Errorf("shadow served %d calls, want 2", shadow.served)
	}
}

func TestShadowCatchesAnotherOrder(t *testing.T) {
	path := recordOrdered(t, shadowFirst, shadowSecond)

	// Without a shadow the replay matches calls in any order.
	if err := replayWithShadow(t, path, nil, shadowSecond, shadowFirst).Err(); err != nil {
		t.Fatalf("replay without a shadow: %v", err)
	}

	p := replayWithShadow(t, path, &orderedUpstream{}, shadowSecond, shadowFirst)
	if got := len(p.Diverged()); got != 2 {
		t.Errorf("Diverged() has %d entries, want 2: %q", got, p.Diverged())
	}
	err := p.Err()
	if err == nil {
		t.Fatal("replay in another order with a shadow: Err() = nil, want the divergence")
	}
	for _, want := range []string{
		"2 answer(s) the emulator now gives differently (a call made in another order, or after other calls)",
		"answered differently: Action=ListMessageContacts: the emulator answers HTTP 200",
		`"Before":0`, `"Before":1`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err() does not contain %q:\n%v", want, err)
		}
	}
}

func TestShadowServesAdminPaths(t *testing.T) {
	path := recordOrdered(t, shadowFirst)
	shadow := &orderedUpstream{}
	p, url := replayServer(t, path)
	p.SetShadow(shadow)
	resp, err := http.Post(url+"/_emulator/verify?ContactId=c-1", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(body) != `{"shadow":true}` || shadow.admin != 1 {
		t.Errorf("admin path: body %q, shadow admin calls %d; want the shadow's answer", body, shadow.admin)
	}
}

func TestRecordedInProcess(t *testing.T) {
	p, _ := replayServer(t, recordOrdered(t, shadowFirst))
	if !p.RecordedInProcess() {
		t.Error("RecordedInProcess() = false for a cassette recorded in-process")
	}
	p.entries[0].interaction.Request.Host = "resourcedirectory.aliyuncs.com"
	if p.RecordedInProcess() {
		t.Error("RecordedInProcess() = true for a cassette recorded against a real endpoint")
	}
}

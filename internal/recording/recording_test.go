package recording

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

const (
	testKeyID  = "LTAI5tRecordingTestKey"
	testSecret = "recordingTestSecretValue0001"
)

var testKeys = []KeyPair{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}}

// fakeUpstream is a deterministic stand-in for the API: it verifies
// signatures, answers every call with a body derived from the call's match
// key and how often that key was called, and drops the connection for the
// Actions "Drop" (hijack) and "Abort" (panic with http.ErrAbortHandler).
type fakeUpstream struct {
	mu    sync.Mutex
	calls map[string]int
}

func newFakeUpstream() *fakeUpstream { return &fakeUpstream{calls: map[string]int{}} }

func (f *fakeUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_emulator/verify" {
		_, _ = w.Write([]byte("verified " + r.URL.Query().Get("ContactId")))
		return
	}
	params, _, err := requestParams(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if params.Get("AccessKeyId") != testKeyID {
		writeFakeError(w, http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
		return
	}
	sts := emulator.StringToSign(r.Method, params)
	if emulator.Sign(sts, testSecret) != params.Get("Signature") {
		writeFakeError(w, http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:"+sts)
		return
	}
	key := MatchKey(params)
	f.mu.Lock()
	n := f.calls[key]
	f.calls[key]++
	f.mu.Unlock()

	switch params.Get("Action") {
	case "Drop":
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, fmt.Sprintf("fakeUpstream: a %T cannot drop the connection", w), http.StatusInternalServerError)
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	case "Abort":
		panic(http.ErrAbortHandler)
	}
	sum := sha256.Sum256([]byte(key))
	requestID := fmt.Sprintf("%s-%d", hex.EncodeToString(sum[:8]), n)
	body := map[string]any{
		"RequestId": requestID,
		"Action":    params.Get("Action"),
		"Call":      n,
		"Echo":      Describe(params),
		"Host":      r.Host,
	}
	if params.Get("Action") == "EchoNonce" {
		body["Nonce"] = params.Get("SignatureNonce")
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("X-Acs-Request-Id", requestID)
	_ = json.NewEncoder(w).Encode(body)
}

func writeFakeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"RequestId": "F00D-0000", "HostId": "rd.test", "Code": code, "Message": msg,
		"Recommend": "https://api.alibabacloud.com/troubleshoot?q=" + code,
	})
}

// call sends one signed RPC request through the SDK. Parameters whose name
// starts with "?" go in the query string, the others in the form body.
func call(t testing.TB, endpoint, keyID, secret, action string, params ...string) (int, string, error) {
	t.Helper()
	client, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewAccessKeyCredential(keyID, secret))
	if err != nil {
		t.Fatal(err)
	}
	req := requests.NewCommonRequest()
	req.Method = requests.POST
	req.Scheme = "http"
	req.Domain = strings.TrimPrefix(endpoint, "http://")
	req.Product = "ResourceDirectoryMaster"
	req.Version = "2022-04-19"
	req.ApiName = action
	req.SetConnectTimeout(5 * time.Second)
	req.SetReadTimeout(10 * time.Second)
	for i := 0; i+1 < len(params); i += 2 {
		if name, ok := strings.CutPrefix(params[i], "?"); ok {
			req.QueryParams[name] = params[i+1]
		} else {
			req.FormParams[params[i]] = params[i+1]
		}
	}
	resp, err := client.ProcessCommonRequest(req)
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		msg := se.ErrorCode() + ": " + se.Message()
		if strings.HasPrefix(se.Recommend(), "InvalidAccessKeySecret") {
			msg += " [" + se.Recommend() + "]"
		}
		return se.HttpStatus(), msg, nil
	}
	if err != nil {
		return 0, "", err
	}
	return resp.GetHttpStatus(), resp.GetHttpContentString(), nil
}

type apiCall struct {
	action string
	params []string
}

type result struct {
	status int
	body   string
	err    bool
}

func run(t testing.TB, endpoint string, calls []apiCall) []result {
	t.Helper()
	var out []result
	for _, c := range calls {
		status, body, err := call(t, endpoint, testKeyID, testSecret, c.action, c.params...)
		out = append(out, result{status: status, body: body, err: err != nil})
	}
	return out
}

// record runs calls through a Recorder in front of a fresh fake upstream and
// saves the cassette at path.
func record(t testing.TB, path string, calls []apiCall) []result {
	t.Helper()
	rec := NewRecorder(newFakeUpstream())
	srv := httptest.NewServer(rec)
	defer srv.Close()
	res := run(t, srv.URL, calls)
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	return res
}

func replayServer(t testing.TB, path string) (*Replayer, string) {
	t.Helper()
	p, err := LoadReplayer(path, testKeys)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL
}

var scenario = []apiCall{
	{"AddMessageContact", []string{"Name", "Alice", "EmailAddress", "a@example.com", "Title", "CEO",
		"MessageTypes.1", "ServiceMessage", "MessageTypes.2", "FaultMessage", "MessageTypes.3", "AccountExpenses"}},
	{"GetMessageContact", []string{"?ContactId", "c-qL4HqKONzOM7"}},
	{"GetMessageContact", []string{"ContactId", "c-qL4HqKONzOM7"}},
	{"AssociateMembers", []string{"ContactId", "c-qL4HqKONzOM7", "Members.1", "rd-a", "Members.2", "rd-b"}},
	{"UpdateMessageContact", []string{"ContactId", "c-qL4HqKONzOM7", "Name", "Alice Smith"}},
	{"GetMessageContact", []string{"ContactId", "c-qL4HqKONzOM7"}},
}

func TestRecordThenReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "TestRecordThenReplay.yaml")
	recorded := record(t, path, scenario)
	for i, r := range recorded {
		if r.err || r.status != http.StatusOK {
			t.Fatalf("recording call %d: %+v", i, r)
		}
	}
	// Repeated identical calls got different answers while recording.
	if recorded[1].body == recorded[2].body || !strings.Contains(recorded[5].body, `"Call":2`) {
		t.Fatalf("fake upstream did not count calls: %q %q %q", recorded[1].body, recorded[2].body, recorded[5].body)
	}

	p, url := replayServer(t, path)
	// Same calls, with set arrays in another order: same answers, in the
	// recorded order for the repeated GetMessageContact.
	again := []apiCall{
		{"AddMessageContact", []string{"Title", "CEO", "EmailAddress", "a@example.com", "Name", "Alice",
			"MessageTypes.1", "AccountExpenses", "MessageTypes.2", "ServiceMessage", "MessageTypes.3", "FaultMessage"}},
		scenario[1], scenario[2],
		{"AssociateMembers", []string{"ContactId", "c-qL4HqKONzOM7", "?Members.1", "rd-b", "Members.2", "rd-a"}},
		scenario[4], scenario[5],
	}
	replayed := run(t, url, again)
	if diff := cmp.Diff(recorded, replayed, cmp.AllowUnexported(result{})); diff != "" {
		t.Errorf("replayed answers differ (-recorded +replayed):\n%s", diff)
	}
	if err := p.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
}

func TestReplayRepeatedRequestsInRecordedOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	get := apiCall{"GetMessageContact", []string{"ContactId", "c-1"}}
	calls := []apiCall{get, get, get}
	recorded := record(t, path, calls)
	p, url := replayServer(t, path)
	replayed := run(t, url, calls)
	for i := range calls {
		if want := fmt.Sprintf(`"Call":%d`, i); !strings.Contains(replayed[i].body, want) {
			t.Errorf("replay %d = %q, want %s", i, replayed[i].body, want)
		}
	}
	if diff := cmp.Diff(recorded, replayed, cmp.AllowUnexported(result{})); diff != "" {
		t.Errorf("(-recorded +replayed):\n%s", diff)
	}
	if err := p.Err(); err != nil {
		t.Error(err)
	}
}

func TestReplayUnexpectedAndUnused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	record(t, path, []apiCall{
		{"UpdateMessageContact", []string{"ContactId", "c-1", "PhoneNumber", "86-13800000000"}},
		{"GetMessageContact", []string{"ContactId", "c-1"}},
		{"ListMessageContacts", nil},
	})
	p, url := replayServer(t, path)

	// A changed parameter, an extra call, and GetMessageContact never called.
	status, body, err := call(t, url, testKeyID, testSecret, "UpdateMessageContact",
		"ContactId", "c-1", "PhoneNumber", "86-13900000000")
	if err != nil || status != http.StatusInternalServerError || !strings.HasPrefix(body, "Replay.UnexpectedRequest: ") {
		t.Errorf("unexpected request answered %d %q %v, want 500 Replay.UnexpectedRequest", status, body, err)
	}
	for i := range 2 {
		status, _, err = call(t, url, testKeyID, testSecret, "ListMessageContacts")
		if want := []int{200, 500}[i]; err != nil || status != want {
			t.Errorf("ListMessageContacts #%d: %d %v, want %d", i+1, status, err, want)
		}
	}

	wantUnexpected := []string{
		"unexpected request: Action=UpdateMessageContact ContactId=c-1 PhoneNumber=86-13900000000; " +
			"closest recorded: Action=UpdateMessageContact ContactId=c-1 PhoneNumber=86-13800000000 (used 0 of 1)\n" +
			"    PhoneNumber: sent 86-13900000000, recorded 86-13800000000",
		"called more often than recorded: Action=ListMessageContacts (recorded 1, this is call 2)",
	}
	if diff := cmp.Diff(wantUnexpected, p.Unexpected()); diff != "" {
		t.Errorf("Unexpected() (-want +got):\n%s", diff)
	}
	wantUnused := []string{
		"recorded but never requested: Action=GetMessageContact ContactId=c-1 (interaction 0; used 0 of 1)",
		"recorded but never requested: Action=UpdateMessageContact ContactId=c-1 PhoneNumber=86-13800000000 (interaction 2; used 0 of 1)",
	}
	if diff := cmp.Diff(wantUnused, p.Unused()); diff != "" {
		t.Errorf("Unused() (-want +got):\n%s", diff)
	}
	wantErr := "replay of " + path + ": 2 unexpected request(s), 2 recorded interaction(s) never requested " +
		"(if the provider's API calls changed on purpose, run `make record` to refresh the cassette)\n  " +
		strings.Join(append(wantUnexpected, wantUnused...), "\n  ")
	if err := p.Err(); err == nil {
		t.Error("Err() = nil")
	} else if diff := cmp.Diff(wantErr, err.Error()); diff != "" {
		t.Errorf("Err() (-want +got):\n%s", diff)
	}
}

func TestReplayClosestFallsBackToAnyInteraction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	record(t, path, []apiCall{{"GetMessageContact", []string{"ContactId", "c-1"}}})
	p, url := replayServer(t, path)
	if status, _, err := call(t, url, testKeyID, testSecret, "DeleteMessageContact", "ContactId", "c-1"); err != nil || status != 500 {
		t.Fatalf("got %d %v", status, err)
	}
	want := []string{"unexpected request: Action=DeleteMessageContact ContactId=c-1; " +
		"closest recorded: Action=GetMessageContact ContactId=c-1 (used 0 of 1)\n" +
		"    Action: sent DeleteMessageContact, recorded GetMessageContact"}
	if diff := cmp.Diff(want, p.Unexpected()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReplayRejectsBadSignature(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	record(t, path, []apiCall{{"GetMessageContact", []string{"ContactId", "c-1"}}})
	p, url := replayServer(t, path)

	status, body, err := call(t, url, testKeyID, "wrong-secret", "GetMessageContact", "ContactId", "c-1")
	if err != nil || status != http.StatusBadRequest ||
		!strings.HasPrefix(body, "SignatureDoesNotMatch: Specified signature is not matched with our calculation. server string to sign is:POST&%2F&") {
		t.Errorf("bad signature answered %d %q %v", status, body, err)
	}
	status, body, err = call(t, url, "LTAI5tUnknownKey", testSecret, "GetMessageContact", "ContactId", "c-1")
	if err != nil || status != http.StatusNotFound || !strings.HasPrefix(body, "InvalidAccessKeyId.NotFound: ") {
		t.Errorf("unknown key answered %d %q %v", status, body, err)
	}
	if strings.Contains(body, testSecret) {
		t.Error("error text holds the secret")
	}
	got := p.Unexpected()
	if len(got) != 2 ||
		got[0] != "rejected request (SignatureDoesNotMatch: the signature does not match the configured secret of its AccessKeyId): Action=GetMessageContact ContactId=c-1" ||
		got[1] != "rejected request (InvalidAccessKeyId.NotFound: the AccessKeyId is not one of the configured keys): Action=GetMessageContact ContactId=c-1" {
		t.Errorf("Unexpected() = %q", got)
	}
	// The rejected requests did not use the recorded interaction.
	if status, _, err := call(t, url, testKeyID, testSecret, "GetMessageContact", "ContactId", "c-1"); err != nil || status != 200 {
		t.Errorf("good request after rejections: %d %v", status, err)
	}
	if len(p.Unused()) != 0 {
		t.Errorf("Unused() = %q", p.Unused())
	}
}

// A rejection the recording holds (a test of wrong credentials) replays as
// recorded.
func TestReplayRecordedRejection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec := NewRecorder(newFakeUpstream())
	srv := httptest.NewServer(rec)
	status, body, err := call(t, srv.URL, testKeyID, "wrong-secret", "GetMessageContact", "ContactId", "c-1")
	srv.Close()
	const wrongSecret = " [InvalidAccessKeySecret: Please check you AccessKeySecret]"
	if err != nil || status != 400 || !strings.HasPrefix(body, "SignatureDoesNotMatch: ") || !strings.HasSuffix(body, wrongSecret) {
		t.Fatalf("recording: %d %q %v", status, body, err)
	}
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	p, url := replayServer(t, path)
	status, body, err = call(t, url, testKeyID, "wrong-secret", "GetMessageContact", "ContactId", "c-1")
	// The SDK sees its own string to sign echoed, as it did while recording.
	if err != nil || status != 400 || !strings.HasPrefix(body, "SignatureDoesNotMatch: Specified signature is not matched with our calculation. server string to sign is:POST&%2F&") ||
		!strings.HasSuffix(body, wrongSecret) {
		t.Errorf("replay: %d %q %v", status, body, err)
	}
	if err := p.Err(); err != nil {
		t.Error(err)
	}
}

func TestLoadReplayerMissingCassette(t *testing.T) {
	path := filepath.Join(t.TempDir(), "TestMissing.yaml")
	_, err := LoadReplayer(path, testKeys)
	want := "cassette " + path + " does not exist: run `make record` to record it"
	if err == nil || err.Error() != want {
		t.Errorf("LoadReplayer error = %v, want %q", err, want)
	}
}

func TestLoadReplayerInvalidCassette(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("---\nversion: 1\ninteractions: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadReplayer(path, testKeys); err == nil || !strings.Contains(err.Error(), "make record") {
		t.Errorf("error = %v", err)
	}
}

// Re-recording the same calls, arriving concurrently in different orders,
// gives a byte-identical cassette.
func TestRecordIsDeterministicAcrossArrivalOrders(t *testing.T) {
	var concurrent []apiCall
	for i := range 12 {
		concurrent = append(concurrent, apiCall{"GetMessageContact", []string{"ContactId", fmt.Sprintf("c-%02d", i)}})
		concurrent = append(concurrent, apiCall{"ListMessageContactVerifications", []string{"ContactId", fmt.Sprintf("c-%02d", i), "PageSize", "50"}})
	}
	concurrent = append(concurrent, apiCall{"AssociateMembers", []string{"ContactId", "c-x", "Members.1", "rd-2", "Members.2", "rd-1"}})
	repeated := apiCall{"ListMessageContacts", []string{"PageNumber", "1"}}

	recordShuffled := func(seed uint64, path string) {
		rec := NewRecorder(newFakeUpstream())
		srv := httptest.NewServer(rec)
		defer srv.Close()
		order := rand.New(rand.NewPCG(seed, seed)).Perm(len(concurrent))
		var wg sync.WaitGroup
		for _, i := range order {
			c := concurrent[i]
			if c.action == "AssociateMembers" && seed%2 == 1 {
				c.params = []string{"ContactId", "c-x", "Members.1", "rd-1", "Members.2", "rd-2"}
			}
			wg.Go(func() {
				if _, _, err := call(t, srv.URL, testKeyID, testSecret, c.action, c.params...); err != nil {
					t.Error(err)
				}
			})
		}
		// Same-key calls in sequence (as terraform issues them for one resource).
		for range 3 {
			if _, _, err := call(t, srv.URL, testKeyID, testSecret, repeated.action, repeated.params...); err != nil {
				t.Error(err)
			}
		}
		wg.Wait()
		if err := rec.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	recordShuffled(1, a)
	recordShuffled(2, b)
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Errorf("cassettes differ:\n%s", cmp.Diff(string(da), string(db)))
	}
	for _, forbidden := range []string{"Signature:", "SignatureNonce", "Timestamp", "AccessKeyId", testKeyID, testSecret, "date:", "duration: 1"} {
		if bytes.Contains(da, []byte(forbidden)) {
			t.Errorf("cassette holds %q", forbidden)
		}
	}
	if err := ScanForSecrets(dir, []string{testSecret, testKeyID}); err != nil {
		t.Error(err)
	}
}

func TestCassetteFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	record(t, path, []apiCall{{"EchoNonce", []string{"?ContactId", "c-1", "MessageTypes.1", "B", "MessageTypes.2", "A"}}})
	c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 1 {
		t.Fatalf("%d interactions", len(c.Interactions))
	}
	in := c.Interactions[0]
	wantForm := url.Values{
		"Action": {"EchoNonce"}, "ContactId": {"c-1"}, "MessageTypes.1": {"A"}, "MessageTypes.2": {"B"},
		"Format": {"JSON"}, "RegionId": {"cn-shanghai"}, "SignatureMethod": {"HMAC-SHA1"},
		"SignatureType": {""}, "SignatureVersion": {"1.0"}, "Version": {"2022-04-19"},
	}
	if diff := cmp.Diff(wantForm, in.Request.Form); diff != "" {
		t.Errorf("stored form (-want +got):\n%s", diff)
	}
	if in.Request.Body != wantForm.Encode() || in.Request.Method != "POST" || in.Request.URL != "http://rd.test/" ||
		in.Request.Host != "rd.test" || in.Request.ContentLength != int64(len(wantForm.Encode())) {
		t.Errorf("stored request = %+v", in.Request)
	}
	if diff := cmp.Diff(http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, in.Request.Headers); diff != "" {
		t.Errorf("request headers: %s", diff)
	}
	if diff := cmp.Diff(http.Header{"Content-Type": {"application/json;charset=utf-8"}}, in.Response.Headers); diff != "" {
		t.Errorf("response headers: %s", diff)
	}
	if in.Response.Code != 200 || in.Response.Status != "200 OK" || in.Response.Duration != 0 {
		t.Errorf("stored response = %+v", in.Response)
	}
	// The echoed nonce is scrubbed from the stored body.
	if !strings.Contains(in.Response.Body, `"Nonce":"SCRUBBED"`) || !strings.Contains(in.Response.Body, `"Host":"rd.test"`) {
		t.Errorf("stored body = %s", in.Response.Body)
	}
}

func TestResponseReachesClientUnchanged(t *testing.T) {
	rec := NewRecorder(newFakeUpstream())
	srv := httptest.NewServer(rec)
	defer srv.Close()
	_, body, err := call(t, srv.URL, testKeyID, testSecret, "EchoNonce")
	if err != nil || strings.Contains(body, Scrubbed) || !strings.Contains(body, `"Nonce":"`) {
		t.Errorf("client got %q %v", body, err)
	}
}

func TestRecordRemoteUpstream(t *testing.T) {
	upstream := httptest.NewServer(newFakeUpstream())
	defer upstream.Close()
	rec, err := NewRecorderURL(upstream.URL)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	recorded := run(t, srv.URL, scenario)
	path := filepath.Join(t.TempDir(), "remote.yaml")
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	p, url := replayServer(t, path)
	if diff := cmp.Diff(recorded, run(t, url, scenario), cmp.AllowUnexported(result{})); diff != "" {
		t.Errorf("(-recorded +replayed):\n%s", diff)
	}
	if err := p.Err(); err != nil {
		t.Error(err)
	}
	data, _ := os.ReadFile(path)
	if host := strings.TrimPrefix(upstream.URL, "http://"); !bytes.Contains(data, []byte("url: http://"+host+"/")) {
		t.Errorf("cassette does not name the upstream %s:\n%s", host, data)
	}
	for _, bad := range []string{"", "ftp://x", "http://"} {
		if _, err := NewRecorderURL(bad); err == nil {
			t.Errorf("NewRecorderURL(%q) accepted", bad)
		}
	}
}

func TestDroppedConnection(t *testing.T) {
	for _, action := range []string{"Drop", "Abort"} {
		t.Run(action, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			calls := []apiCall{
				{"GetMessageContact", []string{"ContactId", "c-1"}},
				{action, []string{"ContactId", "c-1"}},
				{"GetMessageContact", []string{"ContactId", "c-1"}},
			}
			recorded := record(t, path, calls)
			if !recorded[1].err || recorded[0].err || recorded[2].err {
				t.Fatalf("recording: %+v", recorded)
			}
			c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var dropped int
			for _, in := range c.Interactions {
				if in.Response.Headers.Get(DroppedHeader) == "true" {
					dropped++
					if in.Response.Code != 0 || in.Response.Body != "" {
						t.Errorf("dropped response stored as %+v", in.Response)
					}
				}
			}
			if dropped != 1 {
				t.Errorf("%d dropped interactions stored, want 1", dropped)
			}
			p, url := replayServer(t, path)
			replayed := run(t, url, calls)
			if diff := cmp.Diff(recorded, replayed, cmp.AllowUnexported(result{})); diff != "" {
				t.Errorf("(-recorded +replayed):\n%s", diff)
			}
			if err := p.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestReplayConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	var calls []apiCall
	for i := range 20 {
		calls = append(calls, apiCall{"GetMessageContact", []string{"ContactId", fmt.Sprintf("c-%d", i%5)}})
	}
	record(t, path, calls)
	p, url := replayServer(t, path)
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Go(func() {
			if status, _, err := call(t, url, testKeyID, testSecret, c.action, c.params...); err != nil || status != 200 {
				t.Errorf("%d %v", status, err)
			}
		})
	}
	wg.Wait()
	if err := p.Err(); err != nil {
		t.Error(err)
	}
}

func TestAdminPathIsNotRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	rec := NewRecorder(newFakeUpstream())
	srv := httptest.NewServer(rec)
	get := apiCall{"GetMessageContact", []string{"ContactId", "c-1"}}
	run(t, srv.URL, []apiCall{get})
	resp, err := http.Post(srv.URL+"/_emulator/verify?ContactId=c-1&Target=a@example.com", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	srv.Close()
	if resp.StatusCode != 200 || string(body) != "verified c-1" {
		t.Errorf("admin call through the recorder: %d %q", resp.StatusCode, body)
	}
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	p, url := replayServer(t, path)
	run(t, url, []apiCall{get})
	resp, err = http.Post(url+"/_emulator/verify?ContactId=c-1&Target=a@example.com", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("admin call during replay: %d", resp.StatusCode)
	}
	if err := p.Err(); err != nil {
		t.Error(err)
	}
}

func TestMatchKey(t *testing.T) {
	a := url.Values{"Action": {"AddMessageContact"}, "MessageTypes.1": {"B"}, "MessageTypes.2": {"A"},
		"Signature": {"x"}, "Timestamp": {"t"}, "RegionId": {"cn-hangzhou"}, "Version": {"2022-04-19"}, "Name": {"n"}}
	b := url.Values{"Action": {"AddMessageContact"}, "MessageTypes.1": {"A"}, "MessageTypes.2": {"B"},
		"SignatureNonce": {"n2"}, "RegionId": {"ap-southeast-1"}, "Name": {"n"}}
	if MatchKey(a) != MatchKey(b) {
		t.Errorf("%q != %q", MatchKey(a), MatchKey(b))
	}
	if got, want := MatchKey(a), "Action=AddMessageContact&MessageTypes.1=A&MessageTypes.2=B&Name=n"; got != want {
		t.Errorf("MatchKey = %q, want %q", got, want)
	}
	// Non-set arrays keep their order.
	c := url.Values{"Action": {"X"}, "Things.1": {"B"}, "Things.2": {"A"}}
	d := url.Values{"Action": {"X"}, "Things.1": {"A"}, "Things.2": {"B"}}
	if MatchKey(c) == MatchKey(d) {
		t.Error("ordered arrays matched regardless of order")
	}
	e := url.Values{"Action": {"X"}, "Members.10": {"m10"}, "Members.2": {"m2"}, "Name": {"Alice Smith"}, "Title": {""}}
	if got, want := Describe(e), `Action=X Members.1=m10 Members.2=m2 Name="Alice Smith" Title=""`; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

func BenchmarkReplayMatch(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.yaml")
	rec := NewRecorder(newFakeUpstream())
	var params []url.Values
	for i := range 200 {
		p := url.Values{
			"Action":    {[]string{"GetMessageContact", "UpdateMessageContact", "ListMessageContacts", "AssociateMembers"}[i%4]},
			"ContactId": {fmt.Sprintf("c-%012d", i)}, "Members.1": {"rd-b"}, "Members.2": {"rd-a"},
			"Format": {"JSON"}, "Version": {"2022-04-19"}, "SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"},
			"SignatureType": {""}, "RegionId": {"cn-shanghai"}, "AccessKeyId": {testKeyID}, "Timestamp": {"2025-01-01T00:00:00Z"},
			"SignatureNonce": {fmt.Sprintf("nonce-%d", i)},
		}
		p.Set("Signature", emulator.Sign(emulator.StringToSign("POST", p), testSecret))
		params = append(params, p)
		req := httptest.NewRequest("POST", "http://rd.test/", strings.NewReader(p.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec.ServeHTTP(httptest.NewRecorder(), req)
	}
	if err := rec.Save(path); err != nil {
		b.Fatal(err)
	}
	p, err := LoadReplayer(path, testKeys)
	if err != nil {
		b.Fatal(err)
	}
	serve := func(b *testing.B, body string, want int) {
		req := httptest.NewRequest("POST", "http://rd.test/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		p.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.Run("hit", func(b *testing.B) {
		body, key := params[137].Encode(), MatchKey(params[137])
		for b.Loop() {
			// Reset use so that every iteration matches the same interaction.
			p.mu.Lock()
			for _, e := range p.byKey[key] {
				e.used = false
			}
			p.mu.Unlock()
			serve(b, body, http.StatusOK)
		}
	})
	b.Run("miss", func(b *testing.B) {
		// An unexpected request: the closest interaction is searched for.
		miss := url.Values{}
		for k, vs := range params[137] {
			miss[k] = vs
		}
		miss.Set("ContactId", "c-999999999999")
		miss.Set("Signature", emulator.Sign(emulator.StringToSign("POST", miss), testSecret))
		body := miss.Encode()
		for b.Loop() {
			p.mu.Lock()
			p.unexpected = p.unexpected[:0]
			p.mu.Unlock()
			serve(b, body, http.StatusInternalServerError)
		}
	})
	b.Run("hit with shadow", func(b *testing.B) {
		// The same hit, first served by a shadow upstream and compared with
		// the recorded answer: the overhead a replayed acceptance test pays
		// per request besides its emulator's own work.
		p.SetShadow(newFakeUpstream())
		defer p.SetShadow(nil)
		body, key := params[137].Encode(), MatchKey(params[137])
		for b.Loop() {
			p.mu.Lock()
			for _, e := range p.byKey[key] {
				e.used = false
			}
			p.diverged = p.diverged[:0]
			p.mu.Unlock()
			serve(b, body, http.StatusOK)
		}
	})
}

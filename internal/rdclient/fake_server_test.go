package rdclient

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

const (
	testAccessKeyID     = "LTAItestkeyid0001"
	testAccessKeySecret = "s3cr3t-SECRET-value-0001"
	testSecurityToken   = "STS.token-VALUE-0001"
)

// recordedCall is one request seen by the fake server.
type recordedCall struct {
	Method      string
	ContentType string
	UserAgent   string
	Query       url.Values
	Form        url.Values
}

func (c recordedCall) Action() string { return c.Query.Get("Action") }

// business returns the form parameters as a flat map.
func (c recordedCall) business() map[string]string {
	m := map[string]string{}
	for k, v := range c.Form {
		m[k] = v[0]
	}
	return m
}

// reply is what the fake answers to one request.
type reply struct {
	status int
	body   any // marshalled as JSON; a string is sent as is
	hijack bool
	delay  time.Duration
}

func okReply(body map[string]any) reply {
	if body == nil {
		body = map[string]any{}
	}
	if _, ok := body["RequestId"]; !ok {
		body["RequestId"] = "req-ok"
	}
	return reply{status: 200, body: body}
}

func errReply(status int, code, message, requestID string) reply {
	return reply{status: status, body: map[string]any{
		"RequestId": requestID,
		"HostId":    "resourcedirectory.aliyuncs.com",
		"Code":      code,
		"Message":   message,
		"Recommend": "https://api.alibabacloud.com/troubleshoot?q=" + code + "&product=ResourceDirectoryMaster&requestId=" + requestID,
	}}
}

// fakeServer is a tiny stand-in for the API: it checks the signature of
// every request, records it and answers through handle.
type fakeServer struct {
	*httptest.Server
	t      *testing.T
	secret string
	handle func(n int, c recordedCall) reply

	mu    sync.Mutex
	calls []recordedCall
}

func newFake(t *testing.T, handle func(n int, c recordedCall) reply) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, secret: testAccessKeySecret, handle: handle}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	c := recordedCall{
		Method:      r.Method,
		ContentType: r.Header.Get("Content-Type"),
		UserAgent:   r.Header.Get("User-Agent"),
		Query:       r.URL.Query(),
		Form:        r.PostForm,
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	n := len(f.calls)
	f.mu.Unlock()

	if want, got := f.signature(r.Method, c), c.Query.Get("Signature"); want != got {
		writeJSON(w, 400, map[string]any{"RequestId": "req-sig", "Code": "SignatureDoesNotMatch",
			"Message": "Specified signature is not matched with our calculation."})
		return
	}

	rep := f.handle(n, c)
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.hijack {
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "cannot drop the connection", http.StatusInternalServerError)
			return
		}
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
		return
	}
	if s, ok := rep.body.(string); ok {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(rep.status)
		_, _ = w.Write([]byte(s))
		return
	}
	writeJSON(w, rep.status, rep.body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeServer) Calls() []recordedCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedCall(nil), f.calls...)
}

// signature computes the expected Signature (v1, HMAC-SHA1) of a call.
func (f *fakeServer) signature(method string, c recordedCall) string {
	mac := hmac.New(sha1.New, []byte(f.secret+"&"))
	mac.Write([]byte(stringToSign(method, c)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// stringToSign is the server-side string to sign of a call.
func stringToSign(method string, c recordedCall) string {
	all := map[string]string{}
	for _, vals := range []url.Values{c.Query, c.Form} {
		for k, v := range vals {
			if k != "Signature" {
				all[k] = v[0]
			}
		}
	}
	enc := func(s string) string {
		var b strings.Builder
		for _, ch := range []byte(s) {
			if ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || strings.IndexByte("-_.~", ch) >= 0 {
				b.WriteByte(ch)
			} else {
				fmt.Fprintf(&b, "%%%02X", ch)
			}
		}
		return b.String()
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, enc(k))
	}
	sort.Strings(keys)
	dec := map[string]string{}
	for k, v := range all {
		dec[enc(k)] = v
	}
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+enc(dec[k]))
	}
	return method + "&" + enc("/") + "&" + enc(strings.Join(parts, "&"))
}

// newTestClient returns a client for endpoint with small backoffs.
func newTestClient(t *testing.T, endpoint string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint:   endpoint,
		RegionID:   "cn-shanghai",
		Credential: credentials.NewAccessKeyCredential(testAccessKeyID, testAccessKeySecret),
		MaxRetries: 3,
		MinBackoff: time.Millisecond,
		MaxBackoff: 5 * time.Millisecond,
		Timeout:    5 * time.Second,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

var gaveUpPattern = regexp.MustCompile(`giving up after (\d+) attempt\(s\)`)

// gaveUpAfter returns N when err says that the call gave up after N
// attempts, and 0 when err is not such an error.
func gaveUpAfter(err error) int {
	if err == nil {
		return 0
	}
	m := gaveUpPattern.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// countingTransport counts the HTTP attempts a client sends through it,
// including those that get no answer.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(req)
}

// countAttempts makes c send its HTTP attempts through a countingTransport.
func countAttempts(c *Client) *countingTransport {
	ct := &countingTransport{base: c.transport}
	c.transport = ct
	return ct
}

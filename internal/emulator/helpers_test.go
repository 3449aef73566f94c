package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

const (
	testKeyID     = "LTAI5tTestKeyId0001"
	testSecret    = "s3cr3t-Test-Secret-Value-0001"
	testSTSKeyID  = "STS.NTestStsKeyId0001"
	testSTSSecret = "sts-Secret-Value-0001"
	testSTSToken  = "CAIS-test-security-token-0001"
)

// fakeClock is a settable clock close to real time (the SDK stamps requests
// with the real time, so the emulator clock must stay within 15 minutes).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testEnv is an emulator behind an httptest server plus an SDK client.
type testEnv struct {
	t      testing.TB
	emu    *Emulator
	srv    *httptest.Server
	host   string
	clock  *fakeClock
	client *sdk.Client
}

// newEnv starts an emulator with cfg; when cfg has no keys the test key pair
// is added, and when cfg.Now is nil a fake clock is used.
func newEnv(t testing.TB, cfg Config) *testEnv {
	t.Helper()
	if len(cfg.KeyPairs) == 0 && len(cfg.STSTokens) == 0 {
		cfg.KeyPairs = []KeyPair{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}}
	}
	var clock *fakeClock
	if cfg.Now == nil {
		clock = newFakeClock()
		cfg.Now = clock.Now
	}
	emu := New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := newKeyClient(testKeyID, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, emu: emu, srv: srv, host: u.Host, clock: clock, client: client}
}

// newKeyClient returns an SDK client that signs with the long-term key pair
// id and secret.
func newKeyClient(id, secret string) (*sdk.Client, error) {
	return sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewAccessKeyCredential(id, secret))
}

// newSTSClient returns an SDK client that signs with the temporary (STS)
// key pair id and secret and sends token.
func newSTSClient(id, secret, token string) (*sdk.Client, error) {
	return sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewStsTokenCredential(id, secret, token))
}

// newRequest builds a CommonRequest for the emulator.
func (v *testEnv) newRequest(method, action string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method = method
	req.Scheme = "http"
	req.Domain = v.host
	req.Product = "ResourceDirectoryMaster"
	req.Version = APIVersion
	req.ApiName = action
	return req
}

// call sends action with params in the form body of a POST, through the
// shared SDK client, and decodes the JSON answer.
func (v *testEnv) call(action string, params map[string]string) (map[string]any, error) {
	return v.callWith(v.client, http.MethodPost, action, nil, params)
}

func (v *testEnv) callWith(client *sdk.Client, method, action string, query, form map[string]string) (map[string]any, error) {
	req := v.newRequest(method, action)
	if _, ok := stsActions[action]; ok {
		req.Version = STSVersion
	}
	for k, val := range query {
		req.QueryParams[k] = val
	}
	for k, val := range form {
		req.FormParams[k] = val
	}
	resp, err := client.ProcessCommonRequest(req)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		return nil, fmt.Errorf("decoding %q: %w", resp.GetHttpContentString(), err)
	}
	return out, nil
}

func (v *testEnv) mustCall(action string, params map[string]string) map[string]any {
	v.t.Helper()
	out, err := v.call(action, params)
	if err != nil {
		v.t.Fatalf("%s %v: %v", action, params, err)
	}
	if id, _ := out["RequestId"].(string); id == "" {
		v.t.Fatalf("%s: no RequestId in %v", action, out)
	}
	return out
}

// addContact adds a contact and returns its ID.
func (v *testEnv) addContact(name, email, phone string) string {
	v.t.Helper()
	p := map[string]string{
		"Name": name, "EmailAddress": email, "Title": "TechnicalDirector",
		"MessageTypes.1": "ServiceMessage", "MessageTypes.2": "FaultMessage",
	}
	if phone != "" {
		p["PhoneNumber"] = phone
	}
	out := v.mustCall("AddMessageContact", p)
	return at[string](v.t, out, "Contact", "ContactId")
}

// getContact returns the Contact object of GetMessageContact.
func (v *testEnv) getContact(id string) map[string]any {
	v.t.Helper()
	return at[map[string]any](v.t, v.mustCall("GetMessageContact", map[string]string{"ContactId": id}), "Contact")
}

// lookup returns the value at path in a decoded JSON answer: a string step
// indexes an object, an int step an array. It returns an error when a step
// does not fit or the value is not a T. Unlike at, it may be called from any
// goroutine.
func lookup[T any](x any, path ...any) (T, error) {
	var zero T
	cur := x
	for i, step := range path {
		where := pathText(path[:i+1])
		switch k := step.(type) {
		case string:
			obj, ok := cur.(map[string]any)
			if !ok {
				return zero, fmt.Errorf("%s: %T is not an object", where, cur)
			}
			if cur, ok = obj[k]; !ok {
				return zero, fmt.Errorf("%s: no such member", where)
			}
		case int:
			arr, ok := cur.([]any)
			if !ok {
				return zero, fmt.Errorf("%s: %T is not an array", where, cur)
			}
			if k < 0 || k >= len(arr) {
				return zero, fmt.Errorf("%s: index out of range (length %d)", where, len(arr))
			}
			cur = arr[k]
		default:
			return zero, fmt.Errorf("%s: step of type %T, want string or int", where, step)
		}
	}
	out, ok := cur.(T)
	if !ok {
		return zero, fmt.Errorf("%s: %T (%v), want %T", pathText(path), cur, cur, zero)
	}
	return out, nil
}

// pathText renders a lookup path, as in "answer.Contacts[0].ContactId".
func pathText(path []any) string {
	var b strings.Builder
	b.WriteString("answer")
	for _, step := range path {
		if i, ok := step.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
		} else {
			fmt.Fprintf(&b, ".%v", step)
		}
	}
	return b.String()
}

// at is lookup that fails the test when the value is not there.
func at[T any](t testing.TB, x any, path ...any) T {
	t.Helper()
	out, err := lookup[T](x, path...)
	if err != nil {
		t.Fatalf("%v in %v", err, x)
	}
	return out
}

// serverError asserts err is an SDK ServerError with status and code and a
// RequestId.
func serverError(t testing.TB, err error, status int, code string) {
	t.Helper()
	_ = mustServerError(t, err, status, code) // the checks are all that is wanted here
}

// mustServerError makes the checks of serverError and returns the error, for
// callers that check more.
func mustServerError(t testing.TB, err error, status int, code string) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("want ServerError %d %s, got %v", status, code, err)
	}
	if se.HttpStatus() != status || se.ErrorCode() != code {
		t.Fatalf("want %d %s, got %d %s (%s)", status, code, se.HttpStatus(), se.ErrorCode(), se.Message())
	}
	if se.RequestId() == "" {
		t.Fatalf("%s: empty RequestId", code)
	}
	if se.HostId() == "" || !strings.Contains(se.Recommend(), "q="+code) && code != "SignatureDoesNotMatch" {
		t.Fatalf("%s: HostId %q Recommend %q", code, se.HostId(), se.Recommend())
	}
	return se
}

var nonceSeq atomic.Int64

// signedValues returns params plus the common parameters for the access key
// akID, signed for method with testSecret (the secret of the test key pair),
// as the SDK would send them.
func signedValues(method, akID string, params map[string]string, ts time.Time) url.Values {
	v := url.Values{}
	for k, val := range params {
		v.Set(k, val)
	}
	set := func(k, val string) {
		if _, ok := v[k]; !ok {
			v.Set(k, val)
		}
	}
	set("Version", APIVersion)
	set("Format", "JSON")
	set("AccessKeyId", akID)
	set("SignatureMethod", "HMAC-SHA1")
	set("SignatureVersion", "1.0")
	set("SignatureType", "")
	set("SignatureNonce", "nonce-"+strconv.FormatInt(nonceSeq.Add(1), 10))
	set("Timestamp", ts.UTC().Format(timestampLayout))
	set("RegionId", "cn-shanghai")
	v.Del("Signature")
	v.Set("Signature", Sign(StringToSign(method, v), testSecret))
	return v
}

// rawPost sends form-encoded values with net/http and returns status and
// decoded body.
func rawPost(t testing.TB, srvURL string, vals url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(srvURL+"/", vals)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp.StatusCode, out
}

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
	client, err := sdk.NewClientWithAccessKey("cn-shanghai", testKeyID, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, emu: emu, srv: srv, host: u.Host, clock: clock, client: client}
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
	return out["Contact"].(map[string]any)["ContactId"].(string)
}

// getContact returns the Contact object of GetMessageContact.
func (v *testEnv) getContact(id string) map[string]any {
	v.t.Helper()
	return v.mustCall("GetMessageContact", map[string]string{"ContactId": id})["Contact"].(map[string]any)
}

// serverError asserts err is an SDK ServerError with status and code and a
// RequestId, and returns it.
func serverError(t testing.TB, err error, status int, code string) *sdkerrors.ServerError {
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

// signedValues returns params plus the common parameters, signed with
// secret for method, as the SDK would send them.
func signedValues(method, akID, secret string, params map[string]string, ts time.Time) url.Values {
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
	v.Set("Signature", Sign(StringToSign(method, v), secret))
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

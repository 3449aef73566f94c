package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

var fuzzEpoch = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)

func fuzzEmulator() *Emulator {
	e := New(Config{
		KeyPairs:    []KeyPair{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
		STSTokens:   []STSToken{{AccessKeyID: testSTSKeyID, AccessKeySecret: testSTSSecret, SecurityToken: testSTSToken}},
		Now:         func() time.Time { return fuzzEpoch },
		MaxContacts: 50,
	})
	_ = e.SeedContacts([]SeedContact{{ContactID: "c-fuzz00000001", Name: "Fuzz", EmailAddress: "f@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"}}})
	return e
}

func serveFuzz(e *Emulator, method, rawQuery, body string) *httptest.ResponseRecorder {
	req := &http.Request{
		Method:     method,
		URL:        &url.URL{Path: "/", RawQuery: rawQuery},
		Header:     http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Body:       io.NopCloser(strings.NewReader(body)),
		Host:       "emulator.test",
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
	}
	req = req.WithContext(req.Context())
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// FuzzParseRequest sends arbitrary query strings and bodies. Nothing may
// panic; a request carrying a signature that was not computed with the
// secret is never accepted; a correctly signed request with arbitrary
// business parameters gets a well-formed JSON answer with a RequestId and
// never a 5xx.
func FuzzParseRequest(f *testing.F) {
	valid := signedValues("POST", testKeyID, map[string]string{"Action": "GetMessageContact", "ContactId": "c-fuzz00000001"}, fuzzEpoch)
	valid.Set("Signature", "bm90IHRoZSByZWFsIHNpZ25hdHVyZQ==")
	f.Add(valid.Encode(), "", false)
	f.Add("", valid.Encode(), false)
	f.Add("Action=AddMessageContact&Name=%E5%BC%A0%E4%B8%89", "EmailAddress=a%40b.com&Title=CEO&MessageTypes.1=FaultMessage", true)
	f.Add("Action=UpdateMessageContact&ContactId=c-fuzz00000001", "PhoneNumber=86-13912341234&EmailAddress=x%40y.cn", true)
	f.Add("Action=AssociateMembers&ContactId=c-fuzz00000001&Members.1=rd-a&Members.99=fd-b", "", true)
	f.Add("Action=ListMessageContacts&PageNumber=99999999999999999999&PageSize=-1", "", true)
	f.Add("Action=DeleteMessageContact&ContactId=c-fuzz00000001&RetainContactInMembers=false", "", true)
	f.Add("Action=CancelMessageContactUpdate&ContactId=c-fuzz00000001&EmailAddress=f%40example.com", "", true)
	f.Add("%zz&&==&Signature=abc", "a=%", false)
	e := fuzzEmulator()
	f.Fuzz(func(t *testing.T, query, body string, sign bool) {
		if !sign {
			rec := serveFuzz(e, http.MethodPost, query, body)
			if rec.Code == http.StatusOK {
				t.Fatalf("unsigned request accepted: %q %q -> %s", query, body, rec.Body.String())
			}
			var out map[string]any
			err := json.Unmarshal(rec.Body.Bytes(), &out)
			id, _ := out["RequestId"].(string)
			code, _ := out["Code"].(string)
			if err != nil || id == "" || code == "" {
				t.Fatalf("malformed error answer %d %q", rec.Code, rec.Body.String())
			}
			return
		}
		params := map[string]string{}
		for _, part := range []string{query, body} {
			vals, _ := url.ParseQuery(part)
			for k, vs := range vals {
				if len(vs) > 0 && !commonParams[k] || k == "Action" {
					params[k] = vs[0]
				}
			}
		}
		signed := signedValues(http.MethodPost, testKeyID, params, fuzzEpoch)
		rec := serveFuzz(e, http.MethodPost, "", signed.Encode())
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("answer is not JSON: %d %q", rec.Code, rec.Body.String())
		}
		if id, _ := out["RequestId"].(string); id == "" {
			t.Fatalf("answer without RequestId: %q", rec.Body.String())
		}
		switch rec.Code {
		case 200, 400, 404, 409, 429:
		default:
			t.Fatalf("status %d for %v: %s", rec.Code, params, rec.Body.String())
		}
		if code, _ := out["Code"].(string); code == "SignatureDoesNotMatch" || code == "SignatureNonceUsed" {
			t.Fatalf("correctly signed request rejected: %v -> %s", params, rec.Body.String())
		}
	})
}

// FuzzStringToSign checks StringToSign against the official SDK's algorithm
// and the shape of its output.
func FuzzStringToSign(f *testing.F) {
	f.Add("POST", "Name", "张三 a+b*c~d", "EmailAddress", "a@b.com")
	f.Add("GET", "SignatureType", "", "MessageTypes.1", "FaultMessage")
	f.Add("POST", "a.", "1", "a/", "2")
	f.Add("POST", "\xff", "\x00", "%", "%25")
	f.Fuzz(func(t *testing.T, method, k1, v1, k2, v2 string) {
		params := map[string]string{k1: v1, k2: v2}
		delete(params, "Signature")
		vals := url.Values{}
		for k, v := range params {
			vals.Set(k, v)
		}
		got := StringToSign(method, vals)
		if want := sdkStringToSign(method, params); got != want {
			t.Fatalf("StringToSign(%q, %q)\n got %q\nwant %q", method, params, got, want)
		}
		rest, ok := strings.CutPrefix(got, method+"&%2F&")
		if !ok {
			t.Fatalf("prefix of %q", got)
		}
		for i := 0; i < len(rest); i++ {
			if c := rest[i]; !unreserved(c) && c != '%' {
				t.Fatalf("unencoded byte %q in %q", c, rest)
			}
		}
		s1, s2 := Sign(got, "secret"), Sign(got, "secret")
		if s1 != s2 || len(s1) != 28 {
			t.Fatalf("Sign gave %q and %q", s1, s2)
		}
		// Decoding the canonical string gives back the parameters.
		canon, err := url.PathUnescape(rest)
		if err != nil {
			t.Fatal(err)
		}
		if len(params) > 0 {
			back, err := url.ParseQuery(canon)
			if err != nil {
				t.Fatalf("canonical %q: %v", canon, err)
			}
			for k, v := range params {
				if back.Get(k) != v {
					t.Fatalf("param %q: got %q want %q", k, back.Get(k), v)
				}
			}
		}
	})
}

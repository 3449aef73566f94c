package emulator

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// sdkStringToSign is the official SDK's algorithm (auth/rpc_signature_composer.go),
// reproduced to check StringToSign against it.
func sdkStringToSign(method string, params map[string]string) string {
	v := url.Values{}
	for k, val := range params {
		v.Add(k, val)
	}
	s := v.Encode()
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	s = strings.ReplaceAll(s, "%7E", "~")
	return method + "&%2F&" + url.QueryEscape(s)
}

func TestStringToSignAndSign(t *testing.T) {
	params := url.Values{
		"Action":         {"AddMessageContact"},
		"Name":           {"张三 ab*~"},
		"EmailAddress":   {"a+tag@sub.example.co.uk"},
		"SignatureType":  {""},
		"MessageTypes.1": {"ServiceMessage"},
		"Signature":      {"ignored"},
	}
	got := StringToSign("POST", params)
	flat := map[string]string{}
	for k, v := range params {
		if k != "Signature" {
			flat[k] = v[0]
		}
	}
	if want := sdkStringToSign("POST", flat); got != want {
		t.Fatalf("StringToSign\n got %s\nwant %s", got, want)
	}
	for _, frag := range []string{"POST&%2F&", "Name%3D%25E5%25BC%25A0%25E4%25B8%2589%2520ab%252A~", "%26SignatureType%3D"} {
		if !strings.Contains(got, frag) {
			t.Errorf("StringToSign %q lacks %q", got, frag)
		}
	}
	if strings.Contains(got, "Signature%3Dignored") {
		t.Error("Signature must not be signed")
	}
	// Known answer: HMAC-SHA1 with key "secret&".
	if s := Sign("GET&%2F&a%3Db", "secret"); s != "TfYyzcK3OOPO3Yl2mUwft+zTULI=" {
		t.Errorf("Sign = %q", s)
	}
	if Sign("x", "a") == Sign("x", "b") {
		t.Error("different secrets gave the same signature")
	}
}

func TestGatewayErrorsRaw(t *testing.T) {
	v := newEnv(t, Config{})
	now := v.clock.Now()
	base := map[string]string{"Action": "ListMessageContacts"}

	// A well-formed request passes.
	if st, body := rawPost(t, v.srv.URL, signedValues("POST", testKeyID, base, now)); st != 200 {
		t.Fatalf("signed raw request: %d %v", st, body)
	}

	for _, name := range []string{"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "SignatureNonce"} {
		t.Run("missing "+name, func(t *testing.T) {
			vals := signedValues("POST", testKeyID, base, now)
			vals.Del(name)
			st, body := rawPost(t, v.srv.URL, vals)
			if st != 400 || body["Code"] != "MissingParameter" || !strings.Contains(at[string](t, body, "Message"), name) {
				t.Fatalf("got %d %v", st, body)
			}
			for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
				if s, _ := body[k].(string); s == "" {
					t.Errorf("error body lacks %s: %v", k, body)
				}
			}
		})
	}

	cases := []struct {
		name   string
		vals   url.Values
		status int
		code   string
	}{
		{"bad version", signedValues("POST", testKeyID, map[string]string{"Action": "ListMessageContacts", "Version": "2017-01-01"}, now), 400, "InvalidParameter"},
		{"unknown action", signedValues("POST", testKeyID, map[string]string{"Action": "ListAccounts"}, now), 404, "InvalidAction.NotFound"},
		{"unknown key", signedValues("POST", "LTAIunknown", base, now), 404, "InvalidAccessKeyId.NotFound"},
		{"timestamp format", signedValues("POST", testKeyID, map[string]string{"Action": "ListMessageContacts", "Timestamp": "2024-01-01 10:00:00"}, now), 400, "InvalidTimeStamp.Format"},
		{"timestamp past", signedValues("POST", testKeyID, base, now.Add(-16*time.Minute)), 400, "InvalidTimeStamp.Expired"},
		{"timestamp future", signedValues("POST", testKeyID, base, now.Add(16*time.Minute)), 400, "InvalidTimeStamp.Expired"},
		{"bad signature method", signedValues("POST", testKeyID, map[string]string{"Action": "ListMessageContacts", "SignatureMethod": "HMAC-SHA256"}, now), 400, "InvalidParameter"},
		{"signed for GET sent as POST", signedValues("GET", testKeyID, base, now), 400, "SignatureDoesNotMatch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := rawPost(t, v.srv.URL, tc.vals)
			if st != tc.status || body["Code"] != tc.code {
				t.Fatalf("got %d %v, want %d %s", st, body, tc.status, tc.code)
			}
		})
	}

	t.Run("tampered parameter", func(t *testing.T) {
		vals := signedValues("POST", testKeyID, map[string]string{"Action": "GetMessageContact", "ContactId": "c-aaaaaaaaaaaa"}, now)
		vals.Set("ContactId", "c-bbbbbbbbbbbb")
		st, body := rawPost(t, v.srv.URL, vals)
		if st != 400 || body["Code"] != "SignatureDoesNotMatch" {
			t.Fatalf("got %d %v", st, body)
		}
	})

	t.Run("nonce replay", func(t *testing.T) {
		vals := signedValues("POST", testKeyID, base, now)
		if st, body := rawPost(t, v.srv.URL, vals); st != 200 {
			t.Fatalf("first: %d %v", st, body)
		}
		st, body := rawPost(t, v.srv.URL, vals)
		if st != 400 || body["Code"] != "SignatureNonceUsed" {
			t.Fatalf("replay: %d %v", st, body)
		}
		// After the window the nonce may be used again (with a fresh timestamp).
		v.clock.Advance(16 * time.Minute)
		vals2 := signedValues("POST", testKeyID, map[string]string{"Action": "ListMessageContacts", "SignatureNonce": vals.Get("SignatureNonce")}, v.clock.Now())
		if st, body := rawPost(t, v.srv.URL, vals2); st != 200 {
			t.Fatalf("reuse after window: %d %v", st, body)
		}
	})

	t.Run("forged request does not burn the nonce", func(t *testing.T) {
		good := signedValues("POST", testKeyID, base, v.clock.Now())
		bad := url.Values{}
		for k, vs := range good {
			bad[k] = vs
		}
		bad.Set("Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
		if st, _ := rawPost(t, v.srv.URL, bad); st != 400 {
			t.Fatalf("forged accepted: %d", st)
		}
		if st, body := rawPost(t, v.srv.URL, good); st != 200 {
			t.Fatalf("genuine after forged: %d %v", st, body)
		}
	})

	t.Run("wrong path and method", func(t *testing.T) {
		vals := signedValues("POST", testKeyID, base, v.clock.Now())
		resp, err := http.PostForm(v.srv.URL+"/other", vals)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("path /other: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodPut, v.srv.URL+"/?"+vals.Encode(), nil)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 {
			t.Errorf("PUT: %d", resp.StatusCode)
		}
	})

	t.Run("malformed query", func(t *testing.T) {
		resp, err := http.Post(v.srv.URL+"/?Action=%zz", "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"Code":"InvalidParameter"`) {
			t.Errorf("got %d %s", resp.StatusCode, b)
		}
	})
}

func TestGatewayErrorsSDK(t *testing.T) {
	v := newEnv(t, Config{
		STSTokens: []STSToken{
			{AccessKeyID: testSTSKeyID, AccessKeySecret: testSTSSecret, SecurityToken: testSTSToken, Expiration: time.Now().Add(time.Hour)},
			{AccessKeyID: "STS.Expired0001", AccessKeySecret: "expired-secret", SecurityToken: "expired-token", Expiration: time.Now().Add(-time.Minute)},
		},
		KeyPairs: []KeyPair{{AccessKeyID: testKeyID, AccessKeySecret: testSecret}},
	})
	call := func(c *sdk.Client) error {
		_, err := v.callWith(c, "POST", "ListMessageContacts", nil, nil)
		return err
	}
	mk := func(id, secret string) *sdk.Client {
		c, err := newKeyClient(id, secret)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	mkSTS := func(id, secret, token string) *sdk.Client {
		c, err := newSTSClient(id, secret, token)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	if err := call(v.client); err != nil {
		t.Fatalf("valid key: %v", err)
	}
	if err := call(mkSTS(testSTSKeyID, testSTSSecret, testSTSToken)); err != nil {
		t.Fatalf("valid STS token: %v", err)
	}
	serverError(t, call(mk("LTAInotknown", testSecret)), 404, "InvalidAccessKeyId.NotFound")
	serverError(t, call(mkSTS(testSTSKeyID, testSTSSecret, "other-token")), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	serverError(t, call(mk(testSTSKeyID, testSTSSecret)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	serverError(t, call(mkSTS(testKeyID, testSecret, testSTSToken)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	serverError(t, call(mkSTS("STS.Expired0001", "expired-secret", "expired-token")), 400, "InvalidSecurityToken.Expired")
	serverError(t, call(mkSTS(testSTSKeyID, "wrong-sts-secret", testSTSToken)), 400, "SignatureDoesNotMatch")

	t.Run("wrong secret", func(t *testing.T) {
		const wrong = "Wrong-Secret-Value-XYZ"
		se := mustServerError(t, call(mk(testKeyID, wrong)), 400, "SignatureDoesNotMatch")
		const marker = "server string to sign is:"
		i := strings.Index(se.Message(), marker)
		if i < 0 {
			t.Fatalf("message %q lacks %q", se.Message(), marker)
		}
		sts := se.Message()[i+len(marker):]
		if !strings.HasPrefix(sts, "POST&%2F&") || !strings.Contains(sts, "SignatureType%3D%26") {
			t.Errorf("server string to sign %q", sts)
		}
		// The SDK compares the server's string to sign with its own: equal
		// strings mean the secret is wrong, not the encoding.
		if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
			t.Errorf("SDK did not recognise a wrong secret: Recommend %q", se.Recommend())
		}
		for _, s := range []string{wrong, testSecret} {
			if strings.Contains(se.Error(), s) || strings.Contains(se.Message(), s) {
				t.Errorf("secret %q leaked in error", s)
			}
		}
	})

	t.Run("bad version and unknown action via SDK", func(t *testing.T) {
		req := v.newRequest("POST", "ListMessageContacts")
		req.Version = "2017-01-01"
		_, err := v.client.ProcessCommonRequest(req)
		serverError(t, err, 400, "InvalidParameter")
		_, err = v.callWith(v.client, "POST", "DescribeRegions", nil, nil)
		serverError(t, err, 404, "InvalidAction.NotFound")
	})
}

func TestExpiredTimestampViaConfigNow(t *testing.T) {
	for _, off := range []time.Duration{time.Hour, -time.Hour} {
		v := newEnv(t, Config{Now: func() time.Time { return time.Now().Add(off) }})
		_, err := v.call("ListMessageContacts", nil)
		serverError(t, err, 400, "InvalidTimeStamp.Expired")
	}
	v := newEnv(t, Config{Now: func() time.Time { return time.Now().Add(10 * time.Minute) }})
	if _, err := v.call("ListMessageContacts", nil); err != nil {
		t.Fatalf("10 minutes skew must pass: %v", err)
	}
}

func TestSTSClientWithCredentialProvider(t *testing.T) {
	// The provider builds its client from a credential object
	// (internal/rdclient); an emulator that knows only the STS key pair
	// accepts it.
	v := newEnv(t, Config{STSTokens: []STSToken{{AccessKeyID: testSTSKeyID, AccessKeySecret: testSTSSecret, SecurityToken: testSTSToken}}})
	c, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewStsTokenCredential(testSTSKeyID, testSTSSecret, testSTSToken))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.callWith(c, "POST", "ListMessageContacts", nil, nil); err != nil {
		t.Fatal(err)
	}
	// The long-term test key is not configured in this emulator.
	_, err = v.call("ListMessageContacts", nil)
	serverError(t, err, 404, "InvalidAccessKeyId.NotFound")
}

func TestGetAndPostEncodings(t *testing.T) {
	v := newEnv(t, Config{})
	id := v.addContact("Alice", "alice@example.com", "")

	// GET with everything in the query string.
	out, err := v.callWith(v.client, "GET", "GetMessageContact", map[string]string{"ContactId": id}, nil)
	if err != nil || at[map[string]any](t, out, "Contact")["ContactId"] != id {
		t.Fatalf("GET: %v %v", out, err)
	}
	// POST with business parameters in the query string only.
	out, err = v.callWith(v.client, "POST", "GetMessageContact", map[string]string{"ContactId": id}, nil)
	if err != nil || at[map[string]any](t, out, "Contact")["ContactId"] != id {
		t.Fatalf("POST query: %v %v", out, err)
	}
	// POST mixing query and form body.
	_, err = v.callWith(v.client, "POST", "UpdateMessageContact", map[string]string{"ContactId": id}, map[string]string{"Title": "CEO", "Name": "李四Li"})
	if err != nil {
		t.Fatalf("POST mixed: %v", err)
	}
	c := v.getContact(id)
	if c["Title"] != "CEO" || c["Name"] != "李四Li" {
		t.Fatalf("mixed update not applied: %v", c)
	}
	// Raw GET signed by hand.
	vals := signedValues("GET", testKeyID, map[string]string{"Action": "GetMessageContact", "ContactId": id}, v.clock.Now())
	resp, err := http.Get(v.srv.URL + "/?" + vals.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("raw GET: %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
}

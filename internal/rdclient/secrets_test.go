package rdclient

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

var secretStrings = []string{testAccessKeySecret, testSecurityToken, testAccessKeyID, "Signature=", "SignatureNonce="}

func assertNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range secretStrings {
		if strings.Contains(text, s) || strings.Contains(text, url.QueryEscape(s)) {
			t.Errorf("%s contains %q:\n%s", what, s, text)
		}
	}
}

func TestSecretsStayOutOfErrorsAndLogs(t *testing.T) {
	fake := newFake(t, func(n int, c recordedCall) reply {
		switch c.Form.Get("ContactId") {
		case "c-sig":
			return errReply(400, "SignatureDoesNotMatch",
				"Specified signature is not matched with our calculation. server string to sign is:"+stringToSign(c.Method, c), "req-sig")
		case "c-close":
			return reply{hijack: true}
		case "c-slow":
			return reply{delay: 2 * time.Second, status: 200, body: map[string]any{}}
		}
		return okReply(map[string]any{"Contact": map[string]any{"ContactId": "c-ok"}})
	})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.Credential = credentials.NewStsTokenCredential(testAccessKeyID, testAccessKeySecret, testSecurityToken)
		cfg.MaxRetries = 1
		cfg.Timeout = 100 * time.Millisecond
	})

	if _, err := c.GetMessageContact(ctx, "c-ok"); err != nil {
		t.Fatal(err)
	}
	if got := fake.Calls()[0].Query.Get("SecurityToken"); got != testSecurityToken {
		t.Fatalf("security token not sent: %q", got)
	}

	_, err := c.GetMessageContact(ctx, "c-sig")
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.Code != "SignatureDoesNotMatch" || apiErr.RequestID != "req-sig" {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Message != "Specified signature is not matched with our calculation." {
		t.Errorf("message = %q", apiErr.Message)
	}
	if !strings.Contains(apiErr.Recommend, "AccessKeySecret") {
		t.Errorf("the SDK's hint is lost: %q", apiErr.Recommend)
	}
	assertNoSecrets(t, "signature error", err.Error()+" "+apiErr.Recommend)

	_, err = c.GetMessageContact(ctx, "c-close")
	if err == nil || !IsTransportError(err) || gaveUpAfter(err) != 2 {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, "transport error", err.Error())
	for e := err; e != nil; e = errors.Unwrap(e) {
		assertNoSecrets(t, "wrapped error", e.Error())
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, "?") {
		t.Errorf("url error missing or carries the query: %v", ue)
	}

	_, err = c.GetMessageContact(ctx, "c-slow")
	if err == nil || !IsTransportError(err) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, "timeout error", err.Error())

	entries, err := tflogtest.MultilineJSONDecode(&logs)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("nothing logged")
	}
	assertNoSecrets(t, "logs", logs.String())
	var sawOK, sawSig bool
	for _, e := range entries {
		if e["action"] == "GetMessageContact" && e["request_id"] == "req-ok" && e["http_status"] == float64(200) && e["attempt"] == float64(1) {
			if _, ok := e["elapsed_ms"]; ok {
				sawOK = true
			}
		}
		if e["code"] == "SignatureDoesNotMatch" && e["request_id"] == "req-sig" && e["http_status"] == float64(400) {
			sawSig = true
		}
	}
	if !sawOK || !sawSig {
		t.Errorf("expected per-attempt log entries; got %v", entries)
	}
	for _, e := range entries {
		for k, v := range e {
			assertNoSecrets(t, "log field "+k, strings.ToLower(k)+"="+toString(v))
		}
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func TestSanitizeErr(t *testing.T) {
	inner := errors.New("read: connection reset by peer")
	err := sanitizeErr(&url.Error{Op: "Post", URL: "https://h.example/?AccessKeyId=AK&Signature=abc&SecurityToken=tok", Err: inner})
	if strings.Contains(err.Error(), "AccessKeyId") || strings.Contains(err.Error(), "tok") || !errors.Is(err, inner) {
		t.Errorf("got %v", err)
	}
	plain := sanitizeErr(errors.New(`failed: Post "http://x/?Signature=zzz&AccessKeyId=AK": boom`))
	if strings.Contains(plain.Error(), "zzz") || strings.Contains(plain.Error(), "AK") {
		t.Errorf("got %v", plain)
	}
	if got := scrubText("AccessKeySecret=abc&x=1 SecurityToken=t1"); strings.Contains(got, "abc") || strings.Contains(got, "t1") {
		t.Errorf("got %s", got)
	}
}

package rdclient_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Rejections of the emulator's gateway, through the real client: each comes
// back as an *rdclient.APIError with its Code, HTTP status and the
// RequestId the gateway answered, is not retried, and neither the error nor
// the client's logs hold the secret or the token.

const (
	rejKeyID          = "LTAIrejectionKey0001"
	rejSecret         = "rej-secret-do-not-use-0a1b2c"
	rejSTSKeyID       = "STS.rejectionTemp0001"
	rejSTSSecret      = "rej-sts-secret-do-not-use-3d4e5f"
	rejSTSToken       = "CAISrej-sts-token-do-not-use-6a7b8c"
	rejExpiredKeyID   = "STS.rejectionTemp0002"
	rejExpiredSecret  = "rej-sts-expired-secret-do-not-use-9d"
	rejExpiredToken   = "CAISrej-expired-token-do-not-use-0e1f"
	rejRequestIDRegex = `[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`
)

var rejSecrets = []string{rejSecret, rejSTSSecret, rejSTSToken, rejExpiredSecret, rejExpiredToken}

// rejRecorder keeps the RequestId of every answer the emulator sent.
type rejRecorder struct {
	mu  sync.Mutex
	ids []string
}

func (r *rejRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, req)
		r.mu.Lock()
		r.ids = append(r.ids, rec.Header().Get("x-acs-request-id"))
		r.mu.Unlock()
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (r *rejRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ids)
}

func (r *rejRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.ids) == 0 {
		return ""
	}
	return r.ids[len(r.ids)-1]
}

func rejEmulator(t *testing.T, skew time.Duration, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	cfg := emulator.Config{
		KeyPairs: []emulator.KeyPair{{AccessKeyID: rejKeyID, AccessKeySecret: rejSecret}},
		STSTokens: []emulator.STSToken{
			{AccessKeyID: rejSTSKeyID, AccessKeySecret: rejSTSSecret, SecurityToken: rejSTSToken, Expiration: time.Now().Add(time.Hour)},
			{AccessKeyID: rejExpiredKeyID, AccessKeySecret: rejExpiredSecret, SecurityToken: rejExpiredToken, Expiration: time.Now().Add(-time.Second)},
		},
	}
	if skew != 0 {
		cfg.Now = func() time.Time { return time.Now().Add(skew) }
	}
	var h http.Handler = emulator.New(cfg)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func rejClient(t *testing.T, endpoint string, cred auth.Credential) *rdclient.Client {
	t.Helper()
	c, err := rdclient.New(rdclient.Config{
		Endpoint: endpoint, RegionID: "cn-shanghai", Credential: cred,
		MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rejCheckNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for i, s := range rejSecrets {
		if strings.Contains(text, s) || strings.Contains(text, url.QueryEscape(s)) {
			t.Errorf("%s holds secret #%d", what, i+1)
		}
	}
}

func TestGatewayRejections(t *testing.T) {
	tests := []struct {
		name    string
		skew    time.Duration
		cred    auth.Credential
		code    string
		status  int
		message string
	}{
		{"bad signature", 0, credentials.NewAccessKeyCredential(rejKeyID, "not-the-secret"),
			"SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation."},
		{"unknown key", 0, credentials.NewAccessKeyCredential("LTAIunknownKey9999", rejSecret),
			"InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."},
		{"timestamp too old", 16 * time.Minute, credentials.NewAccessKeyCredential(rejKeyID, rejSecret),
			"InvalidTimeStamp.Expired", 400, "Specified time stamp or date header is expired."},
		{"timestamp too far ahead", -16 * time.Minute, credentials.NewAccessKeyCredential(rejKeyID, rejSecret),
			"InvalidTimeStamp.Expired", 400, "Specified time stamp or date header is expired."},
		{"expired STS token", 0, credentials.NewStsTokenCredential(rejExpiredKeyID, rejExpiredSecret, rejExpiredToken),
			"InvalidSecurityToken.Expired", 400, "Specified SecurityToken is expired."},
		{"STS token of another key", 0, credentials.NewStsTokenCredential(rejSTSKeyID, rejSTSSecret, rejExpiredToken),
			"InvalidSecurityToken.MismatchWithAccessKey", 400, "Specified SecurityToken mismatch with the AccessKey."},
		{"STS key without its token", 0, credentials.NewAccessKeyCredential(rejSTSKeyID, rejSTSSecret),
			"InvalidSecurityToken.MismatchWithAccessKey", 400, "Specified SecurityToken mismatch with the AccessKey."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := &rejRecorder{}
			c := rejClient(t, rejEmulator(t, tt.skew, ids.wrap), tt.cred)
			var logs bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &logs)
			_, err := c.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{})
			apiErr, ok := rdclient.AsAPIError(err)
			if !ok {
				t.Fatalf("want an API error, got %v", err)
			}
			if apiErr.Code != tt.code || apiErr.HTTPStatus != tt.status || apiErr.RequestID != ids.last() {
				t.Errorf("got Code %s, HTTP %d, RequestId %q; want %s, %d, %q", apiErr.Code, apiErr.HTTPStatus, apiErr.RequestID, tt.code, tt.status, ids.last())
			}
			want := regexp.MustCompile(`^ListMessageContacts failed: ` + regexp.QuoteMeta(tt.code) + ` \(HTTP ` + strconv.Itoa(tt.status) +
				`\): ` + regexp.QuoteMeta(tt.message) + ` \(RequestId: ` + rejRequestIDRegex + `\)$`)
			if !want.MatchString(err.Error()) {
				t.Errorf("error text %q does not match %s", err.Error(), want)
			}
			if n := ids.count(); n != 1 {
				t.Errorf("a rejection must not be retried: the emulator answered %d requests", n)
			}
			rejCheckNoSecrets(t, "the error", err.Error())
			rejCheckNoSecrets(t, "the logs", logs.String())
			if !strings.Contains(logs.String(), tt.code) {
				t.Errorf("the logs do not name the code %s:\n%s", tt.code, logs.String())
			}
		})
	}
}

// rejNonceReplayer captures the first request and, once armed, sends the
// next one with the first one's query and body: same nonce and signature.
type rejNonceReplayer struct {
	mu          sync.Mutex
	query, body string
	armed       bool
}

func (p *rejNonceReplayer) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		switch {
		case p.query == "":
			p.query, p.body = r.URL.RawQuery, string(body)
		case p.armed:
			p.armed = false
			r.URL.RawQuery, body = p.query, []byte(p.body)
		}
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

func TestGatewayRejectsReplayedNonce(t *testing.T) {
	replayer := &rejNonceReplayer{}
	ids := &rejRecorder{}
	endpoint := rejEmulator(t, 0, func(h http.Handler) http.Handler { return ids.wrap(replayer.wrap(h)) })
	c := rejClient(t, endpoint, credentials.NewStsTokenCredential(rejSTSKeyID, rejSTSSecret, rejSTSToken))
	ctx := context.Background()
	if _, err := c.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{}); err != nil {
		t.Fatal(err)
	}
	// The client's own retries use new nonces: a second call goes through.
	if _, err := c.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{}); err != nil {
		t.Fatalf("a new call with a new nonce: %v", err)
	}
	replayer.mu.Lock()
	replayer.armed = true
	replayer.mu.Unlock()
	_, err := c.ListMessageContacts(ctx, rdclient.ListMessageContactsInput{})
	apiErr, ok := rdclient.AsAPIError(err)
	if !ok || apiErr.Code != "SignatureNonceUsed" || apiErr.HTTPStatus != 400 || apiErr.RequestID != ids.last() {
		t.Fatalf("want SignatureNonceUsed (HTTP 400) with RequestId %s, got %v", ids.last(), err)
	}
	want := regexp.MustCompile(`^ListMessageContacts failed: SignatureNonceUsed \(HTTP 400\): Specified signature nonce was used already\. \(RequestId: ` +
		rejRequestIDRegex + `\)$`)
	if !want.MatchString(err.Error()) {
		t.Errorf("error text %q does not match %s", err.Error(), want)
	}
	rejCheckNoSecrets(t, "the error", err.Error())
}

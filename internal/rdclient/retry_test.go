package rdclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorFields(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply {
		return errReply(404, "EntityNotExists.Contact", "This Contact does not exist.", "req-404-abc")
	})
	c := newTestClient(t, fake.URL)
	_, err := c.GetMessageContact(context.Background(), "c-missing")
	if err == nil {
		t.Fatal("want an error")
	}
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("not an APIError: %T %v", err, err)
	}
	want := APIError{
		Action:     "GetMessageContact",
		Code:       "EntityNotExists.Contact",
		HTTPStatus: 404,
		Message:    "This Contact does not exist.",
		RequestID:  "req-404-abc",
		Recommend:  "https://api.alibabacloud.com/troubleshoot?q=EntityNotExists.Contact&product=ResourceDirectoryMaster&requestId=req-404-abc",
	}
	if *apiErr != want {
		t.Errorf("got %+v\nwant %+v", *apiErr, want)
	}
	text := err.Error()
	for _, s := range []string{"GetMessageContact", "EntityNotExists.Contact", "HTTP 404", "This Contact does not exist.", "req-404-abc"} {
		if !strings.Contains(text, s) {
			t.Errorf("error text %q lacks %q", text, s)
		}
	}
	if !IsNotFound(err) || IsStatusMismatch(err) || IsRetryable(err) {
		t.Errorf("predicates wrong for %v", err)
	}
	if n := len(fake.Calls()); n != 1 {
		t.Errorf("404 was sent %d times, want 1 (no retry)", n)
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply {
		return reply{status: 502, body: "<html>bad gateway " + strings.Repeat("x", 1000) + "</html>"}
	})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 1 })
	_, err := c.GetMessageContact(context.Background(), "c-1")
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.HTTPStatus != 502 || len(apiErr.Message) > 400 {
		t.Fatalf("got %v", err)
	}
	if n := len(fake.Calls()); n != 2 {
		t.Errorf("502 sent %d times, want 2", n)
	}
}

func TestPredicates(t *testing.T) {
	mk := func(status int, code string) error {
		return fmt.Errorf("wrapped: %w", &APIError{Action: "X", Code: code, HTTPStatus: status})
	}
	tests := []struct {
		err                                                     error
		notFound, verifNotFound, mismatch, throttled, retryable bool
	}{
		{err: mk(404, CodeContactNotFound), notFound: true},
		{err: mk(404, CodeVerificationNotFound), verifNotFound: true},
		{err: mk(400, CodeStatusMismatch), mismatch: true},
		{err: mk(400, CodeThrottlingUser), throttled: true, retryable: true},
		{err: mk(400, "Throttling"), throttled: true, retryable: true},
		{err: mk(400, "Throttling.Api"), throttled: true, retryable: true},
		{err: mk(429, CodeConcurrentCallNotSupported), throttled: true, retryable: true},
		{err: mk(409, CodeConcurrentCallNotSupported), retryable: true},
		{err: mk(500, "InternalError"), retryable: true},
		{err: mk(503, "ServiceUnavailable"), retryable: true},
		{err: mk(400, "InvalidParameter.Name")},
		{err: errors.New("plain")},
		{err: nil},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.err != nil {
			name = tt.err.Error()
		}
		got := [5]bool{IsNotFound(tt.err), IsVerificationNotFound(tt.err), IsStatusMismatch(tt.err), IsThrottled(tt.err), IsRetryable(tt.err)}
		want := [5]bool{tt.notFound, tt.verifNotFound, tt.mismatch, tt.throttled, tt.retryable}
		if got != want {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	if !HasCode(mk(400, CodeNameAlreadyUsed), CodeNameAlreadyUsed) {
		t.Error("HasCode")
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name  string
		fail  reply
		retry bool
	}{
		{"throttling 400", errReply(400, "Throttling.User", "Request was denied due to user flow control.", "r1"), true},
		{"service unavailable 503", errReply(503, "ServiceUnavailable", "unavailable", "r2"), true},
		{"internal error 500", errReply(500, "InternalError", "internal", "r3"), true},
		{"concurrent call 429", errReply(429, "ConcurrentCallNotSupported", "busy", "r4"), true},
		{"connection closed", reply{hijack: true}, true},
		{"not found 404", errReply(404, "EntityNotExists.Contact", "This Contact does not exist.", "r5"), false},
		{"invalid parameter 400", errReply(400, "InvalidParameter.Name", "The Name is invalid.", "r6"), false},
		{"status mismatch 400", errReply(400, "ContactStatusMismatchAction", "no", "r7"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, func(n int, c recordedCall) reply {
				if n <= 2 {
					return tt.fail
				}
				return okReply(map[string]any{"Status": "Deleted"})
			})
			c := newTestClient(t, fake.URL)
			status, err := c.DeleteMessageContact(context.Background(), "c-1", true)
			calls := fake.Calls()
			if !tt.retry {
				if err == nil || len(calls) != 1 {
					t.Fatalf("err=%v calls=%d, want an error after 1 call", err, len(calls))
				}
				if gaveUpAfter(err) != 0 {
					t.Errorf("a non-retried error should be returned as is: %v", err)
				}
				return
			}
			if err != nil || status != "Deleted" {
				t.Fatalf("got %q, %v", status, err)
			}
			if len(calls) != 3 {
				t.Fatalf("got %d calls, want 3", len(calls))
			}
			nonces := map[string]bool{}
			for _, call := range calls {
				nonces[call.Query.Get("SignatureNonce")] = true
			}
			if len(nonces) != 3 {
				t.Errorf("retries reused a nonce: %v", nonces)
			}
		})
	}
}

func TestMaxRetriesBound(t *testing.T) {
	for _, maxRetries := range []int{0, 1, 4} {
		t.Run(fmt.Sprint(maxRetries), func(t *testing.T) {
			fake := newFake(t, func(int, recordedCall) reply {
				return errReply(503, "ServiceUnavailable", "unavailable", "req-503")
			})
			c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = maxRetries })
			err := c.SendEmailVerificationForMessageContact(context.Background(), "c-1", "a@b.co")
			if got, want := len(fake.Calls()), maxRetries+1; got != want {
				t.Fatalf("got %d calls, want %d", got, want)
			}
			apiErr, ok := AsAPIError(err)
			if !ok || apiErr.Code != "ServiceUnavailable" || apiErr.RequestID != "req-503" {
				t.Fatalf("last API error not reachable: %v", err)
			}
			if maxRetries > 0 {
				if gaveUpAfter(err) != maxRetries+1 {
					t.Errorf("error does not say how many attempts: %v", err)
				}
			}
			if !strings.Contains(err.Error(), "req-503") {
				t.Errorf("error lacks the RequestId: %v", err)
			}
		})
	}
}

func TestNegativeMaxRetriesMeansDefault(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return errReply(500, "InternalError", "x", "r") })
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	_ = c.UpdateMessageContact(context.Background(), UpdateMessageContactInput{ContactID: "c-1"})
	if got := len(fake.Calls()); got != DefaultMaxRetries+1 {
		t.Errorf("got %d calls, want %d", got, DefaultMaxRetries+1)
	}
}

func TestDeadlineStopsRetries(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply {
		return errReply(400, "Throttling.User", "Request was denied due to user flow control.", "req-thr")
	})
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.MaxRetries = 100
		cfg.MinBackoff = 150 * time.Millisecond
		cfg.MaxBackoff = 400 * time.Millisecond
	})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetMessageContact(ctx, "c-1")
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("want an error")
	}
	if elapsed > 600*time.Millisecond {
		t.Errorf("took %s, past the 500ms deadline", elapsed)
	}
	if !IsThrottled(err) || gaveUpAfter(err) < 1 || gaveUpAfter(err) != len(fake.Calls()) {
		t.Errorf("err = %v, calls %d", err, len(fake.Calls()))
	}
}

func TestDeadlineDuringRequest(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply {
		return reply{delay: 5 * time.Second, status: 200, body: map[string]any{}}
	})
	c := newTestClient(t, fake.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetMessageContact(ctx, "c-1")
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %s", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded in the chain", err)
	}
	if n := len(fake.Calls()); n != 1 {
		t.Errorf("got %d calls, want 1", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return errReply(503, "ServiceUnavailable", "x", "r") })
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.MinBackoff = 2 * time.Second
		cfg.MaxBackoff = 2 * time.Second
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetMessageContact(ctx, "c-1")
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %s", elapsed)
	}
	if !errors.Is(err, context.Canceled) || !IsRetryable(err) {
		t.Errorf("err = %v", err)
	}
}

func TestAlreadyCancelledContext(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return okReply(nil) })
	c := newTestClient(t, fake.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetMessageContact(ctx, "c-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("got %d calls", n)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	fake := newFake(t, func(n int, c recordedCall) reply {
		if n == 1 {
			return reply{delay: 3 * time.Second, status: 200, body: map[string]any{}}
		}
		return okReply(map[string]any{"Contact": map[string]any{"ContactId": "c-1"}})
	})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Timeout = 200 * time.Millisecond })
	got, err := c.GetMessageContact(context.Background(), "c-1")
	if err != nil || got.ContactID != "c-1" {
		t.Fatalf("got %v, %v", got, err)
	}
	if n := len(fake.Calls()); n != 2 {
		t.Errorf("got %d calls, want 2", n)
	}
}

func TestConnectionRefusedIsNotRetried(t *testing.T) {
	fake := newFake(t, func(int, recordedCall) reply { return okReply(nil) })
	url := fake.URL
	fake.Close()
	c := newTestClient(t, url)
	attempts := countAttempts(c)
	_, err := c.GetMessageContact(context.Background(), "c-1")
	if err == nil || !IsTransportError(err) || gaveUpAfter(err) != 0 {
		t.Fatalf("err = %v", err)
	}
	if n := attempts.n.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{cfg: Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	for retry := 1; retry < 12; retry++ {
		for i := 0; i < 50; i++ {
			d := c.backoff(retry)
			if d < 100*time.Millisecond || d > time.Second {
				t.Fatalf("retry %d: backoff %s out of bounds", retry, d)
			}
			if ceiling := 100 * time.Millisecond << retry; ceiling < time.Second && d > ceiling {
				t.Fatalf("retry %d: backoff %s above %s", retry, d, ceiling)
			}
		}
	}
}

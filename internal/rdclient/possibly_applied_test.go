package rdclient

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A call one of whose attempts got no answer reports that it may have been
// applied, whatever its last error; a call whose every attempt was answered
// does not. The error text is unchanged by the mark.
func TestMayHaveBeenApplied(t *testing.T) {
	alreadyUsed := errReply(400, CodeNameAlreadyUsed, "The Name is already used.", "req-used")
	throttled := errReply(400, CodeThrottlingUser, "Request was denied due to user flow control.", "req-thr")
	tests := []struct {
		name       string
		maxRetries int
		replies    []reply
		applied    bool
		code       string
	}{
		{"dropped, then already used", 3, []reply{{hijack: true}, alreadyUsed}, true, CodeNameAlreadyUsed},
		{"dropped, no retry", 0, []reply{{hijack: true}}, true, ""},
		{"dropped, then throttled until retries run out", 2, []reply{{hijack: true}, throttled, throttled}, true, CodeThrottlingUser},
		{"answered, already used", 3, []reply{alreadyUsed}, false, CodeNameAlreadyUsed},
		{"throttled, then already used", 3, []reply{throttled, alreadyUsed}, false, CodeNameAlreadyUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t, func(n int, _ recordedCall) reply {
				if n <= len(tt.replies) {
					return tt.replies[n-1]
				}
				return alreadyUsed
			})
			c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = tt.maxRetries })
			_, err := c.AddMessageContact(context.Background(), AddMessageContactInput{
				Name: "Ops", EmailAddress: "ops@example.com", Title: "CEO", MessageTypes: []string{"FaultMessage"},
			})
			if err == nil {
				t.Fatal("want an error")
			}
			if got := MayHaveBeenApplied(err); got != tt.applied {
				t.Errorf("MayHaveBeenApplied(%v) = %v, want %v", err, got, tt.applied)
			}
			if tt.code != "" && !HasCode(err, tt.code) {
				t.Errorf("want code %s in %v", tt.code, err)
			}
			var marked *possiblyAppliedError
			if tt.applied && errors.As(err, &marked) && err.Error() != marked.err.Error() {
				t.Errorf("the mark changed the text: %q vs %q", err.Error(), marked.err.Error())
			}
		})
	}

	t.Run("attempt timed out", func(t *testing.T) {
		fake := newFake(t, func(int, recordedCall) reply {
			return reply{delay: time.Second, status: 200, body: map[string]any{}}
		})
		c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 0; cfg.Timeout = 50 * time.Millisecond })
		err := c.UpdateMessageContact(context.Background(), UpdateMessageContactInput{ContactID: "c-qL4HqKONzOM7", Title: ptr("CEO")})
		if err == nil || !MayHaveBeenApplied(err) {
			t.Fatalf("want a possibly applied error, got %v", err)
		}
	})
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

func TestAPIErrorDetail(t *testing.T) {
	apiErr := func(code string, status int) error {
		return fmt.Errorf("wrapped: %w", &rdclient.APIError{Action: rdclient.ActionCancelMessageContactUpdate, Code: code,
			HTTPStatus: status, Message: "The message.", RequestID: "REQ-1"})
	}
	tests := []struct {
		name string
		err  error
		want []string // in order
		not  []string
	}{
		{"permission", apiErr("Forbidden.RAM", 403),
			[]string{"Cancelling failed: wrapped: CancelMessageContactUpdate failed: Forbidden.RAM (HTTP 403): The message. (RequestId: REQ-1)",
				"grant the RAM policy action resourcemanager:CancelMessageContactUpdate.", "note one"},
			[]string{"the fallback"}},
		{"quota", apiErr(rdclient.CodeQuotaExceededContacts, 400), []string{"(20)", "note one"}, []string{"the fallback"}},
		{"throttling", apiErr(rdclient.CodeThrottlingUser, 400), []string{"throttling the request", "max_retries"}, []string{"the fallback"}},
		{"server error", apiErr("ServiceUnavailable", 503), []string{"(HTTP 503)", "usually temporary", "RequestId"}, nil},
		{"credentials", apiErr("SignatureDoesNotMatch", 400), []string{"check secret_key"}, nil},
		{"send limit", apiErr("SendValidateCodeExceedsLimitForAccount", 409), []string{"10 a minute", "try again in a minute",
			"100 a day", "try again tomorrow"}, []string{"the fallback"}},
		{"no advice", apiErr("InvalidParameter.Title", 400), []string{"InvalidParameter.Title (HTTP 400)", "the fallback", "note one"}, nil},
		{"timeout", fmt.Errorf("calling: %w", context.DeadlineExceeded), []string{"ran out of time"}, []string{"the fallback"}},
		{"other", errors.New("boom"), []string{"Cancelling failed: boom\n\nthe fallback\n\nnote one"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := apiErrorDetail("Cancelling failed", tt.err, "the fallback", "", "note one")
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("detail lacks %q (in order):\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("detail holds %q:\n%s", n, got)
				}
			}
			if strings.Contains(got, "\n\n\n") {
				t.Errorf("an empty note left a blank paragraph:\n%s", got)
			}
		})
	}
	for message, want := range map[string]string{
		"The number of verification messages sent to this address in one minute exceeds the limit.": "try again in a minute.",
		"The number of verification messages sent by the account today exceeds the limit.":          "try again tomorrow (within 24 hours).",
		"Daily quota of messages exceeded.":                                                         "try again tomorrow (within 24 hours).",
	} {
		err := &rdclient.APIError{Action: rdclient.ActionSendEmailVerificationForMessageContact, Code: rdclient.CodeSendLimitExceeded,
			HTTPStatus: 409, Message: message, RequestID: "REQ-2"}
		if got := apiErrorAdvice(err); !strings.Contains(got, want) || strings.Count(got, "try again") != 1 {
			t.Errorf("advice for %q: got %q, want the one remedy %q", message, got, want)
		}
	}
	if got := apiErrorDetail("", errors.New("boom"), ""); got != "boom" {
		t.Errorf("bare error: got %q, want %q", got, "boom")
	}
}

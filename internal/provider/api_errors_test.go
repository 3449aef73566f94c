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
		{"send limit", apiErr("SendValidateCodeExceedsLimitForAccount", 409), []string{"100 a day", "wait before sending again"}, nil},
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
	if got := apiErrorDetail("", errors.New("boom"), ""); got != "boom" {
		t.Errorf("bare error: got %q, want %q", got, "boom")
	}
}

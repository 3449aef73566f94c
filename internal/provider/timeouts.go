package provider

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// timeoutNote explains a failure caused by an operation's timeout running
// out: which operation, its timeout, the API call it interrupted and what to
// do. It is "" unless opCtx (the context bounded by the timeout) ran out.
func timeoutNote(opCtx context.Context, operation string, timeout time.Duration, action, command string) string {
	if !errors.Is(opCtx.Err(), context.DeadlineExceeded) {
		return ""
	}
	return fmt.Sprintf("The %s timeout (%s) ran out during %s. Raise timeouts.%s in the resource's timeouts block if the API "+
		"is this slow, or run terraform %s again: it resumes from what the API holds.",
		operation, pendingUpdateDurationString(timeout), action, operation, command)
}

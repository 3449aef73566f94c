package acctest

import (
	"fmt"
	"slices"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/rdclient"
)

// Checks of the API calls the emulator served. Each is a
// func(*emulator.Emulator) error: wrap it with Server.Check to run it after a
// step (it passes when replaying, where the cassette's exact request
// sequence is the assertion), or call it on an emulator of your own.

// AnyAction and AnyCode are the wildcards of CountCalls.
const (
	AnyAction = "*"
	AnyCode   = "*"
)

// CallList lists the calls the emulator served, in order, each as
// emulator.Call.String formats it: failed ones with their error code, as in
// [UpdateMessageContact(Throttling.User) UpdateMessageContact].
func CallList(e *emulator.Emulator) []string {
	calls := e.Calls()
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.String()
	}
	return out
}

// CountCalls checks that the emulator served want calls of action (AnyAction
// for every action) answered with code: "" for success, AnyCode for any
// outcome.
func CountCalls(action, code string, want int) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		n := 0
		for _, c := range e.Calls() {
			if (action == AnyAction || c.Action == action) && (code == AnyCode || c.Code == code) {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%s answered %s: want %d calls, got %d; calls: %v", action, describeCode(code), want, n, CallList(e))
		}
		return nil
	}
}

func describeCode(code string) string {
	switch code {
	case "":
		return "successfully"
	case AnyCode:
		return "with any outcome"
	default:
		return code
	}
}

// ExpectCalls checks the exact sequence of calls the emulator served (since
// it was last reset), as CallList lists them; the groups of want are
// concatenated, so a test can name the calls of each operation apart.
func ExpectCalls(want ...[]string) func(*emulator.Emulator) error {
	return func(e *emulator.Emulator) error {
		all := slices.Concat(want...)
		if got := CallList(e); !slices.Equal(got, all) {
			return fmt.Errorf("API calls:\n got %v\nwant %v", got, all)
		}
		return nil
	}
}

// ExpectNoCalls checks that the emulator served no call at all.
func ExpectNoCalls(e *emulator.Emulator) error {
	if calls := e.Calls(); len(calls) != 0 {
		return fmt.Errorf("expected no API call, the emulator served %d (first: %s)", len(calls), calls[0])
	}
	return nil
}

// ResetCalls makes the emulator forget the calls it served, so the checks
// above see only the calls made after it. Pass it to Server.Outside.
func ResetCalls(e *emulator.Emulator) error {
	e.ResetCalls()
	return nil
}

// WriteActions are the API calls that change the directory.
var WriteActions = rdclient.WriteActions

// Writes lists the calls among calls that change the directory, as
// emulator.Call.String formats them.
func Writes(calls []emulator.Call) []string {
	var out []string
	for _, c := range calls {
		if slices.Contains(WriteActions, c.Action) {
			out = append(out, c.String())
		}
	}
	return out
}

// ExpectNoWrites checks that the emulator served no call that changes the
// directory (reads are fine).
func ExpectNoWrites(e *emulator.Emulator) error {
	if w := Writes(e.Calls()); len(w) != 0 {
		return fmt.Errorf("expected no write call, the emulator served %v", w)
	}
	return nil
}

package rdclient

import "errors"

// possiblyAppliedError marks the error of a call one of whose attempts got
// no answer at all (connection closed or reset, attempt timed out): the
// server may have applied that attempt, so a later "already exists" or
// "not pending" answer may be the effect of the call itself. Its text is
// the wrapped error's, unchanged.
type possiblyAppliedError struct {
	err error
}

func (e *possiblyAppliedError) Error() string { return e.err.Error() }

func (e *possiblyAppliedError) Unwrap() error { return e.err }

// MayHaveBeenApplied reports whether a failed call may nevertheless have
// been applied by the server: one of its attempts, possibly the last, got no
// answer. A caller of a non-idempotent action (AddMessageContact) reads the
// API to find out what happened before it reports the failure.
func MayHaveBeenApplied(err error) bool {
	var pe *possiblyAppliedError
	return errors.As(err, &pe)
}

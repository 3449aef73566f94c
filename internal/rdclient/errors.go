package rdclient

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error codes the provider reacts to.
const (
	CodeContactNotFound             = "EntityNotExists.Contact"
	CodeVerificationNotFound        = "EntityNotExists.Contact.Verification"
	CodeStatusMismatch              = "ContactStatusMismatchAction"
	CodeThrottlingUser              = "Throttling.User"
	CodeConcurrentCallNotSupported  = "ConcurrentCallNotSupported"
	CodeNameAlreadyUsed             = "InvalidParameter.Name.AlreadyUsed"
	CodeQuotaExceededContacts       = "QuotaExceeded.Contacts"
	CodeLimitExceededContactMembers = "LimitExceeded.ContactMembers"
	CodeSendLimitExceeded           = "SendValidateCodeExceedsLimitForAccount"
)

// APIError is an error answered by the API. It carries everything a user
// needs to act on it or to quote it to support.
type APIError struct {
	Action     string
	Code       string
	HTTPStatus int
	Message    string
	RequestID  string
	Recommend  string
}

// Error renders Code, HTTP status, message and RequestId on one line.
func (e *APIError) Error() string {
	return fmt.Sprintf("%s failed: %s (HTTP %d): %s (RequestId: %s)",
		e.Action, e.Code, e.HTTPStatus, e.Message, e.RequestID)
}

// AsAPIError returns the *APIError in err's chain, if any.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}

// HasCode reports whether err is an API error with the given code.
func HasCode(err error, code string) bool {
	apiErr, ok := AsAPIError(err)
	return ok && apiErr.Code == code
}

// IsNotFound reports whether the contact does not exist.
func IsNotFound(err error) bool { return HasCode(err, CodeContactNotFound) }

// IsVerificationNotFound reports whether nothing is pending for the target.
func IsVerificationNotFound(err error) bool { return HasCode(err, CodeVerificationNotFound) }

// IsStatusMismatch reports whether the contact's state does not allow the call.
func IsStatusMismatch(err error) bool { return HasCode(err, CodeStatusMismatch) }

// IsThrottled reports whether the call was denied by flow control.
func IsThrottled(err error) bool {
	apiErr, ok := AsAPIError(err)
	if !ok {
		return false
	}
	return apiErr.HTTPStatus == http.StatusTooManyRequests ||
		apiErr.Code == CodeThrottlingUser || strings.HasPrefix(apiErr.Code, "Throttling")
}

// IsRetryable reports whether repeating the same call may succeed:
// throttling, ConcurrentCallNotSupported and server-side (5xx) errors.
func IsRetryable(err error) bool {
	apiErr, ok := AsAPIError(err)
	if !ok {
		return false
	}
	return IsThrottled(err) || apiErr.Code == CodeConcurrentCallNotSupported || apiErr.HTTPStatus >= 500
}

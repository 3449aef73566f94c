package emulator

import "net/http"

// apiError is an error answer of the API: HTTP status, Code and Message.
type apiError struct {
	status int
	code   string
	msg    string
}

// errorBody is the JSON body of every 4xx/5xx answer.
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func errMissing(param string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "MissingParameter." + param, msg: "You must specify " + param + "."}
}

func errMissingCommon(param string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "MissingParameter", msg: "You must specify " + param + "."}
}

func errInvalid(param string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameter." + param, msg: "The " + param + " is invalid."}
}

func errInvalidCommon(param string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameter", msg: "The " + param + " is invalid."}
}

func errMobileCountryCode() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameter.MobileCountryCode", msg: "The current site does not support the country code."}
}

func errContactNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: "EntityNotExists.Contact", msg: "This Contact does not exist."}
}

func errVerificationNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: "EntityNotExists.Contact.Verification", msg: "This contact verification does not exist."}
}

func errStatusMismatch() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ContactStatusMismatchAction", msg: "The status of the contact does not allow the specified operation."}
}

func errConcurrent() *apiError {
	return &apiError{status: http.StatusTooManyRequests, code: "ConcurrentCallNotSupported", msg: "Another operation on this contact is in progress. Try again later."}
}

var (
	errThrottled   = &apiError{status: http.StatusBadRequest, code: "Throttling.User", msg: "Request was denied due to user flow control."}
	errInternal    = &apiError{status: http.StatusInternalServerError, code: "InternalError", msg: "The request processing has failed due to some unknown error, exception or failure."}
	errUnavailable = &apiError{status: http.StatusServiceUnavailable, code: "ServiceUnavailable", msg: "The request has failed due to a temporary failure of the server."}
)

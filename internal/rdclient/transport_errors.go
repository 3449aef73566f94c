package rdclient

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
)

// transportError is a failure to get an answer from the API at all
// (connection refused or reset, EOF, timeout of one attempt, ...).
// Its text never contains the request URL's query, which carries the
// AccessKeyId, the signature and any security token.
type transportError struct {
	action         string
	err            error
	attemptTimeout bool
}

func (e *transportError) Error() string {
	if e.attemptTimeout {
		return fmt.Sprintf("%s: request to the Resource Directory API timed out: %s", e.action, e.err)
	}
	return fmt.Sprintf("%s: request to the Resource Directory API failed: %s", e.action, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// credentialError is a failure to obtain credentials (for example an
// AssumeRole call or an ECS metadata request that failed).
type credentialError struct {
	action string
	err    error
}

func (e *credentialError) Error() string {
	return fmt.Sprintf("%s: could not obtain Alibaba Cloud credentials: %s", e.action, scrubText(e.err.Error()))
}

func (e *credentialError) Unwrap() error { return sanitizeErr(e.err) }

// attemptsError reports the last error of a call that was retried and then
// given up, and how many attempts were made.
type attemptsError struct {
	action   string
	attempts int
	reason   string
	last     error
	ctxErr   error
}

func (e *attemptsError) Error() string {
	reason := e.reason
	if e.ctxErr != nil {
		reason = e.ctxErr.Error()
	}
	return fmt.Sprintf("giving up after %d attempt(s) (%s): %s", e.attempts, reason, e.last)
}

func (e *attemptsError) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.last, e.ctxErr}
	}
	return []error{e.last}
}

// IsTransportError reports whether err is a failure to get any answer from
// the API (as opposed to an API error).
func IsTransportError(err error) bool {
	var te *transportError
	return errors.As(err, &te)
}

// The patterns are compiled the first time an error is scrubbed, not when
// the program starts.
var (
	urlQueryPattern    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(https?://[^\s"'?]*)\?[^\s"']*`) })
	secretParamPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(Signature|SignatureNonce|AccessKeyId|AccessKeySecret|SecurityToken|BearerToken|OIDCToken)=[^&\s"']*`)
	})
	// The same members of a JSON body (a credentials server's answer).
	secretJSONPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)"(AccessKeySecret|SecurityToken|BearerToken|OIDCToken)"\s*:\s*"[^"]*"`)
	})
)

// scrubText removes URL queries and signing parameters from s.
func scrubText(s string) string {
	return scrubParams(urlQueryPattern().ReplaceAllString(s, "$1"))
}

// scrubParams redacts the values of signing parameters and secrets in s.
func scrubParams(s string) string {
	return secretJSONPattern().ReplaceAllString(secretParamPattern().ReplaceAllString(s, "$1=REDACTED"), `"$1":"REDACTED"`)
}

// sanitizeErr returns err with any request URL reduced to scheme://host/path
// and signing parameters removed from its text, keeping the chain where it
// is safe (net errors, EOF, context errors).
func sanitizeErr(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		clean := ue.URL
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.Fragment, u.User = "", "", nil
			clean = u.String()
		} else {
			clean = scrubText(clean)
		}
		return &url.Error{Op: ue.Op, URL: clean, Err: sanitizeErr(ue.Err)}
	}
	text := err.Error()
	if scrubbed := scrubText(text); scrubbed != text {
		return errors.New(scrubbed)
	}
	return err
}

// isRetryableTransport reports whether err is a transport failure that a
// new attempt may overcome: a connection reset or closed, an unexpected
// EOF, or a timeout of the attempt.
func isRetryableTransport(err error) bool {
	var te *transportError
	if !errors.As(err, &te) {
		return false
	}
	if te.attemptTimeout {
		return true
	}
	inner := te.err
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(inner, &certErr) || errors.As(inner, &unknownAuth) || errors.As(inner, &hostErr) {
		return false
	}
	if errors.Is(inner, io.EOF) || errors.Is(inner, io.ErrUnexpectedEOF) ||
		errors.Is(inner, syscall.ECONNRESET) || errors.Is(inner, syscall.ECONNABORTED) ||
		errors.Is(inner, syscall.EPIPE) || errors.Is(inner, net.ErrClosed) {
		return true
	}
	var netErr net.Error
	if errors.As(inner, &netErr) && netErr.Timeout() {
		return true
	}
	msg := inner.Error()
	for _, s := range []string{
		"connection reset", "broken pipe", "server closed idle connection",
		"use of closed network connection", "connection was forcibly closed",
		"Client.Timeout exceeded", "EOF", "transport connection broken",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// requestIDOf extracts RequestId from a response body, for logging.
func requestIDOf(body []byte) string {
	var v struct {
		RequestID string `json:"RequestId"`
	}
	_ = json.Unmarshal(body, &v)
	return v.RequestID
}

package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// APIVersion is the only Version the emulator serves.
const APIVersion = "2022-04-19"

// Defaults applied by New for zero Config fields.
const (
	DefaultMaxContacts = 20
	DefaultDeleteDelay = time.Second
)

// API limits (internal/emulator/README.md "Limits").
const (
	MaxMembersPerContact = 10
	MaxMembersPerCall    = 5
	MaxPageSize          = 100
	DefaultPageSize      = 10
	SendLimitPerDay      = 100 // verification messages a day for the account
	SendLimitPerMinute   = 10  // verification messages a minute to one address
)

// MaxRecordedCalls bounds the memory of Calls in long-running servers.
const MaxRecordedCalls = 100_000

const (
	// timestampWindow is how far Timestamp may be from the server clock, and
	// how long a SignatureNonce stays used.
	timestampWindow = 15 * time.Minute
	// maxNonces bounds the memory of the nonce cache; the oldest entries are
	// evicted first.
	maxNonces = 1 << 18
	// maxBodyBytes bounds a request body.
	maxBodyBytes = 1 << 20
	// dateLayout is the API's date format (no zone; the emulator uses UTC).
	dateLayout = "2006-01-02 15:04:05"
	// timestampLayout is the signature Timestamp format.
	timestampLayout = "2006-01-02T15:04:05Z"
	// AdminPrefix is the path prefix of the unsigned test hooks.
	AdminPrefix = "/_emulator/"
)

// commonParams are the gateway parameters; everything else is a business
// parameter (recorded in Calls and used to derive RequestIds).
var commonParams = map[string]bool{
	"Action":           true,
	"Version":          true,
	"Format":           true,
	"AccessKeyId":      true,
	"Signature":        true,
	"SignatureMethod":  true,
	"SignatureVersion": true,
	"SignatureNonce":   true,
	"SignatureType":    true,
	"Timestamp":        true,
	"SecurityToken":    true,
	"BearerToken":      true,
	"OIDCToken":        true, // a credential: never recorded
	"RegionId":         true,
	"SourceIp":         true,
	"SecureTransport":  true,
}

// FailReason names an account that still needs a contact for some message
// types; it is reported when an asynchronous deletion fails.
type FailReason struct {
	AccountID    string
	MessageTypes []string
}

// Emulator is a local ResourceDirectoryMaster message-contact service. It is
// an http.Handler serving the API at "/" and test hooks under AdminPrefix.
// All methods are safe for concurrent use.
//
// Where the public API reference leaves room, it follows the project
// decisions listed in internal/emulator/README.md "Decisions" (among them
// the order of the gateway checks, what the read modes show and how an
// asynchronous deletion behaves).
type Emulator struct {
	cfg      Config
	now      func() time.Time
	longTerm map[string]string     // AccessKeyId -> secret
	sts      map[string][]STSToken // AccessKeyId -> tokens

	mu          sync.Mutex
	faults      Faults
	contacts    map[string]*contact
	usedIDs     map[string]bool
	failNext    map[string][]FailReason
	deleting    int // contacts in Deleting
	nonces      map[string]time.Time
	nonceQueue  []nonceEntry
	nonceHead   int
	reqCounters map[[32]byte]uint64
	calls       []Call
	callCounts  map[string]int
	sendsDay    []time.Time
	sendsAddr   map[string][]time.Time
}

type nonceEntry struct {
	key string
	at  time.Time
}

// New returns an Emulator for cfg, applying the documented defaults.
func New(cfg Config) *Emulator {
	if cfg.Site == "" {
		cfg.Site = SiteChina
	}
	if cfg.ReadMode == "" {
		cfg.ReadMode = ReadModeRequested
	}
	if cfg.MaxContacts <= 0 {
		cfg.MaxContacts = DefaultMaxContacts
	}
	if cfg.DeleteDelay <= 0 {
		cfg.DeleteDelay = DefaultDeleteDelay
	}
	if cfg.STSDuration <= 0 {
		cfg.STSDuration = DefaultSTSDuration
	}
	if cfg.OIDCIssuer == "" {
		cfg.OIDCIssuer = DefaultOIDCIssuer
	}
	if cfg.OIDCAudience == "" {
		cfg.OIDCAudience = DefaultOIDCAudience
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	e := &Emulator{
		cfg:         cfg,
		now:         now,
		longTerm:    make(map[string]string),
		sts:         make(map[string][]STSToken),
		contacts:    make(map[string]*contact),
		usedIDs:     make(map[string]bool),
		failNext:    make(map[string][]FailReason),
		nonces:      make(map[string]time.Time),
		reqCounters: make(map[[32]byte]uint64),
		callCounts:  make(map[string]int),
		sendsAddr:   make(map[string][]time.Time),
	}
	for _, k := range cfg.KeyPairs {
		e.longTerm[k.AccessKeyID] = k.AccessKeySecret
	}
	for _, t := range cfg.STSTokens {
		e.sts[t.AccessKeyID] = append(e.sts[t.AccessKeyID], t)
	}
	return e
}

// SetFaults replaces the injected faults; it applies to the next requests.
func (e *Emulator) SetFaults(f Faults) {
	f.Actions = slices.Clone(f.Actions)
	e.mu.Lock()
	e.faults = f
	e.mu.Unlock()
}

// Calls returns a copy of the API calls served so far, in order (at most the
// latest MaxRecordedCalls).
func (e *Emulator) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	calls := e.calls
	if len(calls) > MaxRecordedCalls {
		calls = calls[len(calls)-MaxRecordedCalls:]
	}
	out := make([]Call, len(calls))
	for i, c := range calls {
		c.Params = cloneMap(c.Params)
		out[i] = c
	}
	return out
}

// ResetCalls forgets the calls served so far.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	e.calls = nil
	clear(e.callCounts)
	e.mu.Unlock()
}

// CountCalls returns how many calls of action were served (any outcome).
func (e *Emulator) CountCalls(action string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.callCounts[action]
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// apiRequest is one authenticated API request being served.
type apiRequest struct {
	action    string
	params    map[string]string
	requestID string
	now       time.Time
	// principal is who made the request (Call.Principal); a handler may
	// name it once it knows (AssumeRoleWithOIDC: the token's subject).
	principal string
}

func (r *apiRequest) get(name string) string { return r.params[name] }

// ServeHTTP serves the API at "/" and the test hooks under AdminPrefix.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		e.serveAdmin(w, r)
		return
	}
	hostID := e.cfg.HostID
	if hostID == "" {
		hostID = r.Host
	}

	params, perr := readParams(r)
	action := params["Action"]
	business := businessParams(params)

	e.mu.Lock()
	now := e.now()
	e.settleDeletions(now)
	reqID := e.nextRequestID(action, business)
	if perr == nil && r.URL.Path != "/" {
		perr = &apiError{status: http.StatusNotFound, code: "InvalidAction.NotFound", msg: "The specified path is not found."}
	}
	if perr == nil && r.Method != http.MethodPost && r.Method != http.MethodGet {
		perr = &apiError{status: http.StatusMethodNotAllowed, code: "UnsupportedHTTPMethod", msg: "The HTTP method is not supported; use POST or GET."}
	}
	principal := ""
	if perr == nil {
		principal, perr = e.authenticate(r.Method, params, now)
	}
	if perr != nil {
		call := e.record(r, action, perr.status, perr.code, business, principal, false)
		e.mu.Unlock()
		e.logf(action, perr.status, perr.code)
		e.afterCall(call)
		writeError(w, perr, reqID, hostID)
		return
	}
	plan := e.planFaults(action, reqID)
	e.mu.Unlock()

	if plan.delay > 0 {
		if !sleepCtx(r.Context(), plan.delay) {
			// The client went away: nothing is applied and nothing is sent.
			const status, code = 499, "ClientClosedRequest"
			e.mu.Lock()
			call := e.record(r, action, status, code, business, principal, false)
			e.mu.Unlock()
			e.logf(action, status, code)
			e.afterCall(call)
			return
		}
	}

	var (
		body any
		aerr *apiError
	)
	req := &apiRequest{action: action, params: params, requestID: reqID, principal: principal}
	e.mu.Lock()
	switch {
	case plan.throttle:
		aerr = errThrottled
	case plan.fail != nil:
		aerr = plan.fail
	default:
		now = e.now()
		e.settleDeletions(now)
		req.now = now
		body, aerr = handlerOf(action)(e, req)
	}
	drop := aerr == nil && plan.drop
	var call Call
	if aerr != nil {
		call = e.record(r, action, aerr.status, aerr.code, business, req.principal, false)
	} else {
		call = e.record(r, action, http.StatusOK, "", business, req.principal, drop)
	}
	e.mu.Unlock()

	if aerr != nil {
		e.logf(action, aerr.status, aerr.code)
		e.afterCall(call)
		writeError(w, aerr, reqID, hostID)
		return
	}
	if drop {
		e.logf(action, http.StatusOK, "", " dropped=true")
		e.afterCall(call)
		dropConnection(w)
		return
	}
	e.logf(action, http.StatusOK, "")
	e.afterCall(call)
	writeJSON(w, http.StatusOK, reqID, body)
}

func (e *Emulator) logf(action string, status int, code string, extra ...string) {
	if e.cfg.Logf != nil {
		e.cfg.Logf("action=%s status=%d code=%s%s", action, status, code, strings.Join(extra, ""))
	}
}

// record appends a call served for r and returns a copy of it; e.mu must be
// held. Only the latest MaxRecordedCalls calls are kept; CountCalls counts
// them all.
func (e *Emulator) record(r *http.Request, action string, status int, code string, params map[string]string, principal string, dropped bool) Call {
	if len(e.calls) >= 2*MaxRecordedCalls {
		e.calls = append([]Call(nil), e.calls[len(e.calls)-MaxRecordedCalls+1:]...)
	}
	c := Call{
		Action: action, Code: code, Status: status, Params: cloneMap(params), Principal: principal, Dropped: dropped,
		UserAgent: r.Header.Get("User-Agent"),
	}
	e.calls = append(e.calls, c)
	e.callCounts[action]++
	c.Params = cloneMap(c.Params)
	return c
}

// afterCall runs Config.AfterCall, if any, for a call just handled; e.mu
// must not be held.
func (e *Emulator) afterCall(c Call) {
	if e.cfg.AfterCall != nil {
		e.cfg.AfterCall(c)
	}
}

// readParams merges the query string and an x-www-form-urlencoded body; a
// body value overrides a query value of the same name, and the first value of
// a repeated name is used.
func readParams(r *http.Request) (map[string]string, *apiError) {
	params := make(map[string]string)
	q, qerr := url.ParseQuery(r.URL.RawQuery)
	for k, vs := range q {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	if qerr != nil {
		return params, &apiError{status: http.StatusBadRequest, code: "InvalidParameter", msg: "The query string is malformed."}
	}
	if r.Body == nil || r.Body == http.NoBody {
		return params, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return params, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return params, &apiError{status: http.StatusBadRequest, code: "InvalidParameter", msg: "The request body could not be read."}
	}
	if len(raw) > maxBodyBytes {
		return params, &apiError{status: http.StatusRequestEntityTooLarge, code: "InvalidParameter", msg: "The request body is too large."}
	}
	form, ferr := url.ParseQuery(string(bytes.TrimSpace(raw)))
	for k, vs := range form {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	if ferr != nil {
		return params, &apiError{status: http.StatusBadRequest, code: "InvalidParameter", msg: "The request body is malformed."}
	}
	return params, nil
}

func businessParams(params map[string]string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if !commonParams[k] {
			out[k] = v
		}
	}
	return out
}

// authenticate runs the gateway checks in order and returns the request's
// principal (Call.Principal); e.mu must be held. On success the nonce is
// remembered. AssumeRoleWithOIDC is not signed: only its Action and Version
// are checked here.
func (e *Emulator) authenticate(method string, p map[string]string, now time.Time) (string, *apiError) {
	if p["Action"] == actionAssumeRoleWithOIDC && p["Version"] != "" {
		if p["Version"] != STSVersion {
			return "", errInvalidCommon("Version")
		}
		return PrincipalAnonymous, nil
	}
	for _, name := range []string{"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "SignatureNonce"} {
		if p[name] == "" {
			return "", errMissingCommon(name)
		}
	}
	version := APIVersion
	if _, ok := stsActions[p["Action"]]; ok {
		version = STSVersion
	}
	if p["Version"] != version {
		return "", errInvalidCommon("Version")
	}
	if p["SignatureMethod"] != "HMAC-SHA1" {
		return "", errInvalidCommon("SignatureMethod")
	}
	if p["SignatureVersion"] != "1.0" {
		return "", errInvalidCommon("SignatureVersion")
	}
	if handlerOf(p["Action"]) == nil {
		return "", &apiError{status: http.StatusNotFound, code: "InvalidAction.NotFound", msg: "The specified action is not found."}
	}
	akID := p["AccessKeyId"]
	ltSecret, isLongTerm := e.longTerm[akID]
	tokens := e.sts[akID]
	if !isLongTerm && len(tokens) == 0 {
		return "", &apiError{status: http.StatusNotFound, code: "InvalidAccessKeyId.NotFound", msg: "Specified access key is not found."}
	}
	ts, err := time.Parse(timestampLayout, p["Timestamp"])
	if err != nil {
		return "", &apiError{status: http.StatusBadRequest, code: "InvalidTimeStamp.Format", msg: "Specified time stamp or date header is not in the correct format."}
	}
	if d := now.Sub(ts); d > timestampWindow || d < -timestampWindow {
		return "", &apiError{status: http.StatusBadRequest, code: "InvalidTimeStamp.Expired", msg: "Specified time stamp or date header is expired."}
	}
	e.pruneNonces(now)
	nonceKey := akID + "\x00" + p["SignatureNonce"]
	if _, used := e.nonces[nonceKey]; used {
		return "", &apiError{status: http.StatusBadRequest, code: "SignatureNonceUsed", msg: "Specified signature nonce was used already."}
	}
	secret, principal := ltSecret, PrincipalStatic
	if tok := p["SecurityToken"]; tok != "" || !isLongTerm {
		var match *STSToken
		for i := range tokens {
			if tokens[i].SecurityToken == tok {
				match = &tokens[i]
				break
			}
		}
		if tok == "" || match == nil {
			return "", &apiError{status: http.StatusBadRequest, code: "InvalidSecurityToken.MismatchWithAccessKey", msg: "Specified SecurityToken mismatch with the AccessKey."}
		}
		if !match.Expiration.IsZero() && !now.Before(match.Expiration) {
			return "", &apiError{status: http.StatusBadRequest, code: "InvalidSecurityToken.Expired", msg: "Specified SecurityToken is expired."}
		}
		secret = match.AccessKeySecret
		if match.role != "" {
			principal = match.role
		}
	}
	values := make(url.Values, len(p))
	for k, v := range p {
		if k != "Signature" {
			values[k] = []string{v}
		}
	}
	sts := StringToSign(method, values)
	if !signatureMatches(Sign(sts, secret), p["Signature"]) {
		return "", &apiError{status: http.StatusBadRequest, code: "SignatureDoesNotMatch",
			msg: "Specified signature is not matched with our calculation. server string to sign is:" + sts}
	}
	e.rememberNonce(nonceKey, now)
	return principal, nil
}

// pruneNonces forgets nonces older than the window; e.mu must be held.
func (e *Emulator) pruneNonces(now time.Time) {
	for e.nonceHead < len(e.nonceQueue) {
		n := e.nonceQueue[e.nonceHead]
		if now.Sub(n.at) <= timestampWindow && len(e.nonces) < maxNonces {
			break
		}
		if at, ok := e.nonces[n.key]; ok && at.Equal(n.at) {
			delete(e.nonces, n.key)
		}
		e.nonceQueue[e.nonceHead] = nonceEntry{}
		e.nonceHead++
	}
	if e.nonceHead > 1024 && e.nonceHead*2 > len(e.nonceQueue) {
		e.nonceQueue = append([]nonceEntry(nil), e.nonceQueue[e.nonceHead:]...)
		e.nonceHead = 0
	}
}

func (e *Emulator) rememberNonce(key string, now time.Time) {
	e.nonces[key] = now
	e.nonceQueue = append(e.nonceQueue, nonceEntry{key: key, at: now})
}

// faultPlan is what fault injection decided for one request.
type faultPlan struct {
	delay    time.Duration
	throttle bool
	fail     *apiError
	drop     bool
}

// planFaults draws the faults of one request; e.mu must be held. The draws
// are derived from the request's RequestId, itself a function of (Seed,
// Action, business parameters, occurrence), so a given Seed injects the same
// faults into the same calls whatever order concurrent calls arrive in.
func (e *Emulator) planFaults(action, reqID string) faultPlan {
	f := e.faults
	if f.ThrottleRate <= 0 && f.ErrorRate <= 0 && f.Latency <= 0 && f.LatencyJitter <= 0 && f.DropRate <= 0 {
		return faultPlan{}
	}
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		return faultPlan{}
	}
	sum := sha256.Sum256([]byte(reqID))
	draw := func(i int) float64 {
		return float64(binary.BigEndian.Uint64(sum[i*6:i*6+8])>>11) / (1 << 53)
	}
	jitter, throttle, fail, kind, drop := draw(0), draw(1), draw(2), draw(3), draw(4)
	var p faultPlan
	p.delay = max(f.Latency, 0)
	if f.LatencyJitter > 0 {
		p.delay += time.Duration(jitter * float64(f.LatencyJitter))
	}
	p.throttle = throttle < f.ThrottleRate
	if fail < f.ErrorRate {
		if kind < 0.5 {
			p.fail = errUnavailable
		} else {
			p.fail = errInternal
		}
	}
	p.drop = drop < f.DropRate
	return p
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: abort the handler, which resets the stream.
	panic(http.ErrAbortHandler)
}

func writeJSON(w http.ResponseWriter, status int, reqID string, v any) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	buf := []byte(`{"RequestId":"` + reqID + `","Code":"InternalError","Message":"encoding failed"}`)
	if err := enc.Encode(v); err == nil {
		buf = bytes.TrimSuffix(out.Bytes(), []byte("\n"))
	} else {
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("x-acs-request-id", reqID)
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}

func writeError(w http.ResponseWriter, ae *apiError, reqID, hostID string) {
	writeJSON(w, ae.status, reqID, errorBody{
		RequestID: reqID,
		HostID:    hostID,
		Code:      ae.code,
		Message:   ae.msg,
		Recommend: "https://api.alibabacloud.com/troubleshoot?q=" + url.QueryEscape(ae.code) +
			"&product=ResourceDirectoryMaster&requestId=" + url.QueryEscape(reqID),
	})
}

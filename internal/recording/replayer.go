package recording

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

// Replayer is an http.Handler that answers from a cassette.
type Replayer struct {
	path string
	keys map[string]string // AccessKeyId -> secret

	shadow http.Handler // see SetShadow; nil when there is none

	mu         sync.Mutex
	entries    []*entry            // file order
	byKey      map[string][]*entry // match key -> entries in file order
	unexpected []string
	diverged   []string
	requests   int
}

// entry is one recorded interaction.
type entry struct {
	id          int
	key         string
	params      url.Values // match parameters
	interaction *cassette.Interaction
	used        bool
}

// LoadReplayer reads the cassette at path (including ".yaml") and returns a
// Replayer that accepts requests signed with any of keys.
func LoadReplayer(path string, keys []KeyPair) (*Replayer, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cassette %s does not exist: run `make record` to record it", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading cassette: %w", err)
	}
	c := cassette.New(strings.TrimSuffix(path, ".yaml"))
	if err := yaml.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("cassette %s is not a valid go-vcr cassette (%v): run `make record` to record it again", path, err)
	}
	if c.Version != cassette.CassetteFormatVersion {
		return nil, fmt.Errorf("cassette %s has format version %d, want %d: run `make record` to record it again",
			path, c.Version, cassette.CassetteFormatVersion)
	}
	p := &Replayer{path: path, keys: map[string]string{}, byKey: map[string][]*entry{}}
	for _, k := range keys {
		p.keys[k.AccessKeyID] = k.AccessKeySecret
	}
	for i, in := range c.Interactions {
		if in == nil {
			continue
		}
		params, err := interactionParams(in.Request)
		if err != nil {
			return nil, fmt.Errorf("cassette %s: interaction %d: %w", path, i, err)
		}
		mp := matchParams(params)
		e := &entry{id: in.ID, key: mp.Encode(), params: mp, interaction: in}
		p.entries = append(p.entries, e)
		p.byKey[e.key] = append(p.byKey[e.key], e)
	}
	return p, nil
}

// interactionParams returns a stored request's parameters: its form, or else
// its body, plus any query left in its URL.
func interactionParams(r cassette.Request) (url.Values, error) {
	params := url.Values{}
	if u, err := url.Parse(r.URL); err == nil {
		for k, vs := range u.Query() {
			params[k] = append(params[k], vs...)
		}
	}
	form := r.Form
	if len(form) == 0 && r.Body != "" {
		var err error
		if form, err = url.ParseQuery(r.Body); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// RecordedInProcess reports whether every interaction of the cassette was
// recorded against an in-process upstream (the emulator), whose answers a
// shadow can reproduce; false for a recording against a real endpoint.
func (p *Replayer) RecordedInProcess() bool {
	for _, e := range p.entries {
		if e.interaction.Request.Host != InProcessHost {
			return false
		}
	}
	return true
}

// SetShadow gives the replay a shadow: an in-process upstream configured as
// the one the cassette was recorded against (the emulator, with the same seed,
// options and clock for stored dates). Call it before serving.
//
// The shadow serves every request before the replay answers it, in the order
// this run makes them (admin paths too, and the shadow's answer is the one
// given to them), so the shadow's state and call log are those a live run
// would have: assertions on them hold in replay as they do live. The client
// still gets the recorded answer. For a cassette recorded in-process, the
// shadow's answer must equal the recorded one but for its RequestId, or Err
// reports the divergence: a call made in another order, or after other calls,
// than when it was recorded gets another answer from the API.
func (p *Replayer) SetShadow(h http.Handler) { p.shadow = h }

// ServeHTTP verifies the request's signature and answers with the first
// unused recorded interaction that matches it.
func (p *Replayer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if isAdminPath(req.URL.Path) {
		p.serveAdmin(w, req)
		return
	}
	params, body, err := requestParams(req)
	if err != nil {
		p.mu.Lock()
		p.unexpected = append(p.unexpected, "unreadable request: "+err.Error())
		p.mu.Unlock()
		writeAPIError(w, req, http.StatusBadRequest, "InvalidParameter", "The request could not be parsed: "+err.Error())
		return
	}
	mp := matchParams(params)
	key := mp.Encode()
	authStatus, authCode, authMsg, sts := p.verify(req.Method, params)
	var shadowed *upstreamResponse
	if p.shadow != nil {
		res := forwardInProcess(p.shadow, req, body)
		shadowed = &res
	}

	p.mu.Lock()
	p.requests++
	requestID := fmt.Sprintf("00000000-0000-4000-8000-%012d", p.requests)
	var chosen *entry
	var problem string
	candidates := p.byKey[key]
	next := firstUnused(candidates)
	switch {
	case authCode != "":
		// The recording may hold the same rejection (a test that checks the
		// error for wrong credentials): replay it.
		if next != nil && isAuthFailure(next.interaction.Response) {
			chosen = next
		} else {
			problem = fmt.Sprintf("rejected request (%s: %s): %s", authCode, rejectionReason(authCode), describe(mp))
		}
	case next != nil:
		chosen = next
	case len(candidates) > 0:
		problem = fmt.Sprintf("called more often than recorded: %s (recorded %d, this is call %d)",
			describe(mp), len(candidates), len(candidates)+1)
	default:
		problem = "unexpected request: " + describe(mp) + "; " + p.closest(mp)
	}
	if chosen != nil {
		chosen.used = true
		if shadowed != nil && chosen.interaction.Request.Host == InProcessHost {
			if d := divergence(chosen.interaction.Response, *shadowed, volatileValues(params)); d != "" {
				p.diverged = append(p.diverged, describe(mp)+": "+d)
			}
		}
	}
	if problem != "" {
		p.unexpected = append(p.unexpected, problem)
	}
	p.mu.Unlock()

	switch {
	case chosen != nil && authCode != "":
		// The recorded message ends with a scrubbed string to sign; the SDK
		// compares it with its own to tell a wrong secret from an encoding
		// problem, so answer with this request's string to sign.
		resp := chosen.interaction.Response
		resp.Body = strings.ReplaceAll(resp.Body, stringToSignMarker+Scrubbed, stringToSignMarker+sts)
		writeRecorded(w, resp)
	case chosen != nil:
		writeRecorded(w, chosen.interaction.Response)
	case authCode != "":
		writeAPIErrorID(w, req, requestID, authStatus, authCode, authMsg)
	default:
		writeAPIErrorID(w, req, requestID, http.StatusInternalServerError, "Replay.UnexpectedRequest",
			"The cassette "+p.path+" holds no answer for this request: "+problem)
	}
}

// serveAdmin answers a request to the emulator's admin path: from the shadow
// when there is one, else with 200 "{}" (the recorded answers already reflect
// what the request did when recording).
func (p *Replayer) serveAdmin(w http.ResponseWriter, req *http.Request) {
	if p.shadow == nil {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = w.Write([]byte("{}"))
		return
	}
	body, err := readAllLimited(req.Body, maxBody)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeUpstream(w, forwardInProcess(p.shadow, req, body))
}

// divergence describes how the shadow's answer got differs from the recorded
// answer rec, RequestIds and scrubbed values aside; "" when they agree.
func divergence(rec cassette.Response, got upstreamResponse, volatile []string) string {
	body := scrubBody(string(got.body), volatile)
	switch {
	case isDropped(rec) && got.dropped:
		return ""
	case isDropped(rec):
		return "the emulator answers " + answerSummary(got.code, body) + ", the cassette holds a dropped connection"
	case got.dropped:
		return "the emulator drops the connection, the cassette holds " + answerSummary(rec.Code, rec.Body)
	case got.code == rec.Code && withoutRequestID(body) == withoutRequestID(rec.Body):
		return ""
	}
	return "the emulator answers " + answerSummary(got.code, body) + ", the cassette holds " + answerSummary(rec.Code, rec.Body)
}

// answerSummary renders an answer for a report: its status and error code,
// or its status and body (shortened) when it has no error code.
func answerSummary(status int, body string) string {
	var e struct{ Code string }
	if json.Unmarshal([]byte(body), &e) == nil && e.Code != "" {
		return fmt.Sprintf("HTTP %d %s", status, e.Code)
	}
	body = withoutRequestID(body)
	if len(body) > 400 {
		body = body[:400] + "…"
	}
	return fmt.Sprintf("HTTP %d %s", status, body)
}

// verify checks the request's signature against the configured keys. It
// returns an empty code when the signature is good, and the string to sign
// computed from the request.
func (p *Replayer) verify(method string, params url.Values) (status int, code, msg, sts string) {
	unsigned := make(url.Values, len(params))
	for k, vs := range params {
		if k != "Signature" {
			unsigned[k] = vs
		}
	}
	sts = emulator.StringToSign(method, unsigned)
	id, sig := params.Get("AccessKeyId"), params.Get("Signature")
	switch {
	case id == "":
		return http.StatusBadRequest, "MissingParameter", "You must specify AccessKeyId.", sts
	case sig == "":
		return http.StatusBadRequest, "MissingParameter", "You must specify Signature.", sts
	}
	secret, ok := p.keys[id]
	if !ok {
		return http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", sts
	}
	if subtle.ConstantTimeCompare([]byte(emulator.Sign(sts, secret)), []byte(sig)) != 1 {
		return http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. " + stringToSignMarker + sts, sts
	}
	return 0, "", "", sts
}

func rejectionReason(code string) string {
	switch code {
	case "SignatureDoesNotMatch":
		return "the signature does not match the configured secret of its AccessKeyId"
	case "InvalidAccessKeyId.NotFound":
		return "the AccessKeyId is not one of the configured keys"
	default:
		return "AccessKeyId or Signature missing"
	}
}

func firstUnused(list []*entry) *entry {
	for _, e := range list {
		if !e.used {
			return e
		}
	}
	return nil
}

// closest describes the recorded interaction most like mp: the same Action
// with the most equal parameters, or any interaction when no Action matches.
// It must be called with p.mu held.
func (p *Replayer) closest(mp url.Values) string {
	var best *entry
	bestSameAction, bestScore := false, 0
	for _, e := range p.entries {
		same := e.params.Get("Action") == mp.Get("Action")
		score := similarity(mp, e.params)
		if best == nil || (same && !bestSameAction) || (same == bestSameAction && score > bestScore) {
			best, bestSameAction, bestScore = e, same, score
		}
	}
	if best == nil {
		return "the cassette holds no interactions"
	}
	group := p.byKey[best.key]
	used := 0
	for _, e := range group {
		if e.used {
			used++
		}
	}
	msg := fmt.Sprintf("closest recorded: %s (used %d of %d)", describe(best.params), used, len(group))
	return msg + paramDiff(mp, best.params)
}

// similarity is the number of equal parameters minus the number of differing
// ones.
func similarity(a, b url.Values) int {
	score := 0
	for k, va := range a {
		if equalValues(va, b[k]) {
			score++
		} else {
			score--
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			score--
		}
	}
	return score
}

func equalValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// paramDiff lists, one per indented line, how the sent parameters differ from
// the recorded ones.
func paramDiff(sent, rec url.Values) string {
	union := url.Values{}
	for k := range sent {
		union[k] = nil
	}
	for k := range rec {
		union[k] = nil
	}
	var b strings.Builder
	for _, k := range sortedKeys(union) {
		s, r := sent[k], rec[k]
		switch {
		case equalValues(s, r):
		case r == nil:
			fmt.Fprintf(&b, "\n    %s: sent %s, not recorded", k, joinValues(s))
		case s == nil:
			fmt.Fprintf(&b, "\n    %s: not sent, recorded %s", k, joinValues(r))
		default:
			fmt.Fprintf(&b, "\n    %s: sent %s, recorded %s", k, joinValues(s), joinValues(r))
		}
	}
	return b.String()
}

func joinValues(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quoteIfNeeded(v)
	}
	return strings.Join(q, ",")
}

// Unexpected returns one readable message per request the cassette could not
// answer (or whose signature was rejected without the recording holding that
// rejection).
func (p *Replayer) Unexpected() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.unexpected...)
}

// Unused returns one readable line per recorded interaction never replayed.
func (p *Replayer) Unused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.entries {
		if e.used {
			continue
		}
		group := p.byKey[e.key]
		used := 0
		for _, g := range group {
			if g.used {
				used++
			}
		}
		out = append(out, fmt.Sprintf("recorded but never requested: %s (interaction %d; used %d of %d)",
			describe(e.params), e.id, used, len(group)))
	}
	return out
}

// Diverged returns one readable line per replayed request whose recorded
// answer differs from the shadow's (see SetShadow).
func (p *Replayer) Diverged() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.diverged...)
}

// Err returns nil when every request was expected, every recorded
// interaction was replayed and the shadow, if any, answered every request as
// recorded; otherwise a multi-line report.
func (p *Replayer) Err() error {
	unexpected, unused, diverged := p.Unexpected(), p.Unused(), p.Diverged()
	if len(unexpected) == 0 && len(unused) == 0 && len(diverged) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "replay of %s: %d unexpected request(s), %d recorded interaction(s) never requested",
		p.path, len(unexpected), len(unused))
	if len(diverged) > 0 {
		fmt.Fprintf(&b, ", %d answer(s) the emulator now gives differently (a call made in another order, or after other calls)",
			len(diverged))
	}
	b.WriteString(" (if the provider's API calls changed on purpose, run `make record` to refresh the cassette)")
	for _, list := range [][]string{unexpected, unused} {
		for _, m := range list {
			b.WriteString("\n  ")
			b.WriteString(m)
		}
	}
	for _, m := range diverged {
		b.WriteString("\n  answered differently: ")
		b.WriteString(m)
	}
	return errors.New(b.String())
}

// authFailureCodes are the error codes a server answers a request whose
// credentials or signature it rejects with.
var authFailureCodes = []string{"SignatureDoesNotMatch", "InvalidAccessKeyId", "IncompleteSignature", "InvalidSecurityToken", "MissingParameter"}

func isAuthFailure(r cassette.Response) bool {
	if r.Code < 400 || r.Code >= 500 {
		return false
	}
	var body struct{ Code string }
	if json.Unmarshal([]byte(r.Body), &body) != nil {
		return false
	}
	for _, c := range authFailureCodes {
		if body.Code == c || strings.HasPrefix(body.Code, c+".") {
			return true
		}
	}
	return false
}

func isDropped(r cassette.Response) bool {
	return r.Headers.Get(DroppedHeader) == "true"
}

// writeRecorded answers with a recorded response, or drops the connection.
func writeRecorded(w http.ResponseWriter, r cassette.Response) {
	if isDropped(r) {
		DropConnection(w)
		return
	}
	for k, vs := range r.Headers {
		w.Header()[k] = append([]string(nil), vs...)
	}
	code := r.Code
	if code == 0 {
		code = http.StatusOK
	}
	w.WriteHeader(code)
	_, _ = w.Write([]byte(r.Body))
}

// apiError is the API's error body.
type apiError struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func writeAPIError(w http.ResponseWriter, req *http.Request, status int, code, msg string) {
	writeAPIErrorID(w, req, "00000000-0000-4000-8000-000000000000", status, code, msg)
}

func writeAPIErrorID(w http.ResponseWriter, req *http.Request, requestID string, status int, code, msg string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(apiError{
		RequestID: requestID,
		HostID:    req.Host,
		Code:      code,
		Message:   msg,
		Recommend: "https://api.alibabacloud.com/troubleshoot?q=" + url.QueryEscape(code) +
			"&product=ResourceDirectoryMaster&requestId=" + requestID,
	})
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

package acctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/recording"
)

// FaultProxy sits between the provider and a test's server (emulator,
// recorder or replayer) and misbehaves on chosen calls, as a failing API or
// a network does: it answers a call with an API error instead of forwarding
// it, forwards a call and drops the connection instead of answering, holds a
// call until the client gives up, or sends a call again with the query and
// body, so the nonce and signature, of the first request it received. Every
// other call it forwards unchanged: it never signs a request itself.
//
// It works the same in replay, record and live modes: what reaches the
// server is recorded and replayed as usual, the misbehaviour is the
// proxy's. Point the provider at it with ProviderBlock or Config, and choose
// the misbehaviour of each step with Arm.
type FaultProxy struct {
	// URL is the proxy's endpoint.
	URL string

	t        *testing.T
	upstream string
	mu       sync.Mutex
	rules    []*armedRule
	events   []string
	first    *firstRequest // the first request received, for ReplayFirst
}

// Rule picks calls of Action (every action when empty) whose parameters hold
// every parameter of Match, and does one thing to them: Fail, Drop,
// HoldBefore, HoldAfter or ReplayFirst. Counting the calls it picks from the
// Arm that set it, it acts on the Nth (default 1) and on the Times-1 calls
// after it (Times defaults to 1).
type Rule struct {
	Action string
	Match  map[string]string
	Nth    int
	Times  int

	// Fail answers the call with this error; the call is not forwarded.
	Fail *APIError
	// Drop forwards the call, then closes the connection without
	// answering: the call is applied, its answer lost.
	Drop bool
	// HoldBefore holds the call before forwarding it, until the client
	// gives up (then it is never forwarded) or the hold ends.
	HoldBefore time.Duration
	// HoldAfter forwards the call, then holds its answer until the client
	// gives up (then the connection is closed) or the hold ends.
	HoldAfter time.Duration
	// ReplayFirst forwards, instead of the call, the query and body of the
	// first request the proxy received, as a replaying middlebox would: same
	// nonce, same signature.
	ReplayFirst bool
}

// APIError is an error answer of the API, as Rule.Fail sends it: a JSON body
// with RequestId, HostId (the Host the request was sent to), Code, Message
// and a Recommend link.
type APIError struct {
	Status    int // HTTP status; default 400
	Code      string
	Message   string
	RequestID string
}

type armedRule struct {
	Rule
	seen int
}

type firstRequest struct {
	rawQuery string
	body     []byte
	action   string
}

// NewFaultProxy starts a proxy in front of upstream, the URL of a test's
// server, and stops it when the test ends. Until armed it forwards every
// call.
func NewFaultProxy(t *testing.T, upstream string) *FaultProxy {
	t.Helper()
	p := &FaultProxy{t: t, upstream: strings.TrimSuffix(upstream, "/")}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// ProviderBlock is the provider configuration pointing at the proxy, signing
// with the acceptance-test key pair.
func (p *FaultProxy) ProviderBlock() string { return p.ProviderBlockWith("") }

// ProviderBlockWith adds extra attribute lines to the provider block.
func (p *FaultProxy) ProviderBlockWith(extra string) string {
	return ProviderBlock(p.URL, AccessKeyID, AccessKeySecret, extra)
}

// Config prepends the provider block to a configuration.
func (p *FaultProxy) Config(hcl string) string { return p.ProviderBlock() + hcl }

// Arm returns a function (for a test step's PreConfig) that replaces the
// rules with these and forgets the events; with no rule, every call goes
// through.
func (p *FaultProxy) Arm(rules ...Rule) func() {
	p.t.Helper()
	for _, r := range rules {
		if err := r.check(); err != nil {
			p.t.Fatalf("FaultProxy.Arm: %v", err)
		}
	}
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.rules, p.events = nil, nil
		for _, r := range rules {
			if r.Nth == 0 {
				r.Nth = 1
			}
			if r.Times == 0 {
				r.Times = 1
			}
			p.rules = append(p.rules, &armedRule{Rule: r})
		}
	}
}

func (r Rule) check() error {
	n := 0
	for _, set := range []bool{r.Fail != nil, r.Drop, r.HoldBefore > 0, r.HoldAfter > 0, r.ReplayFirst} {
		if set {
			n++
		}
	}
	switch {
	case n != 1:
		return fmt.Errorf("a rule (action %q) does one thing: Fail, Drop, HoldBefore, HoldAfter or ReplayFirst; this one does %d", r.Action, n)
	case r.Nth < 0 || r.Times < 0:
		return fmt.Errorf("a rule (action %q) with Nth %d and Times %d", r.Action, r.Nth, r.Times)
	}
	return nil
}

// Events lists what the proxy did since it was last armed, in order: one
// line for each call it failed, dropped, held until the client gave up or
// replaced, and for each call it could not forward.
func (p *FaultProxy) Events() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.events)
}

// ExpectEvents is a check that the proxy did exactly these things since it
// was last armed (see Events).
func (p *FaultProxy) ExpectEvents(want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := p.Events(); !slices.Equal(got, want) {
			return fmt.Errorf("proxy events:\n got %q\nwant %q", got, want)
		}
		return nil
	}
}

// pick counts the call against every rule it matches and returns the first
// rule that acts on it, or nil.
func (p *FaultProxy) pick(action string, form url.Values) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.rules {
		if r.Action != "" && r.Action != action {
			continue
		}
		ok := true
		for k, v := range r.Match {
			ok = ok && form.Get(k) == v
		}
		if !ok {
			continue
		}
		r.seen++
		if r.seen >= r.Nth && r.seen < r.Nth+r.Times {
			return &r.Rule
		}
	}
	return nil
}

// firstOr remembers the request as the first one received, unless there was
// one already, and returns the first.
func (p *FaultProxy) firstOr(f firstRequest) firstRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first == nil {
		p.first = &f
	}
	return *p.first
}

func (p *FaultProxy) event(format string, args ...any) {
	p.mu.Lock()
	p.events = append(p.events, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	for k, vs := range r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = vs
		}
	}
	action := form.Get("Action")
	rule := p.pick(action, form)
	first := p.firstOr(firstRequest{rawQuery: r.URL.RawQuery, body: body, action: action})

	target := p.upstream + r.URL.RequestURI()
	switch {
	case rule == nil:
	case rule.Fail != nil:
		rule.Fail.write(w, r.Host)
		p.event("%s answered %s (HTTP %d), not forwarded", action, rule.Fail.Code, rule.Fail.status())
		return
	case rule.HoldBefore > 0:
		select {
		case <-r.Context().Done():
			p.event("%s held; the client gave up, not forwarded", action)
			return
		case <-time.After(rule.HoldBefore):
		}
	case rule.ReplayFirst:
		u := *r.URL
		u.RawQuery = first.rawQuery
		target, body = p.upstream+u.RequestURI(), first.body
		p.event("%s replaced by the first request received (%s): same nonce, same signature", action, first.action)
	}
	req, err := http.NewRequest(r.Method, target, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		p.event("%s upstream failed: %v", action, err)
		recording.DropConnection(w)
		return
	}
	resBody, _ := io.ReadAll(res.Body)
	res.Body.Close()

	switch {
	case rule == nil:
	case rule.Drop:
		p.event("%s forwarded (HTTP %d), answer dropped", action, res.StatusCode)
		recording.DropConnection(w)
		return
	case rule.HoldAfter > 0:
		select {
		case <-r.Context().Done():
			p.event("%s forwarded (HTTP %d), answer held; the client gave up", action, res.StatusCode)
			recording.DropConnection(w)
			return
		case <-time.After(rule.HoldAfter):
		}
	}
	for k, vs := range res.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(resBody)
}

func (e *APIError) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// write answers with the error, as the API does; host is the Host the
// request was sent to.
func (e *APIError) write(w http.ResponseWriter, host string) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		RequestID string `json:"RequestId"`
		HostID    string `json:"HostId"`
		Code      string `json:"Code"`
		Message   string `json:"Message"`
		Recommend string `json:"Recommend"`
	}{e.RequestID, host, e.Code, e.Message,
		"https://api.alibabacloud.com/troubleshoot?q=" + url.QueryEscape(e.Code) + "&product=ResourceDirectoryMaster"})
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(e.status())
	_, _ = w.Write(bytes.TrimSuffix(body.Bytes(), []byte("\n")))
}

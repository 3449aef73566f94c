package recording

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// InProcessHost is the host written into cassettes recorded against an
// in-process upstream (its real address changes from run to run).
const InProcessHost = "rd.test"

// Recorder is an http.Handler that forwards every request to an upstream and
// keeps each request/response pair for [Recorder.Save].
type Recorder struct {
	handler http.Handler // in-process upstream, or nil
	base    *url.URL     // remote upstream, or nil
	client  *http.Client
	host    string // host written into the cassette

	mu           sync.Mutex
	interactions []recorded
}

// recorded is one interaction as captured, in arrival order.
type recorded struct {
	key         string
	interaction cassette.Interaction
}

// NewRecorder returns a Recorder in front of an in-process upstream (the
// emulator).
func NewRecorder(upstream http.Handler) *Recorder {
	return &Recorder{handler: upstream, host: InProcessHost}
}

// NewRecorderURL returns a Recorder in front of a remote upstream such as
// https://resourcedirectory.aliyuncs.com. The signed request is forwarded
// unchanged: same method, path, query and body.
func NewRecorderURL(upstreamURL string) (*Recorder, error) {
	u, err := url.Parse(upstreamURL)
	if err != nil {
		return nil, fmt.Errorf("recording: upstream URL %q: %w", upstreamURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("recording: upstream URL %q: want http(s)://host[:port]", upstreamURL)
	}
	defaultTransport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("recording: http.DefaultTransport is a %T, want an *http.Transport to clone", http.DefaultTransport)
	}
	transport := defaultTransport.Clone()
	return &Recorder{
		base:   u,
		client: &http.Client{Transport: transport, Timeout: 2 * time.Minute},
		host:   u.Host,
	}, nil
}

// ServeHTTP forwards the request, answers the client with the upstream's
// response unchanged and records the interaction.
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if isAdminPath(req.URL.Path) {
		r.passThrough(w, req)
		return
	}
	params, body, err := requestParams(req)
	if err != nil {
		writeAPIError(w, req, http.StatusBadRequest, "InvalidParameter",
			"The request could not be parsed: "+err.Error())
		return
	}

	var res upstreamResponse
	if r.handler != nil {
		res = forwardInProcess(r.handler, req, body)
	} else {
		res, err = r.forwardRemote(req, body)
		if err != nil {
			writeAPIError(w, req, http.StatusBadGateway, "Recording.UpstreamError",
				"The recording proxy could not reach the upstream: "+err.Error())
			return
		}
	}

	r.add(params, res)
	writeUpstream(w, res)
}

// passThrough forwards a request to the emulator's admin path (test hooks
// outside the API) without recording it.
func (r *Recorder) passThrough(w http.ResponseWriter, req *http.Request) {
	body, err := readAllLimited(req.Body, maxBody)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var res upstreamResponse
	if r.handler != nil {
		res = forwardInProcess(r.handler, req, body)
	} else if res, err = r.forwardRemote(req, body); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeUpstream(w, res)
}

// writeUpstream answers the client with an upstream's answer, or drops the
// connection when the upstream dropped it.
func writeUpstream(w http.ResponseWriter, res upstreamResponse) {
	if res.dropped {
		DropConnection(w)
		return
	}
	for k, vs := range res.header {
		w.Header()[k] = slices.Clone(vs)
	}
	w.WriteHeader(res.code)
	_, _ = w.Write(res.body)
}

type upstreamResponse struct {
	dropped bool
	code    int
	header  http.Header
	body    []byte
}

// forwardInProcess serves req (whose body was read into body) with the
// in-process upstream h and captures its answer.
func forwardInProcess(h http.Handler, req *http.Request, body []byte) (res upstreamResponse) {
	out := req.Clone(req.Context())
	// The upstream sees a fixed host, so that whatever it echoes of it (the
	// HostId of error bodies) does not depend on the test server's port.
	out.Host = InProcessHost
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	cw := &captureWriter{header: http.Header{}}
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			res = upstreamResponse{dropped: true}
		}
	}()
	h.ServeHTTP(cw, out)
	if cw.hijacked {
		return upstreamResponse{dropped: true}
	}
	code := cw.code
	if code == 0 {
		code = http.StatusOK
	}
	return upstreamResponse{code: code, header: cw.header, body: cw.body.Bytes()}
}

func (r *Recorder) forwardRemote(req *http.Request, body []byte) (upstreamResponse, error) {
	target := *r.base
	target.Path = req.URL.Path
	target.RawPath = req.URL.RawPath
	target.RawQuery = req.URL.RawQuery
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), 2*time.Minute)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, req.Method, target.String(), bytes.NewReader(body))
	if err != nil {
		return upstreamResponse{}, err
	}
	for k, vs := range req.Header {
		if !hopByHop(k) {
			out.Header[k] = slices.Clone(vs)
		}
	}
	resp, err := r.client.Do(out)
	if err != nil {
		if isDrop(err) {
			return upstreamResponse{dropped: true}, nil
		}
		return upstreamResponse{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		if isDrop(err) {
			return upstreamResponse{dropped: true}, nil
		}
		return upstreamResponse{}, err
	}
	header := resp.Header.Clone()
	header.Del("Content-Length")
	return upstreamResponse{code: resp.StatusCode, header: header, body: data}, nil
}

func hopByHop(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade", "Accept-Encoding", "Content-Length", "Host":
		return true
	}
	return false
}

func isDrop(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// add stores one interaction. Volatile parameters are dropped, and their
// values are scrubbed from the response body.
func (r *Recorder) add(params url.Values, res upstreamResponse) {
	stored := storedParams(params)
	encoded := stored.Encode()
	in := cassette.Interaction{
		Request: cassette.Request{
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			ContentLength: int64(len(encoded)),
			Host:          r.host,
			Body:          encoded,
			Form:          stored,
			Headers:       http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			URL:           r.scheme() + "://" + r.host + "/",
			Method:        http.MethodPost,
		},
	}
	if res.dropped {
		in.Response = cassette.Response{
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Headers:    http.Header{DroppedHeader: {"true"}},
			Status:     "connection dropped",
		}
	} else {
		body := scrubBody(string(res.body), volatileValues(params))
		headers := http.Header{}
		if ct := res.header.Get("Content-Type"); ct != "" {
			headers.Set("Content-Type", ct)
		}
		in.Response = cassette.Response{
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			ContentLength: int64(len(body)),
			Body:          body,
			Headers:       headers,
			Status:        fmt.Sprintf("%d %s", res.code, http.StatusText(res.code)),
			Code:          res.code,
		}
	}
	r.mu.Lock()
	r.interactions = append(r.interactions, recorded{key: MatchKey(params), interaction: in})
	r.mu.Unlock()
}

func (r *Recorder) scheme() string {
	if r.base != nil {
		return r.base.Scheme
	}
	return "http"
}

// volatileValues lists the request's volatile parameter values worth
// scrubbing (very short values would match unrelated text).
func volatileValues(params url.Values) []string {
	var out []string
	for _, name := range VolatileParams {
		for _, v := range params[name] {
			if len(v) >= 6 && v != Scrubbed {
				out = append(out, v)
			}
		}
	}
	return out
}

var stringToSignSuffix = regexp.MustCompile(regexp.QuoteMeta(stringToSignMarker) + `(?:[^"\\]|\\.)*`)

// scrubBody replaces the echoed string to sign and every occurrence of the
// given values (raw, or percent-encoded as in a string to sign) by Scrubbed.
func scrubBody(body string, values []string) string {
	body = stringToSignSuffix.ReplaceAllLiteralString(body, stringToSignMarker+Scrubbed)
	for _, v := range values {
		for _, form := range encodings(v) {
			body = strings.ReplaceAll(body, form, Scrubbed)
		}
	}
	return body
}

// encodings returns v and its percent-encoded forms (form encoding, RFC 3986,
// and RFC 3986 applied twice as inside a string to sign), longest first.
func encodings(v string) []string {
	q := url.QueryEscape(v)
	rfc := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(q)
	twice := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(rfc))
	out := []string{twice, rfc, q, v}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// Save writes the recorded interactions as a go-vcr v4 cassette at path
// (which includes the ".yaml" extension), creating directories as needed.
// Interactions are sorted stably by match key, and interchangeable answers
// are put in a canonical order (see canonicalOrder), so the file does not
// depend on the arrival order of concurrent calls.
func (r *Recorder) Save(path string) error {
	r.mu.Lock()
	list := slices.Clone(r.interactions)
	r.mu.Unlock()
	slices.SortStableFunc(list, func(a, b recorded) int { return strings.Compare(a.key, b.key) })
	canonicalOrder(list)

	c := cassette.New(strings.TrimSuffix(path, ".yaml"))
	c.File = path
	for i := range list {
		in := list[i].interaction
		in.ID = i
		c.Interactions = append(c.Interactions, &in)
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("recording: encoding cassette %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	payload := append([]byte("---\n"), data...)
	if err := os.WriteFile(path, payload, 0o644); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return nil
}

// canonicalOrder sorts, in list (already sorted by match key), every run of
// consecutive interactions with the same key whose responses are equal but
// for their RequestId, by response body then request body. Identical calls
// made concurrently (two data sources reading the same contact) get their
// RequestIds in arrival order, which changes from run to run; since their
// answers differ only in the RequestId, which one replay hands out first
// carries no meaning. Runs whose answers differ otherwise (a throttled call
// and its successful retry) keep their recorded order.
func canonicalOrder(list []recorded) {
	for i := 0; i < len(list); {
		first := list[i]
		j := i + 1
		for j < len(list) && list[j].key == first.key && sameButRequestID(first.interaction.Response, list[j].interaction.Response) {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(list[i:j], func(a, b recorded) int {
				if c := strings.Compare(a.interaction.Response.Body, b.interaction.Response.Body); c != 0 {
					return c
				}
				return strings.Compare(a.interaction.Request.Body, b.interaction.Request.Body)
			})
		}
		i = j
	}
}

// requestIDs matches the RequestId of a JSON or XML response body, and the
// requestId parameter of the Recommend URL of an error body.
var requestIDs = regexp.MustCompile(`("RequestId"\s*:\s*")[^"]*(")|(<RequestId>)[^<]*(</RequestId>)|([?&]requestId=)[^"&\\\s]*()`)

// withoutRequestID blanks the RequestIds of a response body.
func withoutRequestID(body string) string {
	return requestIDs.ReplaceAllString(body, "$1$3$5$2$4$6")
}

// sameButRequestID reports whether two stored responses are equal once
// their RequestIds are blanked.
func sameButRequestID(a, b cassette.Response) bool {
	return a.Code == b.Code && a.Status == b.Status && isDropped(a) == isDropped(b) &&
		a.Headers.Get("Content-Type") == b.Headers.Get("Content-Type") &&
		withoutRequestID(a.Body) == withoutRequestID(b.Body)
}

// captureWriter is the ResponseWriter an in-process upstream writes to. A
// hijack means the upstream dropped the connection.
type captureWriter struct {
	header      http.Header
	code        int
	wroteHeader bool
	hijacked    bool
	body        bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(code int) {
	if c.wroteHeader || c.hijacked {
		return
	}
	c.wroteHeader = true
	c.code = code
}

func (c *captureWriter) Write(p []byte) (int, error) {
	if c.hijacked {
		return 0, http.ErrHijacked
	}
	if !c.wroteHeader {
		c.WriteHeader(http.StatusOK)
	}
	return c.body.Write(p)
}

func (c *captureWriter) Flush() {}

// Hijack hands the upstream one end of a pipe whose other end is already
// closed: whatever it writes goes nowhere, and it sees end of file.
func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if c.hijacked {
		return nil, nil, http.ErrHijacked
	}
	c.hijacked = true
	mine, theirs := net.Pipe()
	_ = theirs.Close()
	return mine, bufio.NewReadWriter(bufio.NewReader(mine), bufio.NewWriter(mine)), nil
}

// DropConnection closes the client's connection without an answer, as an
// upstream that lost its answer does.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("request body larger than %d bytes", limit)
	}
	return data, nil
}

// Package recording records and replays the RPC traffic of the
// Resource Directory message-contact API (the "recorded mock server").
//
// A [Recorder] is an http.Handler that proxies every request to an upstream
// (the in-process emulator, or the real Alibaba Cloud endpoint) and keeps each
// request/response pair; [Recorder.Save] writes them as a go-vcr v4 cassette.
// A [Replayer] is an http.Handler that answers from such a cassette: it still
// verifies request signatures, matches requests on Action plus business
// parameters only, and reports every request the cassette does not hold and
// every recorded interaction that was never requested.
//
// # Cassette format
//
// Files use the go-vcr v4 cassette format (version 2, see
// gopkg.in/dnaeon/go-vcr.v4/pkg/cassette). Each interaction stores:
//
//   - request: method POST (whatever the client used), URL without query
//     (http://rd.test/ for an in-process upstream, scheme://host/ of the
//     remote endpoint otherwise), proto HTTP/1.1, header Content-Type only,
//     form = every parameter except the volatile ones (query and body merged,
//     set arrays sorted and renumbered), body = the canonical encoding of that
//     form (keys sorted), so files are deterministic.
//   - response: status, code, header Content-Type only, body verbatim except
//     for scrubbing (below), duration 0. No dates or timestamps are written.
//
// Volatile parameters ([VolatileParams]: AccessKeyId, Signature,
// SecurityToken, SignatureNonce, Timestamp) are removed entirely from the
// stored request; they are never stored and never matched on. In response
// bodies, any occurrence of one of the request's volatile values is replaced by
// [Scrubbed], and whatever follows "server string to sign is:" in an error
// message is replaced by [Scrubbed].
//
// An in-process upstream sees every request with Host rd.test, so that what
// it echoes of the host (HostId in error bodies) does not depend on the test
// server's port.
//
// A connection dropped by the upstream is stored with response code 0 and the
// header X-Recording-Dropped: true; replay then drops the connection too.
//
// Interactions are saved sorted (stably) by [MatchKey], so that concurrent
// calls arriving in a different order still give a byte-identical file;
// interactions with the same key keep their recorded order, which is the order
// replay answers them in, except that a run of consecutive ones whose
// responses are equal but for the RequestId (identical concurrent calls, whose
// RequestIds follow their arrival order) is sorted by response body: their
// order carries no meaning.
//
// # Matching
//
// The match key is Action plus the business parameters. [VolatileParams] and
// [CommonParams] are ignored; the array parameters in [SetParams]
// (MessageTypes.N, Members.N) are sets and match regardless of order. Common
// parameters are still stored (for the reader) and covered by the signature
// check, but a cassette recorded with another region, format or signature
// version still replays.
package recording

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// KeyPair is an AccessKey whose signatures the Replayer accepts.
type KeyPair struct{ AccessKeyID, AccessKeySecret string }

// VolatileParams are never stored in cassettes and never matched on.
var VolatileParams = []string{"AccessKeyId", "Signature", "SecurityToken", "SignatureNonce", "Timestamp", "OIDCToken"}

// CommonParams are stored in cassettes but ignored for matching: they describe
// the transport, not the call.
var CommonParams = []string{"Format", "Version", "SignatureMethod", "SignatureVersion", "SignatureType", "RegionId"}

// SetParams are the flattened array parameters (Name.N, 1-based) whose order
// carries no meaning: they are stored sorted and match regardless of order.
var SetParams = []string{"MessageTypes", "Members"}

// Scrubbed replaces secret or volatile values in stored response bodies.
const Scrubbed = "SCRUBBED"

// DroppedHeader marks, in a stored response, an interaction whose connection
// was dropped by the upstream without an answer.
const DroppedHeader = "X-Recording-Dropped"

// stringToSignMarker starts the part of a SignatureDoesNotMatch message that
// echoes the server's string to sign.
const stringToSignMarker = "server string to sign is:"

var indexedParam = regexp.MustCompile(`^(.+)\.([0-9]+)$`)

func isVolatile(name string) bool { return slices.Contains(VolatileParams, name) }
func isCommon(name string) bool   { return slices.Contains(CommonParams, name) }

// setParamName returns the set array a parameter belongs to ("Members" for
// "Members.3"), or "" when it is not an element of a set array.
func setParamName(name string) string {
	m := indexedParam.FindStringSubmatch(name)
	if m == nil || !slices.Contains(SetParams, m[1]) {
		return ""
	}
	return m[1]
}

// normalizeSets returns a copy of params where the elements of every set array
// are sorted and renumbered 1..n.
func normalizeSets(params url.Values) url.Values {
	out := make(url.Values, len(params))
	sets := map[string][]string{}
	for k, vs := range params {
		if s := setParamName(k); s != "" {
			sets[s] = append(sets[s], vs...)
			continue
		}
		out[k] = slices.Clone(vs)
	}
	for s, vs := range sets {
		sort.Strings(vs)
		for i, v := range vs {
			out.Add(s+"."+strconv.Itoa(i+1), v)
		}
	}
	return out
}

// storedParams is what a cassette keeps of a request's parameters: everything
// but the volatile parameters, with set arrays normalized.
func storedParams(params url.Values) url.Values {
	kept := make(url.Values, len(params))
	for k, vs := range params {
		if !isVolatile(k) {
			kept[k] = vs
		}
	}
	return normalizeSets(kept)
}

// matchParams is what matching compares: Action and the business parameters
// (no volatile or common parameters), with set arrays normalized.
func matchParams(params url.Values) url.Values {
	kept := make(url.Values, len(params))
	for k, vs := range params {
		if !isVolatile(k) && !isCommon(k) {
			kept[k] = vs
		}
	}
	return normalizeSets(kept)
}

// MatchKey is the key requests and recorded interactions are matched on: the
// canonical encoding of Action plus business parameters (volatile and common
// parameters dropped, set arrays sorted). Recorder and Replayer both use it.
func MatchKey(params url.Values) string {
	return matchParams(params).Encode()
}

// Describe renders the match parameters readably, Action first:
// "Action=UpdateMessageContact ContactId=c-1 PhoneNumber=86-13900000000".
func Describe(params url.Values) string {
	return describe(matchParams(params))
}

func describe(mp url.Values) string {
	var b strings.Builder
	for i, k := range sortedKeys(mp) {
		for j, v := range mp[k] {
			if i > 0 || j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(quoteIfNeeded(v))
		}
	}
	return b.String()
}

func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\r\n=\"';") || !strconv.IsPrint(firstNonPrint(v)) {
		return strconv.Quote(v)
	}
	return v
}

func firstNonPrint(v string) rune {
	for _, r := range v {
		if !strconv.IsPrint(r) {
			return r
		}
	}
	return 'a'
}

// sortedKeys orders parameter names: Action first, then by name, with the
// numeric suffix of Name.N compared as a number.
func sortedKeys(params url.Values) []string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareParamNames)
	return keys
}

func compareParamNames(a, b string) int {
	if a == b {
		return 0
	}
	if a == "Action" {
		return -1
	}
	if b == "Action" {
		return 1
	}
	ma, mb := indexedParam.FindStringSubmatch(a), indexedParam.FindStringSubmatch(b)
	if ma != nil && mb != nil && ma[1] == mb[1] {
		na, _ := strconv.Atoi(ma[2])
		nb, _ := strconv.Atoi(mb[2])
		if na != nb {
			if na < nb {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a, b)
}

// AdminPathPrefix starts the emulator's admin paths (test hooks outside the
// API, unsigned). The Recorder forwards them without recording; the Replayer
// acknowledges them with 200 "{}" (the recorded answers already reflect them).
const AdminPathPrefix = "/_emulator/"

func isAdminPath(path string) bool { return strings.HasPrefix(path, AdminPathPrefix) }

// maxBody bounds how much of a request body is read.
const maxBody = 8 << 20

// requestParams returns the request's parameters, query and
// x-www-form-urlencoded body merged (query first), and the raw body.
func requestParams(req *http.Request) (url.Values, []byte, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = readAllLimited(req.Body, maxBody)
		if err != nil {
			return nil, nil, err
		}
	}
	params, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return nil, body, err
	}
	if len(body) > 0 && isForm(req.Header.Get("Content-Type")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, body, err
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	return params, body, nil
}

func isForm(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return ct == "" || ct == "application/x-www-form-urlencoded"
}

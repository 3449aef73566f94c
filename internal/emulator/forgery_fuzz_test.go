package emulator

import (
	"maps"
	"net/http"
	"strings"
	"testing"
)

// gatewayCodes are the answers of requests the gateway did not
// authenticate (emulator.go, authenticate and ServeHTTP).
var gatewayCodes = map[string]bool{
	"MissingParameter":                           true,
	"InvalidParameter":                           true,
	"InvalidAction.NotFound":                     true,
	"UnsupportedHTTPMethod":                      true,
	"InvalidAccessKeyId.NotFound":                true,
	"InvalidTimeStamp.Format":                    true,
	"InvalidTimeStamp.Expired":                   true,
	"SignatureNonceUsed":                         true,
	"InvalidSecurityToken.Expired":               true,
	"InvalidSecurityToken.MismatchWithAccessKey": true,
	"SignatureDoesNotMatch":                      true,
}

// forgeryTemplates are the signed requests the fuzzer tampers with.
var forgeryTemplates = []map[string]string{
	{"Action": "UpdateMessageContact", "ContactId": "c-fuzz00000001", "Title": "CEO"},
	{"Action": "GetMessageContact", "ContactId": "c-fuzz00000001"},
	{"Action": "CancelMessageContactUpdate", "ContactId": "c-fuzz00000001", "EmailAddress": "f@example.com"},
	{"Action": "AssociateMembers", "ContactId": "c-fuzz00000001", "Members.1": "rd-aBcD12"},
}

// FuzzSignedRequestTamper takes a correctly signed request, places it in the
// body or the query, sends it with POST or GET, and appends arbitrary bytes
// to its query and body, the way someone on the path could. Whatever the
// tampering, a request the gateway authenticates must be the very request
// that was signed: the same method, Action and business parameters. A
// canonicalisation in which two different requests sign alike (an accepted
// forgery) fails it. FuzzParseRequest covers signatures not computed with the
// secret; this covers valid signatures moved onto other requests.
func FuzzSignedRequestTamper(f *testing.F) {
	f.Add(uint8(0), false, true, "", "")
	f.Add(uint8(0), false, true, "Title=Other", "")
	f.Add(uint8(0), false, true, "", "Title=Other")
	f.Add(uint8(0), false, false, "Title=Other", "")
	f.Add(uint8(0), false, false, "", "Title=Other")
	f.Add(uint8(0), true, false, "", "")
	f.Add(uint8(1), false, true, "ContactId=c-fuzz00000002", "")
	f.Add(uint8(1), false, false, "&ContactId=c-fuzz00000002", "")
	f.Add(uint8(1), false, true, "", "Action=DeleteMessageContact")
	f.Add(uint8(2), false, true, "", "EmailAddress=f%40example.com&PhoneNumber=86-13912341234")
	f.Add(uint8(2), false, true, "%45mailAddress=x%40y.com", "")
	f.Add(uint8(3), false, false, "Members.1=rd-aBcD12&Members.2=fd-xYz123", "")
	f.Add(uint8(3), false, true, "", "Members.01=rd-aBcD12")
	f.Add(uint8(0), false, true, "Signature=AAAA", "")
	f.Add(uint8(0), false, false, "", "SignatureType=x")
	f.Add(uint8(0), false, true, "", "Version=2022-04-19&Title=CEO")
	e := fuzzEmulator()
	f.Fuzz(func(t *testing.T, template uint8, get, inBody bool, extraQuery, extraBody string) {
		params := forgeryTemplates[int(template)%len(forgeryTemplates)]
		method := http.MethodPost
		if get {
			method = http.MethodGet
		}
		signed := signedValues(http.MethodPost, testKeyID, params, fuzzEpoch)
		query, body := "", ""
		if inBody && !get {
			body = signed.Encode()
		} else {
			query = signed.Encode()
		}
		query = joinRaw(query, extraQuery)
		body = joinRaw(body, extraBody)

		e.ResetCalls()
		rec := serveFuzz(e, method, query, body)
		calls := e.Calls()
		if len(calls) != 1 {
			t.Fatalf("want one call recorded, got %d (status %d)", len(calls), rec.Code)
		}
		served := calls[len(calls)-1]
		if gatewayCodes[served.Code] {
			return // not authenticated
		}
		if method != http.MethodPost {
			t.Fatalf("a POST signature was accepted on %s: %q %q -> %d %s", method, query, body, rec.Code, rec.Body.String())
		}
		want := maps.Clone(params)
		delete(want, "Action")
		if served.Action != params["Action"] || !maps.Equal(served.Params, want) {
			t.Fatalf("accepted forgery: signed %v, served %s %v (query %q, body %q) -> %d %s",
				params, served.Action, served.Params, query, body, rec.Code, rec.Body.String())
		}
	})
}

func joinRaw(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "&"):
		return a + b
	}
	return a + "&" + b
}

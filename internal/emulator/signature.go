package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// percentEncode encodes s per RFC 3986 over its bytes: A-Z a-z 0-9 - _ . ~
// stay literal, every other byte becomes %XY with uppercase hex.
func percentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&0x0f])
	}
	return b.String()
}

// unreservedTable marks the RFC 3986 unreserved bytes.
var unreservedTable = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' ||
			b == '-' || b == '_' || b == '.' || b == '~'
	}
	return t
}()

func unreserved(c byte) bool { return unreservedTable[c] }

// StringToSign builds the signature v1 string to sign of an RPC request:
// METHOD + "&" + enc("/") + "&" + enc(canonical), where canonical is the
// parameters (decoded values, without Signature) percent-encoded per RFC 3986,
// sorted by parameter name and joined as name=value with "&". A name with
// several values contributes each value in the order given. A "Signature"
// entry in params is ignored.
//
// Names are ordered by their decoded bytes, which is how the official SDKs
// sort them; for every name made of letters, digits, '.', '-', '_' and '~'
// this is the same order as sorting the encoded names.
func StringToSign(method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k == "Signature" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var canon strings.Builder
	for _, k := range keys {
		ek := percentEncode(k)
		for _, v := range params[k] {
			if canon.Len() > 0 {
				canon.WriteByte('&')
			}
			canon.WriteString(ek)
			canon.WriteByte('=')
			canon.WriteString(percentEncode(v))
		}
	}
	return method + "&%2F&" + percentEncode(canon.String())
}

// Sign returns base64(HMAC-SHA1(key = accessKeySecret + "&", stringToSign)).
func Sign(stringToSign, accessKeySecret string) string {
	mac := hmac.New(sha1.New, []byte(accessKeySecret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signatureMatches compares a computed and a received signature in constant
// time.
func signatureMatches(expected, got string) bool {
	return hmac.Equal([]byte(expected), []byte(got))
}

package emulator

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The emulator's input rules, from the API reference as written down in
// internal/emulator/README.md "Field rules". They stand on their own: they
// share no code with the provider's plan-time validators
// (internal/validators), so a mistake in one side shows up as a difference
// in rules_test.go instead of being mirrored in the other.

// Field limits (internal/emulator/README.md "Field rules").
const (
	minNameLength      = 2
	maxNameLength      = 12
	maxEmailLength     = 254 // RFC 5321 path limit less the angle brackets
	maxEmailLocalPart  = 64  // RFC 5321 §4.5.3.1.1
	maxEmailLabel      = 63  // RFC 1035 label limit
	chinaCountryCode   = "86"
	chinaMobileDigits  = 11
	minIntlPhoneDigits = 4  // national number, international site
	maxIntlPhoneDigits = 14 // national number, international site
	contactIDSuffixLen = 12
	accountIDDigits    = 16
	maxMemberIDSuffix  = 64
)

// Titles accepted by Add/UpdateMessageContact.
var validTitles = map[string]bool{
	"FinanceDirector":     true,
	"TechnicalDirector":   true,
	"MaintenanceDirector": true,
	"CEO":                 true,
	"ProjectDirector":     true,
	"Other":               true,
}

// Message types accepted in MessageTypes.N.
var validMessageTypes = map[string]bool{
	"ServiceMessage":  true,
	"FaultMessage":    true,
	"AccountExpenses": true,
	"SecurityMessage": true,
	"ActivityMessage": true,
	"ProductMessage":  true,
}

// emailAtextSpecials are the characters besides ASCII letters and digits
// that a dot-atom local part may hold (RFC 5322 atext).
const emailAtextSpecials = "!#$%&'*+-/=?^_`{|}~"

// checkName validates a contact name: 2–12 characters, each an ASCII letter
// or a Chinese (Han) character. A wrong length is
// InvalidParameter.Name.Length, checked before the characters.
func checkName(name string) *apiError {
	if !utf8.ValidString(name) {
		return errInvalid("Name")
	}
	n := utf8.RuneCountInString(name)
	if n < minNameLength || n > maxNameLength {
		return &apiError{status: http.StatusBadRequest, code: "InvalidParameter.Name.Length", msg: "The length of the Name is invalid."}
	}
	for _, r := range name {
		if !isASCIILetter(r) && !unicode.Is(unicode.Han, r) {
			return errInvalid("Name")
		}
	}
	return nil
}

func checkTitle(t string) *apiError {
	if !validTitles[t] {
		return errInvalid("Title")
	}
	return nil
}

// checkMessageTypes validates the items and returns them without duplicates,
// in the order given.
func checkMessageTypes(items []string) ([]string, *apiError) {
	seen := make(map[string]bool, len(items))
	out := make([]string, 0, len(items))
	for _, it := range items {
		if !validMessageTypes[it] {
			return nil, errInvalid("MessageTypes")
		}
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out, nil
}

// checkEmail validates a plain address, local@domain.tld, with nothing
// around it (no display name, angle brackets, "mailto:" or whitespace):
//   - at most 254 characters, all ASCII;
//   - the local part is 1–64 characters of letters, digits, dots and
//     emailAtextSpecials, with no dot at either end and no two in a row
//     (so "dm.ldm@gmail.com" and "a+tag@example.com" pass; quoted local
//     parts do not);
//   - the domain is two or more labels of 1–63 letters, digits and hyphens,
//     no label starting or ending with a hyphen, and a top-level domain that
//     is not all digits. Internationalized domains pass in their "xn--"
//     form only.
//
// Letter case is kept as given and carries no meaning for the check.
func checkEmail(s string) *apiError {
	if !plainEmail(s) {
		return errInvalid("EmailAddress")
	}
	return nil
}

func plainEmail(s string) bool {
	if len(s) > maxEmailLength {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(local) > maxEmailLocalPart {
		return false
	}
	// Splitting at the dots turns a dot at either end, or two in a row,
	// into an empty part.
	for _, atom := range strings.Split(local, ".") {
		if atom == "" || strings.IndexFunc(atom, isNotEmailAtext) >= 0 {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > maxEmailLabel || l[0] == '-' || l[len(l)-1] == '-' ||
			strings.IndexFunc(l, isNotLDH) >= 0 {
			return false
		}
	}
	return !allDigits(labels[len(labels)-1])
}

func isNotEmailAtext(r rune) bool {
	return !isASCIILetter(r) && !isASCIIDigit(r) && !strings.ContainsRune(emailAtextSpecials, r)
}

func isNotLDH(r rune) bool {
	return !isASCIILetter(r) && !isASCIIDigit(r) && r != '-'
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isASCIIAlnum reports whether c is an ASCII letter or digit.
func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// allASCIIAlnum reports whether s is non-empty and only ASCII letters and
// digits.
func allASCIIAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIAlnum(s[i]) {
			return false
		}
	}
	return true
}

// checkPhone validates "<country code>-<national number>" for the site: a
// country code of 1–3 digits not starting with 0, one hyphen, and a national
// number of digits only.
//   - China site: country code 86 only, with an 11-digit mainland mobile
//     number starting 13–19.
//   - International site: any other country code, with a national number
//     of 4–14 digits. No numbering plan is consulted.
//
// A well-formed number whose country code the site does not serve is
// InvalidParameter.MobileCountryCode; anything malformed, or a national
// number the site's rule rejects, is InvalidParameter.PhoneNumber.
func checkPhone(site, s string) *apiError {
	cc, nat, ok := strings.Cut(s, "-")
	if !ok || len(cc) > 3 || !allDigits(cc) || cc[0] == '0' || !allDigits(nat) {
		return errInvalid("PhoneNumber")
	}
	if !siteServes(site, cc) {
		return errMobileCountryCode()
	}
	if site == SiteInternational {
		if len(nat) < minIntlPhoneDigits || len(nat) > maxIntlPhoneDigits {
			return errInvalid("PhoneNumber")
		}
		return nil
	}
	if len(nat) != chinaMobileDigits || nat[0] != '1' || nat[1] < '3' {
		return errInvalid("PhoneNumber")
	}
	return nil
}

// siteServes reports whether the site accepts phone numbers with country
// code cc: the China site only 86, the international site every other one.
func siteServes(site, cc string) bool {
	if site == SiteInternational {
		return cc != chinaCountryCode
	}
	return cc == chinaCountryCode
}

// validContactID reports whether id is "c-" followed by 12 ASCII letters or
// digits.
func validContactID(id string) bool {
	suffix, ok := strings.CutPrefix(id, "c-")
	return ok && len(suffix) == contactIDSuffixLen && allASCIIAlnum(suffix)
}

// validMemberID accepts a Resource Directory ID (rd-…), a folder ID (fd-…,
// or r-… for the root folder), each followed by 1–64 ASCII letters or digits,
// or a 16-digit account ID.
func validMemberID(id string) bool {
	if allDigits(id) {
		return len(id) == accountIDDigits
	}
	for _, prefix := range []string{"rd-", "fd-", "r-"} {
		if rest, ok := strings.CutPrefix(id, prefix); ok {
			return len(rest) <= maxMemberIDSuffix && allASCIIAlnum(rest)
		}
	}
	return false
}

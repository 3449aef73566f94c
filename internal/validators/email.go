package validators

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxEmailLength is the longest address SMTP carries (RFC 5321 path
	// limit of 256 octets less the angle brackets).
	maxEmailLength = 254
	// maxLocalPartLength is the longest local part (RFC 5321 §4.5.3.1.1).
	maxLocalPartLength = 64
	// maxDomainLabelLength is the longest DNS label (RFC 1035).
	maxDomainLabelLength = 63
)

// atextSpecials are the characters besides letters and digits that RFC 5322
// allows in a dot-atom local part.
const atextSpecials = "!#$%&'*+-/=?^_`{|}~"

// CheckEmailAddress returns nil when s is a plain email address
// (local@domain.tld) the API accepts. Otherwise the error says what is wrong
// and, when s is an address written with a display name, angle brackets,
// "mailto:" or surrounding whitespace, the address to write instead.
//
// The local part is an RFC 5322 dot-atom of at most 64 characters (quoted
// local parts are not supported); the domain is a DNS name of letters, digits
// and hyphens with at least one dot and a top-level domain that is not all
// digits (internationalized domains in their "xn--" form); the address has at
// most 254 characters.
func CheckEmailAddress(s string) error {
	if s == "" {
		return errors.New("the email address is empty")
	}
	if strings.ContainsAny(s, "<>") {
		if a, err := mail.ParseAddress(s); err == nil && a.Address != s {
			what := "has angle brackets"
			if a.Name != "" {
				what = "includes a display name"
			}
			if err := checkPlainEmail(a.Address); err != nil {
				return fmt.Errorf("%q %s, and the address in it is not valid either: %w", s, what, err)
			}
			return fmt.Errorf("%q %s; write only the address, %q", s, what, a.Address)
		}
	}
	if len(s) > len("mailto:") && strings.EqualFold(s[:len("mailto:")], "mailto:") {
		if rest := s[len("mailto:"):]; checkPlainEmail(rest) == nil {
			return fmt.Errorf("%q starts with \"mailto:\"; write only the address, %q", s, rest)
		}
	}
	if t := strings.TrimSpace(s); t != s && checkPlainEmail(t) == nil {
		return fmt.Errorf("%q has whitespace around it; write it as %q", s, t)
	}
	return checkPlainEmail(s)
}

// checkPlainEmail is CheckEmailAddress without the suggestions.
func checkPlainEmail(s string) error {
	if s == "" {
		return errors.New("the email address is empty")
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%q is not valid UTF-8 text", s)
	}
	if s[0] == '"' {
		return fmt.Errorf("%q has a quoted local part, which is not supported; use an address without quotation marks", s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			return fmt.Errorf("%q contains whitespace, which email addresses cannot contain", s)
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return fmt.Errorf("%q contains the control character %U", s, r)
		}
	}
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return fmt.Errorf("%q has no \"@\"; an email address has the form name@example.com", s)
	}
	if strings.Count(s, "@") > 1 {
		return fmt.Errorf("%q has more than one \"@\"", s)
	}
	if len(s) > maxEmailLength {
		return fmt.Errorf("the email address has %d characters; at most %d are allowed", len(s), maxEmailLength)
	}
	local, domain := s[:at], s[at+1:]
	if local == "" {
		return fmt.Errorf("%q has nothing before the \"@\"", s)
	}
	if domain == "" {
		return fmt.Errorf("%q has nothing after the \"@\"", s)
	}
	if err := checkLocalPart(local); err != nil {
		return err
	}
	return checkEmailDomain(domain)
}

func checkLocalPart(local string) error {
	for _, r := range local {
		if r == '.' || isAtext(r) {
			continue
		}
		if r >= utf8.RuneSelf {
			return fmt.Errorf("the local part %q contains %q; non-ASCII characters are not supported before the \"@\"", local, r)
		}
		return fmt.Errorf("the local part %q contains %q; before the \"@\" only letters, digits, dots and %s are allowed", local, r, atextSpecials)
	}
	switch {
	case local[0] == '.':
		return fmt.Errorf("the local part %q starts with a dot", local)
	case local[len(local)-1] == '.':
		return fmt.Errorf("the local part %q ends with a dot", local)
	case strings.Contains(local, ".."):
		return fmt.Errorf("the local part %q has two dots in a row", local)
	case len(local) > maxLocalPartLength:
		return fmt.Errorf("the local part %q has %d characters; at most %d are allowed", local, len(local), maxLocalPartLength)
	}
	return nil
}

func isAtext(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r < utf8.RuneSelf && strings.ContainsRune(atextSpecials, r)
}

func checkEmailDomain(domain string) error {
	if domain[0] == '[' {
		return fmt.Errorf("the domain %q is an address literal, which is not supported; use a domain name", domain)
	}
	for _, r := range domain {
		if r >= utf8.RuneSelf {
			return fmt.Errorf("the domain %q contains %q; write an internationalized domain in its ASCII (\"xn--\") form", domain, r)
		}
		if !isLDH(r) && r != '.' {
			return fmt.Errorf("the domain %q contains %q; domain names may only contain letters, digits, hyphens and dots", domain, r)
		}
	}
	if domain[len(domain)-1] == '.' {
		return fmt.Errorf("the domain %q ends with a dot; leave the final dot out", domain)
	}
	// A domain needs a dot ("localhost" is not reachable from elsewhere),
	// except a top-level domain that takes mail itself, which the
	// internationalized (IDN) top-level domains written "xn--…" do.
	if !strings.Contains(domain, ".") && !isIDNLabel(domain) {
		return fmt.Errorf("the domain %q has no dot; use a full domain name such as example.com", domain)
	}
	labels := strings.Split(domain, ".")
	for _, label := range labels {
		switch {
		case label == "":
			return fmt.Errorf("the domain %q has an empty label (a leading dot or two dots in a row)", domain)
		case len(label) > maxDomainLabelLength:
			return fmt.Errorf("the domain label %q has %d characters; at most %d are allowed", label, len(label), maxDomainLabelLength)
		case label[0] == '-':
			return fmt.Errorf("the domain label %q starts with a hyphen", label)
		case label[len(label)-1] == '-':
			return fmt.Errorf("the domain label %q ends with a hyphen", label)
		}
	}
	if tld := labels[len(labels)-1]; allASCIIDigits(tld) {
		return fmt.Errorf("the top-level domain %q is all digits; use a domain name, not an IP address", tld)
	}
	return nil
}

func isLDH(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-'
}

// isIDNLabel reports whether a DNS label is an internationalized name in its
// ASCII form ("xn--fiqs8s" for 中国).
func isIDNLabel(label string) bool {
	return len(label) > len("xn--") && strings.EqualFold(label[:len("xn--")], "xn--")
}

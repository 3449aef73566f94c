package validators

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// phoneExample is the example of the accepted phone number spelling used in
// messages.
const phoneExample = "86-13912345678"

// maxE164Digits is the most digits an international number has, country
// code included (ITU-T E.164).
const maxE164Digits = 15

// chinaMobileRule is the rule for numbers with country code 86.
const chinaMobileRule = "mainland China mobile numbers have 11 digits starting with 13–19"

// CheckPhoneNumber returns nil when s is a mobile phone number written the way
// the API accepts it: <country code>-<national number>, digits only, for
// example "86-13912345678". Otherwise the error says what is wrong and, when s
// is a recognisable number written another way (such as "+86 139 1234 5678"),
// the accepted spelling.
//
// Country code 86 takes mainland China mobile numbers: 11 digits starting with
// 13–19. Other country codes are checked against the numbering plans of their
// regions; the number must be able to receive SMS (mobile, or a number that
// may be mobile, as in North America).
func CheckPhoneNumber(s string) error {
	if s == "" {
		return fmt.Errorf("the phone number is empty; write it as <country code>-<number>, for example %q", phoneExample)
	}
	if cc, nat, ok := canonicalPhoneParts(s); ok {
		return checkCanonicalPhone(cc, nat, strconv.Quote(s))
	}
	r, err := readPhoneNumber(s)
	if err != nil {
		if nc := (noCountryCodeError{}); errors.As(err, &nc) && looksLikeChinaMobile(nc.digits) {
			return guessedPhoneError(s, nc.digits)
		}
		return fmt.Errorf("%q is not in the form <country code>-<number> (digits only, for example %q): %w", s, phoneExample, err)
	}
	canonical := r.cc + "-" + r.nat
	if err := checkCanonicalPhone(r.cc, r.nat, fmt.Sprintf("%q (read as %q)", s, canonical)); err != nil {
		if r.guessed {
			return guessedPhoneError(s, r.digits)
		}
		return err
	}
	return fmt.Errorf("%q is not in the form <country code>-<number>; write it as %q", s, canonical)
}

// NormalizePhoneNumber rewrites a phone number written in a common spelling
// into the one the API accepts, <country code>-<national number>:
// "+86 139 1234 5678", "0086-13912345678", "8613912345678", "86-139-1234-5678"
// and "(+86) 13912345678" all become "86-13912345678"; "+44 7911 123456"
// becomes "44-7911123456". A national trunk prefix ("+44 (0)7911 123456") is
// dropped.
//
// It returns an error explaining why when s cannot be read as a number with a
// country code, or when the number it reads is not one CheckPhoneNumber
// accepts (for example a fixed-line number). Whatever it returns without an
// error passes CheckPhoneNumber.
func NormalizePhoneNumber(s string) (string, error) {
	if s == "" {
		return "", errors.New("the phone number is empty")
	}
	r, err := readPhoneNumber(s)
	if err != nil {
		if nc := (noCountryCodeError{}); errors.As(err, &nc) && looksLikeChinaMobile(nc.digits) {
			return "", guessedPhoneError(s, nc.digits)
		}
		return "", fmt.Errorf("cannot read %q as a phone number: %w", s, err)
	}
	canonical := r.cc + "-" + r.nat
	label := strconv.Quote(s)
	if canonical != s {
		label = fmt.Sprintf("%q (read as %q)", s, canonical)
	}
	if err := checkCanonicalPhone(r.cc, r.nat, label); err != nil {
		if r.guessed {
			return "", guessedPhoneError(s, r.digits)
		}
		return "", err
	}
	return canonical, nil
}

// canonicalPhoneParts splits s when it has the accepted shape: a country code
// of 1–3 digits not starting with 0, one hyphen, and a national number of
// digits.
func canonicalPhoneParts(s string) (cc, nat string, ok bool) {
	cc, nat, found := strings.Cut(s, "-")
	if !found || len(cc) == 0 || len(cc) > 3 || cc[0] == '0' || nat == "" {
		return "", "", false
	}
	if !allASCIIDigits(cc) || !allASCIIDigits(nat) {
		return "", "", false
	}
	return cc, nat, true
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// countryCodeExists reports whether cc (digits, no leading zero) is an
// assigned country calling code.
func countryCodeExists(cc string) bool {
	return phonePlanFor(cc) != nil
}

// countryCodeRegions names the regions of a country code for messages, such
// as "GB, GG, IM, JE"; "001" (non-geographic numbers) reads "international".
func countryCodeRegions(cc string) string {
	plan := phonePlanFor(cc)
	if plan == nil {
		return ""
	}
	const most = 4
	names := make([]string, 0, most+1)
	for i, r := range plan.regionIDs() {
		if i == most {
			names = append(names, "…")
			break
		}
		if r == "001" {
			r = "international"
		}
		names = append(names, r)
	}
	return strings.Join(names, ", ")
}

// checkCanonicalPhone checks a number already split into country code and
// national number. label is how messages name the number.
func checkCanonicalPhone(cc, nat, label string) error {
	if n := len(cc) + len(nat); n > maxE164Digits {
		return fmt.Errorf("%s has %d digits; international (E.164) numbers have at most %d", label, n, maxE164Digits)
	}
	plan := phonePlanFor(cc)
	if plan == nil {
		return fmt.Errorf("country code %s does not exist", cc)
	}
	if cc == "86" {
		return checkChinaMobile(plan, nat, label)
	}

	nsn, ok := plan.parse(nat)
	if !ok {
		return fmt.Errorf("%s is not a valid number for country code %s (%s)", label, cc, countryCodeRegions(cc))
	}
	if nsn != nat {
		// The national number carries something the numbering plan does not
		// count, usually the national trunk prefix ("44-07911123456").
		if len(nsn) < len(nat) && strings.HasSuffix(nat, nsn) &&
			checkCanonicalPhone(cc, nsn, strconv.Quote(cc+"-"+nsn)) == nil {
			return fmt.Errorf("%s includes the national trunk prefix %q, which international numbers leave out; write it as %q",
				label, nat[:len(nat)-len(nsn)], cc+"-"+nsn)
		}
		return fmt.Errorf("%s is not a valid number for country code %s (%s)", label, cc, countryCodeRegions(cc))
	}

	switch plan.possible(nsn) {
	case phoneLengthTooShort, phoneLengthPossibleLocalOnly:
		return fmt.Errorf("%s is too short for a number with country code %s (%s)", label, cc, countryCodeRegions(cc))
	case phoneLengthTooLong:
		return fmt.Errorf("%s is too long for a number with country code %s (%s)", label, cc, countryCodeRegions(cc))
	case phoneLengthInvalid:
		return fmt.Errorf("%s has a number of digits that no number with country code %s (%s) has", label, cc, countryCodeRegions(cc))
	}
	switch t := plan.numberType(nsn); t {
	case phoneTypeMobile, phoneTypeFixedLineOrMobile:
		return nil
	case phoneTypeUnknown:
		return fmt.Errorf("%s is not a valid number for country code %s (%s): no number range of its numbering plan matches it",
			label, cc, countryCodeRegions(cc))
	default:
		return fmt.Errorf("%s is %s, which cannot receive SMS verification", label, phoneTypeName(t))
	}
}

// phoneTypeName describes a number type after "is".
func phoneTypeName(t phoneType) string {
	switch t {
	case phoneTypeFixedLine:
		return "a fixed-line number"
	case phoneTypeTollFree:
		return "a toll-free number"
	case phoneTypePremiumRate:
		return "a premium-rate number"
	case phoneTypeSharedCost:
		return "a shared-cost number"
	case phoneTypeVoIP:
		return "a VoIP number"
	case phoneTypePersonalNumber:
		return "a personal (forwarding) number"
	case phoneTypePager:
		return "a pager number"
	case phoneTypeUAN:
		return "a universal access (company) number"
	case phoneTypeVoicemail:
		return "a voicemail access number"
	default:
		return "not a mobile number"
	}
}

// checkChinaMobile checks the national part of a number with country code 86.
func checkChinaMobile(plan *phonePlan, nat, label string) error {
	if isChinaMobile(nat) {
		return nil
	}
	if nat[0] == '0' && isChinaMobile(nat[1:]) {
		return fmt.Errorf("%s includes the national trunk prefix \"0\", which international numbers leave out; write it as %q", label, "86-"+nat[1:])
	}
	if nsn, ok := plan.parse(nat); ok && plan.numberType(nsn) == phoneTypeFixedLine {
		return fmt.Errorf("%s is a fixed-line number, which cannot receive SMS verification; %s", label, chinaMobileRule)
	}
	if len(nat) != 11 {
		return fmt.Errorf("%s; %s has %d", chinaMobileRule, label, len(nat))
	}
	return fmt.Errorf("%s; %s starts with %s", chinaMobileRule, label, nat[:2])
}

func isChinaMobile(nat string) bool {
	return len(nat) == 11 && nat[0] == '1' && nat[1] >= '3' && nat[1] <= '9' && allASCIIDigits(nat)
}

// looksLikeChinaMobile reports whether the digits are a mainland China mobile
// number written without its country code.
func looksLikeChinaMobile(digits string) bool {
	return isChinaMobile(digits)
}

// guessedPhoneError explains a number without a recognisable country code.
func guessedPhoneError(s, digits string) error {
	if looksLikeChinaMobile(digits) {
		return fmt.Errorf("%q has no country code; if it is a mainland China mobile number, write it as %q", s, "86-"+digits)
	}
	return fmt.Errorf("%q is not in the form <country code>-<number> (for example %q), and it does not start with a country code followed by a valid mobile number",
		s, phoneExample)
}

// noCountryCodeError reports a number written without an international
// prefix that does not start with a country code.
type noCountryCodeError struct {
	digits string // all digits of the number
	first  string // the first group of digits, when it stands apart
}

func (e noCountryCodeError) Error() string {
	if e.first != "" {
		return fmt.Sprintf("it does not start with a country code (%s is not one)", e.first)
	}
	return "it does not start with a country code"
}

// phoneReading is a number read from a free-form spelling.
type phoneReading struct {
	cc, nat string
	digits  string // every digit of the input, after an international prefix
	// guessed is true when the input had neither an international prefix
	// ("+", "00") nor a separate group for the country code, so where the
	// country code ends was inferred.
	guessed bool
}

// maxReadDigits bounds the digits read from free-form input.
const maxReadDigits = 20

// readPhoneNumber reads a number written with an international prefix ("+",
// "00"), spaces, hyphens, dots, slashes and parentheses, full-width digits
// included.
func readPhoneNumber(s string) (phoneReading, error) {
	var (
		digits []byte
		groups []string
		cur    []byte
		plus   bool
		open   int
	)
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			d := byte(r) // ASCII digit
			if r >= '０' {
				d = byte(r-'０') + '0'
			}
			if len(digits) == maxReadDigits {
				return phoneReading{}, fmt.Errorf("it has more than %d digits; international (E.164) numbers have at most %d", maxReadDigits, maxE164Digits)
			}
			digits = append(digits, d)
			cur = append(cur, d)
		case r == '+', r == '＋':
			if plus || len(digits) > 0 {
				return phoneReading{}, errors.New(`"+" may only appear once, before the country code`)
			}
			plus = true
			flush()
		case r == '(', r == '（':
			open++
			flush()
		case r == ')', r == '）':
			open--
			if open < 0 {
				return phoneReading{}, errors.New("its parentheses do not match")
			}
			flush()
		case isPhoneSeparator(r):
			flush()
		case r == unicode.ReplacementChar:
			return phoneReading{}, errors.New("it is not valid UTF-8 text")
		case unicode.IsLetter(r):
			return phoneReading{}, fmt.Errorf("it contains the letter %q", r)
		default:
			return phoneReading{}, fmt.Errorf("the character %q is not allowed", r)
		}
	}
	flush()
	if open != 0 {
		return phoneReading{}, errors.New("its parentheses do not match")
	}
	if len(digits) == 0 {
		return phoneReading{}, errors.New("it contains no digits")
	}

	d := string(digits)
	intl := plus
	if plus && d[0] == '0' {
		return phoneReading{}, errors.New("a country code never starts with 0")
	}
	if !plus && strings.HasPrefix(d, "00") {
		// "00" is the international prefix in most of the world.
		intl = true
		d = d[2:]
		groups = dropLeadingDigits(groups, 2)
		if d == "" {
			return phoneReading{}, errors.New("there is nothing after the international prefix 00")
		}
		if d[0] == '0' {
			return phoneReading{}, errors.New("a country code never starts with 0")
		}
	}
	if len(d) > maxE164Digits {
		return phoneReading{}, fmt.Errorf("it has %d digits; international (E.164) numbers have at most %d", len(d), maxE164Digits)
	}

	var cc string
	guessed := false
	switch {
	case len(groups) > 1 && countryCodeExists(groups[0]):
		cc = groups[0]
	case !intl && d[0] == '0':
		return phoneReading{}, fmt.Errorf("it has no country code (it starts with 0, a national trunk prefix); write the country code instead of the 0, for example %q", phoneExample)
	case len(groups) > 1 && len(groups[0]) <= 3:
		// A separate group of up to 3 digits is where a country code goes:
		// the number is not read with a different split.
		if intl {
			return phoneReading{}, fmt.Errorf("country code %s does not exist", groups[0])
		}
		return phoneReading{}, noCountryCodeError{digits: d, first: groups[0]}
	default:
		for l := 1; l <= 3 && l <= len(d); l++ {
			if countryCodeExists(d[:l]) {
				cc = d[:l]
				break
			}
		}
		if cc == "" {
			if intl {
				return phoneReading{}, errors.New("it does not start with a country code")
			}
			return phoneReading{}, noCountryCodeError{digits: d}
		}
		guessed = !intl
	}

	nat := d[len(cc):]
	if nat == "" {
		return phoneReading{}, fmt.Errorf("there is no number after the country code %s", cc)
	}
	if cc == "86" {
		if nat[0] == '0' && len(nat) > 1 {
			nat = nat[1:] // national trunk prefix
		}
	} else if nsn, ok := phonePlanFor(cc).parse(nat); ok && nsn != "0" {
		// The numbering plan knows which leading digits are a trunk
		// prefix or carrier code rather than part of the number.
		nat = nsn
	}
	return phoneReading{cc: cc, nat: nat, digits: d, guessed: guessed}, nil
}

// dropLeadingDigits removes the first n digits from the groups.
func dropLeadingDigits(groups []string, n int) []string {
	for n > 0 && len(groups) > 0 {
		if len(groups[0]) <= n {
			n -= len(groups[0])
			groups = groups[1:]
			continue
		}
		groups[0] = groups[0][n:]
		n = 0
	}
	return groups
}

// isPhoneSeparator reports whether r is punctuation people put between the
// digit groups of a phone number.
func isPhoneSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u3000', // spaces, no-break and ideographic spaces
		'-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '－', // hyphens and dashes
		'.', '/':
		return true
	}
	return false
}

package emulator

import (
	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"

	"strings"
	"unicode"
	"unicode/utf8"
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

// checkName validates a contact name: 2–12 characters, English letters or
// Chinese characters.
func checkName(name string) *apiError {
	if !utf8.ValidString(name) {
		return errInvalid("Name")
	}
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 12 {
		return &apiError{status: 400, code: "InvalidParameter.Name.Length", msg: "The length of the Name is invalid."}
	}
	for _, r := range name {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				continue
			}
			return errInvalid("Name")
		}
		if !unicode.Is(unicode.Han, r) {
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

func checkEmail(s string) *apiError {
	if validators.CheckEmailAddress(s) != nil {
		return errInvalid("EmailAddress")
	}
	return nil
}

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

// checkPhone validates "<country code>-<national number>" for the site.
// China site: country code 86 only, 11-digit mainland mobile numbers starting
// 13–19. International site: any other country code, 4–14 digit national
// numbers. A country code the site does not serve is
// InvalidParameter.MobileCountryCode; anything malformed is
// InvalidParameter.PhoneNumber.
func checkPhone(site, s string) *apiError {
	dash := strings.IndexByte(s, '-')
	if dash < 1 || dash > 3 {
		return errInvalid("PhoneNumber")
	}
	cc, nat := s[:dash], s[dash+1:]
	if !allDigits(cc) || !allDigits(nat) || cc[0] == '0' {
		return errInvalid("PhoneNumber")
	}
	if site == SiteInternational {
		if cc == "86" {
			return errMobileCountryCode()
		}
		if len(nat) < 4 || len(nat) > 14 {
			return errInvalid("PhoneNumber")
		}
		return nil
	}
	if cc != "86" {
		return errMobileCountryCode()
	}
	if len(nat) != 11 || nat[0] != '1' || nat[1] < '3' {
		return errInvalid("PhoneNumber")
	}
	return nil
}

// validContactID reports whether id is "c-" followed by 12 alphanumerics.
func validContactID(id string) bool {
	if len(id) != 14 || !strings.HasPrefix(id, "c-") {
		return false
	}
	for i := 2; i < len(id); i++ {
		if !isASCIIAlnum(id[i]) {
			return false
		}
	}
	return true
}

// validMemberID accepts a Resource Directory root (rd-…), a folder (fd-… or
// r-…) or a 16-digit account ID.
func validMemberID(id string) bool {
	if len(id) == 16 && allDigits(id) {
		return true
	}
	var rest string
	switch {
	case strings.HasPrefix(id, "rd-"):
		rest = id[3:]
	case strings.HasPrefix(id, "fd-"):
		rest = id[3:]
	case strings.HasPrefix(id, "r-"):
		rest = id[2:]
	default:
		return false
	}
	if rest == "" || len(rest) > 64 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !isASCIIAlnum(rest[i]) {
			return false
		}
	}
	return true
}

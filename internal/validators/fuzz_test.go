package validators_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

// FuzzPhoneNumber checks that the phone number checks never panic, that
// whatever NormalizePhoneNumber returns passes CheckPhoneNumber and
// normalizes to itself, and that accepted numbers have the accepted shape.
func FuzzPhoneNumber(f *testing.F) {
	for _, tc := range phoneCases {
		f.Add(tc.in)
	}
	for _, s := range []string{"+", "00", "0000", "(", ")", "+()", "86-0", "1-0", "39-0", "225-0700000000", "+39 000 000 0000", "\xff", "８６"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkErr := validators.CheckPhoneNumber(s)
		norm, err := validators.NormalizePhoneNumber(s)
		if err != nil {
			if norm != "" {
				t.Fatalf("NormalizePhoneNumber(%q) = %q with error %v; want an empty result with the error", s, norm, err)
			}
			if err.Error() == "" {
				t.Fatalf("NormalizePhoneNumber(%q): empty error message", s)
			}
			if checkErr == nil {
				t.Fatalf("CheckPhoneNumber(%q) accepts what NormalizePhoneNumber rejects: %v", s, err)
			}
			return
		}
		if err := validators.CheckPhoneNumber(norm); err != nil {
			t.Fatalf("NormalizePhoneNumber(%q) = %q, which CheckPhoneNumber rejects: %v", s, norm, err)
		}
		if again, err := validators.NormalizePhoneNumber(norm); err != nil || again != norm {
			t.Fatalf("NormalizePhoneNumber(%q) = %q, %v; want %q back", norm, again, err, norm)
		}
		if checkErr == nil && norm != s {
			t.Fatalf("CheckPhoneNumber accepts %q but it normalizes to %q", s, norm)
		}
		if checkErr != nil && !strings.HasSuffix(checkErr.Error(), "write it as \""+norm+"\"") {
			t.Fatalf("CheckPhoneNumber(%q) = %v; want it to suggest %q", s, checkErr, norm)
		}
		cc, nat, ok := strings.Cut(norm, "-")
		if !ok || cc == "" || nat == "" || cc[0] == '0' || len(cc) > 3 || len(cc)+len(nat) > 15 ||
			strings.ContainsFunc(cc+nat, func(r rune) bool { return r < '0' || r > '9' }) {
			t.Fatalf("NormalizePhoneNumber(%q) = %q, which is not <country code>-<number>", s, norm)
		}
	})
}

// FuzzEmailAddress checks that CheckEmailAddress never panics and never
// accepts a string with whitespace or without "@".
func FuzzEmailAddress(f *testing.F) {
	for _, tc := range emailCases {
		f.Add(tc.in)
	}
	for _, s := range []string{"@", "@@", "a@b", "<>", "<@>", "a <@>", "mailto:", "mailto:@", "\"\"@a.b", "a@[", "a@.", "a@xn--.b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validators.CheckEmailAddress(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("CheckEmailAddress(%q): empty error message", s)
			}
			return
		}
		if strings.ContainsFunc(s, unicode.IsSpace) {
			t.Fatalf("CheckEmailAddress accepts %q, which contains whitespace", s)
		}
		if strings.Count(s, "@") != 1 {
			t.Fatalf("CheckEmailAddress accepts %q, which does not have exactly one \"@\"", s)
		}
		if len(s) > 254 {
			t.Fatalf("CheckEmailAddress accepts %q, which has %d characters", s, len(s))
		}
		local, domain, _ := strings.Cut(s, "@")
		if len(local) > 64 || !strings.Contains(domain, ".") && !strings.HasPrefix(strings.ToLower(domain), "xn--") {
			t.Fatalf("CheckEmailAddress accepts %q", s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII || unicode.IsControl(r) }) {
			t.Fatalf("CheckEmailAddress accepts %q, which has non-ASCII or control characters", s)
		}
	})
}

package validators_test

import (
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

// phoneCases are inputs with the error CheckPhoneNumber reports ("" when the
// number is accepted).
var phoneCases = []struct {
	in, want string
}{
	// Accepted: mainland China mobile numbers.
	{"86-13912345678", ""},
	{"86-13012345678", ""},
	{"86-14512345678", ""},
	{"86-15012345678", ""},
	{"86-16612345678", ""},
	{"86-17712345678", ""},
	{"86-18612345678", ""},
	{"86-19912345678", ""},
	// Accepted: mobile numbers of other numbering plans.
	{"1-4155552671", ""},   // United States (fixed line or mobile)
	{"1-2015550123", ""},   // United States
	{"44-7911123456", ""},  // United Kingdom
	{"852-91234567", ""},   // Hong Kong
	{"853-66123456", ""},   // Macao
	{"886-912345678", ""},  // Taiwan
	{"81-9012345678", ""},  // Japan
	{"49-15123456789", ""}, // Germany
	{"33-612345678", ""},   // France
	{"39-3123456789", ""},  // Italy
	{"7-9123456789", ""},   // Russia
	{"91-9876543210", ""},  // India
	{"61-412345678", ""},   // Australia
	{"65-81234567", ""},    // Singapore
	{"55-11961234567", ""}, // Brazil
	{"54-91123456789", ""}, // Argentina
	{"234-8031234567", ""}, // Nigeria
	{"52-5512345678", ""},  // Mexico
	{"870-773111632", ""},  // Inmarsat (non-geographic mobile)

	// Other spellings of valid numbers: the accepted spelling is suggested.
	{"+86 139 1234 5678", `"+86 139 1234 5678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"0086-13912345678", `"0086-13912345678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"8613912345678", `"8613912345678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"86-139-1234-5678", `"86-139-1234-5678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"(+86) 13912345678", `"(+86) 13912345678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"+44 7911 123456", `"+44 7911 123456" is not in the form <country code>-<number>; write it as "44-7911123456"`},
	{"+8613912345678", `"+8613912345678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"+86-13912345678", `"+86-13912345678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"86.139.1234.5678", `"86.139.1234.5678" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{" 86-13912345678 ", `" 86-13912345678 " is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"８６－１３９１２３４５６７８", `"８６－１３９１２３４５６７８" is not in the form <country code>-<number>; write it as "86-13912345678"`},
	{"0044 7911 123456", `"0044 7911 123456" is not in the form <country code>-<number>; write it as "44-7911123456"`},
	{"+44 (0)7911 123456", `"+44 (0)7911 123456" is not in the form <country code>-<number>; write it as "44-7911123456"`},
	{"1 (415) 555-2671", `"1 (415) 555-2671" is not in the form <country code>-<number>; write it as "1-4155552671"`},
	{"+54 9 11 2345-6789", `"+54 9 11 2345-6789" is not in the form <country code>-<number>; write it as "54-91123456789"`},
	{"44-07911123456", `"44-07911123456" includes the national trunk prefix "0", which international numbers leave out; write it as "44-7911123456"`},
	{"86-013912345678", `"86-013912345678" includes the national trunk prefix "0", which international numbers leave out; write it as "86-13912345678"`},
	{"13912345678", `"13912345678" has no country code; if it is a mainland China mobile number, write it as "86-13912345678"`},
	{"139 1234 5678", `"139 1234 5678" has no country code; if it is a mainland China mobile number, write it as "86-13912345678"`},

	// Country code 86: mainland China mobile numbers only.
	{"86-1391234567", `mainland China mobile numbers have 11 digits starting with 13–19; "86-1391234567" has 10`},
	{"86-139123456789", `mainland China mobile numbers have 11 digits starting with 13–19; "86-139123456789" has 12`},
	{"86-23912345678", `mainland China mobile numbers have 11 digits starting with 13–19; "86-23912345678" starts with 23`},
	{"86-12912345678", `mainland China mobile numbers have 11 digits starting with 13–19; "86-12912345678" starts with 12`},
	{"86-1062345678", `"86-1062345678" is a fixed-line number, which cannot receive SMS verification; mainland China mobile numbers have 11 digits starting with 13–19`},
	{"+86 139 1234 567", `mainland China mobile numbers have 11 digits starting with 13–19; "+86 139 1234 567" (read as "86-1391234567") has 10`},

	// Country codes that do not exist.
	{"999-12345678", `country code 999 does not exist`},
	{"+999 1234 5678", `"+999 1234 5678" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): country code 999 does not exist`},

	// Numbers that cannot receive SMS.
	{"44-2079460000", `"44-2079460000" is a fixed-line number, which cannot receive SMS verification`},
	{"+44 20 7946 0000", `"+44 20 7946 0000" (read as "44-2079460000") is a fixed-line number, which cannot receive SMS verification`},
	{"33-123456789", `"33-123456789" is a fixed-line number, which cannot receive SMS verification`},
	{"39-0612345678", `"39-0612345678" is a fixed-line number, which cannot receive SMS verification`},
	{"81-312345678", `"81-312345678" is a fixed-line number, which cannot receive SMS verification`},
	{"852-21234567", `"852-21234567" is a fixed-line number, which cannot receive SMS verification`},
	{"1-8005551234", `"1-8005551234" is a toll-free number, which cannot receive SMS verification`},
	{"+1 800 555 1234", `"+1 800 555 1234" (read as "1-8005551234") is a toll-free number, which cannot receive SMS verification`},
	{"800-12345678", `"800-12345678" is a toll-free number, which cannot receive SMS verification`},
	{"1-9005551234", `"1-9005551234" is a premium-rate number, which cannot receive SMS verification`},
	{"44-9012345678", `"44-9012345678" is a premium-rate number, which cannot receive SMS verification`},
	{"44-5612345678", `"44-5612345678" is a VoIP number, which cannot receive SMS verification`},
	{"44-7012345678", `"44-7012345678" is a personal (forwarding) number, which cannot receive SMS verification`},
	{"44-7640123456", `"44-7640123456" is a pager number, which cannot receive SMS verification`},
	{"44-5512345678", `"44-5512345678" is a universal access (company) number, which cannot receive SMS verification`},

	// Wrong length or no such number range.
	{"44-79111", `"44-79111" is too short for a number with country code 44 (GB, GG, IM, JE)`},
	{"44-791112345678", `"44-791112345678" is too long for a number with country code 44 (GB, GG, IM, JE)`},
	{"1-415555267", `"1-415555267" is too short for a number with country code 1 (US, AG, AI, AS, …)`},
	{"52-15512345678", `"52-15512345678" is too long for a number with country code 52 (MX)`},
	{"882-1234567890", `"882-1234567890" is not a valid number for country code 882 (international): no number range of its numbering plan matches it`},
	{"86-1391234567890123", `"86-1391234567890123" has 18 digits; international (E.164) numbers have at most 15`},

	// Unreadable.
	{"", `the phone number is empty; write it as <country code>-<number>, for example "86-13912345678"`},
	{"-", `"-" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it contains no digits`},
	{"86-", `"86-" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): there is no number after the country code 86`},
	{"+1-800-FLOWERS", `"+1-800-FLOWERS" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it contains the letter 'F'`},
	{"86-13912345678 ext. 12", `"86-13912345678 ext. 12" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it contains the letter 'e'`},
	{"86_13912345678", `"86_13912345678" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): the character '_' is not allowed`},
	{"(86 13912345678", `"(86 13912345678" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): its parentheses do not match`},
	{"++86 139", `"++86 139" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): "+" may only appear once, before the country code`},
	{"+0086 13912345678", `"+0086 13912345678" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): a country code never starts with 0`},
	{"0-139", `"0-139" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it has no country code (it starts with 0, a national trunk prefix); write the country code instead of the 0, for example "86-13912345678"`},
	{"86 139 1234 5678 0000 1", `"86 139 1234 5678 0000 1" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it has 18 digits; international (E.164) numbers have at most 15`},
	{"(415) 555-2671", `"(415) 555-2671" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it does not start with a country code (415 is not one)`},
	{"1234-5678", `"1234-5678" is not in the form <country code>-<number> (for example "86-13912345678"), and it does not start with a country code followed by a valid mobile number`},
	{"8-2100000000", `country code 8 does not exist`}, // found by FuzzPhoneNumber: not to be read as "82-100000000"
	{"8 2100000000", `"8 2100000000" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): it does not start with a country code (8 is not one)`},
	{"86-1391234567\x00", `"86-1391234567\x00" is not in the form <country code>-<number> (digits only, for example "86-13912345678"): the character '\x00' is not allowed`},
}

func TestCheckPhoneNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range phoneCases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := ""
			if err := validators.CheckPhoneNumber(tc.in); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckPhoneNumber(%q):\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestPhoneNumberValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("phone_number")
	for _, tc := range phoneCases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			var want diag.Diagnostics
			if tc.want != "" {
				want = attributeError(p, "Invalid Attribute Value", "is not a valid phone number: "+tc.want, tc.in)
			}
			checkDiagnostics(t, validateString(validators.PhoneNumber(), p, types.StringValue(tc.in)), want)
		})
	}
}

// TestPhoneNumberValidatorDiagnostic spells one diagnostic out in full.
func TestPhoneNumberValidatorDiagnostic(t *testing.T) {
	t.Parallel()
	p := path.Root("contact").AtName("phone_number")
	got := validateString(validators.PhoneNumber(), p, types.StringValue("+86 139 1234 5678"))
	want := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(
		path.Root("contact").AtName("phone_number"),
		"Invalid Attribute Value",
		`Attribute contact.phone_number is not a valid phone number: "+86 139 1234 5678" is not in the form <country code>-<number>; write it as "86-13912345678", got: "+86 139 1234 5678"`,
	)}
	checkDiagnostics(t, got, want)
}

func TestNormalizePhoneNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "+86 139 1234 5678", want: "86-13912345678"},
		{in: "0086-13912345678", want: "86-13912345678"},
		{in: "8613912345678", want: "86-13912345678"},
		{in: "86-139-1234-5678", want: "86-13912345678"},
		{in: "(+86) 13912345678", want: "86-13912345678"},
		{in: "+44 7911 123456", want: "44-7911123456"},
		{in: "86-13912345678", want: "86-13912345678"},
		{in: "+86 (0) 139 1234 5678", want: "86-13912345678"},
		{in: "+44 (0)7911 123456", want: "44-7911123456"},
		{in: "44-07911123456", want: "44-7911123456"},
		{in: "+1 (415) 555-2671", want: "1-4155552671"},
		{in: "+1.415.555.2671", want: "1-4155552671"},
		{in: "+852 9123 4567", want: "852-91234567"},
		{in: "+39 312 345 6789", want: "39-3123456789"},
		{in: "+54 9 11 2345-6789", want: "54-91123456789"},
		{in: "＋８６ １３９ １２３４ ５６７８", want: "86-13912345678"},
		{in: "\t+86\u00a0139\u00a01234\u00a05678\n", want: "86-13912345678"},
		{in: "", wantErr: "the phone number is empty"},
		{in: "phone", wantErr: `cannot read "phone" as a phone number: it contains the letter 'p'`},
		{in: "13912345678", wantErr: `"13912345678" has no country code; if it is a mainland China mobile number, write it as "86-13912345678"`},
		{in: "+999 1234 5678", wantErr: `cannot read "+999 1234 5678" as a phone number: country code 999 does not exist`},
		{in: "999-12345678", wantErr: `cannot read "999-12345678" as a phone number: it does not start with a country code (999 is not one)`},
		{in: "8-2100000000", wantErr: `cannot read "8-2100000000" as a phone number: it does not start with a country code (8 is not one)`},
		{in: "+86 139 1234 567", wantErr: `mainland China mobile numbers have 11 digits starting with 13–19; "+86 139 1234 567" (read as "86-1391234567") has 10`},
		{in: "+44 20 7946 0000", wantErr: `"+44 20 7946 0000" (read as "44-2079460000") is a fixed-line number, which cannot receive SMS verification`},
		{in: "44-2079460000", wantErr: `"44-2079460000" is a fixed-line number, which cannot receive SMS verification`},
		{in: "+86 139 1234 5678 / 9", wantErr: `mainland China mobile numbers have 11 digits starting with 13–19; "+86 139 1234 5678 / 9" (read as "86-139123456789") has 12`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := validators.NormalizePhoneNumber(tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tc.want || gotErr != tc.wantErr {
				t.Fatalf("NormalizePhoneNumber(%q) = %q, %q; want %q, %q", tc.in, got, gotErr, tc.want, tc.wantErr)
			}
			if err == nil {
				if err := validators.CheckPhoneNumber(got); err != nil {
					t.Errorf("CheckPhoneNumber(%q) = %v; want nil for the normalized number", got, err)
				}
			}
		})
	}
}

// TestPhoneSuggestionsNormalize checks that every spelling CheckPhoneNumber
// suggests is what NormalizePhoneNumber returns, and is accepted.
func TestPhoneSuggestionsNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range phoneCases {
		norm, err := validators.NormalizePhoneNumber(tc.in)
		if tc.want == "" {
			if err != nil || norm != tc.in {
				t.Errorf("NormalizePhoneNumber(%q) = %q, %v; want the input back", tc.in, norm, err)
			}
			continue
		}
		if err != nil {
			continue
		}
		if suffix := "write it as " + strconv.Quote(norm); len(tc.want) < len(suffix) || tc.want[len(tc.want)-len(suffix):] != suffix {
			t.Errorf("CheckPhoneNumber(%q) = %q; NormalizePhoneNumber gives %q, which the message should suggest", tc.in, tc.want, norm)
		}
	}
}

func BenchmarkCheckPhoneNumber(b *testing.B) {
	inputs := []string{"86-13912345678", "44-7911123456", "+86 139 1234 5678", "44-2079460000"}
	for _, in := range inputs {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = validators.CheckPhoneNumber(in)
			}
		})
	}
}

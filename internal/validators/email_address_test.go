package validators_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var (
	local64  = strings.Repeat("a", 64)
	label63  = strings.Repeat("b", 63)
	long254  = strings.Repeat("a", 59) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + "." + strings.Repeat("f", 60) + "." + "example.com" // 254
	long255  = "a" + long254
	allAtext = "!#$%&'*+-/=?^_`{|}~@example.com"
)

// emailCases are inputs with the error CheckEmailAddress reports ("" when
// the address is accepted).
var emailCases = []struct {
	in, want string
}{
	// Accepted: real addresses.
	{"dm.ldm@gmail.com", ""},
	{"first.last+tag@sub.example.co.uk", ""},
	{"o'brien@example.ie", ""},
	{"user_name@xn--fiqs8s", ""},
	{"user@example.museum", ""},
	{"1234567890@163.com", ""},
	{"a@b.io", ""},
	{"someone@example.technology", ""},
	{"ops@aliyun.com", ""},
	{"OPS@EXAMPLE.COM", ""},
	{"user@example.xn--fiqs8s", ""},
	{"user@xn--80ak6aa92e.com", ""},
	{"user%example.org@example.org", ""},
	{"user-name@my-domain.example", ""},
	{"x@123.example.com", ""},
	{"a.b.c.d@e.fg", ""},
	{"admin@mail.163.com", ""},
	{"noreply@example.com.cn", ""},
	{allAtext, ""},
	{local64 + "@example.com", ""},
	{"a@" + label63 + ".com", ""},
	{long254, ""},

	// Written with extras: the plain address is suggested.
	{"Ops <ops@example.com>", `"Ops <ops@example.com>" includes a display name; write only the address, "ops@example.com"`},
	{`"Ops Team" <ops@example.com>`, `"\"Ops Team\" <ops@example.com>" includes a display name; write only the address, "ops@example.com"`},
	{"<ops@example.com>", `"<ops@example.com>" has angle brackets; write only the address, "ops@example.com"`},
	{"mailto:ops@example.com", `"mailto:ops@example.com" starts with "mailto:"; write only the address, "ops@example.com"`},
	{" ops@example.com ", `" ops@example.com " has whitespace around it; write it as "ops@example.com"`},
	{"ops@example.com\n", `"ops@example.com\n" has whitespace around it; write it as "ops@example.com"`},
	{"Ops <ops@example>", `"Ops <ops@example>" includes a display name, and the address in it is not valid either: the domain "example" has no dot; use a full domain name such as example.com`},

	// Rejected.
	{"", `the email address is empty`},
	{"ops @example.com", `"ops @example.com" contains whitespace, which email addresses cannot contain`},
	{"ops@example .com", `"ops@example .com" contains whitespace, which email addresses cannot contain`},
	{"ops\u00a0@example.com", `"ops\u00a0@example.com" contains whitespace, which email addresses cannot contain`},
	{"ops@example.com\x00", `"ops@example.com\x00" contains the control character U+0000`},
	{"opsexample.com", `"opsexample.com" has no "@"; an email address has the form name@example.com`},
	{"ops@@example.com", `"ops@@example.com" has more than one "@"`},
	{"a@b@example.com", `"a@b@example.com" has more than one "@"`},
	{`"john doe"@example.com`, `"\"john doe\"@example.com" has a quoted local part, which is not supported; use an address without quotation marks`},
	{"@example.com", `"@example.com" has nothing before the "@"`},
	{"ops@", `"ops@" has nothing after the "@"`},
	{".ops@example.com", `the local part ".ops" starts with a dot`},
	{"ops.@example.com", `the local part "ops." ends with a dot`},
	{"o..ps@example.com", `the local part "o..ps" has two dots in a row`},
	{"ops(comment)@example.com", "the local part \"ops(comment)\" contains '('; before the \"@\" only letters, digits, dots and !#$%&'*+-/=?^_`{|}~ are allowed"},
	{"ops,x@example.com", "the local part \"ops,x\" contains ','; before the \"@\" only letters, digits, dots and !#$%&'*+-/=?^_`{|}~ are allowed"},
	{"用户@example.com", `the local part "用户" contains '用'; non-ASCII characters are not supported before the "@"`},
	{"a" + local64 + "@example.com", `the local part "a` + local64 + `" has 65 characters; at most 64 are allowed`},
	{"ops@例子.中国", `the domain "例子.中国" contains '例'; write an internationalized domain in its ASCII ("xn--") form`},
	{"ops@[192.168.0.1]", `the domain "[192.168.0.1]" is an address literal, which is not supported; use a domain name`},
	{"ops@192.168.0.1", `the top-level domain "1" is all digits; use a domain name, not an IP address`},
	{"ops@example.com.", `the domain "example.com." ends with a dot; leave the final dot out`},
	{"ops@localhost", `the domain "localhost" has no dot; use a full domain name such as example.com`},
	{"ops@xn--", `the domain "xn--" has no dot; use a full domain name such as example.com`},
	{"ops@-example.com", `the domain label "-example" starts with a hyphen`},
	{"ops@example-.com", `the domain label "example-" ends with a hyphen`},
	{"ops@exa_mple.com", `the domain "exa_mple.com" contains '_'; domain names may only contain letters, digits, hyphens and dots`},
	{"ops@example..com", `the domain "example..com" has an empty label (a leading dot or two dots in a row)`},
	{"ops@.example.com", `the domain ".example.com" has an empty label (a leading dot or two dots in a row)`},
	{"a@b" + label63 + ".com", `the domain label "b` + label63 + `" has 64 characters; at most 63 are allowed`},
	{long255, `the email address has 255 characters; at most 254 are allowed`},
	{"ops@example.c\xffm", `"ops@example.c\xffm" is not valid UTF-8 text`},
}

func TestCheckEmailAddress(t *testing.T) {
	t.Parallel()
	if len(long254) != 254 {
		t.Fatalf("long254 has %d characters", len(long254))
	}
	for _, tc := range emailCases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := ""
			if err := validators.CheckEmailAddress(tc.in); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckEmailAddress(%q):\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestEmailAddressValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("email_address")
	for _, tc := range emailCases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			var want diag.Diagnostics
			if tc.want != "" {
				want = attributeError(p, "Invalid Attribute Value", "is not a valid email address: "+tc.want, tc.in)
			}
			checkDiagnostics(t, validateString(validators.EmailAddress(), p, types.StringValue(tc.in)), want)
		})
	}
}

// TestEmailAddressValidatorDiagnostic spells one diagnostic out in full.
func TestEmailAddressValidatorDiagnostic(t *testing.T) {
	t.Parallel()
	got := validateString(validators.EmailAddress(), path.Root("email_address"), types.StringValue("Ops <ops@example.com>"))
	want := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(
		path.Root("email_address"),
		"Invalid Attribute Value",
		`Attribute email_address is not a valid email address: "Ops <ops@example.com>" includes a display name; write only the address, "ops@example.com", got: "Ops <ops@example.com>"`,
	)}
	checkDiagnostics(t, got, want)
}

func BenchmarkCheckEmailAddress(b *testing.B) {
	inputs := []string{"dm.ldm@gmail.com", "first.last+tag@sub.example.co.uk", "Ops <ops@example.com>"}
	for _, in := range inputs {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = validators.CheckEmailAddress(in)
			}
		})
	}
}

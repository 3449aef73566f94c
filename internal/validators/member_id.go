package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

const (
	accountIDLength = 16
	// maxMemberIDSuffixLength bounds the part after "rd-", "fd-" or "r-".
	maxMemberIDSuffixLength = 64
)

// memberIDPrefixes are the prefixes of resource directory (rd-) and folder
// (fd-, and r- for the root folder) IDs.
var memberIDPrefixes = []string{"rd-", "fd-", "r-"}

var _ validator.String = memberIDValidator{}

// memberIDValidator validates an object a message contact can be bound to.
type memberIDValidator struct{}

func (v memberIDValidator) Description(_ context.Context) string {
	return `value must be a resource directory ID ("rd-…"), a folder ID ("fd-…", or "r-…" for the root folder) ` +
		`or a 16-digit account ID, for example "rd-3G3LEe", "fd-QRzuWtXd2m", "r-b1cHCX" or "1512345678901234"`
}

func (v memberIDValidator) MarkdownDescription(_ context.Context) string {
	return "value must be a resource directory ID (`rd-…`), a folder ID (`fd-…`, or `r-…` for the root folder) " +
		"or a 16-digit account ID, for example `rd-3G3LEe`, `fd-QRzuWtXd2m`, `r-b1cHCX` or `1512345678901234`"
}

func (v memberIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	reason := memberIDProblem(req.ConfigValue.ValueString())
	if reason == "" {
		return
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueMatchDiagnostic(
		req.Path,
		`must be a resource directory ID ("rd-…"), a folder ID ("fd-…" or "r-…") or a 16-digit account ID, `+
			`for example "rd-3G3LEe", "fd-QRzuWtXd2m", "r-b1cHCX" or "1512345678901234", but `+reason,
		req.ConfigValue.String(),
	))
}

// memberIDProblem says what is wrong with a member ID, or "" when nothing is.
func memberIDProblem(s string) string {
	if s == "" {
		return "it is empty"
	}
	if allASCIIDigits(s) {
		if len(s) != accountIDLength {
			return fmt.Sprintf("it has %d digits and account IDs have %d", len(s), accountIDLength)
		}
		return ""
	}
	for _, prefix := range memberIDPrefixes {
		suffix, ok := strings.CutPrefix(s, prefix)
		if !ok {
			continue
		}
		if suffix == "" {
			return fmt.Sprintf("nothing follows %q", prefix)
		}
		for _, r := range suffix {
			if !isASCIIAlphanumeric(r) {
				return fmt.Sprintf("it contains %s after %q, where only letters and digits are allowed", describeRune(r), prefix)
			}
		}
		if len(suffix) > maxMemberIDSuffixLength {
			return fmt.Sprintf("it has %d characters after %q; at most %d are allowed", len(suffix), prefix, maxMemberIDSuffixLength)
		}
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		for _, r := range s {
			if r < '0' || r > '9' {
				return fmt.Sprintf("account IDs have only digits and it contains %s", describeRune(r))
			}
		}
	}
	return `it starts with neither "rd-", "fd-", "r-" nor a digit`
}

// MemberID returns a validator which ensures that a string identifies an
// object a message contact can be bound to: the resource directory
// ("rd-…"), a folder ("fd-…", or "r-…" for the root folder) or a member
// account (16 digits).
//
// Null and unknown values are skipped.
func MemberID() validator.String {
	return memberIDValidator{}
}

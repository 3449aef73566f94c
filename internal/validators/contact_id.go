package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

const (
	contactIDPrefix       = "c-"
	contactIDSuffixLength = 12
	contactIDExample      = "c-qL4HqKONzOM7"
)

var _ validator.String = contactIDValidator{}

// contactIDValidator validates a message contact ID.
type contactIDValidator struct{}

func (v contactIDValidator) Description(_ context.Context) string {
	return fmt.Sprintf("value must be a message contact ID: %q followed by %d letters or digits, for example %q",
		contactIDPrefix, contactIDSuffixLength, contactIDExample)
}

func (v contactIDValidator) MarkdownDescription(_ context.Context) string {
	return fmt.Sprintf("value must be a message contact ID: `%s` followed by %d letters or digits, for example `%s`",
		contactIDPrefix, contactIDSuffixLength, contactIDExample)
}

func (v contactIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	reason := contactIDProblem(req.ConfigValue.ValueString())
	if reason == "" {
		return
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueMatchDiagnostic(
		req.Path,
		fmt.Sprintf("must be a message contact ID, %q followed by %d letters or digits (for example %q), but %s",
			contactIDPrefix, contactIDSuffixLength, contactIDExample, reason),
		req.ConfigValue.String(),
	))
}

// contactIDProblem says what is wrong with a contact ID, or "" when nothing is.
func contactIDProblem(s string) string {
	suffix, ok := strings.CutPrefix(s, contactIDPrefix)
	if !ok {
		return fmt.Sprintf("it does not start with %q", contactIDPrefix)
	}
	for _, r := range suffix {
		if !isASCIIAlphanumeric(r) {
			return fmt.Sprintf("it contains %s", describeRune(r))
		}
	}
	if len(suffix) != contactIDSuffixLength {
		return fmt.Sprintf("it has %d characters after %q", len(suffix), contactIDPrefix)
	}
	return ""
}

func isASCIIAlphanumeric(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// ContactID returns a validator which ensures that a string is a message
// contact ID: "c-" followed by 12 letters or digits, such as
// "c-qL4HqKONzOM7".
//
// Null and unknown values are skipped.
func ContactID() validator.String {
	return contactIDValidator{}
}

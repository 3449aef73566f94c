package validators

import (
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

const (
	minContactNameLength = 2
	maxContactNameLength = 12
)

var _ validator.String = contactNameValidator{}

// contactNameValidator validates a message contact's name.
type contactNameValidator struct{}

func (v contactNameValidator) Description(_ context.Context) string {
	return fmt.Sprintf("value must be %d to %d characters long and contain only letters (A–Z, a–z) and Chinese characters",
		minContactNameLength, maxContactNameLength)
}

func (v contactNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v contactNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()

	if !utf8.ValidString(value) {
		resp.Diagnostics.Append(validatordiag.InvalidAttributeValueDiagnostic(
			req.Path, "must be valid UTF-8 text", req.ConfigValue.String()))
		return
	}
	for _, r := range value {
		if !isContactNameRune(r) {
			resp.Diagnostics.Append(validatordiag.InvalidAttributeValueDiagnostic(
				req.Path,
				fmt.Sprintf("may contain only letters (A–Z, a–z) and Chinese characters; %s is not allowed", describeRune(r)),
				req.ConfigValue.String(),
			))
			return
		}
	}
	if n := utf8.RuneCountInString(value); n < minContactNameLength || n > maxContactNameLength {
		resp.Diagnostics.Append(validatordiag.InvalidAttributeValueLengthDiagnostic(
			req.Path,
			fmt.Sprintf("must be %d to %d characters long, not %d", minContactNameLength, maxContactNameLength, n),
			req.ConfigValue.String(),
		))
	}
}

// isContactNameRune reports whether r may appear in a contact name: an ASCII
// letter or a Chinese (Han) character.
func isContactNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || unicode.Is(unicode.Han, r)
}

// describeRune names a character for a message.
func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case unicode.IsSpace(r):
		return fmt.Sprintf("whitespace (%U)", r)
	case r >= '0' && r <= '9':
		return fmt.Sprintf("the digit %q", r)
	case unicode.IsControl(r) || !unicode.IsPrint(r):
		return fmt.Sprintf("the character %U", r)
	default:
		return fmt.Sprintf("%q", r)
	}
}

// ContactName returns a validator which ensures that a string is a valid
// message contact name: 2 to 12 characters, each an ASCII letter or a Chinese
// character.
//
// Null and unknown values are skipped.
func ContactName() validator.String {
	return contactNameValidator{}
}

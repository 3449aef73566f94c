package validators

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// oneOfText lists values for messages: `"A", "B" or "C"`, each value
// wrapped in the opening and closing quote.
func oneOfText(values []string, opening, closing string) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(opening + v + closing)
	}
	return b.String()
}

// closestEnumValue returns the allowed value s was most likely meant to be:
// one that differs from s only in letter case, spaces, hyphens or
// underscores ("ceo", "Finance Director", "service_message"). It returns ""
// when there is none.
func closestEnumValue(s string, values []string) string {
	key := enumKey(s)
	if key == "" {
		return ""
	}
	for _, v := range values {
		if enumKey(v) == key {
			return v
		}
	}
	return ""
}

func enumKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ', r == '-', r == '_', r == '.', unicode.IsSpace(r):
			return -1
		default:
			return unicode.ToLower(r)
		}
	}, s)
}

var _ validator.String = enumValidator{}

// enumValidator checks that a string is one of values, spelled exactly as
// the API spells it, and suggests the intended value for a near miss.
type enumValidator struct {
	values []string
}

func (v enumValidator) Description(_ context.Context) string {
	return "value must be one of " + oneOfText(v.values, `"`, `"`)
}

func (v enumValidator) MarkdownDescription(_ context.Context) string {
	return "value must be one of " + oneOfText(v.values, "`", "`")
}

func (v enumValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if slices.Contains(v.values, value) {
		return
	}
	description := "must be one of " + oneOfText(v.values, `"`, `"`)
	if s := closestEnumValue(value, v.values); s != "" {
		description += fmt.Sprintf(" (did you mean %q?)", s)
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueMatchDiagnostic(req.Path, description, req.ConfigValue.String()))
}

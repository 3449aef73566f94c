package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Titles are the job titles a message contact can have.
var Titles = []string{"FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector", "Other"}

var _ validator.String = titleValidator{}

// titleValidator validates a message contact's job title.
type titleValidator struct{}

func (v titleValidator) Description(_ context.Context) string {
	return "value must be one of " + oneOfText(Titles, `"`, `"`)
}

func (v titleValidator) MarkdownDescription(_ context.Context) string {
	return "value must be one of " + oneOfText(Titles, "`", "`")
}

func (v titleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if containsString(Titles, value) {
		return
	}
	description := "must be one of " + oneOfText(Titles, `"`, `"`)
	if s := closestEnumValue(value, Titles); s != "" {
		description += fmt.Sprintf(" (did you mean %q?)", s)
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueMatchDiagnostic(req.Path, description, req.ConfigValue.String()))
}

// Title returns a validator which ensures that a string is one of Titles,
// spelled exactly as the API spells it.
//
// Null and unknown values are skipped.
func Title() validator.String {
	return titleValidator{}
}

package validators_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

func TestTitleValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("title")
	const oneOf = `must be one of "FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector" or "Other"`
	invalid := func(description, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value Match", description, value)
	}
	tests := []struct {
		in   string
		want diag.Diagnostics
	}{
		{"FinanceDirector", nil},
		{"TechnicalDirector", nil},
		{"MaintenanceDirector", nil},
		{"CEO", nil},
		{"ProjectDirector", nil},
		{"Other", nil},
		{"ceo", invalid(oneOf+` (did you mean "CEO"?)`, "ceo")},
		{"Ceo", invalid(oneOf+` (did you mean "CEO"?)`, "Ceo")},
		{"other", invalid(oneOf+` (did you mean "Other"?)`, "other")},
		{"Finance Director", invalid(oneOf+` (did you mean "FinanceDirector"?)`, "Finance Director")},
		{"technical_director", invalid(oneOf+` (did you mean "TechnicalDirector"?)`, "technical_director")},
		{"CEO ", invalid(oneOf+` (did you mean "CEO"?)`, "CEO ")},
		{"CTO", invalid(oneOf, "CTO")},
		{"", invalid(oneOf, "")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			checkDiagnostics(t, validateString(validators.Title(), p, types.StringValue(tc.in)), tc.want)
		})
	}
}

// TestTitleValidatorDiagnostic spells one diagnostic out in full.
func TestTitleValidatorDiagnostic(t *testing.T) {
	t.Parallel()
	got := validateString(validators.Title(), path.Root("title"), types.StringValue("ceo"))
	want := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(
		path.Root("title"),
		"Invalid Attribute Value Match",
		`Attribute title must be one of "FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector" or "Other" (did you mean "CEO"?), got: "ceo"`,
	)}
	checkDiagnostics(t, got, want)
}

package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = emailAddressValidator{}

// emailAddressValidator validates a message contact's email address.
type emailAddressValidator struct{}

func (v emailAddressValidator) Description(_ context.Context) string {
	return `value must be a plain email address such as "ops@example.com", without a display name or angle brackets`
}

func (v emailAddressValidator) MarkdownDescription(_ context.Context) string {
	return "value must be a plain email address such as `ops@example.com`, without a display name or angle brackets"
}

func (v emailAddressValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := CheckEmailAddress(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(validatordiag.InvalidAttributeValueDiagnostic(
			req.Path,
			"is not a valid email address: "+err.Error(),
			req.ConfigValue.String(),
		))
	}
}

// EmailAddress returns a validator which ensures that a string is a plain
// email address (local@domain.tld). See CheckEmailAddress for the rules.
//
// Null and unknown values are skipped.
func EmailAddress() validator.String {
	return emailAddressValidator{}
}

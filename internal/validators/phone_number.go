package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = phoneNumberValidator{}

// phoneNumberValidator validates a message contact's mobile phone number.
type phoneNumberValidator struct{}

func (v phoneNumberValidator) Description(_ context.Context) string {
	return `value must be a mobile phone number written <country code>-<number> with digits only, for example "86-13912345678"; ` +
		`with country code 86 it must be a mainland China mobile number (11 digits starting with 13–19)`
}

func (v phoneNumberValidator) MarkdownDescription(_ context.Context) string {
	return "value must be a mobile phone number written `<country code>-<number>` with digits only, for example `86-13912345678`; " +
		"with country code `86` it must be a mainland China mobile number (11 digits starting with 13–19)"
}

func (v phoneNumberValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := CheckPhoneNumber(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(validatordiag.InvalidAttributeValueDiagnostic(
			req.Path,
			"is not a valid phone number: "+err.Error(),
			req.ConfigValue.String(),
		))
	}
}

// PhoneNumber returns a validator which ensures that a string is a mobile
// phone number in the form the API accepts, <country code>-<number>, such as
// "86-13912345678". See CheckPhoneNumber for the rules.
//
// Null and unknown values are skipped.
func PhoneNumber() validator.String {
	return phoneNumberValidator{}
}

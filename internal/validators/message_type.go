package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// MessageTypes are the kinds of message a contact can receive.
var MessageTypes = []string{"ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage", "ProductMessage"}

var _ validator.String = messageTypeValidator{}

// messageTypeValidator validates one message type.
type messageTypeValidator struct{}

func (v messageTypeValidator) Description(_ context.Context) string {
	return "value must be one of " + oneOfText(MessageTypes, `"`, `"`)
}

func (v messageTypeValidator) MarkdownDescription(_ context.Context) string {
	return "value must be one of " + oneOfText(MessageTypes, "`", "`")
}

func (v messageTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if containsString(MessageTypes, value) {
		return
	}
	description := "must be one of " + oneOfText(MessageTypes, `"`, `"`)
	if s := closestEnumValue(value, MessageTypes); s != "" {
		description += fmt.Sprintf(" (did you mean %q?)", s)
	}
	resp.Diagnostics.Append(validatordiag.InvalidAttributeValueMatchDiagnostic(req.Path, description, req.ConfigValue.String()))
}

// MessageType returns a validator which ensures that a string is one of
// MessageTypes, spelled exactly as the API spells it. For a set of message
// types use setvalidator.ValueStringsAre(MessageType()).
//
// Null and unknown values are skipped.
func MessageType() validator.String {
	return messageTypeValidator{}
}

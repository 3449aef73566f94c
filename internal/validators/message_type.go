package validators

import "github.com/hashicorp/terraform-plugin-framework/schema/validator"

// MessageTypes are the kinds of message a contact can receive.
var MessageTypes = []string{"ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage", "ProductMessage"}

// MessageType returns a validator which ensures that a string is one of
// MessageTypes, spelled exactly as the API spells it. For a set of message
// types use setvalidator.ValueStringsAre(MessageType()).
//
// Null and unknown values are skipped.
func MessageType() validator.String {
	return enumValidator{values: MessageTypes}
}

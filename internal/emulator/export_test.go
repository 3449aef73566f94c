package emulator

// RuleCode is what the emulator's input rule for the API parameter field
// says of value on site: "" when the value passes, else the error code. A
// MessageTypes or Members value is one item. The actions answer an empty
// Name, EmailAddress, PhoneNumber or Title with MissingParameter.<field>
// before any rule runs, and AssociateMembers reports a malformed member ID
// as InvalidMember; RuleCode gives the rule alone.
func RuleCode(site, field, value string) string {
	var err *apiError
	switch field {
	case "Name":
		err = checkName(value)
	case "EmailAddress":
		err = checkEmail(value)
	case "PhoneNumber":
		err = checkPhone(site, value)
	case "Title":
		err = checkTitle(value)
	case "MessageTypes":
		_, err = checkMessageTypes([]string{value})
	case "ContactId", "Members":
		valid := validContactID
		if field == "Members" {
			valid = validMemberID
		}
		if !valid(value) {
			err = errInvalid(field)
		}
	default:
		panic("RuleCode: unknown field " + field)
	}
	if err == nil {
		return ""
	}
	return err.code
}

package acctest

import "testing"

func TestErrorMatching(t *testing.T) {
	// A diagnostic as the CLI prints it: long lines wrapped inside a border.
	const diagnostic = `
╷
│ Error: Cannot update the members of the message contact
│
│   with alicloudrd_message_contact.test,
│   on terraform_plugin_test.tf line 9, in resource "alicloudrd_message_contact" "test":
│    9: resource "alicloudrd_message_contact" "test" {
│
│ AssociateMembers failed: InvalidMember (HTTP 400): The Member is invalid.
│ (RequestId: 5E1D7C2A-0000-4000-8000-00000000F417)
╵
`
	tests := []struct {
		name    string
		phrases []string
		want    bool
	}{
		{"one phrase", []string{"Cannot update the members"}, true},
		{"phrases in order", []string{"Cannot update", "InvalidMember (HTTP 400)", "RequestId:"}, true},
		{"a phrase across a line wrap", []string{"The Member is invalid. (RequestId: 5E1D7C2A-0000-4000-8000-00000000F417)"}, true},
		{"other white space inside a phrase", []string{"AssociateMembers   failed:\tInvalidMember"}, true},
		{"phrases in the wrong order", []string{"InvalidMember", "Cannot update"}, false},
		{"a word missing", []string{"Cannot update members"}, false},
		{"words run together", []string{"Cannot updatethe members"}, false},
		{"metacharacters are literal", []string{"HTTP.400"}, false},
		{"parentheses are literal", []string{"(HTTP 400)"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := ErrorMatching(tt.phrases...)
			if got := re.MatchString(diagnostic); got != tt.want {
				t.Errorf("%q matches the diagnostic: got %v, want %v (expression %s)", tt.phrases, got, tt.want, re)
			}
		})
	}
}

func TestPhrasePattern(t *testing.T) {
	if got, want := PhrasePattern("  a.b  (c) "), `a\.b[\s│]+\(c\)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := ErrorMatching("a b", "c").String(); got != PhrasePattern("a b")+`[\s\S]*`+PhrasePattern("c") {
		t.Errorf("ErrorMatching does not join the phrase patterns: %s", got)
	}
}

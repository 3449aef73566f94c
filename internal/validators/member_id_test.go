package validators_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

func TestMemberIDValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("member")
	const format = `must be a resource directory ID ("rd-…"), a folder ID ("fd-…" or "r-…") or a 16-digit account ID, ` +
		`for example "rd-3G3LEe", "fd-QRzuWtXd2m", "r-b1cHCX" or "1512345678901234", but `
	invalid := func(reason, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value Match", format+reason, value)
	}
	long := "fd-" + strings.Repeat("a", 65)
	tests := []struct {
		in   string
		want diag.Diagnostics
	}{
		{"rd-3G3LEe", nil},
		{"fd-QRzuWtXd2m", nil},
		{"r-b1cHCX", nil},
		{"1512345678901234", nil},
		{"0000000000000001", nil},
		{"fd-" + strings.Repeat("a", 64), nil},
		{"", invalid("it is empty", "")},
		{"151234567890123", invalid("it has 15 digits and account IDs have 16", "151234567890123")},
		{"15123456789012345", invalid("it has 17 digits and account IDs have 16", "15123456789012345")},
		{"1512-3456-7890-1234", invalid("account IDs have only digits and it contains '-'", "1512-3456-7890-1234")},
		{"rd-", invalid(`nothing follows "rd-"`, "rd-")},
		{"r-", invalid(`nothing follows "r-"`, "r-")},
		{"fd-abc_def", invalid(`it contains '_' after "fd-", where only letters and digits are allowed`, "fd-abc_def")},
		{"rd-3G3LEe ", invalid(`it contains a space after "rd-", where only letters and digits are allowed`, "rd-3G3LEe ")},
		{long, invalid(`it has 65 characters after "fd-"; at most 64 are allowed`, long)},
		{"c-qL4HqKONzOM7", invalid(`it starts with neither "rd-", "fd-", "r-" nor a digit`, "c-qL4HqKONzOM7")},
		{"RD-3G3LEe", invalid(`it starts with neither "rd-", "fd-", "r-" nor a digit`, "RD-3G3LEe")},
		{"acs:resourcemanager::1512345678901234:account", invalid(`it starts with neither "rd-", "fd-", "r-" nor a digit`, "acs:resourcemanager::1512345678901234:account")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			checkDiagnostics(t, validateString(validators.MemberID(), p, types.StringValue(tc.in)), tc.want)
		})
	}
}

package validators_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

func TestContactIDValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("contact_id")
	const format = `must be a message contact ID, "c-" followed by 12 letters or digits (for example "c-qL4HqKONzOM7"), but `
	invalid := func(reason, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value Match", format+reason, value)
	}
	tests := []struct {
		in   string
		want diag.Diagnostics
	}{
		{"c-qL4HqKONzOM7", nil},
		{"c-000000000000", nil},
		{"c-ABCDEFGHIJKL", nil},
		{"", invalid(`it does not start with "c-"`, "")},
		{"qL4HqKONzOM7", invalid(`it does not start with "c-"`, "qL4HqKONzOM7")},
		{"C-qL4HqKONzOM7", invalid(`it does not start with "c-"`, "C-qL4HqKONzOM7")},
		{"c-", invalid(`it has 0 characters after "c-"`, "c-")},
		{"c-qL4HqKONzOM", invalid(`it has 11 characters after "c-"`, "c-qL4HqKONzOM")},
		{"c-qL4HqKONzOM7x", invalid(`it has 13 characters after "c-"`, "c-qL4HqKONzOM7x")},
		{"c-qL4HqKONz_M7", invalid(`it contains '_'`, "c-qL4HqKONz_M7")},
		{"c-qL4HqKONzOM7 ", invalid(`it contains a space`, "c-qL4HqKONzOM7 ")},
		{"c-qL4HqKONzOMé", invalid(`it contains 'é'`, "c-qL4HqKONzOMé")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			checkDiagnostics(t, validateString(validators.ContactID(), p, types.StringValue(tc.in)), tc.want)
		})
	}
}

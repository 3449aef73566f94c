package validators_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

func TestContactNameValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("name")
	const chars = "may contain only letters (A–Z, a–z) and Chinese characters; "
	invalid := func(description, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value", description, value)
	}
	length := func(description, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value Length", description, value)
	}
	tests := []struct {
		in   string
		want diag.Diagnostics
	}{
		{"Ops", nil},
		{"Al", nil},
		{"Maintenance", nil},
		{"JohnSmithAbc", nil}, // 12
		{"张三", nil},
		{"王小明", nil},
		{"欧阳娜娜", nil},
		{"Li雷", nil},
		{"A", length("must be 2 to 12 characters long, not 1", "A")},
		{"张", length("must be 2 to 12 characters long, not 1", "张")},
		{"", length("must be 2 to 12 characters long, not 0", "")},
		{"JohnSmithAbcd", length("must be 2 to 12 characters long, not 13", "JohnSmithAbcd")},
		{"一二三四五六七八九十一二三", length("must be 2 to 12 characters long, not 13", "一二三四五六七八九十一二三")},
		{"John Smith", invalid(chars+"a space is not allowed", "John Smith")},
		{"Ops2", invalid(chars+"the digit '2' is not allowed", "Ops2")},
		{"O'Brien", invalid(chars+"'\\'' is not allowed", "O'Brien")},
		{"Jean-Luc", invalid(chars+"'-' is not allowed", "Jean-Luc")},
		{"José", invalid(chars+"'é' is not allowed", "José")},
		{"约翰·史密斯", invalid(chars+"'·' is not allowed", "约翰·史密斯")},
		{"张\t三", invalid(chars+"whitespace (U+0009) is not allowed", "张\t三")},
		{"Ops\x00", invalid(chars+"the character U+0000 is not allowed", "Ops\x00")},
		{"Op\xffs", invalid("must be valid UTF-8 text", "Op\xffs")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			checkDiagnostics(t, validateString(validators.ContactName(), p, types.StringValue(tc.in)), tc.want)
		})
	}
}

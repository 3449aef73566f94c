package validators_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

const messageTypesOneOf = `must be one of "ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage" or "ProductMessage"`

func TestMessageTypeValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("message_type")
	invalid := func(description, value string) diag.Diagnostics {
		return attributeError(p, "Invalid Attribute Value Match", description, value)
	}
	tests := []struct {
		in   string
		want diag.Diagnostics
	}{
		{"ServiceMessage", nil},
		{"FaultMessage", nil},
		{"AccountExpenses", nil},
		{"SecurityMessage", nil},
		{"ActivityMessage", nil},
		{"ProductMessage", nil},
		{"faultmessage", invalid(messageTypesOneOf+` (did you mean "FaultMessage"?)`, "faultmessage")},
		{"SERVICEMESSAGE", invalid(messageTypesOneOf+` (did you mean "ServiceMessage"?)`, "SERVICEMESSAGE")},
		{"security_message", invalid(messageTypesOneOf+` (did you mean "SecurityMessage"?)`, "security_message")},
		{"Account Expenses", invalid(messageTypesOneOf+` (did you mean "AccountExpenses"?)`, "Account Expenses")},
		{"BillingMessage", invalid(messageTypesOneOf, "BillingMessage")},
		{"", invalid(messageTypesOneOf, "")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			checkDiagnostics(t, validateString(validators.MessageType(), p, types.StringValue(tc.in)), tc.want)
		})
	}
}

// TestMessageTypeInSet runs the validator the way the schema does, on the
// elements of a set, and checks the element path in the diagnostic.
func TestMessageTypeInSet(t *testing.T) {
	t.Parallel()
	p := path.Root("message_types")
	set := func(values ...string) types.Set {
		elems := make([]attr.Value, 0, len(values))
		for _, v := range values {
			elems = append(elems, types.StringValue(v))
		}
		return types.SetValueMust(types.StringType, elems)
	}
	tests := map[string]struct {
		in   types.Set
		want diag.Diagnostics
	}{
		"valid": {in: set("FaultMessage", "ServiceMessage")},
		"null":  {in: types.SetNull(types.StringType)},
		"unknown element": {
			in: types.SetValueMust(types.StringType, []attr.Value{types.StringUnknown(), types.StringValue("FaultMessage")}),
		},
		"wrong case": {
			in: set("ServiceMessage", "faultmessage"),
			want: diag.Diagnostics{diag.NewAttributeErrorDiagnostic(
				path.Root("message_types").AtSetValue(types.StringValue("faultmessage")),
				"Invalid Attribute Value Match",
				`Attribute message_types[Value("faultmessage")] `+messageTypesOneOf+` (did you mean "FaultMessage"?), got: "faultmessage"`,
			)},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := validator.SetRequest{Path: p, PathExpression: p.Expression(), ConfigValue: tc.in}
			resp := &validator.SetResponse{}
			setvalidator.ValueStringsAre(validators.MessageType()).ValidateSet(context.Background(), req, resp)
			checkDiagnostics(t, resp.Diagnostics, tc.want)
		})
	}
}

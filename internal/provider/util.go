package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validationProblem runs a schema validator on a value that does not come
// from the configuration (a part of an import ID) and returns the details of
// its errors, joined; "" when the value is valid.
func validationProblem(ctx context.Context, v validator.String, attr, value string) string {
	var resp validator.StringResponse
	v.ValidateString(ctx, validator.StringRequest{
		Path:           path.Root(attr),
		PathExpression: path.MatchRoot(attr),
		ConfigValue:    types.StringValue(value),
	}, &resp)
	var details []string
	for _, d := range resp.Diagnostics.Errors() {
		details = append(details, d.Detail())
	}
	return strings.Join(details, "; ")
}

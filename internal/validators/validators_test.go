package validators_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

// validateString runs v on value at p and returns the diagnostics.
func validateString(v validator.String, p path.Path, value types.String) diag.Diagnostics {
	req := validator.StringRequest{
		Path:           p,
		PathExpression: p.Expression(),
		ConfigValue:    value,
	}
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), req, resp)
	return resp.Diagnostics
}

// attributeError is the diagnostic a validator reports for value at p.
func attributeError(p path.Path, summary, description, value string) diag.Diagnostics {
	return diag.Diagnostics{
		diag.NewAttributeErrorDiagnostic(p, summary,
			"Attribute "+p.String()+" "+description+", got: "+strconv.Quote(value)),
	}
}

// checkDiagnostics compares diagnostics in full: severity, summary, detail and path.
func checkDiagnostics(t *testing.T, got, want diag.Diagnostics) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
}

var allValidators = map[string]validator.String{
	"PhoneNumber":  validators.PhoneNumber(),
	"EmailAddress": validators.EmailAddress(),
	"ContactName":  validators.ContactName(),
	"Title":        validators.Title(),
	"MessageType":  validators.MessageType(),
	"ContactID":    validators.ContactID(),
	"MemberID":     validators.MemberID(),
}

func TestValidatorsSkipNullAndUnknown(t *testing.T) {
	t.Parallel()
	for name, v := range allValidators {
		for kind, value := range map[string]types.String{
			"null":    types.StringNull(),
			"unknown": types.StringUnknown(),
		} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				checkDiagnostics(t, validateString(v, path.Root("attr"), value), nil)
			})
		}
	}
}

func TestValidatorDescriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, v := range allValidators {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, md := v.Description(ctx), v.MarkdownDescription(ctx)
			if d == "" || md == "" {
				t.Fatalf("Description %q, MarkdownDescription %q: want both non-empty", d, md)
			}
			// Both read as the end of "…: <description>" in generated docs.
			for _, s := range []string{d, md} {
				if s[:len("value must")] != "value must" {
					t.Errorf("description %q does not start with %q", s, "value must")
				}
				if s[len(s)-1] == '.' {
					t.Errorf("description %q ends with a period", s)
				}
			}
		})
	}
}

func TestDescriptionsExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := map[string]struct {
		v            validator.String
		desc, mdDesc string
	}{
		"Title": {
			validators.Title(),
			`value must be one of "FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector" or "Other"`,
			"value must be one of `FinanceDirector`, `TechnicalDirector`, `MaintenanceDirector`, `CEO`, `ProjectDirector` or `Other`",
		},
		"MessageType": {
			validators.MessageType(),
			`value must be one of "ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage" or "ProductMessage"`,
			"value must be one of `ServiceMessage`, `FaultMessage`, `AccountExpenses`, `SecurityMessage`, `ActivityMessage` or `ProductMessage`",
		},
		"ContactID": {
			validators.ContactID(),
			`value must be a message contact ID: "c-" followed by 12 letters or digits, for example "c-qL4HqKONzOM7"`,
			"value must be a message contact ID: `c-` followed by 12 letters or digits, for example `c-qL4HqKONzOM7`",
		},
		"PhoneNumber": {
			validators.PhoneNumber(),
			`value must be a mobile phone number written <country code>-<number> with digits only, for example "86-13912345678"; with country code 86 it must be a mainland China mobile number (11 digits starting with 13–19)`,
			"value must be a mobile phone number written `<country code>-<number>` with digits only, for example `86-13912345678`; with country code `86` it must be a mainland China mobile number (11 digits starting with 13–19)",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.v.Description(ctx); got != tc.desc {
				t.Errorf("Description:\n got %s\nwant %s", got, tc.desc)
			}
			if got := tc.v.MarkdownDescription(ctx); got != tc.mdDesc {
				t.Errorf("MarkdownDescription:\n got %s\nwant %s", got, tc.mdDesc)
			}
		})
	}
}

func TestEnumsMatchAPI(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]string{"FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector", "Other"}, validators.Titles); diff != "" {
		t.Errorf("Titles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ServiceMessage", "FaultMessage", "AccountExpenses", "SecurityMessage", "ActivityMessage", "ProductMessage"}, validators.MessageTypes); diff != "" {
		t.Errorf("MessageTypes (-want +got):\n%s", diff)
	}
}

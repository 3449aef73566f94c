package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

var _ function.Function = (*normalizePhoneNumberFunction)(nil)

// NewNormalizePhoneNumberFunction returns the normalize_phone_number function.
func NewNormalizePhoneNumberFunction() function.Function {
	return &normalizePhoneNumberFunction{}
}

type normalizePhoneNumberFunction struct{}

func (f *normalizePhoneNumberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "normalize_phone_number"
}

func (f *normalizePhoneNumberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Rewrites a phone number in the <country code>-<number> form the API accepts.",
		MarkdownDescription: "Rewrites a phone number written in a common international spelling — `+86 139 1234 5678`, " +
			"`0086-13912345678`, `8613912345678`, `(+44) 7911 123456` — into the `<country code>-<number>` form that " +
			"Resource Directory accepts, for example `86-13912345678`. A number it cannot read is an error that names the reason.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "phone_number",
				MarkdownDescription: "A phone number with its country code, in any common spelling.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *normalizePhoneNumberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var in string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &in))
	if resp.Error != nil {
		return
	}
	out, err := validators.NormalizePhoneNumber(in)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, "cannot normalize phone_number: "+err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, out))
}

package acctest

import (
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

func TestParseCLIVersion(t *testing.T) {
	for out, want := range map[string]string{
		"Terraform v1.16.0\non linux_amd64\n":     "Terraform 1.16.0",
		"OpenTofu v1.12.6\non linux_amd64\n":      "OpenTofu 1.12.6",
		"Terraform v1.14.0-dev\non linux_amd64\n": "Terraform 1.14.0-dev",
		"OpenTofu v1.6.3":                         "OpenTofu 1.6.3",
	} {
		got, err := parseCLIVersion(out)
		if err != nil {
			t.Errorf("%q: %v", out, err)
			continue
		}
		if got.String() != want {
			t.Errorf("%q: got %s, want %s", out, got, want)
		}
	}
	for _, out := range []string{"", "Pulumi v3.0.0\n", "Terraform\n", "OpenTofu vX\n"} {
		if got, err := parseCLIVersion(out); err == nil {
			t.Errorf("%q: got %s, want an error", out, got)
		}
	}
}

// Which tests run with which CLI: the features' first versions, and above all
// that OpenTofu's version is not compared with Terraform's.
func TestFeatureLacks(t *testing.T) {
	cli := func(kind, v string) CLIVersion {
		return CLIVersion{Kind: kind, Version: version.Must(version.NewVersion(v))}
	}
	for _, tc := range []struct {
		feature Feature
		cli     CLIVersion
		lacks   string // "" when the CLI has the feature; else a phrase of the reason
	}{
		{AnyCLI, cli(Terraform, "1.5.7"), ""},
		{AnyCLI, cli(OpenTofu, "1.6.3"), ""},
		{ProviderFunctions, cli(Terraform, "1.5.7"), "Terraform has from 1.8.0 on"},
		{ProviderFunctions, cli(Terraform, "1.8.0"), ""},
		{ProviderFunctions, cli(OpenTofu, "1.6.3"), "OpenTofu has from 1.7.0 on"},
		{ProviderFunctions, cli(OpenTofu, "1.7.0"), ""},
		{IdentityImport, cli(Terraform, "1.11.4"), "Terraform has from 1.12.0 on"},
		{IdentityImport, cli(Terraform, "1.16.0"), ""},
		{IdentityImport, cli(OpenTofu, "1.12.6"), ""},
		{IdentityImport, cli(OpenTofu, "1.6.3"), "OpenTofu has from 1.12.0 on"},
		{MovedAcrossProviders, cli(Terraform, "1.8.0"), ""},
		{MovedAcrossProviders, cli(OpenTofu, "1.12.3"), "OpenTofu has from 1.12.4 on"},
		{MovedAcrossProviders, cli(OpenTofu, "1.12.6"), ""},
		{ListResources, cli(Terraform, "1.16.0"), ""},
		{ListResources, cli(Terraform, "1.14.0-dev"), ""},
		{ListResources, cli(Terraform, "1.13.5"), "Terraform has from 1.14.0 on"},
		{ListResources, cli(OpenTofu, "1.12.6"), "which OpenTofu 1.12.6 lacks: OpenTofu has no list blocks"},
		{ListResources, cli(OpenTofu, "1.16.0"), "which OpenTofu 1.16.0 lacks"},
		{Actions, cli(Terraform, "1.14.0"), ""},
		{Actions, cli(OpenTofu, "1.12.6"), "which OpenTofu 1.12.6 lacks: OpenTofu has no actions"},
	} {
		got := tc.feature.Lacks(tc.cli)
		switch {
		case tc.lacks == "" && got != "":
			t.Errorf("%s with %s: %q, want the feature available", tc.feature.Name, tc.cli, got)
		case tc.lacks != "" && !strings.Contains(got, tc.lacks):
			t.Errorf("%s with %s: %q, want a reason with %q", tc.feature.Name, tc.cli, got, tc.lacks)
		}
	}
}

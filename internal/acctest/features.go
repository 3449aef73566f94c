package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// CLI kinds, as the first line of `<cli> version` names them.
const (
	Terraform = "Terraform"
	OpenTofu  = "OpenTofu"
)

// Feature is something of the provider that only some CLIs can use. Both
// Terraform and OpenTofu report their own version to the tests
// (`version -json` says "terraform_version" for either), and OpenTofu's
// version numbers do not follow Terraform's features: OpenTofu 1.12 has
// import blocks with identity, as Terraform 1.12 has, but neither list
// resources nor actions. So a test states the feature it needs, and the
// feature says which version of which CLI has it.
type Feature struct {
	// Name says what the feature is, in skip messages.
	Name string
	// Terraform is the first Terraform version that has the feature.
	Terraform *version.Version
	// OpenTofu is the first OpenTofu version that has the feature; nil when
	// no OpenTofu version has it (OpenTofuMissing then says so).
	OpenTofu *version.Version
	// OpenTofuMissing explains, when OpenTofu is nil, what OpenTofu lacks.
	OpenTofuMissing string
}

func mustVersion(s string) *version.Version { return version.Must(version.NewVersion(s)) }

// The features the acceptance tests need, with the first CLI versions that
// have them (README.md, "Supported CLIs").
var (
	// AnyCLI is what every supported CLI can do.
	AnyCLI = Feature{Name: "the provider", Terraform: mustVersion("1.5.0"), OpenTofu: mustVersion("1.6.0")}
	// ProviderFunctions: provider::alicloudrd::normalize_phone_number.
	ProviderFunctions = Feature{Name: "provider-defined functions",
		Terraform: mustVersion("1.8.0"), OpenTofu: mustVersion("1.7.0")}
	// MovedAcrossProviders: a moved block from another provider's resource
	// type (MoveResourceState). OpenTofu moves between resource types since
	// 1.10, but before 1.12.4 (and 1.11.12) it gave the provider the source
	// provider's bare type name instead of its address, which the provider
	// rightly refuses.
	MovedAcrossProviders = Feature{Name: "moved blocks between resource types of different providers",
		Terraform: mustVersion("1.8.0"), OpenTofu: mustVersion("1.12.4")}
	// IdentityImport: import blocks with identity, resource identity in
	// state.
	IdentityImport = Feature{Name: "import blocks with identity",
		Terraform: mustVersion("1.12.0"), OpenTofu: mustVersion("1.12.0")}
	// ListResources: list blocks and the query command.
	ListResources = Feature{Name: "list resources (list blocks, the query command)",
		Terraform:       mustVersion("1.14.0"),
		OpenTofuMissing: "OpenTofu has no list blocks and no query command (OpenTofu 1.12 rejects `list` blocks and has no `tofu query`)"}
	// Actions: action blocks, apply -invoke, action_trigger.
	Actions = Feature{Name: "actions (action blocks, apply -invoke, action_trigger)",
		Terraform:       mustVersion("1.14.0"),
		OpenTofuMissing: "OpenTofu has no actions (OpenTofu 1.12 rejects `action` blocks and has no `-invoke` option)"}
)

// CLIVersion is a CLI's kind (Terraform or OpenTofu) and version.
type CLIVersion struct {
	Kind    string
	Version *version.Version
}

func (c CLIVersion) String() string { return c.Kind + " " + c.Version.String() }

// Lacks returns why the CLI cannot run what needs the feature, or "" when it can.
func (f Feature) Lacks(c CLIVersion) string {
	first := f.Terraform
	if c.Kind == OpenTofu {
		if f.OpenTofu == nil {
			return fmt.Sprintf("needs %s, which %s lacks: %s", f.Name, c, f.OpenTofuMissing)
		}
		first = f.OpenTofu
	}
	// Compare releases only: 1.14.0-dev and 1.14.0-beta1 have what 1.14.0 has.
	if c.Version.Core().LessThan(first) {
		return fmt.Sprintf("needs %s, which %s has from %s on; this is %s", f.Name, c.Kind, first, c)
	}
	return ""
}

// Check is the terraform-plugin-testing version check that skips a test
// needing the feature when the CLI lacks it, saying why. The CLI is
// TF_ACC_TERRAFORM_PATH's (terraform-plugin-testing reports its version);
// without one, Terraform.
func (f Feature) Check() tfversion.TerraformVersionCheck { return featureCheck{f} }

type featureCheck struct{ f Feature }

func (c featureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	kind := Terraform
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		cli, err := DetectCLI(path)
		if err != nil {
			resp.Error = err
			return
		}
		kind = cli.Kind
	}
	if why := c.f.Lacks(CLIVersion{Kind: kind, Version: req.TerraformVersion}); why != "" {
		resp.Skip = why
	}
}

var detected sync.Map // path -> CLIVersion

// DetectCLI runs `<path> version` once per path and returns what the CLI is.
func DetectCLI(path string) (CLIVersion, error) {
	if v, ok := detected.Load(path); ok {
		if cli, ok := v.(CLIVersion); ok {
			return cli, nil
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		return CLIVersion{}, fmt.Errorf("CLI %s: `version` failed: %w", path, err)
	}
	cli, err := parseCLIVersion(string(out))
	if err != nil {
		return CLIVersion{}, fmt.Errorf("CLI %s: %w", path, err)
	}
	detected.Store(path, cli)
	return cli, nil
}

// parseCLIVersion reads the first line of `version`: "Terraform v1.16.0" or
// "OpenTofu v1.12.6".
func parseCLIVersion(out string) (CLIVersion, error) {
	first, _, _ := strings.Cut(out, "\n")
	fields := strings.Fields(first)
	if len(fields) != 2 || (fields[0] != Terraform && fields[0] != OpenTofu) {
		return CLIVersion{}, fmt.Errorf("`version` printed %q, neither Terraform vX nor OpenTofu vX", first)
	}
	v, err := version.NewVersion(strings.TrimPrefix(fields[1], "v"))
	if err != nil {
		return CLIVersion{}, fmt.Errorf("`version` printed %q: %w", first, err)
	}
	return CLIVersion{Kind: fields[0], Version: v}, nil
}

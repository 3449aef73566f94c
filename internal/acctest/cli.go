package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// CLI runs the Terraform CLI of TF_ACC_TERRAFORM_PATH in a temporary
// directory against a provider served in-process, for the commands
// terraform-plugin-testing does not run itself (for example
// `terraform query -generate-config-out`). Its API traffic goes wherever the
// provider blocks written into the directory point: a Server's URL.
type CLI struct {
	TF  *tfexec.Terraform
	Dir string
	// Kind is Terraform or OpenTofu.
	Kind string

	reattach tfexec.ReattachInfo
}

// ProviderSource is the provider's source address, for required_providers.
const ProviderSource = "alicloudrd/alicloudrd"

// NewCLI serves the provider in-process until the test ends and returns a
// CLI in a new directory. The test skips, saying why, when TF_ACC is unset,
// no CLI is given in TF_ACC_TERRAFORM_PATH, or the CLI lacks the feature the
// test needs (AnyCLI when it needs nothing special).
func NewCLI(t *testing.T, needs Feature, server func() (tfprotov6.ProviderServer, error)) *CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it")
	}
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set: this test runs that Terraform CLI itself")
	}
	dir := t.TempDir()
	tf, err := tfexec.NewTerraform(dir, path)
	if err != nil {
		t.Fatalf("Terraform CLI %s: %v", path, err)
	}
	cli, err := DetectCLI(path)
	if err != nil {
		t.Fatal(err)
	}
	if why := needs.Lacks(cli); why != "" {
		t.Skipf("%s: this test %s", path, why)
	}
	c := &CLI{TF: tf, Dir: dir, Kind: cli.Kind, reattach: tfexec.ReattachInfo{}}
	c.Serve(t, ProviderSource, server)
	return c
}

// Host is the registry host under which the CLI looks up providers whose
// source names none: registry.opentofu.org for OpenTofu,
// registry.terraform.io for Terraform.
func (c *CLI) Host() string {
	if c.Kind == OpenTofu {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// Serve serves another provider in-process until the test ends, under source
// (namespace/type, for example "aliyun/alicloud") on both registry hosts, for
// the CLI's commands to attach to instead of installing it.
func (c *CLI) Serve(t *testing.T, source string, server func() (tfprotov6.ProviderServer, error)) {
	t.Helper()
	rc := serveForReattach(t, source, server)
	c.reattach["registry.terraform.io/"+source] = rc
	c.reattach["registry.opentofu.org/"+source] = rc
}

// serveForReattach serves a provider in-process for the CLI to attach to.
func serveForReattach(t *testing.T, source string, server func() (tfprotov6.ProviderServer, error)) tfexec.ReattachConfig {
	t.Helper()
	ps, err := server()
	if err != nil {
		t.Fatalf("creating the provider server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve("registry.terraform.io/"+source, func() tfprotov6.ProviderServer { return ps },
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// The provider's logs follow TF_LOG (off when unset), as under
			// terraform-plugin-testing, instead of going to stderr at TRACE.
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride())
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	config := <-configCh
	return tfexec.ReattachConfig{
		Protocol:        string(config.Protocol),
		ProtocolVersion: config.ProtocolVersion,
		Pid:             config.Pid,
		Test:            true,
		Addr:            tfexec.ReattachConfigAddr{Network: config.Addr.Network(), String: config.Addr.String()},
	}
}

// Reattach is the option that points a CLI command at the in-process provider.
func (c *CLI) Reattach() *tfexec.ReattachOption { return tfexec.Reattach(c.reattach) }

// Run runs the CLI with args in its directory against the in-process
// provider (TF_REATTACH_PROVIDERS), for commands tfexec has no method or
// option for, such as `terraform apply -invoke=ACTION` (Terraform 1.14 and
// later). As with tfexec, the CLI runs in automation mode with its logging
// off, whatever TF_LOG says. It returns what the CLI printed, stdout and
// stderr interleaved, and an error naming the command when it fails.
func (c *CLI) Run(ctx context.Context, args ...string) (string, error) {
	cmd, err := c.Command(ctx, args...)
	if err != nil {
		return "", err
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// Command is the command Run runs, not started yet, for callers that need
// the process itself (to kill it mid-apply, for example).
func (c *CLI) Command(ctx context.Context, args ...string) (*exec.Cmd, error) {
	reattach, err := json.Marshal(c.reattach)
	if err != nil {
		return nil, fmt.Errorf("encoding the reattach information: %w", err)
	}
	cmd := exec.CommandContext(ctx, c.TF.ExecPath(), args...)
	cmd.Dir = c.Dir
	// Later entries win: these override the environment's.
	cmd.Env = append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(reattach),
		"TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"TF_LOG=", "TF_LOG_CORE=", "TF_LOG_PROVIDER=", "TF_LOG_PATH=")
	return cmd, nil
}

// Write writes a file into the CLI's directory.
func (c *CLI) Write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Read returns a file of the CLI's directory.
func (c *CLI) Read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(c.Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

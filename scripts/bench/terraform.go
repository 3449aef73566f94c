package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tfEnv is what every Terraform command of a run shares: the CLI, a CLI
// configuration whose dev_overrides point at the wrapper directory, and
// the provider the wrapper runs.
type tfEnv struct {
	terraform   string
	cliConfig   string
	provider    string // the real provider binary
	secret      string // the emulators' access key secret
	parallelism int
}

// newTFEnv writes the CLI configuration into dir.
func newTFEnv(terraform, dir, wrapperDir, provider, secret string, parallelism int) (*tfEnv, error) {
	rc := filepath.Join(dir, "terraformrc")
	text := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/alicloudrd/alicloudrd" = %q
  }
  direct {}
}
`, wrapperDir)
	if err := os.WriteFile(rc, []byte(text), 0o644); err != nil {
		return nil, err
	}
	return &tfEnv{terraform: terraform, cliConfig: rc, provider: provider, secret: secret, parallelism: parallelism}, nil
}

// workspace is a Terraform working directory bound to one emulator.
type workspace struct {
	env      *tfEnv
	dir      string
	endpoint string
	step     int
}

func (t *tfEnv) workspace(dir, endpoint string) (*workspace, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &workspace{env: t, dir: dir, endpoint: endpoint}, nil
}

func (w *workspace) write(name, text string) error {
	return os.WriteFile(filepath.Join(w.dir, name), []byte(text), 0o644)
}

// runResult is one Terraform command.
type runResult struct {
	wall     time.Duration
	exitCode int
	cpu      time.Duration // Terraform's CPU, its reaped children (the provider) included
	provider providerUsage
}

// providerUsage sums the provider processes a command started.
type providerUsage struct {
	processes int
	cpu       time.Duration // user + system, all processes
	peakKiB   int64         // largest peak RSS of any process
}

// run runs terraform with args in the workspace; any exit code but 0 is an
// error (plan -detailed-exitcode included: the plans measured must be empty).
func (w *workspace) run(ctx context.Context, args []string) (runResult, error) {
	w.step++
	base := fmt.Sprintf("%02d-%s", w.step, args[0])
	logPath := filepath.Join(w.dir, base+".log")
	usagePath := filepath.Join(w.dir, base+".usage")
	logFile, err := os.Create(logPath)
	if err != nil {
		return runResult{}, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, w.env.terraform, args...)
	cmd.Dir = w.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+w.env.cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"TF_LOG=",
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+benchAccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+w.env.secret,
		"ALIBABA_CLOUD_REGION="+benchRegion,
		"ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER="+w.endpoint,
		envWrapProvider+"="+w.env.provider,
		envWrapUsage+"="+usagePath,
	)
	start := time.Now()
	err = cmd.Run()
	res := runResult{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.exitCode = exitErr.ExitCode()
	case err != nil:
		return res, err
	}
	if res.exitCode != 0 {
		return res, fmt.Errorf("terraform %s in %s exited %d; its output (%s) ends with:\n%s",
			strings.Join(args, " "), w.dir, res.exitCode, logPath, tail(logPath, 25))
	}
	res.provider, err = readUsage(usagePath)
	return res, err
}

// readUsage sums the lines the wrapper appended.
func readUsage(path string) (providerUsage, error) {
	var u providerUsage
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return u, nil
	}
	if err != nil {
		return u, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 {
			continue
		}
		var n [4]int64
		for i, s := range fields {
			n[i], _ = strconv.ParseInt(s, 10, 64)
		}
		u.processes++
		u.peakKiB = max(u.peakKiB, n[0])
		u.cpu += time.Duration(n[1]+n[2]) * time.Microsecond
	}
	return u, sc.Err()
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// providerBlock is the required_providers block every configuration uses.
const providerBlock = `terraform {
  required_providers {
    alicloudrd = {
      source = "alicloudrd/alicloudrd"
    }
  }
}
`

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// binaries are what the benchmarks run.
type binaries struct {
	provider       string // go build, as make build does; the binary Terraform runs
	providerSmall  string // stripped: -ldflags "-s -w", as the release builds it
	emulator       string
	floor          string // scripts/bench/floor: a minimal framework provider
	floorSmall     string
	wrapperDir     string // dev_overrides directory: terraform-provider-alicloudrd → this program
	sizeDefault    int64
	sizeStripped   int64
	floorSize      int64
	floorStripped  int64
	buildDurations map[string]time.Duration
}

func build(ctx context.Context, root, dir string) (*binaries, error) {
	b := &binaries{
		provider:       filepath.Join(dir, "bin", "terraform-provider-alicloudrd"),
		providerSmall:  filepath.Join(dir, "bin", "terraform-provider-alicloudrd.stripped"),
		emulator:       filepath.Join(dir, "bin", "alicloudrd-emulator"),
		floor:          filepath.Join(dir, "bin", "terraform-provider-floor"),
		floorSmall:     filepath.Join(dir, "bin", "terraform-provider-floor.stripped"),
		wrapperDir:     filepath.Join(dir, "plugins"),
		buildDurations: map[string]time.Duration{},
	}
	for _, step := range []struct {
		name string
		args []string
	}{
		{"provider", []string{"build", "-o", b.provider, "."}},
		// Without -trimpath, which would recompile every package: the
		// release adds it, and it changes the size by a few KiB at most.
		{"provider (stripped)", []string{"build", "-ldflags", "-s -w", "-o", b.providerSmall, "."}},
		{"emulator", []string{"build", "-o", b.emulator, "./cmd/alicloudrd-emulator"}},
		{"floor provider", []string{"build", "-o", b.floor, "./scripts/bench/floor"}},
		{"floor provider (stripped)", []string{"build", "-ldflags", "-s -w", "-o", b.floorSmall, "./scripts/bench/floor"}},
	} {
		start := time.Now()
		cmd := exec.CommandContext(ctx, "go", step.args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(step.args, " "), err, out)
		}
		b.buildDurations[step.name] = time.Since(start)
	}
	var err error
	if b.sizeDefault, err = fileSize(b.provider); err != nil {
		return nil, err
	}
	if b.sizeStripped, err = fileSize(b.providerSmall); err != nil {
		return nil, err
	}
	if b.floorSize, err = fileSize(b.floor); err != nil {
		return nil, err
	}
	if b.floorStripped, err = fileSize(b.floorSmall); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(b.wrapperDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(self, filepath.Join(b.wrapperDir, "terraform-provider-alicloudrd")); err != nil {
		return nil, err
	}
	return b, nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

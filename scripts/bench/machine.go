package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine describes where the numbers were taken.
type machine struct {
	cpu       string
	cores     int
	memory    string
	os        string
	goVersion string
	terraform string
	commit    string
	date      time.Time
	loadStart string
	loadEnd   string
}

func describeMachine(ctx context.Context, root, terraform string) machine {
	m := machine{
		cpu:       cpuModel(),
		cores:     runtime.NumCPU(),
		memory:    memTotal(),
		os:        osName(),
		goVersion: strings.TrimPrefix(cmdOutput(ctx, root, "go", "env", "GOVERSION"), "go"),
		terraform: terraformVersion(ctx, root, terraform),
		commit:    gitCommit(ctx, root),
		date:      time.Now().UTC(),
		loadStart: loadAverage(),
	}
	return m
}

func cmdOutput(ctx context.Context, dir, name string, args ...string) string {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func cpuModel() string {
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	if s := cmdOutput(context.Background(), "", "sysctl", "-n", "machdep.cpu.brand_string"); s != "" {
		return s
	}
	return runtime.GOARCH
}

func memTotal() string {
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				kib, _ := strconv.ParseFloat(fields[1], 64)
				return fmt.Sprintf("%.1f GiB", kib/1024/1024)
			}
		}
	}
	if s := cmdOutput(context.Background(), "", "sysctl", "-n", "hw.memsize"); s != "" {
		b, _ := strconv.ParseFloat(s, 64)
		return fmt.Sprintf("%.1f GiB", b/1024/1024/1024)
	}
	return "unknown"
}

func osName() string {
	name := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				name = strings.Trim(v, `"`)
			}
		}
	}
	if k := cmdOutput(context.Background(), "", "uname", "-sr"); k != "" {
		name += " (" + k + ")"
	}
	return name + ", " + runtime.GOOS + "/" + runtime.GOARCH
}

func terraformVersion(ctx context.Context, root, terraform string) string {
	out := cmdOutput(ctx, root, terraform, "version", "-json")
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal([]byte(out), &v) == nil && v.Version != "" {
		return v.Version
	}
	return "unknown"
}

func gitCommit(ctx context.Context, root string) string {
	c := cmdOutput(ctx, root, "git", "rev-parse", "--short", "HEAD")
	if c == "" {
		return "unknown"
	}
	if cmdOutput(ctx, root, "git", "status", "--porcelain", "--untracked-files=no") != "" {
		c += " with uncommitted changes"
	}
	return c
}

// loadAverage is the 1-, 5- and 15-minute load average (Linux only).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

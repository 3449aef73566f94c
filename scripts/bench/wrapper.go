package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// The provider wrapper. Terraform finds the provider through a
// dev_overrides directory holding a link named terraform-provider-alicloudrd
// to this binary; with these variables set, the binary runs the real
// provider as its child, passes the plugin handshake and standard streams
// through, and appends one line of resource usage to the file when the
// child exits:
//
//	<peak RSS in KiB> <user CPU µs> <system CPU µs> <wall µs>
const (
	envWrapProvider = "ALICLOUDRD_BENCH_PROVIDER"
	envWrapUsage    = "ALICLOUDRD_BENCH_USAGE"
)

// runWrapperIfAsked runs the wrapper when the environment asks for it and
// reports its exit code.
func runWrapperIfAsked() (int, bool) {
	providerPath := os.Getenv(envWrapProvider)
	if providerPath == "" {
		return 0, false
	}
	return runWrapper(providerPath, os.Getenv(envWrapUsage), os.Args[1:]), true
}

func runWrapper(providerPath, usageFile string, args []string) int {
	cmd := exec.Command(providerPath, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The child must not inherit the wrapper settings (it is not a wrapper).
	cmd.Env = withoutEnv(os.Environ(), envWrapProvider, envWrapUsage)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "alicloudrd-bench wrapper:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	signal.Stop(sigs)
	if usageFile != "" && cmd.ProcessState != nil {
		u := usageOf(cmd.ProcessState)
		if f, ferr := os.OpenFile(usageFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); ferr == nil {
			fmt.Fprintf(f, "%d %d %d %d\n", u.maxRSSKiB, u.user.Microseconds(), u.sys.Microseconds(), wall.Microseconds())
			_ = f.Close()
		}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

func withoutEnv(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, n := range names {
			if len(kv) > len(n) && kv[:len(n)] == n && kv[len(n)] == '=' {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

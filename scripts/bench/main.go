// Command alicloudrd-bench measures the provider and the emulator and writes
// BENCHMARKS.md. scripts/bench.sh (make bench) builds and runs it:
//
//	alicloudrd-bench -root . -terraform /usr/local/bin/terraform -out BENCHMARKS.md
//
// It builds the provider and the emulator, then measures
//
//  1. the API calls of each operation of each resource and data source,
//     counted by the emulator, next to the minimum the API allows;
//  2. terraform apply, a no-change plan and destroy at several scales
//     (wall time, API calls, provider CPU and memory);
//  3. start-up: terraform validate on an empty configuration, the peak memory
//     of the provider process and the size of the provider binary;
//  4. the emulator's throughput of signed requests through the SDK;
//  5. the Go microbenchmarks of the signature check, the validators and the
//     replay matcher.
//
// Settings come from flags and the environment (see usage). The same binary
// also serves as the provider wrapper that records the provider's resource
// usage (see wrapper.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// settings are the knobs of one benchmark run.
type settings struct {
	root        string        // repository root
	terraform   string        // Terraform CLI
	out         string        // report path
	work        string        // scratch directory (removed at the end unless keep)
	keep        bool          // keep the scratch directory
	sizes       []int         // scale: contacts per run
	scaleRuns   int           // scale: repetitions of each size
	budget      time.Duration // scale repeats runs only while make bench stays within this
	parallelism int           // terraform -parallelism
	validates   int           // start-up: measured terraform validate runs
	floorPairs  int           // start-up against the floor: paired runs of each command
	floorInits  int           // start-up against the floor: traced starts of each binary
	baseline    string        // start-up against the floor: another provider binary to trace
	tpDuration  time.Duration // throughput: length of one run
	tpRuns      int           // throughput: runs per client count
	tpClients   []int         // throughput: concurrent clients
	microCount  int           // go test -count for the microbenchmarks
	microTime   string        // go test -benchtime
	skip        map[string]bool
}

func main() {
	if code, ok := runWrapperIfAsked(); ok {
		os.Exit(code)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := parseSettings(os.Args[1:], os.Stderr)
	if err != nil {
		if err == flag.ErrHelp {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "alicloudrd-bench:", err)
		os.Exit(2)
	}
	if err := run(ctx, s, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "alicloudrd-bench:", err)
		os.Exit(1)
	}
}

func parseSettings(args []string, stderr io.Writer) (*settings, error) {
	s := &settings{skip: map[string]bool{}}
	fs := flag.NewFlagSet("alicloudrd-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sizes, clients, skip string
	fs.StringVar(&s.root, "root", ".", "repository root")
	fs.StringVar(&s.terraform, "terraform", "terraform", "Terraform CLI to run")
	fs.StringVar(&s.out, "out", "BENCHMARKS.md", "report to write (relative to -root)")
	fs.StringVar(&s.work, "work", "", "scratch directory (default: a new temporary directory)")
	fs.BoolVar(&s.keep, "keep", envBool("BENCH_KEEP"), "keep the scratch directory (logs, states) [$BENCH_KEEP]")
	fs.StringVar(&sizes, "sizes", envOr("BENCH_SIZES", "1 20 100 500"), "scale: numbers of contacts [$BENCH_SIZES]")
	fs.IntVar(&s.scaleRuns, "scale-runs", envInt("BENCH_SCALE_RUNS", 3), "scale: runs of each size, the median is reported [$BENCH_SCALE_RUNS]")
	fs.DurationVar(&s.budget, "budget", envDuration("BENCH_BUDGET", 9*time.Minute), "time budget of the whole make bench: repeated scale runs stop before exceeding it [$BENCH_BUDGET]")
	fs.IntVar(&s.parallelism, "parallelism", envInt("BENCH_PARALLELISM", 10), "terraform -parallelism [$BENCH_PARALLELISM]")
	fs.IntVar(&s.validates, "validate-runs", envInt("BENCH_VALIDATE_RUNS", 5), "start-up: terraform validate runs [$BENCH_VALIDATE_RUNS]")
	fs.DurationVar(&s.tpDuration, "throughput-duration", envDuration("BENCH_THROUGHPUT_DURATION", 3*time.Second), "throughput: length of one run [$BENCH_THROUGHPUT_DURATION]")
	fs.IntVar(&s.tpRuns, "throughput-runs", envInt("BENCH_THROUGHPUT_RUNS", 3), "throughput: runs per client count [$BENCH_THROUGHPUT_RUNS]")
	fs.StringVar(&clients, "throughput-clients", envOr("BENCH_THROUGHPUT_CLIENTS", "1 16"), "throughput: concurrent clients [$BENCH_THROUGHPUT_CLIENTS]")
	fs.IntVar(&s.microCount, "micro-count", envInt("BENCH_MICRO_COUNT", 5), "microbenchmarks: go test -count [$BENCH_MICRO_COUNT]")
	fs.StringVar(&s.microTime, "micro-benchtime", envOr("BENCH_MICRO_BENCHTIME", "300ms"), "microbenchmarks: go test -benchtime [$BENCH_MICRO_BENCHTIME]")
	fs.IntVar(&s.floorPairs, "floor-pairs", envInt("BENCH_FLOOR_PAIRS", 15), "start-up against the floor: pairs of terraform validate and plan runs [$BENCH_FLOOR_PAIRS]")
	fs.IntVar(&s.floorInits, "floor-inits", envInt("BENCH_FLOOR_INITS", 21), "start-up against the floor: starts of each binary traced with GODEBUG=inittrace=1 [$BENCH_FLOOR_INITS]")
	fs.StringVar(&s.baseline, "startup-baseline", os.Getenv("BENCH_STARTUP_BASELINE"), "start-up against the floor: another provider binary (say, another commit's build) whose package initialisation is traced too [$BENCH_STARTUP_BASELINE]")
	fs.StringVar(&skip, "skip", os.Getenv("BENCH_SKIP"), "sections to skip: ops, scale, startup, floor, throughput, micro [$BENCH_SKIP]")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if s.sizes, err = parseInts(sizes); err != nil {
		return nil, fmt.Errorf("-sizes: %w", err)
	}
	if s.tpClients, err = parseInts(clients); err != nil {
		return nil, fmt.Errorf("-throughput-clients: %w", err)
	}
	for _, name := range strings.FieldsFunc(skip, func(r rune) bool { return r == ',' || r == ' ' }) {
		switch name {
		case "ops", "scale", "startup", "floor", "throughput", "micro":
			s.skip[name] = true
		default:
			return nil, fmt.Errorf("-skip: unknown section %q", name)
		}
	}
	if s.baseline != "" {
		if s.baseline, err = filepath.Abs(s.baseline); err != nil {
			return nil, err
		}
		if _, err := os.Stat(s.baseline); err != nil {
			return nil, fmt.Errorf("-startup-baseline: %w", err)
		}
	}
	if s.scaleRuns < 1 || s.validates < 1 || s.floorPairs < 1 || s.floorInits < 1 || s.tpRuns < 1 || s.microCount < 1 || s.parallelism < 1 {
		return nil, fmt.Errorf("run counts and -parallelism must be at least 1")
	}
	if s.root, err = filepath.Abs(s.root); err != nil {
		return nil, err
	}
	if !filepath.IsAbs(s.out) {
		s.out = filepath.Join(s.root, s.out)
	}
	return s, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no value given")
	}
	return out, nil
}

func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil {
		return n
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv(name)))
	return b
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(strings.TrimSpace(os.Getenv(name))); err == nil && d > 0 {
		return d
	}
	return def
}

// progress prints a progress line to stderr.
func progress(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", a...)
}

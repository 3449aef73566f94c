package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// report is everything one run measured.
type report struct {
	s       *settings
	started time.Time
	machine machine
	bins    *binaries
	ops     []opRow
	scale   map[int][]scaleRun
	// scaleSkipped counts the runs of each size the time budget left out.
	scaleSkipped map[int]int
	startup      startupResult
	floor        floorResult
	throughput   map[int][]throughputRun
	micro        microResult
	sections     []sectionTime
}

// runScales runs every size once (sizes in order), then repeats the rounds
// up to s.scaleRuns times while the time budget allows: a run of a size
// starts only when the previous run of that size, 25% longer, would still
// end within the budget.
func (r *report) runScales(ctx context.Context, env *tfEnv, work string) error {
	s := r.s
	last := map[int]time.Duration{}
	for run := 1; run <= s.scaleRuns; run++ {
		for _, n := range s.sizes {
			if run > 1 {
				left := s.budget - time.Since(r.started)
				if need := last[n]*5/4 + 2*time.Second; need > left {
					r.scaleSkipped[n]++
					progress("scale: %d contacts, run %d skipped: it would take about %s, %s of the %s budget is left",
						n, run, need.Round(time.Second), left.Round(time.Second), s.budget)
					continue
				}
			}
			start := time.Now()
			res, err := runScale(ctx, env, r.bins.emulator, filepath.Join(work, "scale"), n, run)
			if err != nil {
				return err
			}
			last[n] = time.Since(start)
			r.scale[n] = append(r.scale[n], res)
		}
	}
	return nil
}

type sectionTime struct {
	name  string
	wall  time.Duration
	cause string
}

func run(ctx context.Context, s *settings, stdout io.Writer) error {
	rep := &report{s: s, started: startTime(), scale: map[int][]scaleRun{}, scaleSkipped: map[int]int{}}
	pre := time.Since(rep.started) // scripts/bench.sh building this program
	work := s.work
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "alicloudrd-bench-"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if s.keep {
		progress("scratch directory (kept): %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	secret := randomSecret()
	rep.machine = describeMachine(ctx, s.root, s.terraform)
	progress("machine: %s, %d cores; Go %s; Terraform %s", rep.machine.cpu, rep.machine.cores, rep.machine.goVersion, rep.machine.terraform)

	section := func(name, cause string, f func() error) error {
		start := time.Now()
		err := f()
		rep.sections = append(rep.sections, sectionTime{name: name, wall: time.Since(start), cause: cause})
		return err
	}
	if os.Getenv("BENCH_STARTED_AT") != "" && pre > 0 {
		rep.sections = append(rep.sections, sectionTime{name: "build the benchmark program (scripts/bench.sh)", wall: pre,
			cause: "go build; instant with a warm build cache"})
	}
	if err := section("build the provider (twice), the emulator and the floor provider (twice)", "go build; minutes with a cold build cache", func() error {
		var err error
		rep.bins, err = build(ctx, s.root, work)
		return err
	}); err != nil {
		return err
	}
	env, err := newTFEnv(s.terraform, work, rep.bins.wrapperDir, rep.bins.provider, secret, s.parallelism)
	if err != nil {
		return err
	}

	if !s.skip["ops"] {
		if err := section("1. API calls per operation", "about 20 Terraform commands; the asynchronous delete waits for one 5 s poll", func() error {
			var err error
			rep.ops, err = runOps(ctx, env, rep.bins.emulator, filepath.Join(work, "ops"))
			return err
		}); err != nil {
			return err
		}
	}
	if !s.skip["startup"] {
		if err := section("3. Start-up", "terraform validate, 1 + "+strconv.Itoa(s.validates)+" times", func() error {
			var err error
			rep.startup, err = runStartup(ctx, env, work, s.validates)
			return err
		}); err != nil {
			return err
		}
	}
	if !s.skip["floor"] {
		cause := fmt.Sprintf("terraform validate and plan, 1 + %d times with each provider; %d starts of each binary", s.floorPairs, s.floorInits)
		if err := section("3. Start-up against the floor", cause, func() error {
			var err error
			rep.floor, err = runFloor(ctx, env, rep.bins.floor, s.baseline, work, s.floorPairs, s.floorInits)
			return err
		}); err != nil {
			return err
		}
	}
	if !s.skip["throughput"] {
		cause := fmt.Sprintf("%d runs × %d client counts × %s", s.tpRuns, len(s.tpClients), s.tpDuration)
		if err := section("4. Emulator throughput", cause, func() error {
			var err error
			rep.throughput, err = runThroughput(ctx, rep.bins.emulator, filepath.Join(work, "throughput"), secret, s.tpClients, s.tpRuns, s.tpDuration)
			return err
		}); err != nil {
			return err
		}
	}
	if !s.skip["micro"] {
		_ = section("5. Go microbenchmarks", "compiling "+strconv.Itoa(len(microPackages))+" test binaries, then -count "+strconv.Itoa(s.microCount)+" × -benchtime "+s.microTime+" per benchmark", func() error {
			progress("micro: go test -bench (-count %d)", s.microCount)
			rep.micro = runMicro(ctx, s.root, work, s.microCount, s.microTime)
			if rep.micro.failure != "" {
				progress("micro: go test failed: %s", rep.micro.failure)
			}
			return nil
		})
	}
	// Scale goes last: it takes most of the time, and its repeated runs
	// stop when the time budget would run out.
	if !s.skip["scale"] {
		if err := section("2. Scale", "", func() error { return rep.runScales(ctx, env, work) }); err != nil {
			return err
		}
		rep.sections[len(rep.sections)-1].cause = rep.scaleCause()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep.machine.loadEnd = loadAverage()

	md := rep.markdown()
	if err := os.WriteFile(s.out, []byte(md), 0o644); err != nil {
		return err
	}
	_, err = io.WriteString(stdout, md)
	progress("wrote %s", s.out)
	return err
}

// startTime is when make bench started (BENCH_STARTED_AT, Unix seconds,
// set by scripts/bench.sh), else now.
func startTime() time.Time {
	if f, err := strconv.ParseFloat(strings.TrimSpace(os.Getenv("BENCH_STARTED_AT")), 64); err == nil && f > 0 {
		return time.Unix(0, int64(f*1e9))
	}
	return time.Now()
}

func randomSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "bench-" + hex.EncodeToString(b)
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"
)

// floorResult compares the provider's start-up with the floor's: the
// minimal framework provider in scripts/bench/floor, served under the same
// address through the same wrapper and CLI configuration.
type floorResult struct {
	pairs int
	// Wall times of each command, ours and the floor's, run in pairs (the
	// order alternates from one pair to the next).
	validate, plan pairedWalls
	// Package initialisation (GODEBUG=inittrace=1) of each binary, one
	// entry per start; baseline only when BENCH_STARTUP_BASELINE names a
	// provider binary to compare with (another commit's build).
	initOurs, initFloor, initBaseline []initTotals
	baselinePath                      string
	// oursOnly lists the packages only our binary initialises, the
	// costliest first (median allocations over the starts).
	oursOnly []initTotals
}

type pairedWalls struct {
	ours, floor []time.Duration
	baseline    []time.Duration // with BENCH_STARTUP_BASELINE, in the same rounds
	processes   [2]int          // provider processes per command: ours, floor
	// CPU (user + system) of the provider processes of each command.
	oursCPU, floorCPU []time.Duration
}

// ratios returns ours/floor of each pair.
func (p pairedWalls) ratios() []float64 { return ratiosTo(p.ours, p.floor) }

// ratiosTo returns a[i]/b[i].
func ratiosTo(a, b []time.Duration) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		out[i] = float64(a[i]) / float64(b[i])
	}
	return out
}

// initTotals sums the init lines of one start (or describes one package).
type initTotals struct {
	pkg    string
	clock  float64 // ms
	bytes  int64
	allocs int64
}

// initLine is a line GODEBUG=inittrace=1 prints:
// "init net/http @12 ms, 0.24 ms clock, 18976 bytes, 41 allocs".
var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs$`)

// parseInitTrace returns the sum over every package of an inittrace output,
// and each package's line.
func parseInitTrace(out []byte) (initTotals, []initTotals) {
	var sum initTotals
	var pkgs []initTotals
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := initLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		clock, _ := strconv.ParseFloat(m[2], 64)
		b, _ := strconv.ParseInt(m[3], 10, 64)
		a, _ := strconv.ParseInt(m[4], 10, 64)
		pkgs = append(pkgs, initTotals{pkg: m[1], clock: clock, bytes: b, allocs: a})
		sum.clock += clock
		sum.bytes += b
		sum.allocs += a
	}
	return sum, pkgs
}

// initTrace starts a provider binary outside Terraform with
// GODEBUG=inittrace=1: it initialises every package, then exits because
// no plugin client started it.
func initTrace(ctx context.Context, binary string) (initTotals, []initTotals, error) {
	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = append(withoutEnv(os.Environ(), "GODEBUG", "TF_PLUGIN_MAGIC_COOKIE"), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput() // exits 1: "This binary is a plugin"
	sum, pkgs := parseInitTrace(out)
	if len(pkgs) == 0 {
		return sum, nil, fmt.Errorf("%s printed no init trace: %s", binary, out)
	}
	return sum, pkgs, nil
}

// runFloor runs terraform validate and terraform plan on a configuration
// that only requires the provider, pairs times with each binary, then
// starts each binary inits times to trace its package initialisation.
func runFloor(ctx context.Context, env *tfEnv, floorBinary, baseline, dir string, pairs, inits int) (floorResult, error) {
	r := floorResult{pairs: pairs, baselinePath: baseline}
	floorEnv := *env
	floorEnv.provider = floorBinary
	ours, err := env.workspace(filepath.Join(dir, "floor", "ours"), "")
	if err != nil {
		return r, err
	}
	floor, err := floorEnv.workspace(filepath.Join(dir, "floor", "floor"), "")
	if err != nil {
		return r, err
	}
	all := []*workspace{ours, floor}
	var base *workspace
	if baseline != "" {
		baseEnv := *env
		baseEnv.provider = baseline
		if base, err = baseEnv.workspace(filepath.Join(dir, "floor", "baseline"), ""); err != nil {
			return r, err
		}
		all = append(all, base)
	}
	for _, ws := range all {
		if err := ws.write("main.tf", providerBlock); err != nil {
			return r, err
		}
		// Warm-up: caches, and Terraform's first look at the directory.
		for _, cmd := range [][]string{{"validate", "-no-color"}, {"plan", "-no-color", "-input=false"}} {
			if _, err := ws.run(ctx, cmd); err != nil {
				return r, err
			}
		}
	}
	for i := 0; i < pairs; i++ {
		for _, c := range []struct {
			args []string
			into *pairedWalls
		}{
			{[]string{"validate", "-no-color"}, &r.validate},
			{[]string{"plan", "-no-color", "-input=false"}, &r.plan},
		} {
			order := append([]*workspace(nil), all...)
			if i%2 == 1 {
				slices.Reverse(order)
			}
			for _, ws := range order {
				res, err := ws.run(ctx, c.args)
				if err != nil {
					return r, err
				}
				switch ws {
				case ours:
					c.into.ours = append(c.into.ours, res.wall)
					c.into.oursCPU = append(c.into.oursCPU, res.provider.cpu)
					c.into.processes[0] = res.provider.processes
				case floor:
					c.into.floor = append(c.into.floor, res.wall)
					c.into.floorCPU = append(c.into.floorCPU, res.provider.cpu)
					c.into.processes[1] = res.provider.processes
				default:
					c.into.baseline = append(c.into.baseline, res.wall)
				}
			}
		}
	}
	progress("floor: terraform validate %.2f×, terraform plan %.2f× the floor's (median of %d pairs)",
		median(r.validate.ratios()), median(r.plan.ratios()), pairs)

	perPkg := map[string][]initTotals{}
	floorPkgs := map[string]bool{}
	for i := 0; i < inits; i++ {
		sum, pkgs, err := initTrace(ctx, env.provider)
		if err != nil {
			return r, err
		}
		r.initOurs = append(r.initOurs, sum)
		for _, p := range pkgs {
			perPkg[p.pkg] = append(perPkg[p.pkg], p)
		}
		sum, pkgs, err = initTrace(ctx, floorBinary)
		if err != nil {
			return r, err
		}
		r.initFloor = append(r.initFloor, sum)
		for _, p := range pkgs {
			floorPkgs[p.pkg] = true
		}
		if baseline != "" {
			sum, _, err := initTrace(ctx, baseline)
			if err != nil {
				return r, err
			}
			r.initBaseline = append(r.initBaseline, sum)
		}
	}
	for pkg, lines := range perPkg {
		if floorPkgs[pkg] {
			continue
		}
		r.oursOnly = append(r.oursOnly, medianInit(pkg, lines))
	}
	sort.Slice(r.oursOnly, func(i, j int) bool {
		a, b := r.oursOnly[i], r.oursOnly[j]
		if a.allocs != b.allocs {
			return a.allocs > b.allocs
		}
		return a.pkg < b.pkg
	})
	o, f := medianInit("", r.initOurs), medianInit("", r.initFloor)
	progress("floor: package init %.1f ms, %d allocations; the floor's %.1f ms, %d allocations (median of %d starts)",
		o.clock, o.allocs, f.clock, f.allocs, inits)
	return r, nil
}

// medianInit is the median of each measure over several starts.
func medianInit(pkg string, xs []initTotals) initTotals {
	var clocks []float64
	var bs, as []int64
	for _, x := range xs {
		clocks = append(clocks, x.clock)
		bs = append(bs, x.bytes)
		as = append(as, x.allocs)
	}
	return initTotals{pkg: pkg, clock: median(clocks), bytes: median(bs), allocs: median(as)}
}

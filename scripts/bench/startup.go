package main

import (
	"context"
	"path/filepath"
	"time"
)

// startupResult is terraform validate on an empty configuration.
type startupResult struct {
	runs      int
	walls     []time.Duration
	processes []int
	peaksKiB  []int64
	cpus      []time.Duration
}

// runStartup runs terraform validate once to warm the caches, then runs
// times, on a configuration that only requires the provider: Terraform
// starts the provider to read its schema and validate the (empty)
// configuration.
func runStartup(ctx context.Context, env *tfEnv, dir string, runs int) (startupResult, error) {
	r := startupResult{runs: runs}
	ws, err := env.workspace(filepath.Join(dir, "startup"), "")
	if err != nil {
		return r, err
	}
	if err := ws.write("main.tf", providerBlock); err != nil {
		return r, err
	}
	if _, err := ws.run(ctx, []string{"validate", "-no-color"}); err != nil {
		return r, err
	}
	for i := 0; i < runs; i++ {
		res, err := ws.run(ctx, []string{"validate", "-no-color"})
		if err != nil {
			return r, err
		}
		r.walls = append(r.walls, res.wall)
		r.processes = append(r.processes, res.provider.processes)
		r.peaksKiB = append(r.peaksKiB, res.provider.peakKiB)
		r.cpus = append(r.cpus, res.provider.cpu)
	}
	progress("startup: terraform validate median %.0f ms, provider peak RSS %.1f MiB",
		ms(median(r.walls)), float64(median(r.peaksKiB))/1024)
	return r, nil
}

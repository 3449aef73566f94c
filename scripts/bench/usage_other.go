//go:build !unix

package main

import (
	"os"
	"time"
)

// processUsage is the resource usage of an exited child process.
type processUsage struct {
	maxRSSKiB int64
	user, sys time.Duration
}

// usageOf reads the CPU times of the child; peak memory is not available.
func usageOf(ps *os.ProcessState) processUsage {
	return processUsage{user: ps.UserTime(), sys: ps.SystemTime()}
}

//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// processUsage is the resource usage of an exited child process.
type processUsage struct {
	maxRSSKiB int64
	user, sys time.Duration
}

// usageOf reads the rusage that wait4 returned for the child.
func usageOf(ps *os.ProcessState) processUsage {
	u := processUsage{user: ps.UserTime(), sys: ps.SystemTime()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru != nil {
		u.maxRSSKiB = int64(ru.Maxrss) //nolint:unconvert // int32 on some platforms
		if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
			u.maxRSSKiB /= 1024 // bytes there, KiB elsewhere
		}
	}
	return u
}

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// throughputRun is one timed run of n concurrent SDK clients.
type throughputRun struct {
	clients    int
	requests   int
	elapsed    time.Duration
	p50, p99   time.Duration
	emuCPU     time.Duration // the emulator's CPU during the run; 0 when unknown
	emuCPUSeen bool
}

func (r throughputRun) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

const throughputSeed = `[{"ContactId": "c-BenchTput001", "Name": "Throughput", "EmailAddress": "tput@example.com",
  "PhoneNumber": "86-13800000009", "Title": "Other", "MessageTypes": ["ServiceMessage"], "Members": []}]
`

// runThroughput starts one emulator program and, for each client count,
// makes runs of signed GetMessageContact requests through the SDK for d
// each, after a short warm-up.
func runThroughput(ctx context.Context, emulatorBin, dir, secret string, clients []int, runs int, d time.Duration) (map[int][]throughputRun, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	seed := filepath.Join(dir, "contacts.json")
	if err := os.WriteFile(seed, []byte(throughputSeed), 0o644); err != nil {
		return nil, err
	}
	emu, err := startEmulator(ctx, emulatorBin, dir, "emulator", secret, "-seed", seed)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	host := strings.TrimPrefix(emu.endpoint, "http://")
	out := map[int][]throughputRun{}
	if _, err := throughputOnce(ctx, host, secret, clients[0], 500*time.Millisecond); err != nil { // warm-up
		return nil, err
	}
	for run := 1; run <= runs; run++ {
		for _, n := range clients {
			cpu0, ok0 := processCPU(emu.cmd.Process.Pid)
			r, err := throughputOnce(ctx, host, secret, n, d)
			if err != nil {
				return nil, err
			}
			if cpu1, ok1 := processCPU(emu.cmd.Process.Pid); ok0 && ok1 {
				r.emuCPU, r.emuCPUSeen = cpu1-cpu0, true
			}
			out[n] = append(out[n], r)
			progress("throughput: %d clients, run %d: %.0f req/s", n, run, r.rate())
		}
	}
	return out, nil
}

// throughputOnce runs n clients, each with its own SDK client and
// connection, for d.
func throughputOnce(ctx context.Context, host, secret string, n int, d time.Duration) (throughputRun, error) {
	type result struct {
		lat []time.Duration
		err error
	}
	results := make([]result, n)
	clients := make([]*sdk.Client, n)
	for i := range clients {
		c, err := sdk.NewClientWithOptions(benchRegion, sdk.NewConfig(), credentials.NewAccessKeyCredential(benchAccessKeyID, secret))
		if err != nil {
			return throughputRun{}, err
		}
		clients[i] = c
	}
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				req := requests.NewCommonRequest()
				req.Method = "POST"
				req.Scheme = "http"
				req.Domain = host
				req.Product = "ResourceDirectoryMaster"
				req.Version = "2022-04-19"
				req.ApiName = "GetMessageContact"
				req.QueryParams["ContactId"] = "c-BenchTput001"
				t0 := time.Now()
				resp, err := clients[i].ProcessCommonRequest(req)
				if err != nil {
					results[i].err = err
					return
				}
				if resp.GetHttpStatus() != 200 {
					results[i].err = fmt.Errorf("HTTP %d: %s", resp.GetHttpStatus(), resp.GetHttpContentString())
					return
				}
				lat = append(lat, time.Since(t0))
			}
			results[i].lat = lat
		}()
	}
	wg.Wait()
	r := throughputRun{clients: n, elapsed: time.Since(start)}
	var all []time.Duration
	for _, res := range results {
		if res.err != nil {
			return r, fmt.Errorf("throughput with %d clients: %w", n, res.err)
		}
		all = append(all, res.lat...)
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	r.requests = len(all)
	if len(all) > 0 {
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		r.p50 = all[len(all)/2]
		r.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r, nil
}

// processCPU reads a process's user + system CPU from /proc (Linux only).
func processCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	// After the command: state(0) ... utime(11) stime(12), in clock ticks.
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / ticksPerSecond, true
}

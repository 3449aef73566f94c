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
	"strconv"
	"strings"
)

// The Go microbenchmarks the report quotes. They live beside the code they
// measure; this only runs them.
var microPackages = []string{"./internal/emulator", "./internal/validators", "./internal/recording", "./internal/provider"}

const microPattern = `^(BenchmarkSignatureCheck|BenchmarkServeSigned|BenchmarkServeSignedParallel|BenchmarkCheckPhoneNumber|BenchmarkCheckEmailAddress|BenchmarkReplayMatch|BenchmarkListResource)$`

// microBench is the samples of one benchmark.
type microBench struct {
	pkg     string
	name    string
	samples map[string][]float64 // unit → one value per -count run
	units   []string             // in the order they appear
}

type microResult struct {
	command string
	cpu     string // the "cpu:" line of go test
	benches []*microBench
	failure string // when go test failed (the benchmarks parsed are kept)
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

// runMicro runs go test -bench with -count and collects the samples.
func runMicro(ctx context.Context, root, logDir string, count int, benchtime string) microResult {
	args := append([]string{"test", "-run", "^$", "-bench", microPattern, "-benchmem",
		"-count", strconv.Itoa(count), "-benchtime", benchtime, "-p", "1"}, microPackages...)
	r := microResult{command: "go " + strings.Join(quoteArgs(args), " ")}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	_ = os.WriteFile(filepath.Join(logDir, "micro.log"), out.Bytes(), 0o644)
	byKey := map[string]*microBench{}
	pkg := ""
	sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimPrefix(line, "pkg: ")
		case strings.HasPrefix(line, "cpu: "):
			r.cpu = strings.TrimPrefix(line, "cpu: ")
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := pkg + " " + m[1]
		b := byKey[key]
		if b == nil {
			b = &microBench{pkg: pkg, name: m[1], samples: map[string][]float64{}}
			byKey[key] = b
			r.benches = append(r.benches, b)
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, perr := strconv.ParseFloat(f[i], 64)
			if perr != nil {
				continue
			}
			unit := f[i+1]
			if _, seen := b.samples[unit]; !seen {
				b.units = append(b.units, unit)
			}
			b.samples[unit] = append(b.samples[unit], v)
		}
	}
	if err != nil {
		r.failure = fmt.Sprintf("%v; the end of its output:\n%s", err, lastLines(out.String(), 15))
	}
	return r
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$|()* ") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

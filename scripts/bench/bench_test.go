package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/validators"
)

func TestContactNamesAreValidAndDistinct(t *testing.T) {
	names := contactNames(2000)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("name %q repeats", n)
		}
		seen[n] = true
		var resp validator.StringResponse
		validators.ContactName().ValidateString(context.Background(), validator.StringRequest{ConfigValue: types.StringValue(n)}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("name %q is not a valid contact name: %v", n, resp.Diagnostics)
		}
	}
}

func TestBenchLine(t *testing.T) {
	for line, want := range map[string]string{
		"BenchmarkSignatureCheck-2   \t  100000\t     12060 ns/op\t    3288 B/op\t      20 allocs/op": "BenchmarkSignatureCheck",
		"BenchmarkReplayMatch/hit-16 \t   30000\t     39390 ns/op":                                    "BenchmarkReplayMatch/hit",
		"BenchmarkCheckPhoneNumber/86-13912345678-2 \t 1000 \t 148 ns/op":                             "BenchmarkCheckPhoneNumber/86-13912345678",
		"BenchmarkServeSigned \t 5000 \t 230910 ns/op \t 4331 req/s":                                  "BenchmarkServeSigned",
	} {
		m := benchLine.FindStringSubmatch(line)
		if m == nil || m[1] != want {
			t.Errorf("%q: got %q, want %q", line, m, want)
		}
	}
}

func TestReadUsage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "usage")
	if err := os.WriteFile(path, []byte("27000 20000 10000 60000\n90000 2000000 100000 3000000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u, err := readUsage(path)
	if err != nil {
		t.Fatal(err)
	}
	if u.processes != 2 || u.peakKiB != 90000 || u.cpu != 2130*time.Millisecond {
		t.Errorf("readUsage = %+v", u)
	}
	if u, err := readUsage(filepath.Join(t.TempDir(), "missing")); err != nil || u.processes != 0 {
		t.Errorf("missing file: %+v, %v", u, err)
	}
}

func TestMedian(t *testing.T) {
	if got := median([]float64{5, 1, 3}); got != 3 {
		t.Errorf("odd: %v", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("even: %v", got)
	}
	if got := median([]float64(nil)); got != 0 {
		t.Errorf("empty: %v", got)
	}
	if got := median([]time.Duration{3 * time.Second, time.Second}); got != 2*time.Second {
		t.Errorf("durations: %v", got)
	}
	if lo, hi := minMax([]int64{4, -1, 9}); lo != -1 || hi != 9 {
		t.Errorf("minMax: %d, %d", lo, hi)
	}
}

// The query section lists the calls/op of BenchmarkListResource only.
func TestQuerySection(t *testing.T) {
	r := &report{micro: microResult{command: "go test", benches: []*microBench{
		{name: "BenchmarkReplayMatch/hit", samples: map[string][]float64{"ns/op": {1}}},
		{name: "BenchmarkListResource/contacts=100/pending_updates_include_resource",
			samples: map[string][]float64{"ns/op": {2e6, 3e6, 4e6}, "B/op": {10, 20, 30}, "calls/op": {2, 2, 2}}},
	}}}
	var b strings.Builder
	r.querySection(func(format string, a ...any) { fmt.Fprintf(&b, format, a...) })
	got := b.String()
	for _, want := range []string{"## 6. API calls per `terraform query`", "| 100 | pending updates include resource | 2 | 3.00 ms | 20 |"} {
		if !strings.Contains(got, want) {
			t.Errorf("query section lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "ReplayMatch") {
		t.Errorf("query section holds another benchmark:\n%s", got)
	}
}

func TestParseInitTrace(t *testing.T) {
	out := []byte(`init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs
init net/http @12 ms, 0.24 ms clock, 18976 bytes, 41 allocs
This binary is a plugin. These are not meant to be executed directly.
init github.com/aliyun/alibaba-cloud-sdk-go/sdk @49 ms, 1.5 ms clock, 34272 bytes, 283 allocs
`)
	sum, pkgs := parseInitTrace(out)
	if len(pkgs) != 3 || pkgs[2].pkg != "github.com/aliyun/alibaba-cloud-sdk-go/sdk" || pkgs[2].allocs != 283 {
		t.Fatalf("packages = %+v", pkgs)
	}
	if sum.allocs != 324 || sum.bytes != 53248 || fmt.Sprintf("%.2f", sum.clock) != "1.74" {
		t.Errorf("sum = %+v", sum)
	}
	m := medianInit("x", []initTotals{{clock: 3, allocs: 30}, {clock: 1, allocs: 10}, {clock: 2, allocs: 20}})
	if m.clock != 2 || m.allocs != 20 {
		t.Errorf("medianInit = %+v", m)
	}
	p := pairedWalls{ours: []time.Duration{110, 300, 105}, floor: []time.Duration{100, 100, 100}}
	if got := median(p.ratios()); got != 1.1 {
		t.Errorf("median ratio = %v, want 1.1 (one slow pair must not move it)", got)
	}
}

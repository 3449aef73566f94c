package main

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"
)

// markdown renders BENCHMARKS.md.
func (r *report) markdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	m := r.machine
	w("# Benchmarks\n\n")
	w("Written by `make bench` (`scripts/bench.sh`, which runs the program in `scripts/bench/`); run it again to refresh this file. ")
	w("Each Terraform command runs the provider built from this tree through `dev_overrides`, against the emulator program ")
	w("(`cmd/alicloudrd-emulator`) on loopback, which counts every API call (`GET /_emulator/calls`). ")
	w("Times are wall-clock medians of several runs; API call counts do not depend on the machine.\n\n")

	w("## Machine\n\n| | |\n|---|---|\n")
	w("| CPU | %s, %d cores |\n", m.cpu, m.cores)
	w("| Memory | %s |\n", m.memory)
	w("| OS | %s |\n", m.os)
	w("| Go | %s |\n", m.goVersion)
	w("| Terraform | %s (`-parallelism=%d`, Terraform's default, passed explicitly) |\n", m.terraform, r.s.parallelism)
	w("| Commit | %s |\n", m.commit)
	w("| Date | %s |\n", m.date.Format("2006-01-02 15:04 MST"))
	if m.loadStart != "" {
		w("| Load average (1, 5, 15 min) | %s at the start, %s at the end |\n", m.loadStart, m.loadEnd)
	}
	w("\nOther work on the machine (see the load average) lengthens wall times; the API call counts are exact whatever the load.\n\n")

	if len(r.ops) > 0 {
		r.opsSection(w)
	}
	if len(r.scale) > 0 {
		r.scaleSection(w)
	}
	if r.startup.runs > 0 {
		r.startupSection(w)
	}
	if r.floor.pairs > 0 {
		r.floorSection(w)
	}
	if len(r.throughput) > 0 {
		r.throughputSection(w)
	}
	if r.micro.command != "" {
		r.microSection(w)
		r.querySection(w)
	}
	r.timingSection(w)
	return b.String()
}

type writer func(format string, a ...any)

func (r *report) opsSection(w writer) {
	w("## 1. API calls per operation\n\n")
	w("One emulator (seeded with three contacts; asynchronous deletions take 1 s), one Terraform command per row. ")
	w("Reads are measured with `terraform plan` (refresh, and the plan must be empty), updates and deletes with ")
	w("`-refresh=false` so that only the operation itself is counted, imports with `terraform import` (which reads the ")
	w("imported object). *Minimum* is the fewest calls the API allows for the same result; *gap* is what the provider ")
	w("makes beyond it, explained in the last column.\n\n")
	w("| kind | name | operation | API calls | by action | minimum | gap | why that minimum (and the gap) |\n")
	w("|---|---|---|---:|---|---:|---:|---|\n")
	for _, o := range r.ops {
		gap := o.calls.total() - o.min
		gapText := "0"
		if gap > 0 {
			gapText = fmt.Sprintf("+%d", gap)
		} else if gap < 0 {
			gapText = fmt.Sprint(gap)
		}
		w("| %s | `%s` | %s | %d | %s | %d | %s | %s |\n", o.kind, o.name, o.op, o.calls.total(), o.calls.byAction(), o.min, gapText, o.reason)
	}
	w("\nEvery gap is a read-back after a write whose response does not carry what the state needs (`status`, ")
	w("`pending_email_address`, `pending_phone_number`). Data sources that list (`… by name`, `alicloudrd_message_contacts`, ")
	w("`alicloudrd_message_contact_verifications`) make ⌈items/100⌉ list calls: 100 is the API's largest page.\n\n")
}

func (r *report) sizes() []int {
	var out []int
	for n := range r.scale {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// stepOf picks apply, plan or destroy from a run.
type stepOf func(scaleRun) scaleStep

var scaleSteps = []struct {
	name string
	of   stepOf
}{
	{"apply", func(r scaleRun) scaleStep { return r.apply }},
	{"plan", func(r scaleRun) scaleStep { return r.plan }},
	{"destroy", func(r scaleRun) scaleStep { return r.destroy }},
}

func (r *report) median(n int, of stepOf, get func(scaleStep) float64) float64 {
	var xs []float64
	for _, run := range r.scale[n] {
		xs = append(xs, get(of(run)))
	}
	return median(xs)
}

// calls is the API calls of a step at size n: the same in every run, or a
// range when they differ.
func (r *report) calls(n int, of stepOf) (int, string) {
	lo, hi := -1, -1
	for _, run := range r.scale[n] {
		c := of(run).calls
		if lo < 0 || c < lo {
			lo = c
		}
		hi = max(hi, c)
	}
	if lo == hi {
		return lo, fmt.Sprint(lo)
	}
	return hi, fmt.Sprintf("%d–%d", lo, hi)
}

func wallS(s scaleStep) float64      { return s.wall.Seconds() }
func providerS(s scaleStep) float64  { return s.provider.cpu.Seconds() }
func terraformS(s scaleStep) float64 { return s.tfCPU.Seconds() }
func peakMiB(s scaleStep) float64    { return float64(s.provider.peakKiB) / 1024 }

func (r *report) scaleSection(w writer) {
	sizes := r.sizes()
	w("## 2. Scale\n\n")
	w("For each size n: a new emulator with `-max-contacts` raised to n + 10, and a configuration of n ")
	w("`alicloudrd_message_contact` (`count = n`) and n `alicloudrd_message_contact_pending_update`, one per contact ")
	w("(a pending email change; 2n resources). Then `terraform apply`, a `terraform plan` that must be empty ")
	w("(`-detailed-exitcode` 0) and `terraform destroy`, all with `-parallelism=%d`. Up to %d runs of each size, going round the sizes; ", r.s.parallelism, r.s.scaleRuns)
	w("a repeated run starts only if it should end within the time budget of `make bench` (%s), so the largest size may have fewer runs (column *runs*). ", r.s.budget)
	w("The pending updates set `send_verification = false`: the API allows 100 verification messages ")
	w("a day per account (the emulator enforces it), fewer than 500; without a message, create confirms the change ")
	w("with one ListMessageContactVerifications instead of Send…Verification, so the call count is the same.\n\n")

	w("### API calls\n\n")
	w("| contacts | resources | apply | per contact | plan | per contact | destroy | per contact |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range sizes {
		w("| %d | %d |", n, 2*n)
		for _, st := range scaleSteps {
			c, text := r.calls(n, st.of)
			w(" %s | %.2f |", text, float64(c)/float64(n))
		}
		w("\n")
	}
	largest := sizes[len(sizes)-1]
	w("\nPer contact at %d contacts, by action:\n\n", largest)
	for _, st := range scaleSteps {
		run := r.scale[largest][0]
		var parts []string
		for _, ac := range st.of(run).byAction {
			parts = append(parts, fmt.Sprintf("%s %.2f", ac.action, float64(ac.n)/float64(largest)))
		}
		w("- %s: %s\n", st.name, strings.Join(parts, ", "))
	}
	w("\napply = the contact's AddMessageContact and read-back (GetMessageContact + ListMessageContactVerifications), then ")
	w("the pending update's UpdateMessageContact + ListMessageContactVerifications; plan = one read of each resource ")
	w("(2 + 1); destroy = the same refresh, then CancelMessageContactUpdate and DeleteMessageContact. ")
	w("Calls per contact are the same at every size: the calls grow linearly, and no operation lists all contacts.\n\n")

	w("### Wall time (median, seconds)\n\n")
	w("| contacts | runs | apply | plan | destroy | apply ms/contact | plan ms/contact | destroy ms/contact |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range sizes {
		a, p, d := r.median(n, scaleSteps[0].of, wallS), r.median(n, scaleSteps[1].of, wallS), r.median(n, scaleSteps[2].of, wallS)
		runs := fmt.Sprint(len(r.scale[n]))
		if k := r.scaleSkipped[n]; k > 0 {
			runs += fmt.Sprintf(" (%d left out by the budget)", k)
		}
		w("| %d | %s | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |\n", n, runs, a, p, d, 1000*a/float64(n), 1000*p/float64(n), 1000*d/float64(n))
	}

	w("\n### Where the time goes (median CPU seconds)\n\n")
	w("The provider's CPU is measured by a wrapper that runs the provider binary and reads its rusage when it exits; ")
	w("Terraform's is the rest of the `terraform` process's CPU.\n\n")
	w("| contacts | provider apply / plan / destroy | provider ms/contact | Terraform apply / plan / destroy | Terraform ms/contact | provider peak RSS (apply) |\n|---:|---|---:|---|---:|---:|\n")
	for _, n := range sizes {
		pa, pp, pd := r.median(n, scaleSteps[0].of, providerS), r.median(n, scaleSteps[1].of, providerS), r.median(n, scaleSteps[2].of, providerS)
		ta, tp, td := r.median(n, scaleSteps[0].of, terraformS), r.median(n, scaleSteps[1].of, terraformS), r.median(n, scaleSteps[2].of, terraformS)
		w("| %d | %.2f / %.2f / %.2f | %.1f | %.2f / %.2f / %.2f | %.1f | %.0f MiB |\n", n, pa, pp, pd, 1000*(pa+pp+pd)/float64(n),
			ta, tp, td, 1000*(ta+tp+td)/float64(n), r.median(n, scaleSteps[0].of, peakMiB))
	}

	if len(sizes) > 1 {
		w("\n### Growth from one size to the next (ratios)\n\n")
		w("Linear growth means every ratio equals the contacts ratio.\n\n")
		w("| sizes | contacts × | API calls × (apply / plan / destroy) | wall × (apply / plan / destroy) | provider CPU × | Terraform CPU × |\n|---|---:|---|---|---:|---:|\n")
		for i := 1; i < len(sizes); i++ {
			a, b := sizes[i-1], sizes[i]
			var callR, wallR []string
			for _, st := range scaleSteps {
				ca, _ := r.calls(a, st.of)
				cb, _ := r.calls(b, st.of)
				callR = append(callR, ratio(float64(cb), float64(ca)))
				wallR = append(wallR, ratio(r.median(b, st.of, wallS), r.median(a, st.of, wallS)))
			}
			w("| %d → %d | %s | %s | %s | %s | %s |\n", a, b, ratio(float64(b), float64(a)), strings.Join(callR, " / "), strings.Join(wallR, " / "),
				ratio(r.sumMedian(b, providerS), r.sumMedian(a, providerS)), ratio(r.sumMedian(b, terraformS), r.sumMedian(a, terraformS)))
		}
		w("\n")
		r.scaleConclusion(w, sizes)
	}
	w("\n")
}

func (r *report) sumMedian(n int, get func(scaleStep) float64) float64 {
	t := 0.0
	for _, st := range scaleSteps {
		t += r.median(n, st.of, get)
	}
	return t
}

func (r *report) scaleConclusion(w writer, sizes []int) {
	// Compare per-contact costs between the second size (fixed start-up
	// costs dominate the first) and the largest.
	a, b := sizes[0], sizes[len(sizes)-1]
	if len(sizes) > 2 {
		a = sizes[1]
	}
	perContact := func(n int, get func(scaleStep) float64) float64 { return 1000 * r.sumMedian(n, get) / float64(n) }
	w("From %d to %d contacts, the provider's CPU per contact goes from %.1f to %.1f ms (×%.2f) and Terraform's from %.1f to %.1f ms (×%.2f); ",
		a, b, perContact(a, providerS), perContact(b, providerS), perContact(b, providerS)/perContact(a, providerS),
		perContact(a, terraformS), perContact(b, terraformS), perContact(b, terraformS)/perContact(a, terraformS))
	w("wall time per contact goes from %.1f to %.1f ms. ", perContact(a, wallS), perContact(b, wallS))
	providerGrowth := perContact(b, providerS) / perContact(a, providerS)
	terraformGrowth := perContact(b, terraformS) / perContact(a, terraformS)
	switch {
	case terraformGrowth > 1.5 && providerGrowth < terraformGrowth:
		w("The API calls grow linearly, and so does the provider's CPU; what grows faster than linearly is Terraform core's ")
		w("own CPU per resource instance, which rises with the number of instances in the configuration. One known cause: ")
		w("each pending update refers to `alicloudrd_message_contact.c[count.index].id`, and Terraform evaluates such a ")
		w("reference by building the whole `alicloudrd_message_contact.c` tuple first ")
		w("([hashicorp/terraform#26355](https://github.com/hashicorp/terraform/issues/26355)).\n")
	case providerGrowth > 1.5:
		w("**The provider's CPU per contact grows with the size: something in the provider is worse than linear.**\n")
	default:
		w("Both stay within a factor of 1.5: linear.\n")
	}
}

// scaleCause explains the time of the scale section from its numbers.
func (r *report) scaleCause() string {
	sizes := r.sizes()
	n := sizes[len(sizes)-1]
	runs := len(r.scale[n])
	slowest, slowestWall := "", 0.0
	for _, st := range scaleSteps {
		if w := r.median(n, st.of, wallS); w > slowestWall {
			slowest, slowestWall = st.name, w
		}
	}
	tf, prov := r.sumMedian(n, terraformS), r.sumMedian(n, providerS)
	why := "Terraform core, whose CPU per resource grows with the number of instances (section 2); the API calls grow linearly"
	if prov >= tf {
		why = "the provider's CPU, more than Terraform's"
	}
	return fmt.Sprintf("%d runs of apply, plan and destroy at %s contacts. At %d contacts (%d resources) the three commands take "+
		"%.0f s of wall time (medians; the slowest is terraform %s, %.0f s), during which Terraform itself uses %.0f s of CPU "+
		"(on up to %d cores) and the provider %.1f s: %s",
		runs, joinInts(sizes), n, 2*n, r.sumMedian(n, wallS), slowest, slowestWall, tf, r.machine.cores, prov, why)
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return strings.Join(parts, "")
}

func ratio(b, a float64) string {
	if a == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", b/a)
}

func (r *report) startupSection(w writer) {
	s := r.startup
	w("## 3. Start-up\n\n")
	w("`terraform validate` on a configuration that only declares the provider (`required_providers`, no resource): ")
	w("Terraform starts the provider, reads its schema and validates. One warm-up run, then %d measured runs.\n\n", s.runs)
	w("| | median | min – max |\n|---|---:|---:|\n")
	lo, hi := minMax(s.walls)
	w("| `terraform validate` wall time | %.0f ms | %.0f – %.0f ms |\n", ms(median(s.walls)), ms(lo), ms(hi))
	plo, phi := minMax(s.peaksKiB)
	w("| provider process peak RSS (VmHWM / rusage maxrss) | %.1f MiB | %.1f – %.1f MiB |\n", mib(median(s.peaksKiB)), mib(plo), mib(phi))
	clo, chi := minMax(s.cpus)
	w("| provider CPU (user + system) | %.0f ms | %.0f – %.0f ms |\n", ms(median(s.cpus)), ms(clo), ms(chi))
	var procs []int64
	for _, p := range s.processes {
		procs = append(procs, int64(p))
	}
	w("| provider processes started per validate | %d | |\n", median(procs))
	w("\nProvider binary (%s):\n\n", r.machine.os)
	w("| build | size |\n|---|---:|\n")
	w("| `go build` (as `make build`; the binary measured above) | %.1f MiB (%d bytes) |\n", float64(r.bins.sizeDefault)/(1<<20), r.bins.sizeDefault)
	w("| `go build -ldflags \"-s -w\"` (stripped, as `.goreleaser.yml` builds releases, which also add `-trimpath`) | %.1f MiB (%d bytes) |\n\n",
		float64(r.bins.sizeStripped)/(1<<20), r.bins.sizeStripped)
}

func (r *report) floorSection(w writer) {
	f := r.floor
	w("### Start-up against the floor\n\n")
	w("The floor is the least a provider built on terraform-plugin-framework costs to start: `scripts/bench/floor`, ")
	w("a provider with one optional attribute and one resource (the shape of HashiCorp's scaffolding provider) built with the ")
	w("framework versions of this repository's `go.mod`. `make bench` builds it and serves it under the provider's address, through ")
	w("the same wrapper and CLI configuration. Each command runs on a configuration that only requires the provider, ")
	w("once with each binary to warm up, then in %d pairs (one run with each binary, the order alternating); ", f.pairs)
	w("the ratio is the median of the pairs' ratios, so that load that varies over the run cancels out.\n\n")
	w("| | this provider (median) | floor (median) | ours / floor (median of pairs) | provider processes per command (ours, floor) |\n|---|---:|---:|---:|---:|\n")
	for _, c := range []struct {
		name string
		p    pairedWalls
	}{{"`terraform validate`", f.validate}, {"`terraform plan` (no state, nothing to do)", f.plan}} {
		w("| %s wall time | %.0f ms | %.0f ms | %.3f× | %d, %d |\n", c.name, ms(median(c.p.ours)), ms(median(c.p.floor)), median(c.p.ratios()), c.p.processes[0], c.p.processes[1])
		w("| %s, provider CPU (user + system) | %.0f ms | %.0f ms | %.3f× | |\n", c.name, ms(median(c.p.oursCPU)), ms(median(c.p.floorCPU)), median(ratiosTo(c.p.oursCPU, c.p.floorCPU)))
	}
	o, fl := medianInit("", f.initOurs), medianInit("", f.initFloor)
	var clockRatios []float64
	for i := range f.initOurs {
		if f.initFloor[i].clock > 0 {
			clockRatios = append(clockRatios, f.initOurs[i].clock/f.initFloor[i].clock)
		}
	}
	w("\nPackage initialisation: each binary started %d times outside Terraform with `GODEBUG=inittrace=1` (the two alternate); ", len(f.initOurs))
	w("the sums over every package's `init` line, median over the starts.\n\n")
	w("| | this provider | floor | ours / floor |\n|---|---:|---:|---:|\n")
	w("| package init clock time | %.1f ms | %.1f ms | %.2f× (median of pairs) |\n", o.clock, fl.clock, median(clockRatios))
	w("| package init allocations | %d | %d | %s |\n", o.allocs, fl.allocs, ratio(float64(o.allocs), float64(fl.allocs)))
	w("| package init heap | %.2f MiB | %.2f MiB | %s |\n", float64(o.bytes)/(1<<20), float64(fl.bytes)/(1<<20), ratio(float64(o.bytes), float64(fl.bytes)))
	w("| binary, `go build` | %.1f MiB | %.1f MiB | %s |\n", float64(r.bins.sizeDefault)/(1<<20), float64(r.bins.floorSize)/(1<<20), ratio(float64(r.bins.sizeDefault), float64(r.bins.floorSize)))
	w("| binary, `go build -ldflags \"-s -w\"` | %.1f MiB | %.1f MiB | %s |\n", float64(r.bins.sizeStripped)/(1<<20), float64(r.bins.floorStripped)/(1<<20), ratio(float64(r.bins.sizeStripped), float64(r.bins.floorStripped)))
	if len(f.initBaseline) > 0 {
		b := medianInit("", f.initBaseline)
		w("\nBaseline (`BENCH_STARTUP_BASELINE=%s`), run in the same rounds: `terraform validate` %.3f× and `terraform plan` %.3f× the floor's (median of pairs); ",
			f.baselinePath, median(ratiosTo(f.validate.baseline, f.validate.floor)), median(ratiosTo(f.plan.baseline, f.plan.floor)))
		w("package init %.1f ms, %d allocations, %.2f MiB.\n", b.clock, b.allocs, float64(b.bytes)/(1<<20))
	}
	if len(f.oursOnly) > 0 {
		w("\nPackages only this provider initialises, by allocations (median of the starts; the rest of the difference is packages both have):\n\n")
		w("| package | allocations | heap | clock |\n|---|---:|---:|---:|\n")
		for i, p := range f.oursOnly {
			if i == 8 {
				break
			}
			w("| `%s` | %d | %.1f KiB | %.2f ms |\n", p.pkg, p.allocs, float64(p.bytes)/1024, p.clock)
		}
	}
	w("\n")
}

func (r *report) throughputSection(w writer) {
	w("## 4. Emulator throughput\n\n")
	w("The emulator program serves signed `GetMessageContact` requests made through the official SDK ")
	w("(`alibaba-cloud-sdk-go`, one SDK client and connection per concurrent client, each request signed anew: HMAC-SHA1, ")
	w("fresh nonce), for %s per run after a 0.5 s warm-up; median of %d runs. Clients and emulator share the machine's ", r.s.tpDuration, r.s.tpRuns)
	w("%d cores, so with 16 clients the machine, not the emulator alone, is the limit.\n\n", r.machine.cores)
	w("| concurrent clients | requests/s (median) | min – max | latency p50 | latency p99 | emulator CPU per request |\n|---:|---:|---:|---:|---:|---:|\n")
	var ns []int
	for n := range r.throughput {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for _, n := range ns {
		runs := r.throughput[n]
		sort.Slice(runs, func(i, j int) bool { return runs[i].rate() < runs[j].rate() })
		med := runs[len(runs)/2]
		cpu := "—"
		if med.emuCPUSeen && med.requests > 0 {
			cpu = fmt.Sprintf("%.0f µs", float64(med.emuCPU.Microseconds())/float64(med.requests))
		}
		w("| %d | %.0f | %.0f – %.0f | %s | %s | %s |\n", n, med.rate(), runs[0].rate(), runs[len(runs)-1].rate(),
			fmtDuration(med.p50), fmtDuration(med.p99), cpu)
	}
	w("\nThe same round trip in-process (`BenchmarkServeSigned`, `BenchmarkServeSignedParallel`) is in section 5.\n\n")
}

func (r *report) microSection(w writer) {
	w("## 5. Go microbenchmarks\n\n")
	w("`%s`; medians of the %d runs (min – max of the time per operation beside it).\n\n", r.micro.command, r.s.microCount)
	if r.micro.failure != "" {
		w("**`go test` failed**: %s\n\n", strings.ReplaceAll(r.micro.failure, "\n", " "))
	}
	w("| package | benchmark | time/op | min – max | B/op | allocs/op | other |\n|---|---|---:|---:|---:|---:|---|\n")
	for _, bm := range r.micro.benches {
		ns := bm.samples["ns/op"]
		lo, hi := minMax(ns)
		other := []string{}
		for _, u := range bm.units {
			switch u {
			case "ns/op", "B/op", "allocs/op":
				continue
			}
			other = append(other, fmt.Sprintf("%.0f %s", median(bm.samples[u]), u))
		}
		w("| `%s` | `%s` | %s | %s – %s | %.0f | %.0f | %s |\n", strings.TrimPrefix(bm.pkg, "github.com/alicloudrd/terraform-provider-alicloudrd/"),
			bm.name, fmtNs(median(ns)), fmtNs(lo), fmtNs(hi), median(bm.samples["B/op"]), median(bm.samples["allocs/op"]),
			strings.Join(other, ", "))
	}
	w("\n")
}

// querySection shows the API calls of `terraform query`, measured by
// BenchmarkListResource (internal/provider): the list resources run against
// an emulator of 10 and of 100 contacts, each with a new email address waiting
// for verification.
func (r *report) querySection(w writer) {
	var rows []*microBench
	for _, bm := range r.micro.benches {
		if strings.HasPrefix(bm.name, "BenchmarkListResource/") && len(bm.samples["calls/op"]) > 0 {
			rows = append(rows, bm)
		}
	}
	if len(rows) == 0 {
		return
	}
	w("## 6. API calls per `terraform query`\n\n")
	w("From `BenchmarkListResource` above: each list resource queried against an emulator holding N contacts, each with ")
	w("a new email address waiting for verification (so N pending changes). Lists are read in pages of 100, the API's largest.\n\n")
	w("| contacts | query | API calls | time/query | B/query |\n|---:|---|---:|---:|---:|\n")
	for _, bm := range rows {
		name := strings.TrimPrefix(bm.name, "BenchmarkListResource/")
		contacts, query, _ := strings.Cut(name, "/")
		w("| %s | %s | %.0f | %s | %.0f |\n", strings.TrimPrefix(contacts, "contacts="), strings.ReplaceAll(query, "_", " "),
			median(bm.samples["calls/op"]), fmtNs(median(bm.samples["ns/op"])), median(bm.samples["B/op"]))
	}
	w("\n`contacts`: one ListMessageContacts call per 100 contacts; with `include_resource`, one ListMessageContactVerifications ")
	w("call per 100 pending values of all contacts at once. `pending updates`: one ListMessageContactVerifications call per 100 ")
	w("pending values, then one ListMessageContacts call per 100 contacts for the display names (one GetMessageContact when ")
	w("`contact_id` is set); `include_resource` needs no more.\n\n")
}

func (r *report) timingSection(w writer) {
	total := time.Since(r.started)
	w("## How long `make bench` took\n\nIn the order the steps ran (scale last, so that its repeated runs can use what is left of the budget).\n\n")
	w("| step | wall time | why |\n|---|---:|---|\n")
	slowest := sectionTime{}
	for _, s := range r.sections {
		w("| %s | %.0f s | %s |\n", s.name, s.wall.Seconds(), s.cause)
		if s.wall > slowest.wall {
			slowest = s
		}
	}
	w("| **total** | **%.0f s** (%s) | |\n\n", total.Seconds(), total.Round(time.Second))
	if slowest.name != "" {
		w("The slowest step is *%s*: %s.\n", slowest.name, slowest.cause)
	}
	w("\nKnobs (environment variables of `make bench`): `BENCH_SIZES` (default `1 20 100 500`), `BENCH_SCALE_RUNS` (3), `BENCH_BUDGET` (9m), ")
	w("`BENCH_PARALLELISM` (10), `BENCH_VALIDATE_RUNS` (5), `BENCH_THROUGHPUT_CLIENTS` (`1 16`), `BENCH_THROUGHPUT_RUNS` (3), ")
	w("`BENCH_THROUGHPUT_DURATION` (3s), `BENCH_MICRO_COUNT` (5), `BENCH_MICRO_BENCHTIME` (300ms), ")
	w("`BENCH_FLOOR_PAIRS` (15), `BENCH_FLOOR_INITS` (21), `BENCH_STARTUP_BASELINE` (another provider binary to trace beside the floor), ")
	w("`BENCH_SKIP` (any of `ops scale startup floor throughput micro`), `BENCH_KEEP=1` (keep logs and states), `BENCH_OUT`.\n")
}

// Statistics and formatting.

// median is the middle value of xs, or the mean of the two middle values for
// an even count, computed in float64; 0 when xs is empty.
func median[T ~float64 | ~int64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := make([]float64, len(xs))
	for i, x := range xs {
		s[i] = float64(x)
	}
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return T(s[len(s)/2])
	}
	return T((s[len(s)/2-1] + s[len(s)/2]) / 2)
}

// minMax returns the smallest and largest of xs; 0, 0 when xs is empty.
func minMax[T cmp.Ordered](xs []T) (T, T) {
	if len(xs) == 0 {
		var zero T
		return zero, zero
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(kib int64) float64 { return float64(kib) / 1024 }

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.0f ns", ns)
	}
}

func fmtDuration(d time.Duration) string { return fmtNs(float64(d.Nanoseconds())) }

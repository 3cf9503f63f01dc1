// Command benchtable runs the benchmarks behind sunostudio's measured promises and prints one
// table: metric, target, the median of the runs, pass or miss. `make bench` runs it from the
// module root:
//
//	go run ./internal/benchtable [-count 5] [-benchtime 1s] [-out bench.txt] [-strict]
//
// Each package runs in its own `go test -run '^$' -bench <exact names> -count N -benchmem`
// (one at a time, so no two benchmarks compete for the CPU), with a benchtime chosen per group:
// the process-level measurements (idle CPU over 10 s, RSS of a child process) run once per
// count. The raw output of every run goes to bench.txt (benchstat reads it). Custom metrics
// reported with b.ReportMetric are parsed like ns/op. A promise whose benchmark does not exist,
// was skipped or failed is "not measured" and counts as a miss: nothing is faked.
//
// The exit status is 0 when the table was printed (misses included), 1 when a benchmark run
// failed to build or crashed, or, with -strict, when any promise was missed.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// group is one `go test` invocation.
type group struct {
	pkg       string   // package directory, relative to the module root
	benches   []string // exact top-level benchmark names
	benchtime string   // "" = the -benchtime flag
}

var groups = []group{
	{pkg: "./client", benches: []string{"BenchmarkSSEReader"}},
	{pkg: "./ui", benches: []string{"BenchmarkStartToFirstFrame100k", "BenchmarkFilterKeystroke100k", "BenchmarkView100k", "BenchmarkChatDeltaToView"}},
	{pkg: "./ui", benches: []string{"BenchmarkRSSPlaying100k"}, benchtime: "1x"},
	{pkg: "./player", benches: []string{"BenchmarkPlayToFirstSampleFile", "BenchmarkPlayToFirstSampleSimStream", "BenchmarkDecodeSpeed"}},
	{pkg: "./studio", benches: []string{"BenchmarkRequestsPerTick100Pending"}},
	{pkg: ".", benches: []string{"BenchmarkIdleCPU"}, benchtime: "1x"},
}

// row is one promise. bench is "pkgdir:BenchmarkName" (sub-benchmarks: every one of them, the
// worst counts); unit is the metric's unit in go test's output; scale converts it to shown.
type row struct {
	metric string
	pkg    string
	bench  string
	unit   string
	scale  float64
	shown  string // unit shown in the table
	max    bool   // true: the value must be <= limit; false: >= limit
	limit  float64
	extras []string // further units of the same benchmark, shown as details
}

var rows = []row{
	{metric: "start to first frame, 100k-clip library", pkg: "./ui", bench: "BenchmarkStartToFirstFrame100k", unit: "ns/op", scale: 1e-6, shown: "ms", max: true, limit: 50, extras: []string{"ms-open", "ms-engine-start", "ms-model-frame"}},
	{metric: "one filter keystroke over 100k clips (worst of first/extend/edit/cjk)", pkg: "./ui", bench: "BenchmarkFilterKeystroke100k", unit: "ms-median", scale: 1, shown: "ms", max: true, limit: 10},
	{metric: "full-screen View() 120x40, 100k clips", pkg: "./ui", bench: "BenchmarkView100k", unit: "ns/op", scale: 1e-6, shown: "ms", max: true, limit: 2},
	{metric: "SSE parse throughput", pkg: "./client", bench: "BenchmarkSSEReader", unit: "MB/s", scale: 1, shown: "MB/s", max: false, limit: 100},
	// Per delta, at the end of a 20 KB answer (the largest transcript): the 99th percentile
	// (ns/op there is the whole answer, not one delta).
	{metric: "chat delta to rendered View (p99 per delta, end of a 20 KB answer)", pkg: "./ui", bench: "BenchmarkChatDeltaToView", unit: "ms-p99-end", scale: 1, shown: "ms", max: true, limit: 16, extras: []string{"ms-median", "ms-worst-end", "cpu-ms-worst-end"}},
	{metric: "Play() to first sample, library file", pkg: "./player", bench: "BenchmarkPlayToFirstSampleFile", unit: "ns/op", scale: 1e-6, shown: "ms", max: true, limit: 50},
	{metric: "Play() to first sample, simulator stream", pkg: "./player", bench: "BenchmarkPlayToFirstSampleSimStream", unit: "ns/op", scale: 1e-6, shown: "ms", max: true, limit: 300},
	{metric: "mp3 decode speed", pkg: "./player", bench: "BenchmarkDecodeSpeed", unit: "x-realtime", scale: 1, shown: "x real time", max: false, limit: 60},
	{metric: "CPU over 10 s idle, nothing pending (real binary)", pkg: ".", bench: "BenchmarkIdleCPU", unit: "%-core", scale: 1, shown: "% of a core", max: true, limit: 0.5, extras: []string{"%-core-schedstat"}},
	{metric: "requests per tick, 100 pending tasks", pkg: "./studio", bench: "BenchmarkRequestsPerTick100Pending", unit: "requests/tick", scale: 1, shown: "", max: true, limit: 1, extras: []string{"batch-fetches/tick"}},
	{metric: "RSS, 100k library loaded, playing", pkg: "./ui", bench: "BenchmarkRSSPlaying100k", unit: "MB-rss", scale: 1, shown: "MiB", max: true, limit: 100, extras: []string{"MB-rss-anon", "MB-rss-file", "MB-hwm"}},
}

// result is one benchmark line's metrics: unit -> value.
type result map[string]float64

// key names a benchmark in a package: "./ui:BenchmarkView100k" or, for a sub-benchmark,
// "./ui:BenchmarkFilterKeystroke100k/edit".
type samples map[string]map[string][]float64 // key -> unit -> values over the runs

func main() {
	count := flag.Int("count", 5, "runs of every benchmark; the table shows the median")
	benchtime := flag.String("benchtime", "1s", "benchtime of the micro-benchmarks (process-level ones run 1x per count)")
	out := flag.String("out", "bench.txt", "file for the raw go test output")
	strict := flag.Bool("strict", false, "exit 1 when a promise is missed")
	timeout := flag.Duration("timeout", 30*time.Minute, "go test -timeout of each run")
	flag.Parse()

	raw, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	defer raw.Close()

	got := samples{}
	var failures []string
	start := time.Now()
	for i, g := range groups {
		bt := g.benchtime
		if bt == "" {
			bt = *benchtime
		}
		args := []string{"test", "-run", "^$", "-bench", "^(" + strings.Join(g.benches, "|") + ")$",
			"-count", strconv.Itoa(*count), "-benchmem", "-benchtime", bt, "-timeout", timeout.String(), g.pkg}
		fmt.Fprintf(os.Stderr, "[%d/%d %s] go %s\n", i+1, len(groups), time.Since(start).Round(time.Second), strings.Join(args, " "))
		fmt.Fprintf(raw, "# go %s\n", strings.Join(args, " "))
		var buf bytes.Buffer
		cmd := exec.Command("go", args...)
		cmd.Stdout = io.MultiWriter(&buf, raw)
		cmd.Stderr = io.MultiWriter(&buf, raw)
		if err := cmd.Run(); err != nil {
			failures = append(failures, fmt.Sprintf("%s: go test failed (%v); see %s", g.pkg, err, *out))
			fmt.Fprintf(os.Stderr, "  %s failed: %v\n%s\n", g.pkg, err, lastLines(buf.String(), 15))
		}
		parse(g.pkg, buf.String(), got)
	}
	fmt.Fprintf(os.Stderr, "all runs took %v; raw output in %s\n\n", time.Since(start).Round(time.Second), *out)

	missed := printTable(os.Stdout, got, *count)
	for _, f := range failures {
		fmt.Println("FAILED RUN:", f)
	}
	switch {
	case len(failures) > 0:
		os.Exit(1)
	case *strict && missed > 0:
		os.Exit(1)
	}
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads go test -bench output: "BenchmarkName-2  N  v unit  v unit ...".
func parse(pkg, out string, into samples) {
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // a log line that starts with a name
		}
		key := pkg + ":" + procSuffix.ReplaceAllString(f[0], "")
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			if into[key] == nil {
				into[key] = map[string][]float64{}
			}
			into[key][f[i+1]] = append(into[key][f[i+1]], v)
		}
	}
}

func median(vs []float64) float64 {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// printTable writes the table and returns how many promises were missed.
func printTable(w io.Writer, got samples, count int) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "#\tmetric\ttarget\tmedian of %d runs\tresult\n", count)
	missed := 0
	for i, r := range rows {
		target := fmt.Sprintf("%s %s %s", map[bool]string{true: "<=", false: ">="}[r.max], fmtNum(r.limit), r.shown)
		value, detail, n, ok := r.measure(got)
		verdict := "miss"
		shown := ""
		switch {
		case !ok:
			shown = detail
		default:
			shown = strings.TrimSpace(fmt.Sprintf("%s %s", fmtNum(value), r.shown))
			if detail != "" {
				shown += " (" + detail + ")"
			}
			if n < count {
				shown += fmt.Sprintf(" [only %d runs]", n)
			}
			if (r.max && value <= r.limit) || (!r.max && value >= r.limit) {
				verdict = "pass"
			}
		}
		if verdict == "miss" {
			missed++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", i+1, r.metric, strings.TrimSpace(target), shown, verdict)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d of %d promises met.\n", len(rows)-missed, len(rows))
	return missed
}

// measure returns the row's median value (the worst sub-benchmark's, when there are several),
// a detail to show, the number of runs it is the median of, and whether anything was measured.
func (r row) measure(got samples) (value float64, detail string, runs int, ok bool) {
	prefix := r.pkg + ":" + r.bench
	var keys []string
	for k := range got {
		if k == prefix || strings.HasPrefix(k, prefix+"/") {
			if len(got[k][r.unit]) > 0 {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		if !benchmarkExists(r.pkg, r.bench) {
			return 0, "not measured (benchmark missing)", 0, false
		}
		return 0, "not measured (benchmark skipped or failed; see bench.txt)", 0, false
	}
	sort.Strings(keys)
	worst, worstKey := math.NaN(), ""
	for _, k := range keys {
		vs := got[k][r.unit]
		m := median(vs) * r.scale
		if math.IsNaN(worst) || (r.max && m > worst) || (!r.max && m < worst) {
			worst, runs, worstKey = m, len(vs), k
		}
	}
	var parts []string
	if len(keys) > 1 {
		parts = append(parts, "worst: "+strings.TrimPrefix(strings.TrimPrefix(worstKey, prefix), "/"))
	}
	for _, u := range r.extras {
		if vs := got[worstKey][u]; len(vs) > 0 {
			parts = append(parts, u+" "+fmtNum(median(vs)))
		}
	}
	return worst, strings.Join(parts, ", "), runs, true
}

// benchmarkExists looks for "func Name(" in the package's test files.
func benchmarkExists(pkg, name string) bool {
	files, _ := filepath.Glob(filepath.Join(pkg, "*_test.go"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte("func "+name+"(")) {
			return true
		}
	}
	return false
}

func fmtNum(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// idleSeconds is how long BenchmarkIdleCPU watches the idle studio.
const idleSeconds = 10

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat (100 on Linux).
const clockTicks = 100

// BenchmarkIdleCPU runs the real sunostudio binary (built here) in a tmux terminal of 120x40
// with --audio null and an empty library in a temporary --data-dir (demo mode: the built-in
// simulator runs in the same process), waits for the first frame, lets start-up settle for a
// second, and then reads the process's CPU time (utime+stime of /proc/<pid>/stat, every thread)
// before and after idleSeconds with nothing pending and no input.
//
// Metrics: %-core is that CPU time as a percentage of one core over the window (10 ms
// resolution); %-core-schedstat is the same from the per-thread schedstat nanoseconds.
func BenchmarkIdleCPU(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		b.Skip("tmux is not installed (apt-get install tmux)")
	}
	bin := buildStudio(b)
	var pct, pctSched float64
	for i := 0; i < b.N; i++ {
		pct, pctSched = idleOnce(b, tmux, bin)
	}
	b.ReportMetric(pct, "%-core")
	b.ReportMetric(pctSched, "%-core-schedstat")
}

// buildStudio builds the sunostudio binary into a temporary folder.
func buildStudio(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "sunostudio")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// cleanEnv is the environment without sunostudio's own variables, so that the user's key or
// relay never reaches a test run.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SUNOSTUDIO_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

func idleOnce(b *testing.B, tmux, bin string) (pct, pctSched float64) {
	data := b.TempDir()
	sock := fmt.Sprintf("sunostudio-idle-%d-%d", os.Getpid(), time.Now().UnixNano())
	env := cleanEnv("LANG=C.UTF-8")
	tm := func(args ...string) (string, error) {
		cmd := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null", "-u"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	defer tm("kill-server")
	script := fmt.Sprintf("exec %q --data-dir %q --audio null", bin, data)
	if out, err := tm("new-session", "-d", "-s", "idle", "-x", "120", "-y", "40", script); err != nil {
		b.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	out, err := tm("display-message", "-p", "-t", "idle", "#{pane_pid}")
	if err != nil {
		b.Fatalf("pane pid: %v %s", err, out)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		b.Fatalf("pane pid %q", out)
	}
	var screen string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		screen, _ = tm("capture-pane", "-t", "idle", "-p")
		if strings.Contains(screen, "DEMO") && strings.Contains(screen, "4 Library") {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("the studio never drew its first frame:\n%s", screen)
		}
	}
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) != "sunostudio" {
		b.Fatalf("pid %d is %q, not sunostudio", pid, comm)
	}
	time.Sleep(time.Second) // start-up: terminal queries, the library loads, the demo quota
	t0, s0 := cpuTicks(b, pid), schedNanos(pid)
	start := time.Now()
	time.Sleep(idleSeconds * time.Second)
	t1, s1 := cpuTicks(b, pid), schedNanos(pid)
	wall := time.Since(start).Seconds()
	if after, _ := tm("capture-pane", "-t", "idle", "-p"); !strings.Contains(after, "DEMO") {
		b.Fatalf("the studio is gone after the idle window:\n%s", after)
	}
	pct = float64(t1-t0) / clockTicks / wall * 100
	pctSched = float64(s1-s0) / 1e9 / wall * 100
	return pct, pctSched
}

// cpuTicks is utime+stime of a process, every thread included, in clock ticks.
func cpuTicks(tb testing.TB, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatalf("read stat: %v", err)
	}
	s := string(b)
	// Fields after the command name (which is in parentheses and may contain spaces): state is
	// field 3, utime 14, stime 15.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		tb.Fatalf("parse stat %q", s)
	}
	return utime + stime
}

// schedNanos sums the time on CPU of every live thread of a process (schedstat, nanoseconds).
func schedNanos(pid int) int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			sum += n
		}
	}
	return sum
}

package ui

import "golang.org/x/sys/unix"

// threadCPU is the CPU time of the calling OS thread: a benchmark locked to its thread can
// tell its own work from the time the scheduler gave to other processes on a busy machine.
func threadCPU() (int64, bool) {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0, false
	}
	return ts.Nano(), true
}

//go:build unix

package insight

import "syscall"

// cpuSeconds is the CPU time (user + system) used by this process so far;
// benchmarks report it because wall time on a shared machine depends on the
// load.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

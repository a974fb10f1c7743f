package main

import "runtime/debug"

// Garbage collector settings of a server process (serve, bench api), used
// unless the environment sets GOGC or GOMEMLIMIT itself. A Tandem server's
// live heap is small and its garbage request-sized, so collecting when the
// heap has grown by 4× its live size instead of 1× cuts the collector's
// share of each request (list of 100 items at 32 clients: +15–25% req/s,
// docs/BENCHMARKS.md) for a few hundred MB; the soft limit keeps the larger
// target from growing past 2 GiB, for example during a large theme job.
const (
	serverGCPercent   = 400
	serverMemoryLimit = 2 << 30
)

func serverGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}

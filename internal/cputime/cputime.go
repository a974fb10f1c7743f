// Package cputime reads the CPU time this process has used. Benchmarks on a
// machine that others load report it beside wall time: unlike wall time it
// leaves out the time spent waiting for a core.
package cputime

import "time"

// Process returns the user and system CPU time the process has used so far,
// or 0 where the system does not tell (callers then report no CPU figure).
func Process() time.Duration { return process() }

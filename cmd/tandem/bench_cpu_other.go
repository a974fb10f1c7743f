//go:build !unix

package main

import "time"

// cpuTime is not measured here: the bench reports 0 CPU per request.
func cpuTime() time.Duration { return 0 }

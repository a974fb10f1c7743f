//go:build !unix

package psplib

import "time"

// cpuTime is not measured on this platform.
func cpuTime() time.Duration { return 0 }

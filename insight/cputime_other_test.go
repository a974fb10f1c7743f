//go:build !unix

package insight

func cpuSeconds() float64 { return 0 }

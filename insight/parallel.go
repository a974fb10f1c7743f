package insight

import (
	"runtime"
	"sync"
)

// chunkSize is the fixed unit of parallel work. Reductions combine per-chunk
// partial results in chunk order, so results do not depend on the number of
// goroutines.
const chunkSize = 2048

// forChunks calls fn for each [lo, hi) chunk of [0, n) on up to workers
// goroutines (0 = GOMAXPROCS). fn receives the chunk's index.
func forChunks(n, workers int, fn func(chunk, lo, hi int)) {
	if n <= 0 {
		return
	}
	nc := (n + chunkSize - 1) / chunkSize
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > nc {
		workers = nc
	}
	if workers == 1 {
		for c := 0; c < nc; c++ {
			fn(c, c*chunkSize, min(n, (c+1)*chunkSize))
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, nc)
	for c := 0; c < nc; c++ {
		next <- c
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				fn(c, c*chunkSize, min(n, (c+1)*chunkSize))
			}
		}()
	}
	wg.Wait()
}

func numChunks(n int) int { return (n + chunkSize - 1) / chunkSize }

package insight

import (
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

const (
	minhashBands = 16
	minhashRows  = 4
	minhashSize  = minhashBands * minhashRows
	// duplicateJaccard is the estimated Jaccard similarity of word 3-shingles
	// above which two texts are near-duplicates.
	duplicateJaccard = 0.8
)

// nearDuplicates groups texts whose word-shingle sets are nearly equal, by
// MinHash signatures and locality-sensitive hashing of bands, then checking
// the estimated Jaccard similarity of each candidate pair. Groups are sorted
// by their first member.
func nearDuplicates(texts []string, maxRunes int, seed uint64, workers int) [][]int {
	return nearDuplicateTokens(tokenizeAll(texts, maxRunes, workers).toks, seed, workers)
}

// nearDuplicateTokens is nearDuplicates of texts given as their tokens.
// The bands are bucketed on all workers (in a hash table of the band's
// keys); the pairs found are then joined into groups, which depend only on
// the set of pairs, not on the order in which they are found.
func nearDuplicateTokens(toks [][]string, seed uint64, workers int) [][]int {
	n := len(toks)
	sigs := make([][minhashSize]uint64, n)
	has := make([]bool, n)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			tk := toks[i]
			if len(tk) == 0 {
				continue
			}
			has[i] = true
			for h := range sigs[i] {
				sigs[i][h] = ^uint64(0)
			}
			// base is stringHash of the shingle's words joined by spaces.
			shingle := func(base uint64) {
				for h := range sigs[i] {
					v := mix64(base ^ (uint64(h+1) * 0x9e3779b97f4a7c15) ^ seed)
					if v < sigs[i][h] {
						sigs[i][h] = v
					}
				}
			}
			if len(tk) < 3 {
				h := uint64(fnvOffset)
				for j, w := range tk {
					if j > 0 {
						h = fnvString(h, " ")
					}
					h = fnvString(h, w)
				}
				shingle(h)
				continue
			}
			for j := 0; j+3 <= len(tk); j++ {
				h := fnvString(uint64(fnvOffset), tk[j])
				h = fnvString(h, " ")
				h = fnvString(h, tk[j+1])
				h = fnvString(h, " ")
				shingle(fnvString(h, tk[j+2]))
			}
		}
	})
	rows := make([]int32, 0, n)
	for i := range n {
		if has[i] {
			rows = append(rows, int32(i))
		}
	}
	// Candidate pairs of each band: rows with the same key, each compared
	// with the bucket's first few members only, which keeps huge buckets of
	// identical texts linear; kept when the signatures agree enough.
	pairs := make([][][2]int32, minhashBands)
	var next atomic.Int64
	var wg sync.WaitGroup
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for range min(workers, minhashBands) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// An open-addressing table of the band's keys; each bucket is
			// a list of its rows in increasing order.
			size := 1
			for size < 2*len(rows) {
				size *= 2
			}
			head := make([]int32, size) // first row of the slot's bucket + 1; 0 = free
			tail := make([]int32, size)
			link := make([]int32, n) // next row of the same bucket, -1 = none
			var members []int32
			// The worker's own union-find over the pairs it kept: a pair
			// already joined through them adds nothing to the groups and
			// needs no check (buckets of identical texts recur in every
			// band).
			root := make([]int32, n)
			for i := range root {
				root[i] = int32(i)
			}
			find := func(i int32) int32 {
				for root[i] != i {
					root[i] = root[root[i]]
					i = root[i]
				}
				return i
			}
			for {
				b := int(next.Add(1)) - 1
				if b >= minhashBands {
					return
				}
				key := func(i int32) []uint64 { return sigs[i][b*minhashRows : (b+1)*minhashRows] }
				clear(head)
				for _, i := range rows {
					h := uint64(fnvOffset)
					for _, v := range key(i) {
						h = mix64(h ^ v)
					}
					s := int(h & uint64(size-1))
					for head[s] != 0 && !slices.Equal(key(head[s]-1), key(i)) {
						s = (s + 1) & (size - 1)
					}
					link[i] = -1
					if head[s] == 0 {
						head[s] = i + 1
					} else {
						link[tail[s]] = i
					}
					tail[s] = i
				}
				var out [][2]int32
				for _, h := range head {
					if h == 0 || link[h-1] < 0 {
						continue
					}
					members = members[:0]
					for i := h - 1; i >= 0; i = link[i] {
						members = append(members, i)
					}
					for _, j := range members[1:] {
						for _, i := range members[:min(len(members), 4)] {
							if i >= j {
								continue
							}
							ri, rj := find(i), find(j)
							if ri == rj {
								continue
							}
							if minhashNear(&sigs[i], &sigs[j]) {
								out = append(out, [2]int32{i, j})
								root[max(ri, rj)] = min(ri, rj)
							}
						}
					}
				}
				pairs[b] = out
			}
		}()
	}
	wg.Wait()
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, band := range pairs {
		for _, p := range band {
			ri, rj := find(int(p[0])), find(int(p[1]))
			if ri < rj {
				parent[rj] = ri
			} else if rj < ri {
				parent[ri] = rj
			}
		}
	}
	groups := map[int][]int{}
	for i := 0; i < n; i++ {
		if has[i] {
			r := find(i)
			groups[r] = append(groups[r], i)
		}
	}
	out := [][]int{}
	for _, g := range groups {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// FNV-1a, written out so that a shingle's hash needs no joined string.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func stringHash(s string) uint64 {
	// FNV-1a: stable across runs (maphash is not), so results are
	// reproducible.
	return fnvString(fnvOffset, s)
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// minhashNear says whether two texts' signatures agree on enough hashes for
// an estimated Jaccard similarity of at least duplicateJaccard.
func minhashNear(a, b *[minhashSize]uint64) bool {
	same := 0
	for h := range a {
		if a[h] == b[h] {
			same++
		}
	}
	return float64(same)/minhashSize >= duplicateJaccard
}

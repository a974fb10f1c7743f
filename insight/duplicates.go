package insight

import (
	"sort"
	"strings"
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
	n := len(texts)
	sigs := make([][minhashSize]uint64, n)
	has := make([]bool, n)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			t, _ := Normalize(texts[i], maxRunes)
			toks := Tokenize(t)
			if len(toks) == 0 {
				continue
			}
			has[i] = true
			for h := range sigs[i] {
				sigs[i][h] = ^uint64(0)
			}
			shingle := func(s string) {
				base := stringHash(s)
				for h := range sigs[i] {
					v := mix64(base ^ (uint64(h+1) * 0x9e3779b97f4a7c15) ^ seed)
					if v < sigs[i][h] {
						sigs[i][h] = v
					}
				}
			}
			if len(toks) < 3 {
				shingle(strings.Join(toks, " "))
				continue
			}
			for j := 0; j+3 <= len(toks); j++ {
				shingle(toks[j] + " " + toks[j+1] + " " + toks[j+2])
			}
		}
	})
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for b := 0; b < minhashBands; b++ {
		buckets := map[[minhashRows]uint64][]int{}
		for i := 0; i < n; i++ {
			if !has[i] {
				continue
			}
			var key [minhashRows]uint64
			copy(key[:], sigs[i][b*minhashRows:(b+1)*minhashRows])
			buckets[key] = append(buckets[key], i)
		}
		for _, members := range buckets {
			if len(members) < 2 {
				continue
			}
			// Compare against the bucket's first few members only, which
			// keeps huge buckets of identical texts linear.
			for _, j := range members[1:] {
				for _, i := range members[:min(len(members), 4)] {
					if i >= j || find(i) == find(j) {
						continue
					}
					same := 0
					for h := 0; h < minhashSize; h++ {
						if sigs[i][h] == sigs[j][h] {
							same++
						}
					}
					if float64(same)/minhashSize >= duplicateJaccard {
						ri, rj := find(i), find(j)
						if ri < rj {
							parent[rj] = ri
						} else {
							parent[ri] = rj
						}
					}
				}
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

func stringHash(s string) uint64 {
	// FNV-1a: stable across runs (maphash is not), so results are
	// reproducible.
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

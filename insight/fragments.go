package insight

// The "purer fine clusters" round (docs/BENCHMARKS.md): intersecting two
// over-clusterings into fragments is on by default (overIntersect); the
// richer merge features (skip pairs) and the kNN-edge term of the merge score
// are tuning knobs, off by default.

// addSkipPairs appends to each of the sample's merge documents (docs, feature
// ids 0..v-1, from dmmDocs) the ordered pairs of content stems 2..w words
// apart that occur in at least two texts of the sample, as new feature ids
// from v on, and returns the documents and the new feature count. Only the
// clustering sample is re-tokenised, so the cost is bounded by its size.
func addSkipPairs(docs [][]int32, v int, m *Model, texts []string, sample []int, w int) ([][]int32, int) {
	st := make([]string, len(sample))
	for i, s := range sample {
		st[i] = texts[s]
	}
	feats, _ := analyzeTexts(st, m.opts.MaxTextRunes, m.opts.Workers)
	pairs := make([][][2]int32, len(sample))
	df := map[[2]int32]int32{}
	for i, f := range feats {
		ids := make([]int32, len(f.stems))
		for j, s := range f.stems {
			id, ok := m.stemID[s]
			if !ok {
				id = -1
			}
			ids[j] = id
		}
		seen := map[[2]int32]bool{}
		for j := range ids {
			for g := 2; g <= w && g <= j; g++ {
				p := [2]int32{ids[j-g], ids[j]}
				if p[0] < 0 || p[1] < 0 || seen[p] {
					continue
				}
				seen[p] = true
				pairs[i] = append(pairs[i], p)
				df[p]++
			}
		}
	}
	id := map[[2]int32]int32{}
	out := make([][]int32, len(docs))
	for i, doc := range docs {
		out[i] = append([]int32(nil), doc...)
		for _, p := range pairs[i] {
			if df[p] < 2 {
				continue
			}
			f, ok := id[p]
			if !ok {
				f = int32(v + len(id))
				id[p] = f
			}
			out[i] = append(out[i], f)
		}
	}
	return out, v + len(id)
}

// intersectPartitions splits the clusters of a (values in [0, kc)) by the
// clusters of b (values in [0, kb)) into fragments; a fragment under minSize rows
// joins the largest fragment of its cluster of a. It returns the rows'
// fragments numbered 0..nf-1 and nf.
func intersectPartitions(a, b []int, kc, kb, minSize int) ([]int, int) {
	key := func(i int) int { return a[i]*kb + b[i] }
	size := map[int]int{}
	for i := range a {
		size[key(i)]++
	}
	largest := make([]int, kc) // cluster of a -> key of its largest fragment
	for c := range largest {
		largest[c] = -1
	}
	for i := range a {
		k := key(i)
		if l := largest[a[i]]; l < 0 || size[k] > size[l] || (size[k] == size[l] && k < l) {
			largest[a[i]] = k
		}
	}
	id := map[int]int{}
	out := make([]int, len(a))
	for i := range a {
		k := key(i)
		if size[k] < minSize {
			k = largest[a[i]]
		}
		f, ok := id[k]
		if !ok {
			f = len(id)
			id[k] = f
		}
		out[i] = f
	}
	return out, len(id)
}

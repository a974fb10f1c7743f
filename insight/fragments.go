package insight

// The "purer fine clusters" round (docs/BENCHMARKS.md): intersecting two
// over-clusterings into fragments (refineThemes) made the clusters merged
// down to k purer.

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

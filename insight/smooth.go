package insight

// knnSmoothGraph replaces each unit row by a normalised blend of itself and
// the mean of its nn nearest neighbours (by cosine): one diffusion step on
// the kNN graph that pulls texts of one intent together before clustering.
// It also returns the neighbour lists (n × nn, row-major), so that later
// vectors of the same texts can be blended over the same graph (blendGraph)
// without another all-pairs pass.
func knnSmoothGraph(x []float32, n, d, nn int, alpha float32, workers int) ([]float32, []int32) {
	out := make([]float32, len(x))
	graph := make([]int32, n*nn)
	forChunks(n, workers, func(_, lo, hi int) {
		var sims [4][]float32
		for q := range sims {
			sims[q] = make([]float32, n)
		}
		top := make([]int, 0, nn+1)
		for i0 := lo; i0 < hi; i0 += 4 {
			// Similarities of four rows at a time (a row past hi repeats
			// row i0 and is ignored).
			var rows [4][]float32
			for q := range rows {
				r := i0 + q
				if r >= hi {
					r = i0
				}
				rows[q] = x[r*d : (r+1)*d]
			}
			for j := 0; j < n; j++ {
				sims[0][j], sims[1][j], sims[2][j], sims[3][j] = dot4(rows[0], rows[1], rows[2], rows[3], x[j*d:(j+1)*d])
			}
			for q := 0; q < 4 && i0+q < hi; q++ {
				i := i0 + q
				knnBlend(x, out, d, i, sims[q], nn, alpha, &top)
				for t, j := range top {
					graph[i*nn+t] = int32(j)
				}
				for t := len(top); t < nn; t++ {
					graph[i*nn+t] = -1
				}
			}
		}
	})
	return out, graph
}

// blendGraph blends each unit row of x with the mean of its neighbours in
// graph (from knnSmoothGraph), like knnSmoothGraph.
func blendGraph(x []float32, n, d, nn int, graph []int32, alpha float32, workers int) []float32 {
	out := make([]float32, len(x))
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			o := out[i*d : (i+1)*d]
			for t, v := range x[i*d : (i+1)*d] {
				o[t] = (1 - alpha) * v
			}
			cnt := 0
			for _, j := range graph[i*nn : (i+1)*nn] {
				if j >= 0 {
					cnt++
				}
			}
			if cnt > 0 {
				w := alpha / float32(cnt)
				for _, j := range graph[i*nn : (i+1)*nn] {
					if j >= 0 {
						axpy32(o, x[int(j)*d:(int(j)+1)*d], w)
					}
				}
			}
			normalize32(o)
		}
	})
	return out
}

// knnBlend writes row i of out: row i of x blended with the mean of its nn
// most similar rows given sims (similarities of row i to every row).
func knnBlend(x, out []float32, d, i int, sims []float32, nn int, alpha float32, topBuf *[]int) {
	row := x[i*d : (i+1)*d]
	sims[i] = -2
	top := topK(sims, nn, (*topBuf)[:0])
	*topBuf = top
	o := out[i*d : (i+1)*d]
	for t, v := range row {
		o[t] = (1 - alpha) * v
	}
	w := alpha / float32(len(top))
	for _, j := range top {
		axpy32(o, x[j*d:(j+1)*d], w)
	}
	normalize32(o)
}

// topK returns the indexes of the k largest values (ties: lower index first),
// in decreasing order of value.
func topK(v []float32, k int, buf []int) []int {
	top := buf[:0]
	for j, s := range v {
		if len(top) == k && s <= v[top[k-1]] {
			continue
		}
		// insertion into a short sorted list
		pos := len(top)
		if len(top) < k {
			top = append(top, j)
		} else {
			pos = k - 1
		}
		for pos > 0 && v[top[pos-1]] < s {
			top[pos] = top[pos-1]
			pos--
		}
		top[pos] = j
	}
	return top
}

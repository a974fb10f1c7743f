package insight

// knnSmooth replaces each unit row by a normalised blend of itself and the
// mean of its nn nearest neighbours (by cosine). This one diffusion step on
// the kNN graph pulls texts of one intent together before clustering.
func knnSmooth(x []float32, n, d, nn int, alpha float32, workers int) []float32 {
	out := make([]float32, len(x))
	forChunks(n, workers, func(_, lo, hi int) {
		sims := make([]float32, n)
		top := make([]int, 0, nn+1)
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			for j := 0; j < n; j++ {
				sims[j] = dot32(row, x[j*d:(j+1)*d])
			}
			sims[i] = -2
			top = topK(sims, nn, top[:0])
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
	})
	return out
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

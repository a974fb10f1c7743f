package insight

import (
	"context"
	"math"
	"slices"
)

// Experimental refinements of the theme partition (tuning harness only;
// see docs/BENCHMARKS.md, "tried").

// dmmRefine reassigns each row to the cluster of highest posterior under a
// Dirichlet multinomial mixture (GSDMM, Yin & Wang 2014) over the binary
// word and bigram features of x, starting from assign; sweeps passes of
// sequential (ICM) updates.
//
// With lambda > 0 the score of cluster z also gets lambda times the cosine
// of the row's dense vector (vx, n × d) to the centre of z, the centres
// recomputed before each sweep.
//
// With fw != nil each feature f counts fw[f] instead of 1 (a weighted
// multinomial: cluster counts are sums of weights, and the likelihood of a
// text is the sum over its features of fw[f]·log p(f | z)).
func dmmRefine(x *csr, kind []uint8, assign []int, k, sweeps int, alpha, beta float64, vx []float32, d int, lambda float64, fw []float32) []int {
	out := append([]int(nil), assign...)
	col := make([]int32, x.cols) // feature -> dense index among words/bigrams, or -1
	v := 0
	for f := range col {
		col[f] = -1
		if kind[f] != featChar {
			col[f] = int32(v)
			v++
		}
	}
	docs := make([][]int32, x.rows)
	wt := make([]float64, v)
	for f, c := range col {
		if c >= 0 {
			wt[c] = 1
			if fw != nil {
				wt[c] = float64(fw[f])
			}
		}
	}
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			if c := col[x.ind[p]]; c >= 0 && wt[c] > 0 {
				docs[i] = append(docs[i], c)
			}
		}
	}
	m := make([]float64, k)     // docs per cluster
	nz := make([]float64, k)    // tokens per cluster
	nzw := make([]float64, k*v) // cluster x feature
	for i, d := range docs {
		c := out[i]
		m[c]++
		for _, w := range d {
			nz[c] += wt[w]
			nzw[c*v+int(w)] += wt[w]
		}
	}
	vb := float64(v) * beta
	score := make([]float64, k)
	var cent []float32
	for s := 0; s < sweeps; s++ {
		moved := 0
		if lambda > 0 {
			cent = centroids(vx, x.rows, d, k, out, make([]float32, x.rows), 1)
		}
		for i, doc := range docs {
			if len(doc) == 0 {
				continue
			}
			d := doc
			c := out[i]
			m[c]--
			for _, w := range d {
				nz[c] -= wt[w]
				nzw[c*v+int(w)] -= wt[w]
			}
			best, bs := c, math.Inf(-1)
			for z := 0; z < k; z++ {
				sc := math.Log(m[z] + alpha)
				row := nzw[z*v : (z+1)*v]
				if fw == nil {
					for j := range d {
						sc -= math.Log(nz[z] + vb + float64(j))
					}
					for _, w := range d {
						sc += math.Log(row[w] + beta)
					}
				} else {
					lz := math.Log(nz[z] + vb)
					for _, w := range d {
						sc += wt[w] * (math.Log(row[w]+beta) - lz)
					}
				}
				if lambda > 0 {
					sc += lambda * float64(dot32(vx[i*len(cent)/k:(i+1)*len(cent)/k], cent[z*len(cent)/k:(z+1)*len(cent)/k]))
				}
				score[z] = sc
				if sc > bs {
					best, bs = z, sc
				}
			}
			if score[c] >= bs {
				best = c
			}
			if best != c {
				moved++
			}
			out[i] = best
			m[best]++
			for _, w := range d {
				nz[best] += wt[w]
				nzw[best*v+int(w)] += wt[w]
			}
		}
		if moved == 0 {
			break
		}
	}
	return out
}

// labelProp refines assign by label propagation over the kNN graph
// (n × nn neighbour lists): each row takes the label most frequent among
// itself (weight self) and its neighbours; mutual counts only neighbours j
// that also list i.
func labelProp(graph []int32, n, nn int, assign []int, k, sweeps int, self float64, mutual bool) []int {
	out := append([]int(nil), assign...)
	votes := make([]float64, k)
	isNb := func(j, i int) bool {
		for _, t := range graph[j*nn : (j+1)*nn] {
			if int(t) == i {
				return true
			}
		}
		return false
	}
	for s := 0; s < sweeps; s++ {
		moved := 0
		for i := 0; i < n; i++ {
			clear(votes)
			votes[out[i]] += self
			for _, j := range graph[i*nn : (i+1)*nn] {
				if j < 0 || (mutual && !isNb(int(j), i)) {
					continue
				}
				votes[out[j]]++
			}
			best := out[i]
			for c, vv := range votes {
				if vv > votes[best] {
					best = c
				}
			}
			if best != out[i] {
				moved++
				out[i] = best
			}
		}
		if moved == 0 {
			break
		}
	}
	return out
}

// wordVectors embeds the word features of x (columns of kind featWord) by a
// truncated SVD of their positive PMI of co-occurrence within texts (context
// distribution smoothed with exponent 0.75) and returns, for every row of x,
// the unit TF-IDF-weighted mean of its words' unit vectors (dims wide).
func wordVectors(ctx context.Context, x *csr, kind []uint8, dims int, seed int64, workers int) ([]float32, int, error) {
	nw := 0
	for _, k := range kind {
		if k == featWord {
			nw++
		}
	}
	// Binary word rows.
	rows := make([][]int32, x.rows)
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			if f := x.ind[p]; kind[f] == featWord {
				rows[i] = append(rows[i], f)
			}
		}
	}
	post := make([][]int32, nw) // word -> rows
	for i, r := range rows {
		for _, f := range r {
			post[f] = append(post[f], int32(i))
		}
	}
	cnt := make([]float64, nw)
	total := 0.0
	for i, r := range rows {
		_ = i
		for _, a := range r {
			cnt[a] += float64(len(r) - 1)
			total += float64(len(r) - 1)
		}
	}
	ctxp := make([]float64, nw)
	cz := 0.0
	for a := range ctxp {
		ctxp[a] = math.Pow(cnt[a], 0.75)
		cz += ctxp[a]
	}
	p := &csr{rows: nw, cols: nw, indptr: make([]int, nw+1)}
	acc := make([]float64, nw)
	var touched []int32
	for a := 0; a < nw; a++ {
		touched = touched[:0]
		for _, i := range post[a] {
			for _, b := range rows[i] {
				if int(b) == a {
					continue
				}
				if acc[b] == 0 {
					touched = append(touched, b)
				}
				acc[b]++
			}
		}
		sortInt32(touched)
		for _, b := range touched {
			pmi := math.Log(acc[b] * total * cz / (cnt[a] * ctxp[b] * total))
			acc[b] = 0
			if pmi > 0 {
				p.ind = append(p.ind, b)
				p.val = append(p.val, float32(pmi))
			}
		}
		p.indptr[a+1] = len(p.ind)
	}
	wm := &Model{opts: ModelOptions{Dims: dims, Seed: seed, Workers: workers, powerIters: 2, sigmaPower: 1}}
	if err := wm.fitLSA(ctx, p); err != nil {
		return nil, 0, err
	}
	d := wm.dims
	wv := make([]float32, nw*d)
	for a := 0; a < nw; a++ {
		copy(wv[a*d:(a+1)*d], wm.proj[a*d:(a+1)*d])
		normalize32(wv[a*d : (a+1)*d])
	}
	out := make([]float32, x.rows*d)
	for i := 0; i < x.rows; i++ {
		o := out[i*d : (i+1)*d]
		for q := x.indptr[i]; q < x.indptr[i+1]; q++ {
			if f := x.ind[q]; kind[f] == featWord {
				axpy32(o, wv[int(f)*d:(int(f)+1)*d], x.val[q])
			}
		}
		normalize32(o)
	}
	return out, d, nil
}

func sortInt32(a []int32) { slices.Sort(a) }

// concatWeighted returns the unit rows [a, w·b].
func concatWeighted(a []float32, da int, b []float32, db int, w float32) ([]float32, int) {
	n := len(a) / da
	d := da + db
	out := make([]float32, n*d)
	for i := 0; i < n; i++ {
		o := out[i*d : (i+1)*d]
		copy(o, a[i*da:(i+1)*da])
		for t, v := range b[i*db : (i+1)*db] {
			o[da+t] = w * v
		}
		normalize32(o)
	}
	return out, d
}

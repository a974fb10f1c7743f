package insight

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// knnSmoothGraph replaces each unit row by a normalised blend of itself and
// the mean of its nn nearest neighbours (by cosine): one diffusion step on
// the kNN graph that pulls texts of one intent together before clustering.
// It also returns the neighbour lists (n × nn, row-major), so that later
// vectors of the same texts can be blended over the same graph (blendGraph)
// without another all-pairs pass.
func knnSmoothGraph(x []float32, n, d, nn int, alpha float32, workers int) ([]float32, []int32) {
	top := knnGraph(x, n, d, nn, workers)
	out := make([]float32, len(x))
	graph := make([]int32, n*nn)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			nb := top[i*nn : (i+1)*nn]
			o := out[i*d : (i+1)*d]
			for t, v := range x[i*d : (i+1)*d] {
				o[t] = (1 - alpha) * v
			}
			cnt := 0
			for _, e := range nb {
				if e.j >= 0 {
					cnt++
				}
			}
			w := alpha / float32(cnt)
			for t, e := range nb {
				graph[i*nn+t] = e.j
				if e.j >= 0 {
					axpy32(o, x[int(e.j)*d:int(e.j+1)*d], w)
				}
			}
			normalize32(o)
		}
	})
	return out, graph
}

// knnEdge is one entry of a row's neighbour list: row j (-1 = none) at
// cosine s.
type knnEdge struct {
	j int32
	s float32
}

// before says whether e ranks before f: higher cosine first, then lower
// index (the order of topK).
func (e knnEdge) before(f knnEdge) bool {
	return e.s > f.s || (e.s == f.s && e.j < f.j)
}

// insertEdge puts e into the sorted list l (len nn) if it ranks before its
// last entry.
func insertEdge(l []knnEdge, e knnEdge) {
	last := len(l) - 1
	if l[last].j >= 0 && !e.before(l[last]) {
		return
	}
	pos := last
	for pos > 0 && (l[pos-1].j < 0 || e.before(l[pos-1])) {
		l[pos] = l[pos-1]
		pos--
	}
	l[pos] = e
}

// knnTile is the side of the square blocks of the all-pairs pass.
const knnTile = 64

// knnGraph returns the nn nearest rows (by cosine, excluding the row itself)
// of each unit row of x, n × nn, in the order of topK: higher cosine first,
// ties by lower index; entries past the n−1 other rows have j = −1. It
// computes each pair's cosine once (the upper triangle, in tiles) and keeps
// a list per row and goroutine, merged at the end; the cosines are the same
// sequential float32 sums whichever row comes first, so the graph does not
// depend on the number of goroutines.
func knnGraph(x []float32, n, d, nn int, workers int) []knnEdge {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nb := (n + knnTile - 1) / knnTile
	workers = max(1, min(workers, nb))
	empty := func() []knnEdge {
		l := make([]knnEdge, n*nn)
		for i := range l {
			l[i] = knnEdge{-1, 0}
		}
		return l
	}
	lists := make([][]knnEdge, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := empty()
			lists[w] = l
			var sims [knnTile * knnTile]float32
			for {
				bi := int(next.Add(1)) - 1
				if bi >= nb {
					return
				}
				ilo, ihi := bi*knnTile, min(n, (bi+1)*knnTile)
				for bj := bi; bj < nb; bj++ {
					jlo, jhi := bj*knnTile, min(n, (bj+1)*knnTile)
					cosTile(x, d, ilo, ihi, jlo, jhi, sims[:])
					w := jhi - jlo
					for i := ilo; i < ihi; i++ {
						li := l[i*nn : (i+1)*nn]
						row := sims[(i-ilo)*w : (i-ilo+1)*w]
						j0 := jlo
						if bj == bi {
							j0 = i + 1
						}
						for j := j0; j < jhi; j++ {
							s := row[j-jlo]
							insertEdge(li, knnEdge{int32(j), s})
							insertEdge(l[j*nn:(j+1)*nn], knnEdge{int32(i), s})
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	out := lists[0]
	for _, l := range lists[1:] {
		forChunks(n, workers, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				dst := out[i*nn : (i+1)*nn]
				for _, e := range l[i*nn : (i+1)*nn] {
					if e.j < 0 {
						break
					}
					insertEdge(dst, e)
				}
			}
		})
	}
	return out
}

// cosTile writes the dot products of rows [ilo, ihi) with rows [jlo, jhi)
// of x into sims (row-major, jhi − jlo columns), each a sequential float32
// sum like one lane of dot4. Two rows by three columns per pass: two by four
// spilled accumulators to the stack and took 25% longer.
func cosTile(x []float32, d, ilo, ihi, jlo, jhi int, sims []float32) {
	w := jhi - jlo
	i := ilo
	for ; i+2 <= ihi; i += 2 {
		a0, a1 := x[i*d:(i+1)*d], x[(i+1)*d:(i+2)*d]
		j := jlo
		for ; j+3 <= jhi; j += 3 {
			b0, b1, b2 := x[j*d:(j+1)*d], x[(j+1)*d:(j+2)*d], x[(j+2)*d:(j+3)*d]
			var s00, s01, s02, s10, s11, s12 float32
			a1, b0, b1, b2 := a1[:len(a0)], b0[:len(a0)], b1[:len(a0)], b2[:len(a0)]
			for t := range a0 {
				u0, u1 := a0[t], a1[t]
				v0, v1, v2 := b0[t], b1[t], b2[t]
				s00 += u0 * v0
				s01 += u0 * v1
				s02 += u0 * v2
				s10 += u1 * v0
				s11 += u1 * v1
				s12 += u1 * v2
			}
			r0, r1 := sims[(i-ilo)*w+j-jlo:], sims[(i+1-ilo)*w+j-jlo:]
			r0[0], r0[1], r0[2] = s00, s01, s02
			r1[0], r1[1], r1[2] = s10, s11, s12
		}
		for ; j < jhi; j++ {
			sims[(i-ilo)*w+j-jlo] = dotSeq(a0, x[j*d:(j+1)*d])
			sims[(i+1-ilo)*w+j-jlo] = dotSeq(a1, x[j*d:(j+1)*d])
		}
	}
	for ; i < ihi; i++ {
		for j := jlo; j < jhi; j++ {
			sims[(i-ilo)*w+j-jlo] = dotSeq(x[i*d:(i+1)*d], x[j*d:(j+1)*d])
		}
	}
}

// dotSeq is the dot product summed in order (one lane of dot4).
func dotSeq(a, b []float32) float32 {
	b = b[:len(a)]
	var s float32
	for i, v := range a {
		s += v * b[i]
	}
	return s
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

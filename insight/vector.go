package insight

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
)

// Embedder turns texts into dense vectors, one per text, all of the same
// length. Vectors need not be normalised. The local engine's Model is one; a
// model server (package insight/modelserver) is another.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// ModelOptions tune the local TF-IDF + LSA model. Zero values take defaults.
type ModelOptions struct {
	Dims         int   // LSA dimensions (default 100)
	MinDF        int   // a feature must occur in at least this many texts (default 2)
	MaxFeatures  int   // cap on the vocabulary, most frequent first (default 200,000)
	CharNGrams   bool  // character 3..5-grams of stems (on by default through DefaultModelOptions)
	Seed         int64 // random seed of the randomized SVD
	Workers      int   // goroutines (0 = GOMAXPROCS)
	MaxTextRunes int   // truncation length (default DefaultMaxTextRunes)

	// weights of the feature groups (word stems, word bigrams, char n-grams);
	// internal tuning knobs, zero = default.
	bigramWeight, charWeight, sigmaPower float64
	powerIters                           int
}

// DefaultModelOptions returns the options used by Analyze.
func DefaultModelOptions() ModelOptions {
	return ModelOptions{Dims: 100, MinDF: 2, MaxFeatures: 200000, CharNGrams: true}
}

func (o *ModelOptions) fill() {
	if o.Dims <= 0 {
		o.Dims = 100
	}
	if o.MinDF <= 0 {
		o.MinDF = 2
	}
	if o.MaxFeatures <= 0 {
		o.MaxFeatures = 200000
	}
	if o.MaxTextRunes == 0 {
		o.MaxTextRunes = DefaultMaxTextRunes
	}
	if o.bigramWeight == 0 {
		o.bigramWeight = 0.7
	}
	if o.charWeight == 0 {
		o.charWeight = 0.7
	}
	if o.sigmaPower == 0 {
		o.sigmaPower = 1
	}
	if o.powerIters == 0 {
		o.powerIters = 2
	}
}

// feature kinds
const (
	featWord = iota
	featBigram
	featChar
)

// Model is a fitted TF-IDF vocabulary and LSA projection. It embeds new texts
// (folding them into the fitted space) and is safe for concurrent use.
type Model struct {
	opts     ModelOptions
	stemID   map[string]int32 // stem -> index in stems
	stems    []string
	surface  []string           // most frequent surface word of each stem
	bigramID map[[2]int32]int32 // pair of stem ids -> feature
	charID   map[string]int32
	stemChar [][]int32 // char n-gram features of each stem
	kind     []uint8   // feature -> kind
	name     []string  // feature -> readable name
	idf      []float32
	dims     int
	proj     []float32 // features x dims, row-major
	sigma    []float64 // singular values
	wordFeat []int32   // stem -> word feature, or -1
	sif      *sifModel // the word-vector view appended by Embed (Fit sets it; nil in Analyze's models)
}

// docFeatures is the analysed form of one text.
type docFeatures struct {
	stems   []string
	surface []string
}

// analyzeTokens gives the stems and surface words of tokenised texts.
func analyzeTokens(tk *tokenized, workers int) []docFeatures {
	docs := make([]docFeatures, len(tk.toks))
	forChunks(len(tk.toks), workers, func(_, lo, hi int) {
		st := stemmer{}
		for i := lo; i < hi; i++ {
			docs[i].stems, docs[i].surface = st.contentStems(tk.toks[i])
		}
	})
	return docs
}

// Fit builds a TF-IDF vocabulary and an LSA projection from texts, and the
// word-vector view of them (docs/insight.md, step 2). The model embeds any
// text (Embed) as its LSA vector with its SIF vector appended; words the
// model has not seen count only through the word-vector table.
func Fit(ctx context.Context, texts []string, opts ModelOptions) (*Model, error) {
	opts.fill()
	tk := tokenizeAll(texts, opts.MaxTextRunes, opts.Workers)
	m, _, _, err := fitTokens(ctx, tk, opts)
	if err != nil {
		return nil, err
	}
	wv, err := glove()
	if err != nil {
		return nil, err
	}
	_, m.sif = sifFit(wv, tk.toks, sifOptions{dims: sifDims}, opts.Workers)
	return m, nil
}

// fitTokens fits the TF-IDF vocabulary and the LSA projection of tokenised
// texts (normalised to opts.MaxTextRunes) and also returns their TF-IDF rows
// (Analyze uses them for keyphrases) and the number of truncated texts.
func fitTokens(ctx context.Context, tk *tokenized, opts ModelOptions) (*Model, *csr, int, error) {
	opts.fill()
	docs, truncated := analyzeTokens(tk, opts.Workers), tk.truncated
	if err := ctx.Err(); err != nil {
		return nil, nil, 0, err
	}
	m := &Model{opts: opts, stemID: map[string]int32{}, bigramID: map[[2]int32]int32{}, charID: map[string]int32{}}

	// Stem vocabulary in order of first appearance (deterministic).
	surfCount := map[[2]string]int{}
	ids := make([][]int32, len(docs))
	for i, d := range docs {
		ids[i] = make([]int32, len(d.stems))
		for j, s := range d.stems {
			id, ok := m.stemID[s]
			if !ok {
				id = int32(len(m.stems))
				m.stemID[s] = id
				m.stems = append(m.stems, s)
			}
			ids[i][j] = id
			surfCount[[2]string{s, d.surface[j]}]++
		}
	}
	m.surface = make([]string, len(m.stems))
	best := make([]int, len(m.stems))
	for k, c := range surfCount {
		id := m.stemID[k[0]]
		if c > best[id] || (c == best[id] && k[1] < m.surface[id]) {
			best[id], m.surface[id] = c, k[1]
		}
	}

	// Document frequencies of raw features: words, bigrams, char n-grams.
	nStem := len(m.stems)
	wordDF := make([]int32, nStem)
	bigramDF := map[[2]int32]int32{}
	seen := map[[2]int32]struct{}{}
	seenW := make([]int32, nStem)
	for i := range seenW {
		seenW[i] = -1
	}
	for i, d := range ids {
		clear(seen)
		for j, s := range d {
			if seenW[s] != int32(i) {
				seenW[s] = int32(i)
				wordDF[s]++
			}
			if j > 0 {
				p := [2]int32{d[j-1], s}
				if _, ok := seen[p]; !ok {
					seen[p] = struct{}{}
					bigramDF[p]++
				}
			}
		}
	}
	type cand struct {
		kind uint8
		df   int32
		name string
		pair [2]int32
		stem int32
	}
	var cands []cand
	for s, df := range wordDF {
		if int(df) >= opts.MinDF {
			cands = append(cands, cand{kind: featWord, df: df, name: m.stems[s], stem: int32(s)})
		}
	}
	for p, df := range bigramDF {
		if int(df) >= opts.MinDF {
			cands = append(cands, cand{kind: featBigram, df: df, name: m.stems[p[0]] + " " + m.stems[p[1]], pair: p})
		}
	}
	// Char n-grams: of stems that occur at least MinDF times; their df is
	// counted over documents below.
	stemChars := make([][]string, nStem)
	if opts.CharNGrams {
		// Number the n-grams of each stem once, then count documents with
		// arrays: the per-token work stays free of string hashing.
		gramID := map[string]int32{}
		var gramName []string
		stemGram := make([][]int32, nStem)
		for s := range nStem {
			if int(wordDF[s]) < opts.MinDF {
				continue
			}
			stemChars[s] = charGrams(m.stems[s])
			for _, g := range stemChars[s] {
				id, ok := gramID[g]
				if !ok {
					id = int32(len(gramName))
					gramID[g] = id
					gramName = append(gramName, g)
				}
				stemGram[s] = append(stemGram[s], id)
			}
		}
		charDF := make([]int32, len(gramName))
		last := make([]int32, len(gramName))
		for i, d := range ids {
			for _, s := range d {
				for _, g := range stemGram[s] {
					if last[g] != int32(i)+1 {
						last[g] = int32(i) + 1
						charDF[g]++
					}
				}
			}
		}
		for g, df := range charDF {
			if int(df) >= opts.MinDF {
				cands = append(cands, cand{kind: featChar, df: df, name: gramName[g]})
			}
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].df != cands[b].df {
			return cands[a].df > cands[b].df
		}
		if cands[a].kind != cands[b].kind {
			return cands[a].kind < cands[b].kind
		}
		return cands[a].name < cands[b].name
	})
	if len(cands) > opts.MaxFeatures {
		cands = cands[:opts.MaxFeatures]
	}
	// Features in a fixed order: by kind, then name.
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].kind != cands[b].kind {
			return cands[a].kind < cands[b].kind
		}
		return cands[a].name < cands[b].name
	})
	n := float64(len(docs))
	wordFeat := make([]int32, nStem)
	for i := range wordFeat {
		wordFeat[i] = -1
	}
	m.kind = make([]uint8, len(cands))
	m.name = make([]string, len(cands))
	m.idf = make([]float32, len(cands))
	for f, c := range cands {
		m.kind[f] = c.kind
		m.idf[f] = float32(math.Log((1+n)/(1+float64(c.df))) + 1)
		switch c.kind {
		case featWord:
			wordFeat[c.stem] = int32(f)
			m.name[f] = m.surface[c.stem]
		case featBigram:
			m.bigramID[c.pair] = int32(f)
			m.name[f] = m.surface[c.pair[0]] + " " + m.surface[c.pair[1]]
		case featChar:
			m.charID[c.name] = int32(f)
			m.name[f] = c.name
		}
	}
	// Word features are looked up through stemID; keep only kept stems.
	m.stemChar = make([][]int32, nStem)
	for s := range nStem {
		for _, g := range stemChars[s] {
			if f, ok := m.charID[g]; ok {
				m.stemChar[s] = append(m.stemChar[s], f)
			}
		}
	}
	m.wordFeat = wordFeat

	x := m.matrix(ids, opts.Workers)
	if err := ctx.Err(); err != nil {
		return nil, nil, 0, err
	}
	// The SVD of a sample of rows spans the same topics for a fraction of the
	// cost; every row is then projected.
	fx := x
	if x.rows > lsaSample {
		fx = x.rowsOf(sampleRows(x.rows, lsaSample, uint64(opts.Seed)^0x15a))
	}
	if err := m.fitLSA(ctx, fx); err != nil {
		return nil, nil, 0, err
	}
	return m, x, truncated, nil
}

// lsaSample is the number of rows the SVD is computed on.
const lsaSample = 20000

// charGrams returns the character 3..5-grams of a stem with boundary marks.
func charGrams(stem string) []string {
	r := []rune("<" + stem + ">")
	var out []string
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(r); i++ {
			out = append(out, string(r[i:i+n]))
		}
	}
	return out
}

// vectorize appends the sparse TF-IDF vector of one document given as stem
// ids (-1 for stems unknown to the model) to idx and val, as (feature,
// weight) pairs sorted by feature. acc is a zeroed scratch array with one
// slot per feature; it is left zeroed.
func (m *Model) vectorize(d []int32, acc []float32, idx []int32, val []float32) ([]int32, []float32) {
	start := len(idx)
	add := func(f int32) {
		if acc[f] == 0 {
			idx = append(idx, f)
		}
		acc[f]++
	}
	for j, s := range d {
		if s < 0 {
			continue
		}
		if f := m.wordFeat[s]; f >= 0 {
			add(f)
		}
		if j > 0 && d[j-1] >= 0 {
			if f, ok := m.bigramID[[2]int32{d[j-1], s}]; ok {
				add(f)
			}
		}
		for _, f := range m.stemChar[s] {
			add(f)
		}
	}
	row := idx[start:]
	slices.Sort(row)
	val = slices.Grow(val, len(row))
	var norms [3]float64
	for _, f := range row {
		v := float64(1+math.Log(float64(acc[f]))) * float64(m.idf[f])
		acc[f] = 0
		val = append(val, float32(v))
		norms[m.kind[f]] += v * v
	}
	w := [3]float64{1, m.opts.bigramWeight, m.opts.charWeight}
	var total float64
	for k := range norms {
		if norms[k] > 0 {
			norms[k] = w[k] / math.Sqrt(norms[k])
			total += w[k] * w[k]
		}
	}
	total = math.Sqrt(total)
	rv := val[start:]
	for i, f := range row {
		rv[i] = float32(float64(rv[i]) * norms[m.kind[f]] / total)
	}
	return idx, val
}

// matrix returns the TF-IDF rows of documents given as stem ids. Each chunk
// of rows is vectorised into its own buffers, then copied in place.
func (m *Model) matrix(ids [][]int32, workers int) *csr {
	n := len(ids)
	x := &csr{rows: n, cols: len(m.idf), indptr: make([]int, n+1)}
	nc := numChunks(n)
	inds, vals := make([][]int32, nc), make([][]float32, nc)
	forChunks(n, workers, func(c, lo, hi int) {
		acc := make([]float32, len(m.idf))
		// At most a word, a bigram and the stem's n-grams per token.
		bound := 0
		for _, d := range ids[lo:hi] {
			for _, s := range d {
				if s >= 0 {
					bound += 2 + len(m.stemChar[s])
				}
			}
		}
		idx, val := make([]int32, 0, bound), make([]float32, 0, bound)
		for i := lo; i < hi; i++ {
			idx, val = m.vectorize(ids[i], acc, idx, val)
			x.indptr[i+1] = len(idx) // chunk-relative end, fixed below
		}
		inds[c], vals[c] = idx, val
	})
	base := 0
	for c := 0; c < nc; c++ {
		lo, hi := c*chunkSize, min(n, (c+1)*chunkSize)
		for i := lo + 1; i <= hi; i++ {
			x.indptr[i] += base
		}
		base += len(inds[c])
	}
	x.ind = make([]int32, base)
	x.val = make([]float32, base)
	forChunks(n, workers, func(c, lo, hi int) {
		copy(x.ind[x.indptr[lo]:], inds[c])
		copy(x.val[x.indptr[lo]:], vals[c])
	})
	return x
}

// sparse turns tokenised texts into TF-IDF rows of the fitted vocabulary.
func (m *Model) sparse(tk *tokenized) *csr {
	docs := analyzeTokens(tk, m.opts.Workers)
	ids := make([][]int32, len(docs))
	for i, d := range docs {
		ids[i] = make([]int32, len(d.stems))
		for j, s := range d.stems {
			id, ok := m.stemID[s]
			if !ok {
				id = -1
			}
			ids[i][j] = id
		}
	}
	return m.matrix(ids, m.opts.Workers)
}

// Embed implements Embedder: L2-normalised LSA vectors of the texts with
// their SIF vectors appended (weight gloveWeight, each part unit length), so
// that a text which says one thing in other words is still near. A text
// with neither a feature of the model nor a word of the table gets a zero
// vector; one with only the latter gets its SIF part alone.
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tk := tokenizeAll(texts, m.opts.MaxTextRunes, m.opts.Workers) // one tokenisation for both parts
	flat, d := m.project(m.sparse(tk)), m.dims
	if m.sif != nil {
		sem := m.sif.vectors(tk.toks)
		flat, d = joinView(flat, d, sem, m.sif.dims, gloveWeight), d+m.sif.dims
	}
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = flat[i*d : (i+1)*d : (i+1)*d]
	}
	return out, nil
}

// Dims is the length of the model's vectors.
func (m *Model) Dims() int {
	if m.sif != nil {
		return m.dims + m.sif.dims
	}
	return m.dims
}

// project returns the normalised dense rows x·P, row-major.
func (m *Model) project(x *csr) []float32 {
	d := m.dims
	out := make([]float32, x.rows*d)
	forChunks(x.rows, m.opts.Workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := out[i*d : (i+1)*d]
			p, end := x.indptr[i], x.indptr[i+1]
			// Four entries per pass over the row: the same sums in the
			// same order as one axpy32 per entry.
			for ; p+4 <= end; p += 4 {
				v0, v1, v2, v3 := x.val[p], x.val[p+1], x.val[p+2], x.val[p+3]
				s0 := m.proj[int(x.ind[p])*d : int(x.ind[p]+1)*d]
				s1 := m.proj[int(x.ind[p+1])*d : int(x.ind[p+1]+1)*d]
				s2 := m.proj[int(x.ind[p+2])*d : int(x.ind[p+2]+1)*d]
				s3 := m.proj[int(x.ind[p+3])*d : int(x.ind[p+3]+1)*d]
				s0, s1, s2, s3 = s0[:len(row)], s1[:len(row)], s2[:len(row)], s3[:len(row)]
				for t, r := range row {
					row[t] = r + v0*s0[t] + v1*s1[t] + v2*s2[t] + v3*s3[t]
				}
			}
			for ; p < end; p++ {
				axpy32(row, m.proj[int(x.ind[p])*d:int(x.ind[p]+1)*d], x.val[p])
			}
			normalize32(row)
		}
	})
	return out
}

// featureName is the readable form of a feature: a surface word, a bigram or
// a character n-gram.
func (m *Model) featureName(f int32) string { return strings.TrimSpace(m.name[f]) }

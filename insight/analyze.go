package insight

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Doc is one piece of feedback.
type Doc struct {
	ID   string    // optional, carried through for the caller
	Text string    // any length; invalid UTF-8 is repaired, long texts are truncated
	Time time.Time // optional; zero means unknown
}

// Options control Analyze. The zero value is usable: automatic number of
// themes, seed 0, the local engine only.
type Options struct {
	K            int     // number of themes; 0 chooses it automatically
	MaxK         int     // upper bound of the automatic choice (default 100)
	Seed         int64   // random seed; equal seeds give equal results
	MinThemeSize int     // smaller clusters go to the "other" bucket (default 3; 2 under 30 docs)
	OtherBelow   float64 // texts whose cosine to their theme centre is below this go to "other" (default 0.15; negative disables)
	MaxTextRunes int     // truncation length (default DefaultMaxTextRunes)
	Workers      int     // goroutines (default GOMAXPROCS)
	Quotes       int     // representative quotes per theme (default 3)
	Keyphrases   int     // keyphrases per theme (default 5)

	// Embedder, when set, replaces the local LSA vectors for clustering (for
	// example a model server). Its failure is reported in Result.Notices and
	// the local vectors are used instead.
	Embedder Embedder
	// Namer, when set, names and summarises the themes (for example a chat
	// model). Its failure keeps the local labels and adds a notice.
	Namer Namer
	// ModelTimeout bounds each call to Embedder or Namer (default 60 s).
	ModelTimeout time.Duration
	// Progress, when set, is called at the start of each stage.
	Progress func(stage string)

	model ModelOptions // tuning for tests; zero = DefaultModelOptions
	tune  tuneOptions  // tuning for tests
}

// tuneOptions are internal knobs of the theme stage, set by the tuning
// harness (insight/tune_test.go) so that the shipped engine's constants and
// the engines of earlier rounds can be re-measured; the zero value means the
// defaults. Knobs of experiments that were not shipped left with their code
// (docs/BENCHMARKS.md, "2026-11-24 tidy").
type tuneOptions struct {
	k        kTune // automatic k
	reweight int   // rounds of feature re-weighting; 0 = default, -1 = none
	dims     int   // LSA dimensions after re-weighting (0 = as before)

	dmm    int     // sweeps of the DMM refinement; 0 = default, -1 = none
	lambda float64 // its weight of the LSA cosine; 0 = default, -1 = none
	// anneal starts the refinement at k with the sampling sweeps
	// (dmmAnnealSweeps at dmmAnnealT0; off by default).
	anneal bool

	over      float64 // clusters before merging per theme; 0 = overFactor, -1 = no over-clustering
	mergeSize float64 // weight of the size term of the merge score; 0 = mergeSize, NaN = none
	intersect int     // intersect with a second seed's over-clustering: 0 = default (yes), 1 = yes, -1 = no
	fragMin   int     // fragments of the intersection under this size join their cluster's largest fragment (default 3)
	restarts  int     // > 0: k-means restarts; 0 = overRestarts when over-clustering, else 5 on <= 5,000 texts, 3 up to 10,000, 2 above; -1 = the latter always
	// partition, when set, sees the clustering sample's partition at each
	// stage ("over": before merging, "merged", "final").
	partition func(stage string, sample []int, assign []int)

	refill       int // refill clusters the refinement emptied: 0 = default (yes), -1 = no
	refillSweeps int // sweeps of the refinement after a refill; 0 = default

	// The word-vector view (glove.go; round 5, docs/BENCHMARKS.md): glove
	// × the texts' SIF vectors appended to the first dense space, gloveRW
	// × them to the re-weighted ones; 0 = gloveWeight / gloveRWWeight, -1
	// = not appended. sif chooses those text vectors (sif.dims 0 =
	// sifDims, -1 = all of the table's dimensions).
	glove      float64
	gloveRW    float64
	gloveJudge int // -1: judge "other" in the concatenated space, not in the first LSA space alone
	sif        sifOptions
}

// Namer gives themes human names from their keyphrases and quotes.
type Namer interface {
	NameThemes(ctx context.Context, themes []ThemeBrief) ([]ThemeName, error)
}

// ThemeBrief is what a Namer sees of one theme.
type ThemeBrief struct {
	Keyphrases []string
	Quotes     []string
}

// ThemeName is a Namer's answer for one theme.
type ThemeName struct {
	Label   string
	Summary string
}

// Result is the outcome of Analyze. Slices indexed by document follow the
// order of the input.
type Result struct {
	Themes      []Theme          `json:"themes"`
	Assignments []int            `json:"assignments"` // theme ID of each doc, -1 for "other"
	Sentiments  []SentimentScore `json:"sentiment"`
	Duplicates  [][]int          `json:"duplicates"` // groups of near-duplicate docs (indexes), each sorted
	Other       int              `json:"other"`      // number of docs in no theme
	Notices     []string         `json:"notices"`    // truncations, fallbacks and other things the caller should know
	Stats       Stats            `json:"stats"`
}

// Stats describe the run.
type Stats struct {
	Rows      int    `json:"rows"`
	ComputeMS int64  `json:"compute_ms"`
	Embedder  string `json:"embedder"` // "local-lsa" (the local engine: LSA and the word-vector view) or "model"
	Features  int    `json:"features"`
}

// Theme is one cluster of docs.
type Theme struct {
	ID         int          `json:"id"`
	Label      string       `json:"label"`
	Summary    string       `json:"summary,omitempty"`
	Keyphrases []string     `json:"keyphrases"`
	Size       int          `json:"size"`
	Sentiment  SentimentMix `json:"sentiment"`
	Quotes     []int        `json:"quotes"` // doc indexes nearest the centre, best first
	Volume     []Bucket     `json:"volume,omitempty"`
	Emerging   bool         `json:"emerging"`
}

// SentimentMix counts the sentiment labels of a theme's docs.
type SentimentMix struct {
	Negative int     `json:"negative"`
	Neutral  int     `json:"neutral"`
	Positive int     `json:"positive"`
	Mean     float64 `json:"mean"`
}

// Bucket is a theme's volume in one period [Start, Start+period).
type Bucket struct {
	Start time.Time `json:"start"`
	Count int       `json:"count"`
}

func (o *Options) fill(n int) {
	if o.MaxK <= 0 {
		o.MaxK = 100
	}
	if o.MinThemeSize <= 0 {
		o.MinThemeSize = 3
		if n < 30 {
			o.MinThemeSize = 2
		}
	}
	switch {
	case o.OtherBelow == 0:
		o.OtherBelow = 0.15
	case o.OtherBelow < 0:
		o.OtherBelow = -2 // below any cosine: disabled
	}
	if o.MaxTextRunes == 0 {
		o.MaxTextRunes = DefaultMaxTextRunes
	}
	if o.Quotes <= 0 {
		o.Quotes = 3
	}
	if o.Keyphrases <= 0 {
		o.Keyphrases = 5
	}
	if o.ModelTimeout <= 0 {
		o.ModelTimeout = 60 * time.Second
	}
	if o.model.Dims == 0 {
		w := o.model
		o.model = DefaultModelOptions()
		o.model.bigramWeight, o.model.charWeight, o.model.sigmaPower, o.model.powerIters = w.bigramWeight, w.charWeight, w.sigmaPower, w.powerIters
	}
	o.model.Seed = o.Seed
	o.model.Workers = o.Workers
	o.model.MaxTextRunes = o.MaxTextRunes
	if n > 50000 {
		o.model.powerIters = 1
	}
	if n < 50 {
		// In a handful of texts a word seen once still describes its text.
		o.model.MinDF = 1
	}
}

// Analyze finds themes, sentiment and near-duplicates in docs.
func Analyze(ctx context.Context, docs []Doc, opts Options) (*Result, error) {
	start := time.Now()
	n := len(docs)
	opts.fill(n)
	if opts.K < 0 {
		return nil, errors.New("insight: K must not be negative")
	}
	progress := func(s string) {
		if opts.Progress != nil {
			opts.Progress(s)
		}
	}
	res := &Result{Themes: []Theme{}, Duplicates: [][]int{}, Notices: []string{}, Stats: Stats{Rows: n, Embedder: "local-lsa"}}
	texts := make([]string, n)
	for i, d := range docs {
		texts[i] = d.Text
	}

	progress("sentiment")
	// Every stage that reads words shares one tokenisation.
	tk := tokenizeAll(texts, opts.MaxTextRunes, opts.Workers)
	res.Sentiments = sentiments(tk, opts.Workers)

	progress("vectors")
	model, x, truncated, err := fitTokens(ctx, tk, opts.model)
	if err != nil {
		return nil, err
	}
	if truncated > 0 {
		res.Notices = append(res.Notices, fmt.Sprintf("%d text(s) longer than %d characters were truncated", truncated, opts.MaxTextRunes))
	}
	res.Stats.Features = len(model.idf)
	d := model.dims
	vec := model.project(x)
	// Texts without a single known word belong to no theme, whatever a
	// model server makes of them.
	live := make([]int, 0, n)
	for i := range n {
		if !isZero(vec[i*d : (i+1)*d]) {
			live = append(live, i)
		}
	}
	smooth := true
	if opts.Embedder != nil {
		progress("embeddings (model server)")
		if ev, ed, err := embedAll(ctx, opts.Embedder, texts, opts.ModelTimeout); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res.Notices = append(res.Notices, "model server embeddings failed, used the local engine instead: "+err.Error())
		} else {
			vec, d, smooth = ev, ed, false
			res.Stats.Embedder = "model"
		}
	}

	var sem []float32 // the texts' SIF vectors (word-vector view), if used
	if opts.tune.gloveFirst() > 0 && smooth && len(live) > 0 {
		wv, err := glove()
		if err != nil {
			return nil, err
		}
		so := opts.tune.sif
		if so.dims == 0 {
			so.dims = sifDims
		}
		sem = sifVectors(wv, tk.toks, so, opts.Workers)
		if w := opts.tune.gloveFirst(); w > 0 {
			sd := len(sem) / n
			vec, d = appendView(vec, d, sem, sd, w), d+sd
		}
	}

	progress("themes")
	th, err := findThemes(ctx, model, x, vec, d, live, smooth, sem, &opts, progress)
	if err != nil {
		return nil, err
	}
	res.Assignments = th.assign

	progress("themes: labels")
	buildThemes(res, model, x, th.vec, th.d, th.cent, th.k, docs, texts, opts)

	progress("duplicates")
	res.Duplicates = nearDuplicateTokens(tk.toks, uint64(opts.Seed), opts.Workers)

	if opts.Namer != nil && len(res.Themes) > 0 {
		progress("theme names (model server)")
		if err := nameThemes(ctx, res, texts, opts); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res.Notices = append(res.Notices, "model server theme naming failed, kept the local labels: "+err.Error())
		}
	}
	res.Stats.ComputeMS = time.Since(start).Milliseconds()
	return res, nil
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// embedAll calls an Embedder and checks its answer; vectors are normalised.
func embedAll(ctx context.Context, e Embedder, texts []string, timeout time.Duration) ([]float32, int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	vs, err := e.Embed(ctx, texts)
	if err != nil {
		return nil, 0, err
	}
	if len(vs) != len(texts) {
		return nil, 0, fmt.Errorf("got %d vectors for %d texts", len(vs), len(texts))
	}
	if len(texts) == 0 {
		return nil, 0, nil
	}
	d := len(vs[0])
	if d == 0 {
		return nil, 0, errors.New("empty vectors")
	}
	out := make([]float32, len(vs)*d)
	for i, v := range vs {
		if len(v) != d {
			return nil, 0, fmt.Errorf("vector %d has %d dimensions, want %d", i, len(v), d)
		}
		copy(out[i*d:], v)
		normalize32(out[i*d : (i+1)*d])
	}
	return out, d, nil
}

// buildThemes turns the assignments into themes: drops small clusters,
// numbers themes by size, and computes their descriptions.
func buildThemes(res *Result, m *Model, x *csr, vec []float32, d int, cent []float32, k int, docs []Doc, texts []string, opts Options) {
	size := make([]int, k)
	for _, a := range res.Assignments {
		if a >= 0 {
			size[a]++
		}
	}
	order := make([]int, 0, k)
	for c := 0; c < k; c++ {
		if size[c] >= opts.MinThemeSize {
			order = append(order, c)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return size[order[i]] > size[order[j]] })
	newID := make([]int, k)
	for i := range newID {
		newID[i] = -1
	}
	for id, c := range order {
		newID[c] = id
	}
	members := make([][]int, len(order))
	for i, a := range res.Assignments {
		if a >= 0 {
			a = newID[a]
			res.Assignments[i] = a
		}
		if a >= 0 {
			members[a] = append(members[a], i)
		} else {
			res.Other++
		}
	}
	keys := keyphrases(m, x, res.Assignments, len(order), opts.Keyphrases)
	centres := make([][]float32, len(order))
	for id, c := range order {
		centres[id] = cent[c*d : (c+1)*d]
	}
	labels := phraseLabels(texts, members, vec, d, centres, opts.MaxTextRunes)
	tl := newTimeline(docs)
	for id := range order {
		t := Theme{ID: id, Size: len(members[id]), Keyphrases: keys[id], Label: labels[id]}
		if t.Label == "" {
			t.Label = labelFrom(keys[id])
		}
		centre := centres[id]
		t.Quotes = quotes(members[id], vec, d, centre, texts, opts.Quotes)
		for _, i := range members[id] {
			s := res.Sentiments[i]
			switch s.Label {
			case Negative:
				t.Sentiment.Negative++
			case Positive:
				t.Sentiment.Positive++
			default:
				t.Sentiment.Neutral++
			}
			t.Sentiment.Mean += s.Score
		}
		if t.Size > 0 {
			t.Sentiment.Mean = math.Round(t.Sentiment.Mean/float64(t.Size)*1000) / 1000
		}
		if tl != nil {
			t.Volume, t.Emerging = tl.volume(members[id])
		}
		res.Themes = append(res.Themes, t)
	}
}

// labelFrom makes a short label of the first two keyphrases that do not
// repeat each other.
func labelFrom(keys []string) string {
	if len(keys) == 0 {
		return "(no label)"
	}
	label := keys[0]
	for _, k := range keys[1:] {
		if !overlaps(k, keys[0]) {
			return label + " / " + k
		}
	}
	return label
}

func overlaps(a, b string) bool {
	for _, w := range strings.Fields(a) {
		for _, v := range strings.Fields(b) {
			if w == v {
				return true
			}
		}
	}
	return false
}

// keyphrases scores word and bigram features per theme by how much more
// frequent they are inside the theme than overall (a c-TF-IDF variant).
func keyphrases(m *Model, x *csr, assign []int, k, top int) [][]string {
	out := make([][]string, k)
	if k == 0 {
		return out
	}
	// Features are ordered by kind: words and bigrams come before char
	// n-grams, which make no keyphrases.
	nf := 0
	for nf < len(m.kind) && m.kind[nf] != featChar {
		nf++
	}
	inTheme := make([][]float64, k)
	df := make([][]int32, k)
	for c := range inTheme {
		inTheme[c] = make([]float64, nf)
		df[c] = make([]int32, nf)
	}
	all := make([]float64, nf)
	var allTot float64
	tot := make([]float64, k)
	for i := 0; i < x.rows; i++ {
		a := assign[i]
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			f := x.ind[p]
			if int(f) >= nf {
				continue
			}
			v := float64(x.val[p])
			all[f] += v
			allTot += v
			if a >= 0 {
				inTheme[a][f] += v
				df[a][f]++
				tot[a] += v
			}
		}
	}
	for c := 0; c < k; c++ {
		type sc struct {
			f int32
			s float64
		}
		var cands []sc
		for f := 0; f < nf; f++ {
			if df[c][f] < 2 || inTheme[c][f] == 0 || (m.kind[f] == featWord && m.name[f] == "not") {
				continue
			}
			p := inTheme[c][f] / tot[c]
			q := all[f] / allTot
			s := p * math.Log(p/q)
			if m.kind[f] == featBigram {
				s *= 1.2 // phrases read better than single words
			}
			cands = append(cands, sc{int32(f), s})
		}
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].s != cands[j].s {
				return cands[i].s > cands[j].s
			}
			return cands[i].f < cands[j].f
		})
		var keys []string
		for _, cd := range cands {
			if len(keys) == top {
				break
			}
			name := m.featureName(cd.f)
			dup := false
			for _, k := range keys {
				if strings.Contains(" "+k+" ", " "+name+" ") || strings.Contains(" "+name+" ", " "+k+" ") {
					dup = true
					break
				}
			}
			if !dup {
				keys = append(keys, name)
			}
		}
		if keys == nil {
			keys = []string{}
		}
		out[c] = keys
	}
	return out
}

// quotes returns up to q members nearest the centre, skipping repeated texts.
func quotes(members []int, vec []float32, d int, centre []float32, texts []string, q int) []int {
	type ms struct {
		i int
		s float32
	}
	sc := make([]ms, len(members))
	for j, i := range members {
		sc[j] = ms{i, dot32(vec[i*d:(i+1)*d], centre)}
	}
	sort.Slice(sc, func(a, b int) bool {
		if sc[a].s != sc[b].s {
			return sc[a].s > sc[b].s
		}
		return sc[a].i < sc[b].i
	})
	out := []int{}
	seen := map[string]bool{}
	for _, s := range sc {
		if len(out) == q {
			break
		}
		key := strings.ToLower(strings.Join(strings.Fields(texts[s.i]), " "))
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, s.i)
	}
	return out
}

func nameThemes(ctx context.Context, res *Result, texts []string, opts Options) error {
	ctx, cancel := context.WithTimeout(ctx, opts.ModelTimeout)
	defer cancel()
	briefs := make([]ThemeBrief, len(res.Themes))
	for i, t := range res.Themes {
		briefs[i].Keyphrases = t.Keyphrases
		for _, q := range t.Quotes {
			briefs[i].Quotes = append(briefs[i].Quotes, texts[q])
		}
	}
	names, err := opts.Namer.NameThemes(ctx, briefs)
	if err != nil {
		return err
	}
	if len(names) != len(res.Themes) {
		return fmt.Errorf("got %d names for %d themes", len(names), len(res.Themes))
	}
	for i, nm := range names {
		if l := strings.TrimSpace(nm.Label); l != "" {
			res.Themes[i].Label = l
		}
		res.Themes[i].Summary = strings.TrimSpace(nm.Summary)
	}
	return nil
}

package insight

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
)

// The theme stage of Analyze (docs/insight.md, method step 3).

const (
	clusterSample = 10000 // texts clustered directly; the rest are assigned to the nearest centre
	smoothNN      = 10    // neighbours in the kNN smoothing step
)

// themes is what the theme stage gives: k centres (rows of d) in the space
// of vec, which is the input space or, after re-weighting, a new LSA space,
// and the theme of every text in [0, k), -1 for "other".
type themes struct {
	assign []int
	cent   []float32
	k      int
	vec    []float32
	d      int
}

// findThemes clusters the live texts (those with a known word) into themes.
// x holds every text's sparse row, vec its vector (d wide). On a sample of
// at most clusterSample live texts it runs the kNN smoothing, the choice of
// k (opts.K, or automatic), k-means (over-clustering), the feature
// re-weighting and the word-mixture refinement; then every live text goes
// to its nearest centre, or to "other" when it is far from it. smooth is
// false for a model server's vectors, which have no sparse features for the
// smoothing, re-weighting and refinement to use.
func findThemes(ctx context.Context, model *Model, x *csr, vec []float32, d int, live []int, smooth bool, sem []float32, opts *Options, progress func(string)) (themes, error) {
	th := themes{assign: make([]int, x.rows), vec: vec, d: d}
	for i := range th.assign {
		th.assign[i] = -1
	}
	if len(live) == 0 {
		return th, nil
	}
	sample := live
	if len(live) > clusterSample {
		pick := sampleRows(len(live), clusterSample, uint64(opts.Seed))
		sample = make([]int, len(pick))
		for i, p := range pick {
			sample[i] = live[p]
		}
	}
	sx := gatherRows(vec, d, sample)
	var graph []int32
	if smooth && len(sample) > 2*smoothNN {
		sx, graph = knnSmoothGraph(sx, len(sample), d, smoothNN, 0.5, opts.Workers)
	}
	if err := ctx.Err(); err != nil {
		return th, err
	}
	k := opts.K
	if k == 0 {
		k = chooseK(sx, len(sample), d, opts.MaxK, uint64(opts.Seed), opts.Workers, opts.tune.k)
	}
	k = min(k, len(sample))
	// Over-clustering: kc clusters through k-means, re-weighting and
	// refinement, merged down to k by the refinement.
	kc, restarts := clusterPlan(k, len(sample), len(live), graph != nil, opts.tune)
	km := sphericalKMeans(sx, len(sample), d, kc, restarts, 40, uint64(opts.Seed), opts.Workers)
	rounds := reweightRounds
	if opts.tune.reweight != 0 {
		rounds = max(0, opts.tune.reweight)
	}
	if !smooth {
		rounds = 0 // model-server vectors have no sparse features to weigh
	}
	vec0, d0 := vec, d                               // the space in which "far from every centre" is judged
	judgeApart := false                              // vec0 is not the final space vec
	view := sem != nil && opts.tune.gloveFirst() > 0 // sem appended to the dense spaces
	if view && opts.tune.gloveJudge >= 0 {
		// Judged in the first LSA space alone: the word vectors of a
		// text are not what makes it belong to no theme.
		sd := len(sem) / x.rows
		d0 = d - sd
		vec0 = leadingColumns(vec, d, d0)
		judgeApart = true
	}
	for r := 0; r < rounds && kc > 1; r++ {
		// Weigh the sparse features by how well they separate the
		// clusters found, refit the LSA space and cluster again.
		if err := ctx.Err(); err != nil {
			return th, err
		}
		progress("themes: re-weighting features")
		var err error
		vec, d, err = reweight(ctx, model, x, sample, km.assign, kc, opts.tune)
		if err != nil {
			return th, err
		}
		if w := cmp.Or(opts.tune.gloveRW, gloveRWWeight); view && w > 0 {
			sd := len(sem) / x.rows
			vec, d = appendView(vec, d, sem, sd, w), d+sd
		}
		judgeApart = true
		sx = gatherRows(vec, d, sample)
		if graph != nil {
			// Smooth over the first kNN graph: a new one costs another
			// all-pairs pass for no gain (docs/BENCHMARKS.md).
			sx = blendGraph(sx, len(sample), d, smoothNN, graph, 0.5, opts.Workers)
		}
		km = sphericalKMeans(sx, len(sample), d, kc, restarts, 40, uint64(opts.Seed)+uint64(r)+1, opts.Workers)
	}
	sweeps := dmmSweeps
	if opts.tune.dmm != 0 {
		sweeps = max(0, opts.tune.dmm)
	}
	if smooth && k > 1 && sweeps > 0 {
		st := &themeSample{opts: opts, model: model, x: x, sample: sample, sx: sx, d: d, progress: progress}
		km.assign = refineThemes(st, km.assign, kc, k, restarts, sweeps)
		if kc > k {
			km.sim = make([]float32, len(sample))
		}
		km.cent = centroids(sx, len(sample), d, k, km.assign, km.sim, opts.Workers)
	}
	if opts.tune.partition != nil {
		opts.tune.partition("final", sample, km.assign)
	}
	if err := ctx.Err(); err != nil {
		return th, err
	}
	progress("themes: assigning texts")
	var judge []float32
	if judgeApart {
		judge = vec0
	}
	th.cent = assignLive(th.assign, live, sample, km, k, vec, d, judge, d0, opts)
	th.k, th.vec, th.d = k, vec, d
	return th, nil
}

// leadingColumns returns the first c columns of the rows of x (d wide),
// unit length.
func leadingColumns(x []float32, d, c int) []float32 {
	n := len(x) / d
	out := make([]float32, n*c)
	for i := range n {
		copy(out[i*c:(i+1)*c], x[i*d:i*d+c])
		normalize32(out[i*c : (i+1)*c])
	}
	return out
}

// appendView returns the rows of x (d wide) with w × the rows of y (yd
// wide) appended, unit length. Rows zero in x stay zero (texts without a
// known word stay out of the themes).
func appendView(x []float32, d int, y []float32, yd int, w float64) []float32 {
	return concatRows(x, d, y, yd, w, true)
}

// joinView is appendView for search vectors: a row zero in x keeps its y
// part, so that a query in words the collection never used still finds the
// texts that mean the same.
func joinView(x []float32, d int, y []float32, yd int, w float64) []float32 {
	return concatRows(x, d, y, yd, w, false)
}

func concatRows(x []float32, d int, y []float32, yd int, w float64, dropZero bool) []float32 {
	n := len(x) / d
	out := make([]float32, n*(d+yd))
	for i := range n {
		o := out[i*(d+yd) : (i+1)*(d+yd)]
		if dropZero && isZero(x[i*d:(i+1)*d]) {
			continue
		}
		copy(o, x[i*d:(i+1)*d])
		for t, v := range y[i*yd : (i+1)*yd] {
			o[d+t] = float32(w) * v
		}
		normalize32(o)
	}
	return out
}

// clusterPlan gives the number of k-means clusters (k, or over·k when
// over-clustering, which needs the kNN graph and the refinement to merge
// them back) and of k-means restarts, for k themes on n sample texts out
// of nLive.
func clusterPlan(k, n, nLive int, graph bool, t tuneOptions) (kc, restarts int) {
	restarts = 5
	if n > 5000 {
		restarts = 3
	}
	if nLive > 3*clusterSample {
		restarts = 2
	}
	kc = k
	over := float64(overFactor)
	if t.over != 0 {
		over = t.over
	}
	if over > 1 && graph && k > 1 && t.dmm >= 0 {
		kc = min(n, int(math.Round(over*float64(k))))
		// Two over-clusterings of one k-means restart each, intersected
		// (refineThemes), beat one of several restarts at a lower cost.
		if t.restarts == 0 {
			restarts = overRestarts
		}
	}
	if t.restarts > 0 {
		restarts = t.restarts
	}
	return kc, restarts
}

// assignLive puts each live text (vectors vec, d wide) in the theme of its
// nearest centre of km (the sample's clustering) and writes it to
// assign[text] unless its cosine to its theme's centre is under
// opts.OtherBelow. That cosine is judged in the space judge (jd wide; nil =
// vec), the one before re-weighting: re-weighted vectors of texts made of
// common words are short on signal and would crowd the "other" bucket. It
// returns the themes' centres in vec's space.
func assignLive(assign, live, sample []int, km kmeansResult, k int, vec []float32, d int, judge []float32, jd int, opts *Options) []float32 {
	// Nearest centre in the unsmoothed space.
	lx := gatherRows(vec, d, live)
	la := make([]int, len(live))
	sim := make([]float32, len(live))
	if len(sample) == len(live) {
		copy(la, km.assign)
	} else {
		assignAll(lx, len(live), d, km.cent, k, la, sim, opts.Workers)
	}
	cent := centroids(lx, len(live), d, k, la, sim, opts.Workers)
	ox, ocent := lx, cent
	if judge == nil {
		jd = d
	} else {
		ox = gatherRows(judge, jd, live)
		ocent = centroids(ox, len(live), jd, k, la, sim, opts.Workers)
	}
	for i, a := range la {
		sim[i] = dot32(ox[i*jd:(i+1)*jd], ocent[a*jd:(a+1)*jd])
	}
	for i, doc := range live {
		if float64(sim[i]) >= opts.OtherBelow {
			assign[doc] = la[i]
		}
	}
	return cent
}

// themeSample is what the refinement of the theme stage works on: the
// clustered sample's sparse rows and (smoothed) vectors.
type themeSample struct {
	opts     *Options
	model    *Model
	x        *csr
	sample   []int     // indexes of the clustered texts
	sx       []float32 // their vectors, smoothed over the kNN graph
	d        int
	progress func(string)
}

// refineThemes moves the sample's texts (partition assign into kc clusters)
// to the cluster whose words and LSA centre fit them best (the word-mixture
// refinement: +0.02 NMI on BANKING77). When kc > k (over-clustering) it then
// intersects the refined clusters with a second over-clustering, merges the
// fragments down to k by word likelihood and refines again. Last, it refills
// clusters left empty or under the minimum theme size. It returns the
// sample's clusters in [0, k). The sampling sweeps at a falling temperature
// (tuneOptions.anneal) gained +0.008 NMI without over-clustering and
// nothing with it, so they are off by default. Figures: docs/BENCHMARKS.md.
func refineThemes(st *themeSample, assign []int, kc, k, restarts, sweeps int) []int {
	opts, sample, sx, d := st.opts, st.sample, st.sx, st.d
	st.progress("themes: word-mixture refinement")
	lambda := float64(dmmLambda)
	if opts.tune.lambda != 0 {
		lambda = max(0, opts.tune.lambda)
	}
	// The word and bigram features of the sample, numbered 0..v-1, for
	// every refinement and the merge.
	docs, v := dmmDocs(st.x.rowsOf(sample), st.model.kind)
	var temps []float64 // of the refinement at k
	if opts.tune.anneal {
		temps = annealTemps(dmmAnnealSweeps, dmmAnnealT0)
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0xa22))
	// The second seed's k-means (below) needs only the vectors: it runs
	// beside the refinement, whose passes are sequential.
	intersect := kc > k && opts.tune.intersect >= 0
	var second chan kmeansResult
	if intersect {
		second = make(chan kmeansResult, 1)
		go func() {
			second <- sphericalKMeans(sx, len(sample), d, kc, restarts, 40, uint64(opts.Seed)+7777, opts.Workers)
		}()
	}
	first := temps
	if kc > k {
		first = nil // the refinement at k is the one after the merge
	}
	assign = dmmAnneal(docs, v, assign, kc, sweeps, dmmAlpha, dmmBeta, sx, d, lambda, opts.Workers, first, rng)
	if kc > k {
		// The refinement empties about 40% of the kc clusters; merge
		// the rest down to k and refine again.
		if opts.tune.partition != nil {
			opts.tune.partition("over", sample, assign)
		}
		st.progress("themes: merging clusters")
		size := mergeSize
		if opts.tune.mergeSize != 0 {
			size = opts.tune.mergeSize
		}
		if math.IsNaN(size) {
			size = 0
		}
		kf := kc
		if intersect {
			// Split the clusters by a second seed's refined
			// over-clustering: its fragments are purer.
			km2 := <-second
			other := dmmAnneal(docs, v, km2.assign, kc, sweeps, dmmAlpha, dmmBeta, sx, d, lambda, opts.Workers, nil, rng)
			fm := opts.tune.fragMin
			if fm == 0 {
				fm = 3
			}
			assign, kf = intersectPartitions(assign, other, kc, kc, fm)
		}
		assign = mergeClusters(docs, v, dmmAlpha, dmmBeta, size, assign, kf, k)
		if opts.tune.partition != nil {
			opts.tune.partition("merged", sample, assign)
		}
		assign = dmmAnneal(docs, v, assign, k, sweeps, dmmAlpha, dmmBeta, sx, d, lambda, opts.Workers, temps, rng)
	}
	// The refinement (and the merge) can empty clusters or leave
	// them under the minimum theme size; split the most spread ones
	// to refill them and refine again, so that k gives k themes.
	for r := 0; r < refillRounds && opts.tune.refill >= 0; r++ {
		if refillClusters(sx, len(sample), d, assign, k, opts.MinThemeSize, uint64(opts.Seed)+uint64(r)*1000, opts.Workers) == 0 {
			break
		}
		rs := refillSweeps
		if opts.tune.refillSweeps > 0 {
			rs = opts.tune.refillSweeps
		}
		assign = dmmRefine(docs, v, assign, k, rs, dmmAlpha, dmmBeta, sx, d, lambda, opts.Workers)
	}
	return assign
}

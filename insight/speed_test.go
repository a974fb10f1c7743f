package insight

import (
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// randomUnitRows returns n unit rows of d dimensions, with every fifth row a
// copy of an earlier one (ties of the cosine).
func randomUnitRows(n, d int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		if i > 0 && i%5 == 0 {
			copy(row, x[rng.IntN(i)*d:])
			continue
		}
		for t := range row {
			row[t] = float32(rng.NormFloat64())
		}
		normalize32(row)
	}
	return x
}

// TestKNNGraphMatchesAllPairs: the tiled upper-triangle kNN pass gives the
// graph and smoothed rows of the plain pass (all similarities of each row by
// dot4, topK), bit for bit, for any number of goroutines.
func TestKNNGraphMatchesAllPairs(t *testing.T) {
	for _, c := range []struct{ n, d int }{{25, 7}, {300, 50}, {1000, 33}} {
		x := randomUnitRows(c.n, c.d, uint64(c.n))
		const nn = 10
		// The plain pass.
		want := make([]float32, len(x))
		wantG := make([]int32, c.n*nn)
		sims := make([]float32, c.n)
		var top []int
		for i := 0; i < c.n; i++ {
			for j := 0; j < c.n; j++ {
				sims[j], _, _, _ = dot4(x[i*c.d:(i+1)*c.d], x[:c.d], x[:c.d], x[:c.d], x[j*c.d:(j+1)*c.d])
			}
			sims[i] = -2
			top = topK(sims, nn, top[:0])
			o := want[i*c.d : (i+1)*c.d]
			for t, v := range x[i*c.d : (i+1)*c.d] {
				o[t] = 0.5 * v
			}
			for q, j := range top {
				wantG[i*nn+q] = int32(j)
				axpy32(o, x[j*c.d:(j+1)*c.d], 0.5/float32(len(top)))
			}
			normalize32(o)
		}
		for _, workers := range []int{1, 2, 3} {
			got, g := knnSmoothGraph(x, c.n, c.d, nn, 0.5, workers)
			for i := range wantG {
				if g[i] != wantG[i] {
					t.Fatalf("n %d workers %d: neighbour %d of row %d is %d, want %d", c.n, workers, i%nn, i/nn, g[i], wantG[i])
				}
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n %d workers %d: smoothed value %d is %v, want %v", c.n, workers, i, got[i], want[i])
				}
			}
		}
	}
}

// TestLloydBoundsMatchPlainLloyd: the Lloyd iterations with Hamerly's
// bounds give the assignments, cosines, centres and objective of the plain
// iterations (a full scan of the centres for every row), bit for bit.
func TestLloydBoundsMatchPlainLloyd(t *testing.T) {
	for _, c := range []struct{ n, d, k int }{{500, 20, 7}, {3000, 50, 60}, {2000, 16, 3}} {
		x := randomUnitRows(c.n, c.d, uint64(c.k))
		// Pull the rows towards a few directions so that the clusters
		// settle over several iterations.
		for i := 0; i < c.n; i++ {
			row := x[i*c.d : (i+1)*c.d]
			row[i%5] += 1.5
			normalize32(row)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		cent := seedPlusPlus(x, c.n, c.d, c.k, rng, 2)
		got := lloyd(x, c.n, c.d, c.k, cent, 40, 2)
		// The plain iterations.
		assign := make([]int, c.n)
		sim := make([]float32, c.n)
		obj := assignAll(x, c.n, c.d, cent, c.k, assign, sim, 2)
		iters := 0
		for it := 0; it < 40; it++ {
			iters++
			cent = centroids(x, c.n, c.d, c.k, assign, sim, 2)
			nobj := assignAll(x, c.n, c.d, cent, c.k, assign, sim, 2)
			if nobj-obj <= 1e-5*math.Abs(obj) {
				obj = nobj
				break
			}
			obj = nobj
		}
		cent = centroids(x, c.n, c.d, c.k, assign, sim, 2)
		obj = assignAll(x, c.n, c.d, cent, c.k, assign, sim, 2)
		if got.obj != obj {
			t.Fatalf("%+v: objective %v, want %v (%d iterations)", c, got.obj, obj, iters)
		}
		for i := range assign {
			if got.assign[i] != assign[i] || got.sim[i] != sim[i] {
				t.Fatalf("%+v: row %d in %d at %v, want %d at %v", c, i, got.assign[i], got.sim[i], assign[i], sim[i])
			}
		}
		for i := range cent {
			if got.cent[i] != cent[i] {
				t.Fatalf("%+v: centre value %d differs", c, i)
			}
		}
		if iters < 3 {
			t.Fatalf("%+v: only %d iterations; the bounds were not exercised", c, iters)
		}
	}
}

// TestBlockedKernelsMatchPlainLoops: the LSA products and the projection,
// which add four terms per pass, give the sums of the plain loops (one term
// per pass, in order), bit for bit.
func TestBlockedKernelsMatchPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const rows, cols, l = 300, 200, 13
	x := &csr{rows: rows, cols: cols, indptr: make([]int, rows+1)}
	for i := 0; i < rows; i++ {
		for f := 0; f < cols; f++ {
			if rng.IntN(10) < i%7 {
				x.ind = append(x.ind, int32(f))
				x.val = append(x.val, float32(rng.Float64()))
			}
		}
		x.indptr[i+1] = len(x.ind)
	}
	b := make([]float64, cols*l)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	got := x.mulDense(b, l, 2, nil)
	for i := 0; i < rows; i++ {
		want := make([]float64, l)
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			for k := range want {
				want[k] += float64(x.val[p]) * b[int(x.ind[p])*l+k]
			}
		}
		for k, v := range want {
			if got[i*l+k] != v {
				t.Fatalf("mulDense (%d, %d) = %v, want %v", i, k, got[i*l+k], v)
			}
		}
	}
	a := got // rows × l, with zero rows (i%7 == 0)
	g := gram(a, rows, l, 2)
	for p := 0; p < l; p++ {
		for q := p; q < l; q++ {
			want := 0.0
			for i := 0; i < rows; i++ {
				if a[i*l+p] != 0 {
					want += a[i*l+p] * a[i*l+q]
				}
			}
			if g[p*l+q] != want || g[q*l+p] != want {
				t.Fatalf("gram (%d, %d) = %v, want %v", p, q, g[p*l+q], want)
			}
		}
	}
	const m = 9
	tm := b[:l*m]
	ms := mulSmall(a, rows, l, tm, m, 2, make([]float64, 1))
	for i := 0; i < rows; i++ {
		for k := 0; k < m; k++ {
			want := 0.0
			for p := 0; p < l; p++ {
				if a[i*l+p] != 0 {
					want += a[i*l+p] * tm[p*m+k]
				}
			}
			if ms[i*m+k] != want {
				t.Fatalf("mulSmall (%d, %d) = %v, want %v", i, k, ms[i*m+k], want)
			}
		}
	}
	const d = 11
	mod := &Model{dims: d, proj: make([]float32, cols*d)}
	for i := range mod.proj {
		mod.proj[i] = float32(rng.NormFloat64())
	}
	pr := mod.project(x)
	for i := 0; i < rows; i++ {
		want := make([]float32, d)
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			axpy32(want, mod.proj[int(x.ind[p])*d:int(x.ind[p]+1)*d], x.val[p])
		}
		normalize32(want)
		for k, v := range want {
			if pr[i*d+k] != v {
				t.Fatalf("project (%d, %d) = %v, want %v", i, k, pr[i*d+k], v)
			}
		}
	}
}

// dmmAnnealPlain is the refinement before its speed-ups (centre cosines
// inside the sequential pass, both clusters' tables recomputed for every
// row, a count row for every feature): the reference of
// TestDMMAnnealMatchesPlain.
func dmmAnnealPlain(docs [][]int32, v int, assign []int, k, sweeps int, alpha, beta float64, vx []float32, d int, lambda float64, workers int, temps []float64, rng *rand.Rand) []int {
	out := append([]int(nil), assign...)
	maxLen := 0
	for _, doc := range docs {
		maxLen = max(maxLen, len(doc))
	}
	m := make([]int, k)       // texts per cluster
	nz := make([]int, k)      // features per cluster
	nzw := make([]int32, v*k) // feature × cluster counts
	for i, doc := range docs {
		c := out[i]
		m[c]++
		nz[c] += len(doc)
		for _, w := range doc {
			nzw[int(w)*k+c]++
		}
	}
	// Tables: log(c + beta) for a count c (a count only grows by moving a
	// text that has the feature, so it stays ≤ the number of rows), and per
	// cluster the sums Σ_{j<L} log(nz + V·beta + j) for every text length L.
	logCount := make([]float64, len(docs)+1)
	for c := range logCount {
		logCount[c] = math.Log(float64(c) + beta)
	}
	vb := float64(v) * beta
	prefix := make([]float64, k*(maxLen+1))
	logM := make([]float64, k)
	update := func(z int) {
		p := prefix[z*(maxLen+1) : (z+1)*(maxLen+1)]
		for j := 0; j < maxLen; j++ {
			p[j+1] = p[j] + math.Log(float64(nz[z])+vb+float64(j))
		}
		logM[z] = math.Log(float64(m[z]) + alpha)
	}
	for z := 0; z < k; z++ {
		update(z)
	}
	score := make([]float64, k)
	sim := make([]float32, len(docs))
	for s := 0; s < len(temps)+sweeps; s++ {
		temp := 0.0
		if s < len(temps) {
			temp = temps[s]
		}
		var cent []float32
		if lambda > 0 {
			cent = centroids(vx, len(docs), d, k, out, sim, workers)
		}
		moved := 0
		for i, doc := range docs {
			if len(doc) == 0 {
				continue
			}
			c := out[i]
			m[c]--
			nz[c] -= len(doc)
			for _, w := range doc {
				nzw[int(w)*k+c]--
			}
			update(c)
			l := len(doc)
			for z := 0; z < k; z++ {
				score[z] = logM[z] - prefix[z*(maxLen+1)+l]
			}
			for _, w := range doc {
				for z, cnt := range nzw[int(w)*k : (int(w)+1)*k] {
					score[z] += logCount[cnt]
				}
			}
			if lambda > 0 {
				xi := vx[i*d : (i+1)*d]
				for z := 0; z < k; z++ {
					score[z] += lambda * float64(dot32(xi, cent[z*d:(z+1)*d]))
				}
			}
			best := chooseCluster(score, c, temp, rng)
			if best != c {
				moved++
			}
			out[i] = best
			m[best]++
			nz[best] += len(doc)
			for _, w := range doc {
				nzw[int(w)*k+best]++
			}
			update(best)
		}
		if moved == 0 && temp == 0 {
			break
		}
	}
	return out
}

// TestDMMAnnealMatchesPlain: the refinement gives the partition of the plain
// one, with and without the cosine term and the sampling sweeps.
func TestDMMAnnealMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, v, k, d = 600, 400, 12, 8
	docs := make([][]int32, n)
	start := make([]int, n)
	for i := range docs {
		topic := i % k
		for range rng.IntN(12) {
			w := int32(rng.IntN(30))
			if rng.IntN(3) > 0 {
				w = int32(30 + topic*25 + rng.IntN(25))
			}
			docs[i] = append(docs[i], w)
		}
		start[i] = rng.IntN(k)
	}
	vx := randomUnitRows(n, d, 9)
	for _, c := range []struct {
		lambda float64
		temps  []float64
	}{{0, nil}, {10, nil}, {10, annealTemps(4, 3)}} {
		want := dmmAnnealPlain(docs, v, start, k, 5, 0.1, 0.1, vx, d, c.lambda, 2, c.temps, rand.New(rand.NewPCG(1, 1)))
		got := dmmAnneal(docs, v, start, k, 5, 0.1, 0.1, vx, d, c.lambda, 2, c.temps, rand.New(rand.NewPCG(1, 1)))
		moved := 0
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("lambda %v temps %v: row %d in %d, want %d", c.lambda, c.temps, i, got[i], want[i])
			}
			if want[i] != start[i] {
				moved++
			}
		}
		if moved < n/4 {
			t.Fatalf("lambda %v: only %d rows moved; the test shows little", c.lambda, moved)
		}
	}
}

// nearDuplicatesPlain is nearDuplicates before its speed-ups (joined
// shingle strings, bands bucketed one after another in maps): the reference
// of TestNearDuplicatesMatchPlain.
func nearDuplicatesPlain(texts []string, maxRunes int, seed uint64, workers int) [][]int {
	n := len(texts)
	sigs := make([][minhashSize]uint64, n)
	has := make([]bool, n)
	forChunks(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			t, _ := Normalize(texts[i], maxRunes)
			toks := Tokenize(t)
			if len(toks) == 0 {
				continue
			}
			has[i] = true
			for h := range sigs[i] {
				sigs[i][h] = ^uint64(0)
			}
			shingle := func(s string) {
				base := stringHash(s)
				for h := range sigs[i] {
					v := mix64(base ^ (uint64(h+1) * 0x9e3779b97f4a7c15) ^ seed)
					if v < sigs[i][h] {
						sigs[i][h] = v
					}
				}
			}
			if len(toks) < 3 {
				shingle(strings.Join(toks, " "))
				continue
			}
			for j := 0; j+3 <= len(toks); j++ {
				shingle(toks[j] + " " + toks[j+1] + " " + toks[j+2])
			}
		}
	})
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for b := 0; b < minhashBands; b++ {
		buckets := map[[minhashRows]uint64][]int{}
		for i := 0; i < n; i++ {
			if !has[i] {
				continue
			}
			var key [minhashRows]uint64
			copy(key[:], sigs[i][b*minhashRows:(b+1)*minhashRows])
			buckets[key] = append(buckets[key], i)
		}
		for _, members := range buckets {
			if len(members) < 2 {
				continue
			}
			// Compare against the bucket's first few members only, which
			// keeps huge buckets of identical texts linear.
			for _, j := range members[1:] {
				for _, i := range members[:min(len(members), 4)] {
					if i >= j || find(i) == find(j) {
						continue
					}
					if minhashNear(&sigs[i], &sigs[j]) {
						ri, rj := find(i), find(j)
						if ri < rj {
							parent[rj] = ri
						} else {
							parent[ri] = rj
						}
					}
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := 0; i < n; i++ {
		if has[i] {
			r := find(i)
			groups[r] = append(groups[r], i)
		}
	}
	out := [][]int{}
	for _, g := range groups {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// TestNearDuplicatesMatchPlain: the near-duplicate groups are those of the
// plain pass, on texts with many near-duplicates (generated feedback with
// dropped and appended words), short texts and empty ones.
func TestNearDuplicatesMatchPlain(t *testing.T) {
	docs, _ := synthDocs(3000, 4)
	rng := rand.New(rand.NewPCG(5, 5))
	texts := make([]string, 0, 4000)
	for _, d := range docs {
		texts = append(texts, d.Text)
		if rng.IntN(3) == 0 {
			w := strings.Fields(d.Text)
			if len(w) > 4 {
				w = w[1:]
			}
			texts = append(texts, strings.Join(w, " ")+" please")
		}
	}
	texts = append(texts, "", "ok", "ok", "not ok", "!!!", "not ok")
	want := nearDuplicatesPlain(texts, 1000, 3, 2)
	if len(want) < 100 {
		t.Fatalf("only %d groups; the test shows little", len(want))
	}
	for _, workers := range []int{1, 2, 5} {
		if got := nearDuplicates(texts, 1000, 3, workers); !reflect.DeepEqual(got, want) {
			t.Fatalf("workers %d: %d groups, want %d", workers, len(got), len(want))
		}
	}
}

// featureWeightsPlain is featureWeights before its speed-ups (a dense
// feature × cluster table filled row by row): the reference of
// TestFeatureWeightsMatchPlain.
func featureWeightsPlain(x *csr, assign []int, k int, alpha, gamma float64) []float32 {
	mass := make([]float32, x.cols*k)
	size := make([]float64, k)
	for i := 0; i < x.rows; i++ {
		a := assign[i]
		size[a]++
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			mass[int(x.ind[p])*k+a] += x.val[p]
		}
	}
	prior := make([]float64, k)
	for c := range prior {
		prior[c] = size[c] / float64(x.rows)
	}
	w := make([]float32, x.cols)
	logk := math.Log(float64(k))
	for f := 0; f < x.cols; f++ {
		row := mass[f*k : (f+1)*k]
		tot := alpha
		for _, v := range row {
			tot += float64(v)
		}
		h := 0.0
		for c, v := range row {
			p := (float64(v) + alpha*prior[c]) / tot
			if p > 0 {
				h -= p * math.Log(p)
			}
		}
		w[f] = float32(math.Pow(math.Max(0, 1-h/logk), gamma))
	}
	return w
}

// TestFeatureWeightsMatchPlain: the column-wise, parallel feature weights
// are those of the row-wise pass, bit for bit, including features absent
// from the rows.
func TestFeatureWeightsMatchPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const rows, cols, k = 5000, 3000, 40
	x := &csr{rows: rows, cols: cols, indptr: make([]int, rows+1)}
	assign := make([]int, rows)
	for i := 0; i < rows; i++ {
		assign[i] = rng.IntN(k)
		for f := 0; f < cols-500; f++ { // the last 500 features never occur
			if rng.IntN(400) == 0 || (f%k == assign[i] && rng.IntN(20) == 0) {
				x.ind = append(x.ind, int32(f))
				x.val = append(x.val, float32(rng.Float64()))
			}
		}
		x.indptr[i+1] = len(x.ind)
	}
	want := featureWeightsPlain(x, assign, k, 1, 1)
	for _, workers := range []int{1, 3} {
		got := featureWeights(x, assign, k, 1, 1, workers)
		for f := range want {
			if got[f] != want[f] {
				t.Fatalf("workers %d: weight of feature %d is %v, want %v", workers, f, got[f], want[f])
			}
		}
	}
}

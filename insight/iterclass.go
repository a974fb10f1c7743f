package insight

import (
	"math"
	"math/rand/v2"
	"sort"
)

// iterParams configure iterClassify (Rakib et al. 2020, "Enhancement of short
// text clustering by iterative classification").
type iterParams struct {
	iters    int     // maximum iterations
	outlier  float64 // fraction of each cluster dropped as outliers (lowest cosine to its centre)
	sample   float64 // fraction of the mean cluster size drawn per cluster for training
	stop     float64 // stop when fewer than this fraction of the texts change label
	lambda   float64 // weight of the cosine to the centre of the training members
	beta     float64 // pseudo-count of the naive Bayes features
	centroid bool    // nearest-centroid classifier only (no naive Bayes term)
	all      bool    // re-label the training texts too
	vote     bool    // final label = most frequent over the second half of the iterations

	lr     bool    // multinomial logistic regression instead of naive Bayes
	epochs int     // its SGD epochs per iteration
	eta    float64 // its learning rate
	dense  float64 // weight of the dense vector among its features (0 = sparse only)
	chars  bool    // its features include the char n-grams
}

// sparseRows holds, per row, the TF-IDF values of a subset of the features.
type sparseRows struct {
	ind [][]int32
	val [][]float32
	v   int
}

func selectFeatures(x *csr, kind []uint8, chars bool) sparseRows {
	col := make([]int32, x.cols)
	var s sparseRows
	for f := range col {
		col[f] = -1
		if chars || kind[f] != featChar {
			col[f] = int32(s.v)
			s.v++
		}
	}
	s.ind = make([][]int32, x.rows)
	s.val = make([][]float32, x.rows)
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			if c := col[x.ind[p]]; c >= 0 {
				s.ind[i] = append(s.ind[i], c)
				s.val[i] = append(s.val[i], x.val[p])
			}
		}
	}
	return s
}

// softmaxModel is a multinomial logistic regression over sparse features and
// a dense vector.
type softmaxModel struct {
	k, d   int
	ws, wd []float32 // v × k, d × k
	b      []float32
	dense  float32
}

func (m *softmaxModel) scores(sr *sparseRows, vx []float32, i int, out []float64) {
	k := m.k
	for c := range out {
		out[c] = float64(m.b[c])
	}
	for j, f := range sr.ind[i] {
		xv := float64(sr.val[i][j])
		for c, w := range m.ws[int(f)*k : (int(f)+1)*k] {
			out[c] += xv * float64(w)
		}
	}
	if m.dense > 0 {
		for t, xv := range vx[i*m.d : (i+1)*m.d] {
			xv *= m.dense
			for c, w := range m.wd[t*k : (t+1)*k] {
				out[c] += float64(xv * w)
			}
		}
	}
}

// fit trains the model afresh by SGD (no regularisation but few epochs) on
// the rows train with labels y.
func (m *softmaxModel) fit(sr *sparseRows, vx []float32, train []int, y []int, epochs int, eta float64, rng *rand.Rand) {
	clear(m.ws)
	clear(m.wd)
	clear(m.b)
	k := m.k
	sc := make([]float64, k)
	order := append([]int(nil), train...)
	for e := 0; e < epochs; e++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			m.scores(sr, vx, i, sc)
			mx := sc[0]
			for _, v := range sc {
				mx = max(mx, v)
			}
			z := 0.0
			for c, v := range sc {
				sc[c] = math.Exp(v - mx)
				z += sc[c]
			}
			for c := range sc {
				sc[c] /= z // probability, then gradient
			}
			sc[y[i]]--
			for c := range sc {
				sc[c] *= eta
				m.b[c] -= float32(sc[c])
			}
			for j, f := range sr.ind[i] {
				xv := float64(sr.val[i][j])
				w := m.ws[int(f)*k : (int(f)+1)*k]
				for c := range w {
					w[c] -= float32(sc[c] * xv)
				}
			}
			if m.dense > 0 {
				for t, xv := range vx[i*m.d : (i+1)*m.d] {
					xv *= m.dense
					w := m.wd[t*k : (t+1)*k]
					for c := range w {
						w[c] -= float32(sc[c] * float64(xv))
					}
				}
			}
		}
	}
}

// wordDocs lists, per row of x, the indexes of its word and bigram features
// among those features (binary); v is their number.
func wordDocs(x *csr, kind []uint8) (docs [][]int32, v int) {
	col := make([]int32, x.cols)
	for f := range col {
		col[f] = -1
		if kind[f] != featChar {
			col[f] = int32(v)
			v++
		}
	}
	docs = make([][]int32, x.rows)
	for i := 0; i < x.rows; i++ {
		for p := x.indptr[i]; p < x.indptr[i+1]; p++ {
			if c := col[x.ind[p]]; c >= 0 {
				docs[i] = append(docs[i], c)
			}
		}
	}
	return docs, v
}

// iterClassify improves a partition by iterative classification: in each
// iteration it drops the outliers of every cluster (the members least similar
// to its centre in vx), draws a balanced random training set from the rest
// (the same number of texts from each cluster, at most sample × the mean
// cluster size), trains a multinomial naive Bayes classifier over the binary
// word and bigram features plus lambda × the cosine to the centre of the
// training members, and re-labels the other texts with it. It stops after
// iters iterations or when fewer than stop × n texts change label.
func iterClassify(x *csr, kind []uint8, vx []float32, d int, assign []int, k int, p iterParams, seed uint64, workers int) []int {
	n := x.rows
	out := append([]int(nil), assign...)
	docs, v := wordDocs(x, kind)
	rng := rand.New(rand.NewPCG(seed, 0x17e4))
	train := make([]bool, n)
	sim := make([]float32, n)
	members := make([][]int, k)
	nzw := make([]float32, v*k)
	logT := make([]float32, v*k)
	nz := make([]float64, k)
	var sr sparseRows
	var lm *softmaxModel
	if p.lr {
		sr = selectFeatures(x, kind, p.chars)
		lm = &softmaxModel{k: k, d: d, ws: make([]float32, sr.v*k), wd: make([]float32, d*k), b: make([]float32, k), dense: float32(p.dense)}
	}
	var votes []int32
	if p.vote {
		votes = make([]int32, n*k)
	}
	for it := 0; it < p.iters; it++ {
		cent := centroids(vx, n, d, k, out, sim, workers)
		for c := range members {
			members[c] = members[c][:0]
		}
		for i := 0; i < n; i++ {
			sim[i] = dot32(vx[i*d:(i+1)*d], cent[out[i]*d:(out[i]+1)*d])
			members[out[i]] = append(members[out[i]], i)
			train[i] = false
		}
		quota := int(math.Ceil(p.sample * float64(n) / float64(k)))
		for c, mem := range members {
			if len(mem) == 0 {
				continue
			}
			sort.SliceStable(mem, func(a, b int) bool { return sim[mem[a]] > sim[mem[b]] })
			keep := len(mem) - int(p.outlier*float64(len(mem)))
			keep = max(keep, 1)
			in := mem[:keep]
			rng.Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
			for _, i := range in[:min(len(in), quota)] {
				train[i] = true
			}
			members[c] = mem
		}
		// Train: feature counts and centres of the training texts.
		clear(nzw)
		clear(nz)
		tcent := make([]float32, k*d)
		for i := 0; i < n; i++ {
			if !train[i] {
				continue
			}
			c := out[i]
			for _, w := range docs[i] {
				nzw[int(w)*k+c]++
			}
			nz[c] += float64(len(docs[i]))
			axpy32(tcent[c*d:(c+1)*d], vx[i*d:(i+1)*d], 1)
		}
		for c := 0; c < k; c++ {
			normalize32(tcent[c*d : (c+1)*d])
		}
		if p.lr {
			var tr []int
			for i := 0; i < n; i++ {
				if train[i] {
					tr = append(tr, i)
				}
			}
			lm.fit(&sr, vx, tr, out, p.epochs, p.eta, rng)
		} else if !p.centroid {
			for w := 0; w < v; w++ {
				for c := 0; c < k; c++ {
					logT[w*k+c] = float32(math.Log((float64(nzw[w*k+c]) + p.beta) / (nz[c] + float64(v)*p.beta)))
				}
			}
		}
		next := append([]int(nil), out...)
		moved := make([]int, numChunks(n))
		forChunks(n, workers, func(ch, lo, hi int) {
			score := make([]float64, k)
			for i := lo; i < hi; i++ {
				if train[i] && !p.all {
					continue
				}
				clear(score)
				if p.lr {
					lm.scores(&sr, vx, i, score)
				} else if !p.centroid {
					if len(docs[i]) == 0 {
						continue
					}
					for _, w := range docs[i] {
						for c, l := range logT[int(w)*k : (int(w)+1)*k] {
							score[c] += float64(l)
						}
					}
				}
				xi := vx[i*d : (i+1)*d]
				lam := p.lambda
				if p.centroid {
					lam = 1
				}
				for c := 0; c < k; c++ {
					score[c] += lam * float64(dot32(xi, tcent[c*d:(c+1)*d]))
				}
				best := out[i]
				for c, s := range score {
					if s > score[best] {
						best = c
					}
				}
				if best != out[i] {
					moved[ch]++
				}
				next[i] = best
			}
		})
		out = next
		if votes != nil && it >= p.iters/2 {
			for i, c := range out {
				votes[i*k+c]++
			}
		}
		total := 0
		for _, m := range moved {
			total += m
		}
		if float64(total) < p.stop*float64(n) {
			break
		}
	}
	if votes != nil {
		for i := range out {
			row := votes[i*k : (i+1)*k]
			best := out[i]
			for c, v := range row {
				if v > row[best] {
					best = c
				}
			}
			out[i] = best
		}
	}
	return out
}

// refillEmpty gives each empty cluster of assign (k clusters over the unit
// rows vx, n × d) half of a non-empty one: the cluster with the largest sum
// of (1 − cosine to its centre), the one that loses most to its spread, is
// split in two by spherical 2-means. It returns how many clusters it
// refilled.
func refillEmpty(vx []float32, n, d int, assign []int, k int, seed uint64, workers int) int {
	return refillEmptyBy(vx, n, d, assign, k, seed, workers, false)
}

func refillEmptyBy(vx []float32, n, d int, assign []int, k int, seed uint64, workers int, largest bool) int {
	size := make([]int, k)
	for _, a := range assign {
		size[a]++
	}
	refilled := 0
	for e := 0; e < k; e++ {
		if size[e] > 0 {
			continue
		}
		sim := make([]float32, n)
		cent := centroids(vx, n, d, k, assign, sim, workers)
		loss := make([]float64, k)
		for i, a := range assign {
			loss[a] += 1 - float64(dot32(vx[i*d:(i+1)*d], cent[a*d:(a+1)*d]))
			if largest {
				loss[a] = float64(size[a])
			}
		}
		big := -1
		for c := 0; c < k; c++ {
			if size[c] >= 4 && (big < 0 || loss[c] > loss[big]) {
				big = c
			}
		}
		if big < 0 {
			break
		}
		var mem []int
		for i, a := range assign {
			if a == big {
				mem = append(mem, i)
			}
		}
		km := sphericalKMeans(gatherRows(vx, d, mem), len(mem), d, 2, 3, 20, seed+uint64(e), 1)
		for j, i := range mem {
			if km.assign[j] == 1 {
				assign[i] = e
				size[big]--
				size[e]++
			}
		}
		if size[e] > 0 {
			refilled++
		}
	}
	return refilled
}

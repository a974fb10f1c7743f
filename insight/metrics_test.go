package insight

import "math"

// Clustering agreement measures used by the quality evaluations. Labels of
// -1 (no theme) count as one more cluster.

func contingency(pred []int, truth []string) (table map[[2]int]int, ps, ts map[int]int, n int) {
	tid := map[string]int{}
	table = map[[2]int]int{}
	ps, ts = map[int]int{}, map[int]int{}
	for i := range pred {
		t, ok := tid[truth[i]]
		if !ok {
			t = len(tid)
			tid[truth[i]] = t
		}
		table[[2]int{pred[i], t}]++
		ps[pred[i]]++
		ts[t]++
		n++
	}
	return
}

// nmi is normalised mutual information with the arithmetic-mean
// normalisation (sklearn's default).
func nmi(pred []int, truth []string) float64 {
	table, ps, ts, n := contingency(pred, truth)
	N := float64(n)
	h := func(m map[int]int) float64 {
		s := 0.0
		for _, c := range m {
			p := float64(c) / N
			s -= p * math.Log(p)
		}
		return s
	}
	mi := 0.0
	for k, c := range table {
		pij := float64(c) / N
		mi += pij * math.Log(pij/(float64(ps[k[0]])/N*float64(ts[k[1]])/N))
	}
	hp, ht := h(ps), h(ts)
	if hp+ht == 0 {
		return 1
	}
	return 2 * mi / (hp + ht)
}

func ari(pred []int, truth []string) float64 {
	table, ps, ts, n := contingency(pred, truth)
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	var sij, sa, sb float64
	for _, c := range table {
		sij += c2(c)
	}
	for _, c := range ps {
		sa += c2(c)
	}
	for _, c := range ts {
		sb += c2(c)
	}
	exp := sa * sb / c2(n)
	mx := (sa + sb) / 2
	if mx == exp {
		return 1
	}
	return (sij - exp) / (mx - exp)
}

// hungarianAccuracy is the share of items whose cluster maps to their label
// under the best one-to-one matching of clusters to labels.
func hungarianAccuracy(pred []int, truth []string) float64 {
	table, ps, ts, n := contingency(pred, truth)
	pi := map[int]int{}
	for p := range ps {
		pi[p] = len(pi)
	}
	size := max(len(ps), len(ts))
	w := make([][]float64, size)
	for i := range w {
		w[i] = make([]float64, size)
	}
	for k, c := range table {
		w[pi[k[0]]][k[1]] = -float64(c)
	}
	_ = ts
	match := hungarian(w)
	total := 0.0
	for i, j := range match {
		total -= w[i][j]
	}
	return total / float64(n)
}

// hungarian solves the square assignment problem (minimum cost); it returns
// the column of each row.
func hungarian(a [][]float64) []int {
	n := len(a)
	u := make([]float64, n+1)
	v := make([]float64, n+1)
	p := make([]int, n+1)
	way := make([]int, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, n+1)
		used := make([]bool, n+1)
		for j := range minv {
			minv[j] = math.Inf(1)
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= n; j++ {
				if !used[j] {
					cur := a[i0-1][j-1] - u[i0] - v[j]
					if cur < minv[j] {
						minv[j], way[j] = cur, j0
					}
					if minv[j] < delta {
						delta, j1 = minv[j], j
					}
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
			if j0 == 0 {
				break
			}
		}
	}
	res := make([]int, n)
	for j := 1; j <= n; j++ {
		if p[j] > 0 {
			res[p[j]-1] = j - 1
		}
	}
	return res
}

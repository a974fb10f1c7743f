package insight

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestTuneMergeDiag looks at how the theme stage errs on the tuning half
// (TANDEM_INSIGHT_TUNE=tune): which intents the clusters merge and split,
// and for the variants in TANDEM_INSIGHT_VARIANTS the NMI of the partition
// at each stage, with the NMI an oracle merge of the over-clustered
// partition would reach (each cluster to its majority intent).
func TestTuneMergeDiag(t *testing.T) {
	names := os.Getenv("TANDEM_INSIGHT_VARIANTS")
	if names == "" || os.Getenv("TANDEM_INSIGHT_DIAG") == "" {
		t.Skip("set TANDEM_INSIGHT_DIAG=1 and TANDEM_INSIGHT_VARIANTS")
	}
	s := tuneSets(t)[0]
	for _, name := range strings.Split(names, ",") {
		tv, ok := refineVariants[name]
		if !ok {
			t.Fatalf("unknown variant %q", name)
		}
		for _, seed := range []int64{1} {
			tv.partition = func(stage string, sample []int, assign []int) {
				labels := make([]string, len(sample))
				for i, r := range sample {
					labels[i] = s.labels[r]
				}
				pur, oracle := purity(assign, labels)
				t.Logf("%s seed %d stage %-7s clusters %3d NMI %.3f purity %.3f oracle-merge NMI %.3f",
					name, seed, stage, countDistinct(assign), nmi(assign, labels), pur, nmi(oracle, labels))
				if stage == "final" {
					confusionSummary(t, assign, labels)
				}
			}
			o := Options{K: 77, Seed: seed}
			o.tune = tv
			last, stage := time.Now(), "start"
			o.Progress = func(s string) {
				t.Logf("  %-40s %v", stage, time.Since(last).Round(time.Millisecond))
				last, stage = time.Now(), s
			}
			res, err := Analyze(context.Background(), s.docs, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s seed %d result NMI %.3f themes %d other %d", name, seed, nmi(res.Assignments, s.labels), len(res.Themes), res.Other)
		}
	}
}

func countDistinct(a []int) int {
	m := map[int]bool{}
	for _, v := range a {
		m[v] = true
	}
	return len(m)
}

// purity returns the share of rows in their cluster's majority label, and
// the partition that merges clusters of the same majority label.
func purity(assign []int, labels []string) (float64, []int) {
	cnt := map[int]map[string]int{}
	for i, a := range assign {
		if cnt[a] == nil {
			cnt[a] = map[string]int{}
		}
		cnt[a][labels[i]]++
	}
	major := map[int]string{}
	hit := 0
	for a, m := range cnt {
		best := ""
		for l, c := range m {
			if c > m[best] || (c == m[best] && l < best) {
				best = l
			}
		}
		major[a] = best
		hit += m[best]
	}
	id := map[string]int{}
	oracle := make([]int, len(assign))
	for i, a := range assign {
		l := major[a]
		if _, ok := id[l]; !ok {
			id[l] = len(id)
		}
		oracle[i] = id[l]
	}
	return float64(hit) / float64(len(assign)), oracle
}

// confusionSummary logs the clusters that mix intents and the intents that
// are split over clusters (shares of at least 20%).
func confusionSummary(t *testing.T, assign []int, labels []string) {
	clusters := make([]string, len(assign))
	for i, a := range assign {
		clusters[i] = fmt.Sprintf("c%d", a)
	}
	mixed := spreadOver(clusters, labels)
	split := spreadOver(labels, clusters)
	t.Logf("clusters mixing intents (>=20%% each): %d", len(mixed))
	for _, m := range mixed {
		t.Logf("  %s", m)
	}
	t.Logf("intents split over clusters (>=20%% each): %d", len(split))
	for _, m := range split {
		t.Logf("  %s", m)
	}
}

// spreadOver lists, sorted, each group of groups whose rows fall at least
// 20% each into two or more values of over: "group(size): value n, ...".
func spreadOver(groups, over []string) []string {
	by := map[string]map[string]int{}
	for i, g := range groups {
		if by[g] == nil {
			by[g] = map[string]int{}
		}
		by[g][over[i]]++
	}
	var out []string
	for g, m := range by {
		tot := 0
		for _, v := range m {
			tot += v
		}
		var parts []string
		for o, v := range m {
			if v*5 >= tot {
				parts = append(parts, fmt.Sprintf("%s %d", o, v))
			}
		}
		sort.Strings(parts)
		if len(parts) > 1 {
			out = append(out, fmt.Sprintf("%s(%d): %s", g, tot, strings.Join(parts, ", ")))
		}
	}
	sort.Strings(out)
	return out
}

package insight

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tuning harness of the theme stage. It splits BANKING77 train.csv into
// a 5,000-row tuning half and a 5,003-row report half with a fixed seed
// (split seed 20261123, see banking77Halves); constants are chosen on the
// tuning half only and reported on the other half, the fixed 3,080-row
// sample, the full file and the airline complaint topics (never tuned on).
//
//	TANDEM_INSIGHT_EVAL=1 TANDEM_INSIGHT_TUNE=tune go test ./insight -run Tune -v -timeout 30m
//
// TANDEM_INSIGHT_TUNE selects the half ("tune" or "report"); with "report"
// the automatic-k comparison also runs on the full file.

const tuneSplitSeed = 20261123

func banking77Halves(t *testing.T) (tune, report []Doc, tuneLabels, reportLabels []string) {
	rows := readCSVFile(t, evalData(t, "banking77/train.csv"))
	perm := rand.New(rand.NewPCG(tuneSplitSeed, 1)).Perm(len(rows))
	for i, p := range perm {
		d, l := Doc{Text: rows[p]["text"]}, rows[p]["category"]
		if i < 5000 {
			tune, tuneLabels = append(tune, d), append(tuneLabels, l)
		} else {
			report, reportLabels = append(report, d), append(reportLabels, l)
		}
	}
	return
}

type labelledSet struct {
	name   string
	docs   []Doc
	labels []string
}

func tuneSets(t *testing.T) []labelledSet {
	half := os.Getenv("TANDEM_INSIGHT_TUNE")
	if half == "" {
		t.Skip("set TANDEM_INSIGHT_TUNE=tune|report (and TANDEM_INSIGHT_EVAL=1)")
	}
	tune, report, tl, rl := banking77Halves(t)
	if half != "report" {
		return []labelledSet{{"banking77 tune half", tune, tl}}
	}
	rows := readCSVFile(t, evalData(t, "banking77/train.csv"))
	full := labelledSet{name: "banking77 full"}
	for _, r := range rows {
		full.docs = append(full.docs, Doc{Text: r["text"]})
		full.labels = append(full.labels, r["category"])
	}
	sets := []labelledSet{{"banking77 report half", report, rl}, full, airlineTopicSet(t)}
	// TANDEM_INSIGHT_BALANCE=40[,30…]: also a draw of at most that many texts
	// of each intent from the report half (a fixed permutation, PCG seed 7),
	// to see how much of its score the imbalance of train.csv's intents
	// explains (docs/BENCHMARKS.md, "Held-out intent sets").
	if b := os.Getenv("TANDEM_INSIGHT_BALANCE"); b != "" {
		for _, f := range strings.Split(b, ",") {
			per, err := strconv.Atoi(f)
			if err != nil || per < 1 {
				t.Fatalf("TANDEM_INSIGHT_BALANCE: %q is not a count", f)
			}
			sets = append(sets, balancedDraw(labelledSet{"banking77 report half", report, rl}, per))
		}
	}
	return sets
}

// balancedDraw keeps at most per texts of each label of s, in the order of a
// fixed permutation.
func balancedDraw(s labelledSet, per int) labelledSet {
	out := labelledSet{name: fmt.Sprintf("%s, at most %d per label", s.name, per)}
	cnt := map[string]int{}
	for _, i := range rand.New(rand.NewPCG(7, 1)).Perm(len(s.docs)) {
		if cnt[s.labels[i]] < per {
			cnt[s.labels[i]]++
			out.docs, out.labels = append(out.docs, s.docs[i]), append(out.labels, s.labels[i])
		}
	}
	return out
}

// tuneVariants are the settings TestTuneBanking77 compares: the current
// defaults and the engine without feature re-weighting.
var tuneVariants = []tuneOptions{
	{},
	{dims: 100},
	{reweight: -1},
}

// TestTuneBanking77 scores k = 77 on the selected half over three seeds.
func TestTuneBanking77(t *testing.T) {
	sets := tuneSets(t)
	for _, s := range sets[:1] {
		for _, tv := range tuneVariants {
			for _, seed := range []int64{1, 2, 3} {
				start := time.Now()
				o := Options{K: 77, Seed: seed}
				o.tune = tv
				res, err := Analyze(context.Background(), s.docs, o)
				if err != nil {
					t.Fatal(err)
				}
				clusterScores(t, s.name+fmt.Sprintf(" %+v", tv)+" k=77 seed "+itoa(int(seed)), res.Assignments, s.labels, len(res.Themes), res.Other, time.Since(start))
				if seed == 1 && testing.Verbose() && os.Getenv("TANDEM_INSIGHT_LABELS") != "" {
					logLabels(t, res, s.labels)
				}
			}
		}
	}
}

// TestTuneAutoK compares the former and the current constants of chooseK.
func TestTuneAutoK(t *testing.T) {
	sets := tuneSets(t)
	for _, kt := range []kTune{{sample: 1500, frac: 0.9, scale: true}, defaultKTune} {
		for _, s := range sets {
			for _, seed := range []int64{1, 2} {
				o := Options{Seed: seed}
				o.tune.k = kt
				res, err := Analyze(context.Background(), s.docs, o)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("auto k %+v %s seed %d: themes %d NMI %.3f ARI %.3f", kt, s.name, seed, len(res.Themes),
					nmi(res.Assignments, s.labels), ari(res.Assignments, s.labels))
			}
		}
	}
}

// logLabels prints each theme's label beside its most common true category.
func logLabels(t *testing.T, res *Result, labels []string) {
	for _, th := range res.Themes {
		cnt := map[string]int{}
		for i, a := range res.Assignments {
			if a == th.ID {
				cnt[labels[i]]++
			}
		}
		best := ""
		for l, c := range cnt {
			if c > cnt[best] || (c == cnt[best] && l < best) {
				best = l
			}
		}
		t.Logf("  theme %2d (%3d) %-32q majority %s (%d)  keyphrases %v", th.ID, th.Size, th.Label, best, cnt[best], th.Keyphrases)
	}
}

// refineVariants are the experiments of the last rounds (docs/BENCHMARKS.md,
// "tried") whose knobs override a constant of the shipped engine, and the
// engines of earlier rounds. The other experiments of those lists are in
// commits 6c0dc5b (refinement round), fbea700 (over-clustering round: merge
// criteria Ward, average link, kNN modularity, refinement options), 6d21b2b
// (partition round: iterative classification) and 1988315 (annealing
// sweeps and temperatures, refilling only empty clusters, annealing at
// over·k, skip pairs and a kNN-edge term in the merge score, intersecting
// with the k-means partition; docs/BENCHMARKS.md, "2026-11-24 tidy").
var refineVariants = map[string]tuneOptions{
	"base": {},
	// Round 4: the shipped engine (over 6, intersected, one restart) with
	// its λ or re-weighting rounds changed; b-l5-rw2 passed the BANKING77
	// bar but lost on the Debian sections (docs/BENCHMARKS.md).
	"b-l5":     {over: 6, intersect: 1, restarts: 1, lambda: 5},
	"b-rw2":    {over: 6, intersect: 1, restarts: 1, reweight: 2},
	"b-l5-rw2": {over: 6, intersect: 1, restarts: 1, lambda: 5, reweight: 2},
	// Round 5 (the previous default is noglove). Variants written before
	// the defaults changed spell out their weights and dimensions.
	"noglove": {over: 6, intersect: 1, restarts: 1, glove: -1},
	// Round 5: the SIF vector of the pretrained word vectors appended with
	// weight w to every dense space of the theme stage (glove.go).
	// The glove-w* variants were first measured with "other" judged in
	// the concatenated space (now gloveJudge -1, variants glove-c-w*);
	// without a suffix it is judged in the first LSA space alone.
	"glove-c-w03": {over: 6, intersect: 1, restarts: 1, glove: 0.3, gloveJudge: -1, gloveRW: 0.3, sif: sifOptions{dims: -1}},
	"glove-c-w05": {over: 6, intersect: 1, restarts: 1, glove: 0.5, gloveJudge: -1, gloveRW: 0.5, sif: sifOptions{dims: -1}},
	"glove-c-w07": {over: 6, intersect: 1, restarts: 1, glove: 0.7, gloveJudge: -1, gloveRW: 0.7, sif: sifOptions{dims: -1}},
	"glove-c-w10": {over: 6, intersect: 1, restarts: 1, glove: 1.0, gloveJudge: -1, gloveRW: 1.0, sif: sifOptions{dims: -1}},
	"glove-c-w15": {over: 6, intersect: 1, restarts: 1, glove: 1.5, gloveJudge: -1, gloveRW: 1.5, sif: sifOptions{dims: -1}},
	"glove-c-w20": {over: 6, intersect: 1, restarts: 1, glove: 2.0, gloveJudge: -1, gloveRW: 2.0, sif: sifOptions{dims: -1}},
	"glove-w07":   {over: 6, intersect: 1, restarts: 1, glove: 0.7, gloveRW: 0.7, sif: sifOptions{dims: -1}},
	"glove-w10":   {over: 6, intersect: 1, restarts: 1, glove: 1.0, gloveRW: 1.0, sif: sifOptions{dims: -1}},
	"glove-w15":   {over: 6, intersect: 1, restarts: 1, glove: 1.5, gloveRW: 1.5, sif: sifOptions{dims: -1}},
	// The SIF vector scaled by the share of the text's content tokens the
	// table knows.
	"glove-w10-cov": {over: 6, intersect: 1, restarts: 1, glove: 1, sif: sifOptions{dims: -1, cov: true}, gloveRW: 1},
	"glove-w15-cov": {over: 6, intersect: 1, restarts: 1, glove: 1.5, sif: sifOptions{dims: -1, cov: true}, gloveRW: 1.5},
	// The SIF vectors projected on their 50 (30) leading directions.
	"glove-w10-p50": {over: 6, intersect: 1, restarts: 1, glove: 1, sif: sifOptions{dims: 50}, gloveRW: 1},
	"glove-w10-p30": {over: 6, intersect: 1, restarts: 1, glove: 1, sif: sifOptions{dims: 30}, gloveRW: 1},
	// Three leading components removed instead of one.
	"glove-w10-pc3":      {over: 6, intersect: 1, restarts: 1, glove: 1, sif: sifOptions{dims: -1, pcs: 3}, gloveRW: 1},
	"glove-w10-p50-rw05": {over: 6, intersect: 1, restarts: 1, glove: 1, gloveRW: 0.5, sif: sifOptions{dims: 50}},
	// Another weight (or none) in the re-weighted spaces.
	"glove-w10-rw05": {over: 6, intersect: 1, restarts: 1, glove: 1, gloveRW: 0.5, sif: sifOptions{dims: -1}},
	"glove-w10-rw0":  {over: 6, intersect: 1, restarts: 1, glove: 1, gloveRW: -1, sif: sifOptions{dims: -1}},
	"glove-w05-rw10": {over: 6, intersect: 1, restarts: 1, glove: 0.5, gloveRW: 1, sif: sifOptions{dims: -1}},
	"nodmm":          {dmm: -1},
	"dmm-l0":         {lambda: -1},
	"dmm-l5":         {lambda: 5},

	// Over-clustering round (exp-a); noover is the engine before the
	// 2026-11-24 rounds (no over-clustering, refill or annealing); the
	// others now also refill, as the default does.
	"noover":      {over: -1, refill: -1},
	"over2":       {over: 2},
	"over3":       {over: 3},
	"over5":       {over: 5},
	"over-size0":  {mergeSize: math.NaN()},
	"over-size1":  {mergeSize: -1},
	"over2-size0": {over: 2, mergeSize: math.NaN()},

	// Partition round (exp-c), measured without over-clustering: refilling
	// emptied or small clusters and the annealed refinement (exp-c is its
	// shipped engine).
	"exp-c":     {over: -1, anneal: true},
	"norefill":  {over: -1, refill: -1},
	"refill-s1": {over: -1, refillSweeps: 1},
	"refill-s5": {over: -1, refillSweeps: 5},
	"noanneal":  {over: -1},

	// Combined-engine round (over-clustering with or without the refill
	// and the annealing at k); ac-refill was the default.
	"ac-none":   {refill: -1},
	"ac-refill": {},
	"ac-ann-k":  {anneal: true},

	// Purer fine clusters round: intersecting with a second seed's refined
	// over-clustering (now the default), its fragment size, over-clustering
	// factors and k-means restarts.
	"isect-2nd":          {intersect: 1},
	"isect-2nd2":         {intersect: 1, fragMin: 2},
	"isect-2nd5":         {intersect: 1, fragMin: 5},
	"isect-2nd8":         {intersect: 1, fragMin: 8},
	"over6":              {over: 6},
	"isect-2nd-r1":       {intersect: 1, restarts: 1},
	"isect-2nd-r2":       {intersect: 1, restarts: 2},
	"isect-2nd-over6-r1": {over: 6, intersect: 1, restarts: 1},
	"r2":                 {restarts: 2},
	"over6-r1":           {over: 6, restarts: 1},
	"isect-2nd-over8-r1": {over: 8, intersect: 1, restarts: 1},
	"over8":              {over: 8},
	"isect-2nd-over6":    {over: 6, intersect: 1},
	"isect-2nd-over3":    {over: 3, intersect: 1},
	"isect-2nd-over2":    {over: 2, intersect: 1},
}

// The variants above were measured on the engine before the purer-fine-
// clusters round (over-clustering at 4k, one partition, the usual k-means
// restarts); init keeps them on it unless they set those knobs. "base" is the
// current default (6k, two intersected over-clusterings of one restart each)
// and "prev" the engine before.
func init() {
	for name, tv := range refineVariants {
		if name == "base" {
			continue
		}
		if tv.over == 0 {
			tv.over = 4
		}
		if tv.glove == 0 {
			tv.glove = -1 // the word-vector view came later
		}
		if tv.intersect == 0 {
			tv.intersect = -1
		}
		if tv.restarts == 0 {
			tv.restarts = -1
		}
		refineVariants[name] = tv
	}
	refineVariants["prev"] = tuneOptions{over: 4, intersect: -1, restarts: -1, glove: -1}
}

// TestTuneRefine scores the variants named in TANDEM_INSIGHT_VARIANTS
// (comma-separated keys of refineVariants) at k = 77 over three seeds.
func TestTuneRefine(t *testing.T) {
	names := os.Getenv("TANDEM_INSIGHT_VARIANTS")
	if names == "" {
		t.Skip("set TANDEM_INSIGHT_VARIANTS")
	}
	sets := tuneSets(t)
	for _, name := range strings.Split(names, ",") {
		tv, ok := refineVariants[name]
		if !ok {
			t.Fatalf("unknown variant %q", name)
		}
		for _, s := range sets {
			sum, seeds := 0.0, tuneSeeds()
			for _, seed := range seeds {
				start := time.Now()
				o := Options{K: countLabels(s.labels), Seed: seed} // 77 intents, 10 airline topics
				o.tune = tv
				res, err := Analyze(context.Background(), s.docs, o)
				if err != nil {
					t.Fatal(err)
				}
				sum += nmi(res.Assignments, s.labels)
				clusterScores(t, s.name+" "+name+" seed "+itoa(int(seed)), res.Assignments, s.labels, len(res.Themes), res.Other, time.Since(start))
			}
			t.Logf("%s %s mean NMI %.3f", s.name, name, sum/float64(len(seeds)))
		}
	}
}

// tuneSeeds are the seeds of TestTuneRefine and TestExternalEval: 1-3, or
// a..b with TANDEM_INSIGHT_SEEDS=a-b (4-6 is the check against picking the
// luckiest variant).
func tuneSeeds() []int64 {
	var a, z int64
	if _, err := fmt.Sscanf(os.Getenv("TANDEM_INSIGHT_SEEDS"), "%d-%d", &a, &z); err != nil || a > z {
		return []int64{1, 2, 3}
	}
	var seeds []int64
	for s := a; s <= z; s++ {
		seeds = append(seeds, s)
	}
	return seeds
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/insight"
	"github.com/tandem-pm/tandem/insight/modelserver"
)

const analyzeSynopsis = `FILE [--format csv|jsonl] [--text-column NAME] [--k N] [--seed S] [--json]

Finds themes, sentiment and near-duplicates in customer feedback. FILE is a
CSV file with a header row or a JSON Lines file (one object per line), or -
for standard input. The text column is guessed (text, feedback, comment, ...)
unless --text-column names it; a time column (time, date, created_at, ...)
gives each theme its volume over time.

When TANDEM_AI_BASE_URL is set, an OpenAI-compatible model server
(TANDEM_AI_MODEL, TANDEM_AI_API_KEY) provides embeddings and theme names; if
it fails, the local engine is used and the output says so.`

func runAnalyze(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "analyze", analyzeSynopsis)
	format := fs.String("format", "", "input format: csv or jsonl (default: from the file name, else csv)")
	textCol := fs.String("text-column", "", "name of the column or field holding the text")
	k := fs.Int("k", 0, "number of themes (0 = choose automatically)")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same result")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a report")
	// Flags may come before or after FILE.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return usagef("analyze takes one FILE (got %d); try 'tandem analyze feedback.csv'", len(files))
	}
	if *k < 0 {
		return usagef("--k must be 0 (automatic) or more, not %d", *k)
	}
	path := files[0]
	f := *format
	if f == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jsonl", ".ndjson":
			f = "jsonl"
		default:
			f = "csv"
		}
	}
	if f != "csv" && f != "jsonl" {
		return usagef("--format must be csv or jsonl, not %q", f)
	}

	var in io.Reader = e.stdin
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return err
		}
		defer file.Close()
		in = file
	}
	ro := insight.ReadOptions{TextColumn: *textCol}
	var docs []insight.Doc
	var err error
	if f == "jsonl" {
		docs, err = insight.ReadJSONL(in, ro)
	} else {
		docs, err = insight.ReadCSV(in, ro)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	opts := insight.Options{K: *k, Seed: *seed}
	if c, ok := modelserver.FromEnv(e.getenv); ok {
		opts.Embedder, opts.Namer = c, c
	}
	start := time.Now()
	if len(docs) >= 2000 {
		opts.Progress = func(stage string) {
			fmt.Fprintf(e.stderr, "analyze: %s (%d rows, %.1fs)\n", stage, len(docs), time.Since(start).Seconds())
		}
	}
	res, err := insight.Analyze(ctx, docs, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeAnalysisJSON(e.stdout, res)
	}
	writeAnalysisReport(e.stdout, docs, res)
	return nil
}

// analysisJSON is the contract of 'tandem analyze --json'.
type analysisJSON struct {
	Themes      []themeJSON              `json:"themes"`
	Assignments []int                    `json:"assignments"`
	Sentiment   []insight.SentimentScore `json:"sentiment"`
	Duplicates  [][]int                  `json:"duplicates"`
	Notices     []string                 `json:"notices"`
	Stats       statsJSON                `json:"stats"`
}

type themeJSON struct {
	ID         int                  `json:"id"`
	Label      string               `json:"label"`
	Summary    string               `json:"summary,omitempty"`
	Keyphrases []string             `json:"keyphrases"`
	Size       int                  `json:"size"`
	Sentiment  insight.SentimentMix `json:"sentiment"`
	Quotes     []int                `json:"quotes"`
	Emerging   bool                 `json:"emerging"`
	Volume     []insight.Bucket     `json:"volume,omitempty"`
}

type statsJSON struct {
	Rows      int    `json:"rows"`
	ComputeMS int64  `json:"compute_ms"`
	Other     int    `json:"other"`
	Embedder  string `json:"embedder"`
}

func writeAnalysisJSON(w io.Writer, res *insight.Result) error {
	out := analysisJSON{
		Themes:      make([]themeJSON, len(res.Themes)),
		Assignments: res.Assignments,
		Sentiment:   res.Sentiments,
		Duplicates:  res.Duplicates,
		Notices:     res.Notices,
		Stats:       statsJSON{Rows: res.Stats.Rows, ComputeMS: res.Stats.ComputeMS, Other: res.Other, Embedder: res.Stats.Embedder},
	}
	for i, t := range res.Themes {
		out.Themes[i] = themeJSON{ID: t.ID, Label: t.Label, Summary: t.Summary, Keyphrases: t.Keyphrases, Size: t.Size,
			Sentiment: t.Sentiment, Quotes: t.Quotes, Emerging: t.Emerging, Volume: t.Volume}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}

func writeAnalysisReport(w io.Writer, docs []insight.Doc, res *insight.Result) {
	n := res.Stats.Rows
	var neg, neu, pos int
	for _, s := range res.Sentiments {
		switch s.Label {
		case insight.Negative:
			neg++
		case insight.Positive:
			pos++
		default:
			neu++
		}
	}
	fmt.Fprintf(w, "%s, %s, %d in no theme, analysed in %d ms\n", plural(n, "row"), plural(len(res.Themes), "theme"), res.Other, res.Stats.ComputeMS)
	fmt.Fprintf(w, "sentiment: %d negative, %d neutral, %d positive\n", neg, neu, pos)
	for _, note := range res.Notices {
		fmt.Fprintf(w, "note: %s\n", note)
	}
	for _, t := range res.Themes {
		pct := 0.0
		if n > 0 {
			pct = 100 * float64(t.Size) / float64(n)
		}
		emerging := ""
		if t.Emerging {
			emerging = "  [emerging]"
		}
		fmt.Fprintf(w, "\n#%d %s  (%d rows, %.1f%%)%s\n", t.ID, t.Label, t.Size, pct, emerging)
		if t.Summary != "" {
			fmt.Fprintf(w, "   %s\n", t.Summary)
		}
		fmt.Fprintf(w, "   keyphrases: %s\n", strings.Join(t.Keyphrases, ", "))
		fmt.Fprintf(w, "   sentiment: %d negative, %d neutral, %d positive (mean %+.2f)\n",
			t.Sentiment.Negative, t.Sentiment.Neutral, t.Sentiment.Positive, t.Sentiment.Mean)
		for _, q := range t.Quotes {
			fmt.Fprintf(w, "   row %d: %s\n", q+1, excerpt(docs[q].Text, 140))
		}
	}
	if len(res.Duplicates) > 0 {
		dup := 0
		for _, g := range res.Duplicates {
			dup += len(g)
		}
		fmt.Fprintf(w, "\nnear-duplicates: %d groups holding %d rows\n", len(res.Duplicates), dup)
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func excerpt(s string, max int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, " ")), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

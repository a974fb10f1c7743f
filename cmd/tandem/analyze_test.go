package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func feedbackCSV(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,text,created_at\n")
	topics := [][]string{
		{"export to csv is broken", "please add excel export", "the csv export drops columns", "export reports to pdf"},
		{"the mobile app crashes on start", "android app crash after update", "iphone app keeps crashing", "app crashes when offline"},
		{"I love the new dashboard", "great dashboard, thanks", "the dashboard charts are great", "dashboard looks amazing"},
	}
	row := 0
	for rep := 0; rep < 8; rep++ {
		for _, tp := range topics {
			for _, s := range tp {
				row++
				fmt.Fprintf(&b, "%d,\"%s %d\",2026-01-%02d\n", row, s, rep, 1+row%28)
			}
		}
	}
	p := filepath.Join(t.TempDir(), "feedback.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runAnalyzeCmd(t *testing.T, getenv func(string) string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	err := run(context.Background(), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv}, args)
	return out.String(), errb.String(), err
}

func TestAnalyzeJSON(t *testing.T) {
	p := feedbackCSV(t)
	out, _, err := runAnalyzeCmd(t, nil, "analyze", p, "--k", "3", "--seed", "7", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Themes []struct {
			ID         int      `json:"id"`
			Label      string   `json:"label"`
			Keyphrases []string `json:"keyphrases"`
			Size       int      `json:"size"`
			Sentiment  any      `json:"sentiment"`
			Quotes     []int    `json:"quotes"`
		} `json:"themes"`
		Assignments []int `json:"assignments"`
		Sentiment   []struct {
			Score float64 `json:"score"`
			Label string  `json:"label"`
		} `json:"sentiment"`
		Stats struct {
			Rows      int    `json:"rows"`
			ComputeMS *int64 `json:"compute_ms"`
		} `json:"stats"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("more than one JSON value printed")
	}
	if got.Stats.Rows != 96 || got.Stats.ComputeMS == nil || len(got.Assignments) != 96 || len(got.Sentiment) != 96 {
		t.Fatalf("rows %d, assignments %d, sentiment %d, compute_ms %v", got.Stats.Rows, len(got.Assignments), len(got.Sentiment), got.Stats.ComputeMS)
	}
	if len(got.Themes) != 3 {
		t.Fatalf("got %d themes, want 3", len(got.Themes))
	}
	for i, th := range got.Themes {
		if th.ID != i || th.Label == "" || th.Size == 0 || len(th.Keyphrases) == 0 || len(th.Quotes) == 0 || th.Sentiment == nil {
			t.Errorf("theme %d incomplete: %+v", i, th)
		}
		for _, q := range th.Quotes {
			if q < 0 || q >= 96 || got.Assignments[q] != th.ID {
				t.Errorf("quote %d of theme %d is not a row of the theme", q, th.ID)
			}
		}
	}
	for i, s := range got.Sentiment {
		if s.Score < -1 || s.Score > 1 || (s.Label != "negative" && s.Label != "neutral" && s.Label != "positive") {
			t.Errorf("row %d sentiment %+v", i, s)
		}
	}
	// Rows of one generated topic share a theme.
	if got.Assignments[0] != got.Assignments[1] || got.Assignments[4] != got.Assignments[5] || got.Assignments[0] == got.Assignments[4] {
		t.Errorf("assignments %v do not follow the topics", got.Assignments[:12])
	}
	// Same seed, same output (apart from the timing).
	out2, _, _ := runAnalyzeCmd(t, nil, "analyze", "--json", "--seed", "7", "--k", "3", p)
	strip := func(s string) string { return s[:strings.Index(s, `"compute_ms"`)] }
	if strip(out) != strip(out2) {
		t.Errorf("output differs between runs with the same seed")
	}
}

func TestAnalyzeReport(t *testing.T) {
	out, _, err := runAnalyzeCmd(t, nil, "analyze", feedbackCSV(t), "--k", "3")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"96 rows, 3 themes", "keyphrases:", "sentiment:", "row "} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestAnalyzeJSONL(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.jsonl")
	os.WriteFile(p, []byte(`{"body":"the export is broken"}`+"\n"+`{"body":"great export"}`+"\n"), 0o600)
	out, _, err := runAnalyzeCmd(t, nil, "analyze", p, "--text-column", "body", "--json")
	if err != nil || !strings.Contains(out, `"rows":2`) {
		t.Errorf("jsonl: %v\n%s", err, out)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("text,x\nok,1\nbroken\n"), 0o600)
	badj := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(badj, []byte("{\"text\":\"a\"}\n{oops\n"), 0o600)
	for _, c := range []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"no file", []string{"analyze"}, "one FILE", true},
		{"two files", []string{"analyze", "a", "b"}, "one FILE", true},
		{"bad format", []string{"analyze", bad, "--format", "xml"}, "--format", true},
		{"negative k", []string{"analyze", bad, "--k", "-2"}, "--k", true},
		{"missing file", []string{"analyze", filepath.Join(dir, "nope.csv")}, "no such file", false},
		{"malformed csv", []string{"analyze", bad}, "line 3", false},
		{"malformed jsonl", []string{"analyze", badj}, "line 2", false},
		{"unknown column", []string{"analyze", bad, "--text-column", "body"}, `no column "body"`, false},
	} {
		_, _, err := runAnalyzeCmd(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
			continue
		}
		var ue usageError
		if errors.As(err, &ue) != c.usage {
			t.Errorf("%s: usage error = %v, want %v", c.name, !c.usage, c.usage)
		}
	}
}

func TestAnalyzeModelServerDown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "model not loaded", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	getenv := func(k string) string {
		if k == "TANDEM_AI_BASE_URL" {
			return srv.URL
		}
		return ""
	}
	out, _, err := runAnalyzeCmd(t, getenv, "analyze", feedbackCSV(t), "--k", "3", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "local engine") || !strings.Contains(out, `"embedder":"local-lsa"`) {
		t.Errorf("no fallback notice in %s", out)
	}
}

package http

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/sqlite"
)

// similarBenchTexts returns n feedback texts: BANKING77's when
// ../../shared/data is present (cycled, with a varying suffix), else
// generated ones.
func similarBenchTexts(b *testing.B, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	var base []string
	if fh, err := os.Open(filepath.Join("..", "..", "shared", "data", "banking77", "train.csv")); err == nil {
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err == nil && len(recs) > 1 {
			for _, r := range recs[1:] {
				base = append(base, r[0])
			}
		}
	}
	if len(base) == 0 {
		b.Log("BANKING77 not found; using generated feedback")
		subj := []string{"card", "transfer", "app", "login", "statement", "fee", "refund", "payment", "account", "pin", "exchange rate", "top up"}
		what := []string{"does not work", "was declined", "is too slow", "never arrived", "is missing", "costs too much", "shows an error", "was charged twice"}
		for _, s := range subj {
			for _, w := range what {
				base = append(base, "My "+s+" "+w)
			}
		}
	}
	fill := []string{"", "", " again", " today", " please help", " since Monday", " for the second time"}
	out := make([]string, n)
	for i := range out {
		out[i] = base[rng.IntN(len(base))] + fill[rng.IntN(len(fill))]
	}
	return out
}

// similarBench is a server on a SQLite store with one workspace of 10,000
// feedback and 200 open features.
func similarBench(b *testing.B) (*Server, string, *tandem.Item, string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "tandem.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	owner := &tandem.User{Email: "pm@example.com", Name: "PM"}
	if err := st.CreateUser(ctx, owner, "correct horse battery staple"); err != nil {
		b.Fatal(err)
	}
	ws := &tandem.Workspace{Slug: "acme", Name: "Acme"}
	if err := st.CreateWorkspace(ctx, ws, owner.ID); err != nil {
		b.Fatal(err)
	}
	_, tok, err := st.CreateToken(ctx, owner.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	actx := tandem.WithActor(ctx, owner.ID)
	texts := similarBenchTexts(b, 10000)
	fbs := make([]*tandem.Feedback, len(texts))
	for i, tx := range texts {
		fbs[i] = &tandem.Feedback{Text: tx, Source: tandem.SourceSupport}
		fbs[i].Defaults()
	}
	if err := st.ImportFeedback(actx, ws.ID, fbs); err != nil {
		b.Fatal(err)
	}
	var item *tandem.Item
	for i := range 200 {
		title := []rune(texts[i*37%len(texts)])
		x := &tandem.Item{Kind: tandem.KindFeature, Title: fmt.Sprintf("Feature %d: %s", i, string(title[:min(len(title), 80)]))}
		x.Defaults()
		if err := st.CreateItem(actx, ws.ID, x); err != nil {
			b.Fatal(err)
		}
		item = x
	}
	s := NewServer(st, nil)
	s.NoThemeJobs = true
	return s, ws.ID, item, tok
}

func similarBenchGet(b *testing.B, s *Server, path, tok string) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"score"`) {
		b.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body.String())
	}
}

// BenchmarkSimilarFeedbackCold: one request on a workspace of 10,000
// feedback and 200 features with no index cached (reads, fits, embeds,
// searches).
//
//	go test ./http -run XXX -bench SimilarFeedback -benchtime 5x
func BenchmarkSimilarFeedbackCold(b *testing.B) {
	s, _, item, tok := similarBench(b)
	path := "/api/v1/workspaces/acme/items/" + item.ID + "/similar_feedback"
	for b.Loop() {
		s.similarCache.mu.Lock()
		s.similarCache.entries, s.similarCache.lru = nil, nil
		s.similarCache.mu.Unlock()
		similarBenchGet(b, s, path, tok)
	}
}

// BenchmarkSimilarFeedbackWarm: the same request with the index cached
// (fingerprint query, item and evidence reads, one search).
func BenchmarkSimilarFeedbackWarm(b *testing.B) {
	s, _, item, tok := similarBench(b)
	path := "/api/v1/workspaces/acme/items/" + item.ID + "/similar_feedback"
	similarBenchGet(b, s, path, tok)
	b.ResetTimer()
	for b.Loop() {
		similarBenchGet(b, s, path, tok)
	}
	if n := s.similarCache.buildCount(); n != 1 {
		b.Fatalf("%d builds", n)
	}
}

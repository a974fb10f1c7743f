package insight

import (
	"context"
	"fmt"
	"testing"
)

func TestIndexSearch(t *testing.T) {
	feedback := []string{
		"Please let me export my reports to Excel",
		"The mobile app crashes when I open notifications",
		"I was charged twice for my subscription",
		"CSV export would save us hours every month",
		"Dark mode please",
	}
	features := []string{"Export reports as CSV and Excel", "Fix notification crash on iOS"}
	ctx := context.Background()
	ix, err := NewIndex(ctx, feedback, IndexOptions{Corpus: features})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Search(ctx, features[0], 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || !(hits[0].Index == 0 || hits[0].Index == 3) || !(hits[1].Index == 0 || hits[1].Index == 3) {
		t.Errorf("feature %q: hits %+v, want feedback 0 and 3", features[0], hits)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not sorted: %+v", hits)
		}
	}
	// The other direction: which features does a piece of feedback support?
	fx, err := NewIndex(ctx, features, IndexOptions{Corpus: feedback})
	if err != nil {
		t.Fatal(err)
	}
	hits, err = fx.Search(ctx, feedback[1], 1)
	if err != nil || len(hits) != 1 || hits[0].Index != 1 {
		t.Errorf("feedback %q: hits %+v, %v; want feature 1", feedback[1], hits, err)
	}
	if hits, _ := ix.Search(ctx, "zzzz qqqq", 3); len(hits) != 0 {
		t.Errorf("unrelated query found %+v", hits)
	}
	if _, err := ix.SearchVector([]float32{1}, 3); err == nil {
		t.Errorf("wrong dimension accepted")
	}
}

func TestIndexFromVectors(t *testing.T) {
	ix, err := NewIndexFromVectors([][]float32{{1, 0}, {0, 1}, {1, 1}, {1, 0}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hits, _ := ix.SearchVector([]float32{2, 0}, 3)
	if len(hits) != 3 || hits[0].Index != 0 || hits[1].Index != 3 || hits[2].Index != 2 {
		t.Errorf("hits = %+v, want 0, 3 (tie, lower index first), 2", hits)
	}
	if _, err := NewIndexFromVectors([][]float32{{1, 0}, {1}}, nil); err == nil {
		t.Errorf("ragged vectors accepted")
	}
}

func TestFitEmbed(t *testing.T) {
	docs, _ := synthDocs(200, 5)
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.Text
	}
	m, err := Fit(context.Background(), texts, DefaultModelOptions())
	if err != nil {
		t.Fatal(err)
	}
	vs, err := m.Embed(context.Background(), []string{"csv export please", "", "qqqq zzzz"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || len(vs[0]) != m.Dims() {
		t.Fatalf("got %d vectors of %d dims, want 3 of %d", len(vs), len(vs[0]), m.Dims())
	}
	if n := dot32(vs[0], vs[0]); n < 0.99 || n > 1.01 {
		t.Errorf("vector norm² = %v, want 1", n)
	}
	if !isZero(vs[1]) || !isZero(vs[2]) {
		t.Errorf("texts without known words should embed to zero vectors")
	}
}

// A query in words the indexed texts never use still finds the texts that
// mean the same, through the word-vector view (Fit's models).
func TestSearchSynonyms(t *testing.T) {
	topics := map[string][]string{
		"shipping": {"my package has not arrived", "the parcel is still not here", "where is my order shipment", "tracking shows the box was lost"},
		"billing":  {"I was charged twice on my card", "wrong amount on my invoice", "please refund the payment", "the price on the bill is too high"},
		"login":    {"I cannot sign in to my account", "password reset does not work", "locked out of my account", "the app logs me out"},
	}
	var texts, labels []string
	for r := range 10 {
		for _, name := range []string{"shipping", "billing", "login"} {
			for j, s := range topics[name] {
				texts = append(texts, fmt.Sprintf("%s (%d)", s, r*10+j))
				labels = append(labels, name)
			}
		}
	}
	ix, err := NewIndex(context.Background(), texts, IndexOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]string{
		"courier delivery delayed":       "shipping",
		"reimbursement for overcharging": "billing",
		"username credentials":           "login",
	} {
		hits, err := ix.Search(context.Background(), query, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Errorf("%q: no hits", query)
			continue
		}
		for _, h := range hits {
			if labels[h.Index] != want {
				t.Errorf("%q: hit %q (%s), want only %s", query, texts[h.Index], labels[h.Index], want)
			}
		}
	}
}

// In a collection of two texts the word-vector view must not push related
// texts apart (removing the first principal direction of two vectors leaves
// them exactly opposite; it is skipped below sifMinPC texts).
func TestEmbedTinyCollection(t *testing.T) {
	texts := []string{"Card delivery tracking", "My card was not delivered"}
	m, err := Fit(context.Background(), texts, DefaultModelOptions())
	if err != nil {
		t.Fatal(err)
	}
	vs, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if c := dot32(vs[0], vs[1]); c <= 0.2 {
		t.Errorf("cosine of two texts about one card delivery = %.2f, want clearly positive", c)
	}
}

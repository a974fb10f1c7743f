package modelserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/insight"
)

// fakeServer speaks the two OpenAI endpoints: embeddings are word-presence
// vectors over a small vocabulary; chat answers name each theme after its
// first keyphrase.
func fakeServer(t *testing.T, key string) *httptest.Server {
	vocab := []string{"export", "csv", "crash", "app", "price", "invoice"}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if key != "" && r.Header.Get("Authorization") != "Bearer "+key {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/v1/embeddings":
			var req embedRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			type item struct {
				Index     int       `json:"index"`
				Embedding []float32 `json:"embedding"`
			}
			var data []item
			for i := len(req.Input) - 1; i >= 0; i-- { // out of order on purpose
				v := make([]float32, len(vocab)+1)
				v[len(vocab)] = 0.01
				for j, w := range vocab {
					if strings.Contains(strings.ToLower(req.Input[i]), w) {
						v[j] = 1
					}
				}
				data = append(data, item{i, v})
			}
			json.NewEncoder(w).Encode(map[string]any{"data": data})
		case "/v1/chat/completions":
			var req chatRequest
			json.NewDecoder(r.Body).Decode(&req)
			n := strings.Count(req.Messages[1].Content, "Theme ")
			var names []map[string]string
			for i := 0; i < n; i++ {
				names = append(names, map[string]string{"label": fmt.Sprintf("Theme name %d", i+1), "summary": "Customers ask for it."})
			}
			b, _ := json.Marshal(names)
			json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": "Here you go:\n```json\n" + string(b) + "\n```"}}}})
		default:
			http.NotFound(w, r)
		}
	}))
}

func docs() []insight.Doc {
	var d []insight.Doc
	for i := 0; i < 20; i++ {
		d = append(d, insight.Doc{Text: fmt.Sprintf("export to csv fails %d", i)}, insight.Doc{Text: fmt.Sprintf("the app crash on login %d", i)}, insight.Doc{Text: fmt.Sprintf("invoice price too high %d", i)})
	}
	return d
}

func TestClientEmbedAndName(t *testing.T) {
	srv := fakeServer(t, "sekret")
	defer srv.Close()
	c, ok := FromEnv(func(k string) string {
		return map[string]string{"TANDEM_AI_BASE_URL": srv.URL + "/v1/", "TANDEM_AI_MODEL": "m", "TANDEM_AI_API_KEY": "sekret"}[k]
	})
	if !ok {
		t.Fatal("FromEnv: not configured")
	}
	c.BatchSize = 7
	vs, err := c.Embed(context.Background(), []string{"export csv", "app crash", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[0][0] != 1 || vs[1][2] != 1 || vs[0][2] != 0 {
		t.Errorf("vectors = %v", vs)
	}
	res, err := insight.Analyze(context.Background(), docs(), insight.Options{K: 3, Embedder: c, Namer: c})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notices) != 0 || res.Stats.Embedder != "model" {
		t.Errorf("notices %q, embedder %q", res.Notices, res.Stats.Embedder)
	}
	for i, th := range res.Themes {
		if th.Label != fmt.Sprintf("Theme name %d", i+1) || th.Summary == "" || th.Size != 20 {
			t.Errorf("theme %d = %+v", i, th)
		}
	}
}

func TestClientFailures(t *testing.T) {
	if _, ok := FromEnv(func(string) string { return "" }); ok {
		t.Errorf("FromEnv without a base URL: configured")
	}
	srv := fakeServer(t, "sekret")
	defer srv.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	local, err := insight.Analyze(context.Background(), docs(), insight.Options{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cl   *Client
	}{
		{"wrong key", &Client{BaseURL: srv.URL, Model: "m", APIKey: "wrong"}},
		{"unreachable", &Client{BaseURL: "http://127.0.0.1:1", Model: "m"}},
		{"timeout", &Client{BaseURL: slow.URL, Model: "m"}},
	} {
		res, err := insight.Analyze(context.Background(), docs(), insight.Options{K: 3, Embedder: c.cl, Namer: c.cl, ModelTimeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(res.Notices) != 2 {
			t.Errorf("%s: notices %q, want an embeddings and a naming notice", c.name, res.Notices)
		}
		for i := range res.Themes {
			if res.Themes[i].Label != local.Themes[i].Label || res.Themes[i].Size != local.Themes[i].Size {
				t.Errorf("%s: theme %d differs from the local result", c.name, i)
			}
		}
	}
	if _, err := parseNames("no json here"); err == nil {
		t.Errorf("parseNames accepted prose")
	}
}

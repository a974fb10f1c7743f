// Package modelserver connects the insight engine to an OpenAI-compatible
// model server (OpenAI, Ollama, vLLM, llama.cpp server, ...): embeddings
// through POST /v1/embeddings and theme names through POST
// /v1/chat/completions. It is the only part of the engine that talks HTTP.
package modelserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tandem-pm/tandem/insight"
)

// Client calls one model server. It implements insight.Embedder and
// insight.Namer.
type Client struct {
	BaseURL    string // e.g. http://localhost:11434 (Ollama) or https://api.openai.com; a trailing /v1 is accepted
	Model      string // chat model, used for theme names
	EmbedModel string // embedding model; defaults to Model
	APIKey     string // sent as a bearer token when set
	HTTP       *http.Client
	BatchSize  int // texts per embeddings request (default 128)
}

// FromEnv returns a client configured by TANDEM_AI_BASE_URL, TANDEM_AI_MODEL,
// TANDEM_AI_EMBED_MODEL (optional) and TANDEM_AI_API_KEY, or false when no
// base URL is set.
func FromEnv(getenv func(string) string) (*Client, bool) {
	base := strings.TrimSpace(getenv("TANDEM_AI_BASE_URL"))
	if base == "" {
		return nil, false
	}
	return &Client{
		BaseURL:    base,
		Model:      getenv("TANDEM_AI_MODEL"),
		EmbedModel: getenv("TANDEM_AI_EMBED_MODEL"),
		APIKey:     getenv("TANDEM_AI_API_KEY"),
	}, true
}

func (c *Client) url(path string) string {
	base := strings.TrimRight(c.BaseURL, "/")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	return base + path
}

func (c *Client) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(path), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 120 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("POST %s: read response: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		snippet := strings.TrimSpace(string(data))
		if len(snippet) > 200 {
			snippet = snippet[:200] + "..."
		}
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, snippet)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("POST %s: decode response: %w", path, err)
	}
	return nil
}

type embedRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

type embedResponse struct {
	Data []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
}

// Embed implements insight.Embedder.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	model := c.EmbedModel
	if model == "" {
		model = c.Model
	}
	bs := c.BatchSize
	if bs <= 0 {
		bs = 128
	}
	out := make([][]float32, len(texts))
	for lo := 0; lo < len(texts); lo += bs {
		hi := min(len(texts), lo+bs)
		batch := make([]string, hi-lo)
		for i, t := range texts[lo:hi] {
			if strings.TrimSpace(t) == "" {
				t = " " // some servers reject empty inputs
			}
			batch[i] = t
		}
		var resp embedResponse
		if err := c.post(ctx, "/embeddings", embedRequest{Model: model, Input: batch}, &resp); err != nil {
			return nil, err
		}
		if len(resp.Data) != len(batch) {
			return nil, fmt.Errorf("embeddings: got %d vectors for %d inputs", len(resp.Data), len(batch))
		}
		for j, d := range resp.Data {
			idx := d.Index
			if idx < 0 || idx >= len(batch) {
				idx = j
			}
			out[lo+idx] = d.Embedding
		}
	}
	for i, v := range out {
		if len(v) == 0 {
			return nil, fmt.Errorf("embeddings: no vector for input %d", i)
		}
	}
	return out, nil
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

const namePrompt = `You name themes found in customer feedback. For each numbered theme below you get its keyphrases and a few representative quotes. Answer with only a JSON array, one object per theme in the same order, each {"label": a name of at most 5 words, "summary": one sentence saying what these customers want or complain about}.`

// NameThemes implements insight.Namer: it asks the chat model for a short
// label and a one-sentence summary of each theme, 20 themes per request.
func (c *Client) NameThemes(ctx context.Context, themes []insight.ThemeBrief) ([]insight.ThemeName, error) {
	var out []insight.ThemeName
	for lo := 0; lo < len(themes); lo += 20 {
		hi := min(len(themes), lo+20)
		var b strings.Builder
		for i, t := range themes[lo:hi] {
			fmt.Fprintf(&b, "Theme %d\nKeyphrases: %s\n", i+1, strings.Join(t.Keyphrases, "; "))
			for _, q := range t.Quotes {
				if r := []rune(q); len(r) > 300 {
					q = string(r[:300]) + "..."
				}
				fmt.Fprintf(&b, "- %q\n", q)
			}
			b.WriteString("\n")
		}
		var resp chatResponse
		req := chatRequest{Model: c.Model, Temperature: 0, Messages: []chatMessage{
			{Role: "system", Content: namePrompt},
			{Role: "user", Content: b.String()},
		}}
		if err := c.post(ctx, "/chat/completions", req, &resp); err != nil {
			return nil, err
		}
		if len(resp.Choices) == 0 {
			return nil, errors.New("chat: no choices in the answer")
		}
		names, err := parseNames(resp.Choices[0].Message.Content)
		if err != nil {
			return nil, err
		}
		if len(names) != hi-lo {
			return nil, fmt.Errorf("chat: got %d names for %d themes", len(names), hi-lo)
		}
		out = append(out, names...)
	}
	return out, nil
}

// parseNames finds the JSON array in a chat answer, which models often wrap
// in prose or a code fence.
func parseNames(content string) ([]insight.ThemeName, error) {
	i, j := strings.Index(content, "["), strings.LastIndex(content, "]")
	if i < 0 || j < i {
		return nil, errors.New("chat: answer holds no JSON array")
	}
	var raw []struct {
		Label   string `json:"label"`
		Summary string `json:"summary"`
	}
	if err := json.Unmarshal([]byte(content[i:j+1]), &raw); err != nil {
		return nil, fmt.Errorf("chat: answer is not the JSON asked for: %v", err)
	}
	out := make([]insight.ThemeName, len(raw))
	for k, r := range raw {
		out[k] = insight.ThemeName{Label: r.Label, Summary: r.Summary}
	}
	return out, nil
}

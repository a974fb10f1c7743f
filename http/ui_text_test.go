package http

import (
	"strings"
	"testing"
)

func TestPagesParse(t *testing.T) {
	for _, name := range []string{"signin", "error", "workspaces", "home", "goals", "goal", "programs", "program",
		"projects", "project", "products", "product", "items", "item", "form", "activity", "members"} {
		if pages[name] == nil {
			t.Errorf("no template for page %q", name)
		}
	}
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings of the output
		not      []string
	}{
		{"escapes first", `<script>alert(1)</script>`, []string{"&lt;script&gt;"}, []string{"<script>"}},
		{"emphasis", "a **bold** and *soft* word", []string{"<strong>bold</strong>", "<em>soft</em>"}, nil},
		{"code", "run `a<b` now", []string{"<code>a&lt;b</code>"}, nil},
		{"list", "- one\n- two", []string{"<ul>", "<li>one</li>", "<li>two</li>", "</ul>"}, nil},
		{"ordered", "1. one\n2. two", []string{"<ol>", "<li>two</li>"}, nil},
		{"link", "see [docs](https://example.com/a?b=1&c=2)", []string{`<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">docs</a>`}, nil},
		{"javascript link", "[x](javascript:alert(1))", nil, []string{"<a "}},
		{"quote in link", `[x](https://e.com/"onmouseover="a)`, []string{"&#34;"}, []string{`"onmouseover="`}},
		{"fence", "```\n<b>\n```", []string{"<pre><code>&lt;b&gt;</code></pre>"}, nil},
		{"paragraphs", "a\n\nb", []string{"<p>a</p>", "<p>b</p>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(renderMarkdown(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("renderMarkdown(%q) = %q, want it to contain %q", tt.in, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("renderMarkdown(%q) = %q, want no %q", tt.in, got, n)
				}
			}
		})
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/w/acme": "/w/acme", "": "/", "//evil.com": "/", "https://evil.com": "/", "/\\evil.com": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	if got := formatNumber(1234567); got != "1,234,567" {
		t.Errorf("formatNumber = %q", got)
	}
	if got := formatNumber(12.5); got != "12.5" {
		t.Errorf("formatNumber = %q", got)
	}
	if got := humanLabel("in_progress"); got != "In progress" {
		t.Errorf("humanLabel = %q", got)
	}
}

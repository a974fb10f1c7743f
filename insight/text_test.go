package insight

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"words", "the app crashed twice", []string{"the", "app", "crashed", "twice"}},
		{"apostrophes", "don't use the user's data", []string{"don't", "use", "the", "user", "data"}},
		{"typographic apostrophe", "can’t log in", []string{"can't", "log", "in"}},
		{"mention and url", "@united see https://t.co/x ok", []string{"see", "ok"}},
		{"hashtag", "#fail again", []string{"fail", "again"}},
		{"unicode", "café naïve 東京", []string{"café", "naïve", "東京"}},
		{"empty", "", nil},
		{"punctuation only", "?!... --", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Tokenize(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	got, cut := Normalize("Ｆｕｌｌ\xffWIDTH", 0)
	if got != "full width" || cut {
		t.Errorf("Normalize = %q, %v; want %q, false", got, cut, "full width")
	}
	long := strings.Repeat("é", 100)
	got, cut = Normalize(long, 10)
	if !cut || utf8.RuneCountInString(got) != 10 {
		t.Errorf("truncation: got %d runes, cut %v; want 10, true", utf8.RuneCountInString(got), cut)
	}
}

func TestContentStems(t *testing.T) {
	st := stemmer{}
	norm, _ := Normalize("The exports aren't working and I can't export 2024 reports", 0)
	stems, _ := st.contentStems(Tokenize(norm))
	want := []string{"export", "not", "work", "not", "export", "report"}
	if !reflect.DeepEqual(stems, want) {
		t.Errorf("stems = %q, want %q", stems, want)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"hello world", "don't @x http://y #z", "\xff\xfe", "’'’", strings.Repeat("a", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _ := Normalize(s, 1000)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) is not valid UTF-8", s)
		}
		for _, tok := range Tokenize(n) {
			if tok == "" || strings.ContainsFunc(tok, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }) {
				t.Fatalf("Tokenize(%q) gave bad token %q", n, tok)
			}
		}
		s2 := Sentiment(s)
		if s2.Score < -1 || s2.Score > 1 {
			t.Fatalf("Sentiment(%q) = %v out of range", s, s2.Score)
		}
	})
}

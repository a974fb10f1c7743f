package insight

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// DefaultMaxTextRunes is the length beyond which a text is truncated before
// analysis (Options.MaxTextRunes overrides it).
const DefaultMaxTextRunes = 5000

// Normalize returns text as valid, NFKC-normalised, lower-case UTF-8, cut to
// at most maxRunes runes (0 means no limit). truncated reports a cut.
func Normalize(text string, maxRunes int) (out string, truncated bool) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	if maxRunes > 0 && len(text) > maxRunes {
		// Cut before normalising so that a huge input costs little; NFKC can
		// only change the length by a small factor.
		n := 0
		for i := range text {
			if n == maxRunes {
				text = text[:i]
				truncated = true
				break
			}
			n++
		}
	}
	return strings.ToLower(norm.NFKC.String(text)), truncated
}

// tokenized holds texts normalised and split into words once, for every
// stage of Analyze that reads words (sentiment, vectors, near-duplicates).
type tokenized struct {
	norm      []string   // Normalize of each text
	toks      [][]string // Tokenize of each normalised text
	truncated int        // texts cut to maxRunes
}

func tokenizeAll(texts []string, maxRunes, workers int) *tokenized {
	tk := &tokenized{norm: make([]string, len(texts)), toks: make([][]string, len(texts))}
	trunc := make([]int, numChunks(len(texts)))
	forChunks(len(texts), workers, func(c, lo, hi int) {
		for i := lo; i < hi; i++ {
			t, cut := Normalize(texts[i], maxRunes)
			if cut {
				trunc[c]++
			}
			tk.norm[i], tk.toks[i] = t, Tokenize(t)
		}
	})
	for _, t := range trunc {
		tk.truncated += t
	}
	return tk
}

// Tokenize splits normalised text into word tokens: runs of letters and
// digits, with inner apostrophes kept ("don't"), possessive "'s" dropped.
// @mentions and URLs are skipped; a hashtag gives its word.
func Tokenize(text string) []string {
	var toks []string
	start := -1
	skip := false // inside a mention or URL: until the next space
	prev := ' '
	flush := func(end int) {
		if start >= 0 {
			w := strings.Trim(text[start:end], "'")
			w = strings.TrimSuffix(w, "'s")
			if w != "" {
				toks = append(toks, w)
			}
			start = -1
		}
	}
	for i, r := range text {
		if skip {
			if unicode.IsSpace(r) {
				skip = false
			}
			prev = r
			continue
		}
		if start < 0 && !isWordRune(prev) {
			if r == '@' || strings.HasPrefix(text[i:], "http://") || strings.HasPrefix(text[i:], "https://") || strings.HasPrefix(text[i:], "www.") {
				skip = true
				prev = r
				continue
			}
		}
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0:
			// keep inside a word; normalise the typographic apostrophe below
		default:
			flush(i)
		}
		prev = r
	}
	flush(len(text))
	for i, t := range toks {
		if strings.ContainsRune(t, '’') {
			toks[i] = strings.ReplaceAll(t, "’", "'")
		}
	}
	return toks
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// IsStopWord reports whether a (lower-case) token carries too little meaning
// to describe a theme. Negations are not stop words.
func IsStopWord(tok string) bool { _, ok := stopWords[tok]; return ok }

var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be because been
	before being below between both but by could did do does doing down during each few for from further had has
	have having he her here hers herself him himself his how i i'd i'll i'm i've if in into is it it's its itself
	let's me more most my myself of off on once only or other ought our ours ourselves out over own same she
	she'd she'll she's should so some such than that that's the their theirs them themselves then there there's
	these they they'd they'll they're they've this those through to too under until up very was we we'd we'll
	we're we've were what what's when when's where where's which while who who's whom why why's with would you
	you'd you'll you're you've your yours yourself yourselves can will just also get got im ive dont u ur pls
	please hi hello hey thanks thank would've could've should've us one still even really much`) {
		m[w] = struct{}{}
	}
	return m
}()

// stemmer caches snowball stems; each worker owns one, so no locking.
type stemmer map[string]string

func (s stemmer) stem(w string) string {
	if st, ok := s[w]; ok {
		return st
	}
	st := w
	if utf8.RuneCountInString(w) > 2 && len(w) < 40 {
		st = english.Stem(w, false)
	}
	s[w] = st
	return st
}

// contentStems returns the stems of the non-stop, non-numeric tokens, and
// for each stem the surface word it came from.
func (s stemmer) contentStems(toks []string) (stems, surface []string) {
	for _, t := range toks {
		if IsStopWord(t) || isNumber(t) || len(t) > 40 {
			continue
		}
		t = negationForm(t)
		stems = append(stems, s.stem(t))
		surface = append(surface, t)
	}
	return stems, surface
}

// negationForm maps contracted negations to "not" so that "can't", "cannot"
// and "won't" share a feature.
func negationForm(t string) string {
	if strings.HasSuffix(t, "n't") || t == "cannot" || t == "cant" || t == "wont" || t == "didnt" || t == "doesnt" || t == "isnt" {
		return "not"
	}
	return t
}

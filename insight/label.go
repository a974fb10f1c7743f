package insight

import (
	"math"
	"sort"
	"strings"
)

// Theme labels: the most representative 2–4-word phrase of a theme's texts,
// shown as people wrote it ("card not arrived", "top up"), not as stems.

const (
	labelTexts    = 300 // texts per theme, nearest the centre first, read for phrases
	labelMaxWords = 4
)

// labelParticles may end a phrase although they are stop words ("top up").
var labelParticles = map[string]bool{"up": true, "out": true, "off": true, "down": true}

// labelToken is one token of a text as the label finder sees it.
type labelToken struct {
	key     string // stem of a content word, "not" for negations, else the word
	surface string
	content bool // a content word (not a stop word, not a negation)
	stop    bool // a stop word or negation (may sit inside a phrase)
	breaks  bool // a number or an over-long token: no phrase crosses it
}

func labelTokens(text string, maxRunes int, st stemmer) []labelToken {
	t, _ := Normalize(text, maxRunes)
	if strings.Contains(t, "http") || strings.Contains(t, "www.") {
		// URLs hold dots: drop them before splitting into clauses.
		f := strings.Fields(t)
		for i, w := range f {
			if strings.Contains(w, "http://") || strings.Contains(w, "https://") || strings.HasPrefix(w, "www.") {
				f[i] = "."
			}
		}
		t = strings.Join(f, " ")
	}
	var out []labelToken
	// No phrase crosses a clause: split at sentence punctuation first.
	for ci, clause := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(".,;:!?()[]{}\"…\n", r) }) {
		if ci > 0 {
			out = append(out, labelToken{breaks: true})
		}
		for _, w := range Tokenize(clause) {
			switch {
			case isNumber(w) || len(w) > 40:
				out = append(out, labelToken{breaks: true})
			case negationForm(w) == "not" || w == "not" || w == "no":
				out = append(out, labelToken{key: "not", surface: w, stop: true})
			case IsStopWord(w):
				out = append(out, labelToken{key: w, surface: w, stop: true})
			default:
				out = append(out, labelToken{key: st.stem(w), surface: w, content: true})
			}
		}
	}
	return out
}

// phrases calls fn with the key and surface form of each candidate phrase of
// a text: 2–4 consecutive tokens that start with a content word, end with a
// content word or a particle, and contain at least two content words or a
// content word and a particle.
func phrases(toks []labelToken, fn func(key, surface string)) {
	for i := range toks {
		if !toks[i].content {
			continue
		}
		content := 1
		for j := i + 1; j < len(toks) && j < i+labelMaxWords; j++ {
			tj := toks[j]
			if tj.breaks {
				break
			}
			if tj.content {
				content++
			}
			if (tj.content && content >= 2) || (labelParticles[tj.surface] && content >= 1) {
				var key, surf strings.Builder
				for q := i; q <= j; q++ {
					if q > i {
						key.WriteByte(' ')
						surf.WriteByte(' ')
					}
					key.WriteString(toks[q].key)
					surf.WriteString(toks[q].surface)
				}
				fn(key.String(), surf.String())
			}
		}
	}
}

// phraseLabels returns a label per theme: the phrase most over-represented in
// the theme's texts nearest its centre relative to all themes' such texts
// (p·log(p/q) of document frequencies), in its most frequent surface form. A
// phrase already used by a larger theme is skipped. Themes with no phrase
// seen twice get "" (the caller falls back to keyphrases).
func phraseLabels(texts []string, members [][]int, vec []float32, d int, cent [][]float32, maxRunes int) []string {
	k := len(members)
	type count struct {
		df    int
		surfs map[string]int
	}
	in := make([]map[string]*count, k)
	all := map[string]int{}
	nsel := make([]int, k)
	total := 0
	st := stemmer{}
	for c := range members {
		in[c] = map[string]*count{}
		sel := nearest(members[c], vec, d, cent[c], labelTexts)
		nsel[c] = len(sel)
		total += len(sel)
		seen := map[string]bool{}
		for _, i := range sel {
			clear(seen)
			phrases(labelTokens(texts[i], maxRunes, st), func(key, surf string) {
				e := in[c][key]
				if e == nil {
					e = &count{surfs: map[string]int{}}
					in[c][key] = e
				}
				e.surfs[surf]++
				if !seen[key] {
					seen[key] = true
					e.df++
					all[key]++
				}
			})
		}
	}
	labels := make([]string, k)
	used := map[string]bool{}
	for c := range members {
		type cand struct {
			key string
			s   float64
		}
		var cands []cand
		for key, e := range in[c] {
			if e.df < 2 {
				continue
			}
			p := float64(e.df) / float64(nsel[c])
			q := float64(all[key]) / float64(total)
			cands = append(cands, cand{key, p * math.Log(p/q)})
		}
		sort.Slice(cands, func(a, b int) bool {
			if cands[a].s != cands[b].s {
				return cands[a].s > cands[b].s
			}
			return cands[a].key < cands[b].key
		})
		for _, cd := range cands {
			if used[cd.key] {
				continue
			}
			// A longer phrase around the best one that nearly always comes
			// with it reads better ("auto top" -> "auto top up").
			key, df := cd.key, in[c][cd.key].df
			for _, o := range cands {
				od := in[c][o.key].df
				if !used[o.key] && len(o.key) > len(key) && strings.Contains(" "+o.key+" ", " "+cd.key+" ") &&
					10*od >= 7*df && (od > in[c][key].df || key == cd.key) {
					key = o.key
				}
			}
			used[cd.key], used[key] = true, true
			labels[c] = mostFrequent(in[c][key].surfs)
			break
		}
	}
	return labels
}

// nearest returns up to m members by decreasing cosine to centre (ties:
// lower index first).
func nearest(members []int, vec []float32, d int, centre []float32, m int) []int {
	if len(members) <= m {
		return members
	}
	type ms struct {
		i int
		s float32
	}
	sc := make([]ms, len(members))
	for j, i := range members {
		sc[j] = ms{i, dot32(vec[i*d:(i+1)*d], centre)}
	}
	sort.Slice(sc, func(a, b int) bool {
		if sc[a].s != sc[b].s {
			return sc[a].s > sc[b].s
		}
		return sc[a].i < sc[b].i
	})
	out := make([]int, m)
	for j := range out {
		out[j] = sc[j].i
	}
	return out
}

func mostFrequent(m map[string]int) string {
	best, bn := "", -1
	for s, n := range m {
		if n > bn || (n == bn && s < best) {
			best, bn = s, n
		}
	}
	return best
}

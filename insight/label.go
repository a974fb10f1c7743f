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

// A label should read as a whole idea ("verify my identity", "card won't
// work", "top up limit"), not as a fragment cut out of a sentence ("transfer
// take", "card if i live", "charge for using"). Without a part-of-speech
// tagger, the rules rest on English closed word classes, which are short
// lists, plus about 25 light verbs; every other word is an open-class content
// word. Texts in another language have few words on these lists; their
// themes get keyphrase labels (phraseLabels).
type wordClass uint8

const (
	wContent  wordClass = iota // open class: may start and end a phrase
	wLight                     // light verb (get, take, make, use...): may start a phrase, never end one, is no head
	wParticle                  // up, out, off, down, back, away: may end a phrase after a verb, never start one
	wPrep                      // preposition: inside only ("in" and "on" may end one as particles: "log in")
	wDet                       // determiner, quantifier, possessive: inside only
	wConj                      // and, or, nor: inside only, right after a content word ("visa and mastercard")
	wFunc                      // auxiliary, negation, object pronoun, adverb (also "ago", "today"), greeting: inside only
	wBlock                     // subject pronoun, wh-word, subordinator, "but": no phrase holds one ("card if i live")
	wBreak                     // number (also written out), over-long token, clause boundary: no phrase crosses it
)

var labelClasses = func() map[string]wordClass {
	m := map[string]wordClass{}
	for class, words := range map[wordClass]string{
		wParticle: `up out off down back away`,
		wPrep: `to for of in on at by with from into onto about above below over under after before through
			during without within between against among across around via per towards toward than as until upon
			like`,
		wDet: `a an the my your ur his her its our their this these those some any every each another all both
			either neither few more most other such same own several many much enough whose`,
		wConj: `and or nor`,
		wBlock: `i you u he she we they it i'm im i've ive i'd i'll you're you've you'd you'll he's she's it's
			we're we've we'd we'll they're they've they'd they'll let's what which who whom when where why how
			what's who's when's where's why's how's whether if because since although though unless while
			whereas that that's there there's here here's but so`,
		wFunc: `me him them us myself yourself himself herself itself ourselves yourselves themselves one ones
			something anything nothing everything someone anyone everyone nobody somebody anybody am is are was
			were be been being do does did doing done have has had having can could will would shall should may
			might must ought just also still even really very too again only ever already yet soon now then once
			further please pls thanks thank hi hello hey ok okay well actually maybe perhaps ago today yesterday
			tomorrow tonight`,
		// Light (delexical) verbs carry little meaning of their own: a phrase
		// that ends on one misses its object or complement ("transfer take",
		// "funds come", "charge for using").
		wLight: `get gets got getting gotten make makes made making take takes took taking taken come comes
			came coming go goes went going gone give gives gave giving given put puts putting need needs needed
			needing want wants wanted wanting use uses used using try tries tried trying let lets letting keep
			keeps kept keeping seem seems seemed know knows knew knowing known think thinks thought thinking see
			sees saw seeing seen say says said saying tell tells told telling mean means meant
			look looks looked looking help helps helped helping happen happens happened happening find finds
			finding`,
	} {
		for _, w := range strings.Fields(words) {
			m[w] = class
		}
	}
	return m
}()

// labelToken is one token of a text as the label finder sees it.
type labelToken struct {
	key     string // stem of a content word or light verb, "not" for negations, else the word
	surface string
	class   wordClass
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
			out = append(out, labelToken{class: wBreak})
		}
		for _, w := range Tokenize(clause) {
			class, listed := labelClasses[w]
			switch {
			case isNumber(w) || numberWords[w] || len(w) > 40:
				out = append(out, labelToken{class: wBreak})
			case negationForm(w) == "not" || w == "not" || w == "no" || w == "never":
				out = append(out, labelToken{key: "not", surface: w, class: wFunc})
			case listed && (class == wContent || class == wLight):
				out = append(out, labelToken{key: st.stem(w), surface: w, class: class})
			case listed:
				out = append(out, labelToken{key: w, surface: w, class: class})
			case IsStopWord(w):
				out = append(out, labelToken{key: w, surface: w, class: wFunc})
			default:
				out = append(out, labelToken{key: st.stem(w), surface: w, class: wContent})
			}
		}
	}
	return out
}

// numberWords are cardinal numbers written out; like digits, no phrase
// holds one ("two weeks").
var numberWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`two three four five six seven eight nine ten eleven twelve fifteen twenty
		thirty forty fifty hundred thousand million`) {
		m[w] = true
	}
	return m
}()

// endsAsParticle reports whether a phrase may end on t after a verb: "top
// up", "log in", "funds come in".
func endsAsParticle(t labelToken) bool {
	return t.class == wParticle || (t.class == wPrep && (t.key == "in" || t.key == "on"))
}

// phrases calls fn with the bounds i..j of each candidate phrase of a text:
// 2–4 consecutive tokens inside one clause, with no subject pronoun,
// wh-word or subordinator and no question inversion ("long does a
// transfer"), that start with a content word or a light verb not followed
// by a preposition ("need to change", "take for"), hold no light verb
// followed by "to" ("transfer take to arrive"), end with a content word or
// with a particle right after a verb ("top up"), hold at least one content
// word, and hold two content words or light verbs unless they end on a
// particle. Whether the word before a final particle is a verb is judged
// later, on counts (phraseLabels).
func phrases(toks []labelToken, fn func(i, j int)) {
	for i := range toks {
		first := toks[i].class
		if first != wContent && first != wLight {
			continue
		}
		heads, words := 0, 1
		if first == wContent {
			heads = 1
		}
		for j := i + 1; j < len(toks) && j < i+labelMaxWords; j++ {
			tj, prev := toks[j], toks[j-1].class
			if tj.class >= wBlock || (tj.class == wPrep && prev == wLight && (j == i+1 || tj.key == "to")) ||
				(tj.class == wConj && prev != wContent && prev != wLight) ||
				(tj.class == wDet && isDo[toks[j-1].surface]) {
				break
			}
			switch tj.class {
			case wContent:
				heads++
				words++
				if words >= 2 {
					fn(i, j)
				}
			case wLight:
				words++
			default:
				if heads >= 1 && endsAsParticle(tj) && (prev == wContent || prev == wLight) {
					fn(i, j)
				}
			}
		}
	}
}

// whBefore reports whether the clause of toks[i] has a wh-word before it.
func whBefore(toks []labelToken, i int) bool {
	for q := i - 1; q >= 0 && toks[q].class != wBreak; q-- {
		if whWords[toks[q].key] {
			return true
		}
	}
	return false
}

var whWords = map[string]bool{"what": true, "which": true, "who": true, "whom": true, "when": true, "where": true,
	"why": true, "how": true, "what's": true, "who's": true, "when's": true, "where's": true, "why's": true, "how's": true}

// isDo holds the forms of "do" that, before a determiner, ask a question
// ("long does a transfer" take).
var isDo = map[string]bool{"do": true, "does": true, "did": true}

// phraseText returns the key (stems) and surface form of toks[i..j].
func phraseText(toks []labelToken, i, j int) (key, surface string) {
	var k, s strings.Builder
	for q := i; q <= j; q++ {
		if q > i {
			k.WriteByte(' ')
			s.WriteByte(' ')
		}
		k.WriteString(toks[q].key)
		s.WriteString(toks[q].surface)
	}
	return k.String(), s.String()
}

// phraseLabels returns a label per theme: the phrase most over-represented in
// the theme's texts nearest its centre relative to all themes' such texts
// (p·log(p/q) of document frequencies), in its most frequent surface form.
// Candidates that read as whole (phrases, and complete below) come first;
// the others only when a theme has no whole one. A phrase already used by a
// larger theme is skipped. Themes with no phrase seen twice, and themes not
// in English (fewer than a fifth of their words on the English word lists),
// get "": the caller falls back to keyphrases.
func phraseLabels(texts []string, members [][]int, vec []float32, d int, cent [][]float32, maxRunes int) []string {
	k := len(members)
	in := make([]map[string]*phraseCount, k)
	all := map[string]int{}
	words := map[string]*wordUse{} // per word form
	pairs := map[string]int{}      // word form and the particle right after it: uses
	nsel := make([]int, k)
	nwords, nfunc := make([]int, k), make([]int, k) // words read, and those of them on the English lists
	total := 0
	st := stemmer{}
	for c := range members {
		in[c] = map[string]*phraseCount{}
		sel := nearest(members[c], vec, d, cent[c], labelTexts)
		nsel[c] = len(sel)
		total += len(sel)
		seen := map[string]bool{}
		for _, i := range sel {
			clear(seen)
			toks := labelTokens(texts[i], maxRunes, st)
			for p, t := range toks {
				if t.class != wBreak {
					nwords[c]++
					if t.class != wContent {
						nfunc[c]++
					}
				}
				if t.class == wContent || t.class == wLight {
					w := words[t.surface]
					if w == nil {
						w = new(wordUse)
						words[t.surface] = w
					}
					w.n++
					w.light = w.light || t.class == wLight
					if p > 0 {
						switch prev := toks[p-1]; {
						case prev.class == wDet:
							w.afterDet++
						case verbContext[prev.surface]:
							w.afterVerbContext++
						}
					}
					if p+1 < len(toks) && endsAsParticle(toks[p+1]) {
						pairs[t.surface+" "+toks[p+1].surface]++
					}
				}
			}
			phrases(toks, func(i, j int) {
				key, surf := phraseText(toks, i, j)
				e := in[c][key]
				if e == nil {
					e = &phraseCount{surfs: map[string]int{}}
					in[c][key] = e
				}
				e.surfs[surf]++
				e.n++
				if j+1 < len(toks) {
					switch next := toks[j+1]; {
					case next.key == "of":
						e.ofNext++
						e.objNext++
					case next.class <= wLight || next.class == wDet:
						e.objNext++
					}
				}
				if toks[j].class == wPrep && whBefore(toks, i) {
					e.stranded++
				}
				if !seen[key] {
					seen[key] = true
					e.df++
					all[key]++
				}
			})
		}
	}
	// complete reports whether a counted phrase reads as a whole. A final
	// particle must belong to a verb: the phrase starts with a light verb or
	// the particle follows one ("get my card back", "funds come in"), or the
	// word before it takes this particle in at least a third of its uses (a
	// phrasal verb or its noun: "top up", "log in"), or it is used as a verb
	// more often than as a noun, judged by the word before it in all the
	// texts read: "to", a modal or a subject pronoun against a determiner.
	// "card out", cut from "get my card out", fails all three. A final "in"
	// or "on" must mostly end the clause, else it is a preposition without
	// its object ("live in" the uk), and unless it follows a light verb
	// ("come in") it must not mostly end a wh-question, where a preposition
	// is stranded ("which countries do you operate in"). A phrase mostly
	// followed by "of" lacks its complement ("verify my source" of funds).
	// And a determiner right after a noun starts a new noun phrase: after a
	// verb it starts the object ("cancel a transfer"), after a noun the
	// phrase joins two ("month the same thing").
	complete := func(e *phraseCount) bool {
		if 2*e.ofNext > e.n {
			return false
		}
		// Word forms, not stems, tell nouns from verbs ("a charge", "was
		// charged"): judge the most frequent surface form.
		f := strings.Fields(mostFrequent(e.surfs))
		for q := 0; q+1 < len(f); q++ {
			if w := words[f[q]]; w != nil && labelClasses[f[q+1]] == wDet && w.afterDet > w.afterVerbContext {
				return false
			}
		}
		last := f[len(f)-1]
		if (last == "in" || last == "on") && (2*e.objNext > e.n || (2*e.stranded > e.n && !words[f[len(f)-2]].light)) {
			return false
		}
		if labelClasses[last] == wParticle || last == "in" || last == "on" {
			first, w := words[f[0]], words[f[len(f)-2]]
			return first.light || w.light || 3*pairs[f[len(f)-2]+" "+last] >= w.n || w.afterVerbContext > w.afterDet
		}
		return true
	}
	type cand struct {
		key string
		s   float64
	}
	byScore := func(cands []cand) {
		sort.Slice(cands, func(a, b int) bool {
			if cands[a].s != cands[b].s {
				return cands[a].s > cands[b].s
			}
			return cands[a].key < cands[b].key
		})
	}
	labels := make([]string, k)
	used := map[string]bool{}
	// pick returns the best candidate of theme c not used by a larger theme.
	pick := func(c int, cands []cand) string {
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
			return mostFrequent(in[c][key].surfs)
		}
		return ""
	}
	for c := range members {
		if 5*nfunc[c] < nwords[c] {
			// English has 40-70% function words, other languages have few
			// of ours: the rules do not apply, and the caller's keyphrases
			// are safer than a run of words cut anywhere.
			continue
		}
		var whole, cut []cand
		for key, e := range in[c] {
			if e.df < 2 {
				continue
			}
			p := float64(e.df) / float64(nsel[c])
			q := float64(all[key]) / float64(total)
			if complete(e) {
				whole = append(whole, cand{key, p * math.Log(p/q)})
			} else {
				cut = append(cut, cand{key, p * math.Log(p/q)})
			}
		}
		byScore(whole)
		if labels[c] = pick(c, whole); labels[c] == "" {
			// Better a phrase people wrote than two keyphrases.
			byScore(cut)
			labels[c] = pick(c, cut)
		}
	}
	return labels
}

// phraseCount counts one candidate phrase in one theme's texts.
type phraseCount struct {
	df       int            // texts holding it
	n        int            // occurrences
	ofNext   int            // occurrences followed by "of"
	objNext  int            // occurrences followed by "of", a determiner, a content word or a light verb
	stranded int            // occurrences ending on a preposition in a clause that has a wh-word before them
	surfs    map[string]int // occurrences per surface form
}

// wordUse counts the uses of a content word in the texts read for labels.
type wordUse struct {
	n                int
	afterDet         int  // right after a determiner: used as a noun
	afterVerbContext int  // right after "to", a modal or a subject pronoun: used as a verb
	light            bool // a light verb
}

// verbContext holds the words after which the next word is a verb.
var verbContext = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`to i you u we they he she can can't cannot cant could couldn't will won't
		would wouldn't should shouldn't must do don't dont does doesn't did didn't didnt please pls not never`) {
		m[w] = true
	}
	return m
}()

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

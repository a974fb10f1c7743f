package insight

import (
	"context"
	"strings"
	"testing"
)

func TestPhrases(t *testing.T) {
	got := phraseList("My card hasn't arrived, can I top up 20 euros?", true)
	want := []string{"card not arriv=card hasn't arrived", "top up=top up"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phrases = %q, want %q", got, want)
	}
	got = phraseList("@united lost bags again http://t.co/x.y lost bags", false)
	if want := []string{"lost bags", "lost bags"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phrases = %q, want %q", got, want)
	}
}

// TestPhrasesWhole: candidates read as whole ideas; the fragments that the
// first phrase finder proposed are not candidates.
func TestPhrasesWhole(t *testing.T) {
	for _, tc := range []struct {
		text      string
		want, not []string
	}{
		{"How long does a transfer take?", nil, []string{"transfer take", "long does a transfer"}},
		{"How long does a transfer take to arrive?", nil, []string{"transfer take", "transfer take to arrive"}},
		{"Can I get a card if I live in Spain?", []string{"get a card", "live in spain"}, []string{"card if i live"}},
		{"Is there a charge for using the ATM?", []string{"using the atm"}, []string{"charge for using"}},
		{"I need to change my address", []string{"change my address"}, []string{"need to change"}},
		{"Where do my funds come from?", nil, []string{"funds come"}},
		{"When will my funds come in?", []string{"funds come in"}, []string{"funds come"}},
		{"Did you buy anything with my card?", nil, []string{"buy anything"}},
		{"Where is the card you sent me?", nil, []string{"card you sent"}},
		{"Can I get my card back into the app?", []string{"get my card back"}, []string{"back into the app"}},
		{"I want to top up my card", []string{"top up", "top up my card"}, nil},
		{"I have visa and mastercard", []string{"visa and mastercard"}, nil},
		{"Which countries do you operate in?", []string{"operate in"}, []string{"countries do you operate"}}, // judged on counts
		{"It looks like my card was charged twice", []string{"card was charged twice"}, []string{"looks like my card"}},
		{"I got mugged two days ago", []string{"got mugged"}, []string{"days ago", "two days", "mugged two days"}},
	} {
		got := phraseList(tc.text, false)
		has := map[string]bool{}
		for _, p := range got {
			has[p] = true
		}
		for _, w := range tc.want {
			if !has[w] {
				t.Errorf("%q: phrases %q lack %q", tc.text, got, w)
			}
		}
		for _, w := range tc.not {
			if has[w] {
				t.Errorf("%q: phrases %q hold the fragment %q", tc.text, got, w)
			}
		}
	}
}

// TestPhraseLabelsWhole labels small synthetic themes whose most frequent
// runs of words are fragments.
func TestPhraseLabelsWhole(t *testing.T) {
	themes := [][]string{
		{"the atm swallowed my card, how do i get my card out", "atm kept my card and i can't get my card out",
			"the machine ate my card, please help me get my card out", "my card is stuck in the atm, get my card out",
			"how can i get my card out now"},
		{"how long does a transfer take", "how long does a transfer take to reach my account",
			"how long does a transfer take from europe", "a transfer to my account is slow, how long does it take",
			"how long does a transfer take to reach my account?"},
		{"where do my funds come from", "when will my funds come in", "my funds come in late every month",
			"why do the funds come in so slowly", "funds come in after three days"},
		{"can i get a card if i live in spain", "can i get a card if i live in france",
			"can i get a card if i live in italy", "is it possible to get a card if i live abroad"},
		{"i want to top up my card", "my top up failed", "top up by bank transfer", "how do i top up",
			"top up didn't work"},
		{"which countries do you operate in", "what countries do you operate in?", "which regions do you operate in",
			"is there a list of supported countries", "supported countries please"},
		{"every month the same thing: the fees", "every month the same thing with fees", "every month the same thing",
			"monthly fees are too high", "monthly fees keep rising"},
		{"i was charged a fee", "why was i charged a fee", "charged a fee again", "this charge is wrong",
			"a charge i don't know", "the charge is wrong"},
	}
	var texts []string
	var members [][]int
	for _, th := range themes {
		var m []int
		for _, s := range th {
			m = append(m, len(texts))
			texts = append(texts, s)
		}
		members = append(members, m)
	}
	labels := phraseLabels(texts, members, nil, 0, make([][]float32, len(members)), 0)
	want := []string{"get my card out", "reach my account", "funds come in", "get a card", "top up", "supported countries",
		"monthly fees", "charged a fee"}
	for c, l := range labels {
		if l != want[c] {
			t.Errorf("theme %d (%q...): label %q, want %q", c, themes[c][0], l, want[c])
		}
	}
}

// TestPhraseLabelsOtherText: a theme of function words gets no phrase, nor
// does a theme in another language (the caller then uses keyphrases); an
// English theme beside them gets its phrase.
func TestPhraseLabelsOtherText(t *testing.T) {
	texts := []string{"what is it", "is it what it is", "it is what it is", "what is this",
		"ma carte n'est pas arrivée", "ma carte n'est toujours pas arrivée", "pourquoi ma carte n'est pas arrivée",
		"我的卡还没有到", "我的卡还没有到", "卡没有到",
		"my card has not arrived", "the card has not arrived yet", "card not arrived, help"}
	members := [][]int{{0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}}
	labels := phraseLabels(texts, members, nil, 0, make([][]float32, len(members)), 0)
	if want := []string{"", "", "", "card has not arrived"}; strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q, want %q", labels, want)
	}
	var docs []Doc
	for _, s := range texts[4:] {
		docs = append(docs, Doc{Text: s})
	}
	res, err := Analyze(context.Background(), docs, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range res.Themes {
		if th.Label == "" || th.Label == "(no label)" {
			t.Errorf("theme %d (keyphrases %q): no label", th.ID, th.Keyphrases)
		}
	}
}

func TestPhraseLabels(t *testing.T) {
	var docs []Doc
	for _, s := range []string{"My card hasn't arrived yet", "the card has not arrived after two weeks",
		"card hasn't arrived, what now?", "still waiting, my card hasn't arrived", "why has my card not arrived"} {
		docs = append(docs, Doc{Text: s})
	}
	for _, s := range []string{"I want a refund for the broken chair", "how long does a refund take",
		"refund not received for my order", "please process my refund quickly", "refund not received after a month"} {
		docs = append(docs, Doc{Text: s})
	}
	for _, s := range []string{"change the delivery address", "how do I change my delivery address",
		"delivery address is wrong", "update delivery address please", "my delivery address changed"} {
		docs = append(docs, Doc{Text: s})
	}
	res, err := Analyze(context.Background(), docs, Options{K: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for _, th := range res.Themes {
		labels[th.Label] = true
		if n := len(strings.Fields(th.Label)); n < 2 || n > 4 {
			t.Errorf("label %q: %d words, want 2-4", th.Label, n)
		}
	}
	for _, want := range []string{"card hasn't arrived", "delivery address"} {
		if !labels[want] {
			t.Errorf("labels %v lack %q", labels, want)
		}
	}
}

func FuzzPhrases(f *testing.F) {
	f.Add("My card hasn't arrived, can I top up 20 euros?")
	f.Add("@united http://t.co/x.y lost bags... again!!")
	f.Add("\xff\xfe top up up up")
	f.Fuzz(func(t *testing.T, s string) {
		toks := labelTokens(s, 200, stemmer{})
		phrases(toks, func(i, j int) {
			key, surf := phraseText(toks, i, j)
			if n := len(strings.Fields(surf)); n < 2 || n > labelMaxWords || len(strings.Fields(key)) != n {
				t.Errorf("phrase %q (key %q) of %q", surf, key, s)
			}
			// A phrase starts with a content word or light verb, ends with
			// a content word or a particle, and holds a content word.
			content := false
			for q := i; q <= j; q++ {
				content = content || toks[q].class == wContent
				if toks[q].class >= wBlock {
					t.Errorf("phrase %q of %q holds %q", surf, s, toks[q].surface)
				}
			}
			if first, last := toks[i], toks[j]; !content || first.class > wLight || (last.class != wContent && !endsAsParticle(last)) {
				t.Errorf("phrase %q of %q is no whole phrase", surf, s)
			}
		})
	})
}

// phraseList returns the candidate phrases of text in surface form, with
// their keys when keys is set.
func phraseList(text string, keys bool) []string {
	var out []string
	toks := labelTokens(text, 0, stemmer{})
	phrases(toks, func(i, j int) {
		key, surf := phraseText(toks, i, j)
		if keys {
			surf = key + "=" + surf
		}
		out = append(out, surf)
	})
	return out
}

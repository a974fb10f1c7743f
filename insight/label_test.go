package insight

import (
	"context"
	"strings"
	"testing"
)

func TestPhrases(t *testing.T) {
	var got []string
	phrases(labelTokens("My card hasn't arrived, can I top up 20 euros?", 0, stemmer{}), func(key, surf string) {
		got = append(got, key+"="+surf)
	})
	want := []string{"card not arriv=card hasn't arrived", "top up=top up"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phrases = %q, want %q", got, want)
	}
	got = nil
	phrases(labelTokens("@united lost bags again http://t.co/x.y lost bags", 0, stemmer{}), func(key, surf string) {
		got = append(got, surf)
	})
	if want := []string{"lost bags", "lost bags"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phrases = %q, want %q", got, want)
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
		phrases(labelTokens(s, 200, stemmer{}), func(key, surf string) {
			if n := len(strings.Fields(surf)); n < 2 || n > labelMaxWords || len(strings.Fields(key)) != n {
				t.Errorf("phrase %q (key %q) of %q", surf, key, s)
			}
		})
	})
}

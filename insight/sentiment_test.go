package insight

import "testing"

func TestSentiment(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"I love the new dashboard, great work!", Positive},
		{"The export is broken and support was rude", Negative},
		{"How do I change my email address?", Neutral},
		{"not good at all", Negative},
		{"this is not bad", Positive},
		{"thanks for nothing", Negative},
		{"The app is fine but the sync is terrible", Negative},
		{"", Neutral},
		{"Great :)", Positive},
		{"see https://example.com/:/path", Neutral},
	} {
		if got := Sentiment(c.in); got.Label != c.want {
			t.Errorf("Sentiment(%q) = %+v, want %s", c.in, got, c.want)
		}
	}
	if a, b := Sentiment("slow").Score, Sentiment("very slow").Score; !(b < a) {
		t.Errorf("intensifier: very slow %v should be below slow %v", b, a)
	}
}

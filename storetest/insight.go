package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// testVoiceOfCustomer checks tandem.InsightService: feedback, ideas and
// votes, interviews and highlights, themes, evidence.
func testVoiceOfCustomer(t *testing.T, open Opener) {
	t.Run("Feedback", func(t *testing.T) { testFeedback(t, open) })
	t.Run("ImportIsAllOrNothing", func(t *testing.T) { testFeedbackImport(t, open) })
	t.Run("Ideas", func(t *testing.T) { testIdeas(t, open) })
	t.Run("Interviews", func(t *testing.T) { testInterviews(t, open) })
	t.Run("Themes", func(t *testing.T) { testThemes(t, open) })
	t.Run("Evidence", func(t *testing.T) { testEvidence(t, open) })
}

func (f *fixture) feedback(t *testing.T, text string, mods ...func(*tandem.Feedback)) *tandem.Feedback {
	t.Helper()
	x := &tandem.Feedback{Text: text, Source: tandem.SourceSupport}
	for _, m := range mods {
		m(x)
	}
	must(t, f.s.CreateFeedback(f.ctx, f.ws, x))
	return x
}

func eur(cents int64) tandem.Money { return tandem.Money{Amount: cents, Currency: "EUR"} }

func testFeedback(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx

	wantField(t, s.CreateFeedback(ctx, f.ws, &tandem.Feedback{Text: "  "}), "text")
	wantField(t, s.CreateFeedback(ctx, f.ws, &tandem.Feedback{Text: "x", Source: "fax"}), "source")

	a := f.feedback(t, "The app crashes when I open statements", func(x *tandem.Feedback) {
		x.CustomerName, x.Account, x.AccountTier, x.AccountRevenue = "Ana", "Lopez household", "premium", eur(250_000)
		x.Tags = []string{"crash", "android"}
		x.ReceivedOn = tandem.Date{Year: 2025, Month: 3, Day: 1}
		x.SentimentScore, x.SentimentLabel = -0.6, tandem.SentimentNegative
		x.ThemeID = tandem.NewID() // ignored: themes are set by extraction only
	})
	if a.ID == "" || a.Version != 1 || a.WorkspaceID != f.ws || a.ThemeID != "" {
		t.Fatalf("created %+v", a)
	}
	b := f.feedback(t, "Please add dark mode", func(x *tandem.Feedback) { x.Source = tandem.SourceReview; x.Tags = []string{"ui"} })
	c := f.feedback(t, "Fees for card payments abroad are too high", func(x *tandem.Feedback) { x.Account = "Lopez household" })

	got, err := s.FindFeedbackByID(ctx, f.ws, a.ID)
	must(t, err)
	if got.Text != a.Text || got.AccountRevenue != eur(250_000) || strings.Join(got.Tags, ",") != "crash,android" ||
		got.ReceivedOn != a.ReceivedOn || got.SentimentLabel != tandem.SentimentNegative || got.SentimentScore != -0.6 || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Errorf("read back %+v, want %+v", got, a)
	}
	if len(b.Tags) != 1 {
		t.Errorf("tags %v", b.Tags)
	}
	_, err = s.FindFeedbackByID(f.otherCtx(), f.other, a.ID)
	wantCode(t, err, tandem.ENotFound)

	for _, tc := range []struct {
		name   string
		filter tandem.FeedbackFilter
		want   []string
	}{
		{"all, newest first", tandem.FeedbackFilter{}, []string{c.ID, b.ID, a.ID}},
		{"source", tandem.FeedbackFilter{Source: tandem.SourceReview}, []string{b.ID}},
		{"tag", tandem.FeedbackFilter{Tag: "crash"}, []string{a.ID}},
		{"tag is whole", tandem.FeedbackFilter{Tag: "cras"}, []string{}},
		{"sentiment", tandem.FeedbackFilter{Sentiment: tandem.SentimentNegative}, []string{a.ID}},
		{"account", tandem.FeedbackFilter{Account: "Lopez household"}, []string{c.ID, a.ID}},
		{"words", tandem.FeedbackFilter{Q: "DARK"}, []string{b.ID}},
		{"like is literal", tandem.FeedbackFilter{Q: "%"}, []string{}},
		{"no theme", tandem.FeedbackFilter{ThemeID: "none"}, []string{c.ID, b.ID, a.ID}},
	} {
		list, _, err := s.FindFeedback(ctx, f.ws, tc.filter)
		must(t, err)
		sameIDs(t, tc.name, ids(list, func(x *tandem.Feedback) string { return x.ID }), tc.want)
	}
	page1, next, err := s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: 2}})
	must(t, err)
	page2, last, err := s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: 2, Cursor: next}})
	must(t, err)
	if len(page1) != 2 || next == "" || len(page2) != 1 || last != "" || page2[0].ID != a.ID {
		t.Errorf("pages: %d (next %q), %d (next %q)", len(page1), next, len(page2), last)
	}
	other, _, err := s.FindFeedback(f.otherCtx(), f.other, tandem.FeedbackFilter{})
	must(t, err)
	if len(other) != 0 {
		t.Errorf("the other workspace sees %d pieces of feedback", len(other))
	}

	text := "The app crashes when I open my statements"
	up, err := s.UpdateFeedback(ctx, f.ws, a.ID, tandem.FeedbackUpdate{Text: &text, Tags: &[]string{"crash"}}, 1)
	must(t, err)
	if up.Version != 2 || up.Text != text || len(up.Tags) != 1 || up.AccountTier != "premium" {
		t.Errorf("updated %+v", up)
	}
	_, err = s.UpdateFeedback(ctx, f.ws, a.ID, tandem.FeedbackUpdate{Text: &text}, 1)
	wantCode(t, err, tandem.EStale)
	empty := ""
	_, err = s.UpdateFeedback(ctx, f.ws, a.ID, tandem.FeedbackUpdate{Text: &empty}, 0)
	wantField(t, err, "text")
	_, err = s.UpdateFeedback(f.otherCtx(), f.other, a.ID, tandem.FeedbackUpdate{Text: &text}, 0)
	wantCode(t, err, tandem.ENotFound)

	wantCode(t, s.DeleteFeedback(f.otherCtx(), f.other, b.ID), tandem.ENotFound)
	must(t, s.DeleteFeedback(ctx, f.ws, b.ID))
	_, err = s.FindFeedbackByID(ctx, f.ws, b.ID)
	wantCode(t, err, tandem.ENotFound)

	acts, _, err := s.FindActivity(ctx, f.ws, tandem.ActivityFilter{EntityType: tandem.EntityFeedback, EntityID: a.ID})
	must(t, err)
	if len(acts) != 2 || acts[0].Action != tandem.ActionUpdate || acts[1].Action != tandem.ActionCreate || acts[0].ActorID != f.owner.ID {
		t.Errorf("activity of feedback: %+v", acts)
	}
}

func testFeedbackImport(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	good := func(n int) []*tandem.Feedback {
		var xs []*tandem.Feedback
		for i := range n {
			xs = append(xs, &tandem.Feedback{Text: fmt.Sprintf("feedback %d", i), Source: tandem.SourceCSV})
		}
		return xs
	}
	bad := good(5)
	bad[3].Text = ""
	err := s.ImportFeedback(ctx, f.ws, bad)
	wantCode(t, err, tandem.EInvalid)
	if !strings.Contains(tandem.ErrorMessage(err), "Row 4") {
		t.Errorf("message %q does not name row 4", tandem.ErrorMessage(err))
	}
	list, _, err := s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("a failed import left %d rows", len(list))
	}
	must(t, s.ImportFeedback(ctx, f.ws, good(250)))
	list, _, err = s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	must(t, err)
	if len(list) != 250 || list[0].Text != "feedback 249" {
		t.Fatalf("imported %d, first %q", len(list), list[0].Text)
	}
	// An extraction that touches more rows than one UPDATE sets.
	theme := &tandem.Theme{Meta: tandem.Meta{ID: tandem.NewID()}, Label: "Everything", Size: len(list)}
	assign := map[string]tandem.FeedbackInsight{}
	for i, x := range list {
		assign[x.ID] = tandem.FeedbackInsight{ThemeID: theme.ID, SentimentScore: float64(i%3-1) / 2, SentimentLabel: tandem.SentimentNeutral}
	}
	must(t, s.ReplaceThemes(ctx, f.ws, []*tandem.Theme{theme}, assign))
	inTheme, _, err := s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{ThemeID: theme.ID, Page: tandem.Page{Limit: tandem.MaxLimit}})
	must(t, err)
	if len(inTheme) != 250 {
		t.Fatalf("%d of 250 in the theme", len(inTheme))
	}
	for _, x := range inTheme {
		if want := assign[x.ID].SentimentScore; x.SentimentScore != want {
			t.Fatalf("feedback %q has score %v, want %v", x.Text, x.SentimentScore, want)
		}
	}
}

func testIdeas(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	otherItem := &tandem.Item{Kind: tandem.KindFeature, Title: "Elsewhere"}
	must(t, s.CreateItem(f.otherCtx(), f.other, otherItem))

	wantField(t, s.CreateIdea(ctx, f.ws, &tandem.Idea{Title: "x", ItemID: otherItem.ID}), "item_id")
	wantField(t, s.CreateIdea(ctx, f.ws, &tandem.Idea{Title: ""}), "title")

	feature := f.item(t, "Dark mode", func(x *tandem.Item) { x.Kind = tandem.KindFeature })
	dark := &tandem.Idea{Title: "Dark mode", Public: true, SubmitterEmail: "Ana@Example.com", ItemID: feature.ID, Votes: 99}
	must(t, s.CreateIdea(ctx, f.ws, dark))
	if dark.Status != tandem.IdeaNew || dark.Votes != 0 || dark.SubmitterEmail != "ana@example.com" {
		t.Fatalf("created %+v", dark)
	}
	night := &tandem.Idea{Title: "Night theme", Public: true, SubmitterEmail: "cy@example.com"}
	must(t, s.CreateIdea(ctx, f.ws, night))
	internal := &tandem.Idea{Title: "Refactor the ledger"}
	must(t, s.CreateIdea(ctx, f.ws, internal))

	for _, v := range []string{"ben@example.com", "BEN@example.com ", "dee@example.com"} {
		_, err := s.VoteIdea(ctx, f.ws, dark.ID, v)
		must(t, err)
	}
	for _, v := range []string{"ben@example.com", "eve@example.com"} {
		_, err := s.VoteIdea(ctx, f.ws, night.ID, v)
		must(t, err)
	}
	_, err := s.VoteIdea(ctx, f.ws, dark.ID, "")
	wantField(t, err, "voter")
	_, err = s.VoteIdea(f.otherCtx(), f.other, dark.ID, "x@example.com")
	wantCode(t, err, tandem.ENotFound)
	got, err := s.FindIdeaByID(ctx, f.ws, dark.ID)
	must(t, err)
	if got.Votes != 2 {
		t.Errorf("dark mode has %d votes, want 2 (one per voter)", got.Votes)
	}

	yes := true
	pub, _, err := s.FindIdeas(ctx, f.ws, tandem.IdeaFilter{Public: &yes})
	must(t, err)
	sameIDs(t, "public ideas", ids(pub, func(x *tandem.Idea) string { return x.ID }), []string{night.ID, dark.ID})

	merged := tandem.IdeaMerged
	_, err = s.UpdateIdea(ctx, f.ws, night.ID, tandem.IdeaUpdate{Status: &merged}, 0)
	wantField(t, err, "status")
	_, err = s.MergeIdea(ctx, f.ws, dark.ID, dark.ID)
	wantCode(t, err, tandem.EInvalid)

	target, err := s.MergeIdea(ctx, f.ws, night.ID, dark.ID)
	must(t, err)
	// ben voted for both: counted once; eve moves over; night's submitter cy counts too.
	if target.ID != dark.ID || target.Votes != 4 {
		t.Errorf("after the merge the target has %d votes, want 4 (ben, dee, eve, cy)", target.Votes)
	}
	dup, err := s.FindIdeaByID(ctx, f.ws, night.ID)
	must(t, err)
	if dup.Status != tandem.IdeaMerged || dup.MergedIntoID != dark.ID || dup.Votes != 0 {
		t.Errorf("duplicate after the merge: %+v", dup)
	}
	_, err = s.MergeIdea(ctx, f.ws, night.ID, internal.ID)
	wantCode(t, err, tandem.EConflict)
	_, err = s.MergeIdea(ctx, f.ws, internal.ID, night.ID)
	wantField(t, err, "target_id")
	// A vote for the duplicate counts for the idea it was merged into.
	voted, err := s.VoteIdea(ctx, f.ws, night.ID, "fay@example.com")
	must(t, err)
	if voted.ID != dark.ID || voted.Votes != 5 {
		t.Errorf("a vote for a merged idea went to %s (%d votes)", voted.ID, voted.Votes)
	}

	planned := tandem.IdeaPlanned
	up, err := s.UpdateIdea(ctx, f.ws, dark.ID, tandem.IdeaUpdate{Status: &planned}, target.Version)
	must(t, err)
	if up.Status != planned || up.Votes != 5 {
		t.Errorf("updated %+v", up)
	}
	_, err = s.UpdateIdea(ctx, f.ws, dark.ID, tandem.IdeaUpdate{Status: &planned}, target.Version)
	wantCode(t, err, tandem.EStale)

	// Deleting the feature unlinks the idea; deleting the idea frees its duplicates.
	must(t, s.DeleteItem(ctx, f.ws, feature.ID))
	got, err = s.FindIdeaByID(ctx, f.ws, dark.ID)
	must(t, err)
	if got.ItemID != "" {
		t.Errorf("idea still delivered by a deleted item")
	}
	must(t, s.DeleteIdea(ctx, f.ws, dark.ID))
	dup, err = s.FindIdeaByID(ctx, f.ws, night.ID)
	must(t, err)
	if dup.MergedIntoID != "" || dup.Status != tandem.IdeaNew {
		t.Errorf("duplicate of a deleted idea: %+v", dup)
	}
}

const testTranscript = "[00:01] Interviewer: How do you pay friends back?\n[00:05] Customer: I copy the IBAN from an old email. It takes ages.\n"

func testInterviews(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	wantField(t, s.CreateInterview(ctx, f.ws, &tandem.Interview{Title: "x", Format: "doc"}), "format")
	iv := &tandem.Interview{Title: "Premium customer", Participant: "Customer", HeldOn: tandem.Date{Year: 2025, Month: 2, Day: 3},
		Format: tandem.TranscriptVTT, Transcript: testTranscript}
	must(t, s.CreateInterview(ctx, f.ws, iv))
	got, err := s.FindInterviewByID(ctx, f.ws, iv.ID)
	must(t, err)
	if got.Transcript != testTranscript || got.HeldOn != iv.HeldOn || got.Format != tandem.TranscriptVTT {
		t.Errorf("read back %+v", got)
	}
	list, _, err := s.FindInterviews(ctx, f.ws, tandem.InterviewFilter{Q: "premium"})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("found %d interviews", len(list))
	}
	title := "Premium customer, February"
	up, err := s.UpdateInterview(ctx, f.ws, iv.ID, tandem.InterviewUpdate{Title: &title}, 1)
	must(t, err)
	if up.Title != title || up.Version != 2 || up.Transcript != testTranscript {
		t.Errorf("updated %+v", up)
	}

	quote := "I copy the IBAN from an old email."
	start := strings.Index(testTranscript, quote)
	h := &tandem.Highlight{InterviewID: iv.ID, Start: start, End: start + len(quote), Tags: []string{"payments"}, Quote: "ignored"}
	must(t, s.CreateHighlight(ctx, f.ws, h))
	if h.Quote != quote {
		t.Errorf("quote %q, want %q", h.Quote, quote)
	}
	first := &tandem.Highlight{InterviewID: iv.ID, Start: 0, End: 7}
	must(t, s.CreateHighlight(ctx, f.ws, first))
	wantField(t, s.CreateHighlight(ctx, f.ws, &tandem.Highlight{InterviewID: iv.ID, Start: 10, End: 10_000}), "end")
	wantField(t, s.CreateHighlight(ctx, f.ws, &tandem.Highlight{InterviewID: iv.ID, Start: 5, End: 2}), "end")
	wantField(t, s.CreateHighlight(f.otherCtx(), f.other, &tandem.Highlight{InterviewID: iv.ID, Start: 0, End: 5}), "interview_id")
	hs, err := s.FindHighlights(ctx, f.ws, iv.ID)
	must(t, err)
	sameIDs(t, "highlights in transcript order", ids(hs, func(x *tandem.Highlight) string { return x.ID }), []string{first.ID, h.ID})
	if hs[1].Tags[0] != "payments" {
		t.Errorf("tags %v", hs[1].Tags)
	}
	must(t, s.DeleteHighlight(ctx, f.ws, first.ID))
	must(t, s.DeleteInterview(ctx, f.ws, iv.ID))
	_, err = s.FindHighlights(ctx, f.ws, iv.ID)
	wantCode(t, err, tandem.ENotFound)
}

func testThemes(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	a := f.feedback(t, "The app crashes")
	b := f.feedback(t, "Crash on login")
	c := f.feedback(t, "I want dark mode")
	item := f.item(t, "Stability", func(x *tandem.Item) { x.Kind = tandem.KindFeature })

	crash := &tandem.Theme{Label: "App crashes", Keyphrases: []string{"crash", "app", "login"}, Size: 2, Negative: 2,
		QuoteIDs: []string{a.ID}, Trend: []int{0, 1, 1}, TrendStart: tandem.Date{Year: 2025, Month: 1, Day: 6}, Emerging: true}
	dark := &tandem.Theme{Label: "Dark mode", Keyphrases: []string{"dark", "mode"}, Size: 1, Neutral: 1}
	assign := map[string]tandem.FeedbackInsight{
		a.ID: {ThemeID: "t-crash", SentimentScore: -0.8, SentimentLabel: tandem.SentimentNegative},
		b.ID: {ThemeID: "t-crash", SentimentScore: -0.5, SentimentLabel: tandem.SentimentNegative},
		c.ID: {ThemeID: "t-dark", SentimentScore: 0.1, SentimentLabel: tandem.SentimentNeutral},
	}
	crash.ID, dark.ID = "t-crash", "t-dark"
	err := s.ReplaceThemes(ctx, f.ws, []*tandem.Theme{dark, crash}, assign)
	wantCode(t, err, tandem.EInvalid) // theme IDs must be IDs made by NewID
	crash.ID, dark.ID = tandem.NewID(), tandem.NewID()
	assign[a.ID] = tandem.FeedbackInsight{ThemeID: crash.ID, SentimentScore: -0.8, SentimentLabel: tandem.SentimentNegative}
	assign[b.ID] = tandem.FeedbackInsight{ThemeID: crash.ID, SentimentScore: -0.5, SentimentLabel: tandem.SentimentNegative}
	assign[c.ID] = tandem.FeedbackInsight{ThemeID: dark.ID, SentimentScore: 0.1, SentimentLabel: tandem.SentimentNeutral}
	must(t, s.ReplaceThemes(ctx, f.ws, []*tandem.Theme{dark, crash}, assign))

	themes, err := s.FindThemes(ctx, f.ws)
	must(t, err)
	if len(themes) != 2 || themes[0].ID != crash.ID || themes[0].Size != 2 || !themes[0].Emerging ||
		strings.Join(themes[0].Keyphrases, ",") != "crash,app,login" || fmt.Sprint(themes[0].Trend) != "[0 1 1]" ||
		themes[0].TrendStart != crash.TrendStart || themes[0].QuoteIDs[0] != a.ID {
		t.Fatalf("themes: %+v", themes)
	}
	got, err := s.FindFeedbackByID(ctx, f.ws, b.ID)
	must(t, err)
	if got.ThemeID != crash.ID || got.SentimentLabel != tandem.SentimentNegative || got.SentimentScore != -0.5 {
		t.Errorf("feedback after extraction: %+v", got)
	}
	inTheme, _, err := s.FindFeedback(ctx, f.ws, tandem.FeedbackFilter{ThemeID: crash.ID})
	must(t, err)
	sameIDs(t, "feedback in the crash theme", ids(inTheme, func(x *tandem.Feedback) string { return x.ID }), []string{b.ID, a.ID})
	_, err = s.FindThemeByID(f.otherCtx(), f.other, crash.ID)
	wantCode(t, err, tandem.ENotFound)

	ev := &tandem.Evidence{ItemID: item.ID, ThemeID: crash.ID}
	must(t, s.CreateEvidence(ctx, f.ws, ev))
	darkEv := &tandem.Evidence{ItemID: item.ID, ThemeID: dark.ID}
	must(t, s.CreateEvidence(ctx, f.ws, darkEv))

	// Recompute: the crash theme comes back under another label but with
	// the same keyphrases and keeps its ID and evidence; dark mode is gone.
	again := &tandem.Theme{Meta: tandem.Meta{ID: tandem.NewID()}, Label: "Crashes at login", Keyphrases: []string{"login", "crash"}, Size: 1, Negative: 1}
	must(t, s.ReplaceThemes(ctx, f.ws, []*tandem.Theme{again}, map[string]tandem.FeedbackInsight{
		b.ID: {ThemeID: again.ID, SentimentScore: -0.5, SentimentLabel: tandem.SentimentNegative},
	}))
	themes, err = s.FindThemes(ctx, f.ws)
	must(t, err)
	if len(themes) != 1 || themes[0].ID != crash.ID || themes[0].Label != "Crashes at login" || themes[0].Version != 2 {
		t.Fatalf("themes after the recompute: %+v", themes)
	}
	links, err := s.FindEvidenceLinks(ctx, f.ws, tandem.EvidenceFilter{ItemID: item.ID})
	must(t, err)
	sameIDs(t, "evidence after the recompute", ids(links, func(x *tandem.Evidence) string { return x.ID }), []string{ev.ID})
	got, err = s.FindFeedbackByID(ctx, f.ws, a.ID)
	must(t, err)
	if got.ThemeID != "" {
		t.Errorf("feedback left out of the new extraction keeps theme %s", got.ThemeID)
	}
	got, err = s.FindFeedbackByID(ctx, f.ws, b.ID)
	must(t, err)
	if got.ThemeID != crash.ID {
		t.Errorf("feedback b has theme %q, want the renamed crash theme", got.ThemeID)
	}
	must(t, s.ReplaceThemes(ctx, f.ws, nil, nil))
	themes, err = s.FindThemes(ctx, f.ws)
	must(t, err)
	if len(themes) != 0 {
		t.Errorf("%d themes after an empty extraction", len(themes))
	}
}

func testEvidence(t *testing.T, open Opener) {
	f := newFixture(t, open)
	s, ctx := f.s, f.ctx
	item := f.item(t, "Instant payments", func(x *tandem.Item) { x.Kind = tandem.KindFeature })
	a := f.feedback(t, "Pay my friends instantly", func(x *tandem.Feedback) {
		x.CustomerName, x.Account, x.AccountRevenue = "Ana", "Lopez household", eur(300_000)
	})
	b := f.feedback(t, "Instant transfers please", func(x *tandem.Feedback) {
		x.CustomerName, x.Account, x.AccountRevenue = "Luis", "Lopez household", eur(300_000)
	})
	c := f.feedback(t, "Transfers take a day", func(x *tandem.Feedback) {
		x.CustomerName, x.Account, x.AccountRevenue = "Harbour Bakery", "Harbour Bakery Ltd", eur(5_000_000)
	})
	f.feedback(t, "Unrelated")
	theme := &tandem.Theme{Meta: tandem.Meta{ID: tandem.NewID()}, Label: "Slow transfers", Keyphrases: []string{"transfer"}, Size: 2}
	must(t, s.ReplaceThemes(ctx, f.ws, []*tandem.Theme{theme}, map[string]tandem.FeedbackInsight{
		b.ID: {ThemeID: theme.ID, SentimentLabel: tandem.SentimentNegative},
		c.ID: {ThemeID: theme.ID, SentimentLabel: tandem.SentimentNegative},
	}))
	idea := &tandem.Idea{Title: "Pay by phone number"}
	must(t, s.CreateIdea(ctx, f.ws, idea))

	wantField(t, s.CreateEvidence(ctx, f.ws, &tandem.Evidence{ItemID: item.ID}), "feedback_id")
	wantField(t, s.CreateEvidence(ctx, f.ws, &tandem.Evidence{ItemID: item.ID, FeedbackID: a.ID, IdeaID: idea.ID}), "feedback_id")
	wantField(t, s.CreateEvidence(f.otherCtx(), f.other, &tandem.Evidence{ItemID: item.ID, FeedbackID: a.ID}), "item_id")

	e1 := &tandem.Evidence{ItemID: item.ID, FeedbackID: a.ID, Note: "top request"}
	must(t, s.CreateEvidence(ctx, f.ws, e1))
	if e1.Summary != a.Text || e1.ItemTitle != item.Title {
		t.Errorf("created %+v", e1)
	}
	wantCode(t, s.CreateEvidence(ctx, f.ws, &tandem.Evidence{ItemID: item.ID, FeedbackID: a.ID}), tandem.EConflict)
	e2 := &tandem.Evidence{ItemID: item.ID, ThemeID: theme.ID}
	must(t, s.CreateEvidence(ctx, f.ws, e2))
	e3 := &tandem.Evidence{ItemID: item.ID, IdeaID: idea.ID}
	must(t, s.CreateEvidence(ctx, f.ws, e3))

	sum, err := s.FindEvidence(ctx, f.ws, item.ID)
	must(t, err)
	// a directly, b and c through the theme; Lopez household counted once.
	if len(sum.Evidence) != 3 || sum.Feedback != 3 || sum.Accounts != 2 || sum.Revenue != eur(5_300_000) ||
		strings.Join(sum.Customers, ",") != "Harbour Bakery Ltd,Lopez household" {
		t.Errorf("summary %+v", sum)
	}
	if sum.Evidence[1].Summary != "Slow transfers" || sum.Evidence[2].Summary != idea.Title {
		t.Errorf("summaries %q, %q", sum.Evidence[1].Summary, sum.Evidence[2].Summary)
	}
	_, err = s.FindEvidence(f.otherCtx(), f.other, item.ID)
	wantCode(t, err, tandem.ENotFound)
	byTheme, err := s.FindEvidenceLinks(ctx, f.ws, tandem.EvidenceFilter{ThemeID: theme.ID})
	must(t, err)
	sameIDs(t, "evidence of the theme", ids(byTheme, func(x *tandem.Evidence) string { return x.ID }), []string{e2.ID})

	wantCode(t, s.DeleteEvidence(f.otherCtx(), f.other, e3.ID), tandem.ENotFound)
	must(t, s.DeleteEvidence(ctx, f.ws, e3.ID))
	// Deleting the feedback removes its evidence, with activity.
	must(t, s.DeleteFeedback(ctx, f.ws, a.ID))
	sum, err = s.FindEvidence(ctx, f.ws, item.ID)
	must(t, err)
	if len(sum.Evidence) != 1 || sum.Feedback != 2 {
		t.Errorf("after deletes: %+v", sum)
	}
	acts, _, err := s.FindActivity(ctx, f.ws, tandem.ActivityFilter{EntityType: tandem.EntityEvidence, EntityID: e1.ID})
	must(t, err)
	if len(acts) != 2 || acts[0].Action != tandem.ActionDelete {
		t.Errorf("activity of evidence: %+v", acts)
	}
	// Deleting the item removes the rest.
	must(t, s.DeleteItem(ctx, f.ws, item.ID))
	left, err := s.FindEvidenceLinks(ctx, f.ws, tandem.EvidenceFilter{})
	must(t, err)
	if len(left) != 0 {
		t.Errorf("%d evidence links outlive their item", len(left))
	}
}

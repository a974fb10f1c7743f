package client_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/client"
)

func TestInsightEndToEndSQLite(t *testing.T) {
	testInsightEndToEnd(t, sqliteBackend(t))
}

func TestInsightEndToEndPostgres(t *testing.T) {
	testInsightEndToEnd(t, postgresBackend(t))
}

// testInsightEndToEnd drives every voice-of-the-customer endpoint through
// the client against a real server on a real database.
func testInsightEndToEnd(t *testing.T, open backend) {
	ctx := context.Background()
	st := open(t)
	e := startAsOwner(t, st, "Product Manager")
	defer e.stop(t)
	c := e.client
	must(t, c.CreateWorkspace(ctx, &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}))
	const ws = "acme"

	// Feedback: create, read, filter, update with If-Match, delete.
	texts := []string{
		"The app crashes when I open my statement",
		"App crashes every time I open the statement page",
		"Crashes on login, the app closes itself",
		"Please add dark mode, the screen is too bright at night",
		"Dark mode please, my eyes hurt at night",
		"I would love a dark mode for night reading",
	}
	var fbs []*tandem.Feedback
	for i, text := range texts {
		fb := &tandem.Feedback{Text: text, Source: tandem.SourceSupport, Account: fmt.Sprintf("Account %d", i%2),
			AccountRevenue: tandem.Money{Amount: 1000_00, Currency: "EUR"}, ReceivedOn: tandem.DateOf(time.Now())}
		if i >= 3 {
			fb.Source = tandem.SourceReview
		}
		must(t, c.CreateFeedback(ctx, ws, fb))
		if fb.ID == "" || fb.Version != 1 || fb.SentimentLabel == "" {
			t.Fatalf("feedback after create: %+v", fb)
		}
		fbs = append(fbs, fb)
	}
	got, err := c.FindFeedbackByID(ctx, ws, fbs[0].ID)
	must(t, err)
	if got.Text != texts[0] || got.Account != "Account 0" {
		t.Errorf("FindFeedbackByID = %+v", got)
	}
	reviews, _, err := c.FindFeedback(ctx, ws, tandem.FeedbackFilter{Source: tandem.SourceReview})
	must(t, err)
	if len(reviews) != 3 {
		t.Errorf("feedback from reviews = %d, want 3", len(reviews))
	}
	page, next, err := c.FindFeedback(ctx, ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: 4}})
	must(t, err)
	if len(page) != 4 || next == "" {
		t.Errorf("first page of 4: %d rows, cursor %q", len(page), next)
	}
	tier := "enterprise"
	up, err := c.UpdateFeedback(ctx, ws, fbs[0].ID, tandem.FeedbackUpdate{AccountTier: &tier}, fbs[0].Version)
	must(t, err)
	if up.AccountTier != tier || up.Version != 2 {
		t.Errorf("after update: %+v", up)
	}
	_, err = c.UpdateFeedback(ctx, ws, fbs[0].ID, tandem.FeedbackUpdate{AccountTier: &tier}, 1)
	wantStatus(t, "stale feedback update", err, http.StatusPreconditionFailed, tandem.EStale)
	extra := &tandem.Feedback{Text: "Delete me", Source: tandem.SourceEmail}
	must(t, c.CreateFeedback(ctx, ws, extra))
	must(t, c.DeleteFeedback(ctx, ws, extra.ID))
	_, err = c.FindFeedbackByID(ctx, ws, extra.ID)
	wantStatus(t, "deleted feedback", err, http.StatusNotFound, tandem.ENotFound)
	err = c.CreateFeedback(ctx, ws, &tandem.Feedback{Text: "", Source: "carrier pigeon"})
	ce := wantStatus(t, "invalid feedback", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "source") {
		t.Errorf("field errors = %v, want source", ce.Fields)
	}

	// CSV import: a preview writes nothing; a file with a bad row imports
	// nothing; a good file imports every row.
	// A mapping names every column the import reads.
	mapping := map[string]string{"text": "Comment", "account": "Company", "received_on": "Date"}
	bad := "Comment,Company,Date\nThe export to Excel is broken,Globex,2026-01-05\n,Initech,2026-01-06\nExport fails again,Initech,not a date\n"
	pv, err := c.PreviewFeedbackCSV(ctx, ws, []byte(bad), client.ImportOptions{Mapping: mapping})
	must(t, err)
	if !pv.DryRun || pv.Rows != 3 || pv.Valid != 1 || len(pv.Problems) < 2 || pv.Imported != 0 {
		t.Errorf("preview: %+v", pv)
	}
	if len(pv.Preview) == 0 || pv.Preview[0].Account != "Globex" || pv.Mapping["account"] != "Company" {
		t.Errorf("preview rows %+v, mapping %v: the mapped column should fill account", pv.Preview, pv.Mapping)
	}
	_, err = c.ImportFeedbackCSV(ctx, ws, []byte(bad), client.ImportOptions{Mapping: mapping})
	ce = wantStatus(t, "import of a file with problems", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	if !hasField(ce, "line 3") && !hasField(ce, "line 3, column Comment") {
		t.Errorf("problems %v should name line 3", ce.Fields)
	}
	all, _, err := c.FindFeedback(ctx, ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: 500}})
	must(t, err)
	if len(all) != len(texts) {
		t.Fatalf("after the refused import: %d feedback, want %d", len(all), len(texts))
	}
	good := "Comment;Company;Date\nThe export to Excel is broken;Globex;05/01/2026\nExport to Excel fails;Initech;06/01/2026\n"
	res, err := c.ImportFeedbackCSV(ctx, ws, []byte(good), client.ImportOptions{Mapping: mapping, Source: tandem.SourceEmail})
	must(t, err)
	if res.Imported != 2 || res.DryRun {
		t.Fatalf("import: %+v", res)
	}
	fromCSV, _, err := c.FindFeedback(ctx, ws, tandem.FeedbackFilter{Account: "Initech"})
	must(t, err)
	if len(fromCSV) != 1 || fromCSV[0].Source != tandem.SourceEmail || fromCSV[0].ReceivedOn.String() != "2026-01-06" {
		t.Errorf("imported row: %+v", fromCSV)
	}
	_, err = c.Do(ctx, "POST", "/api/v1/workspaces/acme/feedback/import", nil, map[string]string{"text": "x"}, nil)
	wantStatus(t, "import as JSON", err, http.StatusUnsupportedMediaType, tandem.EInvalid)

	// Ideas: votes count once per voter, merging moves them, filters work.
	dark := &tandem.Idea{Title: "Dark mode", Public: true}
	must(t, c.CreateIdea(ctx, ws, dark))
	dup := &tandem.Idea{Title: "Night theme", Public: true}
	must(t, c.CreateIdea(ctx, ws, dup))
	private := &tandem.Idea{Title: "Internal admin tool"}
	must(t, c.CreateIdea(ctx, ws, private))
	if dark.Status != tandem.IdeaNew {
		t.Errorf("new idea's status = %q", dark.Status)
	}
	for _, voter := range []string{"a@example.com", "a@example.com", ""} {
		_, err := c.VoteIdea(ctx, ws, dark.ID, voter)
		must(t, err)
	}
	voted, err := c.VoteIdea(ctx, ws, dup.ID, "b@example.com")
	must(t, err)
	if voted.Votes != 1 {
		t.Errorf("votes on the duplicate = %d, want 1", voted.Votes)
	}
	merged, err := c.MergeIdea(ctx, ws, dup.ID, dark.ID)
	must(t, err)
	if merged.ID != dark.ID || merged.Votes != 3 {
		t.Errorf("after merge: %+v, want the target with 3 votes (a, the caller, b)", merged)
	}
	dupNow, err := c.FindIdeaByID(ctx, ws, dup.ID)
	must(t, err)
	if dupNow.MergedIntoID != dark.ID {
		t.Errorf("duplicate's merged_into_id = %q, want %s", dupNow.MergedIntoID, dark.ID)
	}
	_, err = c.MergeIdea(ctx, ws, dark.ID, dark.ID)
	if tandem.ErrorCode(err) == "" {
		t.Error("merging an idea into itself succeeded")
	}
	yes := true
	public, _, err := c.FindIdeas(ctx, ws, tandem.IdeaFilter{Public: &yes})
	must(t, err)
	for _, x := range public {
		if !x.Public {
			t.Errorf("public filter returned %q", x.Title)
		}
	}
	if len(public) == 0 {
		t.Error("no public ideas")
	}
	no := false
	internal, _, err := c.FindIdeas(ctx, ws, tandem.IdeaFilter{Public: &no})
	must(t, err)
	if len(internal) != 1 || internal[0].ID != private.ID {
		t.Errorf("non-public ideas = %v, want only %q", internal, private.Title)
	}
	status := tandem.IdeaUnderReview
	dark2, err := c.UpdateIdea(ctx, ws, dark.ID, tandem.IdeaUpdate{Status: &status}, 0)
	must(t, err)
	if dark2.Status != status || dark2.Votes != 3 {
		t.Errorf("after status update: %+v", dark2)
	}
	must(t, c.DeleteIdea(ctx, ws, private.ID))

	// Interviews: a WebVTT transcript is stored flattened; highlights by
	// offsets and by quote come back in transcript order.
	vtt := "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Customer>The statement page is slow.\n\n00:00:05.000 --> 00:00:09.000\n<v Customer>And I really want dark mode.\n"
	iv := &tandem.Interview{Title: "Call with Globex", Participant: "Ops lead", Account: "Globex", Transcript: vtt}
	must(t, c.CreateInterview(ctx, ws, iv))
	if iv.Format != tandem.TranscriptVTT || strings.Contains(iv.Transcript, "-->") || !strings.Contains(iv.Transcript, "dark mode") {
		t.Fatalf("interview after create: format %q, transcript %q", iv.Format, iv.Transcript)
	}
	ivs, _, err := c.FindInterviews(ctx, ws, tandem.InterviewFilter{Q: "Globex"})
	must(t, err)
	if len(ivs) != 1 {
		t.Errorf("interviews about Globex = %d, want 1", len(ivs))
	}
	h2, err := c.HighlightQuote(ctx, ws, iv.ID, "I really   want dark mode", []string{"dark-mode"}, "")
	must(t, err)
	if got := iv.Transcript[h2.Start:h2.End]; got != "I really want dark mode" {
		t.Errorf("quote highlight covers %q", got)
	}
	start := strings.Index(iv.Transcript, "statement page is slow")
	h1 := &tandem.Highlight{InterviewID: iv.ID, Start: start, End: start + len("statement page is slow"), Tags: []string{"speed"}}
	must(t, c.CreateHighlight(ctx, ws, h1))
	if h1.ID == "" {
		t.Fatalf("highlight not filled in: %+v", h1)
	}
	_, err = c.HighlightQuote(ctx, ws, iv.ID, "words nobody said", nil, "")
	wantStatus(t, "quote not in the transcript", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	hs, err := c.FindHighlights(ctx, ws, iv.ID)
	must(t, err)
	if len(hs) != 2 || hs[0].ID != h1.ID || hs[1].ID != h2.ID {
		t.Errorf("highlights = %v, want %s then %s", hs, h1.ID, h2.ID)
	}
	title := "Call with Globex (ops)"
	iv2, err := c.UpdateInterview(ctx, ws, iv.ID, tandem.InterviewUpdate{Title: &title}, iv.Version)
	must(t, err)
	if iv2.Title != title {
		t.Errorf("interview title = %q", iv2.Title)
	}
	gotIV, err := c.FindInterviewByID(ctx, ws, iv.ID)
	must(t, err)
	if gotIV.Transcript != iv.Transcript {
		t.Errorf("transcript changed by a title update")
	}

	// Themes: recomputed on request, then readable one by one.
	themes, err := c.RecomputeThemes(ctx, ws, true)
	must(t, err)
	if len(themes) == 0 {
		t.Fatal("no themes after recomputing")
	}
	listed, err := c.FindThemes(ctx, ws)
	must(t, err)
	if len(listed) != len(themes) || listed[0].ID != themes[0].ID {
		t.Errorf("FindThemes = %d themes, recompute gave %d", len(listed), len(themes))
	}
	th, err := c.FindThemeByID(ctx, ws, themes[0].ID)
	must(t, err)
	if th.Label == "" || th.Size == 0 {
		t.Errorf("theme: %+v", th)
	}
	queued, err := c.RecomputeThemes(ctx, ws, false)
	must(t, err)
	if queued != nil {
		t.Errorf("a queued recompute returned themes")
	}

	// Evidence links a feature to a theme, feedback, an idea and a highlight.
	prod := &tandem.Product{Name: "Mobile app"}
	must(t, c.CreateProduct(ctx, ws, prod))
	feature := &tandem.Item{Kind: tandem.KindFeature, Title: "Dark mode", ProductID: prod.ID}
	must(t, c.CreateItem(ctx, ws, feature))
	links := []*tandem.Evidence{
		{ItemID: feature.ID, ThemeID: th.ID},
		{ItemID: feature.ID, FeedbackID: fbs[3].ID, Note: "loud and clear"},
		{ItemID: feature.ID, IdeaID: dark.ID},
		{ItemID: feature.ID, HighlightID: h2.ID},
	}
	for _, ev := range links {
		must(t, c.CreateEvidence(ctx, ws, ev))
		if ev.ID == "" || ev.Summary == "" && ev.ItemTitle == "" && ev.Version == 0 {
			t.Errorf("evidence not filled in: %+v", ev)
		}
	}
	err = c.CreateEvidence(ctx, ws, &tandem.Evidence{ItemID: feature.ID, ThemeID: th.ID, IdeaID: dark.ID})
	wantStatus(t, "evidence with two sources", err, http.StatusUnprocessableEntity, tandem.EInvalid)
	byItem, err := c.FindEvidenceLinks(ctx, ws, tandem.EvidenceFilter{ItemID: feature.ID})
	must(t, err)
	if len(byItem) != 4 {
		t.Errorf("evidence of the feature = %d, want 4", len(byItem))
	}
	byIdea, err := c.FindEvidenceLinks(ctx, ws, tandem.EvidenceFilter{IdeaID: dark.ID})
	must(t, err)
	if len(byIdea) != 1 || byIdea[0].ItemTitle != feature.Title {
		t.Errorf("evidence by idea = %+v", byIdea)
	}
	sum, err := c.FindEvidence(ctx, ws, feature.ID)
	must(t, err)
	if sum.ItemID != feature.ID || len(sum.Evidence) != 4 || sum.Feedback < 1 {
		t.Errorf("evidence summary: %+v", sum)
	}
	must(t, c.DeleteEvidence(ctx, ws, links[1].ID))
	byItem, err = c.FindEvidenceLinks(ctx, ws, tandem.EvidenceFilter{ItemID: feature.ID})
	must(t, err)
	if len(byItem) != 3 {
		t.Errorf("after delete: %d links, want 3", len(byItem))
	}

	must(t, c.DeleteHighlight(ctx, ws, h1.ID))
	must(t, c.DeleteInterview(ctx, ws, iv.ID))
	_, err = c.FindHighlights(ctx, ws, iv.ID)
	wantStatus(t, "highlights of a deleted interview", err, http.StatusNotFound, tandem.ENotFound)

	// A member who may only read cannot write, and an outsider sees nothing.
	reader := &tandem.User{Email: "reader@example.com", Name: "Reader"}
	must(t, st.CreateUser(ctx, reader, "correct horse battery staple"))
	_, err = c.SetMember(ctx, ws, reader.ID, tandem.RoleViewer)
	must(t, err)
	_, rsecret, err := st.CreateToken(ctx, reader.ID, "reader")
	must(t, err)
	rc := client.New(e.srv.URL(), rsecret)
	if _, _, err := rc.FindFeedback(ctx, ws, tandem.FeedbackFilter{}); err != nil {
		t.Errorf("a viewer cannot read feedback: %v", err)
	}
	err = rc.CreateFeedback(ctx, ws, &tandem.Feedback{Text: "x", Source: tandem.SourceEmail})
	wantStatus(t, "viewer writes feedback", err, http.StatusForbidden, tandem.EForbidden)
	outsider := &tandem.User{Email: "out@example.com", Name: "Outsider"}
	must(t, st.CreateUser(ctx, outsider, "correct horse battery staple"))
	_, osecret, err := st.CreateToken(ctx, outsider.ID, "out")
	must(t, err)
	_, err = client.New(e.srv.URL(), osecret).FindThemes(ctx, ws)
	wantStatus(t, "outsider reads themes", err, http.StatusNotFound, tandem.ENotFound)
}

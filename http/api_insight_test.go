package http

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

func init() {
	// The role walk needs a real entity of each voice-of-customer collection.
	roleWalkFixtures = append(roleWalkFixtures, func(t *testing.T, st tandem.Store, ws string, owner *tandem.User) map[string]string {
		t.Helper()
		ctx := tandem.WithActor(context.Background(), owner.ID)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		fb := &tandem.Feedback{Text: "The app crashes", Source: tandem.SourceSupport, Account: "Acme", AccountRevenue: tandem.Money{Amount: 100, Currency: "EUR"}}
		must(st.CreateFeedback(ctx, ws, fb))
		theme := &tandem.Theme{Meta: tandem.Meta{ID: tandem.NewID()}, Label: "Crashes", Keyphrases: []string{"crash"}, Size: 1}
		must(st.ReplaceThemes(ctx, ws, []*tandem.Theme{theme}, map[string]tandem.FeedbackInsight{fb.ID: {ThemeID: theme.ID, SentimentLabel: tandem.SentimentNegative}}))
		idea := &tandem.Idea{Title: "Dark mode", Public: true}
		must(st.CreateIdea(ctx, ws, idea))
		iv := &tandem.Interview{Title: "Call", Format: tandem.TranscriptText, Transcript: "Customer: I want dark mode.\n"}
		must(st.CreateInterview(ctx, ws, iv))
		h := &tandem.Highlight{InterviewID: iv.ID, Start: 10, End: 26}
		must(st.CreateHighlight(ctx, ws, h))
		item := &tandem.Item{Kind: tandem.KindFeature, Title: "Dark mode"}
		item.Defaults()
		must(st.CreateItem(ctx, ws, item))
		ev := &tandem.Evidence{ItemID: item.ID, IdeaID: idea.ID}
		must(st.CreateEvidence(ctx, ws, ev))
		return map[string]string{"feedback": fb.ID, "themes": theme.ID, "ideas": idea.ID, "interviews": iv.ID, "highlights": h.ID, "evidence": ev.ID}
	})
}

// voxClient calls one test server as one user.
type voxClient struct {
	t      *testing.T
	base   string
	token  string
	cookie string
}

func (c *voxClient) do(method, path, ctype, body string, hdr ...string) (int, http.Header, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// json sends a JSON body (or none) and decodes the answer into out.
func (c *voxClient) json(method, path, body string, want int, out any) {
	c.t.Helper()
	ctype := ""
	if body != "" {
		ctype = "application/json"
	}
	status, _, b := c.do(method, path, ctype, body)
	if status != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

type voxEnv struct {
	st     tandem.Store
	srv    *Server
	ws     *tandem.Workspace
	owner  *tandem.User
	api    *voxClient
	web    *voxClient
	public *voxClient
}

func newVoxEnv(t *testing.T) *voxEnv {
	t.Helper()
	ctx := context.Background()
	e := &voxEnv{st: openTestStore(t)}
	e.owner = &tandem.User{Email: "pm@example.com", Name: "Product Manager"}
	if err := e.st.CreateUser(ctx, e.owner, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	e.ws = &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}
	if err := e.st.CreateWorkspace(ctx, e.ws, e.owner.ID); err != nil {
		t.Fatal(err)
	}
	_, tok, err := e.st.CreateToken(ctx, e.owner.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	session, err := e.st.CreateSession(ctx, e.owner.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = NewServer(e.st, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err := e.srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.srv.Close(context.Background()) })
	e.api = &voxClient{t: t, base: e.srv.URL(), token: tok}
	e.web = &voxClient{t: t, base: e.srv.URL(), cookie: session}
	e.public = &voxClient{t: t, base: e.srv.URL()}
	return e
}

const voxCSV = "Feedback,Channel,Customer,Company,Plan,ARR,Date,Tags\n" +
	"The app crashes when I open my statements,Zendesk,Ana Lopez,Lopez household,premium,\"€2,500\",2025-03-01,crash\n" +
	"App crashes on login since the update,App Store,Ben Silva,,retail,120,02/03/2025,crash\n" +
	"Crash every time I add a payee,email,Cy Berg,Berg Consulting AB,business,\"€45,000\",2025-03-04,crash\n" +
	"Please add a dark mode,portal,Dee Novak,,retail,80,2025-03-05,ui\n" +
	"A dark theme would be easier on my eyes at night,App Store,Eli Rossi,,retail,95,2025-03-06,ui\n" +
	"Dark mode please the white screen is blinding,review,Fay Costa,,premium,\"1,800\",2025-03-07,ui\n" +
	"Card payment fees abroad are far too high,email,Gus Weber,,premium,\"2,100\",2025-03-08,fees\n" +
	"Why do I pay a monthly account fee now,support,Hana Petrov,,retail,60,2025-03-09,fees\n"

func TestInsightAPI(t *testing.T) {
	e := newVoxEnv(t)
	api := e.api
	base := "/api/v1/workspaces/acme"

	// Feedback through the generic resource: sentiment is set at once.
	var fb tandem.Feedback
	api.json("POST", base+"/feedback", `{"text": "I love the new design, great work!", "source": "review", "tags": ["ui"], "theme_id": "ignored"}`, 201, &fb)
	if fb.ID == "" || fb.SentimentLabel != tandem.SentimentPositive || fb.ThemeID != "" {
		t.Fatalf("created %+v", fb)
	}
	api.json("POST", base+"/feedback", `{"text": "x", "colour": "red"}`, 422, nil)

	// CSV import: a preview first; a file with problems imports nothing.
	bad := voxCSV + "   ,email,Nobody,,,,2025-13-01,\n"
	status, _, body := api.do("POST", base+"/feedback/import?dry_run=true", "text/csv", bad)
	if status != 200 {
		t.Fatalf("preview: %d %s", status, body)
	}
	var pv importResult
	json.Unmarshal(body, &pv)
	if pv.Rows != 9 || pv.Valid != 8 || len(pv.Problems) != 2 || pv.Problems[0].Line != 10 || pv.Mapping["text"] != "Feedback" || pv.Imported != 0 {
		t.Fatalf("preview: %+v", pv)
	}
	status, _, body = api.do("POST", base+"/feedback/import", "text/csv", bad)
	if status != 422 || !strings.Contains(string(body), "line 10") {
		t.Fatalf("import with problems: %d %s", status, body)
	}
	var list struct {
		Data []tandem.Feedback `json:"data"`
	}
	api.json("GET", base+"/feedback", "", 200, &list)
	if len(list.Data) != 1 {
		t.Fatalf("a refused import wrote %d rows", len(list.Data)-1)
	}
	status, _, body = api.do("POST", base+"/feedback/import?map_text=Feedback&map_source=Channel&map_customer_name=Customer&map_account=Company&map_account_tier=Plan&map_account_revenue=ARR&map_received_on=Date&map_tags=Tags",
		"text/csv", voxCSV)
	if status != 201 {
		t.Fatalf("import: %d %s", status, body)
	}
	json.Unmarshal(body, &pv)
	if pv.Imported != 8 {
		t.Fatalf("imported %d", pv.Imported)
	}
	status, _, _ = api.do("POST", base+"/feedback/import", "application/json", "{}")
	if status != http.StatusUnsupportedMediaType {
		t.Errorf("JSON import: %d, want 415", status)
	}
	api.json("GET", base+"/feedback?source=review&limit=2", "", 200, &list)
	if len(list.Data) != 2 {
		t.Errorf("review feedback: %d", len(list.Data))
	}
	api.json("GET", base+"/feedback?tag=fees", "", 200, &list)
	if len(list.Data) != 2 || list.Data[0].AccountRevenue.Amount == 0 {
		t.Errorf("fees feedback: %+v", list.Data)
	}

	// Themes: recompute and wait.
	var rc recomputeResult
	api.json("POST", base+"/themes/recompute?wait=true", "", 200, &rc)
	if rc.Status != "done" || len(rc.Themes) == 0 {
		t.Fatalf("recompute: %+v", rc)
	}
	var themes struct {
		Data []tandem.Theme `json:"data"`
	}
	api.json("GET", base+"/themes", "", 200, &themes)
	total := 0
	for _, th := range themes.Data {
		total += th.Size
		if len(th.Trend) == 0 || th.Label == "" {
			t.Errorf("theme %+v", th)
		}
	}
	if total == 0 || total > 9 {
		t.Errorf("themes hold %d pieces of feedback", total)
	}
	top := themes.Data[0]
	var one tandem.Theme
	api.json("GET", base+"/themes/"+top.ID, "", 200, &one)
	api.json("GET", base+"/feedback?theme_id="+top.ID, "", 200, &list)
	if len(list.Data) != top.Size {
		t.Errorf("theme %q has size %d but %d feedback", top.Label, top.Size, len(list.Data))
	}
	status, _, _ = api.do("POST", base+"/themes/recompute", "", "")
	if status != 202 {
		t.Errorf("recompute without wait: %d, want 202", status)
	}

	// Ideas: votes count once per voter; a merge moves them.
	var idea, dup tandem.Idea
	api.json("POST", base+"/ideas", `{"title": "Dark mode", "public": true, "votes": 40}`, 201, &idea)
	api.json("POST", base+"/ideas", `{"title": "Night theme", "public": true, "submitter_email": "zed@example.com"}`, 201, &dup)
	api.json("POST", base+"/ideas/"+idea.ID+"/vote", `{"voter": "ana@example.com"}`, 200, &idea)
	api.json("POST", base+"/ideas/"+idea.ID+"/vote", `{"voter": "ANA@example.com"}`, 200, &idea)
	api.json("POST", base+"/ideas/"+idea.ID+"/vote", "", 200, &idea) // the caller
	api.json("POST", base+"/ideas/"+dup.ID+"/vote", `{"voter": "ana@example.com"}`, 200, nil)
	if idea.Votes != 2 {
		t.Errorf("votes %d, want 2", idea.Votes)
	}
	api.json("POST", base+"/ideas/"+dup.ID+"/merge", `{"target_id": "`+idea.ID+`"}`, 200, &idea)
	if idea.Votes != 3 { // ana once, the caller, zed (the duplicate's submitter)
		t.Errorf("after the merge: %d votes, want 3", idea.Votes)
	}
	api.json("POST", base+"/ideas/"+dup.ID+"/merge", `{"target_id": "nope"}`, 422, nil)

	// Interviews: transcripts are parsed; errors name the line.
	var iv tandem.Interview
	vtt := "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How do you pay friends?</v>\n\n00:00:05.000 --> 00:00:09.000\n<v Customer>I copy the IBAN\nfrom an old email.</v>\n"
	b, _ := json.Marshal(map[string]any{"title": "Call with a customer", "format": "vtt", "transcript": vtt})
	api.json("POST", base+"/interviews", string(b), 201, &iv)
	if iv.Transcript != "[00:01] Interviewer: How do you pay friends?\n[00:05] Customer: I copy the IBAN from an old email.\n" {
		t.Errorf("stored transcript %q", iv.Transcript)
	}
	b, _ = json.Marshal(map[string]any{"title": "Broken", "transcript": "WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nhi\n"})
	status, _, body = api.do("POST", base+"/interviews", "application/json", string(b))
	if status != 422 || !strings.Contains(string(body), "line 3") {
		t.Errorf("bad transcript: %d %s", status, body)
	}
	var h tandem.Highlight
	api.json("POST", base+"/interviews/"+iv.ID+"/highlights", `{"quote": "copy the IBAN  from an old email", "tags": ["payments"]}`, 201, &h)
	if h.Quote != "copy the IBAN from an old email" || iv.Transcript[h.Start:h.End] != h.Quote {
		t.Errorf("highlight %+v", h)
	}
	api.json("POST", base+"/interviews/"+iv.ID+"/highlights", `{"quote": "never said"}`, 422, nil)
	var hs struct {
		Data []tandem.Highlight `json:"data"`
	}
	api.json("GET", base+"/interviews/"+iv.ID+"/highlights", "", 200, &hs)
	if len(hs.Data) != 1 {
		t.Errorf("highlights: %d", len(hs.Data))
	}

	// Evidence: a theme and an idea support a feature; the item shows the revenue behind it.
	var item tandem.Item
	api.json("POST", base+"/items", `{"kind": "feature", "title": "Stability"}`, 201, &item)
	var ev tandem.Evidence
	api.json("POST", base+"/evidence", `{"item_id": "`+item.ID+`", "theme_id": "`+top.ID+`", "note": "biggest theme"}`, 201, &ev)
	if ev.Summary != top.Label || ev.ItemTitle != "Stability" {
		t.Errorf("evidence %+v", ev)
	}
	api.json("POST", base+"/evidence", `{"item_id": "`+item.ID+`", "theme_id": "`+top.ID+`"}`, 409, nil)
	api.json("POST", base+"/evidence", `{"item_id": "`+item.ID+`", "highlight_id": "`+h.ID+`"}`, 201, nil)
	var sum tandem.EvidenceSummary
	api.json("GET", base+"/items/"+item.ID+"/evidence", "", 200, &sum)
	if len(sum.Evidence) != 2 || sum.Feedback != top.Size || sum.Accounts == 0 || sum.Revenue.Currency != "EUR" {
		t.Errorf("evidence summary %+v", sum)
	}
	var links struct {
		Data []tandem.Evidence `json:"data"`
	}
	api.json("GET", base+"/evidence?theme_id="+top.ID, "", 200, &links)
	if len(links.Data) != 1 {
		t.Errorf("links of the theme: %d", len(links.Data))
	}
	api.json("DELETE", base+"/evidence/"+ev.ID, "", 204, nil)

	// The UI pages render with real data.
	for _, p := range []string{"/w/acme/insights", "/w/acme/insights/themes/" + top.ID, "/w/acme/feedback", "/w/acme/feedback?sentiment=negative",
		"/w/acme/feedback/" + fb.ID, "/w/acme/feedback/import", "/w/acme/ideas", "/w/acme/ideas/" + idea.ID, "/w/acme/ideas/" + dup.ID,
		"/w/acme/interviews", "/w/acme/interviews/" + iv.ID, "/w/acme/items/" + item.ID} {
		status, _, body := e.web.do("GET", p, "", "")
		if status != 200 {
			t.Errorf("GET %s: %d %.300s", p, status, body)
		}
	}
	_, _, page := e.web.do("GET", "/w/acme/insights", "", "")
	if !strings.Contains(string(page), top.Label) || !strings.Contains(string(page), `class="spark"`) || !strings.Contains(string(page), `class="sentiment-bar"`) {
		t.Errorf("the explorer lacks the top theme or its charts")
	}
	_, _, page = e.web.do("GET", "/w/acme/items/"+item.ID, "", "")
	if !strings.Contains(string(page), "Customer evidence") || !strings.Contains(string(page), "copy the IBAN from an old email") {
		t.Errorf("the item page lacks its evidence")
	}
	_, _, page = e.web.do("GET", "/w/acme/interviews/"+iv.ID, "", "")
	if !strings.Contains(string(page), "<mark") {
		t.Errorf("the interview page does not mark the highlight")
	}
}

func TestInsightImportUI(t *testing.T) {
	e := newVoxEnv(t)
	form := url.Values{"csv": {voxCSV + ",email,Nobody,,,,,\n"}, "action": {"preview"}, "currency": {"EUR"}, "source": {"csv"}}
	status, _, body := e.web.do("POST", "/w/acme/feedback/import", "application/x-www-form-urlencoded", form.Encode())
	if status != 200 || !strings.Contains(string(body), "Problems") || !strings.Contains(string(body), "the feedback&#39;s text is empty") {
		t.Fatalf("preview: %d %.500s", status, body)
	}
	form.Set("action", "import")
	status, _, _ = e.web.do("POST", "/w/acme/feedback/import", "application/x-www-form-urlencoded", form.Encode())
	if status != 422 {
		t.Fatalf("import with problems: %d", status)
	}
	// Fix the mapping on the preview: the mapped form carries map_ fields.
	form = url.Values{"csv": {voxCSV}, "action": {"import"}, "mapped": {"1"}, "map_text": {"Feedback"}, "map_customer_name": {"Customer"}}
	status, hdr, body := e.web.do("POST", "/w/acme/feedback/import", "application/x-www-form-urlencoded", form.Encode())
	if status != 303 || !strings.Contains(hdr.Get("Location"), "imported=8") {
		t.Fatalf("import: %d %s %.300s", status, hdr.Get("Location"), body)
	}
	list, _, err := e.st.FindFeedback(context.Background(), e.ws.ID, tandem.FeedbackFilter{})
	if err != nil || len(list) != 8 || list[0].Source != tandem.SourceCSV || list[0].ReceivedOn != (tandem.Date{}) {
		t.Fatalf("stored %d (%v), first %+v", len(list), err, list[0])
	}
}

func TestIdeaPortal(t *testing.T) {
	saved := portalLimiter
	portalLimiter = &rateLimiter{clients: map[string]*bucket{}, burst: 2, every: time.Hour, now: time.Now}
	defer func() { portalLimiter = saved }()
	e := newVoxEnv(t)
	pub := e.public

	// No public idea yet: the workspace has no portal, and does not say it exists.
	if status, _, _ := pub.do("GET", "/portal/acme", "", ""); status != 404 {
		t.Fatalf("portal without public ideas: %d, want 404", status)
	}
	ctx := tandem.WithActor(context.Background(), e.owner.ID)
	idea := &tandem.Idea{Title: "Freeze my card in the app", Public: true, Status: tandem.IdeaPlanned}
	if err := e.st.CreateIdea(ctx, e.ws.ID, idea); err != nil {
		t.Fatal(err)
	}
	hidden := &tandem.Idea{Title: "Internal refactoring"}
	if err := e.st.CreateIdea(ctx, e.ws.ID, hidden); err != nil {
		t.Fatal(err)
	}
	status, _, body := pub.do("GET", "/portal/acme", "", "")
	if status != 200 || !strings.Contains(string(body), "Freeze my card") || strings.Contains(string(body), "Internal refactoring") || !strings.Contains(string(body), "Planned") {
		t.Fatalf("portal: %d %.400s", status, body)
	}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const formType = "application/x-www-form-urlencoded"
	// A cross-site form post is refused before anything else.
	status, _, _ = pub.do("POST", "/portal/acme/ideas/"+idea.ID+"/vote", formType, form("email", "x@example.com"), "Sec-Fetch-Site", "cross-site")
	if status != http.StatusForbidden {
		t.Errorf("cross-site vote: %d, want 403", status)
	}
	status, hdr, _ := pub.do("POST", "/portal/acme/ideas/"+idea.ID+"/vote", formType, form("email", "Ana@Example.com"), "Sec-Fetch-Site", "same-origin")
	if status != 303 || !strings.Contains(hdr.Get("Location"), "done=voted") {
		t.Fatalf("vote: %d %s", status, hdr.Get("Location"))
	}
	if status, _, _ = pub.do("POST", "/portal/acme/ideas/"+hidden.ID+"/vote", formType, form("email", "ana@example.com")); status != 404 {
		t.Errorf("vote for an internal idea: %d, want 404", status)
	}
	status, hdr, _ = pub.do("POST", "/portal/acme/ideas", formType, form("title", "Round up payments into savings", "email", "ben@example.com", "name", "Ben"))
	if status != 303 {
		t.Fatalf("submit: %d", status)
	}
	// The burst is spent: the next write from this address waits.
	status, _, body = pub.do("POST", "/portal/acme/ideas/"+idea.ID+"/vote", formType, form("email", "cy@example.com"))
	if status != http.StatusTooManyRequests || !strings.Contains(string(body), "Too many") {
		t.Errorf("over the limit: %d", status)
	}
	got, err := e.st.FindIdeaByID(ctx, e.ws.ID, idea.ID)
	if err != nil || got.Votes != 1 {
		t.Errorf("votes %d (%v), want 1", got.Votes, err)
	}
	yes := true
	ideas, _, err := e.st.FindIdeas(ctx, e.ws.ID, tandem.IdeaFilter{Public: &yes})
	if err != nil || len(ideas) != 2 || ideas[0].Title != "Round up payments into savings" || ideas[0].Votes != 1 || ideas[0].SubmitterEmail != "ben@example.com" {
		t.Errorf("after the submission: %v %+v", err, ideas[0])
	}
}

func TestSparklineAndBar(t *testing.T) {
	s := string(sparkline([]int{0, 2, 5, 1}, tandem.Date{Year: 2025, Month: 1, Day: 6}))
	if !strings.Contains(s, "<svg") || !strings.Contains(s, "0, 2, 5, 1") || strings.Contains(s, "NaN") {
		t.Errorf("sparkline %s", s)
	}
	if sparkline(nil, tandem.Date{}) != "" {
		t.Error("empty sparkline")
	}
	b := string(sentimentBar(1, 0, 3))
	if strings.Count(b, "<rect") != 2 || !strings.Contains(b, "1 negative, 0 neutral, 3 positive") {
		t.Errorf("bar %s", b)
	}
	if !strings.Contains(string(sentimentBar(0, 0, 0)), "s-none") {
		t.Error("empty bar")
	}
}

func TestLocateQuoteAndSplitTranscript(t *testing.T) {
	text := "[00:01] A: Hello there.\n[00:05] B: I copy the IBAN\nfrom email.\n"
	for _, tc := range []struct {
		quote string
		ok    bool
	}{{"Hello there", true}, {"copy  the IBAN from email", true}, {"IBAN from", true}, {"nothing", false}, {"  ", false}} {
		s, e, ok := locateQuote(text, tc.quote)
		if ok != tc.ok || ok && strings.Join(strings.Fields(text[s:e]), " ") != strings.Join(strings.Fields(tc.quote), " ") {
			t.Errorf("locateQuote(%q) = %d, %d, %v", tc.quote, s, e, ok)
		}
	}
	h := &tandem.Highlight{Meta: tandem.Meta{ID: "h"}, Start: strings.Index(text, "copy"), End: strings.Index(text, " IBAN")}
	lines := splitTranscript(text, []*tandem.Highlight{h})
	if len(lines) != 3 || lines[1].Speaker != "B" || lines[1].Time != "00:05" || len(lines[1].Parts) != 3 || lines[1].Parts[1].Text != "copy the" || lines[1].Parts[1].Highlight != h {
		t.Errorf("lines %+v", lines)
	}
}

func TestInsightUIForms(t *testing.T) {
	e := newVoxEnv(t)
	web := e.web
	const formType = "application/x-www-form-urlencoded"
	post := func(path string, v url.Values, want int) http.Header {
		t.Helper()
		status, hdr, body := web.do("POST", path, formType, v.Encode())
		if status != want {
			t.Fatalf("POST %s: %d, want %d: %.400s", path, status, want, body)
		}
		return hdr
	}
	srt := "1\n00:00:01,000 --> 00:00:03,000\nInterviewer: What slows you down?\n\n2\n00:00:04,000 --> 00:00:09,000\nCustomer: Typing the IBAN every time I pay someone.\n"
	loc := post("/w/acme/interviews", url.Values{"title": {"Call"}, "format": {"auto"}, "transcript": {srt}}, 303).Get("Location")
	if !strings.HasPrefix(loc, "/w/acme/interviews/") {
		t.Fatalf("created interview at %q", loc)
	}
	status, _, body := web.do("POST", "/w/acme/interviews", formType, url.Values{"title": {"Bad"}, "format": {"srt"}, "transcript": {"1\n00:00:05,000 --> 00:00:01,000\nx\n"}}.Encode())
	if status != 422 || !strings.Contains(string(body), "line 2") {
		t.Errorf("bad transcript: %d", status)
	}
	post(loc+"/highlights", url.Values{"quote": {"Typing the IBAN every time"}, "tags": {"payments, friction"}}, 303)
	status, _, body = web.do("POST", loc+"/highlights", formType, url.Values{"quote": {"not in it"}}.Encode())
	if status != 422 || !strings.Contains(string(body), "not in the transcript") {
		t.Errorf("highlight of missing words: %d", status)
	}
	_, _, page := web.do("GET", loc, "", "")
	if !strings.Contains(string(page), "<mark") || !strings.Contains(string(page), "friction") {
		t.Errorf("the interview does not show its highlight")
	}

	item := &tandem.Item{Kind: tandem.KindFeature, Title: "Pay by phone number"}
	item.Defaults()
	ctx := tandem.WithActor(context.Background(), e.owner.ID)
	if err := e.st.CreateItem(ctx, e.ws.ID, item); err != nil {
		t.Fatal(err)
	}
	fbLoc := post("/w/acme/feedback", url.Values{"text": {"Let me pay people by phone number"}, "source": {"support"}, "customer_name": {"Ana"},
		"account": {"Lopez household"}, "account_revenue": {"€2,400"}, "tags": {"payments"}}, 303).Get("Location")
	post(fbLoc+"/evidence", url.Values{"item_id": {item.ID}, "back": {fbLoc}}, 303)
	_, _, page = web.do("GET", "/w/acme/items/"+item.ID, "", "")
	if !strings.Contains(string(page), "Let me pay people by phone number") || !strings.Contains(string(page), "2,400") {
		t.Errorf("the item page lacks the linked feedback and its revenue")
	}
	post("/w/acme/feedback", url.Values{"text": {""}}, 422)

	a := post("/w/acme/ideas", url.Values{"title": {"Pay by phone"}, "public": {"on"}}, 303).Get("Location")
	b := post("/w/acme/ideas", url.Values{"title": {"Phone number payments"}}, 303).Get("Location")
	post(b+"/merge", url.Values{"target_id": {strings.TrimPrefix(a, "/w/acme/ideas/")}}, 303)
	dup, err := e.st.FindIdeaByID(ctx, e.ws.ID, strings.TrimPrefix(b, "/w/acme/ideas/"))
	if err != nil || dup.Status != tandem.IdeaMerged {
		t.Errorf("merged idea: %+v %v", dup, err)
	}
	post(a+"/edit", url.Values{"status": {"planned"}, "public_set": {"1"}, "public": {"on"}, "item_id": {item.ID}}, 303)
	_, _, page = e.public.do("GET", "/portal/acme", "", "")
	if !strings.Contains(string(page), "Pay by phone") || !strings.Contains(string(page), "Planned") || strings.Contains(string(page), "Phone number payments") {
		t.Errorf("the portal does not show the planned idea alone")
	}
	post("/w/acme/insights/recompute", url.Values{}, 303)
}

package http

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/feedbackcsv"
	"github.com/tandem-pm/tandem/transcript"
)

// The voice of the customer in the browser: the insights explorer (themes
// with trend, sentiment and keyphrases), feedback with CSV import, ideas,
// interviews with highlights, evidence on items, and the public idea portal.

func (s *Server) insightUIRoutes() []route {
	read, edit, all := tandem.PermRead, tandem.PermEditItems, tandem.PermEditAll
	return []route{
		{Method: "GET", Pattern: "/w/{ws}/insights", Perm: read, UI: true, Handle: s.handleInsightExplorer},
		{Method: "POST", Pattern: "/w/{ws}/insights/recompute", Perm: edit, UI: true, Handle: s.handleInsightRecompute},
		{Method: "GET", Pattern: "/w/{ws}/insights/themes/{id}", Perm: read, UI: true, Handle: s.handleThemeView},
		{Method: "POST", Pattern: "/w/{ws}/insights/themes/{id}/evidence", Perm: edit, UI: true, Handle: s.handleEvidenceCreateUI("theme")},

		{Method: "GET", Pattern: "/w/{ws}/feedback", Perm: read, UI: true, Handle: s.handleFeedbackList},
		{Method: "POST", Pattern: "/w/{ws}/feedback", Perm: edit, UI: true, Handle: s.handleFeedbackCreateUI},
		{Method: "GET", Pattern: "/w/{ws}/feedback/import", Perm: edit, UI: true, Handle: s.handleFeedbackImportForm},
		{Method: "POST", Pattern: "/w/{ws}/feedback/import", Perm: edit, UI: true, Handle: s.handleFeedbackImportUI},
		{Method: "GET", Pattern: "/w/{ws}/feedback/{id}", Perm: read, UI: true, Handle: s.handleFeedbackView},
		{Method: "POST", Pattern: "/w/{ws}/feedback/{id}/delete", Perm: edit, UI: true, Handle: s.handleFeedbackDeleteUI},
		{Method: "POST", Pattern: "/w/{ws}/feedback/{id}/evidence", Perm: edit, UI: true, Handle: s.handleEvidenceCreateUI("feedback")},

		{Method: "GET", Pattern: "/w/{ws}/ideas", Perm: read, UI: true, Handle: s.handleIdeaList},
		{Method: "POST", Pattern: "/w/{ws}/ideas", Perm: edit, UI: true, Handle: s.handleIdeaCreateUI},
		{Method: "GET", Pattern: "/w/{ws}/ideas/{id}", Perm: read, UI: true, Handle: s.handleIdeaView},
		{Method: "POST", Pattern: "/w/{ws}/ideas/{id}/edit", Perm: edit, UI: true, Handle: s.handleIdeaUpdateUI},
		{Method: "POST", Pattern: "/w/{ws}/ideas/{id}/merge", Perm: edit, UI: true, Handle: s.handleIdeaMergeUI},
		{Method: "POST", Pattern: "/w/{ws}/ideas/{id}/delete", Perm: all, UI: true, Handle: s.handleIdeaDeleteUI},
		{Method: "POST", Pattern: "/w/{ws}/ideas/{id}/evidence", Perm: edit, UI: true, Handle: s.handleEvidenceCreateUI("idea")},

		{Method: "GET", Pattern: "/w/{ws}/interviews", Perm: read, UI: true, Handle: s.handleInterviewList},
		{Method: "POST", Pattern: "/w/{ws}/interviews", Perm: edit, UI: true, Handle: s.handleInterviewCreateUI},
		{Method: "GET", Pattern: "/w/{ws}/interviews/{id}", Perm: read, UI: true, Handle: s.handleInterviewView},
		{Method: "POST", Pattern: "/w/{ws}/interviews/{id}/delete", Perm: all, UI: true, Handle: s.handleInterviewDeleteUI},
		{Method: "POST", Pattern: "/w/{ws}/interviews/{id}/highlights", Perm: edit, UI: true, Handle: s.handleHighlightCreateUI},
		{Method: "POST", Pattern: "/w/{ws}/highlights/{id}/delete", Perm: edit, UI: true, Handle: s.handleHighlightDeleteUI},
		{Method: "POST", Pattern: "/w/{ws}/highlights/{id}/evidence", Perm: edit, UI: true, Handle: s.handleEvidenceCreateUI("highlight")},

		{Method: "POST", Pattern: "/w/{ws}/evidence/{id}/delete", Perm: edit, UI: true, Handle: s.handleEvidenceDeleteUI},

		// The public idea portal: no account needed.
		{Method: "GET", Pattern: "/portal/{ws}", Public: true, UI: true, Handle: s.handlePortal},
		{Method: "POST", Pattern: "/portal/{ws}/ideas", Public: true, UI: true, Handle: s.handlePortalSubmit},
		{Method: "POST", Pattern: "/portal/{ws}/ideas/{id}/vote", Public: true, UI: true, Handle: s.handlePortalVote},
	}
}

// ---- SVG charts ----

// sparkline draws weekly counts as a small line chart with a dot on the
// last week. It is an image for screen readers, described by its numbers.
func sparkline(trend []int, start tandem.Date) template.HTML {
	const w, h, pad = 120.0, 28.0, 3.0
	if len(trend) == 0 {
		return ""
	}
	top := 1
	for _, n := range trend {
		top = max(top, n)
	}
	step := (w - 2*pad) / float64(max(1, len(trend)-1))
	var pts []string
	var lx, ly float64
	for i, n := range trend {
		lx = pad + float64(i)*step
		ly = h - pad - float64(n)/float64(top)*(h-2*pad)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", lx, ly))
	}
	nums := make([]string, len(trend))
	for i, n := range trend {
		nums[i] = strconv.Itoa(n)
	}
	desc := fmt.Sprintf("Feedback per week since %s: %s", start.Time().Format("2 Jan"), strings.Join(nums, ", "))
	area := fmt.Sprintf("%.1f,%.1f %s %.1f,%.1f", pad, h-pad, strings.Join(pts, " "), lx, h-pad)
	return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`+
		`<title>%s</title><polygon class="spark-area" points="%s" fill="currentColor" fill-opacity="0.12"/>`+
		`<polyline class="spark-line" points="%s" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>`+
		`<circle cx="%.1f" cy="%.1f" r="2.2" fill="currentColor"/></svg>`,
		w, h, w, h, template.HTMLEscapeString(desc), template.HTMLEscapeString(desc), area, strings.Join(pts, " "), lx, ly))
}

// sentimentBar draws the negative, neutral and positive shares of a theme.
func sentimentBar(neg, neu, pos int) template.HTML {
	total := neg + neu + pos
	const w, h = 120.0, 10.0
	desc := fmt.Sprintf("%d negative, %d neutral, %d positive", neg, neu, pos)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sentiment-bar" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s"><title>%s</title>`, w, h, w, h, desc, desc)
	if total == 0 {
		fmt.Fprintf(&b, `<rect width="%g" height="%g" rx="2" class="s-none" fill="#d0d5dd"/>`, w, h)
	} else {
		x := 0.0
		for _, seg := range []struct {
			n           int
			class, fill string
		}{{neg, "s-neg", "#d92d20"}, {neu, "s-neu", "#98a2b3"}, {pos, "s-pos", "#12b76a"}} {
			if seg.n == 0 {
				continue
			}
			sw := w * float64(seg.n) / float64(total)
			fmt.Fprintf(&b, `<rect x="%.2f" width="%.2f" height="%g" class="%s" fill="%s"/>`, x, sw, h, seg.class, seg.fill)
			x += sw
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// ---- Explorer and themes ----

type themeRow struct {
	*tandem.Theme
	Spark template.HTML
	Bar   template.HTML
	Share int // percent of all themed feedback
}

type explorerData struct {
	Themes    []themeRow
	Themed    int
	Pending   bool
	Negative  int
	Neutral   int
	Positive  int
	Bar       template.HTML
	Updated   time.Time
	Emerging  []themeRow
	CanManage bool
}

func (s *Server) handleInsightExplorer(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	ts, err := vox(s.Store).FindThemes(ctx, ws)
	if err != nil {
		return err
	}
	d := explorerData{Pending: s.themes().Pending(ws)}
	for _, t := range ts {
		d.Themed += t.Size
		d.Negative += t.Negative
		d.Neutral += t.Neutral
		d.Positive += t.Positive
		if t.UpdatedAt.After(d.Updated) {
			d.Updated = t.UpdatedAt
		}
	}
	for _, t := range ts {
		row := themeRow{Theme: t, Spark: sparkline(t.Trend, t.TrendStart), Bar: sentimentBar(t.Negative, t.Neutral, t.Positive)}
		if d.Themed > 0 {
			row.Share = (t.Size*100 + d.Themed/2) / d.Themed
		}
		d.Themes = append(d.Themes, row)
		if t.Emerging {
			d.Emerging = append(d.Emerging, row)
		}
	}
	d.Bar = sentimentBar(d.Negative, d.Neutral, d.Positive)
	return s.renderPage(w, r, rq, "insight_explorer", "Insights", "insights", d)
}

func (s *Server) handleInsightRecompute(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.themes().Flush(rq.Workspace.ID)
	return seeOther(w, r, insightBase(rq)+"/insights?recomputing=1")
}

func insightBase(rq *request) string { return "/w/" + url.PathEscape(rq.Workspace.Slug) }

type themeData struct {
	Theme  themeRow
	Quotes []*tandem.Feedback
	List   *listPage
	Link   linkBlock
}

// linkBlock is what an entity is evidence for, and the form to link it to
// an item (the "evidenceblock" template).
type linkBlock struct {
	ID     string // of the entity, for element IDs
	Action string // where the link form posts
	Back   string // the page to return to
	Links  []*tandem.Evidence
	Items  []option // nil when the viewer may not link
}

// linkBlockOf loads the evidence links of one entity.
func (s *Server) linkBlockOf(ctx context.Context, rq *request, f tandem.EvidenceFilter, id, action, back string, items []option) (linkBlock, error) {
	links, err := vox(s.Store).FindEvidenceLinks(ctx, rq.Workspace.ID, f)
	if err != nil {
		return linkBlock{}, err
	}
	return linkBlock{ID: id, Action: action, Back: back, Links: links, Items: items}, nil
}

// linkItems returns the items a viewer may link evidence to, or nil.
func (s *Server) linkItems(ctx context.Context, rq *request) ([]option, error) {
	if !rq.Member.Role.Can(tandem.PermEditItems) {
		return nil, nil
	}
	return s.featureOptions(ctx, rq.Workspace.ID)
}

func (s *Server) handleThemeView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	t, err := vox(s.Store).FindThemeByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := themeData{Theme: themeRow{Theme: t, Spark: sparkline(t.Trend, t.TrendStart), Bar: sentimentBar(t.Negative, t.Neutral, t.Positive)}}
	for _, id := range t.QuoteIDs {
		f, err := vox(s.Store).FindFeedbackByID(ctx, ws, id)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			continue
		} else if err != nil {
			return err
		}
		d.Quotes = append(d.Quotes, f)
	}
	rows, next, err := vox(s.Store).FindFeedback(ctx, ws, tandem.FeedbackFilter{ThemeID: t.ID, Page: pageOf(r)})
	if err != nil {
		return err
	}
	d.List = &listPage{Rows: rows, Empty: len(rows) == 0}
	setPager(r, d.List, next)
	items, err := s.linkItems(ctx, rq)
	if err != nil {
		return err
	}
	here := insightBase(rq) + "/insights/themes/" + t.ID
	if d.Link, err = s.linkBlockOf(ctx, rq, tandem.EvidenceFilter{ThemeID: t.ID}, t.ID, here+"/evidence", here, items); err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "insight_theme", t.Label, "insights", d)
}

// featureOptions lists the items evidence can support: features first,
// then initiatives and epics, then the rest.
func (s *Server) featureOptions(ctx context.Context, ws string) ([]option, error) {
	xs, _, err := s.Store.FindItems(ctx, ws, tandem.ItemFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	rank := map[string]int{tandem.KindFeature: 0, tandem.KindInitiative: 1, tandem.KindEpic: 2}
	sort.SliceStable(xs, func(i, j int) bool {
		ri, ok := rank[xs[i].Kind]
		if !ok {
			ri = 3
		}
		rj, ok := rank[xs[j].Kind]
		if !ok {
			rj = 3
		}
		if ri != rj {
			return ri < rj
		}
		return xs[i].Title < xs[j].Title
	})
	out := make([]option, 0, len(xs))
	for _, x := range xs {
		if x.Status == tandem.StatusCancelled {
			continue
		}
		out = append(out, option{x.ID, fmt.Sprintf("%s (%s)", x.Title, humanLabel(x.Kind))})
	}
	return out, nil
}

// handleEvidenceCreateUI links the entity in the path (a theme, feedback,
// idea or highlight) to the item chosen in the form.
func (s *Server) handleEvidenceCreateUI(kind string) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if err := parseUIForm(w, r); err != nil {
			return err
		}
		id := r.PathValue("id")
		ev := &tandem.Evidence{ItemID: strings.TrimSpace(r.PostFormValue("item_id")), Note: normalizeText(r.PostFormValue("note"))}
		back := safeNext(r.PostFormValue("back"))
		switch kind {
		case "theme":
			ev.ThemeID = id
		case "feedback":
			ev.FeedbackID = id
		case "idea":
			ev.IdeaID = id
		case "highlight":
			ev.HighlightID = id
		}
		if ev.ItemID == "" {
			return tandem.Errorf(tandem.EInvalid, "Choose the item this is evidence for.")
		}
		err := vox(s.Store).CreateEvidence(r.Context(), rq.Workspace.ID, ev)
		if err != nil && tandem.ErrorCode(err) != tandem.EConflict {
			return err
		}
		return seeOther(w, r, back+"#evidence")
	}
}

func (s *Server) handleEvidenceDeleteUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	if err := vox(s.Store).DeleteEvidence(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
		return err
	}
	return seeOther(w, r, safeNext(r.PostFormValue("back")))
}

// itemEvidence is the evidence block of an item's page.
type itemEvidence struct {
	*tandem.EvidenceSummary
	Back    string
	Similar *similarCard // feedback that may support a feature or epic (ui_similar.go)
}

// itemEvidenceOf returns the evidence block for the item page.
func (s *Server) itemEvidenceOf(ctx context.Context, rq *request, itemID string) (ev *itemEvidence, err error) {
	defer func() {
		// A store that leaves the voice of the customer out (the UI tests'
		// in-memory fake embeds a nil InsightService) shows no evidence block.
		if r := recover(); r != nil {
			ev, err = nil, nil
		}
	}()
	sum, err := s.Store.FindEvidence(ctx, rq.Workspace.ID, itemID)
	if err != nil {
		return nil, err
	}
	ev = &itemEvidence{EvidenceSummary: sum, Back: insightBase(rq) + "/items/" + itemID}
	x, err := s.Store.FindItemByID(ctx, rq.Workspace.ID, itemID)
	if err != nil {
		return nil, err
	}
	if ev.Similar, err = s.similarFeedbackCard(ctx, rq, x); err != nil {
		return nil, err
	}
	return ev, nil
}

// ---- Feedback ----

type feedbackListData struct {
	List     *listPage
	Themes   map[string]string
	Sources  []option
	Imported string
}

func (s *Server) themeNames(ctx context.Context, ws string) (map[string]string, []option, error) {
	ts, err := vox(s.Store).FindThemes(ctx, ws)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var opts []option
	for _, t := range ts {
		names[t.ID] = t.Label
		opts = append(opts, option{t.ID, fmt.Sprintf("%s (%d)", t.Label, t.Size)})
	}
	return names, opts, nil
}

func (s *Server) handleFeedbackList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws, q := r.Context(), rq.Workspace.ID, r.URL.Query()
	themeID := q.Get("theme_id")
	if themeID != "" && themeID != "none" && !tandem.IsID(themeID) {
		themeID = ""
	}
	rows, next, err := vox(s.Store).FindFeedback(ctx, ws, tandem.FeedbackFilter{Source: q.Get("source"), Sentiment: q.Get("sentiment"),
		ThemeID: themeID, Account: q.Get("account"), Tag: q.Get("tag"), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	names, themeOpts, err := s.themeNames(ctx, ws)
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0, Options: map[string][]option{
		"source": statusOptions(tandem.FeedbackSources...), "sentiment": statusOptions(tandem.SentimentNegative, tandem.SentimentNeutral, tandem.SentimentPositive),
		"theme": themeOpts,
	}}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "insight_feedback", "Feedback", "insights", feedbackListData{List: lp, Themes: names, Imported: q.Get("imported")})
}

func (s *Server) handleFeedbackCreateUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	f := &formReader{v: r.PostForm}
	fb := &tandem.Feedback{Text: f.text("text"), Source: f.str("source"), CustomerName: f.str("customer_name"),
		CustomerEmail: tandem.NormalizeEmail(f.str("customer_email")), Account: f.str("account"), AccountTier: strings.ToLower(f.str("account_tier")),
		ReceivedOn: f.date("received_on"), Tags: feedbackcsv.ParseTags(f.str("tags"))}
	if v := f.str("account_revenue"); v != "" {
		m, err := feedbackcsv.ParseMoney(v, "EUR")
		if err != nil {
			f.p.Add("account_revenue", "%v", err)
		}
		fb.AccountRevenue = m
	}
	if fb.Account == "" {
		fb.Account = fb.CustomerName
	}
	fb.Defaults()
	f.merge(fb.Validate())
	if len(f.p) > 0 {
		return formProblems(f.p, "feedback")
	}
	withSentiment(fb)
	if err := vox(s.Store).CreateFeedback(r.Context(), rq.Workspace.ID, fb); err != nil {
		return err
	}
	s.themes().Trigger(rq.Workspace.ID)
	return seeOther(w, r, insightBase(rq)+"/feedback/"+fb.ID)
}

// formProblems turns a form's problems into one EInvalid error whose
// message lists them, for forms that are not re-rendered in place.
func formProblems(p tandem.Problems, what string) error {
	parts := make([]string, len(p))
	for i, x := range p {
		parts[i] = humanLabel(x.Field) + " " + x.Message + "."
	}
	return &tandem.Error{Code: tandem.EInvalid, Message: "The " + what + " is not valid: " + strings.Join(parts, " "), Fields: p}
}

type feedbackData struct {
	Feedback *tandem.Feedback
	Theme    *tandem.Theme
	Link     linkBlock
	Similar  *similarCard // features it may be evidence for (ui_similar.go)
}

func (s *Server) handleFeedbackView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	fb, err := vox(s.Store).FindFeedbackByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := feedbackData{Feedback: fb}
	if fb.ThemeID != "" {
		if d.Theme, err = vox(s.Store).FindThemeByID(ctx, ws, fb.ThemeID); err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
			return err
		}
	}
	items, err := s.linkItems(ctx, rq)
	if err != nil {
		return err
	}
	here := insightBase(rq) + "/feedback/" + fb.ID
	if d.Link, err = s.linkBlockOf(ctx, rq, tandem.EvidenceFilter{FeedbackID: fb.ID}, fb.ID, here+"/evidence", here, items); err != nil {
		return err
	}
	if d.Similar, err = s.similarItemsCard(ctx, rq, fb); err != nil {
		return err
	}
	title := fb.CustomerName
	if title == "" {
		title = "Feedback"
	}
	return s.renderPage(w, r, rq, "insight_feedback_item", title, "insights", d)
}

func (s *Server) handleFeedbackDeleteUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	if err := vox(s.Store).DeleteFeedback(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
		return err
	}
	s.themes().Trigger(rq.Workspace.ID)
	return seeOther(w, r, insightBase(rq)+"/feedback")
}

// ---- CSV import ----

type importData struct {
	CSV        string
	FileName   string
	Result     *importResult
	Fields     []string
	MonthFirst bool
	Currency   string
	Source     string
	Error      string
	Sources    []option
}

// MappedTo returns the column a field is mapped to in the preview.
func (d importData) MappedTo(field string) string {
	if d.Result == nil {
		return ""
	}
	return d.Result.Mapping[field]
}

// LineProblems lists the first problems, for the preview table.
func (d importData) LineProblems() []feedbackcsv.Problem {
	if d.Result == nil {
		return nil
	}
	if len(d.Result.Problems) > 200 {
		return d.Result.Problems[:200]
	}
	return d.Result.Problems
}

func (s *Server) handleFeedbackImportForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderPage(w, r, rq, "insight_import", "Import feedback", "insights",
		importData{Fields: feedbackcsv.Fields, Sources: statusOptions(tandem.FeedbackSources...)})
}

// maxImportForm bounds the import form: the file, or its text carried
// from the preview, and the mapping.
const maxImportForm = maxImportBytes + 1<<20

func (s *Server) handleFeedbackImportUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportForm)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tandem.Errorf(tandem.ETooLarge, "The file is larger than %d MB.", maxImportBytes>>20)
		}
		return tandem.Errorf(tandem.EInvalid, "The form could not be read.")
	}
	d := importData{Fields: feedbackcsv.Fields, Sources: statusOptions(tandem.FeedbackSources...)}
	data := []byte(r.PostFormValue("csv"))
	if r.MultipartForm != nil {
		if fh := r.MultipartForm.File["file"]; len(fh) > 0 {
			f, err := fh[0].Open()
			if err != nil {
				return tandem.Errorf(tandem.EInvalid, "The file could not be read.")
			}
			data, err = io.ReadAll(io.LimitReader(f, maxImportBytes+1))
			f.Close()
			if err != nil {
				return tandem.Errorf(tandem.EInvalid, "The file could not be read.")
			}
			d.FileName = fh[0].Filename
		}
	}
	opt := feedbackcsv.Options{MonthFirst: r.PostFormValue("month_first") == "on", Currency: strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency")))}
	if src := r.PostFormValue("source"); src != "" {
		opt.Source, _ = feedbackcsv.ParseSource(src)
	}
	// A mapping comes with the preview's form; the first upload guesses one.
	if r.PostFormValue("mapped") == "1" {
		opt.Mapping = feedbackcsv.Mapping{}
		for _, f := range feedbackcsv.Fields {
			if v := r.PostFormValue("map_" + f); v != "" {
				opt.Mapping[f] = v
			}
		}
	}
	d.MonthFirst, d.Currency, d.Source = opt.MonthFirst, opt.Currency, opt.Source
	if len(strings.TrimSpace(string(data))) == 0 {
		d.Error = "Choose a CSV file, or paste its contents."
		p, err := s.newPage(r, rq, "Import feedback", "insights", d)
		if err != nil {
			return err
		}
		return s.render(w, http.StatusUnprocessableEntity, "insight_import", p)
	}
	d.CSV = string(data)
	dry := r.PostFormValue("action") != "import"
	res, _, err := s.importFeedback(r.Context(), rq.Workspace.ID, data, opt, dry)
	if err != nil {
		if tandem.ErrorCode(err) != tandem.EInvalid && tandem.ErrorCode(err) != tandem.ETooLarge {
			return err
		}
		d.Error = tandem.ErrorMessage(err)
		d.CSV = ""
		p, perr := s.newPage(r, rq, "Import feedback", "insights", d)
		if perr != nil {
			return perr
		}
		return s.render(w, statusOf(tandem.ErrorCode(err)), "insight_import", p)
	}
	if res.Imported > 0 {
		return seeOther(w, r, insightBase(rq)+"/feedback?imported="+strconv.Itoa(res.Imported))
	}
	d.Result = res
	status := http.StatusOK
	if !dry {
		status = http.StatusUnprocessableEntity
		d.Error = "The file has problems; nothing was imported. Fix the mapping or the file and preview again."
	}
	p, err := s.newPage(r, rq, "Import feedback", "insights", d)
	if err != nil {
		return err
	}
	return s.render(w, status, "insight_import", p)
}

// ---- Ideas ----

type ideaListData struct {
	Ideas    []*tandem.Idea
	Titles   map[string]string
	Products []option
	Statuses []option
	Filter   url.Values
}

// F returns a filter value.
func (d ideaListData) F(name string) string { return d.Filter.Get(name) }

// allIdeas reads a workspace's ideas (at most 2,000), most voted first.
func (s *Server) allIdeas(ctx context.Context, ws string, f tandem.IdeaFilter) ([]*tandem.Idea, error) {
	var all []*tandem.Idea
	f.Page = tandem.Page{Limit: tandem.MaxLimit}
	for range 4 {
		xs, next, err := vox(s.Store).FindIdeas(ctx, ws, f)
		if err != nil {
			return nil, err
		}
		all = append(all, xs...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Votes > all[j].Votes })
	return all, nil
}

func (s *Server) handleIdeaList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws, q := r.Context(), rq.Workspace.ID, r.URL.Query()
	ideas, err := s.allIdeas(ctx, ws, tandem.IdeaFilter{Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q"))})
	if err != nil {
		return err
	}
	d := ideaListData{Ideas: ideas, Titles: map[string]string{}, Filter: q, Statuses: statusOptions(tandem.IdeaStatuses...)}
	for _, x := range ideas {
		d.Titles[x.ID] = x.Title
	}
	if d.Products, err = s.productOptions(ctx, ws, "No product"); err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "insight_ideas", "Ideas", "insights", d)
}

func (s *Server) handleIdeaCreateUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	f := &formReader{v: r.PostForm}
	x := &tandem.Idea{Title: f.str("title"), Description: f.text("description"), ProductID: f.str("product_id"),
		SubmitterName: rq.User.Name, SubmitterEmail: rq.User.Email, Public: f.str("public") == "on"}
	x.Defaults()
	if err := vox(s.Store).CreateIdea(r.Context(), rq.Workspace.ID, x); err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/ideas/"+x.ID)
}

type ideaData struct {
	Idea     *tandem.Idea
	Merged   *tandem.Idea   // what it was merged into
	Dups     []*tandem.Idea // ideas merged into it
	Targets  []option       // ideas it can be merged into
	Items    []option
	Products []option
	Statuses []option
	Link     linkBlock
	Item     *tandem.Item
}

func (s *Server) handleIdeaView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	x, err := vox(s.Store).FindIdeaByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := ideaData{Idea: x}
	all, err := s.allIdeas(ctx, ws, tandem.IdeaFilter{})
	if err != nil {
		return err
	}
	for _, o := range all {
		switch {
		case o.ID == x.MergedIntoID:
			d.Merged = o
		case o.MergedIntoID == x.ID:
			d.Dups = append(d.Dups, o)
		case o.ID != x.ID && o.MergedIntoID == "":
			d.Targets = append(d.Targets, option{o.ID, fmt.Sprintf("%s (%d votes)", o.Title, o.Votes)})
		}
	}
	if x.ItemID != "" {
		if d.Item, err = s.Store.FindItemByID(ctx, ws, x.ItemID); err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
			return err
		}
	}
	if d.Items, err = s.linkItems(ctx, rq); err != nil {
		return err
	}
	here := insightBase(rq) + "/ideas/" + x.ID
	if d.Link, err = s.linkBlockOf(ctx, rq, tandem.EvidenceFilter{IdeaID: x.ID}, x.ID, here+"/evidence", here, d.Items); err != nil {
		return err
	}
	if rq.Member.Role.Can(tandem.PermEditItems) {
		if d.Products, err = s.productOptions(ctx, ws, "No product"); err != nil {
			return err
		}
		for _, st := range tandem.IdeaStatuses {
			if st != tandem.IdeaMerged {
				d.Statuses = append(d.Statuses, option{st, humanLabel(st)})
			}
		}
	}
	return s.renderPage(w, r, rq, "insight_idea", x.Title, "insights", d)
}

func (s *Server) handleIdeaUpdateUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	f := &formReader{v: r.PostForm}
	id := r.PathValue("id")
	upd := tandem.IdeaUpdate{}
	for _, name := range []string{"title", "status", "item_id", "product_id"} {
		if _, ok := r.PostForm[name]; ok {
			v := f.str(name)
			switch name {
			case "title":
				upd.Title = &v
			case "status":
				upd.Status = &v
			case "item_id":
				upd.ItemID = &v
			case "product_id":
				upd.ProductID = &v
			}
		}
	}
	if _, ok := r.PostForm["description"]; ok {
		v := f.text("description")
		upd.Description = &v
	}
	if _, ok := r.PostForm["public_set"]; ok {
		v := f.str("public") == "on"
		upd.Public = &v
	}
	if _, err := vox(s.Store).UpdateIdea(r.Context(), rq.Workspace.ID, id, upd, int64(f.int("version"))); err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/ideas/"+id)
}

func (s *Server) handleIdeaMergeUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	target := strings.TrimSpace(r.PostFormValue("target_id"))
	if target == "" {
		return tandem.Errorf(tandem.EInvalid, "Choose the idea to merge this one into.")
	}
	if _, err := vox(s.Store).MergeIdea(r.Context(), rq.Workspace.ID, id, target); err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/ideas/"+target)
}

func (s *Server) handleIdeaDeleteUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	if err := vox(s.Store).DeleteIdea(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/ideas")
}

// ---- Interviews ----

type interviewListData struct {
	List  *listPage
	Error string
	Form  url.Values
}

func (s *Server) handleInterviewList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.interviewList(w, r, rq, http.StatusOK, "", nil)
}

func (s *Server) interviewList(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string, form url.Values) error {
	q := r.URL.Query()
	rows, next, err := vox(s.Store).FindInterviews(r.Context(), rq.Workspace.ID, tandem.InterviewFilter{Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0}
	setPager(r, lp, next)
	p, err := s.newPage(r, rq, "Interviews", "insights", interviewListData{List: lp, Error: msg, Form: form})
	if err != nil {
		return err
	}
	return s.render(w, status, "insight_interviews", p)
}

func (s *Server) handleInterviewCreateUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	r.Body = http.MaxBytesReader(w, r.Body, transcript.MaxSize+1<<20)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return tandem.Errorf(tandem.ETooLarge, "The transcript is larger than %d MB.", transcript.MaxSize>>20)
	}
	f := &formReader{v: r.PostForm}
	x := &tandem.Interview{Title: f.str("title"), Participant: f.str("participant"), Account: f.str("account"),
		HeldOn: f.date("held_on"), Format: f.str("format"), Transcript: r.PostFormValue("transcript")}
	if r.MultipartForm != nil {
		if fh := r.MultipartForm.File["file"]; len(fh) > 0 {
			file, err := fh[0].Open()
			if err == nil {
				b, rerr := io.ReadAll(io.LimitReader(file, transcript.MaxSize+1))
				file.Close()
				err = rerr
				x.Transcript = string(b)
			}
			if err != nil {
				return tandem.Errorf(tandem.EInvalid, "The file could not be read.")
			}
		}
	}
	if len(f.p) == 0 {
		if err = normalizeTranscript(x); err == nil {
			err = vox(s.Store).CreateInterview(r.Context(), rq.Workspace.ID, x)
		}
	} else {
		err = formProblems(f.p, "interview")
	}
	if tandem.ErrorCode(err) == tandem.EInvalid {
		msg := tandem.ErrorMessage(err)
		if e := domainErr(err); e != nil {
			for _, p := range e.Fields {
				msg += " " + humanLabel(p.Field) + ": " + p.Message + "."
			}
		}
		return s.interviewList(w, r, rq, http.StatusUnprocessableEntity, msg, r.PostForm)
	} else if err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/interviews/"+x.ID)
}

// transcriptPart is a run of transcript text, highlighted or not.
type transcriptPart struct {
	Text      string
	Highlight *tandem.Highlight
}

// transcriptLine is one line of the flattened transcript.
type transcriptLine struct {
	Time    string
	Speaker string
	Parts   []transcriptPart
}

// splitTranscript cuts the transcript into lines and each line into runs,
// marking the highlighted spans (overlaps go to the earlier highlight).
func splitTranscript(text string, hs []*tandem.Highlight) []transcriptLine {
	sorted := slices.Clone(hs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	owner := func(pos int) *tandem.Highlight {
		for _, h := range sorted {
			if pos >= h.Start && pos < h.End {
				return h
			}
		}
		return nil
	}
	var lines []transcriptLine
	pos := 0
	for _, raw := range strings.SplitAfter(text, "\n") {
		lineStart := pos
		pos += len(raw)
		body := strings.TrimRight(raw, "\n")
		if strings.TrimSpace(body) == "" {
			continue
		}
		var ln transcriptLine
		offset := 0
		if strings.HasPrefix(body, "[") {
			if end := strings.IndexByte(body, ']'); end > 0 && end < 12 {
				ln.Time = body[1:end]
				offset = end + 1
				for offset < len(body) && body[offset] == ' ' {
					offset++
				}
			}
		}
		if name, _, ok := strings.Cut(body[offset:], ": "); ok && len(name) <= 40 && !strings.ContainsAny(name, ".!?") {
			ln.Speaker = name
			offset += len(name) + 2
		}
		// Runs of equal ownership.
		start := offset
		for i := offset; i <= len(body); {
			if i == len(body) || owner(lineStart+i) != owner(lineStart+start) {
				if i > start {
					ln.Parts = append(ln.Parts, transcriptPart{Text: body[start:i], Highlight: owner(lineStart + start)})
				}
				start = i
				if i == len(body) {
					break
				}
			}
			// Advance by one rune so that runs end on character boundaries.
			_, size := utf8.DecodeRuneInString(body[i:])
			i += size
		}
		lines = append(lines, ln)
	}
	return lines
}

type interviewData struct {
	Interview  *tandem.Interview
	Lines      []transcriptLine
	Highlights []*tandem.Highlight
	Blocks     map[string]linkBlock // by highlight ID
	Error      string
	Quote      string
}

func (s *Server) handleInterviewView(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.interviewView(w, r, rq, r.PathValue("id"), http.StatusOK, "", "")
}

func (s *Server) interviewView(w http.ResponseWriter, r *http.Request, rq *request, id string, status int, msg, quote string) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	iv, err := vox(s.Store).FindInterviewByID(ctx, ws, id)
	if err != nil {
		return err
	}
	hs, err := vox(s.Store).FindHighlights(ctx, ws, id)
	if err != nil {
		return err
	}
	d := interviewData{Interview: iv, Highlights: hs, Lines: splitTranscript(iv.Transcript, hs), Blocks: map[string]linkBlock{}, Error: msg, Quote: quote}
	items, err := s.linkItems(ctx, rq)
	if err != nil {
		return err
	}
	here := insightBase(rq) + "/interviews/" + iv.ID
	for _, h := range hs {
		b, err := s.linkBlockOf(ctx, rq, tandem.EvidenceFilter{HighlightID: h.ID}, h.ID, insightBase(rq)+"/highlights/"+h.ID+"/evidence", here+"#highlights", items)
		if err != nil {
			return err
		}
		d.Blocks[h.ID] = b
	}
	p, err := s.newPage(r, rq, iv.Title, "insights", d)
	if err != nil {
		return err
	}
	return s.render(w, status, "insight_interview", p)
}

func (s *Server) handleHighlightCreateUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	in := highlightInput{Quote: r.PostFormValue("quote"), Tags: feedbackcsv.ParseTags(r.PostFormValue("tags")), Note: normalizeText(r.PostFormValue("note"))}
	if strings.TrimSpace(in.Quote) == "" {
		return s.interviewView(w, r, rq, id, http.StatusUnprocessableEntity, "Select or paste the words to highlight.", "")
	}
	_, err := s.createHighlight(r.Context(), rq.Workspace.ID, id, in)
	if tandem.ErrorCode(err) == tandem.EInvalid {
		msg := tandem.ErrorMessage(err)
		if e := domainErr(err); e != nil && len(e.Fields) > 0 {
			msg = humanLabel(e.Fields[0].Field) + " " + e.Fields[0].Message + "."
		}
		return s.interviewView(w, r, rq, id, http.StatusUnprocessableEntity, msg, in.Quote)
	} else if err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/interviews/"+id+"#highlights")
}

func (s *Server) handleHighlightDeleteUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	if err := vox(s.Store).DeleteHighlight(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
		return err
	}
	return seeOther(w, r, safeNext(r.PostFormValue("back")))
}

func (s *Server) handleInterviewDeleteUI(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	if err := vox(s.Store).DeleteInterview(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
		return err
	}
	return seeOther(w, r, insightBase(rq)+"/interviews")
}

// ---- The public idea portal ----

// portalLimiter limits portal writes per client IP: a burst of portalBurst,
// then one every portalEvery. It is in memory, per process.
type rateLimiter struct {
	mu      sync.Mutex
	clients map[string]*bucket
	burst   float64
	every   time.Duration
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

var portalLimiter = &rateLimiter{clients: map[string]*bucket{}, burst: 10, every: 30 * time.Second, now: time.Now}

// allow takes one token of key's bucket.
func (l *rateLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.clients[key]
	if b == nil {
		if len(l.clients) > 100_000 {
			// Forget idle clients rather than grow without bound.
			for k, v := range l.clients {
				if now.Sub(v.last) > time.Duration(l.burst)*l.every {
					delete(l.clients, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.clients[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.every))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// clientIP is the peer's address. Headers such as X-Forwarded-For are not
// trusted: a reverse proxy that rewrites them is not known to be there.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

var errTooMany = &statusError{Status: http.StatusTooManyRequests, Code: tandem.EForbidden,
	Detail: "Too many submissions from your network. Please wait a minute and try again."}

type portalData struct {
	Workspace *tandem.Workspace
	Ideas     []*tandem.Idea
	Message   string
	Error     string
	Form      url.Values
}

// portalWorkspace resolves the portal's workspace. A workspace without
// public ideas has no portal, so that the portal does not reveal which
// workspaces exist.
func (s *Server) portalWorkspace(r *http.Request) (*tandem.Workspace, []*tandem.Idea, error) {
	ws, err := s.Store.FindWorkspace(r.Context(), r.PathValue("ws"))
	if err != nil {
		if tandem.ErrorCode(err) == tandem.ENotFound {
			return nil, nil, tandem.Errorf(tandem.ENotFound, "There is no such portal.")
		}
		return nil, nil, err
	}
	yes := true
	ideas, err := s.allIdeas(r.Context(), ws.ID, tandem.IdeaFilter{Public: &yes})
	if err != nil {
		return nil, nil, err
	}
	var shown []*tandem.Idea
	for _, x := range ideas {
		if x.MergedIntoID == "" {
			shown = append(shown, x)
		}
	}
	if len(ideas) == 0 {
		return nil, nil, tandem.Errorf(tandem.ENotFound, "There is no such portal.")
	}
	return ws, shown, nil
}

func (s *Server) handlePortal(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.portal(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) portal(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string, form url.Values) error {
	ws, ideas, err := s.portalWorkspace(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "voted":
		msg = "Thank you: your vote is counted."
	case "submitted":
		msg = "Thank you: your idea is posted. Others can vote for it now."
	}
	d := portalData{Workspace: ws, Ideas: ideas, Message: msg, Error: errMsg, Form: form}
	return s.render(w, status, "insight_portal", &page{Title: "Ideas for " + ws.Name, Data: d, Status: status})
}

func (s *Server) handlePortalSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ws, _, err := s.portalWorkspace(r)
	if err != nil {
		return err
	}
	if !portalLimiter.allow(clientIP(r)) {
		return s.portal(w, r, http.StatusTooManyRequests, "", errTooMany.Detail, r.PostForm)
	}
	f := &formReader{v: r.PostForm}
	email := tandem.NormalizeEmail(f.str("email"))
	x := &tandem.Idea{Title: f.str("title"), Description: f.text("description"), SubmitterName: f.str("name"), SubmitterEmail: email, Public: true}
	if !strings.Contains(email, "@") || len(email) > 254 {
		return s.portal(w, r, http.StatusUnprocessableEntity, "", "Give your email address, so that we can tell you when the idea's status changes.", r.PostForm)
	}
	x.Defaults()
	if err := vox(s.Store).CreateIdea(r.Context(), ws.ID, x); err != nil {
		if tandem.ErrorCode(err) == tandem.EInvalid {
			msg := "Your idea needs a title (up to 300 characters) and a description of at most 20,000 characters."
			return s.portal(w, r, http.StatusUnprocessableEntity, "", msg, r.PostForm)
		}
		return err
	}
	// The submitter's own vote.
	if _, err := vox(s.Store).VoteIdea(r.Context(), ws.ID, x.ID, email); err != nil {
		return err
	}
	return seeOther(w, r, "/portal/"+url.PathEscape(ws.Slug)+"?done=submitted#idea-"+x.ID)
}

func (s *Server) handlePortalVote(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ws, ideas, err := s.portalWorkspace(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !slices.ContainsFunc(ideas, func(x *tandem.Idea) bool { return x.ID == id }) {
		return tandem.Errorf(tandem.ENotFound, "There is no such idea.")
	}
	if !portalLimiter.allow(clientIP(r)) {
		return s.portal(w, r, http.StatusTooManyRequests, "", errTooMany.Detail, nil)
	}
	email := tandem.NormalizeEmail(r.PostFormValue("email"))
	if !strings.Contains(email, "@") || len(email) > 254 {
		return s.portal(w, r, http.StatusUnprocessableEntity, "", "Give your email address to vote: one vote per person.", nil)
	}
	if _, err := vox(s.Store).VoteIdea(r.Context(), ws.ID, id, email); err != nil {
		return err
	}
	return seeOther(w, r, "/portal/"+url.PathEscape(ws.Slug)+"?done=voted#idea-"+id)
}

package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/feedbackcsv"
	"github.com/tandem-pm/tandem/insight"
	"github.com/tandem-pm/tandem/internal/jobs"
	"github.com/tandem-pm/tandem/transcript"
)

// The voice of the customer in the JSON API: feedback (with CSV import),
// ideas (votes, merges), interviews and highlights, themes, evidence.

// vox returns the store's voice-of-the-customer service.
func vox(st tandem.Store) tandem.InsightService { return st }

// themeQuietPeriod is how long feedback must stay unchanged before its
// workspace's themes are recomputed.
const themeQuietPeriod = 20 * time.Second

// themeLeaseTTL is how long a node's lease on a workspace's theme job lasts
// without renewal: a node that dies mid-run holds up the others this long.
const themeLeaseTTL = time.Minute

// nodeID names this process among the nodes sharing a database.
func nodeID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), tandem.NewID())
}

// themes returns the server's theme job runner, made on first use.
func (s *Server) themes() *jobs.Debouncer {
	s.themeMu.Lock()
	defer s.themeMu.Unlock()
	if s.themeJobs == nil {
		s.themeJobs = jobs.NewDebouncer(themeQuietPeriod, s.runThemeJob, s.Logger)
	}
	return s.themeJobs
}

// runThemeJob recomputes workspace ws's themes. When the store is shared
// by several nodes (it implements jobs.Leaser), it first takes the
// workspace's lease; a node that finds it held skips the run and tries
// again after the quiet period, so the writes it served are not left out.
func (s *Server) runThemeJob(ctx context.Context, ws string) error {
	if s.NoThemeJobs {
		return nil
	}
	job := &jobs.Themes{Store: vox(s.Store), Seed: 1, Options: s.ThemeOptions}
	l, ok := s.Store.(jobs.Leaser)
	if !ok {
		return job.Recompute(ctx, ws)
	}
	lease := &jobs.Lease{Leaser: l, Holder: s.NodeID, TTL: themeLeaseTTL, Logger: s.Logger}
	ran, err := lease.Run(ctx, "themes:"+ws, func(ctx context.Context) error { return job.Recompute(ctx, ws) })
	if err == nil && !ran {
		s.Logger.Debug("theme job held by another node; retrying later", "workspace", ws)
		s.themes().Trigger(ws)
	}
	return err
}

// stopThemes cancels the server's theme extractions and waits for them.
func (s *Server) stopThemes() {
	s.themeMu.Lock()
	d := s.themeJobs
	s.themeJobs = nil
	s.themeMu.Unlock()
	if d != nil {
		d.Close()
	}
}

// withSentiment scores x's text, so that feedback shows its sentiment
// before the next theme extraction.
func withSentiment(x *tandem.Feedback) {
	sc := insight.Sentiment(x.Text)
	x.SentimentScore, x.SentimentLabel = sc.Score, sc.Label
	if x.SentimentLabel != tandem.SentimentNegative && x.SentimentLabel != tandem.SentimentPositive {
		x.SentimentLabel = tandem.SentimentNeutral
	}
	x.SentimentScore = max(-1, min(1, x.SentimentScore))
}

func (s *Server) insightEndpoints() []endpoint {
	var eps []endpoint
	changed := func(ws string) { s.themes().Trigger(ws) }
	eps = append(eps, resource[tandem.Feedback, tandem.FeedbackUpdate, tandem.FeedbackFilter]{
		Path: "feedback", Name: "feedback", Edit: tandem.PermEditItems,
		ReadOnly: []string{"sentiment_score", "sentiment_label", "theme_id"},
		Find: func(st tandem.Store, ctx context.Context, ws, id string) (*tandem.Feedback, error) {
			return vox(st).FindFeedbackByID(ctx, ws, id)
		},
		List: func(st tandem.Store, ctx context.Context, ws string, f tandem.FeedbackFilter) ([]*tandem.Feedback, string, error) {
			return vox(st).FindFeedback(ctx, ws, f)
		},
		Create: func(st tandem.Store, ctx context.Context, ws string, x *tandem.Feedback) error {
			x.Defaults()
			withSentiment(x)
			if err := vox(st).CreateFeedback(ctx, ws, x); err != nil {
				return err
			}
			changed(ws)
			return nil
		},
		Update: func(st tandem.Store, ctx context.Context, ws, id string, u tandem.FeedbackUpdate, version int64) (*tandem.Feedback, error) {
			x, err := vox(st).UpdateFeedback(ctx, ws, id, u, version)
			if err == nil {
				changed(ws)
			}
			return x, err
		},
		Delete: func(st tandem.Store, ctx context.Context, ws, id string) error {
			err := vox(st).DeleteFeedback(ctx, ws, id)
			if err == nil {
				changed(ws)
			}
			return err
		},
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Idea, tandem.IdeaUpdate, tandem.IdeaFilter]{
		Path: "ideas", Name: "idea", Edit: tandem.PermEditItems, DeletePerm: tandem.PermEditAll,
		ReadOnly: []string{"votes", "merged_into_id"},
		Find: func(st tandem.Store, ctx context.Context, ws, id string) (*tandem.Idea, error) {
			return vox(st).FindIdeaByID(ctx, ws, id)
		},
		List: func(st tandem.Store, ctx context.Context, ws string, f tandem.IdeaFilter) ([]*tandem.Idea, string, error) {
			return vox(st).FindIdeas(ctx, ws, f)
		},
		Create: func(st tandem.Store, ctx context.Context, ws string, x *tandem.Idea) error {
			return vox(st).CreateIdea(ctx, ws, x)
		},
		Update: func(st tandem.Store, ctx context.Context, ws, id string, u tandem.IdeaUpdate, version int64) (*tandem.Idea, error) {
			return vox(st).UpdateIdea(ctx, ws, id, u, version)
		},
		Delete: func(st tandem.Store, ctx context.Context, ws, id string) error {
			return vox(st).DeleteIdea(ctx, ws, id)
		},
		s: s,
	}.endpoints()...)
	eps = append(eps, resource[tandem.Interview, tandem.InterviewUpdate, tandem.InterviewFilter]{
		Path: "interviews", Name: "interview", Edit: tandem.PermEditItems, DeletePerm: tandem.PermEditAll,
		Find: func(st tandem.Store, ctx context.Context, ws, id string) (*tandem.Interview, error) {
			return vox(st).FindInterviewByID(ctx, ws, id)
		},
		List: func(st tandem.Store, ctx context.Context, ws string, f tandem.InterviewFilter) ([]*tandem.Interview, string, error) {
			return vox(st).FindInterviews(ctx, ws, f)
		},
		Create: func(st tandem.Store, ctx context.Context, ws string, x *tandem.Interview) error {
			if err := normalizeTranscript(x); err != nil {
				return err
			}
			return vox(st).CreateInterview(ctx, ws, x)
		},
		Update: func(st tandem.Store, ctx context.Context, ws, id string, u tandem.InterviewUpdate, version int64) (*tandem.Interview, error) {
			return vox(st).UpdateInterview(ctx, ws, id, u, version)
		},
		Delete: func(st tandem.Store, ctx context.Context, ws, id string) error {
			return vox(st).DeleteInterview(ctx, ws, id)
		},
		s: s,
	}.endpoints()...)

	const base = "/api/v1/workspaces/{ws}/"
	eps = append(eps,
		endpoint{route: route{Method: "POST", Pattern: base + "feedback/import", Perm: tandem.PermEditItems, Handle: s.handleAPIFeedbackImport},
			ID: "importFeedback", Summary: "Import feedback from a CSV body (text/csv); ?dry_run=true previews the rows and their problems; map_<field>=<column> maps columns",
			Tag: "feedback", Resp: reflect.TypeFor[importResult](), Status: 200},
		endpoint{route: route{Method: "POST", Pattern: base + "ideas/{id}/vote", Perm: tandem.PermRead, Handle: s.handleAPIIdeaVote},
			ID: "voteIdea", Summary: "Vote for an idea (once per voter; the caller by default)", Tag: "ideas",
			Body: reflect.TypeFor[voteInput](), Resp: reflect.TypeFor[tandem.Idea](), Status: 200},
		endpoint{route: route{Method: "POST", Pattern: base + "ideas/{id}/merge", Perm: tandem.PermEditItems, Handle: s.handleAPIIdeaMerge},
			ID: "mergeIdea", Summary: "Merge a duplicate idea into another; its votes move there", Tag: "ideas",
			Body: reflect.TypeFor[mergeInput](), Resp: reflect.TypeFor[tandem.Idea](), Status: 200},
		endpoint{route: route{Method: "GET", Pattern: base + "interviews/{id}/highlights", Perm: tandem.PermRead, Handle: s.handleAPIHighlightList},
			ID: "listHighlights", Summary: "An interview's highlights, in transcript order", Tag: "interviews",
			Resp: reflect.TypeFor[tandem.Highlight](), List: true, Status: 200},
		endpoint{route: route{Method: "POST", Pattern: base + "interviews/{id}/highlights", Perm: tandem.PermEditItems, Handle: s.handleAPIHighlightCreate},
			ID: "createHighlight", Summary: "Highlight a span of an interview's transcript, by byte offsets or by quoting it", Tag: "interviews",
			Body: reflect.TypeFor[highlightInput](), Resp: reflect.TypeFor[tandem.Highlight](), Status: 201},
		endpoint{route: route{Method: "DELETE", Pattern: base + "highlights/{id}", Perm: tandem.PermEditItems, Handle: s.handleAPIHighlightDelete},
			ID: "deleteHighlight", Summary: "Delete a highlight", Tag: "interviews", Status: 204},
		endpoint{route: route{Method: "GET", Pattern: base + "themes", Perm: tandem.PermRead, Handle: s.handleAPIThemeList},
			ID: "listThemes", Summary: "The latest themes, largest first", Tag: "themes", Resp: reflect.TypeFor[tandem.Theme](), List: true, Status: 200},
		endpoint{route: route{Method: "GET", Pattern: base + "themes/{id}", Perm: tandem.PermRead, Handle: s.handleAPIThemeView},
			ID: "getTheme", Summary: "One theme", Tag: "themes", Resp: reflect.TypeFor[tandem.Theme](), Status: 200},
		endpoint{route: route{Method: "POST", Pattern: base + "themes/recompute", Perm: tandem.PermEditItems, Handle: s.handleAPIThemeRecompute},
			ID: "recomputeThemes", Summary: "Recompute the themes now, in the background (202); ?wait=true answers when done (200)", Tag: "themes",
			Resp: reflect.TypeFor[recomputeResult](), Status: 202},
		endpoint{route: route{Method: "GET", Pattern: base + "evidence", Perm: tandem.PermRead, Handle: s.handleAPIEvidenceList},
			ID: "listEvidence", Summary: "Evidence links, filtered by item, feedback, theme, idea or highlight", Tag: "evidence",
			Query: reflect.TypeFor[tandem.EvidenceFilter](), Resp: reflect.TypeFor[tandem.Evidence](), List: true, Status: 200},
		endpoint{route: route{Method: "POST", Pattern: base + "evidence", Perm: tandem.PermEditItems, Handle: s.handleAPIEvidenceCreate},
			ID: "createEvidence", Summary: "Link an item to feedback, a theme, an idea or a highlight", Tag: "evidence",
			Body: reflect.TypeFor[tandem.Evidence](), Resp: reflect.TypeFor[tandem.Evidence](), Status: 201},
		endpoint{route: route{Method: "DELETE", Pattern: base + "evidence/{id}", Perm: tandem.PermEditItems, Handle: s.handleAPIEvidenceDelete},
			ID: "deleteEvidence", Summary: "Remove an evidence link", Tag: "evidence", Status: 204},
		endpoint{route: route{Method: "GET", Pattern: base + "items/{id}/evidence", Perm: tandem.PermRead, Handle: s.handleAPIItemEvidence},
			ID: "getItemEvidence", Summary: "What supports an item: its evidence, and the feedback, accounts and revenue behind it", Tag: "evidence",
			Resp: reflect.TypeFor[tandem.EvidenceSummary](), Status: 200},
	)
	return eps
}

// normalizeTranscript parses x's transcript in its format ("" or "auto"
// detects it) and stores it flattened, so that highlights have one text to
// point into.
func normalizeTranscript(x *tandem.Interview) error {
	if x.Format == "" || x.Format == "auto" {
		x.Format = transcript.Detect(x.Transcript)
	}
	cues, err := transcript.Parse(x.Format, x.Transcript)
	if err != nil {
		var p tandem.Problems
		p.Add("transcript", "%s", err.Error())
		return p.Err("interview")
	}
	x.Transcript = transcript.Flatten(cues)
	return nil
}

// importResult answers a CSV import or its preview.
type importResult struct {
	DryRun   bool                  `json:"dry_run"`
	Imported int                   `json:"imported"`
	Rows     int                   `json:"rows"`
	Valid    int                   `json:"valid"`
	Headers  []string              `json:"headers"`
	Mapping  feedbackcsv.Mapping   `json:"mapping"`
	Problems []feedbackcsv.Problem `json:"problems"`
	Preview  []*tandem.Feedback    `json:"preview"` // the first rows as they would be stored
}

// maxImportBytes bounds a CSV upload.
const maxImportBytes = feedbackcsv.MaxBytes

// importOptions reads the import's options from the query: dry_run,
// month_first, currency, source and map_<field>=<column>.
func importOptions(r *http.Request) (feedbackcsv.Options, bool, error) {
	q := r.URL.Query()
	var opt feedbackcsv.Options
	var p tandem.Problems
	dry := false
	for k := range q {
		v := q.Get(k)
		switch {
		case k == "dry_run":
			dry = v == "true" || v == "1"
		case k == "month_first":
			opt.MonthFirst = v == "true" || v == "1"
		case k == "currency":
			opt.Currency = strings.ToUpper(v)
		case k == "source":
			if _, ok := feedbackcsv.ParseSource(v); !ok {
				p.Add("source", "must be one of %s", strings.Join(tandem.FeedbackSources, ", "))
			}
			opt.Source, _ = feedbackcsv.ParseSource(v)
		case strings.HasPrefix(k, "map_"):
			if opt.Mapping == nil {
				opt.Mapping = feedbackcsv.Mapping{}
			}
			opt.Mapping[strings.TrimPrefix(k, "map_")] = v
		default:
			p.Add(k, "is not an option of the import; use dry_run, month_first, currency, source or map_<field>")
		}
	}
	return opt, dry, p.Err("import")
}

func (s *Server) handleAPIFeedbackImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "text/csv" && mt != "text/plain" && mt != "application/csv" {
		return &statusError{Status: http.StatusUnsupportedMediaType, Code: tandem.EInvalid,
			Detail: "Send the CSV file as the body with 'Content-Type: text/csv'."}
	}
	opt, dry, err := importOptions(r)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tandem.Errorf(tandem.ETooLarge, "The file is larger than %d MB.", maxImportBytes>>20)
		}
		return tandem.Errorf(tandem.EInvalid, "The request body could not be read.")
	}
	res, _, err := s.importFeedback(r.Context(), rq.Workspace.ID, data, opt, dry)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !dry && res.Imported > 0 {
		status = http.StatusCreated
	}
	if !dry && res.Imported == 0 {
		// Nothing was written: the problems say why, as a validation error.
		e := &tandem.Error{Code: tandem.EInvalid, Message: "The file has problems; nothing was imported."}
		for i, pr := range res.Problems {
			if i == 50 {
				break
			}
			e.Fields = append(e.Fields, tandem.FieldError{Field: importField(pr), Message: pr.Message})
		}
		return e
	}
	writeJSON(w, status, res)
	return nil
}

func importField(pr feedbackcsv.Problem) string {
	f := "line " + strconv.Itoa(pr.Line)
	if pr.Column != "" {
		f += ", column " + pr.Column
	} else if pr.Field != "" {
		f += ", " + pr.Field
	}
	return f
}

// importFeedback previews a CSV file and, unless dry or the file has
// problems, imports all its rows in one transaction.
func (s *Server) importFeedback(ctx context.Context, ws string, data []byte, opt feedbackcsv.Options, dry bool) (*importResult, []*tandem.Feedback, error) {
	pv, err := feedbackcsv.Read(data, opt)
	if err != nil {
		return nil, nil, err
	}
	res := &importResult{DryRun: dry, Rows: len(pv.Rows), Valid: pv.Valid, Headers: pv.Headers, Mapping: pv.Mapping, Problems: pv.Problems,
		Preview: []*tandem.Feedback{}}
	for i, row := range pv.Rows {
		if i == 20 {
			break
		}
		res.Preview = append(res.Preview, row.Feedback)
	}
	if dry || !pv.OK() {
		return res, nil, nil
	}
	fbs := pv.Feedback()
	for _, fb := range fbs {
		withSentiment(fb)
	}
	if err := vox(s.Store).ImportFeedback(ctx, ws, fbs); err != nil {
		return nil, nil, err
	}
	res.Imported = len(fbs)
	s.themes().Trigger(ws)
	return res, fbs, nil
}

type voteInput struct {
	Voter string `json:"voter"` // an email; the caller's user ID when empty
}

func (s *Server) handleAPIIdeaVote(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "idea")
	if err != nil {
		return err
	}
	var in voteInput
	if r.ContentLength != 0 {
		obj, err := readObject(w, r)
		if err != nil {
			return err
		}
		if err := decodeFields(obj, &in, nil); err != nil {
			return err
		}
	}
	if in.Voter == "" {
		in.Voter = rq.User.ID
	}
	x, err := vox(s.Store).VoteIdea(r.Context(), rq.Workspace.ID, id, in.Voter)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, x)
	return nil
}

type mergeInput struct {
	TargetID string `json:"target_id"` // the idea that remains
}

func (s *Server) handleAPIIdeaMerge(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "idea")
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in mergeInput
	if err := decodeFields(obj, &in, nil); err != nil {
		return err
	}
	if !tandem.IsID(in.TargetID) {
		var p tandem.Problems
		p.Add("target_id", "is required: the ID of the idea to merge into")
		return p.Err("merge")
	}
	x, err := vox(s.Store).MergeIdea(r.Context(), rq.Workspace.ID, id, in.TargetID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, x)
	return nil
}

func (s *Server) handleAPIHighlightList(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "interview")
	if err != nil {
		return err
	}
	hs, err := vox(s.Store).FindHighlights(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeList(w, hs, "")
	return nil
}

// highlightInput is a new highlight: a span by byte offsets, or a quote
// that is looked up in the transcript (its first occurrence).
type highlightInput struct {
	Start int      `json:"start"`
	End   int      `json:"end"`
	Quote string   `json:"quote"`
	Tags  []string `json:"tags"`
	Note  string   `json:"note"`
}

// locateQuote finds quote in text, ignoring differences in white space,
// and returns its byte span.
func locateQuote(text, quote string) (int, int, bool) {
	quote = strings.TrimSpace(quote)
	if quote == "" {
		return 0, 0, false
	}
	if i := strings.Index(text, quote); i >= 0 {
		return i, i + len(quote), true
	}
	// Tolerate line breaks and doubled spaces from copying.
	words := strings.Fields(quote)
	for start := strings.Index(text, words[0]); start >= 0; {
		pos, ok := start+len(words[0]), true
		for _, wd := range words[1:] {
			rest := text[pos:]
			trimmed := strings.TrimLeft(rest, " \t\r\n")
			if len(trimmed) == len(rest) || !strings.HasPrefix(trimmed, wd) {
				ok = false
				break
			}
			pos += len(rest) - len(trimmed) + len(wd)
		}
		if ok {
			return start, pos, true
		}
		next := strings.Index(text[start+1:], words[0])
		if next < 0 {
			break
		}
		start += 1 + next
	}
	return 0, 0, false
}

func (s *Server) createHighlight(ctx context.Context, ws, interviewID string, in highlightInput) (*tandem.Highlight, error) {
	h := &tandem.Highlight{InterviewID: interviewID, Start: in.Start, End: in.End, Tags: in.Tags, Note: in.Note}
	if in.Quote != "" {
		iv, err := vox(s.Store).FindInterviewByID(ctx, ws, interviewID)
		if err != nil {
			return nil, err
		}
		start, end, ok := locateQuote(iv.Transcript, in.Quote)
		if !ok {
			var p tandem.Problems
			p.Add("quote", "is not in the transcript; copy it exactly")
			return nil, p.Err("highlight")
		}
		h.Start, h.End = start, end
	}
	if err := vox(s.Store).CreateHighlight(ctx, ws, h); err != nil {
		return nil, err
	}
	return h, nil
}

func (s *Server) handleAPIHighlightCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "interview")
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in highlightInput
	if err := decodeFields(obj, &in, map[string]bool{"id": true, "interview_id": true}); err != nil {
		return err
	}
	h, err := s.createHighlight(r.Context(), rq.Workspace.ID, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h)
	return nil
}

func (s *Server) handleAPIHighlightDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "highlight")
	if err != nil {
		return err
	}
	if err := vox(s.Store).DeleteHighlight(r.Context(), rq.Workspace.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAPIThemeList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ts, err := vox(s.Store).FindThemes(r.Context(), rq.Workspace.ID)
	if err != nil {
		return err
	}
	writeList(w, ts, "")
	return nil
}

func (s *Server) handleAPIThemeView(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "theme")
	if err != nil {
		return err
	}
	t, err := vox(s.Store).FindThemeByID(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

type recomputeResult struct {
	Status string          `json:"status"` // "queued" or "done"
	Themes []*tandem.Theme `json:"themes,omitempty"`
}

func (s *Server) handleAPIThemeRecompute(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws := rq.Workspace.ID
	d := s.themes()
	d.Flush(ws)
	if v := r.URL.Query().Get("wait"); v != "true" && v != "1" {
		writeJSON(w, http.StatusAccepted, recomputeResult{Status: "queued"})
		return nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	if err := d.Wait(ctx, ws); err != nil {
		return tandem.Errorf(tandem.EInternal, "The theme extraction did not finish in time: %v", err)
	}
	ts, err := vox(s.Store).FindThemes(r.Context(), ws)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, recomputeResult{Status: "done", Themes: ts})
	return nil
}

func (s *Server) handleAPIEvidenceList(w http.ResponseWriter, r *http.Request, rq *request) error {
	var f tandem.EvidenceFilter
	if err := decodeQuery(r.URL.Query(), &f); err != nil {
		return err
	}
	es, err := vox(s.Store).FindEvidenceLinks(r.Context(), rq.Workspace.ID, f)
	if err != nil {
		return err
	}
	writeList(w, es, "")
	return nil
}

func (s *Server) handleAPIEvidenceCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	ignore := map[string]bool{"summary": true, "item_title": true}
	for _, n := range metaFields {
		ignore[n] = true
	}
	var x tandem.Evidence
	if err := decodeFields(obj, &x, ignore); err != nil {
		return err
	}
	if err := vox(s.Store).CreateEvidence(r.Context(), rq.Workspace.ID, &x); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/workspaces/"+rq.Workspace.ID+"/evidence?item_id="+x.ItemID)
	writeJSON(w, http.StatusCreated, x)
	return nil
}

func (s *Server) handleAPIEvidenceDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "evidence")
	if err != nil {
		return err
	}
	if err := vox(s.Store).DeleteEvidence(r.Context(), rq.Workspace.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAPIItemEvidence(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "item")
	if err != nil {
		return err
	}
	sum, err := vox(s.Store).FindEvidence(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

package client

// The voice of the customer: feedback (and its CSV import), ideas (votes,
// merges), interviews and their highlights, themes and evidence. The
// methods have the names and signatures of tandem.InsightService where the
// API has the same operation; the CSV import and theme recomputation are
// API operations of their own. The store-only ImportFeedback (rows already
// parsed) and ReplaceThemes (the theme job's write) have no API.

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tandem-pm/tandem"
)

// FindFeedbackByID returns one piece of feedback.
func (c *Client) FindFeedbackByID(ctx context.Context, ws, id string) (*tandem.Feedback, error) {
	return get[tandem.Feedback](ctx, c, wsPath(ws, "feedback", id))
}

// FindFeedback returns one page of feedback and the cursor of the next page ("" after the last).
func (c *Client) FindFeedback(ctx context.Context, ws string, f tandem.FeedbackFilter) ([]*tandem.Feedback, string, error) {
	return list[tandem.Feedback](ctx, c, wsPath(ws, "feedback"), f)
}

// CreateFeedback stores x and fills in what the server assigned (ID,
// version, times, sentiment).
func (c *Client) CreateFeedback(ctx context.Context, ws string, x *tandem.Feedback) error {
	return create(ctx, c, wsPath(ws, "feedback"), x)
}

// UpdateFeedback sends the set fields of upd as a merge patch; a version
// other than 0 is sent as If-Match (tandem.EStale when it is not current).
func (c *Client) UpdateFeedback(ctx context.Context, ws, id string, upd tandem.FeedbackUpdate, version int64) (*tandem.Feedback, error) {
	return patch[tandem.Feedback](ctx, c, wsPath(ws, "feedback", id), upd, version)
}

// DeleteFeedback deletes one piece of feedback.
func (c *Client) DeleteFeedback(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "feedback", id))
}

// ImportOptions control a feedback CSV import.
type ImportOptions struct {
	// Mapping maps feedback fields (text, source, customer_name,
	// customer_email, account, account_tier, account_revenue, currency,
	// received_on, tags) to the CSV columns that hold them. When nil, the
	// server guesses it from the headers; when given, it is the whole
	// mapping (text must be in it).
	Mapping map[string]string
	// MonthFirst reads ambiguous dates like 03/04/2025 as March 4.
	MonthFirst bool
	// Currency applies to revenue cells that name none ("" = EUR).
	Currency string
	// Source applies to rows without a source cell ("" = csv).
	Source string
}

// ImportProblem is one problem of a CSV file, found before anything is written.
type ImportProblem struct {
	Line    int    `json:"line"`   // line of the file, the header being line 1
	Column  string `json:"column"` // header of the column, "" for the whole row
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportResult answers a CSV import or its preview.
type ImportResult struct {
	DryRun   bool               `json:"dry_run"`
	Imported int                `json:"imported"` // rows written (0 in a preview)
	Rows     int                `json:"rows"`
	Valid    int                `json:"valid"`
	Headers  []string           `json:"headers"`
	Mapping  map[string]string  `json:"mapping"` // field → column, as used
	Problems []ImportProblem    `json:"problems"`
	Preview  []*tandem.Feedback `json:"preview"` // the first rows as they would be stored
}

// PreviewFeedbackCSV reads a CSV file as the import would and reports its
// rows and problems without writing anything.
func (c *Client) PreviewFeedbackCSV(ctx context.Context, ws string, csv []byte, opt ImportOptions) (*ImportResult, error) {
	return c.importCSV(ctx, ws, csv, opt, true)
}

// ImportFeedbackCSV imports every row of a CSV file in one transaction.
// A file with any problem imports nothing: the error is a tandem.EInvalid
// *Error whose Fields name each problem's line and column.
func (c *Client) ImportFeedbackCSV(ctx context.Context, ws string, csv []byte, opt ImportOptions) (*ImportResult, error) {
	return c.importCSV(ctx, ws, csv, opt, false)
}

func (c *Client) importCSV(ctx context.Context, ws string, csv []byte, opt ImportOptions, dry bool) (*ImportResult, error) {
	q := url.Values{}
	if dry {
		q.Set("dry_run", "true")
	}
	if opt.MonthFirst {
		q.Set("month_first", "true")
	}
	if opt.Currency != "" {
		q.Set("currency", opt.Currency)
	}
	if opt.Source != "" {
		q.Set("source", opt.Source)
	}
	for field, col := range opt.Mapping {
		q.Set("map_"+field, col)
	}
	path := wsPath(ws, "feedback", "import")
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out ImportResult
	hdr := http.Header{"Content-Type": {"text/csv; charset=utf-8"}}
	if _, err := c.Do(ctx, "POST", path, hdr, bytes.NewReader(csv), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FindIdeaByID returns one idea.
func (c *Client) FindIdeaByID(ctx context.Context, ws, id string) (*tandem.Idea, error) {
	return get[tandem.Idea](ctx, c, wsPath(ws, "ideas", id))
}

// FindIdeas returns one page of ideas and the cursor of the next page ("" after the last).
func (c *Client) FindIdeas(ctx context.Context, ws string, f tandem.IdeaFilter) ([]*tandem.Idea, string, error) {
	return list[tandem.Idea](ctx, c, wsPath(ws, "ideas"), f)
}

// CreateIdea stores x and fills in what the server assigned.
func (c *Client) CreateIdea(ctx context.Context, ws string, x *tandem.Idea) error {
	return create(ctx, c, wsPath(ws, "ideas"), x)
}

// UpdateIdea sends the set fields of upd as a merge patch (If-Match when version ≠ 0).
func (c *Client) UpdateIdea(ctx context.Context, ws, id string, upd tandem.IdeaUpdate, version int64) (*tandem.Idea, error) {
	return patch[tandem.Idea](ctx, c, wsPath(ws, "ideas", id), upd, version)
}

// DeleteIdea deletes one idea (needs the edit-all permission).
func (c *Client) DeleteIdea(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "ideas", id))
}

// VoteIdea adds voter's vote to an idea, once per voter, and returns the
// idea with its new count. An empty voter votes as the caller.
func (c *Client) VoteIdea(ctx context.Context, ws, id, voter string) (*tandem.Idea, error) {
	var body any
	if voter != "" {
		body = map[string]string{"voter": voter}
	}
	out := new(tandem.Idea)
	if _, err := c.Do(ctx, "POST", wsPath(ws, "ideas", id, "vote"), nil, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// MergeIdea merges the duplicate idea dupID into targetID, moving its
// votes there, and returns the target.
func (c *Client) MergeIdea(ctx context.Context, ws, dupID, targetID string) (*tandem.Idea, error) {
	out := new(tandem.Idea)
	if _, err := c.Do(ctx, "POST", wsPath(ws, "ideas", dupID, "merge"), nil, map[string]string{"target_id": targetID}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// FindInterviewByID returns one interview, with its transcript.
func (c *Client) FindInterviewByID(ctx context.Context, ws, id string) (*tandem.Interview, error) {
	return get[tandem.Interview](ctx, c, wsPath(ws, "interviews", id))
}

// FindInterviews returns one page of interviews and the cursor of the next page ("" after the last).
func (c *Client) FindInterviews(ctx context.Context, ws string, f tandem.InterviewFilter) ([]*tandem.Interview, string, error) {
	return list[tandem.Interview](ctx, c, wsPath(ws, "interviews"), f)
}

// CreateInterview stores x; its transcript (plain text, WebVTT or SRT,
// detected when Format is empty) is stored flattened to plain text.
func (c *Client) CreateInterview(ctx context.Context, ws string, x *tandem.Interview) error {
	return create(ctx, c, wsPath(ws, "interviews"), x)
}

// UpdateInterview sends the set fields of upd as a merge patch (If-Match when version ≠ 0).
func (c *Client) UpdateInterview(ctx context.Context, ws, id string, upd tandem.InterviewUpdate, version int64) (*tandem.Interview, error) {
	return patch[tandem.Interview](ctx, c, wsPath(ws, "interviews", id), upd, version)
}

// DeleteInterview deletes one interview and its highlights (needs the edit-all permission).
func (c *Client) DeleteInterview(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "interviews", id))
}

// FindHighlights returns an interview's highlights in transcript order.
func (c *Client) FindHighlights(ctx context.Context, ws, interviewID string) ([]*tandem.Highlight, error) {
	hs, _, err := list[tandem.Highlight](ctx, c, wsPath(ws, "interviews", interviewID, "highlights"), nil)
	return hs, err
}

// CreateHighlight highlights the span x.Start..x.End (byte offsets) of
// the transcript of interview x.InterviewID and fills in x.
func (c *Client) CreateHighlight(ctx context.Context, ws string, x *tandem.Highlight) error {
	in := map[string]any{"start": x.Start, "end": x.End, "tags": x.Tags, "note": x.Note}
	_, err := c.Do(ctx, "POST", wsPath(ws, "interviews", x.InterviewID, "highlights"), nil, in, x)
	return err
}

// HighlightQuote highlights the first occurrence of quote in an
// interview's transcript (differences in white space are ignored).
func (c *Client) HighlightQuote(ctx context.Context, ws, interviewID, quote string, tags []string, note string) (*tandem.Highlight, error) {
	out := new(tandem.Highlight)
	in := map[string]any{"quote": quote, "tags": tags, "note": note}
	if _, err := c.Do(ctx, "POST", wsPath(ws, "interviews", interviewID, "highlights"), nil, in, out); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteHighlight deletes one highlight.
func (c *Client) DeleteHighlight(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "highlights", id))
}

// FindThemes returns the latest themes, largest first.
func (c *Client) FindThemes(ctx context.Context, ws string) ([]*tandem.Theme, error) {
	ts, _, err := list[tandem.Theme](ctx, c, wsPath(ws, "themes"), nil)
	return ts, err
}

// FindThemeByID returns one theme.
func (c *Client) FindThemeByID(ctx context.Context, ws, id string) (*tandem.Theme, error) {
	return get[tandem.Theme](ctx, c, wsPath(ws, "themes", id))
}

// RecomputeThemes asks the server to extract the workspace's themes now.
// With wait false it returns at once (nil themes: the job runs in the
// background); with wait true it returns the new themes when the job is done.
func (c *Client) RecomputeThemes(ctx context.Context, ws string, wait bool) ([]*tandem.Theme, error) {
	path := wsPath(ws, "themes", "recompute")
	if wait {
		path += "?wait=true"
	}
	var out struct {
		Status string          `json:"status"`
		Themes []*tandem.Theme `json:"themes"`
	}
	if _, err := c.Do(ctx, "POST", path, nil, nil, &out); err != nil {
		return nil, err
	}
	if wait && out.Themes == nil {
		out.Themes = []*tandem.Theme{}
	}
	return out.Themes, nil
}

// CreateEvidence links x.ItemID to one of feedback, a theme, an idea or a
// highlight, and fills in x.
func (c *Client) CreateEvidence(ctx context.Context, ws string, x *tandem.Evidence) error {
	return create(ctx, c, wsPath(ws, "evidence"), x)
}

// DeleteEvidence removes one evidence link.
func (c *Client) DeleteEvidence(ctx context.Context, ws, id string) error {
	return del(ctx, c, wsPath(ws, "evidence", id))
}

// FindEvidence returns what supports an item: its evidence links and the
// feedback, accounts and revenue behind them.
func (c *Client) FindEvidence(ctx context.Context, ws, itemID string) (*tandem.EvidenceSummary, error) {
	return get[tandem.EvidenceSummary](ctx, c, wsPath(ws, "items", itemID, "evidence"))
}

// FindEvidenceLinks returns the evidence links that match f.
func (c *Client) FindEvidenceLinks(ctx context.Context, ws string, f tandem.EvidenceFilter) ([]*tandem.Evidence, error) {
	es, _, err := list[tandem.Evidence](ctx, c, wsPath(ws, "evidence"), f)
	return es, err
}

// SimilarFeedback is one answer of SimilarFeedback: a piece of feedback,
// its cosine similarity to the item (0-1) and whether it is already
// evidence for it.
type SimilarFeedback struct {
	Feedback *tandem.Feedback `json:"feedback"`
	Score    float64          `json:"score"`
	Linked   bool             `json:"linked"`
}

// SimilarItem is one answer of SimilarItems: an open feature or epic, its
// cosine similarity to the feedback (0-1) and whether the feedback is
// already evidence for it.
type SimilarItem struct {
	Item   *tandem.Item `json:"item"`
	Score  float64      `json:"score"`
	Linked bool         `json:"linked"`
}

// similarPath adds ?limit= to path when limit is set (0 = the server's
// default of 10; it answers at most 50).
func similarPath(path string, limit int) string {
	if limit > 0 {
		path += "?limit=" + strconv.Itoa(limit)
	}
	return path
}

// SimilarFeedback returns the feedback most similar to an item's title and
// description, best first: what may support it.
func (c *Client) SimilarFeedback(ctx context.Context, ws, itemID string, limit int) ([]SimilarFeedback, error) {
	out, _, err := list[SimilarFeedback](ctx, c, similarPath(wsPath(ws, "items", itemID, "similar_feedback"), limit), nil)
	return deref(out), err
}

// SimilarItems returns the open features and epics most similar to a piece
// of feedback, best first: what it may be evidence for.
func (c *Client) SimilarItems(ctx context.Context, ws, feedbackID string, limit int) ([]SimilarItem, error) {
	out, _, err := list[SimilarItem](ctx, c, similarPath(wsPath(ws, "feedback", feedbackID, "similar_items"), limit), nil)
	return deref(out), err
}

func deref[T any](xs []*T) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		out = append(out, *x)
	}
	return out
}

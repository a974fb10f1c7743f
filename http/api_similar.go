package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/insight"
)

// Similarity search between feedback and items (issue 4): for an item, the
// feedback that may support it; for a feedback, the features and epics it
// may be evidence for. Each workspace gets an in-memory index, built on
// first use and cached (LRU, similarMaxWorkspaces); a cheap fingerprint
// query per request (count and latest updated_at of the feedback and of the
// open features and epics) tells when it is stale, which also works when
// several nodes share the database.

const (
	similarMaxWorkspaces = 4                // cached workspace indexes
	similarDefaultLimit  = 10               // results by default
	similarMaxLimit      = 50               // most results per request
	similarBuildTimeout  = 5 * time.Minute  // one index build
	similarNoDBMaxAge    = 30 * time.Second // staleness bound for stores without a fingerprint query
)

// SimilarFeedback is one hit of an item's similar-feedback search.
type SimilarFeedback struct {
	Feedback *tandem.Feedback `json:"feedback"`
	Score    float64          `json:"score"`  // cosine similarity, 0-1
	Linked   bool             `json:"linked"` // already evidence for the item
}

// SimilarItem is one hit of a feedback's similar-items search.
type SimilarItem struct {
	Item   *tandem.Item `json:"item"`
	Score  float64      `json:"score"`  // cosine similarity, 0-1
	Linked bool         `json:"linked"` // the feedback is already evidence for the item
}

// similarIndex is one workspace's snapshot: both sides embedded by one model
// fitted on all their texts, so that the vocabulary covers both.
type similarIndex struct {
	emb      insight.Embedder
	feedback *insight.Index
	fbs      []*tandem.Feedback
	items    *insight.Index
	its      []*tandem.Item
}

type similarEntry struct {
	fp    string
	made  time.Time
	ready chan struct{} // closed when ix/err are set
	ix    *similarIndex
	err   error
}

// similarCache holds the indexes of the most recently used workspaces.
type similarCache struct {
	mu      sync.Mutex
	entries map[string]*similarEntry
	lru     []string // least recently used first
	builds  int      // index builds started so far, for tests
}

// buildCount returns the number of index builds started so far.
func (c *similarCache) buildCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.builds
}

func (c *similarCache) touch(ws string) {
	for i, w := range c.lru {
		if w == ws {
			c.lru = append(c.lru[:i], c.lru[i+1:]...)
			break
		}
	}
	c.lru = append(c.lru, ws)
	for len(c.lru) > similarMaxWorkspaces {
		delete(c.entries, c.lru[0])
		c.lru = c.lru[1:]
	}
}

// itemText is what an item is searched and indexed by.
func itemText(x *tandem.Item) string { return x.Title + "\n" + x.Description }

// similarCandidate reports whether items may be suggested for feedback.
func similarCandidate(x *tandem.Item) bool {
	return (x.Kind == tandem.KindFeature || x.Kind == tandem.KindEpic) &&
		x.Status != tandem.StatusDone && x.Status != tandem.StatusCancelled
}

// similarFingerprint summarises what the index of ws depends on. ok is
// false when the store cannot tell (then an index lives similarNoDBMaxAge).
func (s *Server) similarFingerprint(ctx context.Context, ws string) (string, bool, error) {
	v, ok := s.Store.(interface {
		SimilarityVersion(ctx context.Context, ws string) (string, error)
	})
	if !ok {
		return "", false, nil
	}
	fp, err := v.SimilarityVersion(ctx, ws)
	return fp, true, err
}

// errSimilarSuperseded ends a build that a newer one replaced before it started.
var errSimilarSuperseded = errors.New("similarity index superseded")

// similar returns the index of ws, building it when missing or stale.
// Concurrent callers of one workspace share one build; other workspaces
// are not held up by it. Builds of one workspace run one at a time: a new
// one waits for the previous one, and is skipped when an even newer one
// replaced it meanwhile (its callers then try again).
func (s *Server) similar(ctx context.Context, ws string) (*similarIndex, error) {
	for try := 0; ; try++ {
		ix, err := s.similarOnce(ctx, ws)
		if !errors.Is(err, errSimilarSuperseded) || try == 10 {
			return ix, err
		}
	}
}

func (s *Server) similarOnce(ctx context.Context, ws string) (*similarIndex, error) {
	fp, hasFP, err := s.similarFingerprint(ctx, ws)
	if err != nil {
		return nil, err
	}
	c := &s.similarCache
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*similarEntry{}
	}
	e := c.entries[ws]
	if e == nil || e.fp != fp || (!hasFP && time.Since(e.made) > similarNoDBMaxAge) {
		prev := e
		e = &similarEntry{fp: fp, made: time.Now(), ready: make(chan struct{})}
		c.entries[ws] = e
		c.touch(ws)
		c.mu.Unlock()
		// The build runs on its own, so that it outlives the request that
		// started it (others wait for it; the UI stops waiting early).
		go s.buildEntry(context.WithoutCancel(ctx), ws, e, prev)
	} else {
		c.touch(ws)
		c.mu.Unlock()
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e.ix, e.err
}

// buildEntry fills e with the index of ws, after prev's build if any.
func (s *Server) buildEntry(ctx context.Context, ws string, e, prev *similarEntry) {
	c := &s.similarCache
	defer close(e.ready)
	if prev != nil {
		<-prev.ready
	}
	c.mu.Lock()
	current := c.entries[ws] == e
	if current {
		c.builds++
	}
	c.mu.Unlock()
	if !current {
		e.err = errSimilarSuperseded
		return
	}
	ctx, cancel := context.WithTimeout(ctx, similarBuildTimeout)
	defer cancel()
	func() {
		defer func() {
			if r := recover(); r != nil {
				e.ix, e.err = nil, fmt.Errorf("similarity index: %v", r)
			}
		}()
		e.ix, e.err = s.buildSimilar(ctx, ws)
	}()
	if e.err != nil {
		s.Logger.Warn("similarity index build failed", "workspace", ws, "err", e.err)
		c.mu.Lock()
		if c.entries[ws] == e {
			delete(c.entries, ws)
		}
		c.mu.Unlock()
	}
}

// buildSimilar reads the workspace's feedback and open features and epics
// and indexes both.
func (s *Server) buildSimilar(ctx context.Context, ws string) (*similarIndex, error) {
	ix := &similarIndex{}
	for cursor := ""; ; {
		list, next, err := vox(s.Store).FindFeedback(ctx, ws, tandem.FeedbackFilter{Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: cursor}})
		if err != nil {
			return nil, err
		}
		ix.fbs = append(ix.fbs, list...)
		if cursor = next; next == "" {
			break
		}
	}
	for _, kind := range []string{tandem.KindFeature, tandem.KindEpic} {
		for cursor := ""; ; {
			list, next, err := s.Store.FindItems(ctx, ws, tandem.ItemFilter{Kind: kind, Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: cursor}})
			if err != nil {
				return nil, err
			}
			for _, x := range list {
				if similarCandidate(x) {
					ix.its = append(ix.its, x)
				}
			}
			if cursor = next; next == "" {
				break
			}
		}
	}
	fbTexts := make([]string, len(ix.fbs))
	for i, f := range ix.fbs {
		fbTexts[i] = f.Text
	}
	itTexts := make([]string, len(ix.its))
	for i, x := range ix.its {
		itTexts[i] = itemText(x)
	}
	all := append(append(make([]string, 0, len(fbTexts)+len(itTexts)), fbTexts...), itTexts...)
	if len(all) == 0 {
		var err error
		ix.feedback, err = insight.NewIndexFromVectors(nil, nil)
		if err != nil {
			return nil, err
		}
		ix.items = ix.feedback
		return ix, nil
	}
	// One model for both sides (as IndexOptions.Corpus would fit), then
	// each side embedded by it.
	opts := insight.DefaultModelOptions()
	opts.Seed = 1
	m, err := insight.Fit(ctx, all, opts)
	if err != nil {
		return nil, err
	}
	ix.emb = m
	vs, err := m.Embed(ctx, all)
	if err != nil {
		return nil, err
	}
	if ix.feedback, err = insight.NewIndexFromVectors(vs[:len(fbTexts)], m); err != nil {
		return nil, err
	}
	if ix.items, err = insight.NewIndexFromVectors(vs[len(fbTexts):], m); err != nil {
		return nil, err
	}
	return ix, nil
}

// search returns the hits of query in one side, best first, without texts
// that have nothing in common with it.
func (ix *similarIndex) search(ctx context.Context, side *insight.Index, query string, k int) ([]insight.Hit, error) {
	if ix.emb == nil || side.Len() == 0 || strings.TrimSpace(query) == "" {
		return nil, nil
	}
	hits, err := side.Search(ctx, query, k)
	if err != nil {
		return nil, err
	}
	out := hits[:0]
	for _, h := range hits {
		if h.Score > 0 {
			h.Score = float64(int(h.Score*1000+0.5)) / 1000
			out = append(out, h)
		}
	}
	return out, nil
}

func similarLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return similarDefaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, tandem.Errorf(tandem.EInvalid, "limit must be a whole number from 1 to %d.", similarMaxLimit)
	}
	return min(n, similarMaxLimit), nil
}

// similarFeedback finds the feedback most similar to item id.
func (s *Server) similarFeedback(ctx context.Context, ws, id string, limit int) ([]SimilarFeedback, error) {
	item, err := s.Store.FindItemByID(ctx, ws, id)
	if err != nil {
		return nil, err
	}
	ix, err := s.similar(ctx, ws)
	if err != nil {
		return nil, err
	}
	hits, err := ix.search(ctx, ix.feedback, itemText(item), limit)
	if err != nil {
		return nil, err
	}
	links, err := vox(s.Store).FindEvidenceLinks(ctx, ws, tandem.EvidenceFilter{ItemID: id})
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	for _, l := range links {
		if l.FeedbackID != "" {
			linked[l.FeedbackID] = true
		}
	}
	out := make([]SimilarFeedback, 0, len(hits))
	for _, h := range hits {
		f := ix.fbs[h.Index]
		out = append(out, SimilarFeedback{Feedback: f, Score: h.Score, Linked: linked[f.ID]})
	}
	return out, nil
}

// similarItems finds the open features and epics most similar to feedback id.
func (s *Server) similarItems(ctx context.Context, ws, id string, limit int) ([]SimilarItem, error) {
	fb, err := vox(s.Store).FindFeedbackByID(ctx, ws, id)
	if err != nil {
		return nil, err
	}
	ix, err := s.similar(ctx, ws)
	if err != nil {
		return nil, err
	}
	hits, err := ix.search(ctx, ix.items, fb.Text, limit)
	if err != nil {
		return nil, err
	}
	links, err := vox(s.Store).FindEvidenceLinks(ctx, ws, tandem.EvidenceFilter{FeedbackID: id})
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	for _, l := range links {
		linked[l.ItemID] = true
	}
	out := make([]SimilarItem, 0, len(hits))
	for _, h := range hits {
		x := ix.its[h.Index]
		out = append(out, SimilarItem{Item: x, Score: h.Score, Linked: linked[x.ID]})
	}
	return out, nil
}

func (s *Server) similarEndpoints() []endpoint {
	const base = "/api/v1/workspaces/{ws}/"
	return []endpoint{
		{route: route{Method: "GET", Pattern: base + "items/{id}/similar_feedback", Perm: tandem.PermRead, Handle: s.handleAPISimilarFeedback},
			ID: "similarFeedback", Summary: "The feedback most similar to an item's title and description (?limit=N, default 10, at most 50)", Tag: "evidence",
			Resp: reflect.TypeFor[SimilarFeedback](), List: true, Status: 200},
		{route: route{Method: "GET", Pattern: base + "feedback/{id}/similar_items", Perm: tandem.PermRead, Handle: s.handleAPISimilarItems},
			ID: "similarItems", Summary: "The open features and epics most similar to a feedback's text (?limit=N, default 10, at most 50)", Tag: "evidence",
			Resp: reflect.TypeFor[SimilarItem](), List: true, Status: 200},
	}
}

func (s *Server) handleAPISimilarFeedback(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "item")
	if err != nil {
		return err
	}
	limit, err := similarLimit(r)
	if err != nil {
		return err
	}
	out, err := s.similarFeedback(r.Context(), rq.Workspace.ID, id, limit)
	if err != nil {
		return err
	}
	writeList(w, out, "")
	return nil
}

func (s *Server) handleAPISimilarItems(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "feedback")
	if err != nil {
		return err
	}
	limit, err := similarLimit(r)
	if err != nil {
		return err
	}
	out, err := s.similarItems(r.Context(), rq.Workspace.ID, id, limit)
	if err != nil {
		return err
	}
	writeList(w, out, "")
	return nil
}

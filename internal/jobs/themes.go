package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/insight"
)

// TrendWeeks is how many weeks a theme's trend covers, up to the current week.
const TrendWeeks = 12

// Themes recomputes a workspace's themes from all its feedback with the
// insight engine and stores them, with each feedback's theme and
// sentiment, in one transaction (tandem.InsightService.ReplaceThemes).
type Themes struct {
	Store tandem.InsightService
	// Seed makes extractions repeatable: the same feedback gives the same themes.
	Seed int64
	// Now anchors the trend's last week; nil means time.Now.
	Now func() time.Time
	// Options tune the engine; Seed is taken from the field above.
	Options insight.Options
}

// Recompute extracts and stores ws's themes. It reads all feedback, so it
// runs in the background (see Debouncer), never inside a request.
func (j *Themes) Recompute(ctx context.Context, ws string) error {
	var all []*tandem.Feedback
	f := tandem.FeedbackFilter{Page: tandem.Page{Limit: tandem.MaxLimit}}
	for {
		list, next, err := j.Store.FindFeedback(ctx, ws, f)
		if err != nil {
			return fmt.Errorf("themes of %s: read feedback: %w", ws, err)
		}
		all = append(all, list...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	themes, assign, err := Extract(ctx, all, j.now(), j.options())
	if err != nil {
		return fmt.Errorf("themes of %s: %w", ws, err)
	}
	if err := j.Store.ReplaceThemes(ctx, ws, themes, assign); err != nil {
		return fmt.Errorf("themes of %s: store: %w", ws, err)
	}
	return nil
}

func (j *Themes) now() time.Time {
	if j.Now != nil {
		return j.Now()
	}
	return time.Now()
}

func (j *Themes) options() insight.Options {
	o := j.Options
	o.Seed = j.Seed
	return o
}

// minDocs is the least feedback worth clustering; below it only sentiment
// is computed.
const minDocs = 5

// Extract runs the engine on feedback: themes (largest first, with new IDs)
// and, by feedback ID, each one's theme and sentiment. The trend counts
// feedback per week (by the date received, else created) for TrendWeeks
// weeks up to now's week.
func Extract(ctx context.Context, feedback []*tandem.Feedback, now time.Time, opts insight.Options) ([]*tandem.Theme, map[string]tandem.FeedbackInsight, error) {
	assign := make(map[string]tandem.FeedbackInsight, len(feedback))
	if len(feedback) < minDocs {
		for _, fb := range feedback {
			s := insight.Sentiment(fb.Text)
			assign[fb.ID] = tandem.FeedbackInsight{SentimentScore: clamp(s.Score), SentimentLabel: label(s.Label)}
		}
		return []*tandem.Theme{}, assign, nil
	}
	docs := make([]insight.Doc, len(feedback))
	for i, fb := range feedback {
		docs[i] = insight.Doc{ID: fb.ID, Text: fb.Text, Time: when(fb)}
	}
	if opts.MaxK == 0 {
		// A product manager reads a screenful of themes, not a hundred:
		// about one theme per 20 pieces of feedback, 4 to 40.
		opts.MaxK = max(4, min(40, len(docs)/20))
	}
	if opts.MinThemeSize == 0 {
		opts.MinThemeSize = max(3, len(docs)/200)
	}
	res, err := insight.Analyze(ctx, docs, opts)
	if err != nil {
		return nil, nil, err
	}
	lastWeek := monday(now.UTC())
	firstWeek := lastWeek.AddDate(0, 0, -7*(TrendWeeks-1))
	themes := make([]*tandem.Theme, 0, len(res.Themes))
	byEngineID := map[int]*tandem.Theme{}
	for _, et := range res.Themes {
		th := &tandem.Theme{
			Meta:       tandem.Meta{ID: tandem.NewID()},
			Label:      strings.TrimSpace(et.Label),
			Summary:    et.Summary,
			Keyphrases: et.Keyphrases,
			Emerging:   et.Emerging,
			QuoteIDs:   []string{},
			Trend:      make([]int, TrendWeeks),
			TrendStart: tandem.DateOf(firstWeek),
		}
		if th.Keyphrases == nil {
			th.Keyphrases = []string{}
		}
		if th.Label == "" {
			th.Label = strings.Join(th.Keyphrases, ", ")
		}
		if th.Label == "" {
			th.Label = fmt.Sprintf("Theme %d", et.ID+1)
		}
		if len(th.Label) > 300 {
			th.Label = th.Label[:300]
		}
		for _, q := range et.Quotes {
			if q >= 0 && q < len(feedback) {
				th.QuoteIDs = append(th.QuoteIDs, feedback[q].ID)
			}
		}
		themes = append(themes, th)
		byEngineID[et.ID] = th
	}
	for i, fb := range feedback {
		fi := tandem.FeedbackInsight{}
		if i < len(res.Sentiments) {
			fi.SentimentScore, fi.SentimentLabel = clamp(res.Sentiments[i].Score), label(res.Sentiments[i].Label)
		}
		if i < len(res.Assignments) {
			if th := byEngineID[res.Assignments[i]]; th != nil {
				fi.ThemeID = th.ID
				th.Size++
				switch fi.SentimentLabel {
				case tandem.SentimentNegative:
					th.Negative++
				case tandem.SentimentPositive:
					th.Positive++
				default:
					th.Neutral++
				}
				if w := int(monday(when(fb)).Sub(firstWeek).Hours() / (24 * 7)); !when(fb).IsZero() && w >= 0 && w < TrendWeeks {
					th.Trend[w]++
				}
			}
		}
		assign[fb.ID] = fi
	}
	// Largest first, as the explorer lists them; the engine's order breaks ties.
	out := themes[:0]
	for _, th := range themes {
		if th.Size > 0 {
			out = append(out, th)
		}
	}
	sortThemes(out)
	return out, assign, nil
}

func sortThemes(ts []*tandem.Theme) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Size > ts[j-1].Size; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func when(fb *tandem.Feedback) time.Time {
	if !fb.ReceivedOn.IsZero() {
		return fb.ReceivedOn.Time()
	}
	return fb.CreatedAt
}

func monday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func clamp(x float64) float64 {
	switch {
	case x < -1:
		return -1
	case x > 1:
		return 1
	case x != x: // NaN
		return 0
	}
	return x
}

func label(l string) string {
	switch l {
	case tandem.SentimentNegative, tandem.SentimentPositive:
		return l
	}
	return tandem.SentimentNeutral
}

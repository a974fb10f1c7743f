package insight

import "time"

// timeline buckets docs by time, with a period chosen so that the dated
// span has about 12 buckets (a day, a week or a month).
type timeline struct {
	times  []time.Time
	start  time.Time
	period string // "day", "week", "month"
	n      int    // number of buckets
}

func newTimeline(docs []Doc) *timeline {
	var lo, hi time.Time
	dated := 0
	times := make([]time.Time, len(docs))
	for i, d := range docs {
		if d.Time.IsZero() {
			continue
		}
		t := d.Time.UTC()
		times[i] = t
		if dated == 0 || t.Before(lo) {
			lo = t
		}
		if dated == 0 || t.After(hi) {
			hi = t
		}
		dated++
	}
	if dated < 2 || !hi.After(lo) {
		return nil
	}
	tl := &timeline{times: times}
	span := hi.Sub(lo)
	switch {
	case span <= 21*24*time.Hour:
		tl.period = "day"
		tl.start = time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
	case span <= 120*24*time.Hour:
		tl.period = "week"
		day := time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
		tl.start = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // Monday
	default:
		tl.period = "month"
		tl.start = time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	tl.n = tl.bucket(hi) + 1
	return tl
}

func (tl *timeline) bucket(t time.Time) int {
	switch tl.period {
	case "day":
		return int(t.Sub(tl.start) / (24 * time.Hour))
	case "week":
		return int(t.Sub(tl.start) / (7 * 24 * time.Hour))
	}
	return (t.Year()-tl.start.Year())*12 + int(t.Month()) - int(tl.start.Month())
}

func (tl *timeline) bucketStart(b int) time.Time {
	switch tl.period {
	case "day":
		return tl.start.AddDate(0, 0, b)
	case "week":
		return tl.start.AddDate(0, 0, 7*b)
	}
	return tl.start.AddDate(0, b, 0)
}

// volume counts members per bucket and flags the theme as emerging when its
// share of the dated docs in the most recent quarter of the span is at least
// twice its share before, with at least 3 recent docs.
func (tl *timeline) volume(members []int) ([]Bucket, bool) {
	counts := make([]int, tl.n)
	for _, i := range members {
		if t := tl.times[i]; !t.IsZero() {
			counts[tl.bucket(t)]++
		}
	}
	out := make([]Bucket, tl.n)
	for b := range out {
		out[b] = Bucket{Start: tl.bucketStart(b), Count: counts[b]}
	}
	cut := tl.n - max(1, tl.n/4)
	var recent, before, allRecent, allBefore int
	for b, c := range counts {
		if b >= cut {
			recent += c
		} else {
			before += c
		}
	}
	allRecent, allBefore = tl.totals(cut)
	if recent < 3 || allRecent == 0 {
		return out, false
	}
	shareRecent := float64(recent) / float64(allRecent)
	if allBefore == 0 {
		return out, false
	}
	shareBefore := float64(before) / float64(allBefore)
	return out, shareRecent >= 2*shareBefore
}

func (tl *timeline) totals(cut int) (recent, before int) {
	for _, t := range tl.times {
		if t.IsZero() {
			continue
		}
		if tl.bucket(t) >= cut {
			recent++
		} else {
			before++
		}
	}
	return
}

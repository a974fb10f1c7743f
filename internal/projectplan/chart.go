package projectplan

import (
	"strconv"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/gantt"
)

// ChartOptions say how to draw a schedule as a Gantt chart.
type ChartOptions struct {
	Title    string
	Zoom     gantt.Zoom
	Today    tandem.Date
	Baseline *tandem.Baseline // nil = no baseline bars
	// ItemURL, when set, links each label to the item's page.
	ItemURL func(id string) string
	// Editable makes the bars of tasks and milestones draggable.
	Editable bool
}

func timeOf(d tandem.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.Time()
}

func itoa(n int) string { return strconv.Itoa(n) }

// Chart returns s as Gantt rows and links.
func (s *Schedule) Chart(o ChartOptions) *gantt.Chart {
	c := &gantt.Chart{Title: o.Title, Zoom: o.Zoom, Today: timeOf(o.Today), Rows: make([]gantt.Row, 0, len(s.Items)),
		NonWorking: s.NonWorking}
	base := map[string]tandem.BaselineItem{}
	var v *Variance
	vi := map[string]ItemVariance{}
	if o.Baseline != nil {
		for _, bi := range o.Baseline.Items {
			base[bi.ItemID] = bi
		}
		v = s.Compare(o.Baseline)
		for _, x := range v.Items {
			vi[x.ItemID] = x
		}
	}
	for _, x := range s.Items {
		row := gantt.Row{
			ID: x.ItemID, Label: x.Title, Start: timeOf(x.EarlyStart), Finish: timeOf(x.EarlyFinish),
			Milestone: x.Milestone, Summary: x.Summary, Critical: x.Critical, Progress: x.Progress, Level: x.Level,
			Movable: o.Editable && !x.Summary && !x.Anchor,
		}
		if x.Anchor {
			row.Label = "From another project: " + x.Title
			row.Detail = "fixed at its own project's dates"
		} else if !x.Critical && !x.Summary {
			row.Detail = "total float " + dayCount(x.TotalFloat, "working day")
		}
		if bi, ok := base[x.ItemID]; ok {
			row.BaselineStart, row.BaselineFinish = timeOf(bi.Start), timeOf(bi.Finish)
			if iv, ok := vi[x.ItemID]; ok {
				row.Detail = joinDetail(row.Detail, "finish "+VarianceText(iv.FinishDays)+" against the baseline")
			}
		}
		if o.ItemURL != nil {
			row.Href = o.ItemURL(x.ItemID)
		}
		c.Rows = append(c.Rows, row)
	}
	for _, l := range s.Links {
		c.Links = append(c.Links, gantt.Link{From: l.PredecessorID, To: l.SuccessorID, Type: l.Type, Critical: l.Critical})
	}
	return c
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// dayCount says "1 working day" or "n working days".
func dayCount(n int, unit string) string {
	if n == 1 || n == -1 {
		return itoa(n) + " " + unit
	}
	return itoa(n) + " " + unit + "s"
}

package http

import (
	"context"
	"errors"
	"html/template"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/gantt"
)

// projectTimeline draws the project's items that have planned dates as an
// SVG Gantt chart (parents before their children, with the dependencies
// between them). It returns "" when no item has a date yet.
func (s *Server) projectTimeline(ctx context.Context, p *page, project *tandem.Project, items []*tandem.Item) (template.HTML, error) {
	byParent := map[string][]*tandem.Item{}
	inProject := map[string]bool{}
	for _, it := range items {
		inProject[it.ID] = true
	}
	for _, it := range items {
		parent := it.ParentID
		if !inProject[parent] {
			parent = ""
		}
		byParent[parent] = append(byParent[parent], it)
	}
	var rows []gantt.Row
	var first, last time.Time
	var walk func(parent string, level int)
	walk = func(parent string, level int) {
		for _, it := range byParent[parent] {
			start, finish := it.PlannedStart, it.PlannedFinish
			if start.IsZero() {
				start = finish
			}
			if finish.IsZero() {
				finish = start
			}
			row := gantt.Row{ID: it.ID, Label: it.Title, Progress: it.Progress, Level: level,
				Milestone: it.Kind == tandem.KindMilestone, Href: p.Base() + "/items/" + it.ID,
				Detail: humanLabel(it.Status)}
			if !start.IsZero() {
				row.Start, row.Finish = start.Time(), finish.Time()
				if first.IsZero() || row.Start.Before(first) {
					first = row.Start
				}
				if row.Finish.After(last) {
					last = row.Finish
				}
			}
			rows = append(rows, row)
			walk(it.ID, level+1)
		}
	}
	walk("", 0)
	if first.IsZero() {
		return "", nil
	}
	deps, _, err := s.Store.FindDependencies(ctx, p.WS.ID, tandem.DependencyFilter{ProjectID: project.ID, Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return "", err
	}
	var links []gantt.Link
	for _, d := range deps {
		if inProject[d.PredecessorID] && inProject[d.SuccessorID] {
			links = append(links, gantt.Link{From: d.PredecessorID, To: d.SuccessorID, Type: d.Type})
		}
	}
	zoom := gantt.Quarters
	switch days := last.Sub(first).Hours() / 24; {
	case days <= 45:
		zoom = gantt.Days
	case days <= 150:
		zoom = gantt.Weeks
	case days <= 400:
		zoom = gantt.Months
	}
	svg, err := gantt.Append(nil, &gantt.Chart{Title: "Timeline of " + project.Name, Rows: rows, Links: links,
		Today: time.Now().UTC(), Zoom: zoom, LabelWidth: 240})
	if errors.Is(err, gantt.ErrTooLarge) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	// The gantt package escapes every text it writes.
	return template.HTML(svg), nil
}

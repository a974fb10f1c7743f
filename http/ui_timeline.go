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
	return renderTimeline(&gantt.Chart{Title: "Timeline of " + project.Name, Rows: rows, Links: links}, first, last)
}

// programTimeline draws a program's projects as bars from start to end.
func programTimeline(p *page, program *tandem.Program, projects []*tandem.Project) (template.HTML, error) {
	var rows []gantt.Row
	var first, last time.Time
	for _, x := range projects {
		start, end := x.StartDate, x.EndDate
		if start.IsZero() || end.IsZero() {
			continue
		}
		row := gantt.Row{ID: x.ID, Label: x.Name, Start: start.Time(), Finish: end.Time(), Href: p.Base() + "/projects/" + x.ID,
			Critical: x.Health == tandem.HealthRed, Detail: humanLabel(x.Status) + ", health " + x.Health}
		if first.IsZero() || row.Start.Before(first) {
			first = row.Start
		}
		if row.Finish.After(last) {
			last = row.Finish
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return renderTimeline(&gantt.Chart{Title: "Projects of " + program.Name, Rows: rows}, first, last)
}

// renderTimeline picks a zoom that fits the span and renders c.
func renderTimeline(c *gantt.Chart, first, last time.Time) (template.HTML, error) {
	c.Zoom = gantt.Quarters
	switch days := last.Sub(first).Hours() / 24; {
	case days <= 45:
		c.Zoom = gantt.Days
	case days <= 150:
		c.Zoom = gantt.Weeks
	case days <= 400:
		c.Zoom = gantt.Months
	}
	c.Today = time.Now().UTC()
	c.LabelWidth = 240
	svg, err := gantt.Append(nil, c)
	if errors.Is(err, gantt.ErrTooLarge) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	// The gantt package escapes every text it writes.
	return template.HTML(svg), nil
}

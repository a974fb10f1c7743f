package http

import (
	"context"
	"fmt"

	"github.com/tandem-pm/tandem"
)

// The dependency picker on an item's page: the items it may depend on,
// grouped so that the likely ones come first (its own project, the other
// projects of its program, its product), then the rest of the workspace.
// app.js adds a filter box that narrows the list as one types.

// optGroup is a labelled group of a select's options.
type optGroup struct {
	Label   string
	Options []option
}

// maxPickerItems bounds the options a picker lists in all.
const maxPickerItems = 2000

func (s *Server) dependencyChoices(ctx context.Context, ws string, x *tandem.Item, project *tandem.Project) ([]optGroup, error) {
	seen := map[string]bool{x.ID: true}
	total := 0
	var groups []optGroup
	add := func(label string, f tandem.ItemFilter) error {
		g := optGroup{Label: label}
		f.Limit = tandem.MaxLimit
		for total < maxPickerItems {
			xs, next, err := s.Store.FindItems(ctx, ws, f)
			if err != nil {
				return err
			}
			for _, it := range xs {
				if seen[it.ID] || total >= maxPickerItems {
					continue
				}
				seen[it.ID] = true
				total++
				g.Options = append(g.Options, option{it.ID, fmt.Sprintf("%s (%s)", it.Title, it.Kind)})
			}
			if next == "" {
				break
			}
			f.Cursor = next
		}
		if len(g.Options) > 0 {
			groups = append(groups, g)
		}
		return nil
	}
	if project != nil {
		if err := add("This project: "+project.Name, tandem.ItemFilter{ProjectID: project.ID}); err != nil {
			return nil, err
		}
		if project.ProgramID != "" {
			ps, _, err := s.Store.FindProjects(ctx, ws, tandem.ProjectFilter{ProgramID: project.ProgramID, Page: tandem.Page{Limit: tandem.MaxLimit}})
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.ID != project.ID {
					if err := add("Same program: "+p.Name, tandem.ItemFilter{ProjectID: p.ID}); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if x.ProductID != "" {
		if err := add("This product's items", tandem.ItemFilter{ProductID: x.ProductID}); err != nil {
			return nil, err
		}
	}
	if err := add("Elsewhere in the workspace", tandem.ItemFilter{}); err != nil {
		return nil, err
	}
	return groups, nil
}

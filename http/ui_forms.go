package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tandem-pm/tandem"
)

// field is one input of a generic form; forms.html renders a list of them.
type field struct {
	Name     string
	Label    string
	Type     string // text, textarea, select, multiselect, date, number, email
	Value    string
	Selected map[string]bool // for multiselect
	Options  []option
	Error    string
	Required bool
	Hint     string
	Step     string
	Wide     bool // spans both columns
}

type option struct{ Value, Label string }

// ID is the input's element id.
func (f field) ID() string { return "f-" + f.Name }

// IsSelected reports whether value is chosen in a select.
func (f field) IsSelected(value string) bool {
	if f.Selected != nil {
		return f.Selected[value]
	}
	return f.Value == value
}

// formPage is the data of forms.html.
type formPage struct {
	Heading   string
	Action    string
	Cancel    string
	Submit    string
	Fields    []field
	Version   int64
	Error     string   // a banner above the form
	Problems  []string // field problems that match no input
	Stale     bool
	ReloadURL string
}

// entityKind describes how the UI creates, edits and deletes one kind of entity.
type entityKind struct {
	collection string // URL segment: programs
	entity     string // tandem.EntityProgram
	noun       string // program
	editPerm   tandem.Permission
	// values returns the form values of an existing entity and its version;
	// with id "" it returns the defaults of a new one.
	values func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error)
	// fields lays out the form for values v (id is "" for a new entity).
	fields func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error)
	// save creates (id "") or updates the entity from v and returns its ID.
	save func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error)
	del  func(s *Server, ctx context.Context, ws, id string) error
	// prefill lists query parameters a "new" link may preset (e.g. project_id).
	prefill []string
}

var entityKinds = []*entityKind{goalKind, programKind, projectKind, productKind, itemKind}

func (k *entityKind) base(rq *request) string {
	return "/w/" + url.PathEscape(rq.Workspace.Slug) + "/" + k.collection
}

func (s *Server) handleNew(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		v, _, err := k.values(s, r.Context(), rq.Workspace.ID, "")
		if err != nil {
			return err
		}
		q := r.URL.Query()
		for _, name := range k.prefill {
			if x := q.Get(name); x != "" {
				v.Set(name, x)
			}
		}
		fp := &formPage{Heading: "New " + k.noun, Action: k.base(rq), Cancel: k.base(rq), Submit: "Create " + k.noun}
		return s.renderForm(w, r, rq, k, "", v, fp, http.StatusOK, nil)
	}
}

func (s *Server) handleEdit(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id := r.PathValue("id")
		v, version, err := k.values(s, r.Context(), rq.Workspace.ID, id)
		if err != nil {
			return err
		}
		fp := &formPage{Heading: "Edit " + k.noun, Action: k.base(rq) + "/" + id + "/edit",
			Cancel: k.base(rq) + "/" + id, Submit: "Save changes", Version: version}
		return s.renderForm(w, r, rq, k, id, v, fp, http.StatusOK, nil)
	}
}

func (s *Server) handleCreate(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		fp := &formPage{Heading: "New " + k.noun, Action: k.base(rq), Cancel: k.base(rq), Submit: "Create " + k.noun}
		return s.submitForm(w, r, rq, k, "", fp)
	}
}

func (s *Server) handleUpdate(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id := r.PathValue("id")
		fp := &formPage{Heading: "Edit " + k.noun, Action: k.base(rq) + "/" + id + "/edit",
			Cancel: k.base(rq) + "/" + id, Submit: "Save changes", ReloadURL: k.base(rq) + "/" + id + "/edit"}
		return s.submitForm(w, r, rq, k, id, fp)
	}
}

// submitForm saves a posted form: 303 to the entity on success, the form
// again with the user's input and the problems otherwise.
func (s *Server) submitForm(w http.ResponseWriter, r *http.Request, rq *request, k *entityKind, id string, fp *formPage) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	v := r.PostForm
	version, _ := strconv.ParseInt(v.Get("version"), 10, 64)
	fp.Version = version
	newID, problems, err := k.save(s, r.Context(), rq.Workspace.ID, id, v, version)
	if len(problems) > 0 {
		fp.Error = "Please correct the marked fields."
		return s.renderForm(w, r, rq, k, id, v, fp, http.StatusUnprocessableEntity, problems)
	}
	switch code := tandem.ErrorCode(err); code {
	case "":
		msg := "Changes saved."
		if id == "" {
			msg = capitalize(k.noun) + " created."
		}
		return s.seeOtherWith(w, r, k.base(rq)+"/"+newID, msg)
	case tandem.EInvalid:
		var fields []tandem.FieldError
		if e := domainErr(err); e != nil {
			fields = e.Fields
		}
		fp.Error = tandem.ErrorMessage(err)
		return s.renderForm(w, r, rq, k, id, v, fp, http.StatusUnprocessableEntity, fields)
	case tandem.EStale:
		fp.Stale = true
		fp.Error = "Someone else changed this " + k.noun + " while you were editing it. Reload to see their changes; your input is kept below so you can copy it."
		return s.renderForm(w, r, rq, k, id, v, fp, http.StatusPreconditionFailed, nil)
	case tandem.EConflict:
		fp.Error = tandem.ErrorMessage(err)
		var fields []tandem.FieldError
		if e := domainErr(err); e != nil {
			fields = e.Fields
		}
		return s.renderForm(w, r, rq, k, id, v, fp, http.StatusConflict, fields)
	default:
		return err
	}
}

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, rq *request, k *entityKind, id string, v url.Values, fp *formPage, status int, problems []tandem.FieldError) error {
	fields, err := k.fields(s, r.Context(), rq.Workspace.ID, id, v)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for i, f := range fields {
		index[f.Name] = i
	}
	for _, p := range problems {
		name := strings.ReplaceAll(p.Field, ".", "_")
		if i, ok := index[name]; ok {
			if fields[i].Error == "" {
				fields[i].Error = capitalize(p.Message) + "."
			}
			continue
		}
		fp.Problems = append(fp.Problems, humanLabel(p.Field)+" "+p.Message+".")
	}
	fp.Fields = fields
	pg, err := s.newPage(r, rq, fp.Heading, k.collection, fp)
	if err != nil {
		return err
	}
	return s.render(w, status, "form", pg)
}

func (s *Server) handleDelete(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if err := k.del(s, r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
			return err
		}
		return s.seeOtherWith(w, r, k.base(rq), capitalize(k.noun)+" deleted.")
	}
}

func (s *Server) handleCommentCreate(k *entityKind) func(http.ResponseWriter, *http.Request, *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if err := parseUIForm(w, r); err != nil {
			return err
		}
		id := r.PathValue("id")
		c := &tandem.Comment{EntityType: k.entity, EntityID: id, AuthorID: rq.User.ID,
			AuthorName: rq.User.Name, Body: normalizeText(r.PostFormValue("body"))}
		back := k.base(rq) + "/" + id
		if strings.TrimSpace(c.Body) == "" {
			return seeOther(w, r, back+"#comments")
		}
		if err := s.Store.CreateComment(r.Context(), rq.Workspace.ID, c); err != nil {
			return err
		}
		return s.seeOtherWith(w, r, back+"#comments", "Comment added.")
	}
}

func domainErr(err error) *tandem.Error {
	var e *tandem.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// formReader parses form values into typed fields, collecting problems.
type formReader struct {
	v url.Values
	p tandem.Problems
}

func (f *formReader) str(name string) string { return strings.TrimSpace(f.v.Get(name)) }

func (f *formReader) text(name string) string { return normalizeText(f.v.Get(name)) }

func (f *formReader) date(name string) tandem.Date {
	s := f.str(name)
	if s == "" {
		return tandem.Date{}
	}
	d, err := tandem.ParseDate(s)
	if err != nil {
		f.p.Add(name, "must be a date like 2025-01-31")
	}
	return d
}

func (f *formReader) float(name string) float64 {
	s := strings.ReplaceAll(f.str(name), ",", "")
	if s == "" {
		return 0
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.p.Add(name, "must be a number")
	}
	return x
}

// required adds "is required" for each of names that is empty.
func (f *formReader) required(names ...string) {
	for _, name := range names {
		if f.str(name) == "" {
			f.p.Add(name, "is required")
		}
	}
}

func (f *formReader) int(name string) int {
	s := f.str(name)
	if s == "" {
		return 0
	}
	x, err := strconv.Atoi(s)
	if err != nil {
		f.p.Add(name, "must be a whole number")
	}
	return x
}

// money reads an amount in major units (12,500.50) and a currency code.
func (f *formReader) money(prefix string) tandem.Money {
	amount := f.float(prefix + "_amount")
	return tandem.Money{Amount: int64(amount*100 + 0.5), Currency: strings.ToUpper(f.str(prefix + "_currency"))}
}

func (f *formReader) ids(name string) []string {
	out := []string{}
	for _, x := range f.v[name] {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// merge adds the problems of a Validate error to f's.
func (f *formReader) merge(err error) {
	if e := domainErr(err); e != nil {
		f.p = append(f.p, e.Fields...)
	}
}

// storeErr adds a store error with one of codes to f's problems (on field
// when it names none) and returns any other error.
func (f *formReader) storeErr(err error, field string, codes ...string) error {
	e := domainErr(err)
	if e == nil || !slices.Contains(codes, e.Code) {
		return err
	}
	f.p = append(f.p, e.Fields...)
	if len(e.Fields) == 0 {
		f.p.Add(field, "%s", e.Message)
	}
	return nil
}

func normalizeText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func moneyValue(m tandem.Money) string {
	if m.Amount == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(m.Amount)/100, 'f', 2, 64)
}

func floatValue(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func optionsOf[T any](xs []T, value func(T) string, label func(T) string, none string) []option {
	var out []option
	if none != "" {
		out = append(out, option{"", none})
	}
	for _, x := range xs {
		out = append(out, option{value(x), label(x)})
	}
	return out
}

func statusOptions(statuses ...string) []option {
	out := make([]option, len(statuses))
	for i, s := range statuses {
		out[i] = option{s, humanLabel(s)}
	}
	return out
}

func selectedSet(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (s *Server) memberOptions(ctx context.Context, ws, none string) ([]option, error) {
	ms, err := s.Store.FindMembers(ctx, ws)
	if err != nil {
		return nil, err
	}
	return optionsOf(ms, func(m *tandem.Member) string { return m.UserID }, func(m *tandem.Member) string { return m.Name }, none), nil
}

func (s *Server) goalOptions(ctx context.Context, ws, exclude, none string) ([]option, error) {
	gs, _, err := s.Store.FindGoals(ctx, ws, tandem.GoalFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	var out []option
	if none != "" {
		out = append(out, option{"", none})
	}
	for _, g := range gs {
		if g.ID != exclude {
			out = append(out, option{g.ID, g.Title})
		}
	}
	return out, nil
}

func (s *Server) programOptions(ctx context.Context, ws string) ([]option, error) {
	xs, _, err := s.Store.FindPrograms(ctx, ws, tandem.ProgramFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	return optionsOf(xs, func(x *tandem.Program) string { return x.ID }, func(x *tandem.Program) string { return x.Name }, "No program"), nil
}

func (s *Server) projectOptions(ctx context.Context, ws, none string) ([]option, error) {
	xs, _, err := s.Store.FindProjects(ctx, ws, tandem.ProjectFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	return optionsOf(xs, func(x *tandem.Project) string { return x.ID }, func(x *tandem.Project) string { return x.Name }, none), nil
}

func (s *Server) productOptions(ctx context.Context, ws, none string) ([]option, error) {
	xs, _, err := s.Store.FindProducts(ctx, ws, tandem.ProductFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	return optionsOf(xs, func(x *tandem.Product) string { return x.ID }, func(x *tandem.Product) string { return x.Name }, none), nil
}

func (s *Server) itemOptions(ctx context.Context, ws, exclude, none string) ([]option, error) {
	xs, _, err := s.Store.FindItems(ctx, ws, tandem.ItemFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	var out []option
	if none != "" {
		out = append(out, option{"", none})
	}
	for _, x := range xs {
		if x.ID != exclude {
			out = append(out, option{x.ID, fmt.Sprintf("%s (%s)", x.Title, x.Kind)})
		}
	}
	return out, nil
}

// The entity kinds.

var goalKind = &entityKind{
	collection: "goals", entity: tandem.EntityGoal, noun: "goal", editPerm: tandem.PermEditAll,
	prefill: []string{"parent_id"},
	values: func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error) {
		v := url.Values{}
		if id == "" {
			return v, 0, nil
		}
		g, err := s.Store.FindGoalByID(ctx, ws, id)
		if err != nil {
			return nil, 0, err
		}
		v.Set("title", g.Title)
		v.Set("description", g.Description)
		v.Set("parent_id", g.ParentID)
		v.Set("owner_id", g.OwnerID)
		v.Set("start_date", g.StartDate.String())
		v.Set("due_date", g.DueDate.String())
		return v, g.Version, nil
	},
	fields: func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error) {
		parents, err := s.goalOptions(ctx, ws, id, "None (a top-level goal)")
		if err != nil {
			return nil, err
		}
		owners, err := s.memberOptions(ctx, ws, "Nobody yet")
		if err != nil {
			return nil, err
		}
		return []field{
			{Name: "title", Label: "Title", Type: "text", Value: v.Get("title"), Required: true, Wide: true},
			{Name: "description", Label: "Description", Type: "textarea", Value: v.Get("description"), Wide: true, Hint: "Markdown: paragraphs, *emphasis*, lists, links and `code`."},
			{Name: "parent_id", Label: "Parent goal", Type: "select", Value: v.Get("parent_id"), Options: parents},
			{Name: "owner_id", Label: "Owner", Type: "select", Value: v.Get("owner_id"), Options: owners},
			{Name: "start_date", Label: "Start date", Type: "date", Value: v.Get("start_date")},
			{Name: "due_date", Label: "Due date", Type: "date", Value: v.Get("due_date")},
		}, nil
	},
	save: func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error) {
		f := &formReader{v: v}
		g := &tandem.Goal{Title: f.str("title"), Description: f.text("description"), ParentID: f.str("parent_id"),
			OwnerID: f.str("owner_id"), StartDate: f.date("start_date"), DueDate: f.date("due_date")}
		g.ID = id
		f.merge(g.Validate())
		if len(f.p) > 0 {
			return "", f.p, nil
		}
		if id == "" {
			err := s.Store.CreateGoal(ctx, ws, g)
			return g.ID, nil, err
		}
		upd := tandem.GoalUpdate{ParentID: &g.ParentID, Title: &g.Title, Description: &g.Description,
			OwnerID: &g.OwnerID, StartDate: &g.StartDate, DueDate: &g.DueDate}
		_, err := s.Store.UpdateGoal(ctx, ws, id, upd, version)
		return id, nil, err
	},
	del: func(s *Server, ctx context.Context, ws, id string) error { return s.Store.DeleteGoal(ctx, ws, id) },
}

var programKind = &entityKind{
	collection: "programs", entity: tandem.EntityProgram, noun: "program", editPerm: tandem.PermEditAll,
	values: func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error) {
		v := url.Values{}
		if id == "" {
			v.Set("status", tandem.ProgramProposed)
			v.Set("health", tandem.HealthGreen)
			return v, 0, nil
		}
		x, err := s.Store.FindProgramByID(ctx, ws, id)
		if err != nil {
			return nil, 0, err
		}
		v.Set("name", x.Name)
		v.Set("objective", x.Objective)
		v.Set("scope", x.Scope)
		v.Set("sponsor", x.Sponsor)
		v.Set("manager_id", x.ManagerID)
		v.Set("status", x.Status)
		v.Set("health", x.Health)
		v.Set("health_reason", x.HealthReason)
		v.Set("start_date", x.StartDate.String())
		v.Set("end_date", x.EndDate.String())
		v.Set("budget_amount", moneyValue(x.Budget))
		v.Set("budget_currency", x.Budget.Currency)
		v["goal_ids"] = x.GoalIDs
		return v, x.Version, nil
	},
	fields: func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error) {
		managers, err := s.memberOptions(ctx, ws, "Nobody yet")
		if err != nil {
			return nil, err
		}
		goals, err := s.goalOptions(ctx, ws, "", "")
		if err != nil {
			return nil, err
		}
		return []field{
			{Name: "name", Label: "Name", Type: "text", Value: v.Get("name"), Required: true, Wide: true},
			{Name: "objective", Label: "Objective", Type: "textarea", Value: v.Get("objective"), Wide: true, Hint: "What the program must achieve. Markdown."},
			{Name: "scope", Label: "Scope", Type: "textarea", Value: v.Get("scope"), Wide: true},
			{Name: "sponsor", Label: "Sponsor", Type: "text", Value: v.Get("sponsor"), Hint: "A person or body, e.g. Executive Board."},
			{Name: "manager_id", Label: "Program manager", Type: "select", Value: v.Get("manager_id"), Options: managers},
			{Name: "status", Label: "Status", Type: "select", Value: v.Get("status"), Options: statusOptions(tandem.ProgramProposed, tandem.ProgramActive, tandem.ProgramOnHold, tandem.ProgramClosed)},
			{Name: "health", Label: "Health", Type: "select", Value: v.Get("health"), Options: statusOptions(tandem.HealthGreen, tandem.HealthAmber, tandem.HealthRed)},
			{Name: "health_reason", Label: "Health reason", Type: "text", Value: v.Get("health_reason"), Wide: true, Hint: "Required when health is amber or red."},
			{Name: "start_date", Label: "Start date", Type: "date", Value: v.Get("start_date")},
			{Name: "end_date", Label: "End date", Type: "date", Value: v.Get("end_date")},
			{Name: "budget_amount", Label: "Budget", Type: "number", Step: "0.01", Value: v.Get("budget_amount")},
			{Name: "budget_currency", Label: "Currency", Type: "text", Value: v.Get("budget_currency"), Hint: "e.g. EUR"},
			{Name: "goal_ids", Label: "Aligned goals", Type: "multiselect", Selected: selectedSet(v["goal_ids"]), Options: goals, Wide: true},
		}, nil
	},
	save: func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error) {
		f := &formReader{v: v}
		x := &tandem.Program{Name: f.str("name"), Objective: f.text("objective"), Scope: f.text("scope"),
			Sponsor: f.str("sponsor"), ManagerID: f.str("manager_id"), Status: f.str("status"), Health: f.str("health"),
			HealthReason: f.str("health_reason"), StartDate: f.date("start_date"), EndDate: f.date("end_date"),
			Budget: f.money("budget"), GoalIDs: f.ids("goal_ids")}
		x.Defaults()
		f.merge(x.Validate())
		if len(f.p) > 0 {
			return "", f.p, nil
		}
		if id == "" {
			err := s.Store.CreateProgram(ctx, ws, x)
			return x.ID, nil, err
		}
		upd := tandem.ProgramUpdate{Name: &x.Name, Objective: &x.Objective, Scope: &x.Scope, Sponsor: &x.Sponsor,
			ManagerID: &x.ManagerID, Status: &x.Status, Health: &x.Health, HealthReason: &x.HealthReason,
			StartDate: &x.StartDate, EndDate: &x.EndDate, Budget: &x.Budget, GoalIDs: &x.GoalIDs}
		_, err := s.Store.UpdateProgram(ctx, ws, id, upd, version)
		return id, nil, err
	},
	del: func(s *Server, ctx context.Context, ws, id string) error { return s.Store.DeleteProgram(ctx, ws, id) },
}

var projectKind = &entityKind{
	collection: "projects", entity: tandem.EntityProject, noun: "project", editPerm: tandem.PermEditAll,
	prefill: []string{"program_id"},
	values: func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error) {
		v := url.Values{}
		if id == "" {
			v.Set("status", tandem.ProjectProposed)
			v.Set("health", tandem.HealthGreen)
			return v, 0, nil
		}
		x, err := s.Store.FindProjectByID(ctx, ws, id)
		if err != nil {
			return nil, 0, err
		}
		v.Set("name", x.Name)
		v.Set("description", x.Description)
		v.Set("program_id", x.ProgramID)
		v.Set("manager_id", x.ManagerID)
		v.Set("status", x.Status)
		v.Set("health", x.Health)
		v.Set("health_reason", x.HealthReason)
		v.Set("start_date", x.StartDate.String())
		v.Set("end_date", x.EndDate.String())
		v.Set("budget_amount", moneyValue(x.Budget))
		v.Set("budget_currency", x.Budget.Currency)
		v.Set("calendar_id", x.CalendarID)
		return v, x.Version, nil
	},
	fields: func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error) {
		managers, err := s.memberOptions(ctx, ws, "Nobody yet")
		if err != nil {
			return nil, err
		}
		programs, err := s.programOptions(ctx, ws)
		if err != nil {
			return nil, err
		}
		calendars, err := s.calendarOptions(ctx, ws) // ui_calendar.go
		if err != nil {
			return nil, err
		}
		return []field{
			{Name: "name", Label: "Name", Type: "text", Value: v.Get("name"), Required: true, Wide: true},
			{Name: "description", Label: "Description", Type: "textarea", Value: v.Get("description"), Wide: true, Hint: "Markdown."},
			{Name: "program_id", Label: "Program", Type: "select", Value: v.Get("program_id"), Options: programs},
			{Name: "manager_id", Label: "Project manager", Type: "select", Value: v.Get("manager_id"), Options: managers},
			{Name: "status", Label: "Status", Type: "select", Value: v.Get("status"), Options: statusOptions(tandem.ProjectProposed, tandem.ProjectActive, tandem.ProjectOnHold, tandem.ProjectCompleted, tandem.ProjectCancelled)},
			{Name: "health", Label: "Health", Type: "select", Value: v.Get("health"), Options: statusOptions(tandem.HealthGreen, tandem.HealthAmber, tandem.HealthRed)},
			{Name: "health_reason", Label: "Health reason", Type: "text", Value: v.Get("health_reason"), Wide: true},
			{Name: "start_date", Label: "Start date", Type: "date", Value: v.Get("start_date")},
			{Name: "end_date", Label: "End date", Type: "date", Value: v.Get("end_date")},
			{Name: "budget_amount", Label: "Budget", Type: "number", Step: "0.01", Value: v.Get("budget_amount")},
			{Name: "budget_currency", Label: "Currency", Type: "text", Value: v.Get("budget_currency"), Hint: "e.g. EUR"},
			{Name: "calendar_id", Label: "Working calendar", Type: "select", Value: v.Get("calendar_id"), Options: calendars, Hint: "Working days, hours and holidays its items are scheduled on."},
		}, nil
	},
	save: func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error) {
		f := &formReader{v: v}
		x := &tandem.Project{Name: f.str("name"), Description: f.text("description"), ProgramID: f.str("program_id"),
			ManagerID: f.str("manager_id"), Status: f.str("status"), Health: f.str("health"),
			HealthReason: f.str("health_reason"), StartDate: f.date("start_date"), EndDate: f.date("end_date"),
			Budget: f.money("budget"), CalendarID: f.str("calendar_id")}
		x.Defaults()
		f.merge(x.Validate())
		if len(f.p) > 0 {
			return "", f.p, nil
		}
		if id == "" {
			err := s.Store.CreateProject(ctx, ws, x)
			return x.ID, nil, err
		}
		upd := tandem.ProjectUpdate{ProgramID: &x.ProgramID, Name: &x.Name, Description: &x.Description,
			ManagerID: &x.ManagerID, Status: &x.Status, Health: &x.Health, HealthReason: &x.HealthReason,
			StartDate: &x.StartDate, EndDate: &x.EndDate, Budget: &x.Budget, CalendarID: &x.CalendarID}
		_, err := s.Store.UpdateProject(ctx, ws, id, upd, version)
		return id, nil, err
	},
	del: func(s *Server, ctx context.Context, ws, id string) error { return s.Store.DeleteProject(ctx, ws, id) },
}

var productKind = &entityKind{
	collection: "products", entity: tandem.EntityProduct, noun: "product", editPerm: tandem.PermEditAll,
	values: func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error) {
		v := url.Values{}
		if id == "" {
			return v, 0, nil
		}
		x, err := s.Store.FindProductByID(ctx, ws, id)
		if err != nil {
			return nil, 0, err
		}
		v.Set("name", x.Name)
		v.Set("vision", x.Vision)
		v.Set("strategy", x.Strategy)
		v.Set("owner_id", x.OwnerID)
		v["goal_ids"] = x.GoalIDs
		return v, x.Version, nil
	},
	fields: func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error) {
		owners, err := s.memberOptions(ctx, ws, "Nobody yet")
		if err != nil {
			return nil, err
		}
		goals, err := s.goalOptions(ctx, ws, "", "")
		if err != nil {
			return nil, err
		}
		return []field{
			{Name: "name", Label: "Name", Type: "text", Value: v.Get("name"), Required: true, Wide: true},
			{Name: "vision", Label: "Vision", Type: "textarea", Value: v.Get("vision"), Wide: true, Hint: "Markdown."},
			{Name: "strategy", Label: "Strategy", Type: "textarea", Value: v.Get("strategy"), Wide: true, Hint: "Markdown."},
			{Name: "owner_id", Label: "Product manager", Type: "select", Value: v.Get("owner_id"), Options: owners},
			{Name: "goal_ids", Label: "Aligned goals", Type: "multiselect", Selected: selectedSet(v["goal_ids"]), Options: goals},
		}, nil
	},
	save: func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error) {
		f := &formReader{v: v}
		x := &tandem.Product{Name: f.str("name"), Vision: f.text("vision"), Strategy: f.text("strategy"),
			OwnerID: f.str("owner_id"), GoalIDs: f.ids("goal_ids")}
		x.Defaults()
		f.merge(x.Validate())
		if len(f.p) > 0 {
			return "", f.p, nil
		}
		if id == "" {
			err := s.Store.CreateProduct(ctx, ws, x)
			return x.ID, nil, err
		}
		upd := tandem.ProductUpdate{Name: &x.Name, Vision: &x.Vision, Strategy: &x.Strategy, OwnerID: &x.OwnerID, GoalIDs: &x.GoalIDs}
		_, err := s.Store.UpdateProduct(ctx, ws, id, upd, version)
		return id, nil, err
	},
	del: func(s *Server, ctx context.Context, ws, id string) error { return s.Store.DeleteProduct(ctx, ws, id) },
}

var itemKind = &entityKind{
	collection: "items", entity: tandem.EntityItem, noun: "item", editPerm: tandem.PermEditItems,
	prefill: []string{"project_id", "product_id", "parent_id", "kind"},
	values: func(s *Server, ctx context.Context, ws, id string) (url.Values, int64, error) {
		v := url.Values{}
		if id == "" {
			v.Set("kind", tandem.KindTask)
			v.Set("status", tandem.StatusBacklog)
			return v, 0, nil
		}
		x, err := s.Store.FindItemByID(ctx, ws, id)
		if err != nil {
			return nil, 0, err
		}
		v.Set("title", x.Title)
		v.Set("kind", x.Kind)
		v.Set("status", x.Status)
		v.Set("description", x.Description)
		v.Set("parent_id", x.ParentID)
		v.Set("project_id", x.ProjectID)
		v.Set("product_id", x.ProductID)
		v.Set("assignee_id", x.AssigneeID)
		v.Set("effort_hours", floatValue(x.EffortHours))
		v.Set("duration_days", floatValue(x.DurationDays))
		v.Set("planned_start", x.PlannedStart.String())
		v.Set("planned_finish", x.PlannedFinish.String())
		v.Set("progress", strconv.Itoa(x.Progress))
		v["goal_ids"] = x.GoalIDs
		return v, x.Version, nil
	},
	fields: func(s *Server, ctx context.Context, ws, id string, v url.Values) ([]field, error) {
		assignees, err := s.memberOptions(ctx, ws, "Unassigned")
		if err != nil {
			return nil, err
		}
		projects, err := s.projectOptions(ctx, ws, "No project")
		if err != nil {
			return nil, err
		}
		products, err := s.productOptions(ctx, ws, "No product")
		if err != nil {
			return nil, err
		}
		parents, err := s.itemOptions(ctx, ws, id, "No parent")
		if err != nil {
			return nil, err
		}
		goals, err := s.goalOptions(ctx, ws, "", "")
		if err != nil {
			return nil, err
		}
		return []field{
			{Name: "title", Label: "Title", Type: "text", Value: v.Get("title"), Required: true, Wide: true},
			{Name: "kind", Label: "Kind", Type: "select", Value: v.Get("kind"), Options: statusOptions(tandem.ItemKinds...)},
			{Name: "status", Label: "Status", Type: "select", Value: v.Get("status"), Options: statusOptions(tandem.ItemStatuses...)},
			{Name: "description", Label: "Description", Type: "textarea", Value: v.Get("description"), Wide: true, Hint: "Markdown: paragraphs, *emphasis*, lists, links and `code`."},
			{Name: "project_id", Label: "Project", Type: "select", Value: v.Get("project_id"), Options: projects},
			{Name: "product_id", Label: "Product", Type: "select", Value: v.Get("product_id"), Options: products},
			{Name: "parent_id", Label: "Parent item", Type: "select", Value: v.Get("parent_id"), Options: parents},
			{Name: "assignee_id", Label: "Assignee", Type: "select", Value: v.Get("assignee_id"), Options: assignees},
			{Name: "effort_hours", Label: "Effort (hours)", Type: "number", Step: "0.5", Value: v.Get("effort_hours")},
			{Name: "duration_days", Label: "Duration (days)", Type: "number", Step: "0.5", Value: v.Get("duration_days"), Hint: "0 for a milestone."},
			{Name: "planned_start", Label: "Planned start", Type: "date", Value: v.Get("planned_start")},
			{Name: "planned_finish", Label: "Planned finish", Type: "date", Value: v.Get("planned_finish")},
			{Name: "progress", Label: "Progress (%)", Type: "number", Step: "1", Value: v.Get("progress")},
			{Name: "goal_ids", Label: "Goals", Type: "multiselect", Selected: selectedSet(v["goal_ids"]), Options: goals},
		}, nil
	},
	save: func(s *Server, ctx context.Context, ws, id string, v url.Values, version int64) (string, tandem.Problems, error) {
		f := &formReader{v: v}
		x := &tandem.Item{Title: f.str("title"), Kind: f.str("kind"), Status: f.str("status"), Description: f.text("description"),
			ParentID: f.str("parent_id"), ProjectID: f.str("project_id"), ProductID: f.str("product_id"),
			AssigneeID: f.str("assignee_id"), EffortHours: f.float("effort_hours"), DurationDays: f.float("duration_days"),
			PlannedStart: f.date("planned_start"), PlannedFinish: f.date("planned_finish"), Progress: f.int("progress"),
			GoalIDs: f.ids("goal_ids")}
		x.ID = id
		x.Defaults()
		f.merge(x.Validate())
		if len(f.p) > 0 {
			return "", f.p, nil
		}
		if id == "" {
			x.ID = ""
			err := s.Store.CreateItem(ctx, ws, x)
			return x.ID, nil, err
		}
		upd := tandem.ItemUpdate{Kind: &x.Kind, ParentID: &x.ParentID, ProjectID: &x.ProjectID, ProductID: &x.ProductID,
			Title: &x.Title, Description: &x.Description, Status: &x.Status, AssigneeID: &x.AssigneeID,
			EffortHours: &x.EffortHours, DurationDays: &x.DurationDays, PlannedStart: &x.PlannedStart,
			PlannedFinish: &x.PlannedFinish, Progress: &x.Progress, GoalIDs: &x.GoalIDs}
		_, err := s.Store.UpdateItem(ctx, ws, id, upd, version)
		return id, nil, err
	},
	del: func(s *Server, ctx context.Context, ws, id string) error { return s.Store.DeleteItem(ctx, ws, id) },
}

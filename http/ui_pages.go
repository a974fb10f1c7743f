package http

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
)

// listPage is the data of a paginated, filtered list.
type listPage struct {
	Rows     any
	Filter   url.Values
	NextURL  string // the next page, "" on the last
	FirstURL string // the first page, "" on the first
	Empty    bool
	// Lookups for display.
	Programs map[string]string
	Projects map[string]string
	Products map[string]string
	Options  map[string][]option
}

// F returns the filter value name.
func (l *listPage) F(name string) string { return l.Filter.Get(name) }

func pageOf(r *http.Request) tandem.Page {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 25
	}
	return tandem.Page{Limit: limit, Cursor: q.Get("cursor")}
}

// pager fills the next and first page links of lp from the request.
func setPager(r *http.Request, lp *listPage, next string) {
	q := r.URL.Query()
	lp.Filter = q
	if next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("cursor", next)
		lp.NextURL = r.URL.Path + "?" + nq.Encode()
	}
	if q.Get("cursor") != "" {
		fq := url.Values{}
		for k, v := range q {
			if k != "cursor" {
				fq[k] = v
			}
		}
		lp.FirstURL = r.URL.Path
		if len(fq) > 0 {
			lp.FirstURL += "?" + fq.Encode()
		}
	}
}

// EntityURL returns the page of an entity named in activity or comments, or "".
func (p *page) EntityURL(entityType, id string) string {
	col := map[string]string{tandem.EntityGoal: "goals", tandem.EntityProgram: "programs", tandem.EntityProject: "projects",
		tandem.EntityProduct: "products", tandem.EntityItem: "items"}[entityType]
	if col == "" || p.WS == nil {
		return ""
	}
	return p.Base() + "/" + col + "/" + id
}

// ActivityURL returns the page that shows what an activity row changed: the
// entity itself, or for a comment, dependency or key result the page it
// belongs to. It is "" for deletions and for rows with no page.
func (p *page) ActivityURL(a *tandem.Activity) string {
	if a.Action == tandem.ActionDelete {
		return ""
	}
	if u := p.EntityURL(a.EntityType, a.EntityID); u != "" {
		return u
	}
	var ref struct {
		EntityType  string `json:"entity_type"`
		EntityID    string `json:"entity_id"`
		SuccessorID string `json:"successor_id"`
		GoalID      string `json:"goal_id"`
	}
	if len(a.After) == 0 || json.Unmarshal(a.After, &ref) != nil {
		return ""
	}
	switch a.EntityType {
	case tandem.EntityComment:
		return p.EntityURL(ref.EntityType, ref.EntityID)
	case tandem.EntityDependency:
		return p.EntityURL(tandem.EntityItem, ref.SuccessorID)
	case tandem.EntityKeyResult:
		return p.EntityURL(tandem.EntityGoal, ref.GoalID)
	}
	return ""
}

// Changes names the fields an update changed ("status, progress"), from
// the activity's before and after images; "" when they are not known.
func (p *page) Changes(a *tandem.Activity) string {
	if a.Action != tandem.ActionUpdate || len(a.Before) == 0 || len(a.After) == 0 {
		return ""
	}
	var before, after map[string]json.RawMessage
	if json.Unmarshal(a.Before, &before) != nil || json.Unmarshal(a.After, &after) != nil {
		return ""
	}
	var names []string
	for k, v := range after {
		switch k {
		case "id", "workspace_id", "version", "created_at", "updated_at":
			continue
		}
		if string(before[k]) != string(v) {
			names = append(names, strings.ToLower(humanLabel(k)))
		}
	}
	slices.Sort(names)
	if len(names) > 4 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return strings.Join(names, ", ")
}

// Workspace home.

type statusCount struct {
	Status string
	Count  int
	More   bool // at least Count
	Share  float64
}

type homeData struct {
	Goals        []*tandem.Goal
	Programs     []*tandem.Program // the first few, those needing attention first
	ProgramCount int
	GoalCount    int
	Statuses     []statusCount
	TotalItems   int
	Activity     []*tandem.Activity
	AtRisk       int
}

// Offset is where status's segment starts in a 1000-wide stacked bar.
func (d homeData) Offset(status string) float64 {
	x := 0.0
	for _, c := range d.Statuses {
		if c.Status == status {
			break
		}
		x += c.Share * 1000
	}
	return x
}

// Width is the width of status's segment in a 1000-wide stacked bar.
func (d homeData) Width(status string) float64 {
	for _, c := range d.Statuses {
		if c.Status == status {
			return c.Share * 1000
		}
	}
	return 0
}

func (s *Server) handleWorkspaceHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	top := ""
	goals, _, err := s.Store.FindGoals(ctx, ws, tandem.GoalFilter{ParentID: &top, Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return err
	}
	programs, _, err := s.Store.FindPrograms(ctx, ws, tandem.ProgramFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return err
	}
	d := homeData{Goals: goals[:min(len(goals), 6)], GoalCount: len(goals), ProgramCount: len(programs)}
	// Programs that need attention come first: red, then amber.
	order := map[string]int{tandem.HealthRed: 0, tandem.HealthAmber: 1, tandem.HealthGreen: 2}
	slices.SortStableFunc(programs, func(a, b *tandem.Program) int { return order[a.Health] - order[b.Health] })
	for _, p := range programs {
		if p.Health != tandem.HealthGreen && p.Status != tandem.ProgramClosed {
			d.AtRisk++
		}
	}
	d.Programs = programs[:min(len(programs), 6)]
	for _, st := range tandem.ItemStatuses {
		items, next, err := s.Store.FindItems(ctx, ws, tandem.ItemFilter{Status: st, Page: tandem.Page{Limit: tandem.MaxLimit}})
		if err != nil {
			return err
		}
		d.Statuses = append(d.Statuses, statusCount{Status: st, Count: len(items), More: next != ""})
		d.TotalItems += len(items)
	}
	for i := range d.Statuses {
		if d.TotalItems > 0 {
			d.Statuses[i].Share = float64(d.Statuses[i].Count) / float64(d.TotalItems)
		}
	}
	if d.Activity, _, err = s.Store.FindActivity(ctx, ws, tandem.ActivityFilter{Page: tandem.Page{Limit: 8}}); err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "home", rq.Workspace.Name, "home", d)
}

// Discussion and history shown on every detail page.

type thread struct {
	Action   string // where new comments are posted
	Comments []*tandem.Comment
	Activity []*tandem.Activity
}

func (s *Server) threadOf(ctx context.Context, rq *request, k *entityKind, id string) (thread, error) {
	t := thread{Action: k.base(rq) + "/" + id + "/comments"}
	var err error
	t.Comments, _, err = s.Store.FindComments(ctx, rq.Workspace.ID, tandem.CommentFilter{EntityType: k.entity, EntityID: id, Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return t, err
	}
	t.Activity, _, err = s.Store.FindActivity(ctx, rq.Workspace.ID, tandem.ActivityFilter{EntityType: k.entity, EntityID: id, Page: tandem.Page{Limit: 20}})
	return t, err
}

func (s *Server) goalsByID(ctx context.Context, ws string, ids []string) ([]*tandem.Goal, error) {
	var out []*tandem.Goal
	for _, id := range ids {
		g, err := s.Store.FindGoalByID(ctx, ws, id)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func namesOf[T any](xs []T, id func(T) string, name func(T) string) map[string]string {
	m := make(map[string]string, len(xs))
	for _, x := range xs {
		m[id(x)] = name(x)
	}
	return m
}

// Goals.

type goalNode struct {
	Goal       *tandem.Goal
	KeyResults []*tandem.KeyResult
	Children   []*goalNode
}

func (s *Server) handleGoalList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	goals, _, err := s.Store.FindGoals(ctx, ws, tandem.GoalFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return err
	}
	nodes := map[string]*goalNode{}
	for _, g := range goals {
		krs, _, err := s.Store.FindKeyResults(ctx, ws, tandem.KeyResultFilter{GoalID: g.ID, Page: tandem.Page{Limit: tandem.MaxLimit}})
		if err != nil {
			return err
		}
		nodes[g.ID] = &goalNode{Goal: g, KeyResults: krs}
	}
	var roots []*goalNode
	for _, g := range goals {
		if p, ok := nodes[g.ParentID]; ok {
			p.Children = append(p.Children, nodes[g.ID])
		} else {
			roots = append(roots, nodes[g.ID])
		}
	}
	return s.renderPage(w, r, rq, "goals", "Goals", "goals", roots)
}

type krRow struct {
	KR           *tandem.KeyResult
	Measurements []*tandem.Measurement
	Error        string // a rejected measurement
	Form         url.Values
	EditForm     url.Values // the edit form's values: the key result's, or a rejected edit
	EditError    string
	EditErrors   map[string]string // a rejected edit's message beside each field
}

type goalData struct {
	Goal     *tandem.Goal
	Parent   *tandem.Goal
	Children []*tandem.Goal
	KRs      []*krRow
	Programs []*tandem.Program
	Products []*tandem.Product
	Thread   thread
	KRForm   url.Values
	KRErrors map[string]string
	KRError  string
	Today    string
}

func (s *Server) handleGoalView(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.goalView(w, r, rq, r.PathValue("id"), http.StatusOK, func(*goalData) {})
}

// goalView renders a goal's page; adjust may add a rejected form's input and errors.
func (s *Server) goalView(w http.ResponseWriter, r *http.Request, rq *request, id string, status int, adjust func(*goalData)) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	g, err := s.Store.FindGoalByID(ctx, ws, id)
	if err != nil {
		return err
	}
	d := &goalData{Goal: g, KRForm: url.Values{"direction": {"increase"}}, Today: tandem.DateOf(time.Now().UTC()).String()}
	if g.ParentID != "" {
		if d.Parent, err = s.Store.FindGoalByID(ctx, ws, g.ParentID); err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
			return err
		}
	}
	if d.Children, _, err = s.Store.FindGoals(ctx, ws, tandem.GoalFilter{ParentID: &g.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	krs, _, err := s.Store.FindKeyResults(ctx, ws, tandem.KeyResultFilter{GoalID: g.ID, Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return err
	}
	for _, k := range krs {
		ms, err := s.Store.FindMeasurements(ctx, ws, k.ID)
		if err != nil {
			return err
		}
		slices.Reverse(ms) // newest first
		if len(ms) > 5 {
			ms = ms[:5]
		}
		d.KRs = append(d.KRs, &krRow{KR: k, Measurements: ms, Form: url.Values{"date": {d.Today}}, EditForm: url.Values{
			"metric": {k.Metric}, "unit": {k.Unit}, "target": {floatValue(k.Target)}, "current": {floatValue(k.Current)},
			"due_date": {k.DueDate.String()}, "version": {strconv.FormatInt(k.Version, 10)}}})
	}
	if d.Programs, _, err = s.Store.FindPrograms(ctx, ws, tandem.ProgramFilter{GoalID: g.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	if d.Products, _, err = s.Store.FindProducts(ctx, ws, tandem.ProductFilter{GoalID: g.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	if d.Thread, err = s.threadOf(ctx, rq, goalKind, g.ID); err != nil {
		return err
	}
	adjust(d)
	p, err := s.newPage(r, rq, g.Title, "goals", d)
	if err != nil {
		return err
	}
	return s.render(w, status, "goal", p)
}

func (s *Server) handleKeyResultCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	goalID := r.PathValue("id")
	f := &formReader{v: r.PostForm}
	k := &tandem.KeyResult{GoalID: goalID, Metric: f.str("metric"), Unit: f.str("unit"), Baseline: f.float("baseline"),
		Target: f.float("target"), Direction: tandem.Direction(f.str("direction")), DueDate: f.date("due_date")}
	k.Current = k.Baseline
	f.required("baseline", "target")
	f.merge(k.Validate())
	var err error
	if len(f.p) == 0 {
		err = s.Store.CreateKeyResult(r.Context(), rq.Workspace.ID, k)
		if err := f.storeErr(err, "metric", tandem.EInvalid, tandem.EConflict); err != nil {
			return err
		}
	}
	if len(f.p) > 0 {
		return s.goalView(w, r, rq, goalID, http.StatusUnprocessableEntity, func(d *goalData) {
			d.KRForm = r.PostForm
			d.KRError, d.KRErrors = keyResultFormErrors("added", f.p, keyResultAddFields)
		})
	}
	return s.seeOtherWith(w, r, goalKind.base(rq)+"/"+goalID+"#key-results", "Key result added.")
}

// The fields of the goal page's two key-result forms, adding one and
// editing one; a problem with any other field is named in the alert.
var (
	keyResultAddFields  = []string{"metric", "unit", "direction", "baseline", "target", "due_date"}
	keyResultEditFields = []string{"metric", "unit", "target", "current", "due_date"}
)

// keyResultFormErrors is the one wording of a rejected key-result form,
// added or edited, so that the same input gets the same words on both:
// byField holds a message for each field of fields that has a problem,
// shown beside it, and alert says the key result was not done (added,
// saved) and names the problems that no field shows (a problem with no
// field is a sentence of its own).
func keyResultFormErrors(done string, ps tandem.Problems, fields []string) (alert string, byField map[string]string) {
	byField = map[string]string{}
	var rest []string
	for _, p := range ps {
		switch {
		case p.Field == "":
			rest = append(rest, capitalize(p.Message)+".")
		case slices.Contains(fields, p.Field):
			if byField[p.Field] == "" {
				byField[p.Field] = capitalize(p.Message) + "."
			}
		default:
			rest = append(rest, humanLabel(p.Field)+" "+p.Message+".")
		}
	}
	alert = "The key result was not " + done + "."
	if len(byField) > 0 {
		alert += " Please correct the marked fields."
	}
	return strings.Join(append([]string{alert}, rest...), " "), byField
}

func (s *Server) handleMeasurementCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	k, err := s.Store.FindKeyResultByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &formReader{v: r.PostForm}
	m := &tandem.Measurement{KeyResultID: k.ID, Date: f.date("date"), Value: f.float("value"), Note: f.text("note")}
	f.required("value")
	f.merge(m.Validate())
	if len(f.p) == 0 {
		if err := f.storeErr(s.Store.AddMeasurement(ctx, ws, m), "value", tandem.EInvalid); err != nil {
			return err
		}
	}
	if len(f.p) > 0 {
		return s.goalView(w, r, rq, k.GoalID, http.StatusUnprocessableEntity, func(d *goalData) {
			for _, row := range d.KRs {
				if row.KR.ID == k.ID {
					row.Form = r.PostForm
					var msgs []string
					for _, p := range f.p {
						msgs = append(msgs, humanLabel(p.Field)+" "+p.Message+".")
					}
					row.Error = strings.Join(msgs, " ")
				}
			}
		})
	}
	return s.seeOtherWith(w, r, goalKind.base(rq)+"/"+k.GoalID+"#kr-"+k.ID, "Measurement recorded.")
}

func (s *Server) handleKeyResultDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	k, err := s.Store.FindKeyResultByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Store.DeleteKeyResult(ctx, ws, k.ID); err != nil {
		return err
	}
	return s.seeOtherWith(w, r, goalKind.base(rq)+"/"+k.GoalID+"#key-results", "Key result deleted.")
}

// Programs.

func (s *Server) handleProgramList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	rows, next, err := s.Store.FindPrograms(r.Context(), rq.Workspace.ID, tandem.ProgramFilter{
		Status: q.Get("status"), Health: q.Get("health"), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0, Options: map[string][]option{
		"status": statusOptions(tandem.ProgramProposed, tandem.ProgramActive, tandem.ProgramOnHold, tandem.ProgramClosed),
		"health": statusOptions(tandem.HealthGreen, tandem.HealthAmber, tandem.HealthRed),
	}}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "programs", "Programs", "programs", lp)
}

type programData struct {
	Timeline template.HTML // the projects as an SVG Gantt chart
	Program  *tandem.Program
	Projects []*tandem.Project
	Goals    []*tandem.Goal
	Thread   thread
}

func (s *Server) handleProgramView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	x, err := s.Store.FindProgramByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := programData{Program: x}
	if d.Projects, _, err = s.Store.FindProjects(ctx, ws, tandem.ProjectFilter{ProgramID: x.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	if d.Goals, err = s.goalsByID(ctx, ws, x.GoalIDs); err != nil {
		return err
	}
	if d.Thread, err = s.threadOf(ctx, rq, programKind, x.ID); err != nil {
		return err
	}
	p, err := s.newPage(r, rq, x.Name, "programs", &d)
	if err != nil {
		return err
	}
	if d.Timeline, err = programTimeline(p, x, d.Projects); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "program", p)
}

// Projects.

func (s *Server) handleProjectList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, q := r.Context(), r.URL.Query()
	rows, next, err := s.Store.FindProjects(ctx, rq.Workspace.ID, tandem.ProjectFilter{
		ProgramID: q.Get("program_id"), Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	programs, err := s.programOptions(ctx, rq.Workspace.ID)
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0, Options: map[string][]option{
		"status":  statusOptions(tandem.ProjectProposed, tandem.ProjectActive, tandem.ProjectOnHold, tandem.ProjectCompleted, tandem.ProjectCancelled),
		"program": programs[1:],
	}, Programs: namesOf(programs, func(o option) string { return o.Value }, func(o option) string { return o.Label })}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "projects", "Projects", "projects", lp)
}

type projectData struct {
	Timeline template.HTML // an SVG Gantt chart of the dated items
	Project  *tandem.Project
	Program  *tandem.Program
	Calendar *tandem.Calendar // nil: Monday to Friday, 8 hours a day
	Items    []*tandem.Item
	Done     int
	MoreRows bool
	Thread   thread
}

func (s *Server) handleProjectView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	x, err := s.Store.FindProjectByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := projectData{Project: x}
	if d.Calendar, err = s.projectCalendar(ctx, ws, x); err != nil {
		return err
	}
	if x.ProgramID != "" {
		if d.Program, err = s.Store.FindProgramByID(ctx, ws, x.ProgramID); err != nil && tandem.ErrorCode(err) != tandem.ENotFound {
			return err
		}
	}
	var next string
	if d.Items, next, err = s.Store.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: x.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	d.MoreRows = next != ""
	for _, it := range d.Items {
		if it.Status == tandem.StatusDone {
			d.Done++
		}
	}
	if d.Thread, err = s.threadOf(ctx, rq, projectKind, x.ID); err != nil {
		return err
	}
	p, err := s.newPage(r, rq, x.Name, "projects", &d)
	if err != nil {
		return err
	}
	if d.Timeline, err = s.projectTimeline(ctx, p, x, d.Items); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "project", p)
}

// Products.

func (s *Server) handleProductList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	rows, next, err := s.Store.FindProducts(r.Context(), rq.Workspace.ID, tandem.ProductFilter{Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "products", "Products", "products", lp)
}

type productData struct {
	Product  *tandem.Product
	Goals    []*tandem.Goal
	Items    []*tandem.Item
	MoreRows bool
	Thread   thread
}

func (s *Server) handleProductView(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	x, err := s.Store.FindProductByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := productData{Product: x}
	if d.Goals, err = s.goalsByID(ctx, ws, x.GoalIDs); err != nil {
		return err
	}
	var next string
	if d.Items, next, err = s.Store.FindItems(ctx, ws, tandem.ItemFilter{ProductID: x.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	d.MoreRows = next != ""
	if d.Thread, err = s.threadOf(ctx, rq, productKind, x.ID); err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "product", x.Name, "products", d)
}

// Items.

func (s *Server) handleItemList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws, q := r.Context(), rq.Workspace.ID, r.URL.Query()
	rows, next, err := s.Store.FindItems(ctx, ws, tandem.ItemFilter{
		Kind: q.Get("kind"), Status: q.Get("status"), ProjectID: q.Get("project_id"), ProductID: q.Get("product_id"),
		AssigneeID: q.Get("assignee_id"), Q: strings.TrimSpace(q.Get("q")), Page: pageOf(r)})
	if err != nil {
		return err
	}
	projects, err := s.projectOptions(ctx, ws, "")
	if err != nil {
		return err
	}
	products, err := s.productOptions(ctx, ws, "")
	if err != nil {
		return err
	}
	members, err := s.memberOptions(ctx, ws, "")
	if err != nil {
		return err
	}
	byValue := func(o option) string { return o.Value }
	byLabel := func(o option) string { return o.Label }
	lp := &listPage{Rows: rows, Empty: len(rows) == 0, Options: map[string][]option{
		"kind": statusOptions(tandem.ItemKinds...), "status": statusOptions(tandem.ItemStatuses...),
		"project": projects, "product": products, "assignee": members,
	}, Projects: namesOf(projects, byValue, byLabel), Products: namesOf(products, byValue, byLabel)}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "items", "Items", "items", lp)
}

type depRow struct {
	Dep  *tandem.Dependency
	Item *tandem.Item // the other end
}

type itemData struct {
	Item         *tandem.Item
	Parent       *tandem.Item
	Children     []*tandem.Item
	Project      *tandem.Project
	Product      *tandem.Product
	Goals        []*tandem.Goal
	Predecessors []depRow
	Successors   []depRow
	DepGroups    []optGroup // the items a new dependency may link to (ui_picker.go)
	DepForm      url.Values
	DepError     string
	Thread       thread
	Evidence     *itemEvidence // customer evidence, from ui_insight.go
}

func (s *Server) handleItemView(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.itemView(w, r, rq, r.PathValue("id"), http.StatusOK, url.Values{"direction": {"predecessor"}, "type": {"FS"}}, "")
}

func (s *Server) itemView(w http.ResponseWriter, r *http.Request, rq *request, id string, status int, depForm url.Values, depError string) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	x, err := s.Store.FindItemByID(ctx, ws, id)
	if err != nil {
		return err
	}
	d := itemData{Item: x, DepForm: depForm, DepError: depError}
	optional := func(err error) error {
		if tandem.ErrorCode(err) == tandem.ENotFound {
			return nil
		}
		return err
	}
	if x.ParentID != "" {
		if d.Parent, err = s.Store.FindItemByID(ctx, ws, x.ParentID); optional(err) != nil {
			return err
		}
	}
	if x.ProjectID != "" {
		if d.Project, err = s.Store.FindProjectByID(ctx, ws, x.ProjectID); optional(err) != nil {
			return err
		}
	}
	if x.ProductID != "" {
		if d.Product, err = s.Store.FindProductByID(ctx, ws, x.ProductID); optional(err) != nil {
			return err
		}
	}
	if d.Children, _, err = s.Store.FindItems(ctx, ws, tandem.ItemFilter{ParentID: x.ID, Page: tandem.Page{Limit: tandem.MaxLimit}}); err != nil {
		return err
	}
	if d.Goals, err = s.goalsByID(ctx, ws, x.GoalIDs); err != nil {
		return err
	}
	deps, _, err := s.Store.FindDependencies(ctx, ws, tandem.DependencyFilter{ItemID: x.ID, Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return err
	}
	for _, dep := range deps {
		other := dep.PredecessorID
		if other == x.ID {
			other = dep.SuccessorID
		}
		it, err := s.Store.FindItemByID(ctx, ws, other)
		if optional(err) != nil {
			return err
		}
		if it == nil {
			continue
		}
		if dep.SuccessorID == x.ID {
			d.Predecessors = append(d.Predecessors, depRow{dep, it})
		} else {
			d.Successors = append(d.Successors, depRow{dep, it})
		}
	}
	if rq.Member.Role.Can(tandem.PermEditItems) {
		if d.DepGroups, err = s.dependencyChoices(ctx, ws, x, d.Project); err != nil {
			return err
		}
	}
	if d.Thread, err = s.threadOf(ctx, rq, itemKind, x.ID); err != nil {
		return err
	}
	if d.Evidence, err = s.itemEvidenceOf(ctx, rq, x.ID); err != nil {
		return err
	}
	p, err := s.newPage(r, rq, x.Title, "items", d)
	if err != nil {
		return err
	}
	return s.render(w, status, "item", p)
}

func (s *Server) handleDependencyCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	f := &formReader{v: r.PostForm}
	other := f.str("other_id")
	dep := &tandem.Dependency{Type: f.str("type"), LagDays: f.float("lag_days")}
	if f.str("direction") == "successor" {
		dep.PredecessorID, dep.SuccessorID = id, other
	} else {
		dep.PredecessorID, dep.SuccessorID = other, id
	}
	dep.Defaults()
	if other == "" {
		f.p.Add("other_id", "choose an item")
	} else {
		f.merge(dep.Validate())
	}
	var msg string
	status := http.StatusUnprocessableEntity
	if len(f.p) == 0 {
		err := s.Store.CreateDependency(r.Context(), rq.Workspace.ID, dep)
		switch tandem.ErrorCode(err) {
		case "":
			return s.seeOtherWith(w, r, itemKind.base(rq)+"/"+id+"#dependencies", "Dependency added.")
		case tandem.EConflict:
			msg, status = tandem.ErrorMessage(err), http.StatusConflict
		case tandem.EInvalid:
			msg = tandem.ErrorMessage(err)
			if e := domainErr(err); e != nil {
				for _, p := range e.Fields {
					msg += " " + humanLabel(p.Field) + " " + p.Message + "."
				}
			}
		default:
			return err
		}
	} else {
		var parts []string
		for _, p := range f.p {
			parts = append(parts, humanLabel(p.Field)+" "+p.Message+".")
		}
		msg = "The dependency was not added. " + strings.Join(parts, " ")
	}
	return s.itemView(w, r, rq, id, status, r.PostForm, msg)
}

func (s *Server) handleDependencyDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws, id := r.Context(), rq.Workspace.ID, r.PathValue("id")
	dep, err := s.Store.FindDependencyByID(ctx, ws, r.PathValue("dep"))
	if err != nil {
		return err
	}
	if dep.PredecessorID != id && dep.SuccessorID != id {
		return tandem.Errorf(tandem.ENotFound, "Dependency not found.")
	}
	if err := s.Store.DeleteDependency(ctx, ws, dep.ID); err != nil {
		return err
	}
	return s.seeOtherWith(w, r, itemKind.base(rq)+"/"+id+"#dependencies", "Dependency removed.")
}

// Activity and members.

func (s *Server) handleActivityList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	pg := pageOf(r)
	if q.Get("limit") == "" {
		pg.Limit = 50
	}
	rows, next, err := s.Store.FindActivity(r.Context(), rq.Workspace.ID, tandem.ActivityFilter{EntityType: q.Get("entity_type"), Page: pg})
	if err != nil {
		return err
	}
	lp := &listPage{Rows: rows, Empty: len(rows) == 0, Options: map[string][]option{
		"entity_type": statusOptions(tandem.EntityGoal, tandem.EntityKeyResult, tandem.EntityProgram, tandem.EntityProject,
			tandem.EntityProduct, tandem.EntityItem, tandem.EntityDependency, tandem.EntityComment, tandem.EntityMember),
	}}
	setPager(r, lp, next)
	return s.renderPage(w, r, rq, "activity", "Activity", "activity", lp)
}

type membersData struct {
	Members []*tandem.Member
	Roles   []option
	Error   string
	AddForm url.Values // the add-a-member form: defaults, or rejected input
}

func (s *Server) handleMemberList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.memberList(w, r, rq, http.StatusOK, "")
}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	return s.memberListForm(w, r, rq, status, msg, nil)
}

// memberListForm renders the members page; add holds a rejected
// add-a-member form's input (nil for the defaults).
func (s *Server) memberListForm(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string, add url.Values) error {
	ms, err := s.Store.FindMembers(r.Context(), rq.Workspace.ID)
	if err != nil {
		return err
	}
	if add == nil {
		add = url.Values{"role": {string(tandem.RoleContributor)}}
	}
	d := membersData{Members: ms, Error: msg, AddForm: add}
	for _, role := range tandem.Roles {
		d.Roles = append(d.Roles, option{string(role), humanLabel(string(role))})
	}
	p, err := s.newPage(r, rq, "Members", "members", d)
	if err != nil {
		return err
	}
	return s.render(w, status, "members", p)
}

func (s *Server) handleMemberRole(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	userID := r.PathValue("user")
	if _, err := s.Store.FindMember(ctx, ws, userID); err != nil {
		return err
	}
	role := tandem.Role(r.PostFormValue("role"))
	if !role.Valid() {
		return s.memberList(w, r, rq, http.StatusUnprocessableEntity, "Choose one of the listed roles.")
	}
	// Only an owner may make or unmake owners.
	if role == tandem.RoleOwner && rq.Member.Role != tandem.RoleOwner {
		return s.memberList(w, r, rq, http.StatusForbidden, "Only an owner can make someone an owner.")
	}
	if target, _ := s.Store.FindMember(ctx, ws, userID); target != nil && target.Role == tandem.RoleOwner && rq.Member.Role != tandem.RoleOwner {
		return s.memberList(w, r, rq, http.StatusForbidden, "Only an owner can change an owner's role.")
	}
	_, err := s.Store.SetMember(ctx, ws, userID, role)
	switch tandem.ErrorCode(err) {
	case "":
		return s.seeOtherWith(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/members", "Role changed.")
	case tandem.EConflict, tandem.EInvalid:
		return s.memberList(w, r, rq, statusOf(tandem.ErrorCode(err)), tandem.ErrorMessage(err))
	}
	return err
}

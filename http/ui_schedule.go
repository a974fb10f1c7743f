package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/gantt"
	"github.com/tandem-pm/tandem/internal/projectplan"
)

// scheduleUIRoutes are the scheduling pages: a project's Gantt chart (and
// its SVG alone, which gantt.js re-fetches after a drag), baselines, the
// program's cross-project dependencies and the MSPDI import form.
func (s *Server) scheduleUIRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/w/{ws}/projects/{id}/gantt", Perm: tandem.PermRead, UI: true, Handle: s.handleGanttPage},
		{Method: "GET", Pattern: "/w/{ws}/projects/{id}/gantt.svg", Perm: tandem.PermRead, UI: true, Handle: s.handleGanttSVG},
		{Method: "POST", Pattern: "/w/{ws}/projects/{id}/baselines", Perm: tandem.PermEditAll, UI: true, Handle: s.handleBaselineCreateForm},
		{Method: "POST", Pattern: "/w/{ws}/projects/{id}/baselines/{baseline}/delete", Perm: tandem.PermEditAll, UI: true, Handle: s.handleBaselineDeleteForm},
		{Method: "GET", Pattern: "/w/{ws}/programs/{id}/dependencies", Perm: tandem.PermRead, UI: true, Handle: s.handleProgramDependencies},
		{Method: "GET", Pattern: "/w/{ws}/projects/import", Perm: tandem.PermEditAll, UI: true, Handle: s.handleImportForm},
		{Method: "POST", Pattern: "/w/{ws}/projects/import", Perm: tandem.PermEditAll, UI: true, Handle: s.handleImport},
	}
}

type zoomLink struct {
	Label   string
	URL     string
	Current bool
}

// ganttRow is one line of the schedule table under the chart.
type ganttRow struct {
	projectplan.ItemSchedule
	HasVariance  bool
	Variance     projectplan.ItemVariance
	VarianceText string
}

type ganttData struct {
	Project    *tandem.Project
	Schedule   *projectplan.Schedule
	Rows       []ganttRow
	SVG        template.HTML
	Zoom       string
	Zooms      []zoomLink
	Baselines  []*tandem.Baseline
	Baseline   *tandem.Baseline
	Variance   *projectplan.Variance
	FinishText string // the project finish against the baseline, in words
	Editable   bool
	ItemsAPI   string // gantt.js PATCHes items here
	SVGURL     string
	// WorkingDays is the schedule's calendar as JSON, for gantt.js to
	// count the days of a dragged bar as the server does.
	WorkingDays string
	Error       string // the schedule could not be computed
	Today       tandem.Date
	// StatusParam is the ?status_date= the page was asked for, kept in its links.
	StatusParam string
}

// ganttView computes what the Gantt page and its SVG show.
func (s *Server) ganttView(r *http.Request, rq *request) (*ganttData, error) {
	ctx, ws := r.Context(), rq.Workspace.ID
	q := r.URL.Query()
	zoom, ok := gantt.ParseZoom(q.Get("zoom"))
	if !ok {
		zoom = gantt.Weeks
	}
	pl, err := s.loadProjectPlan(ctx, ws, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	// The chart is drawn as of today, or of ?status_date= (a "what did the
	// plan look like then" view, which tests use too).
	status, err := statusDate(r)
	if err != nil {
		status = today()
	}
	d := &ganttData{Project: pl.Project, Zoom: zoom.String(), Today: status,
		Editable: rq.Member.Role.Can(tandem.PermEditItems),
		ItemsAPI: "/api/v1/workspaces/" + url.PathEscape(rq.Workspace.ID) + "/items/"}
	base := "/w/" + url.PathEscape(rq.Workspace.Slug) + "/projects/" + pl.Project.ID
	if d.Baselines, err = s.Store.FindBaselines(ctx, ws, pl.Project.ID); err != nil {
		return nil, err
	}
	if id := q.Get("baseline"); id != "" {
		d.Baseline, err = s.findProjectBaseline(ctx, ws, pl.Project.ID, id)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			d.Baseline = nil // a deleted baseline in an old link: show the chart without it
		} else if err != nil {
			return nil, err
		}
	}
	keep := url.Values{}
	keep.Set("zoom", d.Zoom)
	if d.Baseline != nil {
		keep.Set("baseline", d.Baseline.ID)
	}
	if q.Get("status_date") != "" && status != today() {
		d.StatusParam = status.String()
		keep.Set("status_date", d.StatusParam)
	}
	d.SVGURL = base + "/gantt.svg?" + keep.Encode()
	for _, z := range gantt.Zooms {
		v := url.Values{}
		for k := range keep {
			v.Set(k, keep.Get(k))
		}
		v.Set("zoom", z.String())
		d.Zooms = append(d.Zooms, zoomLink{Label: humanLabel(z.String()), URL: base + "/gantt?" + v.Encode(), Current: z == zoom})
	}
	d.Schedule, err = pl.schedule(d.Today)
	if code := tandem.ErrorCode(err); code == tandem.EConflict || code == tandem.EInvalid {
		d.Error = tandem.ErrorMessage(err)
		return d, nil
	} else if err != nil {
		return nil, err
	}
	if wd, err := json.Marshal(d.Schedule.WorkingDays()); err == nil {
		d.WorkingDays = string(wd)
	}
	vi := map[string]projectplan.ItemVariance{}
	if d.Baseline != nil {
		d.Variance = d.Schedule.Compare(d.Baseline)
		d.FinishText = projectplan.VarianceText(d.Variance.FinishDays)
		for _, x := range d.Variance.Items {
			vi[x.ItemID] = x
		}
	}
	for _, x := range d.Schedule.Items {
		v, has := vi[x.ItemID]
		d.Rows = append(d.Rows, ganttRow{ItemSchedule: x, HasVariance: has, Variance: v, VarianceText: projectplan.VarianceText(v.FinishDays)})
	}
	wsBase := "/w/" + url.PathEscape(rq.Workspace.Slug)
	chart := d.Schedule.Chart(projectplan.ChartOptions{
		Title: "Gantt chart of " + pl.Project.Name, Zoom: zoom, Today: d.Today, Baseline: d.Baseline, Editable: d.Editable,
		ItemURL: func(id string) string { return wsBase + "/items/" + id },
	})
	var buf bytes.Buffer
	if err := gantt.Render(&buf, chart); err != nil {
		if errors.Is(err, gantt.ErrTooLarge) {
			d.Error = "The schedule spans more than 50 years, too long to draw. Check the items' planned starts."
			return d, nil
		}
		return nil, err
	}
	d.SVG = template.HTML(buf.String()) // gantt escapes every text it writes
	return d, nil
}

func (s *Server) handleGanttPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := s.ganttView(r, rq)
	if err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "schedule_gantt", "Gantt · "+d.Project.Name, "projects", d)
}

func (s *Server) handleGanttSVG(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := s.ganttView(r, rq)
	if err != nil {
		return err
	}
	if d.Error != "" {
		return tandem.Errorf(tandem.EConflict, "%s", d.Error)
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(d.SVG))
	return nil
}

func (s *Server) handleBaselineCreateForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	b, err := s.createBaseline(r.Context(), rq.Workspace.ID, id, r.PostFormValue("name"), today())
	if err != nil {
		return err
	}
	v := url.Values{}
	v.Set("baseline", b.ID)
	if z, ok := gantt.ParseZoom(r.PostFormValue("zoom")); ok {
		v.Set("zoom", z.String())
	}
	http.Redirect(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/projects/"+url.PathEscape(id)+"/gantt?"+v.Encode(), http.StatusSeeOther)
	return nil
}

func (s *Server) handleBaselineDeleteForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	id := r.PathValue("id")
	b, err := s.findProjectBaseline(ctx, ws, id, r.PathValue("baseline"))
	if err != nil {
		return err
	}
	if err := s.Store.DeleteBaseline(ctx, ws, b.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/projects/"+url.PathEscape(id)+"/gantt", http.StatusSeeOther)
	return nil
}

type programDepsData struct {
	Program  *tandem.Program
	Analysis *projectplan.ProgramAnalysis
	Slip     int
	Conflict int
	Error    string
}

func (s *Server) handleProgramDependencies(w http.ResponseWriter, r *http.Request, rq *request) error {
	slip, err := slipDays(r)
	if err != nil {
		slip = 10
	}
	prog, a, err := s.programAnalysis(r.Context(), rq.Workspace.ID, r.PathValue("id"), slip, today())
	d := &programDepsData{Program: prog, Analysis: a, Slip: slip}
	if code := tandem.ErrorCode(err); code == tandem.EConflict || code == tandem.EInvalid {
		if d.Program, err = s.Store.FindProgramByID(r.Context(), rq.Workspace.ID, r.PathValue("id")); err != nil {
			return err
		}
		d.Error = tandem.ErrorMessage(err)
	} else if err != nil {
		return err
	}
	if a != nil {
		for _, x := range a.Dependencies {
			if x.Conflict {
				d.Conflict++
			}
		}
	}
	return s.renderPage(w, r, rq, "schedule_program", "Dependencies · "+d.Program.Name, "programs", d)
}

type projectImportData struct {
	Programs  []*tandem.Program
	ProgramID string
	Name      string
	Error     string
}

func (s *Server) projectImportData(r *http.Request, rq *request) (*projectImportData, error) {
	progs, _, err := s.Store.FindPrograms(r.Context(), rq.Workspace.ID, tandem.ProgramFilter{Page: tandem.Page{Limit: tandem.MaxLimit}})
	if err != nil {
		return nil, err
	}
	return &projectImportData{Programs: progs, ProgramID: r.URL.Query().Get("program_id")}, nil
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := s.projectImportData(r, rq)
	if err != nil {
		return err
	}
	return s.renderPage(w, r, rq, "schedule_import", "Import a project", "projects", d)
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := s.projectImportData(r, rq)
	if err != nil {
		return err
	}
	f, err := readMSPDIUpload(w, r)
	if err == nil {
		d.Name, d.ProgramID = strings.TrimSpace(r.FormValue("name")), r.FormValue("program_id")
		if d.ProgramID != "" && !tandem.IsID(d.ProgramID) {
			d.ProgramID = ""
		}
		var res *projectImportResult
		if res, err = s.importProject(r.Context(), rq.Workspace.ID, f, d.Name, d.ProgramID); err == nil {
			http.Redirect(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/projects/"+res.Project.ID+"/gantt?imported="+strconv.Itoa(res.Items), http.StatusSeeOther)
			return nil
		}
	}
	switch tandem.ErrorCode(err) {
	case tandem.EInvalid, tandem.ETooLarge, tandem.EConflict:
		d.Error = tandem.ErrorMessage(err)
		p, perr := s.newPage(r, rq, "Import a project", "projects", d)
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "schedule_import", p)
	}
	return err
}

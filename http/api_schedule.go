package http

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/projectplan"
	"github.com/tandem-pm/tandem/mspdi"
)

// scheduleEndpoints are the scheduling routes: a project's computed
// schedule, its baselines, the program's cross-project dependencies, and
// MSPDI import and export.
func (s *Server) scheduleEndpoints() []endpoint {
	const ws = "/api/v1/workspaces/{ws}"
	return []endpoint{
		{route: route{Method: "GET", Pattern: ws + "/projects/{id}/schedule", Perm: tandem.PermRead, Handle: s.handleAPISchedule},
			ID: "getProjectSchedule", Summary: "The project's computed schedule: early and late dates, float, the critical path; with ?baseline= its variance",
			Tag: "schedule", Query: reflect.TypeFor[scheduleQuery](), Resp: reflect.TypeFor[scheduleResponse](), Status: 200},
		{route: route{Method: "GET", Pattern: ws + "/projects/{id}/baselines", Perm: tandem.PermRead, Handle: s.handleAPIBaselineList},
			ID: "listBaselines", Summary: "The project's baselines, newest first, without their items", Tag: "schedule",
			Resp: reflect.TypeFor[tandem.Baseline](), List: true, Status: 200},
		{route: route{Method: "POST", Pattern: ws + "/projects/{id}/baselines", Perm: tandem.PermEditAll, Handle: s.handleAPIBaselineCreate},
			ID: "createBaseline", Summary: "Save the project's current schedule (as of ?status_date=, default today) as a baseline", Tag: "schedule",
			Query: reflect.TypeFor[statusQuery](),
			Body:  reflect.TypeFor[baselineInput](), Resp: reflect.TypeFor[tandem.Baseline](), Status: 201},
		{route: route{Method: "GET", Pattern: ws + "/baselines/{id}", Perm: tandem.PermRead, Handle: s.handleAPIBaselineView},
			ID: "getBaseline", Summary: "One baseline with its items' dates", Tag: "schedule", Resp: reflect.TypeFor[tandem.Baseline](), Status: 200},
		{route: route{Method: "DELETE", Pattern: ws + "/baselines/{id}", Perm: tandem.PermEditAll, Handle: s.handleAPIBaselineDelete},
			ID: "deleteBaseline", Summary: "Delete a baseline", Tag: "schedule", Status: 204},
		{route: route{Method: "GET", Pattern: ws + "/programs/{id}/dependencies", Perm: tandem.PermRead, Handle: s.handleAPIProgramDependencies},
			ID: "getProgramDependencies", Summary: "Cross-project dependencies of a program: needed-by against forecast, conflicts first, and what a slip would move",
			Tag: "schedule", Query: reflect.TypeFor[programQuery](), Resp: reflect.TypeFor[projectplan.ProgramAnalysis](), Status: 200},
		{route: route{Method: "POST", Pattern: ws + "/projects/import", Perm: tandem.PermEditAll, Handle: s.handleAPIProjectImport},
			ID: "importProject", Summary: "Import an MSPDI (MS Project XML) file as a new project, as the raw body or a multipart field named file",
			Tag: "schedule", Query: reflect.TypeFor[projectImportQuery](), Resp: reflect.TypeFor[projectImportResult](), Status: 201},
		{route: route{Method: "GET", Pattern: ws + "/projects/{id}/export.xml", Perm: tandem.PermRead, Handle: s.handleAPIProjectExport},
			ID: "exportProject", Summary: "The project and its schedule (as of ?status_date=, default today) as an MSPDI (MS Project XML) file",
			Tag: "schedule", Query: reflect.TypeFor[statusQuery](), Status: 200},
	}
}

// scheduleQuery is what GET .../schedule accepts.
type scheduleQuery struct {
	Baseline   string `json:"baseline"`    // a baseline ID: adds the variance against it
	StatusDate string `json:"status_date"` // YYYY-MM-DD; default today (UTC)
}

type scheduleResponse struct {
	*projectplan.Schedule
	Variance *projectplan.Variance `json:"variance,omitempty"`
}

type programQuery struct {
	Slip       string `json:"slip"` // what-if slip in working days, 1 to 250; default 10
	StatusDate string `json:"status_date"`
}

type projectImportQuery struct {
	Name      string `json:"name"`       // the new project's name; default the file's
	ProgramID string `json:"program_id"` // the program to put it in
}

type projectImportResult struct {
	Project      *tandem.Project `json:"project"`
	Items        int             `json:"items"`
	Dependencies int             `json:"dependencies"`
}

// statusQuery is the query of routes that schedule as of a status date.
type statusQuery struct {
	StatusDate string `json:"status_date"` // YYYY-MM-DD; default today (UTC)
}

type baselineInput struct {
	Name string `json:"name"`
}

// today is the server's date in UTC, the default status date.
func today() tandem.Date { return tandem.DateOf(time.Now().UTC()) }

// statusDate reads ?status_date=, defaulting to today.
func statusDate(r *http.Request) (tandem.Date, error) {
	v := strings.TrimSpace(r.URL.Query().Get("status_date"))
	if v == "" {
		return today(), nil
	}
	d, err := tandem.ParseDate(v)
	if err != nil {
		return tandem.Date{}, &tandem.Error{Code: tandem.EInvalid, Message: "The query is not valid.",
			Fields: []tandem.FieldError{{Field: "status_date", Message: err.Error()}}}
	}
	return d, nil
}

// maxPlanItems bounds what one schedule loads.
const maxPlanItems = 50_000

// allPages collects every page of a list.
func allPages[T any](what string, fetch func(cursor string) ([]*T, string, error)) ([]*T, error) {
	var out []*T
	cursor := ""
	for {
		xs, next, err := fetch(cursor)
		if err != nil {
			return nil, err
		}
		out = append(out, xs...)
		if len(out) > maxPlanItems {
			return nil, tandem.Errorf(tandem.ETooLarge, "There are more than %d %s to schedule.", maxPlanItems, what)
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// projectPlan is what a project's schedule is computed from.
type projectPlan struct {
	Project *tandem.Project
	Items   []*tandem.Item
	Deps    []*tandem.Dependency
	Anchors []*tandem.Item // predecessors in other projects
	// Calendar is the project's working calendar (its own, else the
	// workspace's default); nil = Monday to Friday, 8 hours a day.
	Calendar *tandem.Calendar
}

func (s *Server) loadProjectPlan(ctx context.Context, ws, projectID string) (*projectPlan, error) {
	if !tandem.IsID(projectID) {
		return nil, tandem.Errorf(tandem.ENotFound, "There is no such project.")
	}
	p, err := s.Store.FindProjectByID(ctx, ws, projectID)
	if err != nil {
		return nil, err
	}
	pl, err := s.projectWork(ctx, ws, p, nil)
	if err != nil {
		return nil, err
	}
	return pl, s.loadAnchors(ctx, ws, pl)
}

// projectWork loads p's calendar, items and dependencies. cals, when not
// nil, keeps the calendars already loaded (by calendar ID, "" for the
// workspace default), so that projects of a program on one calendar share
// it and it is read once.
func (s *Server) projectWork(ctx context.Context, ws string, p *tandem.Project, cals map[string]*tandem.Calendar) (*projectPlan, error) {
	pl := &projectPlan{Project: p}
	var err error
	if c, ok := cals[p.CalendarID]; ok {
		pl.Calendar = c
	} else if pl.Calendar, err = s.projectCalendar(ctx, ws, p); err != nil {
		return nil, err
	} else if cals != nil {
		cals[p.CalendarID] = pl.Calendar
	}
	pl.Items, err = allPages("items", func(c string) ([]*tandem.Item, string, error) {
		return s.Store.FindItems(ctx, ws, tandem.ItemFilter{ProjectID: p.ID, Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: c}})
	})
	if err != nil {
		return nil, err
	}
	pl.Deps, err = allPages("dependencies", func(c string) ([]*tandem.Dependency, string, error) {
		return s.Store.FindDependencies(ctx, ws, tandem.DependencyFilter{ProjectID: p.ID, Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: c}})
	})
	if err != nil {
		return nil, err
	}
	return pl, nil
}

// loadAnchors loads the predecessors from other projects of pl's items.
func (s *Server) loadAnchors(ctx context.Context, ws string, pl *projectPlan) error {
	in := make(map[string]bool, len(pl.Items))
	for _, it := range pl.Items {
		in[it.ID] = true
	}
	seen := map[string]bool{}
	for _, d := range pl.Deps {
		if !in[d.SuccessorID] || in[d.PredecessorID] || seen[d.PredecessorID] {
			continue
		}
		seen[d.PredecessorID] = true
		it, err := s.Store.FindItemByID(ctx, ws, d.PredecessorID)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			continue
		} else if err != nil {
			return err
		}
		pl.Anchors = append(pl.Anchors, it)
	}
	return nil
}

func (pl *projectPlan) schedule(status tandem.Date) (*projectplan.Schedule, error) {
	return projectplan.ScheduleProject(pl.Project, pl.Items, pl.Deps, pl.Anchors, projectplan.Options{StatusDate: status, Calendar: pl.Calendar})
}

// findProjectBaseline returns baseline id when it belongs to project.
func (s *Server) findProjectBaseline(ctx context.Context, ws, projectID, id string) (*tandem.Baseline, error) {
	if !tandem.IsID(id) {
		return nil, tandem.Errorf(tandem.ENotFound, "There is no such baseline.")
	}
	b, err := s.Store.FindBaselineByID(ctx, ws, id)
	if err != nil {
		return nil, err
	}
	if b.ProjectID != projectID {
		return nil, tandem.Errorf(tandem.ENotFound, "This project has no such baseline.")
	}
	return b, nil
}

func (s *Server) handleAPISchedule(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	if err := decodeQuery(r.URL.Query(), &scheduleQuery{}); err != nil {
		return err
	}
	status, err := statusDate(r)
	if err != nil {
		return err
	}
	pl, err := s.loadProjectPlan(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	sc, err := pl.schedule(status)
	if err != nil {
		return err
	}
	resp := scheduleResponse{Schedule: sc}
	if id := r.URL.Query().Get("baseline"); id != "" {
		b, err := s.findProjectBaseline(ctx, ws, pl.Project.ID, id)
		if err != nil {
			return err
		}
		resp.Variance = sc.Compare(b)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handleAPIBaselineList(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "project")
	if err != nil {
		return err
	}
	bs, err := s.Store.FindBaselines(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeList(w, bs, "")
	return nil
}

// createBaseline schedules the project now and saves the result as a baseline.
func (s *Server) createBaseline(ctx context.Context, ws, projectID, name string, status tandem.Date) (*tandem.Baseline, error) {
	pl, err := s.loadProjectPlan(ctx, ws, projectID)
	if err != nil {
		return nil, err
	}
	sc, err := pl.schedule(status)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		name = "Baseline of " + today().Time().Format("2 Jan 2006")
	}
	b := sc.Baseline(name)
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if err := s.Store.CreateBaseline(ctx, ws, b); err != nil {
		return nil, err
	}
	return b, nil
}

func (s *Server) handleAPIBaselineCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "project")
	if err != nil {
		return err
	}
	if err := decodeQuery(r.URL.Query(), &statusQuery{}); err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	var in baselineInput
	if err := decodeFields(obj, &in, nil); err != nil {
		return err
	}
	status, err := statusDate(r)
	if err != nil {
		return err
	}
	b, err := s.createBaseline(r.Context(), rq.Workspace.ID, id, in.Name, status)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/workspaces/"+rq.Workspace.ID+"/baselines/"+b.ID)
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) handleAPIBaselineView(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "baseline")
	if err != nil {
		return err
	}
	b, err := s.Store.FindBaselineByID(r.Context(), rq.Workspace.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) handleAPIBaselineDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id", "baseline")
	if err != nil {
		return err
	}
	if err := s.Store.DeleteBaseline(r.Context(), rq.Workspace.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// programAnalysis loads a program's projects, items and dependencies and
// analyses them as one network.
func (s *Server) programAnalysis(ctx context.Context, ws, programID string, slip int, status tandem.Date) (*tandem.Program, *projectplan.ProgramAnalysis, error) {
	if !tandem.IsID(programID) {
		return nil, nil, tandem.Errorf(tandem.ENotFound, "There is no such program.")
	}
	prog, err := s.Store.FindProgramByID(ctx, ws, programID)
	if err != nil {
		return nil, nil, err
	}
	projects, err := allPages("projects", func(c string) ([]*tandem.Project, string, error) {
		return s.Store.FindProjects(ctx, ws, tandem.ProjectFilter{ProgramID: prog.ID, Page: tandem.Page{Limit: tandem.MaxLimit, Cursor: c}})
	})
	if err != nil {
		return nil, nil, err
	}
	var items []*tandem.Item
	var deps []*tandem.Dependency
	seen := map[string]bool{}
	cals := map[string]*tandem.Calendar{}   // by project ID, for the engine
	loaded := map[string]*tandem.Calendar{} // by calendar ID
	for _, p := range projects {
		// The program's items are all here: no anchors to load.
		pl, err := s.projectWork(ctx, ws, p, loaded)
		if err != nil {
			return nil, nil, err
		}
		cals[p.ID] = pl.Calendar
		items = append(items, pl.Items...)
		for _, d := range pl.Deps {
			if !seen[d.ID] {
				seen[d.ID] = true
				deps = append(deps, d)
			}
		}
	}
	a, err := projectplan.AnalyzeProgram(projects, items, deps, projectplan.ProgramOptions{Options: projectplan.Options{StatusDate: status}, SlipDays: slip, Calendars: cals})
	if err != nil {
		return nil, nil, err
	}
	return prog, a, nil
}

// slipDays reads ?slip=, a what-if slip in working days (1 to 250).
func slipDays(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.URL.Query().Get("slip"))
	if v == "" {
		return 10, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 250 {
		return 0, &tandem.Error{Code: tandem.EInvalid, Message: "The query is not valid.",
			Fields: []tandem.FieldError{{Field: "slip", Message: "must be a number of working days from 1 to 250"}}}
	}
	return n, nil
}

func (s *Server) handleAPIProgramDependencies(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := decodeQuery(r.URL.Query(), &programQuery{}); err != nil {
		return err
	}
	slip, err := slipDays(r)
	if err != nil {
		return err
	}
	status, err := statusDate(r)
	if err != nil {
		return err
	}
	_, a, err := s.programAnalysis(r.Context(), rq.Workspace.ID, r.PathValue("id"), slip, status)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// maxMSPDIBytes bounds an uploaded MSPDI file.
const maxMSPDIBytes = 32 << 20

// readMSPDIUpload returns the MSPDI document of an import request: the raw
// body (XML), or the multipart field "file".
func readMSPDIUpload(w http.ResponseWriter, r *http.Request) (*mspdi.File, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxMSPDIBytes)
	var src io.Reader = r.Body
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == "multipart/form-data":
		f, _, err := r.FormFile("file")
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tandem.Errorf(tandem.ETooLarge, "The file is larger than %d MiB.", maxMSPDIBytes>>20)
			}
			return nil, &tandem.Error{Code: tandem.EInvalid, Message: "Choose an MS Project XML file to import.",
				Fields: []tandem.FieldError{{Field: "file", Message: "is required"}}}
		}
		defer f.Close()
		src = f
	case mt == "" || mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
	default:
		return nil, &statusError{Status: http.StatusUnsupportedMediaType, Code: tandem.EInvalid,
			Detail: "Send the MSPDI file as the body with 'Content-Type: application/xml', or as the multipart field 'file'."}
	}
	f, err := mspdi.Read(src)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tandem.Errorf(tandem.ETooLarge, "The file is larger than %d MiB.", maxMSPDIBytes>>20)
		}
		var me *mspdi.Error
		if errors.As(err, &me) {
			return nil, tandem.Errorf(tandem.EInvalid, "This is not an MS Project XML (MSPDI) file: %s.", me.Error())
		}
		return nil, tandem.Errorf(tandem.EInvalid, "The file could not be read.")
	}
	return f, nil
}

// importProject converts an MSPDI file and stores it as a new project in
// one transaction, on a new workspace calendar made from the file's and
// with the file's baselines.
func (s *Server) importProject(ctx context.Context, ws string, f *mspdi.File, name, programID string) (*projectImportResult, error) {
	imp, err := projectplan.ImportMSPDI(f)
	if err != nil {
		return nil, err
	}
	if name = strings.TrimSpace(name); name != "" {
		imp.Project.Name = name
	}
	imp.Project.ProgramID = programID
	if err := imp.Project.Validate(); err != nil {
		return nil, err
	}
	err = s.Store.ImportProject(ctx, ws, &tandem.ProjectImport{Project: imp.Project, Items: imp.Items,
		Dependencies: imp.Dependencies, Calendar: imp.Calendar, Baselines: imp.Baselines})
	if err != nil {
		return nil, err
	}
	return &projectImportResult{Project: imp.Project, Items: len(imp.Items), Dependencies: len(imp.Dependencies)}, nil
}

func (s *Server) handleAPIProjectImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	var q projectImportQuery
	if err := decodeQuery(r.URL.Query(), &q); err != nil {
		return err
	}
	f, err := readMSPDIUpload(w, r)
	if err != nil {
		return err
	}
	res, err := s.importProject(r.Context(), rq.Workspace.ID, f, q.Name, q.ProgramID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/workspaces/"+rq.Workspace.ID+"/projects/"+res.Project.ID)
	w.Header().Set("ETag", etag(res.Project.Version))
	writeJSON(w, http.StatusCreated, res)
	return nil
}

func (s *Server) handleAPIProjectExport(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := decodeQuery(r.URL.Query(), &statusQuery{}); err != nil {
		return err
	}
	status, err := statusDate(r)
	if err != nil {
		return err
	}
	pl, err := s.loadProjectPlan(r.Context(), rq.Workspace.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	sc, err := pl.schedule(status)
	if err != nil {
		return err
	}
	bs, err := s.exportBaselines(r.Context(), rq.Workspace.ID, pl.Project.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := projectplan.WriteMSPDI(&buf, projectplan.ExportMSPDI(pl.Project, sc, pl.Items, pl.Deps, bs...)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+exportFileName(pl.Project.Name)+`.xml"`)
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

// exportBaselines loads the project's newest baselines with their items,
// newest first, as many as an MSPDI task holds.
func (s *Server) exportBaselines(ctx context.Context, ws, projectID string) ([]*tandem.Baseline, error) {
	list, err := s.Store.FindBaselines(ctx, ws, projectID)
	if err != nil {
		return nil, err
	}
	list = list[:min(len(list), projectplan.MSPDIBaselines)]
	out := make([]*tandem.Baseline, 0, len(list))
	for _, b := range list {
		full, err := s.Store.FindBaselineByID(ctx, ws, b.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// exportFileName makes a safe file name out of a title.
func exportFileName(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "project"
	}
	return out
}

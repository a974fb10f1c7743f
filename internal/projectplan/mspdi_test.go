package projectplan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/mspdi"
)

func TestMSPDIRoundTrip(t *testing.T) {
	epic := task("Epic", 0)
	epic.Kind = tandem.KindEpic
	a, b, m := task("A & <B>", 5), task("B", 2.5), milestone("M")
	a.ParentID, b.ParentID = epic.ID, epic.ID
	a.Progress = 40
	b.PlannedStart = d("2026-01-19")
	items := []*tandem.Item{epic, a, b, m}
	deps := []*tandem.Dependency{dep("A & <B>", "B", "SS", 2), dep("Epic", "M", "FS", 0), dep("A & <B>", "M", "FF", -1)}
	s, err := ScheduleProject(project, items, deps, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteMSPDI(&buf, ExportMSPDI(project, s, items, deps)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<Project xmlns="http://schemas.microsoft.com/project">`) {
		t.Fatalf("not an MSPDI document:\n%s", buf.String()[:200])
	}
	f, err := mspdi.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ImportMSPDI(f)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Project.Name != "Portal" || imp.Project.StartDate != d("2026-01-05") {
		t.Errorf("project = %+v", imp.Project)
	}
	if len(imp.Items) != 4 || len(imp.Dependencies) != 3 {
		t.Fatalf("got %d items and %d dependencies, want 4 and 3", len(imp.Items), len(imp.Dependencies))
	}
	byTitle := map[string]*tandem.Item{}
	for _, it := range imp.Items {
		byTitle[it.Title] = it
		if it.ProjectID != imp.Project.ID || !tandem.IsID(it.ID) {
			t.Errorf("item %q: project %q id %q", it.Title, it.ProjectID, it.ID)
		}
	}
	if x := byTitle["Epic"]; x == nil || x.Kind != tandem.KindEpic {
		t.Errorf("epic = %+v", x)
	}
	if x := byTitle["A & <B>"]; x == nil || x.ParentID != byTitle["Epic"].ID || x.DurationDays != 5 || x.Progress != 40 || x.Status != tandem.StatusInProgress {
		t.Errorf("A = %+v", x)
	}
	if x := byTitle["B"]; x == nil || x.DurationDays != 3 || x.PlannedStart != d("2026-01-19") {
		t.Errorf("B = %+v (2.5 days are scheduled as 3 whole working days)", x)
	}
	if x := byTitle["M"]; x == nil || x.Kind != tandem.KindMilestone {
		t.Errorf("M = %+v", x)
	}
	// The imported plan schedules to the same dates.
	s2, err := ScheduleProject(imp.Project, imp.Items, imp.Dependencies, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range s.Items {
		y := s2.Items[indexOfTitle(s2, x.Title)]
		if x.EarlyStart != y.EarlyStart || x.EarlyFinish != y.EarlyFinish {
			t.Errorf("%s: %s..%s before, %s..%s after the round trip", x.Title, x.EarlyStart, x.EarlyFinish, y.EarlyStart, y.EarlyFinish)
		}
	}
	types := map[string]float64{}
	for _, d := range imp.Dependencies {
		types[d.Type] = d.LagDays
	}
	if len(types) != 3 || types["SS"] != 2 || types["FF"] != -1 {
		t.Errorf("dependency types and lags = %v", types)
	}
}

func indexOfTitle(s *Schedule, title string) int {
	for i, x := range s.Items {
		if x.Title == title {
			return i
		}
	}
	return -1
}

func TestImportMSPDIRejectsGarbage(t *testing.T) {
	f, err := mspdi.Read(strings.NewReader(`<Project xmlns="http://schemas.microsoft.com/project"><StartDate>not a date</StartDate></Project>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ImportMSPDI(f); tandem.ErrorCode(err) != tandem.EInvalid {
		t.Errorf("err = %v, want EInvalid", err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	err = run(context.Background(), e, args)
	return out.String(), errb.String(), err
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const planJSON = `{
  "name": "Launch",
  "start": "2024-03-04T08:00:00",
  "resources": [{"id": "dev", "capacity": 1}],
  "tasks": [
    {"id": "phase", "name": "Phase"},
    {"id": "design", "name": "Design", "parent": "phase", "duration": "3d", "demands": [{"resource": "dev", "units": 1}],
     "estimate": {"optimistic": "2d", "most_likely": "3d", "pessimistic": "8d"}},
    {"id": "docs", "name": "Docs", "parent": "phase", "duration": "2d", "demands": [{"resource": "dev", "units": 1}]},
    {"id": "build", "name": "Build", "duration": "5d", "estimate": {"optimistic": "4d", "most_likely": "5d", "pessimistic": "10d"}},
    {"id": "done", "name": "Done", "milestone": true}
  ],
  "links": [{"from": "design", "to": "build"}, {"from": "build", "to": "done"}, {"from": "docs", "to": "done"}]
}`

// decodeStrict decodes into v rejecting unknown fields, so that the test
// pins the exact contract.
func decodeStrict(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode: %v\n%s", err, s)
	}
}

type contractTask struct {
	ID          any     `json:"id"`
	Name        string  `json:"name"`
	Start       any     `json:"start"`
	Finish      any     `json:"finish"`
	EarlyStart  any     `json:"early_start"`
	EarlyFinish any     `json:"early_finish"`
	LateStart   any     `json:"late_start"`
	LateFinish  any     `json:"late_finish"`
	TotalFloat  float64 `json:"total_float"`
	FreeFloat   float64 `json:"free_float"`
	Critical    bool    `json:"critical"`
}

type contract struct {
	Makespan     float64        `json:"makespan"`
	Start        any            `json:"start"`
	Finish       any            `json:"finish"`
	CriticalPath []any          `json:"critical_path"`
	Tasks        []contractTask `json:"tasks"`
	Stats        struct {
		ComputeMS float64 `json:"compute_ms"`
		Schedules int     `json:"schedules"`
	} `json:"stats"`
}

func TestScheduleJSON(t *testing.T) {
	path := writeTemp(t, "plan.json", planJSON)
	out, _, err := runCmd(t, "schedule", path, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	decodeStrict(t, out, &c)
	if c.Makespan != 8 || c.Start != "2024-03-04T08:00:00" || c.Finish != "2024-03-13T17:00:00" {
		t.Errorf("makespan %v start %v finish %v", c.Makespan, c.Start, c.Finish)
	}
	if want := []any{"design", "build", "done"}; !reflect.DeepEqual(c.CriticalPath, want) {
		t.Errorf("critical path %v, want %v", c.CriticalPath, want)
	}
	docs := c.Tasks[2]
	if docs.ID != "docs" || docs.TotalFloat != 6 || docs.Critical || docs.LateStart != "2024-03-12T08:00:00" {
		t.Errorf("docs = %+v", docs)
	}
	if c.Stats.Schedules != 0 {
		t.Errorf("schedules %d without levelling", c.Stats.Schedules)
	}

	// Levelled: design and docs share one developer.
	out, _, err = runCmd(t, "schedule", "--level", "--schedules", "200", "--seed", "3", "--json", path)
	if err != nil {
		t.Fatal(err)
	}
	var l contract
	decodeStrict(t, out, &l)
	design, docsL := l.Tasks[1], l.Tasks[2]
	overlap := design.Start.(string) < docsL.Finish.(string) && docsL.Start.(string) < design.Finish.(string)
	if overlap {
		t.Errorf("levelled design %v-%v overlaps docs %v-%v on one developer", design.Start, design.Finish, docsL.Start, docsL.Finish)
	}
	if l.Makespan < c.Makespan || l.Stats.Schedules == 0 {
		t.Errorf("levelled makespan %v (CPM %v), %d schedules", l.Makespan, c.Makespan, l.Stats.Schedules)
	}
	if design.EarlyStart != c.Tasks[1].EarlyStart {
		t.Errorf("early dates must stay the CPM ones")
	}
}

func TestScheduleMSPDIAndTable(t *testing.T) {
	path := filepath.Join("..", "..", "mspdi", "testdata", "small.xml")
	out, _, err := runCmd(t, "schedule", "--json", path)
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	decodeStrict(t, out, &c)
	if c.Tasks[0].ID != float64(1) || c.Tasks[2].Start != "2024-03-11T08:00:00" {
		t.Errorf("tasks %+v", c.Tasks[:3])
	}
	out, _, err = runCmd(t, "schedule", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Design", "2024-03-11T08:00:00", "negative float", "working days"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

const tinySM = `************************************************************************
file with basedata            : tandem_tiny.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  6
horizon                       :  11
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      4      0        9        3        5
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          3           2   3   4
   2        1          1           5
   3        1          1           6
   4        1          1           6
   5        1          1           6
   6        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     2       1    2
  4      1     4       2    0
  5      1     2       1    1
  6      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    3    2
************************************************************************
`

func TestSchedulePSPLIB(t *testing.T) {
	path := writeTemp(t, "tiny.sm", tinySM)
	out, _, err := runCmd(t, "schedule", path, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	decodeStrict(t, out, &c)
	if c.Makespan != 5 || c.Start != float64(0) || c.Finish != float64(5) || len(c.Tasks) != 6 || c.Tasks[1].ID != float64(2) {
		t.Errorf("CPM: %+v", c)
	}
	out, _, err = runCmd(t, "schedule", path, "--json", "--level", "--schedules", "500")
	if err != nil {
		t.Fatal(err)
	}
	var l contract
	decodeStrict(t, out, &l)
	if l.Makespan <= 5 || l.Finish != l.Makespan {
		t.Errorf("levelled makespan %v finish %v; resources forbid the CPM makespan 5", l.Makespan, l.Finish)
	}
	if _, _, err := runCmd(t, "schedule", path, "--level"); err != nil {
		t.Errorf("table: %v", err)
	}
}

func TestScheduleErrors(t *testing.T) {
	cyc := writeTemp(t, "cycle.json", `{"start": "2024-03-04", "tasks": [{"id": "a", "duration": "1d"}, {"id": "b", "duration": "1d"}],
		"links": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]}`)
	bad := writeTemp(t, "bad.xml", "<Project xmlns=\"http://schemas.microsoft.com/project\">\n<Tasks>\n</Project>")
	unknown := writeTemp(t, "plan.txt", "hello")
	tests := []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"schedule"}, "one FILE", true},
		{[]string{"schedule", cyc}, "cycle among tasks a, b", false},
		{[]string{"schedule", bad}, "bad.xml: line 3", false},
		{[]string{"schedule", unknown}, "--format", true},
		{[]string{"schedule", "--format", "csv", cyc}, "--format must be", true},
		{[]string{"schedule", "--schedules", "0", cyc}, "--schedules", true},
		{[]string{"simulate", "--iterations", "0", cyc}, "--iterations", true},
		{[]string{"simulate", "--distribution", "normal", cyc}, "--distribution", true},
	}
	for _, tt := range tests {
		_, _, err := runCmd(t, tt.args...)
		var ue usageError
		if err == nil || !strings.Contains(err.Error(), tt.want) || errors.As(err, &ue) != tt.usage {
			t.Errorf("%v: err = %v, want one containing %q (usage error: %v)", tt.args, err, tt.want, tt.usage)
		}
	}
}

func TestSimulate(t *testing.T) {
	path := writeTemp(t, "plan.json", planJSON)
	run := func() string {
		out, _, err := runCmd(t, "simulate", path, "--iterations", "2000", "--seed", "42", "--json")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := run(), run()
	var sa, sb simulateJSON
	decodeStrict(t, a, &sa)
	decodeStrict(t, b, &sb)
	sa.Stats.ComputeMS, sb.Stats.ComputeMS = 0, 0
	if !reflect.DeepEqual(sa, sb) {
		t.Error("the same seed gave different results")
	}
	if sa.Project.P50 > sa.Project.P80 || sa.Project.P80 > sa.Project.P95 || sa.Project.P50Days < 7 {
		t.Errorf("project percentiles %+v", sa.Project)
	}
	if len(sa.Milestones) != 1 || sa.Milestones[0].ID != "done" || sa.Milestones[0].P95Days != sa.Project.P95Days || sa.Milestones[0].P95 < sa.Project.P95 {
		t.Errorf("milestones %+v", sa.Milestones)
	}
	crit := map[any]float64{}
	for _, c := range sa.Criticality {
		crit[c.ID] = c.Index
	}
	if crit["design"] != 1 || crit["docs"] != 0 {
		t.Errorf("criticality %v: design is always critical, docs never", crit)
	}
	out, _, err := runCmd(t, "simulate", path, "--iterations", "100", "--seed", "1", "--distribution", "pert")
	if err != nil || !strings.Contains(out, "P80") {
		t.Errorf("report: %v\n%s", err, out)
	}
}

// A task that started before the project start (an actual start) must not
// make levelling fail on a negative release date.
func TestScheduleLevelEarlyActual(t *testing.T) {
	path := writeTemp(t, "early.json", `{"start": "2024-03-04T08:00:00", "resources": [{"id": "r"}],
		"tasks": [{"id": "a", "duration": "2d", "actual_start": "2024-02-26T08:00:00", "demands": [{"resource": "r", "units": 1}]},
		          {"id": "b", "duration": "1d", "demands": [{"resource": "r", "units": 1}]}]}`)
	out, _, err := runCmd(t, "schedule", "--level", "--schedules", "50", "--json", path)
	if err != nil {
		t.Fatal(err)
	}
	var c contract
	decodeStrict(t, out, &c)
	if c.Tasks[0].Start != "2024-02-26T08:00:00" || c.Tasks[1].Start != "2024-03-04T08:00:00" {
		t.Errorf("levelled starts %v, %v", c.Tasks[0].Start, c.Tasks[1].Start)
	}
}

package mspdi

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem/schedule"
)

func readSmall(t *testing.T) (*File, *schedule.Project, *schedule.Result) {
	t.Helper()
	f, err := ReadFile("testdata/small.xml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Project()
	if err != nil {
		t.Fatal(err)
	}
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, p, r
}

func TestReadSmall(t *testing.T) {
	_, p, r := readSmall(t)
	want := map[string][2]string{
		"1": {"2024-03-04T08:00:00", "2024-03-12T17:00:00"},
		"2": {"2024-03-04T08:00:00", "2024-03-06T17:00:00"},
		"3": {"2024-03-11T08:00:00", "2024-03-12T17:00:00"}, // 1-day lag over the Friday holiday
		"4": {"2024-03-05T08:00:00", "2024-03-05T17:00:00"},
		"5": {"2024-03-13T08:00:00", "2024-03-13T08:00:00"},
	}
	for _, tr := range r.Tasks {
		w := want[tr.ID]
		if got := [2]string{FormatTime(tr.Start), FormatTime(tr.Finish)}; got != w {
			t.Errorf("task %s: %v, want %v", tr.ID, got, w)
		}
	}
	if len(p.Tasks) != 5 || p.Tasks[1].Parent != "1" || p.Tasks[3].Parent != "" {
		t.Errorf("outline: %+v", p.Tasks)
	}
	if d := p.Tasks[2].Demands; len(d) != 1 || d[0].Resource != "1" {
		t.Errorf("demands %v", d)
	}
	// The milestone misses its deadline by a day, and so does the chain
	// that drives it.
	if !reflect.DeepEqual(r.Late, []string{"2", "3", "5"}) {
		t.Errorf("late tasks %v, want 2, 3, 5", r.Late)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	_, p, r := readSmall(t)
	var buf bytes.Buffer
	if err := Write(&buf, p, r); err != nil {
		t.Fatal(err)
	}
	f2, err := Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	p2, err := f2.Project()
	if err != nil {
		t.Fatal(err)
	}
	r2, err := schedule.Schedule(p2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Tasks {
		a, b := r.Tasks[i], r2.Tasks[i]
		if a.ID != b.ID || !a.Start.Equal(b.Start) || !a.Finish.Equal(b.Finish) || a.TotalFloat != b.TotalFloat {
			t.Errorf("task %s: %v-%v float %d after round trip %s: %v-%v float %d", a.ID, a.Start, a.Finish, a.TotalFloat, b.ID, b.Start, b.Finish, b.TotalFloat)
		}
	}
	// What we write agrees with what we compute, by our own comparison.
	if c := Compare(f2, r2); c.Matched != c.Tasks || c.Tasks != len(r2.Tasks) {
		t.Errorf("written file disagrees with the schedule: %+v", c)
	}
	// Element order: schema order within a task.
	s := buf.String()
	for _, pair := range [][2]string{{"<UID>", "<Name>"}, {"<OutlineLevel>", "<Start>"}, {"<Duration>", "<Milestone>"}, {"<Critical>", "<EarlyStart>"}, {"<TotalSlack>", "<ConstraintType>"}, {"<ConstraintType>", "<PredecessorLink>"}, {"<Calendars>", "<Tasks>"}, {"<Tasks>", "<Resources>"}, {"<Resources>", "<Assignments>"}} {
		if strings.Index(s, pair[0]) > strings.Index(s, pair[1]) {
			t.Errorf("%s written after %s", pair[0], pair[1])
		}
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not xml", "<Project", "line 1"},
		{"bad duration", `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Tasks><Task><UID>1</UID><Duration>PTxH</Duration></Task></Tasks></Project>`, "Task UID 1: Duration"},
		{"bad start", `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>soon</StartDate></Project>`, "StartDate"},
		{"unknown predecessor", `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Tasks><Task><UID>1</UID><PredecessorLink><PredecessorUID>9</PredecessorUID></PredecessorLink></Task></Tasks></Project>`, "predecessor UID"},
		{"bad link type", `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Tasks><Task><UID>1</UID></Task><Task><UID>2</UID><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>7</Type></PredecessorLink></Task></Tasks></Project>`, "link type"},
		{"bad working time", `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Calendars><Calendar><UID>1</UID><WeekDays><WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>8am</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay></WeekDays></Calendar></Calendars></Project>`, "Calendar UID 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tt.doc))
			if err == nil {
				_, err = f.Project()
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want an *Error mentioning %q", err, tt.want)
			}
		})
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "broken.xml")
	os.WriteFile(path, []byte("<Project xmlns=\"http://schemas.microsoft.com/project\">\n<Tasks>\n</Project>"), 0o600)
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "broken.xml") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want the file name and line 3", err)
	}
}

func TestRecurringExceptions(t *testing.T) {
	e := Exception{Type: "6", Period: "2", DaysOfWeek: "4", TimePeriod: TimePeriod{FromDate: "2001-01-01T00:00:00", ToDate: "2001-02-13T23:59:00"}}
	from, _ := ParseTime(e.TimePeriod.FromDate)
	to, _ := ParseTime(e.TimePeriod.ToDate)
	var got []string
	for _, d := range expand(occurrences(e, from, to)) {
		got = append(got, d.Format("01-02"))
	}
	if want := []string{"01-02", "01-16", "01-30", "02-13"}; !reflect.DeepEqual(got, want) {
		t.Errorf("every second Tuesday: %v, want %v", got, want)
	}
}

// FuzzRead: the reader and the conversion never panic on any input.
func FuzzRead(f *testing.F) {
	small, err := os.ReadFile("testdata/small.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(assignDoc))
	f.Add([]byte(`<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-03-04T08:00:00</StartDate><Tasks><Task><UID>1</UID><OutlineLevel>3</OutlineLevel><Duration>P1DT2H</Duration></Task></Tasks></Project>`))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><Project xmlns="http://schemas.microsoft.com/project"><Name>caf` + "\xe9" + `</Name></Project>`))
	f.Fuzz(func(t *testing.T, data []byte) { readWriteCheck(t, data) })
}

// readWriteCheck is FuzzRead's body: check, read, convert and schedule
// data, then write the schedule back and check what was written.
func readWriteCheck(t testing.TB, data []byte) {
	_ = Check(data)
	file, err := Read(bytes.NewReader(data))
	if err != nil {
		return
	}
	p, err := file.Project()
	if err != nil {
		return
	}
	if r, err := schedule.Schedule(p); err == nil {
		_ = Compare(file, r)
		var buf bytes.Buffer
		if err := WriteExtras(&buf, p, r, &Extras{Baselines: file.Baselines(), Contours: file.Contours()}); err == nil {
			if problems := Check(buf.Bytes()); len(problems) > 0 {
				t.Errorf("a written file breaks MSPDI's rules: %q", problems)
			}
		}
	}
}

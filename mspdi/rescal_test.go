package mspdi

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// Resource calendars are written as MS Project writes them, derived from
// the project calendar with only their differences, and read back the
// same day by day; resources sharing a calendar each get one of their own.
func TestResourceCalendarsWrittenDerived(t *testing.T) {
	mon := time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC)
	date := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	std := schedule.StandardCalendar()
	std.ID, std.Name = "std", "Standard"
	std.Exceptions = []schedule.Exception{{From: date("2024-03-13"), To: date("2024-03-13")}} // a Wednesday holiday
	// Vera: no Fridays; works the morning of the holiday; off 18-22 March.
	vera := std
	vera.ID, vera.Name = "vera", "Vera"
	vera.Week[time.Friday] = nil
	vera.Exceptions = []schedule.Exception{std.Exceptions[0],
		{From: date("2024-03-13"), To: date("2024-03-13"), Working: []schedule.Span{{From: 9 * 60, To: 12 * 60}}},
		{From: date("2024-03-18"), To: date("2024-03-22")}}
	shift := schedule.Calendar{ID: "shift", Name: "Shift"}
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		shift.Week[wd] = []schedule.Span{{From: 6 * 60, To: 14 * 60}}
	}
	p := &schedule.Project{Name: "Calendars", Start: mon, MinutesPerDay: 480, Calendar: "std",
		Calendars: []schedule.Calendar{std, vera, shift},
		Resources: []schedule.Resource{{ID: "v", Name: "Vera", Capacity: 1, Calendar: "vera"},
			{ID: "a", Name: "Ann", Capacity: 1, Calendar: "shift"}, {ID: "b", Name: "Bob", Capacity: 1, Calendar: "shift"}},
		Tasks: []schedule.Task{
			{ID: "1", Name: "Vera's", Duration: 8 * 480, Demands: []schedule.Demand{{Resource: "v", Units: 1}}},
			{ID: "2", Name: "Ann's", Duration: 3 * 480, Demands: []schedule.Demand{{Resource: "a", Units: 1}}},
			{ID: "3", Name: "Bob's", Duration: 480, Demands: []schedule.Demand{{Resource: "b", Units: 1}}},
		},
	}
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, p, r); err != nil {
		t.Fatal(err)
	}
	f, p2, r2 := readSchedule(t, buf.Bytes())
	for _, e := range Check(buf.Bytes()) {
		t.Error(e)
	}

	// What is written, by hand: std 1 and shift 3 base calendars; Vera's
	// calendar 2 derived from 1 with Friday (DayType 6) off, 13 March
	// 09:00-12:00 and 18-21 March off (22 March is a Friday, off anyway);
	// Ann and Bob on new calendars 4 and 5 derived from 3 with nothing of
	// their own.
	type cal struct {
		uid, name, isBase, base string
		weekDays                []string
		exceptions              []string
	}
	var got []cal
	for _, c := range f.Calendars {
		x := cal{uid: c.UID, name: c.Name, isBase: c.IsBaseCalendar, base: c.BaseCalendarUID}
		if c.IsBaseCalendar == "0" {
			for _, wd := range c.WeekDays {
				x.weekDays = append(x.weekDays, wd.DayType+":"+wd.DayWorking)
			}
			for _, e := range c.Exceptions {
				s := e.TimePeriod.FromDate + ".." + e.TimePeriod.ToDate + " " + e.DayWorking
				for _, w := range e.WorkingTimes {
					s += " " + w.FromTime + "-" + w.ToTime
				}
				x.exceptions = append(x.exceptions, s)
			}
		}
		got = append(got, x)
	}
	want := []cal{
		{uid: "1", name: "Standard", isBase: "1", base: "-1"},
		{uid: "2", name: "Vera", isBase: "0", base: "1", weekDays: []string{"6:0"}, exceptions: []string{
			"2024-03-13T00:00:00..2024-03-13T23:59:00 1 09:00:00-12:00:00",
			"2024-03-18T00:00:00..2024-03-21T23:59:00 0"}},
		{uid: "3", name: "Shift", isBase: "1", base: "-1"},
		{uid: "4", name: "Ann", isBase: "0", base: "3"},
		{uid: "5", name: "Bob", isBase: "0", base: "3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("calendars written:\n %+v\nwant\n %+v", got, want)
	}
	resCal := map[string]string{}
	for _, res := range f.Resources {
		resCal[res.Name] = res.CalendarUID
	}
	if w := map[string]string{"Vera": "2", "Ann": "4", "Bob": "5"}; !reflect.DeepEqual(resCal, w) {
		t.Errorf("resource calendars %v, want %v", resCal, w)
	}

	// Read back: each resource works the same hours on every day of a year.
	calOf := func(p *schedule.Project, id string) *schedule.Calendar {
		for i := range p.Calendars {
			if p.Calendars[i].ID == id {
				return &p.Calendars[i]
			}
		}
		t.Fatalf("no calendar %q", id)
		return nil
	}
	for i, res := range p.Resources {
		a, b := calOf(p, res.Calendar), calOf(p2, p2.Resources[i].Calendar)
		for d := date("2024-01-01"); d.Before(date("2025-01-01")); d = d.AddDate(0, 0, 1) {
			if x, y := spansOn(a, d), spansOn(b, d); !sameSpans(x, y) {
				t.Errorf("%s on %s: %v after the round trip, want %v", res.Name, d.Format(time.DateOnly), y, x)
			}
		}
	}
	// And the tasks are scheduled the same.
	for i := range r.Tasks {
		if x, y := r.Tasks[i], r2.Tasks[i]; !x.Start.Equal(y.Start) || !x.Finish.Equal(y.Finish) {
			t.Errorf("task %s: %s..%s after the round trip, want %s..%s", x.ID, y.Start, y.Finish, x.Start, x.Finish)
		}
	}
}

// In MS Project's own files every work resource has a derived calendar;
// written again, each keeps its base calendar and, where it stated no
// differences, states none (legacy_sample.xml and mspdiresource.xml have
// resource calendars derived from a base other than the project's).
func TestSampleResourceCalendarsKeepTheirBase(t *testing.T) {
	checked, other := 0, 0
	for _, sf := range sampleFiles(t) {
		name, doc := sf.name, sf.doc
		f, p, r := readSchedule(t, doc)
		var buf bytes.Buffer
		if err := Write(&buf, p, r); err != nil {
			t.Fatal(err)
		}
		f2, err := Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		written := map[string]Calendar{}
		for _, c := range f2.Calendars {
			written[c.UID] = c
		}
		users := map[string]int{}
		for _, res := range p.Resources {
			users[res.Calendar]++
		}
		for _, c := range f.Calendars {
			if c.IsBaseCalendar != "0" || users[c.UID] != 1 {
				continue
			}
			w, ok := written[c.UID]
			switch {
			case !ok || w.IsBaseCalendar != "0":
				t.Errorf("%s: resource calendar %s not written as a derived calendar", name, c.UID)
			case w.BaseCalendarUID != c.BaseCalendarUID:
				t.Errorf("%s: resource calendar %s derived from %s, MS Project's from %s", name, c.UID, w.BaseCalendarUID, c.BaseCalendarUID)
			case len(c.WeekDays)+len(c.Exceptions) == 0 && len(w.WeekDays)+len(w.Exceptions) > 0:
				t.Errorf("%s: resource calendar %s states %d weekdays and %d exceptions, MS Project's none", name, c.UID, len(w.WeekDays), len(w.Exceptions))
			}
			checked++
			if c.BaseCalendarUID != f.CalendarUID {
				other++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no resource calendar checked")
	}
	t.Logf("%d resource calendars keep their base (%d of them not the project calendar)", checked, other)
}

package projectplan

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/mspdi"
)

// ukCalendar is Monday to Friday, 09:00-13:00 and 14:00-18:00, with the
// Christmas 2026 holidays and a Saturday worked before them.
func ukCalendar() *tandem.Calendar {
	c := &tandem.Calendar{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "UK", Week: tandem.StandardWeek(), Exceptions: []tandem.CalendarException{
		{Name: "Christmas Day", From: d("2026-12-25")},
		{Name: "Boxing Day (substitute)", From: d("2026-12-28")},
		{Name: "Stocktake", From: d("2026-12-19"), Hours: "09:00-13:00"},
	}}
	c.Derive()
	return c
}

func TestWorkCalOfStandardMatchesTheFixedWeek(t *testing.T) {
	c := calendarOf(nil)
	for day := d("2025-12-20"); day.Before(d("2026-02-10")); day = day.AddDays(1) {
		if got, want := c.workIndex(day), workIndex(day); got != want {
			t.Errorf("workIndex(%s) = %d, want %d", day, got, want)
		}
	}
}

func TestWorkCalHolidays(t *testing.T) {
	c := calendarOf(ukCalendar())
	if c.mpd != 480 || c.info.HoursPerDay != 8 || c.info.Name != "UK" {
		t.Errorf("calendar info %+v, %d minutes a day", c.info, c.mpd)
	}
	for _, tc := range []struct {
		date    string
		working bool
	}{
		{"2026-12-18", true}, {"2026-12-19", true}, {"2026-12-20", false}, {"2026-12-24", true},
		{"2026-12-25", false}, {"2026-12-28", false}, {"2026-12-29", true},
	} {
		if got := c.working(d(tc.date)); got != tc.working {
			t.Errorf("working(%s) = %v, want %v", tc.date, got, tc.working)
		}
	}
	// Thursday 24 December, then Tuesday 29: two working days apart.
	if got := c.workIndex(d("2026-12-29")) - c.workIndex(d("2026-12-24")); got != 1 {
		t.Errorf("working days from 24 to 29 December = %d, want 1", got)
	}
	if got := c.workDate(c.workIndex(d("2026-12-25"))); got != d("2026-12-29") {
		t.Errorf("work dated on Christmas Day starts %s, want 2026-12-29", got)
	}
	if got := c.countWorkDays(d("2026-12-14"), d("2026-12-31")); got != 13 {
		t.Errorf("working days 14-31 December = %d, want 13 (14 weekdays, a Saturday worked, 2 holidays)", got)
	}
}

// TestWorkCalRoundTrip checks, on random calendars, that every working day
// is the date of its own index and that indexes count working days.
func TestWorkCalRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 50; n++ {
		tc := &tandem.Calendar{Name: "R"}
		for wd := 0; wd < 7; wd++ {
			if rng.IntN(3) > 0 {
				tc.Week.SetDay(weekdayOfDay(int64(wd)), "08:00-16:00")
			}
		}
		if tc.MinutesPerDay() == 0 {
			tc.Week.Monday = "08:00-16:00"
		}
		for k := 0; k < rng.IntN(20); k++ {
			from := d("2026-01-01").AddDays(rng.IntN(200))
			e := tandem.CalendarException{Name: "E", From: from, To: from.AddDays(rng.IntN(4))}
			if rng.IntN(3) == 0 {
				e.Hours = "10:00-12:00"
			}
			tc.Exceptions = append(tc.Exceptions, e)
		}
		c := calendarOf(tc)
		prev := c.workIndex(d("2025-12-01"))
		for day := d("2025-12-01"); day.Before(d("2026-09-01")); day = day.AddDays(1) {
			next := c.workIndex(day.AddDays(1))
			if w := tc.IsWorkingDay(day); w != (next == prev+1) || (!w && next != prev) {
				t.Fatalf("calendar %d: %s working=%v but index goes %d → %d", n, day, w, prev, next)
			}
			if tc.IsWorkingDay(day) && c.workDate(prev) != day {
				t.Fatalf("calendar %d: workDate(workIndex(%s)) = %s", n, day, c.workDate(prev))
			}
			prev = next
		}
	}
}

// TestScheduleOnCalendar: a holiday pushes work on, the schedule says which
// calendar it used, and durations are days of the calendar's hours.
func TestScheduleOnCalendar(t *testing.T) {
	pr := &tandem.Project{Meta: tandem.Meta{ID: id("P1")}, Name: "Portal", StartDate: d("2026-12-21")}
	a, b := task("Build", 4), task("Test", 2)
	items := []*tandem.Item{a, b}
	deps := []*tandem.Dependency{dep("Build", "Test", tandem.FinishToStart, 0)}

	plain, err := ScheduleProject(pr, items, deps, nil, Options{})
	must(t, err)
	if plain.Calendar.ID != "" || plain.Calendar.HoursPerDay != 8 {
		t.Errorf("without a calendar: %+v", plain.Calendar)
	}
	// Monday 21 to Thursday 24, then Friday 25 and Monday 28.
	if x := plain.Item(b.ID); x.EarlyStart != d("2026-12-25") || x.EarlyFinish != d("2026-12-28") {
		t.Errorf("standard calendar: Test %s to %s", x.EarlyStart, x.EarlyFinish)
	}

	cal := ukCalendar()
	s, err := ScheduleProject(pr, items, deps, nil, Options{Calendar: cal})
	must(t, err)
	if s.Calendar.ID != cal.ID || s.Calendar.Name != "UK" {
		t.Errorf("schedule calendar = %+v", s.Calendar)
	}
	if x := s.Item(a.ID); x.EarlyStart != d("2026-12-21") || x.EarlyFinish != d("2026-12-24") {
		t.Errorf("UK calendar: Build %s to %s", x.EarlyStart, x.EarlyFinish)
	}
	// Christmas Day and the substitute Boxing Day are off: Tuesday 29 and Wednesday 30.
	if x := s.Item(b.ID); x.EarlyStart != d("2026-12-29") || x.EarlyFinish != d("2026-12-30") || x.WorkDays != 2 {
		t.Errorf("UK calendar: Test %s to %s (%d days), want 29 to 30 December", x.EarlyStart, x.EarlyFinish, x.WorkDays)
	}
	if !s.NonWorking(d("2026-12-25").Time()) || s.NonWorking(d("2026-12-24").Time()) || plain.NonWorking(d("2026-12-25").Time()) {
		t.Errorf("NonWorking: Christmas off on the UK calendar only")
	}
	// Variance against a baseline counts the calendar's working days.
	v := s.Compare(plain.Baseline("Standard"))
	if v.FinishDays != 2 {
		t.Errorf("finish variance against the standard schedule = %d, want 2 working days", v.FinishDays)
	}

	// Four ten-hour days: a 2-day task is two of those days, not 20 hours of 8-hour days.
	long := &tandem.Calendar{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "4x10",
		Week: tandem.WorkWeek{Monday: "07:00-12:00,13:00-18:00", Tuesday: "07:00-12:00,13:00-18:00", Wednesday: "07:00-12:00,13:00-18:00", Thursday: "07:00-12:00,13:00-18:00"}}
	long.Derive()
	s, err = ScheduleProject(pr, items, deps, nil, Options{Calendar: long})
	must(t, err)
	if s.Calendar.HoursPerDay != 10 {
		t.Errorf("4x10 hours per day = %v", s.Calendar.HoursPerDay)
	}
	// Build: Mon 21 to Thu 24; Test: Mon 28 to Tue 29 (Fridays are off; no holidays here).
	if x := s.Item(b.ID); x.EarlyStart != d("2026-12-28") || x.EarlyFinish != d("2026-12-29") {
		t.Errorf("4x10 calendar: Test %s to %s, want 28 to 29 December", x.EarlyStart, x.EarlyFinish)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestProgramOnCalendars: each project's items run on its own calendar; a
// holiday in the successor's project pushes its work, and the dates the
// program view gives are those of that calendar.
func TestProgramOnCalendars(t *testing.T) {
	core := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Core", StartDate: d("2026-01-05")}
	mobile := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Mobile", StartDate: d("2026-01-05"), EndDate: d("2026-01-23")}
	x := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "X", DurationDays: 10, ProjectID: core.ID}
	y := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "Y", DurationDays: 5, ProjectID: mobile.ID}
	deps := []*tandem.Dependency{{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: x.ID, SuccessorID: y.ID, Type: tandem.FinishToStart}}
	hol := &tandem.Calendar{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Mobile team", Week: tandem.StandardWeek(),
		Exceptions: []tandem.CalendarException{{Name: "Team day off", From: d("2026-01-19")}}}
	hol.Derive()
	a, err := AnalyzeProgram([]*tandem.Project{core, mobile}, []*tandem.Item{x, y}, deps,
		ProgramOptions{Calendars: map[string]*tandem.Calendar{mobile.ID: hol}})
	must(t, err)
	var fc ProjectForecast
	for _, p := range a.Projects {
		if p.ProjectID == mobile.ID {
			fc = p
		}
	}
	// X: 5 to 16 January. Y: Tuesday 20 (Monday 19 is off) to Monday 26,
	// one working day past the end date (Friday 23).
	if fc.Forecast != d("2026-01-26") || fc.LateDays != 1 {
		t.Errorf("mobile forecast %s, %d days late; want 2026-01-26, 1", fc.Forecast, fc.LateDays)
	}
	if len(a.Dependencies) != 1 {
		t.Fatalf("%d dependencies", len(a.Dependencies))
	}
	// Y must start by Friday 16 January to end on the 23rd (the 19th is off): X finishing on the 16th is one day late.
	cd := a.Dependencies[0]
	if cd.NeededBy != d("2026-01-16") || cd.SlackDays != -1 || !cd.Conflict || cd.ForecastFinish != d("2026-01-16") {
		t.Errorf("dependency: needed by %s, slack %d, forecast %s; want 16 January, -1, 16 January", cd.NeededBy, cd.SlackDays, cd.ForecastFinish)
	}
}

// TestMSPDICalendarRoundTrip: export writes the project's calendar, import
// makes it a workspace calendar again, and the imported plan on it has the
// same dates.
func TestMSPDICalendarRoundTrip(t *testing.T) {
	pr := &tandem.Project{Meta: tandem.Meta{ID: id("P1")}, Name: "Portal", StartDate: d("2026-12-21")}
	a, b := task("Build", 4), task("Test", 2)
	items := []*tandem.Item{a, b}
	deps := []*tandem.Dependency{dep("Build", "Test", tandem.FinishToStart, 0)}
	cal := ukCalendar()
	s, err := ScheduleProject(pr, items, deps, nil, Options{Calendar: cal})
	must(t, err)
	var buf bytes.Buffer
	must(t, WriteMSPDI(&buf, ExportMSPDI(pr, s, items, deps)))
	if !strings.Contains(buf.String(), "<Name>Christmas Day</Name>") {
		t.Errorf("the export does not name the holiday:\n%.2000s", buf.String())
	}
	f, err := mspdi.Read(&buf)
	must(t, err)
	imp, err := ImportMSPDI(f)
	must(t, err)
	c := imp.Calendar
	if c == nil {
		t.Fatal("no calendar imported")
	}
	if c.Name != "UK (Portal)" || c.Week != cal.Week || c.HoursPerDay != 8 {
		t.Errorf("imported calendar %q, week %+v, %v hours", c.Name, c.Week, c.HoursPerDay)
	}
	want := map[string]string{"2026-12-25": "Christmas Day", "2026-12-28": "Boxing Day (substitute)", "2026-12-19": "Stocktake"}
	for _, e := range c.Exceptions {
		if want[e.From.String()] != e.Name {
			t.Errorf("exception %s %q (%s)", e.From, e.Name, e.Hours)
		}
		delete(want, e.From.String())
	}
	if len(want) != 0 {
		t.Errorf("exceptions missing: %v", want)
	}
	s2, err := ScheduleProject(imp.Project, imp.Items, imp.Dependencies, nil, Options{Calendar: c})
	must(t, err)
	if s2.Finish != s.Finish || s2.Finish != d("2026-12-30") {
		t.Errorf("imported plan finishes %s, the original %s", s2.Finish, s.Finish)
	}
}

// TestSlipIncremental: the what-if slip takes the engine's incremental path
// when a longer duration cannot differ from a later start, and full runs
// otherwise; both give the same impacts (FuzzProgramMatchesProjectSchedule
// compares them on random programs).
func TestSlipIncremental(t *testing.T) {
	core := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Core", StartDate: d("2026-01-05")}
	mobile := &tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, Name: "Mobile", StartDate: d("2026-01-05")}
	x := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "X", DurationDays: 10, ProjectID: core.ID}
	y := &tandem.Item{Meta: tandem.Meta{ID: tandem.NewID()}, Kind: tandem.KindTask, Title: "Y", DurationDays: 5, ProjectID: mobile.ID}
	for _, tc := range []struct {
		typ  string
		cals map[string]*tandem.Calendar
		inc  bool
		days int // how far Mobile's finish moves when X slips 10 days
	}{
		{tandem.FinishToStart, nil, true, 10},
		{tandem.StartToStart, nil, false, 10},
		{tandem.FinishToStart, map[string]*tandem.Calendar{mobile.ID: ukCalendar()}, false, 10}, // two calendars
	} {
		deps := []*tandem.Dependency{{Meta: tandem.Meta{ID: tandem.NewID()}, PredecessorID: x.ID, SuccessorID: y.ID, Type: tc.typ}}
		opt := ProgramOptions{Calendars: tc.cals, SlipDays: 10}
		pn, err := newProgramNet([]*tandem.Project{core, mobile}, []*tandem.Item{x, y}, deps, opt)
		must(t, err)
		base, err := pn.run(runOptions{})
		must(t, err)
		_, ok := pn.slipInc([]string{x.ID}, 10, base)
		if ok != tc.inc {
			t.Errorf("%s, %d calendars: incremental = %v, want %v", tc.typ, len(pn.engCal), ok, tc.inc)
		}
		imp, err := pn.slipImpacts(x, 10, base)
		must(t, err)
		if len(imp) != 1 || imp[0].FinishDays != tc.days {
			t.Errorf("%s: impacts %+v, want Mobile's finish %d days later", tc.typ, imp, tc.days)
		}
		// The base network is as it was.
		again, _ := pn.slipImpacts(x, 10, base)
		if len(again) != 1 || again[0].FinishDays != tc.days {
			t.Errorf("%s: a second slip gives %+v", tc.typ, again)
		}
	}
}

func TestScheduleWorkingDays(t *testing.T) {
	cal := ukCalendar()
	s, err := ScheduleProject(&tandem.Project{Meta: tandem.Meta{ID: tandem.NewID()}, StartDate: d("2026-12-14")}, nil, nil, nil, Options{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	wd := s.WorkingDays()
	if want := [7]bool{false, true, true, true, true, true, false}; wd.Week != want {
		t.Errorf("week %v, want %v", wd.Week, want)
	}
	// Christmas and Boxing Day are holidays on weekdays; the stocktake works
	// a Saturday.
	var got []string
	for _, x := range wd.Flip {
		got = append(got, x.String())
	}
	if want := []string{"2026-12-19", "2026-12-25", "2026-12-28"}; !slices.Equal(got, want) {
		t.Errorf("flipped dates %v, want %v", got, want)
	}
	for _, x := range wd.Flip {
		if s.NonWorking(x.Time()) == wd.Week[x.Time().Weekday()] {
			continue
		}
		t.Errorf("%s: NonWorking disagrees with the flip", x)
	}
}

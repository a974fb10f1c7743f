package mspdi

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem/schedule"
)

const assignDoc = `<Project xmlns="http://schemas.microsoft.com/project">
<StartDate>2024-03-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>
<Calendars>
 <Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar></Calendar>
 <Calendar><UID>2</UID><Name>Evenings</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>
  <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
  <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>14:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  <WeekDay><DayType>3</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>14:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  <WeekDay><DayType>4</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>14:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  <WeekDay><DayType>5</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>14:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>14:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays></Calendar>
</Calendars>
<Tasks>
 <Task><UID>1</UID><Name>Turtle</Name><Duration>PT57H8M24S</Duration></Task>
 <Task><UID>2</UID><Name>Two shifts</Name><Duration>PT16H0M0S</Duration><CalendarUID>-1</CalendarUID><IgnoreResourceCalendar>0</IgnoreResourceCalendar></Task>
 <Task><UID>3</UID><Name>Ignores</Name><Duration>PT8H0M0S</Duration><IgnoreResourceCalendar>1</IgnoreResourceCalendar></Task>
</Tasks>
<Resources>
 <Resource><UID>1</UID><Name>Day</Name><Type>1</Type><CalendarUID>1</CalendarUID></Resource>
 <Resource><UID>2</UID><Name>Evening</Name><Type>1</Type><CalendarUID>2</CalendarUID></Resource>
 <Resource><UID>3</UID><Name>Concrete</Name><Type>0</Type></Resource>
</Resources>
<Assignments>
 <Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units><Work>PT40H0M0S</Work><WorkContour>7</WorkContour></Assignment>
 <Assignment><UID>2</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units><Work>PT8H0M0S</Work></Assignment>
 <Assignment><UID>3</UID><TaskUID>2</TaskUID><ResourceUID>2</ResourceUID><Units>0.5</Units><Work>PT6H0M0S</Work></Assignment>
 <Assignment><UID>4</UID><TaskUID>2</TaskUID><ResourceUID>3</ResourceUID><Units>5</Units></Assignment>
 <Assignment><UID>5</UID><TaskUID>3</TaskUID><ResourceUID>2</ResourceUID><Units>1</Units><Work>PT8H0M0S</Work></Assignment>
</Assignments>
</Project>`

// The reader keeps assignments' work and units (a turtle contour as 70 %
// mean units), leaves the material resource out and reads
// IgnoreResourceCalendar; the engine then runs each assignment on its
// resource's calendar (hand-computed, Standard calendar from Monday 08:00).
func TestReadAssignments(t *testing.T) {
	f, err := Read(strings.NewReader(assignDoc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Project()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Resources) != 2 {
		t.Errorf("resources %+v: the material one should be left out", p.Resources)
	}
	if d := p.Tasks[0].Demands; len(d) != 1 || d[0].Work != 2400 || d[0].Units < 0.6999 || d[0].Units > 0.7001 {
		t.Errorf("turtle assignment %+v, want 40 h at 70 %% mean units", d)
	}
	if d := p.Tasks[1].Demands; len(d) != 2 || p.Tasks[1].IgnoreResourceCalendar || !p.Tasks[2].IgnoreResourceCalendar {
		t.Errorf("task 2 demands %+v, ignore flags %v %v", d, p.Tasks[1].IgnoreResourceCalendar, p.Tasks[2].IgnoreResourceCalendar)
	}
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		// 40 h / 0.7 = 3428.57 min, rounded to 3429 = 7 days 1 h 9 min.
		"1": {"2024-03-04T08:00:00", "2024-03-13T09:09:00"},
		// 8 h of day shift ends Monday 17:00; 6 h at 50 % is 12 h of
		// evenings: Monday and Tuesday 14:00-20:00.
		"2": {"2024-03-04T08:00:00", "2024-03-05T20:00:00"},
		// Ignoring its resource's evenings: one project day.
		"3": {"2024-03-04T08:00:00", "2024-03-04T17:00:00"},
	}
	for _, tr := range r.Tasks {
		if got := [2]string{FormatTime(tr.Start), FormatTime(tr.Finish)}; got != want[tr.ID] {
			t.Errorf("task %s: %v, want %v", tr.ID, got, want[tr.ID])
		}
	}
}

// A turtle-contoured assignment is written back as a turtle at its peak
// units (1, not its 70 % mean), and reads back as the same demand.
func TestWriteKeepsWorkContour(t *testing.T) {
	f, p, r := readSchedule(t, []byte(assignDoc))
	var buf bytes.Buffer
	if err := WriteExtras(&buf, p, r, &Extras{Contours: f.Contours()}); err != nil {
		t.Fatal(err)
	}
	f2, p2, _ := readSchedule(t, buf.Bytes())
	var got []string
	for _, a := range f2.Assignments {
		got = append(got, a.TaskUID+"/"+a.ResourceUID+" "+a.Units+" "+a.WorkContour)
	}
	want := []string{"1/1 1 7", "2/1 1 ", "2/2 0.5 ", "3/2 1 "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("assignments written %q, want %q", got, want)
	}
	for i := range p.Tasks {
		if !reflect.DeepEqual(p.Tasks[i].Demands, p2.Tasks[i].Demands) {
			t.Errorf("task %s demands %+v after the round trip, want %+v", p.Tasks[i].ID, p2.Tasks[i].Demands, p.Tasks[i].Demands)
		}
	}
	// Without the contour the same assignment is written flat at its mean.
	buf.Reset()
	if err := Write(&buf, p, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<Units>0.7</Units>") || strings.Contains(buf.String(), "<WorkContour>") {
		t.Errorf("without Extras the turtle should be written flat at 0.7 units")
	}
}

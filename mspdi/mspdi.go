// Package mspdi reads and writes Microsoft Project XML (MSPDI), the XML
// format of MS Project 2003 and later, which ProjectLibre, GanttProject and
// most planning tools also exchange. Read turns a file into the schedule
// engine's input (keeping MS Project's own computed dates for comparison);
// Write emits a schema-ordered file from a schedule.
package mspdi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Namespace is the MSPDI XML namespace.
const Namespace = "http://schemas.microsoft.com/project"

// File is an MSPDI document, with the elements the engine uses. Field order
// follows the MSPDI schema (it is also the write order).
type File struct {
	XMLName            xml.Name     `xml:"http://schemas.microsoft.com/project Project"`
	SaveVersion        string       `xml:"SaveVersion,omitempty"`
	Name               string       `xml:"Name,omitempty"`
	Title              string       `xml:"Title,omitempty"`
	ScheduleFromStart  string       `xml:"ScheduleFromStart,omitempty"`
	StartDate          string       `xml:"StartDate,omitempty"`
	FinishDate         string       `xml:"FinishDate,omitempty"`
	CriticalSlackLimit string       `xml:"CriticalSlackLimit,omitempty"`
	CalendarUID        string       `xml:"CalendarUID,omitempty"`
	DefaultStartTime   string       `xml:"DefaultStartTime,omitempty"`
	DefaultFinishTime  string       `xml:"DefaultFinishTime,omitempty"`
	MinutesPerDay      string       `xml:"MinutesPerDay,omitempty"`
	MinutesPerWeek     string       `xml:"MinutesPerWeek,omitempty"`
	DaysPerMonth       string       `xml:"DaysPerMonth,omitempty"`
	StatusDate         string       `xml:"StatusDate,omitempty"`
	CurrentDate        string       `xml:"CurrentDate,omitempty"`
	Calendars          []Calendar   `xml:"Calendars>Calendar"`
	Tasks              []Task       `xml:"Tasks>Task"`
	Resources          []Resource   `xml:"Resources>Resource"`
	Assignments        []Assignment `xml:"Assignments>Assignment"`
}

// Calendar is a base or resource calendar.
type Calendar struct {
	UID             string      `xml:"UID"`
	Name            string      `xml:"Name,omitempty"`
	IsBaseCalendar  string      `xml:"IsBaseCalendar,omitempty"`
	BaseCalendarUID string      `xml:"BaseCalendarUID,omitempty"`
	WeekDays        []WeekDay   `xml:"WeekDays>WeekDay"`
	Exceptions      []Exception `xml:"Exceptions>Exception"`
}

// WeekDay is a weekday's working time (DayType 1 = Sunday .. 7 =
// Saturday), or, with DayType 0, an exception in the pre-2007 form.
type WeekDay struct {
	DayType      string        `xml:"DayType"`
	DayWorking   string        `xml:"DayWorking"`
	TimePeriod   *TimePeriod   `xml:"TimePeriod,omitempty"`
	WorkingTimes []WorkingTime `xml:"WorkingTimes>WorkingTime"`
}

// TimePeriod is a range of dates.
type TimePeriod struct {
	FromDate string `xml:"FromDate"`
	ToDate   string `xml:"ToDate"`
}

// WorkingTime is one span of working time within a day.
type WorkingTime struct {
	FromTime string `xml:"FromTime"`
	ToTime   string `xml:"ToTime"`
}

// Exception is a calendar exception in the MS Project 2007+ form, possibly
// recurring.
type Exception struct {
	EnteredByOccurrences string        `xml:"EnteredByOccurrences,omitempty"`
	TimePeriod           TimePeriod    `xml:"TimePeriod"`
	Occurrences          string        `xml:"Occurrences,omitempty"`
	Name                 string        `xml:"Name,omitempty"`
	Type                 string        `xml:"Type,omitempty"`
	Period               string        `xml:"Period,omitempty"`
	DaysOfWeek           string        `xml:"DaysOfWeek,omitempty"`
	MonthItem            string        `xml:"MonthItem,omitempty"`
	MonthPosition        string        `xml:"MonthPosition,omitempty"`
	Month                string        `xml:"Month,omitempty"`
	MonthDay             string        `xml:"MonthDay,omitempty"`
	DayWorking           string        `xml:"DayWorking"`
	WorkingTimes         []WorkingTime `xml:"WorkingTimes>WorkingTime"`
}

// Task is one task, with MS Project's computed dates as it saved them.
type Task struct {
	UID                    string            `xml:"UID"`
	ID                     string            `xml:"ID,omitempty"`
	Name                   string            `xml:"Name,omitempty"`
	Active                 string            `xml:"Active,omitempty"`
	Manual                 string            `xml:"Manual,omitempty"`
	Type                   string            `xml:"Type,omitempty"`
	IsNull                 string            `xml:"IsNull,omitempty"`
	WBS                    string            `xml:"WBS,omitempty"`
	OutlineNumber          string            `xml:"OutlineNumber,omitempty"`
	OutlineLevel           string            `xml:"OutlineLevel,omitempty"`
	Priority               string            `xml:"Priority,omitempty"`
	Start                  string            `xml:"Start,omitempty"`
	Finish                 string            `xml:"Finish,omitempty"`
	Duration               string            `xml:"Duration,omitempty"`
	DurationFormat         string            `xml:"DurationFormat,omitempty"`
	Estimated              string            `xml:"Estimated,omitempty"`
	Milestone              string            `xml:"Milestone,omitempty"`
	Summary                string            `xml:"Summary,omitempty"`
	Critical               string            `xml:"Critical,omitempty"`
	EarlyStart             string            `xml:"EarlyStart,omitempty"`
	EarlyFinish            string            `xml:"EarlyFinish,omitempty"`
	LateStart              string            `xml:"LateStart,omitempty"`
	LateFinish             string            `xml:"LateFinish,omitempty"`
	FreeSlack              string            `xml:"FreeSlack,omitempty"`
	TotalSlack             string            `xml:"TotalSlack,omitempty"`
	PercentComplete        string            `xml:"PercentComplete,omitempty"`
	ActualStart            string            `xml:"ActualStart,omitempty"`
	ActualFinish           string            `xml:"ActualFinish,omitempty"`
	RemainingDuration      string            `xml:"RemainingDuration,omitempty"`
	ConstraintType         string            `xml:"ConstraintType,omitempty"`
	CalendarUID            string            `xml:"CalendarUID,omitempty"`
	ConstraintDate         string            `xml:"ConstraintDate,omitempty"`
	Deadline               string            `xml:"Deadline,omitempty"`
	IgnoreResourceCalendar string            `xml:"IgnoreResourceCalendar,omitempty"` // 1: the task's calendar only
	PredecessorLinks       []PredecessorLink `xml:"PredecessorLink"`
	Baselines              []Baseline        `xml:"Baseline"`
}

// PredecessorLink is a link from PredecessorUID to the enclosing task.
// Type: 0 FF, 1 FS, 2 SF, 3 SS. LinkLag is in tenths of a minute (or, with a
// percentage LagFormat, tenths of a percent).
type PredecessorLink struct {
	PredecessorUID string `xml:"PredecessorUID"`
	Type           string `xml:"Type,omitempty"`
	CrossProject   string `xml:"CrossProject,omitempty"`
	LinkLag        string `xml:"LinkLag,omitempty"`
	LagFormat      string `xml:"LagFormat,omitempty"`
}

// Baseline is a saved baseline of a task (Number 0 is "Baseline", 1..10
// are "Baseline1".."Baseline10"): its dates, duration and work as they were
// when it was saved.
type Baseline struct {
	Number         string `xml:"Number"`
	Start          string `xml:"Start,omitempty"`
	Finish         string `xml:"Finish,omitempty"`
	Duration       string `xml:"Duration,omitempty"`
	DurationFormat string `xml:"DurationFormat,omitempty"`
	Work           string `xml:"Work,omitempty"`
	Cost           string `xml:"Cost,omitempty"`
}

// Baselines returns the baselines of each task of the file, by task UID
// (the task IDs of Project), in the order the file gives them.
func (f *File) Baselines() map[string][]Baseline {
	out := make(map[string][]Baseline)
	for _, t := range f.Tasks {
		if len(t.Baselines) > 0 {
			uid := strings.TrimSpace(t.UID)
			out[uid] = append(out[uid], t.Baselines...)
		}
	}
	return out
}

// Contours returns the work contour (WorkContour) of each assignment that
// has one other than flat, by task UID and resource UID.
func (f *File) Contours() map[string]map[string]string {
	out := make(map[string]map[string]string)
	for _, a := range f.Assignments {
		c := strings.TrimSpace(a.WorkContour)
		if c == "" || c == "0" {
			continue
		}
		tu, ru := strings.TrimSpace(a.TaskUID), strings.TrimSpace(a.ResourceUID)
		if out[tu] == nil {
			out[tu] = make(map[string]string)
		}
		out[tu][ru] = c
	}
	return out
}

// Resource is a person, material or machine.
type Resource struct {
	UID         string `xml:"UID"`
	ID          string `xml:"ID,omitempty"`
	Name        string `xml:"Name,omitempty"`
	Type        string `xml:"Type,omitempty"`
	IsNull      string `xml:"IsNull,omitempty"`
	MaxUnits    string `xml:"MaxUnits,omitempty"`
	CalendarUID string `xml:"CalendarUID,omitempty"`
}

// Assignment puts a resource on a task at some units (1 = 100%).
type Assignment struct {
	UID         string `xml:"UID"`
	TaskUID     string `xml:"TaskUID"`
	ResourceUID string `xml:"ResourceUID"`
	Finish      string `xml:"Finish,omitempty"`
	Start       string `xml:"Start,omitempty"`
	Units       string `xml:"Units,omitempty"`
	Work        string `xml:"Work,omitempty"`
	WorkContour string `xml:"WorkContour,omitempty"`
}

// Error is a problem in an MSPDI file: where it is and what is wrong.
type Error struct {
	File    string // file name, "" when read from a stream
	Line    int    // 0 when unknown
	Element string // e.g. "Task UID 12: Duration"
	Problem string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Element != "" {
		b.WriteString(e.Element)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// maxSize bounds what Read accepts, so that a hostile file cannot exhaust
// memory.
const maxSize = 256 << 20

// Read decodes an MSPDI document. A malformed document gives an *Error with
// the line where decoding failed.
func Read(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSize {
		return nil, &Error{Problem: fmt.Sprintf("file larger than %d MiB", maxSize>>20)}
	}
	var f File
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(&f); err != nil {
		line, _ := d.InputPos()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		return nil, &Error{Line: line, Problem: "not a valid MSPDI document: " + err.Error()}
	}
	return &f, nil
}

// charsetReader accepts the encodings MS Project writes besides UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "windows-1252", "cp1252":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return strings.NewReader(string(rs)), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// ReadFile reads the MSPDI file at path; errors name the file.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	f, err := Read(fh)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = path
			return nil, e
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ParseTime reads an MSPDI date-time (2024-03-04T08:00:00, local time).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date-time %q (want 2006-01-02T15:04:05)", s)
}

// FormatTime writes a date-time as MS Project does.
func FormatTime(t time.Time) string { return t.Format("2006-01-02T15:04:05") }

// ParseDuration reads an ISO 8601 duration as MSPDI writes it
// (PT8H0M0S, P1DT2H0M0S, with optional fractions and sign) and returns
// minutes.
func ParseDuration(s string) (float64, error) {
	orig := s
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if !strings.HasPrefix(s, "P") {
		return 0, fmt.Errorf("bad duration %q", orig)
	}
	s = s[1:]
	var total float64
	inTime := false
	for len(s) > 0 {
		if s[0] == 'T' {
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf("bad duration %q", orig)
		}
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || v > 1e12 {
			return 0, fmt.Errorf("bad duration %q", orig)
		}
		switch unit := s[i]; {
		case unit == 'Y' && !inTime:
			total += v * 365 * 24 * 60
		case unit == 'M' && !inTime:
			total += v * 30 * 24 * 60
		case unit == 'W' && !inTime:
			total += v * 7 * 24 * 60
		case unit == 'D' && !inTime:
			total += v * 24 * 60
		case unit == 'H' && inTime:
			total += v * 60
		case unit == 'M' && inTime:
			total += v
		case unit == 'S' && inTime:
			total += v / 60
		default:
			return 0, fmt.Errorf("bad duration %q", orig)
		}
		s = s[i+1:]
	}
	if neg {
		total = -total
	}
	return total, nil
}

// FormatDuration writes minutes as MSPDI does: PT8H0M0S.
func FormatDuration(minutes int64) string {
	sign := ""
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%sPT%dH%dM0S", sign, minutes/60, minutes%60)
}

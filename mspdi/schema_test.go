package mspdi

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/tandem-pm/tandem/schedule"
)

// schemaOrder is the order of the child elements of each element the
// writer emits, transcribed from Microsoft's Project XML Data Interchange
// schema reference (the "Child Elements" tables of the Project, Calendar,
// WeekDay, Exception, Task, PredecessorLink, Resource, Assignment and
// Baseline elements, Project 2007 schema mspdi_pj12.xsd, whose complex types
// are xsd:sequence), with the two Project 2010 task elements Active and
// Manual placed after Name, where MS Project 2010 and later write them, and
// a task's Baseline where MS Project writes it: the reference's table puts
// it before IsPublished, MS Project 2019 writes it after CommitmentType
// (task-baselines-project2019-mspdi.xml), and MS Project 2007 writes it
// right after ActualOvertimeWorkProtected (baselines.xml, which has none of
// the elements between): after CommitmentType agrees with both files, and
// MS Project must open what we write.
// Resource and Assignment are transcribed up to the last element the
// writer could need.
var schemaOrder = map[string][]string{
	"Project": {"SaveVersion", "UID", "Name", "Title", "Subject", "Category", "Company", "Manager", "Author",
		"CreationDate", "Revision", "LastSaved", "ScheduleFromStart", "StartDate", "FinishDate", "FYStartDate",
		"CriticalSlackLimit", "CurrencyDigits", "CurrencySymbol", "CurrencyCode", "CurrencySymbolPosition",
		"CalendarUID", "DefaultStartTime", "DefaultFinishTime", "MinutesPerDay", "MinutesPerWeek", "DaysPerMonth",
		"DefaultTaskType", "DefaultFixedCostAccrual", "DefaultStandardRate", "DefaultOvertimeRate", "DurationFormat",
		"WorkFormat", "EditableActualCosts", "HonorConstraints", "EarnedValueMethod", "InsertedProjectsLikeSummary",
		"MultipleCriticalPaths", "NewTasksEffortDriven", "NewTasksEstimated", "SplitsInProgressTasks",
		"SpreadActualCost", "SpreadPercentComplete", "TaskUpdatesResource", "FiscalYearStart", "WeekStartDay",
		"MoveCompletedEndsBack", "MoveRemainingStartsBack", "MoveRemainingStartsForward", "MoveCompletedEndsForward",
		"BaselineForEarnedValue", "AutoAddNewResourcesAndTasks", "StatusDate", "CurrentDate",
		"MicrosoftProjectServerURL", "Autolink", "NewTaskStartDate", "DefaultTaskEVMethod",
		"ProjectExternallyEdited", "ExtendedCreationDate", "ActualsInSync", "RemoveFileProperties", "AdminProject",
		"OutlineCodes", "WBSMasks", "ExtendedAttributes", "Calendars", "Tasks", "Resources", "Assignments"},
	"Calendar":  {"UID", "Name", "IsBaseCalendar", "BaseCalendarUID", "WeekDays", "Exceptions", "WorkWeeks"},
	"WeekDay":   {"DayType", "DayWorking", "TimePeriod", "WorkingTimes"},
	"Exception": {"EnteredByOccurrences", "TimePeriod", "Occurrences", "Name", "Type", "Period", "DaysOfWeek", "MonthItem", "MonthPosition", "Month", "MonthDay", "DayWorking", "WorkingTimes"},
	"Task": {"UID", "ID", "Name", "Active", "Manual", "Type", "IsNull", "CreateDate", "Contact", "WBS", "WBSLevel",
		"OutlineNumber", "OutlineLevel", "Priority", "Start", "Finish", "Duration", "DurationFormat", "Work", "Stop",
		"Resume", "ResumeValid", "EffortDriven", "Recurring", "OverAllocated", "Estimated", "Milestone", "Summary",
		"Critical", "IsSubproject", "IsSubprojectReadOnly", "SubprojectName", "ExternalTask", "ExternalTaskProject",
		"EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "StartVariance", "FinishVariance", "WorkVariance",
		"FreeSlack", "TotalSlack", "FixedCost", "FixedCostAccrual", "PercentComplete", "PercentWorkComplete", "Cost",
		"OvertimeCost", "OvertimeWork", "ActualStart", "ActualFinish", "ActualDuration", "ActualCost",
		"ActualOvertimeCost", "ActualWork", "ActualOvertimeWork", "RegularWork", "RemainingDuration", "RemainingCost",
		"RemainingWork", "RemainingOvertimeCost", "RemainingOvertimeWork", "ACWP", "CV", "ConstraintType",
		"CalendarUID", "ConstraintDate", "Deadline", "LevelAssignments", "LevelingCanSplit", "LevelingDelay",
		"LevelingDelayFormat", "PreLeveledStart", "PreLeveledFinish", "Hyperlink", "HyperlinkAddress",
		"HyperlinkSubAddress", "IgnoreResourceCalendar", "Notes", "HideBar", "Rollup", "BCWS", "BCWP",
		"PhysicalPercentComplete", "EarnedValueMethod", "PredecessorLink", "ActualWorkProtected",
		"ActualOvertimeWorkProtected", "IsPublished", "StatusManager", "CommitmentStart",
		"CommitmentFinish", "CommitmentType", "Baseline", "ExtendedAttribute", "OutlineCode", "TimephasedData"},
	"PredecessorLink": {"PredecessorUID", "Type", "CrossProject", "CrossProjectName", "LinkLag", "LagFormat"},
	"Baseline":        {"TimephasedData", "Number", "Interim", "Start", "Finish", "Duration", "DurationFormat", "EstimatedDuration", "Work", "Cost", "BCWS", "BCWP", "FixedCost"},
	"Resource": {"UID", "ID", "Name", "Type", "IsNull", "Initials", "Phonetics", "NTAccount", "MaterialLabel", "Code",
		"Group", "WorkGroup", "EmailAddress", "Hyperlink", "HyperlinkAddress", "HyperlinkSubAddress", "MaxUnits",
		"PeakUnits", "OverAllocated", "AvailableFrom", "AvailableTo", "Start", "Finish", "CanLevel", "AccrueAt",
		"Work", "RegularWork", "OvertimeWork", "ActualWork", "RemainingWork", "ActualOvertimeWork",
		"RemainingOvertimeWork", "PercentWorkComplete", "StandardRate", "StandardRateFormat", "Cost", "OvertimeRate",
		"OvertimeRateFormat", "OvertimeCost", "CostPerUse", "ActualCost", "ActualOvertimeCost", "RemainingCost",
		"RemainingOvertimeCost", "WorkVariance", "CostVariance", "SV", "CV", "ACWP", "CalendarUID", "Notes", "BCWS",
		"BCWP", "IsGeneric", "IsInactive", "IsEnterprise", "BookingType", "ActualWorkProtected",
		"ActualOvertimeWorkProtected", "ActiveDirectoryGUID", "CreationDate", "ExtendedAttribute", "Baseline",
		"OutlineCode", "IsCostResource"},
	"Assignment": {"UID", "TaskUID", "ResourceUID", "PercentWorkComplete", "ActualCost", "ActualFinish",
		"ActualOvertimeCost", "ActualOvertimeWork", "ActualStart", "ActualWork", "ACWP", "Confirmed", "Cost",
		"CostRateTable", "CostVariance", "CV", "Delay", "Finish", "FinishVariance", "Hyperlink", "HyperlinkAddress",
		"HyperlinkSubAddress", "WorkVariance", "HasFixedRateUnits", "FixedMaterial", "LevelingDelay",
		"LevelingDelayFormat", "LinkedFields", "Milestone", "Notes", "OverAllocated", "OvertimeCost", "OvertimeWork",
		"RegularWork", "RemainingCost", "RemainingOvertimeCost", "RemainingOvertimeWork", "RemainingWork",
		"ResponsePending", "Start", "Stop", "Resume", "StartVariance", "Summary", "SV", "Units", "UpdateNeeded", "VAC",
		"Work", "WorkContour", "BCWS", "BCWP", "BookingType", "ActualWorkProtected", "ActualOvertimeWorkProtected",
		"CreationDate", "AssnOwner", "AssnOwnerGuid", "BudgetCost", "BudgetWork", "ExtendedAttribute", "Baseline",
		"TimephasedData"},
}

// uncertain lists children whose place MS Project's own files contradict
// in the transcribed tables, or leave open: a task's ExtendedAttribute and
// OutlineCode (after or before Baseline: no sample file has both), MS
// Project 2007 writes a resource's IsCostResource before its
// ExtendedAttribute and OutlineCode, and MS Project 2016 writes a yearly
// exception's Month before MonthItem. The cross-check with the sample files
// skips them, and the writer must not emit them.
var uncertain = map[string][]string{
	"Task":      {"ExtendedAttribute", "OutlineCode"},
	"Resource":  {"ExtendedAttribute", "Baseline", "OutlineCode", "IsCostResource"},
	"Exception": {"MonthItem", "MonthPosition", "Month"},
}

// orderErrors walks an MSPDI document and describes every child of an
// element of schemaOrder that comes out of the schema's order or, when
// strict (for our own files), is not in the schema at all or is uncertain;
// otherwise uncertain children are skipped. checked counts the children found in
// the table. A Baseline outside a Task is another type and is not checked.
func orderErrors(doc []byte, strict bool) (errs []string, checked int, err error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	type frame struct {
		name string
		last int // index in the table of the last child seen
	}
	var stack []frame
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return errs, checked, nil
		}
		if err != nil {
			return errs, checked, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			name := e.Name.Local
			if len(stack) > 0 {
				p := &stack[len(stack)-1]
				if order, ok := schemaOrder[p.name]; ok {
					idx := indexOf(order, name)
					unsure := indexOf(uncertain[p.name], name) >= 0
					switch {
					case unsure && strict:
						errs = append(errs, fmt.Sprintf("<%s> inside <%s>: its place is uncertain", name, p.name))
					case unsure:
					case idx < 0 && strict:
						errs = append(errs, fmt.Sprintf("<%s> is not a child of <%s> in the schema", name, p.name))
					case idx >= 0 && idx < p.last:
						errs = append(errs, fmt.Sprintf("<%s> after <%s> inside <%s>: the schema puts it before", name, order[p.last], p.name))
					case idx >= 0:
						p.last = idx
						checked++
					}
				}
				if name == "Baseline" && p.name != "Task" {
					name = "Baseline of " + p.name
				}
			}
			stack = append(stack, frame{name: name})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// richExtras are baselines for richProject (two of A, 0 and 1 given out of
// order, one of the milestone) and a turtle contour on B's assignment of r.
func richExtras() *Extras {
	return &Extras{Baselines: map[string][]Baseline{
		"a": {{Number: "1", Start: "2024-02-26T08:00:00", Finish: "2024-02-27T17:00:00", Duration: "PT16H0M0S", DurationFormat: "7", Work: "PT0H0M0S"},
			{Number: "0", Start: "2024-03-04T08:00:00", Finish: "2024-03-05T17:00:00", Duration: "PT16H0M0S", DurationFormat: "7", Work: "PT0H0M0S"}},
		"m": {{Number: "0", Start: "2024-03-08T17:00:00", Finish: "2024-03-08T17:00:00", Duration: "PT0H0M0S", DurationFormat: "7"}},
	}, Contours: map[string]map[string]string{"b": {"r": "7"}}}
}

// richProject uses every element the writer can emit (with richExtras).
func richProject() *schedule.Project {
	mon := time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC)
	night := schedule.Calendar{ID: "night", Name: "Night"}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		night.Week[wd] = []schedule.Span{{From: 22 * 60, To: 24 * 60}}
	}
	std := schedule.StandardCalendar(mon.AddDate(0, 0, 4))
	std.Exceptions = append(std.Exceptions, schedule.Exception{From: mon.AddDate(0, 0, 5), To: mon.AddDate(0, 0, 5), Working: []schedule.Span{{From: 9 * 60, To: 12 * 60}}})
	// Vera's own calendar: the standard one without Fridays, and a week off.
	vera := std
	vera.ID, vera.Name = "vera", "Vera"
	vera.Week[time.Friday] = nil
	vera.Exceptions = append(slices.Clone(std.Exceptions), schedule.Exception{From: mon.AddDate(0, 0, 14), To: mon.AddDate(0, 0, 18)})
	return &schedule.Project{
		Name: "Rich", Start: mon, StatusDate: mon.AddDate(0, 0, 2), MinutesPerDay: 480,
		Calendars: []schedule.Calendar{std, night, vera},
		Resources: []schedule.Resource{{ID: "r", Name: "Rita", Capacity: 1, Calendar: "night"}, {ID: "s", Name: "Sam", Capacity: 2},
			{ID: "v", Name: "Vera", Capacity: 1, Calendar: "vera"}},
		Tasks: []schedule.Task{
			{ID: "sum", Name: "Phase"},
			{ID: "a", Name: "A", Parent: "sum", Duration: 960, ActualStart: mon, PercentComplete: 25, Deadline: mon.AddDate(0, 0, 10)},
			{ID: "b", Name: "B", Parent: "sum", Duration: 480, Constraint: schedule.SNET, ConstraintDate: mon.AddDate(0, 0, 1), Calendar: "night",
				IgnoreResourceCalendar: true, Demands: []schedule.Demand{{Resource: "r", Units: 1, Work: 480}, {Resource: "s", Units: 0.5}}},
			{ID: "d", Name: "D", Parent: "sum", Duration: 480, Demands: []schedule.Demand{{Resource: "v", Units: 1}}},
			{ID: "c", Name: "C", Duration: 2880, Elapsed: true},
			{ID: "m", Name: "Done", Milestone: true},
		},
		Links: []schedule.Link{{From: "a", To: "b", Type: schedule.SS, Lag: 240}, {From: "b", To: "c", LagPercent: 50}, {From: "sum", To: "m"}, {From: "c", To: "m", Type: schedule.FF, Lag: -60}},
	}
}

func TestWriteFollowsSchemaOrder(t *testing.T) {
	p := richProject()
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteExtras(&buf, p, r, richExtras()); err != nil {
		t.Fatal(err)
	}
	errs, n, err := orderErrors(buf.Bytes(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Error(e)
	}
	if n < 100 {
		t.Errorf("only %d elements checked: the walk missed the document", n)
	}
	for _, el := range []string{"<IgnoreResourceCalendar>", "<PredecessorLink>", "<Exception>", "<Assignment>", "<Work>", "<Deadline>", "<ActualStart>", "<ConstraintDate>", "<StatusDate>", "<Baseline>", "<IsBaseCalendar>0</IsBaseCalendar>", "<WorkContour>"} {
		if !bytes.Contains(buf.Bytes(), []byte(el)) {
			t.Errorf("the rich project did not make the writer emit %s", el)
		}
	}
}

// The transcribed table agrees with the order in which real MS Project
// versions (2003 to 2019) saved the sample files: a check of the
// transcription, on the elements of the table only.
func TestSchemaOrderAgainstMSProjectFiles(t *testing.T) {
	total := 0
	files := sampleFiles(t)
	for _, sf := range files {
		name, doc := sf.name, sf.doc
		errs, n, err := orderErrors(doc, false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, e := range errs {
			t.Errorf("%s: %s", name, e)
		}
		total += n
	}
	if total == 0 {
		t.Fatal("no element checked")
	}
	t.Logf("%d child elements in schema order in %d files", total, len(files))
}

func TestOrderErrorsCatchesSwaps(t *testing.T) {
	const ns = `<Project xmlns="http://schemas.microsoft.com/project">`
	for _, doc := range []string{
		ns + `<Tasks><Task><Name>x</Name><UID>1</UID></Task></Tasks></Project>`,
		ns + `<Tasks><Task><UID>1</UID><PredecessorLink><PredecessorUID>2</PredecessorUID></PredecessorLink><Deadline>2024-03-04T08:00:00</Deadline></Task></Tasks></Project>`,
		ns + `<Tasks/><Calendars/></Project>`,
		ns + `<Assignments><Assignment><UID>1</UID><Start>2024-03-04T08:00:00</Start><Finish>2024-03-04T08:00:00</Finish></Assignment></Assignments></Project>`,
		ns + `<Tasks><Task><UID>1</UID><Colour>red</Colour></Task></Tasks></Project>`,
	} {
		if errs, _, err := orderErrors([]byte(doc), true); err != nil || len(errs) == 0 {
			t.Errorf("no error reported for %s (%v)", doc, err)
		}
	}
}

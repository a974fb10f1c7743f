package mspdi

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Check reports, one line each, where an MSPDI document breaks the rules
// that MS Project is known to enforce when it opens a file beyond the XML
// schema's element order (which TestWriteFollowsSchemaOrder checks): every
// element in MSPDI's namespace; a numeric SaveVersion (when there is one); numeric UIDs, unique
// among the calendars, tasks, resources and assignments; task IDs unique;
// OutlineNumber and OutlineLevel agreeing with each other and with the task
// order (each number follows its predecessor in the outline), and Summary
// set exactly on tasks with children; durations and work as PT#H#M#S; dates
// as 2006-01-02T15:04:05 without a zone; times of day as 15:04:05;
// references that exist (the project's, tasks', resources' (but the null
// resource UID 0's, as MS Project writes it) and derived
// calendars' CalendarUID/BaseCalendarUID, a derived calendar's base being
// a base calendar, PredecessorUID, an assignment's TaskUID and
// ResourceUID); flags 0 or 1; and codes in their ranges (ConstraintType,
// link Type, DayType, baseline Number, PercentComplete). An empty result
// means none of these were found; it does not prove MS Project opens the
// file.
func Check(doc []byte) []string {
	root, err := parseTree(doc)
	if err != nil {
		return []string{"not well-formed XML: " + err.Error()}
	}
	c := &checker{}
	c.run(root)
	return c.problems
}

// node is an element of a parsed document.
type node struct {
	name xml.Name
	// text is all the character data directly inside the element, the
	// white space between its children too: bytes appended, because a
	// string grown by += copies itself each time, which made Check
	// quadratic in the number of children (a calendar with 18,000
	// exceptions took seconds).
	text     []byte
	children []*node
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name.Local == name {
			return c
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name.Local == name {
			out = append(out, c)
		}
	}
	return out
}

// value is the trimmed text of the named child, and whether it is there.
func (n *node) value(name string) (string, bool) {
	c := n.child(name)
	if c == nil {
		return "", false
	}
	return strings.TrimSpace(string(c.text)), true
}

func parseTree(doc []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			n := &node{name: e.Name}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text = append(stack[len(stack)-1].text, e...)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

var (
	reDuration = regexp.MustCompile(`^-?PT\d+H\d+M\d+(\.\d+)?S$`)
	reDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)
	reClock    = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}$`)
	reInt      = regexp.MustCompile(`^-?\d+$`)
)

// Element names whose text has one format, wherever they occur.
var (
	durationElems = set("Duration", "Work", "RemainingDuration", "ActualDuration", "ActualWork", "RemainingWork",
		"RegularWork", "OvertimeWork", "ActualOvertimeWork", "RemainingOvertimeWork")
	dateElems = set("StartDate", "FinishDate", "StatusDate", "CurrentDate", "CreationDate", "LastSaved", "Start",
		"Finish", "EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "ActualStart", "ActualFinish",
		"ConstraintDate", "Deadline", "FromDate", "ToDate", "Stop", "Resume", "CreateDate")
	clockElems = set("DefaultStartTime", "DefaultFinishTime", "FromTime", "ToTime")
	flagElems  = set("ScheduleFromStart", "IsBaseCalendar", "DayWorking", "EnteredByOccurrences", "Active", "Manual",
		"IsNull", "Estimated", "Milestone", "Summary", "Critical", "IgnoreResourceCalendar", "CrossProject",
		"Interim", "EffortDriven", "Recurring", "OverAllocated", "HideBar", "Rollup", "IsGeneric", "IsInactive")
	intElems = set("MinutesPerDay", "MinutesPerWeek", "DaysPerMonth", "CriticalSlackLimit", "OutlineLevel",
		"Priority", "DurationFormat", "FreeSlack", "TotalSlack", "LinkLag", "LagFormat", "Occurrences", "Type")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

type checker struct {
	problems []string
}

func (c *checker) add(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// formats checks the namespace and the text format of n and everything
// under it; where says where n is.
func (c *checker) formats(n *node, where string) {
	if n.name.Space != Namespace {
		c.add("%s: <%s> is in namespace %q, not %q", where, n.name.Local, n.name.Space, Namespace)
	}
	if len(n.children) == 0 {
		v := strings.TrimSpace(string(n.text))
		name := n.name.Local
		switch {
		case durationElems[name] && !reDuration.MatchString(v):
			c.add("%s: %s %q is not a duration PT#H#M#S", where, name, v)
		case dateElems[name] && !reDate.MatchString(v):
			c.add("%s: %s %q is not a date-time 2006-01-02T15:04:05 without a zone", where, name, v)
		case clockElems[name] && !reClock.MatchString(v):
			c.add("%s: %s %q is not a time of day 15:04:05", where, name, v)
		case flagElems[name] && v != "0" && v != "1":
			c.add("%s: %s %q is not 0 or 1", where, name, v)
		case intElems[name] && !reInt.MatchString(v):
			c.add("%s: %s %q is not an integer", where, name, v)
		}
	}
	for _, k := range n.children {
		w := where
		if uid, ok := k.value("UID"); ok {
			w = where + " > " + k.name.Local + " UID " + uid
		}
		c.formats(k, w)
	}
}

// uids collects the UIDs of the elements of a list, reporting missing,
// non-numeric (or, unless negative is true, negative) and repeated ones.
func (c *checker) uids(list []*node, kind string) map[string]*node {
	out := make(map[string]*node, len(list))
	for i, n := range list {
		uid, ok := n.value("UID")
		if !ok {
			c.add("%s #%d: no UID", kind, i+1)
			continue
		}
		if v, err := strconv.Atoi(uid); err != nil || v < 0 {
			c.add("%s UID %q: not a number >= 0", kind, uid)
		}
		if out[uid] != nil {
			c.add("%s UID %s: used twice", kind, uid)
		}
		out[uid] = n
	}
	return out
}

// intIn reports whether s is an integer in lo..hi.
func intIn(s string, lo, hi int) bool {
	v, err := strconv.Atoi(s)
	return err == nil && v >= lo && v <= hi
}

func (c *checker) run(root *node) {
	if root.name.Local != "Project" || root.name.Space != Namespace {
		c.add(`the root element is <%s xmlns=%q>, not <Project xmlns=%q>`, root.name.Local, root.name.Space, Namespace)
	}
	c.formats(root, "Project")
	// MS Project 2003 and 2007 files have no SaveVersion; later ones do.
	if v, ok := root.value("SaveVersion"); ok && !intIn(v, 9, 99) {
		c.add("Project: SaveVersion %q is not a version number", v)
	}
	if _, ok := root.value("StartDate"); !ok {
		c.add("Project: no StartDate")
	}
	list := func(outer, inner string) []*node {
		if o := root.child(outer); o != nil {
			return o.all(inner)
		}
		return nil
	}
	cals := c.uids(list("Calendars", "Calendar"), "Calendar")
	tasks := c.uids(list("Tasks", "Task"), "Task")
	res := c.uids(list("Resources", "Resource"), "Resource")
	c.uids(list("Assignments", "Assignment"), "Assignment")

	isBase := func(uid string) bool {
		n := cals[uid]
		if n == nil {
			return false
		}
		v, _ := n.value("IsBaseCalendar")
		return v == "1"
	}
	if uid, ok := root.value("CalendarUID"); ok && !isBase(uid) {
		c.add("Project: CalendarUID %s is not a base calendar of the file", uid)
	}
	for uid, n := range cals {
		where := "Calendar UID " + uid
		base, _ := n.value("BaseCalendarUID")
		if v, _ := n.value("IsBaseCalendar"); v == "0" {
			if base == uid || !isBase(base) {
				c.add("%s: derived from BaseCalendarUID %q, which is not a base calendar of the file", where, base)
			}
		}
		if wds := n.child("WeekDays"); wds != nil {
			seen := map[string]bool{}
			for _, wd := range wds.all("WeekDay") {
				dt, _ := wd.value("DayType")
				if !intIn(dt, 0, 7) {
					c.add("%s: DayType %q is not 0..7", where, dt)
				}
				if dt != "0" && seen[dt] {
					c.add("%s: DayType %s given twice", where, dt)
				}
				seen[dt] = true
			}
		}
	}

	// Tasks: outline numbers, levels, summaries, calendars, links, baselines.
	ids := map[string]bool{}
	var prevNum []int
	// A file whose project summary is numbered "1.0" (as some MS Project
	// files of inserted projects are) prefixes every number with "1.":
	// offset is the number of such leading parts, the same for all tasks.
	offset := -1
	var taskList = list("Tasks", "Task")
	for i, n := range taskList {
		uid, _ := n.value("UID")
		where := "Task UID " + uid
		if id, ok := n.value("ID"); ok {
			if !intIn(id, 0, 1<<30) || ids[id] {
				c.add("%s: ID %q is not a number or is used twice", where, id)
			}
			ids[id] = true
		}
		lv, _ := n.value("OutlineLevel")
		level, err := strconv.Atoi(lv)
		if err != nil || level < 0 {
			c.add("%s: OutlineLevel %q is not a level", where, lv)
			continue
		}
		on, hasNum := n.value("OutlineNumber")
		if !hasNum && level > 0 {
			c.add("%s: no OutlineNumber", where) // GNOME Planner's import nests tasks by it
		}
		if hasNum && level > 0 {
			num, ok := outlineNumber(on)
			if ok && offset < 0 {
				offset = len(num) - level
			}
			switch {
			case !ok:
				c.add("%s: OutlineNumber %q is not numbers joined by dots", where, on)
			case len(num) != level+offset:
				c.add("%s: OutlineNumber %s does not have OutlineLevel %d parts", where, on, level)
			case !followsInOutline(prevNum, num[offset:]):
				c.add("%s: OutlineNumber %s does not follow %s", where, on, joinOutline(prevNum))
			}
			if ok && len(num) == level+offset {
				prevNum = num[offset:]
			}
		}
		if s, ok := n.value("Summary"); ok && level > 0 {
			hasKids := false
			if i+1 < len(taskList) {
				nl, _ := taskList[i+1].value("OutlineLevel")
				next, _ := strconv.Atoi(nl)
				hasKids = next > level
			}
			if (s == "1") != hasKids {
				c.add("%s: Summary %s, but the task has %d children", where, s, map[bool]int{false: 0, true: 1}[hasKids])
			}
		}
		if cu, ok := n.value("CalendarUID"); ok && cu != "-1" && !isBase(cu) {
			c.add("%s: CalendarUID %s is not a base calendar of the file", where, cu)
		}
		if ct, ok := n.value("ConstraintType"); ok {
			if !intIn(ct, 0, 7) {
				c.add("%s: ConstraintType %q is not 0..7", where, ct)
			} else if _, has := n.value("ConstraintDate"); ct != "0" && ct != "1" && !has {
				c.add("%s: ConstraintType %s without a ConstraintDate", where, ct)
			}
		}
		if pc, ok := n.value("PercentComplete"); ok && !intIn(pc, 0, 100) {
			c.add("%s: PercentComplete %q is not 0..100", where, pc)
		}
		for _, l := range n.all("PredecessorLink") {
			pu, _ := l.value("PredecessorUID")
			if cp, _ := l.value("CrossProject"); cp != "1" && tasks[pu] == nil {
				c.add("%s: PredecessorUID %q is not a task of the file", where, pu)
			}
			if ty, ok := l.value("Type"); ok && !intIn(ty, 0, 3) {
				c.add("%s: link Type %q is not 0..3", where, ty)
			}
		}
		numbers := map[string]bool{}
		for _, b := range n.all("Baseline") {
			num, _ := b.value("Number")
			if !intIn(num, 0, 10) || numbers[num] {
				c.add("%s: Baseline Number %q is not 0..10 or is given twice", where, num)
			}
			numbers[num] = true
		}
	}
	for uid, n := range res {
		// MS Project gives its null resource (UID 0) a calendar UID that
		// is not in the file.
		if cu, ok := n.value("CalendarUID"); ok && cals[cu] == nil && uid != "0" {
			c.add("Resource UID %s: CalendarUID %s is not a calendar of the file", uid, cu)
		}
	}
	for _, a := range list("Assignments", "Assignment") {
		uid, _ := a.value("UID")
		tu, _ := a.value("TaskUID")
		ru, _ := a.value("ResourceUID")
		if tasks[tu] == nil {
			c.add("Assignment UID %s: TaskUID %q is not a task of the file", uid, tu)
		}
		if res[ru] == nil && ru != "-65535" { // MS Project's "unassigned"
			c.add("Assignment UID %s: ResourceUID %q is not a resource of the file", uid, ru)
		}
	}
}

func outlineNumber(s string) ([]int, bool) {
	parts := strings.Split(s, ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strconv.Itoa(v) != p {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func joinOutline(n []int) string {
	if len(n) == 0 {
		return "the start"
	}
	s := make([]string, len(n))
	for i, v := range n {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ".")
}

// followsInOutline reports whether next may come right after prev in
// outline order: its first child (prev.1), its next sibling, or the next
// sibling of one of its ancestors.
func followsInOutline(prev, next []int) bool {
	if len(prev) == 0 {
		return len(next) == 1 && next[0] == 1
	}
	if len(next) == len(prev)+1 {
		return next[len(next)-1] == 1 && equalInts(prev, next[:len(prev)])
	}
	if len(next) > len(prev) || len(next) == 0 {
		return false
	}
	k := len(next) - 1
	return equalInts(prev[:k], next[:k]) && next[k] == prev[k]+1
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

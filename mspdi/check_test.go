package mspdi

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem/schedule"
)

// MS Project's own files pass the checks, so that they ask nothing MS
// Project does not do itself (files it saved: ../shared/data/mspdi).
func TestCheckAcceptsMSProjectFiles(t *testing.T) {
	for _, sf := range sampleFiles(t) {
		for _, p := range Check(sf.doc) {
			t.Errorf("%s: %s", sf.name, p)
		}
	}
}

// writeRich writes richProject with its baselines.
func writeRich(t *testing.T) []byte {
	t.Helper()
	p := richProject()
	r, err := schedule.Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteExtras(&buf, p, r, richExtras()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every file the writer produces passes Check: the rich project (every
// element the writer emits, baselines and derived resource calendars
// included) and every sample file read, scheduled and written again with
// its baselines. The app's export is checked in internal/projectplan.
func TestWrittenFileIsWellFormedMSPDI(t *testing.T) {
	docs := map[string][]byte{"rich": writeRich(t)}
	if dir := sampleDirIfPresent(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
		for _, path := range files {
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, p, r := readSchedule(t, doc)
			var buf bytes.Buffer
			if err := WriteExtras(&buf, p, r, &Extras{Baselines: f.Baselines(), Contours: f.Contours()}); err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(path)] = buf.Bytes()
		}
	}
	for name, doc := range docs {
		for _, p := range Check(doc) {
			t.Errorf("%s: %s", name, p)
		}
		if !bytes.Contains(doc, []byte(`<Project xmlns="http://schemas.microsoft.com/project">`)) || !bytes.Contains(doc, []byte("<SaveVersion>14</SaveVersion>")) {
			t.Errorf("%s: no MSPDI root or SaveVersion", name)
		}
	}
	t.Logf("%d written files checked", len(docs))
}

// Each rule of Check finds a file that breaks it: a good written file with
// one change.
func TestCheckCatchesBrokenFiles(t *testing.T) {
	good := string(writeRich(t))
	if ps := Check([]byte(good)); len(ps) != 0 {
		t.Fatalf("the good file has problems: %v", ps)
	}
	for _, tt := range []struct {
		name, old, new, want string
	}{
		{"namespace", `xmlns="http://schemas.microsoft.com/project"`, `xmlns="urn:other"`, "namespace"},
		{"save version", "<SaveVersion>14</SaveVersion>", "<SaveVersion>fourteen</SaveVersion>", "SaveVersion"},
		{"task UID not numeric", "<UID>1</UID>\n      <ID>1</ID>", "<UID>x1</UID>\n      <ID>1</ID>", "not a number"},
		{"task UID twice", "<UID>2</UID>\n      <ID>2</ID>", "<UID>1</UID>\n      <ID>2</ID>", "used twice"},
		{"task ID twice", "<ID>2</ID>", "<ID>1</ID>", "ID \"1\""},
		{"outline level", "<OutlineNumber>1.1</OutlineNumber>\n      <OutlineLevel>2</OutlineLevel>", "<OutlineNumber>1.1</OutlineNumber>\n      <OutlineLevel>3</OutlineLevel>", "OutlineLevel 3"},
		{"no outline number", "<OutlineNumber>1.2</OutlineNumber>", "", "no OutlineNumber"},
		{"outline gap", "<OutlineNumber>1.2</OutlineNumber>", "<OutlineNumber>1.3</OutlineNumber>", "does not follow"},
		{"summary flag", "<Summary>1</Summary>", "<Summary>0</Summary>", "Summary 0"},
		{"duration format", "<Duration>PT16H0M0S</Duration>", "<Duration>2d</Duration>", "PT#H#M#S"},
		{"date with zone", "<Start>2024-03-04T08:00:00</Start>", "<Start>2024-03-04T08:00:00Z</Start>", "without a zone"},
		{"time of day", "<FromTime>08:00:00</FromTime>", "<FromTime>8am</FromTime>", "time of day"},
		{"boolean", "<Milestone>0</Milestone>", "<Milestone>false</Milestone>", "not 0 or 1"},
		{"project calendar", "<CalendarUID>1</CalendarUID>\n  <DefaultStartTime>", "<CalendarUID>99</CalendarUID>\n  <DefaultStartTime>", "Project: CalendarUID 99"},
		{"task calendar", "<CalendarUID>2</CalendarUID>", "<CalendarUID>98</CalendarUID>", "CalendarUID 98"},
		{"resource calendar", "<MaxUnits>1</MaxUnits>\n      <CalendarUID>", "<MaxUnits>1</MaxUnits>\n      <CalendarUID>7", "is not a calendar"},
		{"derived base", "<BaseCalendarUID>1</BaseCalendarUID>", "<BaseCalendarUID>42</BaseCalendarUID>", "not a base calendar"},
		{"predecessor", "<PredecessorUID>1</PredecessorUID>", "<PredecessorUID>77</PredecessorUID>", "PredecessorUID"},
		{"assignment task", "<TaskUID>3</TaskUID>", "<TaskUID>76</TaskUID>", "TaskUID"},
		{"assignment resource", "<ResourceUID>1</ResourceUID>", "<ResourceUID>75</ResourceUID>", "ResourceUID"},
		{"baseline number", "<Number>1</Number>", "<Number>11</Number>", "Baseline Number"},
		{"constraint", "<ConstraintType>4</ConstraintType>", "<ConstraintType>9</ConstraintType>", "ConstraintType"},
		{"not XML", "</Project>", "", "well-formed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(good, tt.old) {
				t.Fatalf("the good file has no %q", tt.old)
			}
			bad := strings.Replace(good, tt.old, tt.new, 1)
			ps := Check([]byte(bad))
			if !strings.Contains(strings.Join(ps, "\n"), tt.want) {
				t.Errorf("problems %q, want one mentioning %q", ps, tt.want)
			}
		})
	}
}

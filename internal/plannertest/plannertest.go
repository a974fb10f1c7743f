// Package plannertest runs another tool's import of our MS Project files in
// tests: GNOME Planner's msp2planner.xsl stylesheet, applied by xsltproc
// (docs/schedule-format.md says what this proves and what it does not).
package plannertest

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Task is a task of a GNOME Planner file (.planner), as msp2planner.xsl
// writes it.
type Task struct {
	ID    string `xml:"id,attr"`
	Name  string `xml:"name,attr"`
	Start string `xml:"start,attr"`
	End   string `xml:"end,attr"`
	Type  string `xml:"type,attr"`
	Preds []struct {
		PredID string `xml:"predecessor-id,attr"`
		Type   string `xml:"type,attr"`
		Lag    string `xml:"lag,attr"`
	} `xml:"predecessors>predecessor"`
	Tasks []Task `xml:"task"`
}

// File is what Planner reads of an MS Project file.
type File struct {
	Tasks       []Task `xml:"tasks>task"`
	Allocations []struct {
		TaskID     string `xml:"task-id,attr"`
		ResourceID string `xml:"resource-id,attr"`
	} `xml:"allocations>allocation"`
}

// Require skips t unless xsltproc and the stylesheet are installed: the
// stylesheet is $TANDEM_MSP2PLANNER, or where Debian's planner-data puts it.
// It returns the paths of both.
func Require(t testing.TB) (xsltproc, xsl string) {
	t.Helper()
	xsl = os.Getenv("TANDEM_MSP2PLANNER")
	if xsl == "" {
		xsl = "/usr/share/planner/stylesheets/msp2planner.xsl"
	}
	if _, err := os.Stat(xsl); err != nil {
		t.Skipf("GNOME Planner's msp2planner.xsl not found (%v); set TANDEM_MSP2PLANNER", err)
	}
	xsltproc, err := exec.LookPath("xsltproc")
	if err != nil {
		t.Skip("xsltproc not installed")
	}
	return xsltproc, xsl
}

// Import returns what Planner reads of the MS Project XML file mspdi,
// skipping t as Require does.
func Import(t testing.TB, mspdi []byte) *File {
	t.Helper()
	xsltproc, xsl := Require(t)
	in := filepath.Join(t.TempDir(), "plan.xml")
	if err := os.WriteFile(in, mspdi, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xsltproc, xsl, in).Output()
	if err != nil {
		t.Fatalf("xsltproc: %v", err)
	}
	var f File
	if err := xml.Unmarshal(out, &f); err != nil {
		t.Fatalf("Planner file: %v", err)
	}
	return &f
}

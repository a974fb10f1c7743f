package http

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem"
)

// An MS Project import refuses a file over maxMSPDIBytes with 413 (API) or
// the import form's message, before parsing it, and a file whose calendars
// recur more than MS Project allows with 422 naming the calendar and the
// exception; neither leaves a project behind.
func TestMSPDIImportLimits(t *testing.T) {
	f := newPlanFixture(t)
	before, _, _ := f.store.FindProjects(t.Context(), f.ws.ID, tandem.ProjectFilter{})

	// A body one byte over the limit: a valid start, then character data.
	head := `<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Name>`
	big := append([]byte(head), bytes.Repeat([]byte("x"), maxMSPDIBytes+1-len(head))...)
	b, _ := f.do("POST", f.wsPrefix+"/projects/import", "application/xml", bytes.NewReader(big), nil, 413)
	if !bytes.Contains(b, []byte(fmt.Sprintf("larger than %d MiB", maxMSPDIBytes>>20))) || !bytes.Contains(b, []byte(`"too_large"`)) {
		t.Errorf("413 body = %s", b)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "plan.xml")
	fw.Write(big)
	mw.Close()
	html, _ := f.page("POST", "/w/"+f.ws.Slug+"/projects/import", mw.FormDataContentType(), bytes.NewReader(body.Bytes()), 422)
	if !bytes.Contains(html, []byte(fmt.Sprintf("larger than %d MiB", maxMSPDIBytes>>20))) {
		t.Errorf("the import form does not say the file is too large")
	}

	// Five exceptions every second day for 50 years on the project
	// calendar (9,134 dates each; MS Project stops at 999).
	var doc strings.Builder
	doc.WriteString(`<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2026-01-05T08:00:00</StartDate><CalendarUID>1</CalendarUID>` +
		`<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><Exceptions>`)
	for i := range 5 {
		fmt.Fprintf(&doc, `<Exception><TimePeriod><FromDate>2026-01-05T00:00:00</FromDate><ToDate>2076-01-05T23:59:00</ToDate></TimePeriod>`+
			`<Name>Stand-up %d</Name><Type>7</Type><Period>2</Period><DayWorking>0</DayWorking></Exception>`, i+1)
	}
	doc.WriteString(`</Exceptions></Calendar></Calendars><Tasks><Task><UID>1</UID><Name>Build</Name><Duration>PT8H0M0S</Duration></Task></Tasks></Project>`)
	b, _ = f.do("POST", f.wsPrefix+"/projects/import", "application/xml", strings.NewReader(doc.String()), nil, 422)
	for _, want := range []string{`Calendar UID 1 \"Standard\": Exception 1 \"Stand-up 1\"`, "dates from 2026-01-05 to 2076-01-0", "999 occurrences"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("422 body = %s; want it to mention %s", b, want)
		}
	}

	if after, _, _ := f.store.FindProjects(t.Context(), f.ws.ID, tandem.ProjectFilter{}); len(after) != len(before) {
		t.Errorf("refused imports left %d projects, want %d", len(after), len(before))
	}
}

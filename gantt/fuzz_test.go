package gantt

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
	"time"
)

// FuzzRender checks that any rows, labels and links give well-formed XML.
func FuzzRender(f *testing.F) {
	f.Add("Design & <build>", "a", "b", uint16(3), uint16(10), uint8(2), uint8(1), int8(40))
	f.Add("\x00\xff\"'", "", "x", uint16(0), uint16(0), uint8(0), uint8(9), int8(-5))
	f.Fuzz(func(t *testing.T, label, id1, id2 string, start, length uint16, typ, zoom uint8, progress int8) {
		base := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		s := base.AddDate(0, 0, int(start%2000))
		c := &Chart{Title: label, Zoom: Zoom(zoom % 4), Today: base.AddDate(0, 0, 30), Rows: []Row{
			{ID: id1, Label: label, Start: s, Finish: s.AddDate(0, 0, int(length%400)), Progress: int(progress), Movable: true, Detail: label,
				BaselineStart: base, BaselineFinish: s},
			{ID: id2, Label: label + "2", Start: s.AddDate(0, 0, 3), Milestone: typ%2 == 0, Summary: typ%3 == 0, Level: int(typ % 5), Href: label},
			{ID: label, Label: id1},
		}, Links: []Link{{From: id1, To: id2, Type: []string{"FS", "SS", "FF", "SF", "??"}[typ%5], Critical: typ%2 == 1}, {From: id2, To: id1}}}
		var buf bytes.Buffer
		if err := Render(&buf, c); err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(&buf)
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
		}
	})
}

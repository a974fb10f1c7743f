package http

import (
	"net/url"
	"strings"
	"testing"
)

// A file whose headers Tandem cannot guess: the preview says which field
// lacks a column and offers every header of the file in each mapping
// select, so that the user maps the columns and imports.
func TestInsightImportUIMapsUnknownHeaders(t *testing.T) {
	e := newVoxEnv(t)
	csv := "Kommentar;Kanal;Kunde\nDie App stürzt beim Login ab;email;Ana\nZu hohe Gebühren;support;Ben\n"
	form := url.Values{"csv": {csv}, "action": {"preview"}, "currency": {"EUR"}, "source": {"csv"}}
	status, _, body := e.web.do("POST", "/w/acme/feedback/import", "application/x-www-form-urlencoded", form.Encode())
	page := string(body)
	if status != 200 || !strings.Contains(page, "choose the column that holds the feedback&#39;s text") {
		t.Fatalf("preview: %d %.2000s", status, page)
	}
	i := strings.Index(page, `<select id="map-text"`)
	if i < 0 {
		t.Fatalf("no select for the text field in\n%.3000s", page)
	}
	sel := page[i : i+strings.Index(page[i:], "</select>")]
	for _, h := range []string{"Kommentar", "Kanal", "Kunde"} {
		if !strings.Contains(sel, `<option value="`+h+`">`) {
			t.Errorf("the text field's select does not offer column %q: %s", h, sel)
		}
	}
	form = url.Values{"csv": {csv}, "action": {"import"}, "mapped": {"1"}, "map_text": {"Kommentar"}, "map_source": {"Kanal"}, "map_customer_name": {"Kunde"}}
	status, hdr, body := e.web.do("POST", "/w/acme/feedback/import", "application/x-www-form-urlencoded", form.Encode())
	if status != 303 || !strings.Contains(hdr.Get("Location"), "imported=2") {
		t.Fatalf("import: %d %s %.500s", status, hdr.Get("Location"), body)
	}
}

package insight

import (
	"strings"
	"testing"
	"time"
)

func TestReadCSV(t *testing.T) {
	in := "\ufeffid,feedback,created_at\n1,\"Export, please\",2026-01-02\n2,Crash on start,not a date\n"
	docs, err := ReadCSV(strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Text != "Export, please" || docs[0].ID != "1" || !docs[0].Time.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) || !docs[1].Time.IsZero() {
		t.Errorf("docs = %+v", docs)
	}
	for _, c := range []struct {
		name, in string
		opt      ReadOptions
		want     string
	}{
		{"empty", "", ReadOptions{}, "line 1"},
		{"no text column", "a,b\n1,2\n", ReadOptions{}, "no text column"},
		{"missing named column", "text\nx\n", ReadOptions{TextColumn: "body"}, `no column "body"`},
		{"wrong field count", "text,x\na,b\nc\n", ReadOptions{}, "line 3"},
		{"bad quote", "text\n\"unterminated\nx\n", ReadOptions{}, "line "},
		{"bad time", "text,when\na,yesterday\n", ReadOptions{TimeColumn: "when"}, "line 2"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in), c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	docs, err = ReadCSV(strings.NewReader("only\nhello\n"), ReadOptions{})
	if err != nil || len(docs) != 1 || docs[0].Text != "hello" {
		t.Errorf("single column: %+v, %v", docs, err)
	}
}

func TestReadJSONL(t *testing.T) {
	in := `{"id": 7, "text": "Export please", "time": "2026-01-02T10:00:00Z"}` + "\n\n" + `{"text": "Crash", "extra": [1,2]}`
	docs, err := ReadJSONL(strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "7" || docs[0].Time.Hour() != 10 || docs[1].Text != "Crash" {
		t.Errorf("docs = %+v", docs)
	}
	for _, c := range []struct{ name, in, want string }{
		{"not json", "{\"text\": \"a\"}\nnope\n", "line 2: not a JSON object"},
		{"no text", `{"body2": "a"}`, `line 1: no "text" field`},
		{"text not string", `{"text": 5}`, `line 1: field "text" is not a string`},
	} {
		_, err := ReadJSONL(strings.NewReader(c.in), ReadOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("text,date\nhello,2026-01-01\n")
	f.Add("a\n\"b")
	f.Add("\ufefftext\n\xff\n")
	f.Fuzz(func(t *testing.T, s string) {
		docs, err := ReadCSV(strings.NewReader(s), ReadOptions{})
		if err != nil && docs != nil {
			t.Fatalf("error with docs")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "line ") {
			t.Fatalf("error does not name the line: %v", err)
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"text":"a","time":"2026-01-01"}`)
	f.Add("{}\n{\"text\":1}")
	f.Add("\xff")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := ReadJSONL(strings.NewReader(s), ReadOptions{})
		if err != nil && !strings.HasPrefix(err.Error(), "line ") {
			t.Fatalf("error does not name the line: %v", err)
		}
	})
}

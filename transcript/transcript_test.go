package transcript

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const sampleVTT = "\uFEFFWEBVTT - interview\r\nKind: captions\r\n\r\nNOTE exported by the recorder\r\nspans two lines\r\n\r\nSTYLE\r\n::cue { color: white }\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.500 align:start\r\n<v Interviewer>How do you pay your friends back?</v>\r\n\r\nq2\r\n00:01:05.250 --> 00:01:09.000\r\n<v.customer Dana Ortiz>Honestly, I use <i>another</i> app &amp; it's\r\nfaster.</v>\r\n\r\n01:02:03.000 --> 01:02:04.000\r\nDana Ortiz: Freezing my card took ages.\r\n"

func TestParseVTT(t *testing.T) {
	cues, err := ParseVTT(sampleVTT)
	if err != nil {
		t.Fatal(err)
	}
	want := []Cue{
		{Start: time.Second, End: 4500 * time.Millisecond, Timed: true, Speaker: "Interviewer", Text: "How do you pay your friends back?"},
		{Start: 65250 * time.Millisecond, End: 69 * time.Second, Timed: true, Speaker: "Dana Ortiz", Text: "Honestly, I use another app & it's faster."},
		{Start: time.Hour + 2*time.Minute + 3*time.Second, End: time.Hour + 2*time.Minute + 4*time.Second, Timed: true, Speaker: "Dana Ortiz", Text: "Freezing my card took ages."},
	}
	if len(cues) != len(want) {
		t.Fatalf("got %d cues, want %d: %+v", len(cues), len(want), cues)
	}
	for i := range want {
		if cues[i] != want[i] {
			t.Errorf("cue %d: got %+v, want %+v", i, cues[i], want[i])
		}
	}
	flat := Flatten(cues)
	wantFlat := "[00:01] Interviewer: How do you pay your friends back?\n[01:05] Dana Ortiz: Honestly, I use another app & it's faster.\n[1:02:03] Dana Ortiz: Freezing my card took ages.\n"
	if flat != wantFlat {
		t.Errorf("Flatten:\ngot  %q\nwant %q", flat, wantFlat)
	}
	if got := Speakers(cues); strings.Join(got, "|") != "Interviewer|Dana Ortiz" {
		t.Errorf("Speakers = %v", got)
	}
}

func TestParseSRT(t *testing.T) {
	in := "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hello!\n\n2\n00:00:02,500 --> 00:00:06,000\n<i>Customer:</i> The app crashes\nwhen I open statements.\n\n"
	cues, err := ParseSRT(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(cues) != 2 || cues[1].Speaker != "Customer" || cues[1].Text != "The app crashes when I open statements." || cues[1].Start != 2500*time.Millisecond {
		t.Fatalf("got %+v", cues)
	}
	if Detect(in) != FormatSRT {
		t.Errorf("Detect = %q, want srt", Detect(in))
	}
}

func TestParseText(t *testing.T) {
	in := "[00:05] Interviewer: What annoys you?\n\nCustomer: The fees.\nSo many fees, and at 9:30 each morning the app is slow.\n[1:00:00] Interviewer: Thanks.\n"
	cues, err := ParseText(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Cue{
		{Start: 5 * time.Second, End: 5 * time.Second, Timed: true, Speaker: "Interviewer", Text: "What annoys you?"},
		{Speaker: "Customer", Text: "The fees."},
		{Text: "So many fees, and at 9:30 each morning the app is slow."},
		{Start: time.Hour, End: time.Hour, Timed: true, Speaker: "Interviewer", Text: "Thanks."},
	}
	if len(cues) != len(want) {
		t.Fatalf("got %+v", cues)
	}
	for i := range want {
		if cues[i] != want[i] {
			t.Errorf("cue %d: got %+v, want %+v", i, cues[i], want[i])
		}
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, format, in string
		line             int
	}{
		{"vtt header", FormatVTT, "WEBVTTX\n", 1},
		{"vtt bad start", FormatVTT, "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nhi\n\n2\n0:01.000 --> 00:00:03.000\nho\n", 8},
		{"vtt end before start", FormatVTT, "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhi\n", 3},
		{"vtt missing blank", FormatVTT, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n00:00:02.000 --> 00:00:03.000\nho\n", 5},
		{"vtt no timing", FormatVTT, "WEBVTT\n\nlonely-id\n", 3},
		{"srt number", FormatSRT, "1\n00:00:01,000 --> 00:00:02,000\nhi\n\nabc\n00:00:01,000 --> 00:00:02,000\n", 5},
		{"srt bad end", FormatSRT, "\n\n1\n00:00:01,000 --> 00:00:99,000\nhi\n", 4},
		{"bad utf8", FormatText, "ok\nok\n\xff\n", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.format, tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("got line %d (%v), want %d", pe.Line, err, tc.line)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	for in, want := range map[string]string{
		"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi": FormatVTT,
		"\n12\n00:00:01,000 --> 00:00:02,000\nhi":     FormatSRT,
		"Interviewer: hello":                          FormatText,
		"":                                            FormatText,
	} {
		if got := Detect(in); got != want {
			t.Errorf("Detect(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitSpeaker(t *testing.T) {
	for in, want := range map[string]string{
		"Dana: hi":                       "Dana",
		"Dr Ana Lopez: hi":               "Dr Ana Lopez",
		"see https://example.com":        "",
		"Note, this: is not a name":      "",
		"It was 9:30":                    "",
		"one two three four five: words": "",
	} {
		if got, _ := splitSpeaker(in); got != want {
			t.Errorf("splitSpeaker(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkCues holds for the output of every parser.
func checkCues(t *testing.T, cues []Cue) {
	t.Helper()
	for i, c := range cues {
		if c.End < c.Start {
			t.Fatalf("cue %d ends before it starts: %+v", i, c)
		}
		if strings.ContainsAny(c.Text, "\n\r") || c.Text == "" {
			t.Fatalf("cue %d text is empty or has a line break: %q", i, c.Text)
		}
	}
	// What Flatten writes, ParseText reads back with the same texts.
	back, err := ParseText(Flatten(cues))
	if err != nil {
		t.Fatalf("ParseText(Flatten) failed: %v", err)
	}
	if len(back) != len(cues) {
		t.Fatalf("Flatten round trip: %d cues became %d", len(cues), len(back))
	}
}

func fuzzSeeds(f *testing.F) {
	f.Add(sampleVTT)
	f.Add("1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hello!\n")
	f.Add("[00:05] Interviewer: What annoys you?\nCustomer: fees")
	f.Add("WEBVTT\n\n<v a>b</v><c.x>y</c><00:00:01.000>z &amp;")
	f.Add("WEBVTT\n\n00:00.000 --> 00:01.000 line:0\n<")
}

func FuzzParseVTT(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		cues, err := ParseVTT(s)
		if err != nil {
			return
		}
		checkCues(t, cues)
	})
}

func FuzzParseSRT(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		cues, err := ParseSRT(s)
		if err != nil {
			return
		}
		checkCues(t, cues)
	})
}

func FuzzParseText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		cues, err := ParseText(s)
		if err != nil {
			return
		}
		checkCues(t, cues)
	})
}

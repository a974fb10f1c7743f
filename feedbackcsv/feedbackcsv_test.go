package feedbackcsv

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandem-pm/tandem"
)

var today = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

func TestReadGuessedMapping(t *testing.T) {
	in := "\uFEFFFeedback,Channel,Customer Name,Email,Company,Plan,ARR,Date,Tags\r\n" +
		"\"The app crashes, every time\",Zendesk,Ana Lopez,ANA@example.com,Lopez Household,Premium,\"€12,500\",2025-03-01,\"crash; android\"\r\n" +
		"Love the new dark mode,App Store,Ben,,,retail,,03/04/2025,ui\r\n" +
		"\r\n" +
		"Fees are too high,email,Cy,cy@example.com,Cy Ltd,business,1.2M,Mar 5 2025,\r\n"
	p, err := Read([]byte(in), Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	want := Mapping{FieldText: "Feedback", FieldSource: "Channel", FieldCustomerName: "Customer Name", FieldCustomerEmail: "Email",
		FieldAccount: "Company", FieldAccountTier: "Plan", FieldRevenue: "ARR", FieldReceivedOn: "Date", FieldTags: "Tags"}
	for f, h := range want {
		if p.Mapping[f] != h {
			t.Errorf("mapping[%s] = %q, want %q", f, p.Mapping[f], h)
		}
	}
	if len(p.Rows) != 3 || p.Valid != 3 || !p.OK() {
		t.Fatalf("got %d rows, %d valid", len(p.Rows), p.Valid)
	}
	a := p.Rows[0].Feedback
	if a.Text != "The app crashes, every time" || a.Source != tandem.SourceSupport || a.CustomerEmail != "ana@example.com" ||
		a.AccountTier != "premium" || a.AccountRevenue != (tandem.Money{Amount: 1_250_000, Currency: "EUR"}) ||
		a.ReceivedOn != (tandem.Date{Year: 2025, Month: 3, Day: 1}) || strings.Join(a.Tags, ",") != "crash,android" {
		t.Errorf("row 1: %+v", a)
	}
	b := p.Rows[1].Feedback
	if b.Source != tandem.SourceReview || b.Account != "Ben" || b.ReceivedOn != (tandem.Date{Year: 2025, Month: 4, Day: 3}) {
		t.Errorf("row 2: %+v", b)
	}
	if p.Rows[2].Line != 5 {
		t.Errorf("row 3 is on line %d, want 5 (blank lines count)", p.Rows[2].Line)
	}
	if c := p.Rows[2].Feedback; c.AccountRevenue.Amount != 120_000_000 || c.ReceivedOn.Day != 5 {
		t.Errorf("row 3: %+v", c)
	}
	if got := len(p.Feedback()); got != 3 {
		t.Errorf("Feedback() returned %d", got)
	}
}

func TestReadReportsEachRowsProblems(t *testing.T) {
	in := "text;source;revenue;when;mail\n" +
		"ok;support;100;2025-01-01;a@b.c\n" +
		";support;100;2025-01-01;\n" +
		"bad source;carrier pigeon;100;2025-01-01;\n" +
		"bad money;email;lots;31/02/2025;not-an-email\n" +
		"future;email;-5;2030-01-01;\n"
	m := Mapping{FieldText: "text", FieldSource: "source", FieldRevenue: "revenue", FieldReceivedOn: "when", FieldCustomerEmail: "mail"}
	p, err := Read([]byte(in), Options{Mapping: m, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if p.OK() || p.Valid != 1 || len(p.Rows) != 5 {
		t.Fatalf("OK=%v valid=%d rows=%d", p.OK(), p.Valid, len(p.Rows))
	}
	type key struct {
		line   int
		column string
	}
	got := map[key]string{}
	for _, pr := range p.Problems {
		got[key{pr.Line, pr.Column}] = pr.Message
	}
	for _, k := range []key{{3, "text"}, {4, "source"}, {5, "revenue"}, {5, "when"}, {5, "mail"}, {6, "revenue"}, {6, "when"}} {
		if got[k] == "" {
			t.Errorf("no problem reported at line %d, column %q; got %v", k.line, k.column, p.Problems)
		}
	}
	if len(p.Problems) != 7 {
		t.Errorf("got %d problems, want 7: %v", len(p.Problems), p.Problems)
	}
}

func TestReadMappingProblems(t *testing.T) {
	p, err := Read([]byte("a,b\nx,y\n"), Options{Mapping: Mapping{FieldTags: "c", "colour": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.OK() || len(p.Rows) != 0 || len(p.Problems) != 3 {
		t.Fatalf("got %v", p.Problems)
	}
	// A mapping that fails still lists the file's headers: the preview
	// offers them for choosing another mapping.
	if p, err := Read([]byte("\uFEFF Kommentar ;Kanal\nzu teuer;email\n"), Options{}); err != nil || p.OK() || !slices.Equal(p.Headers, []string{"Kommentar", "Kanal"}) {
		t.Errorf("headers of an unmapped file: %v %v", p, err)
	}
	for _, bad := range []string{"", "\xff\xfe", "\"unterminated\n"} {
		if bad == "\"unterminated\n" {
			continue // LazyQuotes accepts it as one field
		}
		if _, err := Read([]byte(bad), Options{}); err == nil {
			t.Errorf("Read(%q) succeeded", bad)
		}
	}
	if p, err := Read([]byte("text\n"), Options{}); err != nil || p.OK() || len(p.Problems) != 1 {
		t.Errorf("header only: %v %v", p, err)
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in       string
		amount   int64
		currency string
	}{
		{"1200", 120000, "EUR"},
		{"1,200", 120000, "EUR"},
		{"1,200.50", 120050, "EUR"},
		{"1.234.567,89", 123456789, "EUR"},
		{"1 234 567", 123456700, "EUR"},
		{"1200,5", 120050, "EUR"},
		{"$3,000", 300000, "USD"},
		{"£99.99", 9999, "GBP"},
		{"USD 12", 1200, "USD"},
		{"12 usd", 1200, "USD"},
		{"€1.2M", 120000000, "EUR"},
		{"250k", 25000000, "EUR"},
		{"¥5000", 5000, "JPY"},
		{"1'000'000 CHF", 100000000, "CHF"},
	} {
		m, err := ParseMoney(tc.in, "EUR")
		if err != nil || m.Amount != tc.amount || m.Currency != tc.currency {
			t.Errorf("ParseMoney(%q) = %+v, %v; want %d %s", tc.in, m, err, tc.amount, tc.currency)
		}
	}
	for _, bad := range []string{"lots", "-5", "(100)", "1e9", "k", "12..5x", "€", "99999999999999999999"} {
		if m, err := ParseMoney(bad, "EUR"); err == nil {
			t.Errorf("ParseMoney(%q) = %+v, want an error", bad, m)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"2025-01-31", false, "2025-01-31"},
		{"2025/01/31", false, "2025-01-31"},
		{"2025-01-31T23:30:00Z", false, "2025-01-31"},
		{"2025-01-31 08:00:00", false, "2025-01-31"},
		{"31/01/2025", false, "2025-01-31"},
		{"01/31/2025", false, "2025-01-31"},
		{"03/04/2025", false, "2025-04-03"},
		{"03/04/2025", true, "2025-03-04"},
		{"31.01.2025", false, "2025-01-31"},
		{"31-01-25", false, "2025-01-31"},
		{"3/4/2025 10:15", true, "2025-03-04"},
		{"31 Jan 2025", false, "2025-01-31"},
		{"January 31, 2025", false, "2025-01-31"},
		{"Jan 31 2025", false, "2025-01-31"},
	} {
		d, err := ParseDate(tc.in, tc.monthFirst)
		if err != nil || d.String() != tc.want {
			t.Errorf("ParseDate(%q, %v) = %v, %v; want %s", tc.in, tc.monthFirst, d, err, tc.want)
		}
	}
	for _, bad := range []string{"yesterday", "31/02/2025", "13/13/2025", "2025-13-01", ""} {
		if d, err := ParseDate(bad, false); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", bad, d)
		}
	}
}

func TestParseSourceAndTags(t *testing.T) {
	for in, want := range map[string]string{"Support": "support", "Google Play": "review", "ZENDESK": "support", "e-mail": "email", "Salesforce": "sales", "portal": "portal"} {
		if got, ok := ParseSource(in); !ok || got != want {
			t.Errorf("ParseSource(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseSource("fax"); ok {
		t.Error("ParseSource(fax) succeeded")
	}
	if got := strings.Join(ParseTags(" #Crash; android|crash , ,UI"), ","); got != "crash,android,ui" {
		t.Errorf("ParseTags = %q", got)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("text,date,revenue\nhello,2025-01-01,€1.2M\n")
	f.Add("a;b\n\"x;y\";z\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Read([]byte(s), Options{Today: today})
		if err != nil {
			return
		}
		for _, r := range p.Rows {
			if len(r.Problems) == 0 {
				if err := r.Feedback.Validate(); err != nil {
					t.Fatalf("row at line %d has no problems but does not validate: %v", r.Line, err)
				}
			}
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	f.Add("€1.234,56")
	f.Add("1.2M USD")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s, "EUR")
		if err == nil && (m.Amount < 0 || len(m.Currency) != 3) {
			t.Fatalf("ParseMoney(%q) = %+v", s, m)
		}
	})
}

// Package feedbackcsv reads customer feedback from CSV files exported by
// other tools (help desks, survey tools, spreadsheets). A Mapping names the
// column that holds each feedback field; Read checks every row and returns
// a preview with the problems of each row (line, column, what is wrong) so
// that a user can fix the file or the mapping before anything is stored.
package feedbackcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tandem-pm/tandem"
)

// Fields a column can be mapped to.
const (
	FieldText          = "text"
	FieldSource        = "source"
	FieldCustomerName  = "customer_name"
	FieldCustomerEmail = "customer_email"
	FieldAccount       = "account"
	FieldAccountTier   = "account_tier"
	FieldRevenue       = "account_revenue"
	FieldCurrency      = "currency"
	FieldReceivedOn    = "received_on"
	FieldTags          = "tags"
)

// Fields lists every mappable field, in the order a form shows them.
var Fields = []string{FieldText, FieldSource, FieldCustomerName, FieldCustomerEmail, FieldAccount,
	FieldAccountTier, FieldRevenue, FieldCurrency, FieldReceivedOn, FieldTags}

// Limits of one import.
const (
	MaxRows  = 50_000
	MaxBytes = 20 << 20
)

// Mapping maps a field to the header of the column that holds it. Fields
// left out are not imported; text is required.
type Mapping map[string]string

// Options control how cells are read.
type Options struct {
	Mapping Mapping
	// MonthFirst reads ambiguous dates like 03/04/2025 as March 4, as in
	// the US; by default they read as 3 April.
	MonthFirst bool
	// Currency applies to revenue cells that name none ("" = EUR).
	Currency string
	// Source applies to rows without a source cell ("" = csv).
	Source string
	// Today stands in for "today" when checking that dates are not in the
	// future (zero = time.Now()).
	Today time.Time
}

// Problem is one thing wrong with one cell or row.
type Problem struct {
	Line    int    `json:"line"`   // line of the file, the header being line 1
	Column  string `json:"column"` // header of the column, "" for the whole row
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("line %d, column %q: %s", p.Line, p.Column, p.Message)
}

// Row is one data row of the file and what it became.
type Row struct {
	Line     int              `json:"line"`
	Feedback *tandem.Feedback `json:"feedback"`
	Problems []Problem        `json:"problems"`
}

// Preview is the result of reading a file: every row, valid or not.
type Preview struct {
	Headers  []string  `json:"headers"`
	Mapping  Mapping   `json:"mapping"`
	Rows     []Row     `json:"rows"`
	Problems []Problem `json:"problems"` // of every row, in file order, then of the mapping
	Valid    int       `json:"valid"`    // rows without problems
}

// OK reports whether every row can be imported.
func (p *Preview) OK() bool { return len(p.Problems) == 0 && len(p.Rows) > 0 }

// Feedback returns the rows' feedback, for an import that is OK.
func (p *Preview) Feedback() []*tandem.Feedback {
	out := make([]*tandem.Feedback, 0, len(p.Rows))
	for _, r := range p.Rows {
		if r.Feedback != nil && len(r.Problems) == 0 {
			out = append(out, r.Feedback)
		}
	}
	return out
}

func newReader(data []byte) *csv.Reader {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // Excel writes a BOM
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return r
}

// sniffComma picks the delimiter that appears most on the header line:
// spreadsheets in much of Europe write semicolons.
func sniffComma(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func cleanHeaders(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}

// synonyms are header names, lowercased without spaces and punctuation,
// that Guess maps to each field.
var synonyms = map[string][]string{
	FieldText:          {"text", "feedback", "comment", "comments", "message", "body", "description", "review", "content", "verbatim", "note", "notes", "ticketdescription", "response", "answer"},
	FieldSource:        {"source", "channel", "origin", "via"},
	FieldCustomerName:  {"customer", "customername", "name", "contact", "contactname", "requester", "user", "username", "author", "fullname"},
	FieldCustomerEmail: {"email", "customeremail", "emailaddress", "mail", "requesteremail", "contactemail"},
	FieldAccount:       {"account", "accountname", "company", "organization", "organisation", "org", "household", "client"},
	FieldAccountTier:   {"tier", "accounttier", "plan", "segment", "level", "customertier"},
	FieldRevenue:       {"revenue", "accountrevenue", "arr", "mrr", "annualrevenue", "value", "accountvalue", "ltv"},
	FieldCurrency:      {"currency", "currencycode", "ccy"},
	FieldReceivedOn:    {"date", "receivedon", "received", "createdat", "created", "submitted", "submittedat", "timestamp", "datereceived", "createddate"},
	FieldTags:          {"tags", "tag", "labels", "label", "categories", "category", "topics"},
}

func normHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Guess proposes a mapping from the headers' names. Each column maps to at
// most one field.
func Guess(headers []string) Mapping {
	m := Mapping{}
	used := map[string]bool{}
	for _, f := range Fields {
		for _, syn := range synonyms[f] {
			for _, h := range headers {
				if !used[h] && normHeader(h) == syn {
					m[f] = h
					used[h] = true
					goto next
				}
			}
		}
	next:
	}
	return m
}

// Read reads a CSV file with a header line and checks every row. The error
// is for a file that cannot be read at all (not CSV, too large, no header);
// problems with rows and with the mapping are in the preview.
func Read(data []byte, opt Options) (*Preview, error) {
	if len(data) > MaxBytes {
		return nil, tandem.Errorf(tandem.ETooLarge, "The file is larger than %d MB.", MaxBytes>>20)
	}
	if !utf8.Valid(data) {
		return nil, tandem.Errorf(tandem.EInvalid, "The file is not UTF-8 text; save it as \"CSV UTF-8\".")
	}
	r := newReader(data)
	h, err := r.Read()
	if err == io.EOF {
		return nil, tandem.Errorf(tandem.EInvalid, "The file is empty.")
	} else if err != nil {
		return nil, tandem.Errorf(tandem.EInvalid, "The file is not valid CSV: %v.", csvError(err))
	}
	p := &Preview{Headers: cleanHeaders(h), Mapping: opt.Mapping, Rows: []Row{}, Problems: []Problem{}}
	if p.Mapping == nil {
		p.Mapping = Guess(p.Headers)
	}
	col := map[string]int{} // field → column index
	var mapProblems []Problem
	for _, f := range Fields {
		hdr, ok := p.Mapping[f]
		if !ok || hdr == "" {
			continue
		}
		i := slices.Index(p.Headers, hdr)
		if i < 0 {
			mapProblems = append(mapProblems, Problem{Line: 1, Column: hdr, Field: f, Message: fmt.Sprintf("no column is named %q", hdr)})
			continue
		}
		col[f] = i
	}
	for f := range p.Mapping {
		if !slices.Contains(Fields, f) {
			mapProblems = append(mapProblems, Problem{Line: 1, Field: f, Message: fmt.Sprintf("%q is not a feedback field; use one of %s", f, strings.Join(Fields, ", "))})
		}
	}
	if _, ok := col[FieldText]; !ok {
		mapProblems = append(mapProblems, Problem{Line: 1, Field: FieldText, Message: "choose the column that holds the feedback's text"})
	}
	if len(mapProblems) > 0 {
		p.Problems = mapProblems
		return p, nil
	}
	today := opt.Today
	if today.IsZero() {
		today = time.Now()
	}
	rd := rowReader{opt: opt, col: col, headers: p.Headers, maxDate: tandem.DateOf(today).AddDays(1)}
	for {
		line, _ := r.FieldPos(0)
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.Problems = append(p.Problems, Problem{Line: line, Message: fmt.Sprintf("not valid CSV: %v", csvError(err))})
			break
		}
		line, _ = r.FieldPos(0)
		if len(p.Rows) == MaxRows {
			return nil, tandem.Errorf(tandem.ETooLarge, "The file has more than %d rows; split it.", MaxRows)
		}
		if isBlank(rec) {
			continue
		}
		row := rd.read(line, rec)
		if len(row.Problems) == 0 {
			p.Valid++
		}
		p.Problems = append(p.Problems, row.Problems...)
		p.Rows = append(p.Rows, row)
	}
	if len(p.Rows) == 0 && len(p.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{Line: 2, Message: "the file has a header line but no rows"})
	}
	return p, nil
}

func isBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type rowReader struct {
	opt     Options
	col     map[string]int
	headers []string
	maxDate tandem.Date
}

func (rd *rowReader) read(line int, rec []string) Row {
	row := Row{Line: line, Problems: []Problem{}}
	cell := func(f string) (string, string, bool) {
		i, ok := rd.col[f]
		if !ok {
			return "", "", false
		}
		if i >= len(rec) {
			return "", rd.headers[i], true
		}
		return strings.TrimSpace(rec[i]), rd.headers[i], true
	}
	bad := func(f, column, format string, args ...any) {
		row.Problems = append(row.Problems, Problem{Line: line, Column: column, Field: f, Message: fmt.Sprintf(format, args...)})
	}
	fb := &tandem.Feedback{Source: tandem.SourceCSV, Tags: []string{}}
	if rd.opt.Source != "" {
		fb.Source = rd.opt.Source
	}
	text, textCol, _ := cell(FieldText)
	if text == "" {
		bad(FieldText, textCol, "the feedback's text is empty")
	}
	fb.Text = text
	if v, c, ok := cell(FieldSource); ok && v != "" {
		if s, ok := ParseSource(v); ok {
			fb.Source = s
		} else {
			bad(FieldSource, c, "%q is not a source; use one of %s", clip(v), strings.Join(tandem.FeedbackSources, ", "))
		}
	}
	fb.CustomerName, _, _ = cell(FieldCustomerName)
	if v, c, ok := cell(FieldCustomerEmail); ok && v != "" {
		if e := tandem.NormalizeEmail(v); !strings.Contains(e, "@") || strings.ContainsAny(e, " ,;") {
			bad(FieldCustomerEmail, c, "%q is not an email address", clip(v))
		} else {
			fb.CustomerEmail = e
		}
	}
	fb.Account, _, _ = cell(FieldAccount)
	if fb.Account == "" {
		fb.Account = fb.CustomerName // a retail customer is their own account
	}
	fb.AccountTier, _, _ = cell(FieldAccountTier)
	fb.AccountTier = strings.ToLower(fb.AccountTier)
	currency := strings.ToUpper(rd.opt.Currency)
	if currency == "" {
		currency = "EUR"
	}
	if v, c, ok := cell(FieldCurrency); ok && v != "" {
		if code, ok := currencyCode(v); ok {
			currency = code
		} else {
			bad(FieldCurrency, c, "%q is not a currency code like EUR", clip(v))
		}
	}
	if v, c, ok := cell(FieldRevenue); ok && v != "" {
		m, err := ParseMoney(v, currency)
		if err != nil {
			bad(FieldRevenue, c, "%v", err)
		} else {
			fb.AccountRevenue = m
		}
	}
	if v, c, ok := cell(FieldReceivedOn); ok && v != "" {
		d, err := ParseDate(v, rd.opt.MonthFirst)
		switch {
		case err != nil:
			bad(FieldReceivedOn, c, "%v", err)
		case rd.maxDate.Before(d):
			bad(FieldReceivedOn, c, "%s is in the future", d)
		default:
			fb.ReceivedOn = d
		}
	}
	if v, _, ok := cell(FieldTags); ok {
		fb.Tags = ParseTags(v)
	}
	fb.Defaults()
	if len(row.Problems) == 0 {
		if err := fb.Validate(); err != nil {
			var te *tandem.Error
			if errors.As(err, &te) && len(te.Fields) > 0 {
				for _, fe := range te.Fields {
					f := strings.SplitN(fe.Field, ".", 2)[0]
					_, c, _ := cell(f)
					bad(f, c, "%s", fe.Message)
				}
			} else {
				bad("", "", "%s", tandem.ErrorMessage(err))
			}
		}
	}
	row.Feedback = fb
	return row
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return string(r[:40]) + "…"
	}
	return s
}

var sourceSynonyms = map[string]string{
	"portal": tandem.SourcePortal, "ideas": tandem.SourcePortal, "web": tandem.SourcePortal, "website": tandem.SourcePortal, "inapp": tandem.SourcePortal, "app": tandem.SourcePortal,
	"csv": tandem.SourceCSV, "import": tandem.SourceCSV, "survey": tandem.SourceCSV, "nps": tandem.SourceCSV,
	"email": tandem.SourceEmail, "mail": tandem.SourceEmail, "e-mail": tandem.SourceEmail,
	"interview": tandem.SourceInterview, "call": tandem.SourceInterview, "research": tandem.SourceInterview,
	"support": tandem.SourceSupport, "ticket": tandem.SourceSupport, "helpdesk": tandem.SourceSupport, "zendesk": tandem.SourceSupport, "intercom": tandem.SourceSupport, "chat": tandem.SourceSupport, "phone": tandem.SourceSupport,
	"review": tandem.SourceReview, "appstore": tandem.SourceReview, "playstore": tandem.SourceReview, "googleplay": tandem.SourceReview, "trustpilot": tandem.SourceReview, "reviews": tandem.SourceReview,
	"sales": tandem.SourceSales, "crm": tandem.SourceSales, "salesforce": tandem.SourceSales, "hubspot": tandem.SourceSales,
}

// ParseSource maps a source cell to a feedback source, accepting the names
// of common tools ("Zendesk" is support, "App Store" a review).
func ParseSource(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(tandem.FeedbackSources, k) {
		return k, true
	}
	v, ok := sourceSynonyms[strings.NewReplacer(" ", "", "_", "", "-", "").Replace(k)]
	if !ok {
		v, ok = sourceSynonyms[k]
	}
	return v, ok
}

// ParseTags splits a cell on commas, semicolons or pipes; tags are trimmed,
// lowercased and deduplicated.
func ParseTags(s string) []string {
	out := []string{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		t = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

var dateLayouts = []string{
	time.DateOnly, "2006/01/02", "2006.01.02", "20060102",
	time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05.000Z",
	"2 Jan 2006", "02 Jan 2006", "2 January 2006", "Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "2-Jan-2006", "02-Jan-2006", "2-Jan-06",
	"Mon, 2 Jan 2006", "Monday, January 2, 2006", time.RFC1123, time.RFC1123Z, time.ANSIC,
}

// ParseDate reads a calendar date in the formats help desks and
// spreadsheets write: ISO 8601 (with or without a time), 31/01/2025,
// 31.01.2025, 01/31/2025 (monthFirst, or when the day is obviously second),
// "31 Jan 2025", "Jan 31, 2025". A date-time keeps its own calendar date.
func ParseDate(s string, monthFirst bool) (tandem.Date, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return tandem.DateOf(t), nil
		}
	}
	// Numeric day/month/year with / . or - and a two- or four-digit year,
	// perhaps followed by a time.
	d := s
	if i := strings.IndexAny(d, " T"); i > 0 {
		d = d[:i]
	}
	parts := strings.FieldsFunc(d, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) == 3 && allDigits(parts) && len(parts[0]) <= 2 && len(parts[1]) <= 2 && (len(parts[2]) == 4 || len(parts[2]) == 2) {
		a, _ := strconv.Atoi(parts[0])
		b, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		}
		day, month := a, b
		if monthFirst {
			day, month = b, a
		}
		if month > 12 && day <= 12 {
			day, month = month, day // 01/31/2025 can only be January 31
		}
		t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		if month >= 1 && month <= 12 && t.Day() == day && t.Month() == time.Month(month) {
			return tandem.Date{Year: y, Month: month, Day: day}, nil
		}
		return tandem.Date{}, fmt.Errorf("%q is not a real date", s)
	}
	return tandem.Date{}, fmt.Errorf("%q is not a date; write it like 2025-01-31", clip(s))
}

func allDigits(parts []string) bool {
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

var currencySymbols = map[string]string{"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "US$": "USD", "A$": "AUD", "C$": "CAD", "kr": "SEK", "zł": "PLN"}

func currencyCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if c, ok := currencySymbols[s]; ok {
		return c, true
	}
	u := strings.ToUpper(s)
	if len(u) == 3 && strings.IndexFunc(u, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0 {
		return u, true
	}
	return "", false
}

// zeroDecimals are currencies without minor units.
var zeroDecimals = map[string]bool{"JPY": true, "KRW": true, "ISK": true, "CLP": true, "VND": true}

// ParseMoney reads an amount like "1,200,000", "€1.2M", "250k", "1.234,56 EUR",
// "USD 3000" or "(500)" into minor units. A symbol or code in the cell wins
// over currency. Thousands and decimal separators are told apart by their
// position: the last of '.' and ',' followed by one or two digits is the
// decimal separator.
func ParseMoney(s, currency string) (tandem.Money, error) {
	orig := s
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "(") {
		return tandem.Money{}, fmt.Errorf("%q is negative; revenue must be 0 or more", clip(orig))
	}
	// Strip a currency symbol or code at either end.
	for sym, code := range currencySymbols {
		if strings.HasPrefix(s, sym) {
			s, currency = strings.TrimSpace(s[len(sym):]), code
			break
		}
		if strings.HasSuffix(s, sym) {
			s, currency = strings.TrimSpace(s[:len(s)-len(sym)]), code
			break
		}
	}
	if len(s) > 3 {
		if c, ok := currencyCode(s[:3]); ok && !strings.ContainsAny(s[:3], "0123456789") && (s[3] == ' ' || s[3] >= '0' && s[3] <= '9') {
			s, currency = strings.TrimSpace(s[3:]), c
		} else if c, ok := currencyCode(s[len(s)-3:]); ok && !strings.ContainsAny(s[len(s)-3:], "0123456789") {
			s, currency = strings.TrimSpace(s[:len(s)-3]), c
		}
	}
	mult := 1.0
	if n := len(s); n > 1 {
		switch s[n-1] {
		case 'k', 'K':
			mult, s = 1e3, s[:n-1]
		case 'm', 'M':
			mult, s = 1e6, s[:n-1]
		case 'b', 'B':
			mult, s = 1e9, s[:n-1]
		}
	}
	s = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), "\u00a0", "")
	s = strings.ReplaceAll(s, "'", "") // Swiss thousands separator
	if s == "" {
		return tandem.Money{}, fmt.Errorf("%q has no amount", clip(orig))
	}
	dec := -1
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		after := len(s) - i - 1
		sep := s[i]
		other := byte(',')
		if sep == ',' {
			other = '.'
		}
		switch {
		case strings.IndexByte(s, other) >= 0 && strings.IndexByte(s, other) < i:
			dec = i // "1,234.56" or "1.234,56": the last one is decimal
		case strings.Count(s, string(sep)) > 1:
			dec = -1 // "1.234.567": thousands
		case after == 3 && mult == 1:
			dec = -1 // "1,200": thousands (and "1.200" too, as in most of Europe)
		default:
			dec = i
		}
	}
	var num string
	if dec >= 0 {
		num = strings.NewReplacer(".", "", ",", "").Replace(s[:dec]) + "." + s[dec+1:]
	} else {
		num = strings.NewReplacer(".", "", ",", "").Replace(s)
	}
	for _, r := range num {
		if (r < '0' || r > '9') && r != '.' {
			return tandem.Money{}, fmt.Errorf("%q is not an amount like 1,200,000 or €1.2M", clip(orig))
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return tandem.Money{}, fmt.Errorf("%q is not an amount like 1,200,000 or €1.2M", clip(orig))
	}
	v *= mult
	if currency == "" {
		currency = "EUR"
	}
	if !zeroDecimals[currency] {
		v *= 100
	}
	if v > 9e15 {
		return tandem.Money{}, fmt.Errorf("%q is too large", clip(orig))
	}
	return tandem.Money{Amount: int64(math.Round(v)), Currency: currency}, nil
}

package insight

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ReadOptions say where the text and the optional time and id of each
// record are. Empty names are guessed from common column names.
type ReadOptions struct {
	TextColumn string // default: text, feedback, comment, body, message, content, review, description, or the only column
	TimeColumn string // default: time, date, created_at, created, timestamp, tweet_created, submitted_at if present
	IDColumn   string // default: id if present
}

var (
	textNames = []string{"text", "feedback", "comment", "comments", "body", "message", "content", "review", "description"}
	timeNames = []string{"time", "date", "created_at", "created", "timestamp", "tweet_created", "submitted_at"}
)

func pickColumn(cols []string, want string, guesses []string) (string, bool) {
	if want != "" {
		for _, c := range cols {
			if c == want {
				return c, true
			}
		}
		return "", false
	}
	for _, g := range guesses {
		for _, c := range cols {
			if strings.EqualFold(strings.TrimSpace(c), g) {
				return c, true
			}
		}
	}
	return "", false
}

// ReadCSV reads docs from CSV with a header row. Errors name the line.
func ReadCSV(r io.Reader, opt ReadOptions) ([]Doc, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("line 1: empty file, expected a header row")
	}
	if err != nil {
		return nil, csvError(err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	textCol, ok := pickColumn(header, opt.TextColumn, textNames)
	if !ok {
		if opt.TextColumn == "" && len(header) == 1 {
			textCol = header[0]
		} else if opt.TextColumn != "" {
			return nil, fmt.Errorf("line 1: no column %q in the header (columns: %s)", opt.TextColumn, strings.Join(header, ", "))
		} else {
			return nil, fmt.Errorf("line 1: no text column found; name it with --text-column (columns: %s)", strings.Join(header, ", "))
		}
	}
	timeCol, hasTime := pickColumn(header, opt.TimeColumn, timeNames)
	if opt.TimeColumn != "" && !hasTime {
		return nil, fmt.Errorf("line 1: no time column %q in the header", opt.TimeColumn)
	}
	idCol, hasID := pickColumn(header, opt.IDColumn, []string{"id"})
	pos := map[string]int{}
	for i, c := range header {
		if _, dup := pos[c]; !dup {
			pos[c] = i
		}
	}
	var docs []Doc
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		d := Doc{Text: rec[pos[textCol]]}
		if hasID {
			d.ID = rec[pos[idCol]]
		}
		if hasTime {
			v := strings.TrimSpace(rec[pos[timeCol]])
			if v != "" {
				t, ok := ParseTime(v)
				if !ok && opt.TimeColumn != "" {
					return nil, fmt.Errorf("line %d: column %q: cannot read %q as a time", line, timeCol, v)
				}
				d.Time = t
			}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}

// ReadJSONL reads docs from JSON Lines: one object per line with a string
// text field. Blank lines are skipped. Errors name the line.
func ReadJSONL(r io.Reader, opt ReadOptions) ([]Doc, error) {
	br := bufio.NewReader(r)
	var docs []Doc
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			d, perr := jsonlDoc(t, opt)
			if perr != nil {
				return nil, fmt.Errorf("line %d: %v", line, perr)
			}
			docs = append(docs, d)
		}
		if err == io.EOF {
			break
		}
	}
	return docs, nil
}

func jsonlDoc(b []byte, opt ReadOptions) (Doc, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return Doc{}, fmt.Errorf("not a JSON object: %v", err)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	textKey, ok := pickColumn(keys, opt.TextColumn, textNames)
	if !ok {
		name := opt.TextColumn
		if name == "" {
			name = "text"
		}
		return Doc{}, fmt.Errorf("no %q field", name)
	}
	var d Doc
	if err := json.Unmarshal(obj[textKey], &d.Text); err != nil {
		return Doc{}, fmt.Errorf("field %q is not a string", textKey)
	}
	if idKey, ok := pickColumn(keys, opt.IDColumn, []string{"id"}); ok {
		var s string
		var num json.Number
		if json.Unmarshal(obj[idKey], &s) == nil {
			d.ID = s
		} else if json.Unmarshal(obj[idKey], &num) == nil {
			d.ID = num.String()
		}
	}
	if timeKey, ok := pickColumn(keys, opt.TimeColumn, timeNames); ok {
		var s string
		if err := json.Unmarshal(obj[timeKey], &s); err == nil && s != "" {
			t, ok := ParseTime(s)
			if !ok && opt.TimeColumn != "" {
				return Doc{}, fmt.Errorf("field %q: cannot read %q as a time", timeKey, s)
			}
			d.Time = t
		} else if err != nil {
			var sec float64
			if json.Unmarshal(obj[timeKey], &sec) == nil && sec > 0 {
				d.Time = time.Unix(int64(sec), 0).UTC()
			}
		}
	} else if opt.TimeColumn != "" {
		return Doc{}, fmt.Errorf("no time field %q", opt.TimeColumn)
	}
	return d, nil
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04",
	"2006-01-02", "1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006", "02/01/2006", time.RFC1123Z, time.RFC1123,
}

// ParseTime reads the common date and time layouts (RFC 3339, ISO dates,
// US m/d/yyyy, Unix seconds); times without a zone are UTC.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil && sec > 100000000 && sec < 1e11 {
		return time.Unix(sec, 0).UTC(), true
	}
	return time.Time{}, false
}

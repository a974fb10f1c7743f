// Package transcript reads interview transcripts (WebVTT, SubRip/SRT and
// plain text) into cues with times and speakers, and flattens cues into the
// one plain-text form Tandem stores and highlights: "[mm:ss] Speaker: text"
// lines. It imports only the standard library; the parsers never panic, and
// their errors name the line at fault.
package transcript

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Formats, the same names the domain uses for Interview.Format.
const (
	FormatText = "text"
	FormatVTT  = "vtt"
	FormatSRT  = "srt"
)

// MaxSize bounds the input of the parsers, in bytes.
const MaxSize = 4 << 20

// Cue is one utterance of a transcript.
type Cue struct {
	Start   time.Duration
	End     time.Duration
	Timed   bool   // false for plain text without times
	Speaker string // "" when unknown
	Text    string // one line: inner line breaks are folded into spaces
}

// ParseError is a problem at one line of the input.
type ParseError struct {
	Line int // 1-based
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func errAt(line int, format string, args ...any) error {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads s in the given format ("" or "auto" detects it).
func Parse(format, s string) ([]Cue, error) {
	if format == "" || format == "auto" {
		format = Detect(s)
	}
	switch format {
	case FormatVTT:
		return ParseVTT(s)
	case FormatSRT:
		return ParseSRT(s)
	case FormatText:
		return ParseText(s)
	}
	return nil, fmt.Errorf("unknown transcript format %q; use text, vtt or srt", format)
}

// Detect guesses the format of s: "vtt" when it starts with WEBVTT, "srt"
// when its first cue looks like SubRip, else "text".
func Detect(s string) string {
	lines := splitLines(s)
	if len(lines) > 0 && strings.HasPrefix(lines[0], "WEBVTT") {
		return FormatVTT
	}
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i+1 < len(lines) && isDigits(strings.TrimSpace(lines[i])) && strings.Contains(lines[i+1], "-->") {
		return FormatSRT
	}
	return FormatText
}

// splitLines normalises line endings and removes a byte order mark.
func splitLines(s string) []string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

func checkInput(s string) error {
	if len(s) > MaxSize {
		return fmt.Errorf("transcript is larger than %d MB", MaxSize>>20)
	}
	if !utf8.ValidString(s) {
		// Name the line of the first bad byte.
		line := 1
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				return errAt(line, "not valid UTF-8 text")
			}
			if r == '\n' {
				line++
			}
			i += n
		}
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseTimestamp reads [hh:]mm:ss(.|,)ttt. SRT uses a comma, WebVTT a dot;
// both are accepted, as exporters mix them up.
func parseTimestamp(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	main, frac, ok := strings.Cut(s, ".")
	if !ok {
		main, frac, ok = strings.Cut(s, ",")
	}
	if !ok || len(frac) < 1 || len(frac) > 3 || !isDigits(frac) {
		return 0, false
	}
	parts := strings.Split(main, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var h, m, sec int
	if len(parts) == 3 {
		if !isDigits(parts[0]) || len(parts[0]) > 4 {
			return 0, false
		}
		h = atoi(parts[0])
		parts = parts[1:]
	}
	if len(parts[0]) != 2 || len(parts[1]) != 2 || !isDigits(parts[0]) || !isDigits(parts[1]) {
		return 0, false
	}
	m, sec = atoi(parts[0]), atoi(parts[1])
	if m > 59 || sec > 59 {
		return 0, false
	}
	for len(frac) < 3 {
		frac += "0"
	}
	ms := atoi(frac)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond, true
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// parseTiming reads "start --> end [settings]".
func parseTiming(line string, lineNo int) (time.Duration, time.Duration, error) {
	a, b, ok := strings.Cut(line, "-->")
	if !ok {
		return 0, 0, errAt(lineNo, "want a timing line like 00:01:02.500 --> 00:01:05.000")
	}
	start, ok := parseTimestamp(a)
	if !ok {
		return 0, 0, errAt(lineNo, "start time %q is not like 00:01:02.500", strings.TrimSpace(a))
	}
	b = strings.TrimSpace(b)
	if i := strings.IndexAny(b, " \t"); i >= 0 {
		b = b[:i] // WebVTT cue settings follow the end time
	}
	end, ok := parseTimestamp(b)
	if !ok {
		return 0, 0, errAt(lineNo, "end time %q is not like 00:01:05.000", b)
	}
	if end < start {
		return 0, 0, errAt(lineNo, "the cue ends (%s) before it starts (%s)", FormatTime(end), FormatTime(start))
	}
	return start, end, nil
}

// ParseVTT reads a WebVTT file. Voice spans (<v Speaker>) and a leading
// "Speaker:" name the speaker; other markup is removed; NOTE, STYLE and
// REGION blocks are skipped.
func ParseVTT(s string) ([]Cue, error) {
	if err := checkInput(s); err != nil {
		return nil, err
	}
	lines := splitLines(s)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "WEBVTT") || (len(lines[0]) > 6 && lines[0][6] != ' ' && lines[0][6] != '\t') {
		return nil, errAt(1, "a WebVTT file must start with WEBVTT")
	}
	var cues []Cue
	i := 1
	// The header runs to the first blank line.
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
		if strings.Contains(lines[i], "-->") {
			return nil, errAt(i+1, "put a blank line between the WEBVTT header and the first cue")
		}
		i++
	}
	for i < len(lines) {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		// A block: lines up to the next blank line.
		start := i
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			i++
		}
		block := lines[start:i]
		first := strings.TrimSpace(block[0])
		if first == "NOTE" || strings.HasPrefix(first, "NOTE ") || strings.HasPrefix(first, "NOTE\t") ||
			first == "STYLE" || first == "REGION" {
			continue
		}
		t := 0
		if !strings.Contains(block[0], "-->") {
			t = 1 // a cue identifier
		}
		if t >= len(block) {
			return nil, errAt(start+1, "cue %q has no timing line", first)
		}
		from, to, err := parseTiming(block[t], start+t+1)
		if err != nil {
			return nil, err
		}
		c := Cue{Start: from, End: to, Timed: true}
		var texts []string
		for k, l := range block[t+1:] {
			if strings.Contains(l, "-->") {
				// A cue without the blank line before it: a common export bug, but
				// ambiguous, so say where.
				return nil, errAt(start+t+k+2, "timing line inside a cue; separate cues with a blank line")
			}
			sp, text := stripMarkup(l)
			if c.Speaker == "" && sp != "" {
				c.Speaker = sp
			}
			if text = strings.TrimSpace(text); text != "" {
				texts = append(texts, text)
			}
		}
		c.Text = strings.Join(texts, " ")
		if c.Speaker == "" {
			c.Speaker, c.Text = splitSpeaker(c.Text)
		}
		if c.Text != "" {
			cues = append(cues, c)
		}
	}
	return cues, nil
}

// ParseSRT reads a SubRip file: numbered cues with comma-separated millisecond times.
func ParseSRT(s string) ([]Cue, error) {
	if err := checkInput(s); err != nil {
		return nil, err
	}
	lines := splitLines(s)
	var cues []Cue
	i := 0
	for i < len(lines) {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		start := i
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
			i++
		}
		block := lines[start:i]
		t := 0
		if !strings.Contains(block[0], "-->") {
			if !isDigits(strings.TrimSpace(block[0])) {
				return nil, errAt(start+1, "want a cue number, got %q", clip(block[0]))
			}
			t = 1
		}
		if t >= len(block) {
			return nil, errAt(start+1, "cue %s has no timing line", strings.TrimSpace(block[0]))
		}
		from, to, err := parseTiming(block[t], start+t+1)
		if err != nil {
			return nil, err
		}
		c := Cue{Start: from, End: to, Timed: true}
		var texts []string
		for _, l := range block[t+1:] {
			sp, text := stripMarkup(l)
			if c.Speaker == "" && sp != "" {
				c.Speaker = sp
			}
			if text = strings.TrimSpace(text); text != "" {
				texts = append(texts, text)
			}
		}
		c.Text = strings.Join(texts, " ")
		if c.Speaker == "" {
			c.Speaker, c.Text = splitSpeaker(c.Text)
		}
		if c.Text != "" {
			cues = append(cues, c)
		}
	}
	return cues, nil
}

// ParseText reads a plain transcript: one utterance per line, optionally
// "[mm:ss]" or "[hh:mm:ss]" first and "Speaker:" next (the form Flatten
// writes). A line without a speaker continues the previous speaker's turn
// only when it has no time of its own.
func ParseText(s string) ([]Cue, error) {
	if err := checkInput(s); err != nil {
		return nil, err
	}
	var cues []Cue
	for _, l := range splitLines(s) {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		c := Cue{}
		if strings.HasPrefix(l, "[") {
			if end := strings.IndexByte(l, ']'); end > 0 {
				if d, ok := parseClock(l[1:end]); ok {
					c.Start, c.End, c.Timed = d, d, true
					l = strings.TrimSpace(l[end+1:])
				}
			}
		}
		c.Speaker, c.Text = splitSpeaker(l)
		if c.Text == "" {
			continue
		}
		cues = append(cues, c)
	}
	return cues, nil
}

// parseClock reads mm:ss or hh:mm:ss, with an optional fraction.
func parseClock(s string) (time.Duration, bool) {
	if !strings.ContainsAny(s, ".,") {
		s += ".000"
	}
	return parseTimestamp(s)
}

// splitSpeaker separates a leading "Name:" from text when Name looks like a
// name: at most four words and 40 characters, starting with a letter, with
// no sentence punctuation.
func splitSpeaker(text string) (speaker, rest string) {
	name, after, ok := strings.Cut(text, ":")
	if !ok || after != "" && after[0] != ' ' && after[0] != '\t' {
		// "9:30", "https://": a speaker's colon is followed by a space.
		return "", text
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 40 || len(strings.Fields(name)) > 4 || strings.ContainsAny(name, ".,;!?\"()[]<>") {
		return "", text
	}
	r, _ := utf8.DecodeRuneInString(name)
	if !unicode.IsLetter(r) {
		return "", text
	}
	after = strings.TrimSpace(after)
	if after == "" {
		return "", text
	}
	return name, after
}

// stripMarkup removes WebVTT and SRT tags from one line of cue text and
// decodes the common character references. It returns the speaker of the
// first voice span, if any.
func stripMarkup(line string) (speaker, text string) {
	var b strings.Builder
	for len(line) > 0 {
		i := strings.IndexByte(line, '<')
		if i < 0 {
			b.WriteString(line)
			break
		}
		b.WriteString(line[:i])
		j := strings.IndexByte(line[i:], '>')
		if j < 0 {
			// An unclosed '<' is text.
			b.WriteString(line[i:])
			break
		}
		tag := line[i+1 : i+j]
		line = line[i+j+1:]
		if (strings.HasPrefix(tag, "v ") || strings.HasPrefix(tag, "v.") || strings.HasPrefix(tag, "v\t")) && speaker == "" {
			if _, name, ok := strings.Cut(tag, " "); ok {
				speaker = strings.TrimSpace(name)
			} else if _, name, ok := strings.Cut(tag, "\t"); ok {
				speaker = strings.TrimSpace(name)
			}
		}
	}
	return speaker, decodeEntities(b.String())
}

var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", " ", "&lrm;", "", "&rlm;", "", "&quot;", `"`, "&#39;", "'", "&apos;", "'")

func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entities.Replace(s)
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "")
}

// FormatTime writes d as mm:ss, or h:mm:ss from one hour on.
func FormatTime(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// Flatten writes cues as the stored plain-text transcript: one line per
// cue, "[mm:ss] Speaker: text", leaving out the parts a cue lacks.
// ParseText reads it back.
func Flatten(cues []Cue) string {
	var b strings.Builder
	for _, c := range cues {
		if c.Timed {
			b.WriteString("[" + FormatTime(c.Start) + "] ")
		}
		if c.Speaker != "" {
			b.WriteString(c.Speaker + ": ")
		}
		b.WriteString(c.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// Speakers lists the distinct speakers of cues in order of appearance.
func Speakers(cues []Cue) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cues {
		if c.Speaker != "" && !seen[c.Speaker] {
			seen[c.Speaker] = true
			out = append(out, c.Speaker)
		}
	}
	return out
}

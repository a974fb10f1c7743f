package http

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tandem-pm/tandem"
)

// renderMarkdown renders a safe subset of Markdown: paragraphs, headings,
// bullet and numbered lists, fenced code, `code`, **strong**, *emphasis*
// and [links](https://...). It escapes the whole text first and only then
// adds tags of its own, so no input can inject markup.
func renderMarkdown(src string) template.HTML {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var b strings.Builder
	var para []string
	list := "" // "ul" or "ol" while inside a list
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + inlineMarkdown(strings.Join(para, "\n")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			flushPara()
			closeList()
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				code = append(code, lines[i])
			}
			b.WriteString("<pre><code>" + html.EscapeString(strings.Join(code, "\n")) + "</code></pre>\n")
		case trimmed == "":
			flushPara()
			closeList()
		case strings.HasPrefix(trimmed, "#"):
			flushPara()
			closeList()
			level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			text := strings.TrimSpace(trimmed[level:])
			tag := "h4"
			if level <= 2 {
				tag = "h3"
			}
			b.WriteString("<" + tag + ">" + inlineMarkdown(text) + "</" + tag + ">\n")
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, "+ "):
			flushPara()
			if list != "ul" {
				closeList()
				b.WriteString("<ul>\n")
				list = "ul"
			}
			b.WriteString("<li>" + inlineMarkdown(strings.TrimSpace(trimmed[2:])) + "</li>\n")
		case orderedItem(trimmed) != "":
			flushPara()
			if list != "ol" {
				closeList()
				b.WriteString("<ol>\n")
				list = "ol"
			}
			b.WriteString("<li>" + inlineMarkdown(orderedItem(trimmed)) + "</li>\n")
		default:
			if list != "" {
				closeList()
			}
			para = append(para, trimmed)
		}
	}
	flushPara()
	closeList()
	return template.HTML(b.String())
}

// orderedItem returns the text of a "1. text" line, or "".
func orderedItem(line string) string {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 || !strings.HasPrefix(line[i:], ". ") {
		return ""
	}
	return strings.TrimSpace(line[i+2:])
}

// inlineMarkdown escapes s and then marks up code spans, links, strong and emphasis.
func inlineMarkdown(s string) string {
	// Code spans first: their content is taken literally.
	var out strings.Builder
	for {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start+1:], '`')
		if end < 0 {
			break
		}
		out.WriteString(inlineSpans(s[:start]))
		out.WriteString("<code>" + html.EscapeString(s[start+1:start+1+end]) + "</code>")
		s = s[start+1+end+1:]
	}
	out.WriteString(inlineSpans(s))
	return out.String()
}

func inlineSpans(s string) string {
	var out strings.Builder
	for {
		open := strings.IndexByte(s, '[')
		if open < 0 {
			break
		}
		mid := strings.Index(s[open:], "](")
		if mid < 0 {
			break
		}
		mid += open
		closeIdx := strings.IndexByte(s[mid:], ')')
		if closeIdx < 0 {
			break
		}
		closeIdx += mid
		text, href := s[open+1:mid], strings.TrimSpace(s[mid+2:closeIdx])
		out.WriteString(emphasis(html.EscapeString(s[:open])))
		if safeHref(href) && !strings.Contains(text, "[") {
			out.WriteString(`<a href="` + html.EscapeString(href) + `" rel="nofollow noopener">` + emphasis(html.EscapeString(text)) + "</a>")
		} else {
			out.WriteString(emphasis(html.EscapeString(s[open : closeIdx+1])))
		}
		s = s[closeIdx+1:]
	}
	out.WriteString(emphasis(html.EscapeString(s)))
	return strings.ReplaceAll(out.String(), "\n", "<br>\n")
}

// safeHref accepts web and mail links and paths on this site.
func safeHref(h string) bool {
	l := strings.ToLower(h)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:") ||
		(strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//"))
}

// emphasis turns **x** into <strong> and *x* or _x_ into <em> in escaped text.
func emphasis(s string) string {
	s = pairs(s, "**", "strong")
	s = pairs(s, "*", "em")
	return s
}

func pairs(s, delim, tag string) string {
	var out strings.Builder
	for {
		i := strings.Index(s, delim)
		if i < 0 {
			break
		}
		j := strings.Index(s[i+len(delim):], delim)
		if j <= 0 {
			break
		}
		inner := s[i+len(delim) : i+len(delim)+j]
		if strings.TrimSpace(inner) != inner {
			out.WriteString(s[:i+len(delim)])
			s = s[i+len(delim):]
			continue
		}
		out.WriteString(s[:i] + "<" + tag + ">" + inner + "</" + tag + ">")
		s = s[i+len(delim)+j+len(delim):]
	}
	out.WriteString(s)
	return out.String()
}

// humanLabel turns in_progress into "In progress".
func humanLabel(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "_", " "), ".", " ")
	s = strings.TrimSuffix(s, " id")
	s = strings.TrimSuffix(s, " ids")
	return capitalize(s)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// formatNumber prints x without needless decimals and with thousands separators.
func formatNumber(x float64) string {
	if math.Abs(x) >= 1000 && x == math.Trunc(x) {
		return groupThousands(strconv.FormatFloat(x, 'f', 0, 64))
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return groupThousands(s[:i]) + s[i:]
	}
	return groupThousands(s)
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// formatMoney prints an amount in minor units as "EUR 1,250,000".
func formatMoney(m tandem.Money) string {
	if m.Amount == 0 && m.Currency == "" {
		return "—"
	}
	major := float64(m.Amount) / 100
	s := groupThousands(strconv.FormatInt(m.Amount/100, 10))
	if m.Amount%100 != 0 {
		s = groupThousands(strconv.FormatInt(int64(major), 10)) + fmt.Sprintf(".%02d", m.Amount%100)
	}
	return strings.TrimSpace(m.Currency + " " + s)
}

// timeAgo says how long ago t was, coarsely.
func timeAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 30*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return t.UTC().Format("2 Jan 2006")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// initials returns up to two initials of a name, for avatars.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		out = append(out, unicode.ToUpper(r))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// dateRange prints "1 Mar → 30 Jun 2027", or what is known of it, or "—".
func dateRange(start, end tandem.Date) string {
	switch {
	case start.IsZero() && end.IsZero():
		return "—"
	case start.IsZero():
		return "until " + end.Time().Format("2 Jan 2006")
	case end.IsZero():
		return "from " + start.Time().Format("2 Jan 2006")
	case start.Year == end.Year:
		return start.Time().Format("2 Jan") + " → " + end.Time().Format("2 Jan 2006")
	}
	return start.Time().Format("2 Jan 2006") + " → " + end.Time().Format("2 Jan 2006")
}

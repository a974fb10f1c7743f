package schedule

import (
	"encoding/binary"
	"slices"
	"sync"
)

// compiled is a calendar's working days compiled over a range of dates:
// what a timeline needs, built once and shared by every run on the same
// calendar content (read only once built).
type compiled struct {
	cal   *Calendar        // a copy: the caller's spans may change after
	exc   map[int64][]Span // the exceptions, one entry per date
	first int64            // day number of days[0]
	cum   []int64          // cum[i]: working minutes before day first+i (cum[0] = 0)
	days  [][]Span
}

const (
	// compileAlign rounds the first day of a compiled range down, so that
	// projects starting in the same few months share one.
	compileAlign = 256
	// compileDaysAfter is how far past the project start a compiled range
	// reaches (about ten years); a plan that goes further grows its own copy.
	compileDaysAfter = 3660
	// compiledCacheSize bounds the cache (about 270 KB an entry).
	compiledCacheSize = 32
)

// compiledCache holds compiled calendars by content and range, for any
// number of goroutines, bounded to compiledCacheSize entries (the oldest
// goes first).
var compiledCache = struct {
	sync.Mutex
	m     map[string]*compiled
	order []string
}{m: make(map[string]*compiled)}

// compiledFor returns c compiled from a day at or before first to at least
// backDays+compileDaysAfter days after it.
func compiledFor(c *Calendar, first int64) *compiled {
	from := first - ((first%compileAlign)+compileAlign)%compileAlign
	key := calendarKey(c, from)
	compiledCache.Lock()
	comp := compiledCache.m[key]
	compiledCache.Unlock()
	if comp != nil {
		return comp
	}
	cc := cloneCalendar(c)
	comp = &compiled{cal: cc, exc: exceptionDays(cc), first: from}
	n := int(first-from) + backDays + compileDaysAfter
	comp.cum, comp.days = compileDays(cc, comp.exc, from, []int64{0}, nil, n)
	compiledCache.Lock()
	defer compiledCache.Unlock()
	if old := compiledCache.m[key]; old != nil {
		return old
	}
	if len(compiledCache.order) >= compiledCacheSize {
		delete(compiledCache.m, compiledCache.order[0])
		compiledCache.order = compiledCache.order[1:]
	}
	compiledCache.m[key] = comp
	compiledCache.order = append(compiledCache.order, key)
	return comp
}

// calendarKey is what a compiled range depends on: the first day, the
// working week and the exceptions in order (later ones win), not the
// calendar's ID or name.
func calendarKey(c *Calendar, from int64) string {
	b := make([]byte, 0, 64+16*len(c.Exceptions))
	b = binary.AppendVarint(b, from)
	spans := func(sp []Span) {
		b = binary.AppendUvarint(b, uint64(len(sp)))
		for _, s := range sp {
			b = binary.AppendVarint(b, int64(s.From))
			b = binary.AppendVarint(b, int64(s.To))
		}
	}
	for _, sp := range c.Week {
		spans(sp)
	}
	for _, e := range c.Exceptions {
		b = binary.AppendVarint(b, dayNumber(e.From))
		b = binary.AppendVarint(b, dayNumber(e.To))
		spans(e.Working)
	}
	return string(b)
}

// cloneCalendar copies the working time of c (what calendarKey covers), so
// that a shared compiled calendar does not change with the caller's.
func cloneCalendar(c *Calendar) *Calendar {
	out := &Calendar{ID: c.ID, Name: c.Name, Exceptions: make([]Exception, len(c.Exceptions))}
	for wd, sp := range c.Week {
		out.Week[wd] = slices.Clone(sp)
	}
	for i, e := range c.Exceptions {
		out.Exceptions[i] = Exception{From: e.From, To: e.To, Working: slices.Clone(e.Working)}
	}
	return out
}

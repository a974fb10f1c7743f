package schedule

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// freshTimeline builds a timeline the way the engine did before the cache:
// compiled from its own first day, sharing nothing.
func freshTimeline(c *Calendar, start time.Time) *timeline {
	first := dayNumber(start) - backDays
	tl := &timeline{cal: c, exc: exceptionDays(c), first: first, cum: []int64{0}}
	tl.growDays(backDays + 400)
	tl.base = tl.rawWork(start)
	return tl
}

func randomCalendar(rng *rand.Rand) Calendar {
	c := Calendar{ID: "r"}
	for wd := range c.Week {
		if rng.IntN(4) > 0 {
			from := 6*60 + rng.IntN(4*60)
			c.Week[wd] = []Span{{from, from + 60 + rng.IntN(5*60)}}
		}
	}
	c.Week[rng.IntN(7)] = []Span{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	base := time.Date(2020+rng.IntN(10), 1, 1, 0, 0, 0, 0, time.UTC)
	for range rng.IntN(12) {
		from := base.AddDate(0, 0, rng.IntN(3000))
		e := Exception{From: from, To: from.AddDate(0, 0, rng.IntN(20))}
		if rng.IntN(3) == 0 {
			e.Working = []Span{{9 * 60, 11 * 60}}
		}
		c.Exceptions = append(c.Exceptions, e)
	}
	return c
}

// TestCompiledTimelineMatchesFresh checks that timelines built on the
// shared compiled calendars convert every date and working minute as a
// timeline compiled for the run alone, also far before and after the
// compiled range (where a timeline grows its own copy).
func TestCompiledTimelineMatchesFresh(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 40 {
		c := randomCalendar(rng)
		start := time.Date(2019+rng.IntN(12), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
		got, want := newTimeline(&c, start), freshTimeline(&c, start)
		for range 300 {
			at := start.Add(time.Duration(rng.IntN(30*365*24)-12*365*24) * time.Hour).Add(time.Duration(rng.IntN(60)) * time.Minute)
			if g, w := got.Work(at), want.Work(at); g != w {
				t.Fatalf("calendar %+v from %s: Work(%s) = %d, want %d", c, start, at, g, w)
			}
			w := rng.Int64N(2_000_000) - 500_000
			if g, x := got.StartTime(w), want.StartTime(w); !g.Equal(x) {
				t.Fatalf("calendar %+v from %s: StartTime(%d) = %s, want %s", c, start, w, g, x)
			}
			if g, x := got.FinishTime(w), want.FinishTime(w); !g.Equal(x) {
				t.Fatalf("calendar %+v from %s: FinishTime(%d) = %s, want %s", c, start, w, g, x)
			}
		}
	}
}

// TestCompiledTimelineConcurrent schedules the same project from many
// goroutines (run with -race): timelines share compiled calendars and grow
// copies of their own.
func TestCompiledTimelineConcurrent(t *testing.T) {
	cal := StandardCalendar(time.Date(2031, 12, 25, 0, 0, 0, 0, time.UTC))
	p := &Project{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Calendars: []Calendar{cal}}
	for i := range 20 {
		p.Tasks = append(p.Tasks, Task{ID: string(rune('a' + i)), Duration: int64(60 * 480)})
		if i > 0 {
			p.Links = append(p.Links, Link{From: string(rune('a' + i - 1)), To: string(rune('a' + i))})
		}
	}
	want, err := Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r, err := Schedule(p)
			if err != nil {
				t.Error(err)
				return
			}
			if !r.Finish.Equal(want.Finish) {
				t.Errorf("finish %s, want %s", r.Finish, want.Finish)
			}
		})
	}
	wg.Wait()
}

// TestCompiledCacheBounded fills the cache with more calendars than it
// keeps.
func TestCompiledCacheBounded(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for i := range compiledCacheSize + 10 {
		c := StandardCalendar(start.AddDate(0, 0, i))
		newTimeline(&c, start)
	}
	compiledCache.Lock()
	n, m := len(compiledCache.m), len(compiledCache.order)
	compiledCache.Unlock()
	if n > compiledCacheSize || n != m {
		t.Errorf("cache holds %d entries (%d in order), want at most %d", n, m, compiledCacheSize)
	}
}

// TestCompiledCalendarIsACopy changes a calendar's spans in place after a
// run: a later calendar with the first one's content must not see the change
// through the cache.
func TestCompiledCalendarIsACopy(t *testing.T) {
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	c := StandardCalendar(time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC))
	newTimeline(&c, start)
	c.Week[time.Monday][0].To = 9 * 60 // the weekdays share one slice: all of them change
	c2 := StandardCalendar(time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC))
	got, want := newTimeline(&c2, start), freshTimeline(&c2, start)
	for w := int64(0); w < 5*480; w += 37 {
		if g, x := got.StartTime(w), want.StartTime(w); !g.Equal(x) {
			t.Fatalf("StartTime(%d) = %s, want %s", w, g, x)
		}
	}
}

package schedule

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// netFromBytes decodes fuzz input into a small network with constraints.
func netFromBytes(data []byte) (dur []int64, edges []Edge, ctype []ConstraintType, cat, dl []int64) {
	if len(data) == 0 {
		return
	}
	n := int(data[0])%24 + 1
	data = data[1:]
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	dur = make([]int64, n)
	ctype = make([]ConstraintType, n)
	cat = make([]int64, n)
	dl = filled(n, NoTime)
	for v := range n {
		dur[v] = int64(next()%10) * 60
		if c := next(); c%4 == 0 {
			ctype[v] = ConstraintType(c / 4 % 8)
			cat[v] = int64(next()) * 30
		}
		if next()%5 == 0 {
			dl[v] = int64(next()) * 40
		}
	}
	for len(data) >= 4 {
		a, b := next()%n, next()%n
		if a > b {
			a, b = b, a
		}
		if a == b {
			continue
		}
		e := Edge{From: int32(a), To: int32(b), Type: LinkType(next() % 4), Lag: int32(next()%9-4) * 60}
		edges = append(edges, e)
	}
	return
}

func checkInvariants(t *testing.T, w *Network, ctype []ConstraintType, dl []int64) {
	t.Helper()
	for v := range w.Len() {
		es := w.ES(v)
		if es < 0 {
			t.Fatalf("task %d starts before the project (%d)", v, es)
		}
		if req := w.Required(v); req != NoTime && es < req {
			t.Fatalf("task %d starts at %d before its links allow (%d)", v, es, req)
		}
		if w.EF(v) > w.Finish() {
			t.Fatalf("task %d finishes after the project", v)
		}
		constrained := w.bound[v] != math.MaxInt64
		if tf := w.TotalFloat(v); tf < 0 && !constrained {
			t.Fatalf("task %d: negative float %d with no constraint or deadline downstream", v, tf)
		}
		if !constrained && w.ES(v) > w.LS(v) {
			t.Fatalf("task %d: early start %d after late start %d", v, w.ES(v), w.LS(v))
		}
		if w.FreeFloat(v) > w.TotalFloat(v) && w.TotalFloat(v) >= 0 {
			t.Fatalf("task %d: free float %d above total float %d", v, w.FreeFloat(v), w.TotalFloat(v))
		}
	}
	_ = ctype
	_ = dl
}

// FuzzNetwork checks the scheduling invariants on arbitrary small networks:
// no task starts before its links allow, float is negative only under a
// constraint or deadline, early <= late, and an incremental update equals a
// full recompute.
func FuzzNetwork(f *testing.F) {
	f.Add([]byte{5, 3, 1, 0, 2, 0, 4, 1, 8, 9, 0, 1, 0, 1, 2, 1, 3, 2, 4, 3, 0})
	f.Add([]byte{10, 9, 0, 3, 12, 40, 1, 0, 5, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{23, 255, 254, 253, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 200, 30, 40, 50, 60, 70, 80, 90})
	f.Fuzz(func(t *testing.T, data []byte) {
		dur, edges, ctype, cat, dl := netFromBytes(data)
		if len(dur) == 0 {
			return
		}
		w, err := NewNetwork(slices.Clone(dur), edges)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, w, nil, nil)
		w.SetConstraints(ctype, cat, dl, nil)
		w.Recompute()
		checkInvariants(t, w, ctype, dl)
		// Incremental: change one duration, compare with a full recompute.
		v := int(data[len(data)-1]) % len(dur)
		d := int64(data[0]%7) * 90
		if err := w.SetDuration(v, d); err != nil {
			t.Fatal(err)
		}
		dur[v] = d
		full, err := NewNetwork(slices.Clone(dur), edges)
		if err != nil {
			t.Fatal(err)
		}
		full.SetConstraints(ctype, cat, dl, nil)
		full.Recompute()
		for u := range dur {
			if w.ES(u) != full.ES(u) || w.LS(u) != full.LS(u) || w.Finish() != full.Finish() {
				t.Fatalf("task %d after SetDuration(%d, %d): ES/LS %d/%d, full recompute %d/%d", u, v, d, w.ES(u), w.LS(u), full.ES(u), full.LS(u))
			}
		}
		checkInvariants(t, w, ctype, dl)
	})
}

// FuzzCycles adds arbitrary links (cycles allowed): either the network
// schedules, or the error is a CycleError naming tasks that really lie on a
// cycle.
func FuzzCycles(f *testing.F) {
	f.Add([]byte{4, 0, 1, 1, 2, 2, 0, 2, 3})
	f.Add([]byte{3, 0, 0})
	f.Add([]byte{6, 0, 1, 1, 2, 3, 4, 4, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])%16 + 1
		var edges []Edge
		for i := 1; i+1 < len(data); i += 2 {
			edges = append(edges, Edge{From: int32(int(data[i]) % n), To: int32(int(data[i+1]) % n)})
		}
		_, err := NewNetwork(make([]int64, n), edges)
		if err == nil {
			return
		}
		var ce *CycleError
		if !errors.As(err, &ce) || len(ce.Tasks) == 0 {
			t.Fatalf("err = %v", err)
		}
		// Every named task must reach itself.
		for _, v := range ce.Tasks {
			seen := make([]bool, n)
			stack := []int{v}
			found := false
			for len(stack) > 0 && !found {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, e := range edges {
					if int(e.From) == u {
						if int(e.To) == v {
							found = true
						}
						if !seen[e.To] {
							seen[e.To] = true
							stack = append(stack, int(e.To))
						}
					}
				}
			}
			if !found {
				t.Fatalf("task %d named in %v is not on a cycle", v, ce.Tasks)
			}
		}
	})
}

// FuzzReadJSON: the reader never panics, and what it accepts schedules or
// fails with an error.
func FuzzReadJSON(f *testing.F) {
	f.Add(`{"start": "2024-03-04", "tasks": [{"id": "A", "duration": "2d"}, {"id": "B", "duration": "3h"}], "links": [{"from": "A", "to": "B", "lag": "-1d"}]}`)
	f.Add(`{"start": "2024-03-04", "calendars": [{"id": "c", "week": {"sat": [["10:00","11:00"]]}}], "tasks": [{"id": "A", "duration": "1w", "constraint": {"type": "MFO", "date": "2024-03-09"}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ReadJSON(strings.NewReader(s))
		if err != nil {
			return
		}
		_, _ = Schedule(p)
	})
}

package schedule

import (
	"reflect"
	"testing"
)

func TestCriticalPaths(t *testing.T) {
	// Two equal critical chains A-B-D and A-C-D, and E with float.
	p := &Project{Start: monday, Tasks: []Task{
		{ID: "A", Duration: day(1)}, {ID: "B", Duration: day(2)}, {ID: "C", Duration: day(2)},
		{ID: "D", Duration: day(1)}, {ID: "E", Duration: day(1)},
	}, Links: []Link{{From: "A", To: "B"}, {From: "A", To: "C"}, {From: "B", To: "D"}, {From: "C", To: "D"}, {From: "A", To: "E"}}}
	r := mustSchedule(t, p)
	want := [][]string{{"A", "B", "D"}, {"A", "C", "D"}}
	if got := r.CriticalPaths(0); !reflect.DeepEqual(got, want) {
		t.Errorf("critical paths %v, want %v", got, want)
	}
	if got := r.CriticalPaths(1); len(got) != 1 {
		t.Errorf("limit 1 gave %d paths", len(got))
	}
}

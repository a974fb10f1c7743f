package psplib

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem/schedule"
)

func TestReadTiny(t *testing.T) {
	in, err := readFile(filepath.Join("testdata", "tiny.sm"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := in.Durations, []int{0, 3, 2, 4, 2, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("Durations = %v, want %v", got, want)
	}
	if got, want := in.Successors, [][]int{{1, 2, 3}, {4}, {5}, {5}, {5}, {}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Successors = %v, want %v", got, want)
	}
	if got, want := in.Demands[1], []int{2, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Demands[1] = %v, want %v", got, want)
	}
	if got, want := in.Capacities, []int{3, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Capacities = %v, want %v", got, want)
	}
	if in.MPMTime != 5 || in.Horizon != 11 || in.DueDate != 9 {
		t.Errorf("MPMTime, Horizon, DueDate = %d, %d, %d, want 5, 11, 9", in.MPMTime, in.Horizon, in.DueDate)
	}
	p := in.Problem()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := p.CriticalPathBound(); got != in.MPMTime {
		t.Errorf("CriticalPathBound = %d, want the file's MPM-Time %d", got, in.MPMTime)
	}
	res, err := schedule.Level(context.Background(), p, schedule.LevelOptions{Schedules: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := schedule.CheckLevelled(p, res.Starts); err != nil {
		t.Fatal(err)
	}
	// Jobs 2 and 4 cannot overlap (resource 1) and 2 precedes 5: 3 + 4 = 7.
	if res.Makespan != 7 || res.LowerBound != 6 {
		t.Errorf("Makespan, LowerBound = %d, %d, want 7, 6", res.Makespan, res.LowerBound)
	}
}

func TestReadErrors(t *testing.T) {
	tiny, err := os.ReadFile(filepath.Join("testdata", "tiny.sm"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(tiny)
	tests := []struct {
		name, old, new, want string
	}{
		{"empty", src, "", "end of file"},
		{"bad job count", "):  6", "):  x6", `line 6: job count: "x6" is not an integer`},
		{"job count zero", "):  6", "):  0", "line 6: job count 0 out of range"},
		{"multi-mode", "   2        1          1           5", "   2        3          1           5", "line 20: job 2 has 3 modes"},
		{"successor count", "   2        1          1           5", "   2        1          2           5", "line 20: job 2: 2 successors announced, 1 listed"},
		{"successor range", "   2        1          1           5", "   2        1          1           9", "line 20: job 2: successor 9 out of range"},
		{"job order", "   3        1          1           6", "   7        1          1           6", "line 21: precedence: job 7 where job 3 was expected"},
		{"missing resource column", "  4      1     4       2    0", "  4      1     4       2", "line 32: request of job 4: 4 fields, want 5"},
		{"negative duration", "  4      1     4       2    0", "  4      1    -4       2    0", "line 32: job 4: negative duration"},
		{"capacities", "    3    2\n", "    3\n", "line 38: 1 resource availabilities, want 2"},
		{"nonrenewable", "nonrenewable              :  0", "nonrenewable              :  1", "line 10: 1 nonrenewable resources"},
		{"truncated", src[strings.Index(src, "REQUESTS"):], "", "end of file before \"REQUESTS/DURATIONS\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(src, tt.old, tt.new, 1)
			if text == src && tt.old != "" {
				t.Fatalf("fixture does not contain %q", tt.old)
			}
			_, err := Read(strings.NewReader(text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read: error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// FuzzRead checks that Read never panics and that whatever it accepts is a
// problem that levels into a valid schedule.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.sm"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Read(bytes.NewReader(data))
		if err != nil {
			if in != nil {
				t.Fatal("instance with an error")
			}
			return
		}
		p := in.Problem()
		if len(p.Durations) > 200 {
			return
		}
		if err := p.Validate(); err != nil {
			return // e.g. a cycle or a demand above capacity: Validate says so
		}
		total := 0
		for _, d := range p.Durations {
			total += d
		}
		if total > 10000 {
			return
		}
		res, err := schedule.Level(context.Background(), p, schedule.LevelOptions{Schedules: 30, Seed: 1, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := schedule.CheckLevelled(p, res.Starts); err != nil {
			t.Fatal(err)
		}
		if res.Makespan < res.LowerBound {
			t.Fatalf("makespan %d below lower bound %d", res.Makespan, res.LowerBound)
		}
	})
}

package schedule

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// genFSProject is a generated plan that TaskJuggler can express exactly:
// finish-to-start links with non-negative lags, whole-day durations, the
// standard calendar with holidays.
func genFSProject(n int, seed uint64) *Project {
	p := genProject(n, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	seen := make(map[[2]string]bool)
	links := p.Links[:0]
	for _, l := range p.Links {
		if seen[[2]string{l.From, l.To}] {
			continue // TaskJuggler refuses a dependency given twice
		}
		seen[[2]string{l.From, l.To}] = true
		l.Type, l.Lag = FS, 0
		if rng.IntN(5) == 0 {
			l.Lag = int64(1+rng.IntN(3)) * 480
		}
		links = append(links, l)
	}
	p.Links = links
	return p
}

// writeTJP writes p as a TaskJuggler 3 project with the same calendar and
// a CSV report of every task's start and end.
func writeTJP(path string, p *Project, csvName string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "project gen \"generated\" %s +20y {\n  timezone \"UTC\"\n  timingresolution 60min\n  dailyworkinghours 8\n  workinghours mon - fri 8:00 - 12:00, 13:00 - 17:00\n  workinghours sat, sun off\n}\n",
		p.Start.Format("2006-01-02-15:04"))
	for _, e := range p.Calendars[0].Exceptions {
		fmt.Fprintf(w, "leaves holiday \"h\" %s\n", e.From.Format("2006-01-02"))
	}
	preds := make(map[string][]Link)
	for _, l := range p.Links {
		preds[l.To] = append(preds[l.To], l)
	}
	for _, t := range p.Tasks {
		fmt.Fprintf(w, "task %s \"%s\" {\n", strings.ToLower(t.ID), t.Name)
		if len(preds[t.ID]) == 0 {
			fmt.Fprintf(w, "  start %s\n", p.Start.Format("2006-01-02-15:04"))
		}
		fmt.Fprintf(w, "  length %dd\n", t.Duration/480)
		for _, l := range preds[t.ID] {
			if l.Lag > 0 {
				fmt.Fprintf(w, "  depends %s { gaplength %dd }\n", strings.ToLower(l.From), l.Lag/480)
			} else {
				fmt.Fprintf(w, "  depends %s\n", strings.ToLower(l.From))
			}
		}
		fmt.Fprintln(w, "}")
	}
	fmt.Fprintf(w, "taskreport tasks \"%s\" {\n  formats csv\n  columns id, start, end\n  timeformat \"%%Y-%%m-%%dT%%H:%%M:00\"\n}\n", csvName)
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// TestTaskJuggler schedules the same generated plans with tj3 and with the
// engine and compares every task's start and end. It runs only when
// TANDEM_TJ3 is set (tj3 takes minutes on large plans), e.g.
// TANDEM_TJ3=1000,10000 go test ./schedule -run TaskJuggler -v
func TestTaskJuggler(t *testing.T) {
	sizes := os.Getenv("TANDEM_TJ3")
	if sizes == "" {
		t.Skip("set TANDEM_TJ3=1000,10000 to compare with TaskJuggler (tj3)")
	}
	if _, err := exec.LookPath("tj3"); err != nil {
		t.Skip("tj3 is not installed (Debian package tj3)")
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			t.Fatal(err)
		}
		p := genFSProject(n, 5)
		dir := t.TempDir()
		tjp := filepath.Join(dir, "gen.tjp")
		if err := writeTJP(tjp, p, "tasks"); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		cmd := exec.Command("tj3", "--no-color", "--output-dir", dir, tjp)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tj3: %v\n%s", err, out[:min(len(out), 2000)])
		}
		tjTime := time.Since(began)
		began = time.Now()
		r, err := Schedule(p)
		if err != nil {
			t.Fatal(err)
		}
		ourTime := time.Since(began)
		data, err := os.ReadFile(filepath.Join(dir, "tasks.csv"))
		if err != nil {
			t.Fatal(err)
		}
		got := make(map[string][2]string)
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Split(strings.ReplaceAll(line, "\"", ""), ";")
			if len(f) >= 3 {
				got[f[0]] = [2]string{f[1], f[2]}
			}
		}
		// tj3 writes the start of a dependent task as the instant its
		// predecessor ends (Friday 17:00) where the engine writes the next
		// working minute (Monday 08:00): the same point in working time, so
		// dates are compared as working time; identical strings are counted
		// too.
		same, identical, bad := 0, 0, 0
		for _, tr := range r.Tasks {
			g := got[strings.ToLower(tr.ID)]
			if g == [2]string{FormatDate(tr.Start), FormatDate(tr.Finish)} {
				identical++
			}
			s, err1 := ParseDate(g[0])
			e, err2 := ParseDate(g[1])
			if err1 == nil && err2 == nil && r.Work(s) == tr.ES && r.Work(e) == tr.EF {
				same++
			} else if bad++; bad <= 5 {
				t.Logf("%s: tj3 %v, engine %s %s", tr.ID, g, FormatDate(tr.Start), FormatDate(tr.Finish))
			}
		}
		t.Logf("%d tasks: %d with the same start and end in working time (%d identical strings); tj3 %v (whole run), engine %v (Schedule): %.0fx",
			n, same, identical, tjTime.Round(time.Millisecond), ourTime.Round(time.Microsecond), float64(tjTime)/float64(ourTime))
		if same != n {
			t.Errorf("%d tasks: %d differ from tj3", n, n-same)
		}
	}
}

package mspdi

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandem-pm/tandem/internal/plannertest"
	"github.com/tandem-pm/tandem/schedule"
)

// Another tool reads our files: GNOME Planner's import of MS Project XML
// (its msp2planner.xsl, run by xsltproc) finds every task with its name,
// outline parent, milestone flag, start and finish, every link with its type
// and lag, and every assignment. What this proves and what it does not:
// docs/schedule-format.md.
func TestPlannerImportsWrittenFiles(t *testing.T) {
	plannertest.Require(t)
	projects := map[string]*schedule.Project{"rich": richProject()}
	if dir := sampleDirIfPresent(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
		for _, path := range files {
			f, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.Project()
			if err != nil {
				t.Fatal(err)
			}
			projects[filepath.Base(path)] = p
		}
	}
	for name, p := range projects {
		t.Run(name, func(t *testing.T) {
			r, err := schedule.Schedule(p)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, p, r); err != nil {
				t.Fatal(err)
			}
			pf := plannertest.Import(t, buf.Bytes())
			written, err := Read(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			// Our file by its IDs (Planner's task ids are MSPDI IDs).
			byID := make(map[string]*Task)
			idOfUID := make(map[string]string)
			for i := range written.Tasks {
				xt := &written.Tasks[i]
				byID[xt.ID] = xt
				idOfUID[xt.UID] = xt.ID
			}
			uids := writerUIDs(p)
			taskOfUID := make(map[string]*schedule.Task)
			for i := range p.Tasks {
				taskOfUID[uids[p.Tasks[i].ID]] = &p.Tasks[i]
			}
			seen := 0
			var walk func(ts []plannertest.Task, parentUID string)
			walk = func(ts []plannertest.Task, parentUID string) {
				for _, pt := range ts {
					seen++
					xt := byID[pt.ID]
					if xt == nil {
						t.Errorf("Planner task %s %q is not ours", pt.ID, pt.Name)
						continue
					}
					st := taskOfUID[xt.UID]
					if pt.Name != xt.Name || (pt.Type == "milestone") != (xt.Milestone == "1") {
						t.Errorf("task %s: Planner %q %s, ours %q milestone=%s", xt.UID, pt.Name, pt.Type, xt.Name, xt.Milestone)
					}
					if got := uids[st.Parent]; got != parentUID {
						t.Errorf("task %s: Planner puts it under %q, ours under %q", xt.UID, parentUID, got)
					}
					if want := plannerDate(xt.Start); pt.Start != want {
						t.Errorf("task %s: Planner start %s, want %s", xt.UID, pt.Start, want)
					}
					if want := plannerDate(xt.Finish); pt.End != want {
						t.Errorf("task %s: Planner end %s, want %s", xt.UID, pt.End, want)
					}
					var want, got []string
					for _, l := range xt.PredecessorLinks {
						lag := l.LinkLag
						if l.LagFormat == "19" {
							lag = "pct" // Planner has no percentage lags
						} else {
							var tenths int64
							fmt.Sscan(l.LinkLag, &tenths)
							lag = fmt.Sprint(tenths * 6)
						}
						want = append(want, fmt.Sprintf("%s %s %s", idOfUID[l.PredecessorUID], map[string]string{"0": "FF", "1": "FS", "2": "SF", "3": "SS"}[l.Type], lag))
					}
					for i, pl := range pt.Preds {
						lag := pl.Lag
						if i < len(xt.PredecessorLinks) && xt.PredecessorLinks[i].LagFormat == "19" {
							lag = "pct"
						}
						got = append(got, fmt.Sprintf("%s %s %s", pl.PredID, pl.Type, lag))
					}
					if strings.Join(got, ", ") != strings.Join(want, ", ") {
						t.Errorf("task %s links: Planner %v, ours %v", xt.UID, got, want)
					}
					walk(pt.Tasks, xt.UID)
				}
			}
			walk(pf.Tasks, "")
			if seen != len(written.Tasks) {
				t.Errorf("Planner has %d tasks, we wrote %d", seen, len(written.Tasks))
			}
			if len(pf.Allocations) != len(written.Assignments) {
				t.Errorf("Planner has %d allocations, we wrote %d", len(pf.Allocations), len(written.Assignments))
			}
		})
	}
}

// plannerDate is how msp2planner.xsl writes an MSPDI date-time:
// 2024-03-04T08:00:00 becomes 20240304T080000Z.
func plannerDate(s string) string {
	return strings.ReplaceAll(s[:11], "-", "") + strings.ReplaceAll(s[11:], ":", "") + "Z"
}

// writerUIDs maps task IDs to the UIDs Write gives them: the IDs when all
// are plain positive integers, else positions from 1.
func writerUIDs(p *schedule.Project) map[string]string {
	keep := numericIDs(len(p.Tasks), func(i int) string { return p.Tasks[i].ID })
	m := make(map[string]string, len(p.Tasks))
	for i, t := range p.Tasks {
		m[t.ID] = fmt.Sprint(i + 1)
		if keep {
			m[t.ID] = t.ID
		}
	}
	return m
}

// sampleDirIfPresent is sampleDir without skipping.
func sampleDirIfPresent() string {
	dir := filepath.Join("..", "..", "shared", "data", "mspdi")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

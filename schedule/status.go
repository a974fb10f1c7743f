package schedule

import "time"

// underWay is a task under way at the status date whose remaining part
// follows its finish-to-start and finish-to-finish predecessors (MS
// Project's "split in-progress tasks", on by default): all in working
// minutes of the task's calendar ttl.
type underWay struct {
	ttl  *timeline
	done int64 // end of the completed part
	rem  int64 // remaining working minutes
	sd   int64 // the status date
}

// hasFinishLinks reports whether task k has a finish-to-start or
// finish-to-finish predecessor.
func hasFinishLinks(net *Network, k int) bool {
	for _, e := range net.in[net.predOff[k]:net.predOff[k+1]] {
		if e.Type == FS || e.Type == FF {
			return true
		}
	}
	return false
}

// finish is the forecast finish of task k: its remaining part resumes at
// the end of the completed part, the status date, the earliest start a
// finish-to-start link allows, or so that it ends no earlier than a
// finish-to-finish link requires, whichever is latest. Links from the start
// (SS, SF) bind the actual start, which is fixed, so they move nothing.
func (u *underWay) finish(net *Network, tl *timeline, k int) time.Time {
	resume := max(u.done, u.sd)
	for _, e := range net.in[net.predOff[k]:net.predOff[k+1]] {
		switch e.Type {
		case FS:
			b := net.es[e.From] + weight(&e, net.Dur)
			resume = max(resume, u.ttl.Work(tl.FinishTime(b)))
		case FF:
			b := net.es[e.From] + weight(&e, net.Dur) + net.Dur[k]
			resume = max(resume, u.ttl.Work(tl.FinishTime(b))-u.rem)
		}
	}
	if u.rem <= 0 {
		return u.ttl.StartTime(resume)
	}
	return u.ttl.FinishTime(resume + u.rem)
}

// unstartedAfterStatus gives every task not yet started a floor at the
// status date sd (working minutes): a start-no-earlier-than constraint
// where it has none or an earlier one. A must-start/finish-on or
// no-later-than constraint is kept (it is one date per task; such a task
// may then still be forecast before the status date), and so is a later
// finish-no-earlier-than date.
func unstartedAfterStatus(p *Project, leaf []int, dur []int64, sd int64, ctype []ConstraintType, cat []int64) ([]ConstraintType, []int64) {
	if sd <= 0 {
		return ctype, cat
	}
	for k, i := range leaf {
		t := &p.Tasks[i]
		if !t.ActualStart.IsZero() || !t.ActualFinish.IsZero() {
			continue
		}
		if ctype == nil {
			ctype = make([]ConstraintType, len(leaf))
			cat = make([]int64, len(leaf))
		}
		switch ctype[k] {
		case ASAP, ALAP:
			ctype[k], cat[k] = SNET, sd
		case SNET:
			cat[k] = max(cat[k], sd)
		case FNET:
			if cat[k]-dur[k] < sd {
				ctype[k], cat[k] = SNET, sd
			}
		}
	}
	return ctype, cat
}

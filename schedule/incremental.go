package schedule

import (
	"errors"
	"fmt"
)

// ErrCalendarDependent is returned by SetDuration on a network from
// Schedule in which some tasks run on their own calendars: their durations
// in project working minutes depend on where they start, which the
// incremental passes do not re-convert. Run Schedule again instead.
var ErrCalendarDependent = errors.New("schedule: tasks on their own calendars: incremental update not supported, reschedule in full")

// SetDuration changes the duration of task v and recomputes only what the
// change reaches: the forward pass runs from v through its successors in
// topological order and stops wherever an early start does not move; the
// backward pass does the same from v through its predecessors. Late dates are
// derived from tails and bounds that do not depend on the project finish, so
// a finish that moves does not touch every task.
func (w *Network) SetDuration(v int, d int64) error {
	if v < 0 || v >= w.n {
		return fmt.Errorf("schedule: task %d out of range", v)
	}
	if d < 0 || d > maxMinutes {
		return fmt.Errorf("schedule: duration %d out of range", d)
	}
	if w.calDependent {
		return ErrCalendarDependent
	}
	old := w.es[v] + w.Dur[v]
	w.Dur[v] = d
	w.touched = 0
	if w.mark == nil {
		w.mark = make([]uint32, w.n)
	}
	w.ensureSucc()
	finishMoved := w.forward(int32(v), old)
	w.backward(int32(v))
	if finishMoved {
		w.updateFinish()
	}
	return nil
}

// forward propagates early starts from v; it reports whether the project
// finish may have decreased (so that it must be recomputed).
func (w *Network) forward(v int32, oldEF int64) bool {
	w.nextEpoch(false)
	maybeLower := oldEF == w.finish
	w.push(v)
	for len(w.heap) > 0 {
		u := w.pop()
		w.touched++
		oldES := w.es[u]
		nes := w.early(u)
		if u != v && nes == oldES {
			continue
		}
		if oldES+w.Dur[u] == w.finish {
			maybeLower = true
		}
		w.es[u] = nes
		if ef := nes + w.Dur[u]; ef > w.finish {
			w.finish = ef
		}
		for j := w.succOff[u]; j < w.succOff[u+1]; j++ {
			s := w.succTo[j]
			w.push(s)
		}
	}
	return maybeLower
}

func (w *Network) backward(v int32) {
	w.nextEpoch(true)
	w.push(v)
	for len(w.heap) > 0 {
		u := w.pop()
		w.touched++
		t, b := w.late(u)
		if u != v && t == w.tail[u] && b == w.bound[u] {
			continue
		}
		w.tail[u], w.bound[u] = t, b
		for _, e := range w.in[w.predOff[u]:w.predOff[u+1]] {
			w.push(e.From)
		}
	}
}

func (w *Network) nextEpoch(desc bool) {
	w.desc = desc
	w.epoch++
	if w.epoch == 0 {
		clear(w.mark)
		w.epoch = 1
	}
	w.heap = w.heap[:0]
}

// push adds task a to the binary heap unless it is already queued in this
// epoch.
func (w *Network) push(a int32) {
	if w.mark[a] == w.epoch {
		return
	}
	w.mark[a] = w.epoch
	w.heap = append(w.heap, a)
	w.heapKeyUp(len(w.heap) - 1)
}

// The heap is ordered by topological position: forward passes pop the
// lowest first, backward passes (desc) the highest.
func (w *Network) heapLess(i, j int) bool {
	pi, pj := w.pos[w.heap[i]], w.pos[w.heap[j]]
	if w.desc {
		return pi > pj
	}
	return pi < pj
}

func (w *Network) heapKeyUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !w.heapLess(i, p) {
			break
		}
		w.heap[i], w.heap[p] = w.heap[p], w.heap[i]
		i = p
	}
}

func (w *Network) pop() int32 {
	h := w.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	w.heap = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		m := l
		if r := l + 1; r < last && w.heapLess(r, l) {
			m = r
		}
		if !w.heapLess(m, i) {
			break
		}
		w.heap[i], w.heap[m] = w.heap[m], w.heap[i]
		i = m
	}
	// A task popped may be pushed again later in the same pass only if one
	// of its predecessors changes after it, which topological order rules out.
	return top
}

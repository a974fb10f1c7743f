package schedule

// CriticalPaths lists the critical chains of the schedule, each as task IDs
// from a start to an end of the project: a chain follows only driving links
// (those that set the successor's early start) between critical tasks. At
// most limit chains are returned (networks with many parallel critical
// paths have exponentially many); limit <= 0 means 100.
func (r *Result) CriticalPaths(limit int) [][]string {
	if limit <= 0 {
		limit = 100
	}
	net := r.Net
	net.ensureSucc()
	crit := func(v int32) bool { return net.TotalFloat(int(v)) <= 0 }
	driving := func(k int32) bool {
		e := &net.in[k]
		return net.es[e.To] == net.es[e.From]+weight(e, net.Dur)
	}
	// A chain starts at a critical task that no critical task drives.
	var out [][]string
	var path []int32
	var walk func(v int32)
	walk = func(v int32) {
		if len(out) >= limit {
			return
		}
		path = append(path, v)
		ended := true
		for j := net.succOff[v]; j < net.succOff[v+1]; j++ {
			s := net.succTo[j]
			if crit(s) && driving(net.succEdge[j]) {
				ended = false
				walk(s)
			}
		}
		if ended && net.EF(int(v)) == net.Finish() {
			ids := make([]string, len(path))
			for i, u := range path {
				ids[i] = r.Tasks[r.Leaf[u]].ID
			}
			out = append(out, ids)
		}
		path = path[:len(path)-1]
	}
	for _, v := range net.order {
		if !crit(v) {
			continue
		}
		driven := false
		for _, e := range net.in[net.predOff[v]:net.predOff[v+1]] {
			if crit(e.From) && net.es[v] == net.es[e.From]+weight(&e, net.Dur) {
				driven = true
				break
			}
		}
		if !driven {
			walk(v)
		}
	}
	return out
}

// Package psplib reads single-mode RCPSP instances in the PSPLIB .sm text
// format (Kolisch & Sprecher 1996), the benchmark of resource levelling.
package psplib

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tandem-pm/tandem/schedule"
)

// Instance is one single-mode RCPSP instance. Jobs are numbered 1..N in the
// file and indexed 0..N-1 here; job 1 and job N are the dummy source and sink.
type Instance struct {
	Horizon    int     // the file's horizon (sum of durations)
	MPMTime    int     // critical path length stated in PROJECT INFORMATION (0 if absent)
	DueDate    int     // from PROJECT INFORMATION (0 if absent)
	Durations  []int   // per job
	Successors [][]int // per job, 0-based job indexes
	Demands    [][]int // [job][renewable resource]
	Capacities []int   // per renewable resource
}

// Limits that keep a malformed file from asking for huge allocations.
const (
	maxJobs      = 100000
	maxResources = 1000
)

// Read parses a single-mode .sm file. A malformed file yields an error that
// names the line and the problem.
func Read(r io.Reader) (*Instance, error) {
	p := &parser{sc: bufio.NewScanner(r)}
	p.sc.Buffer(make([]byte, 64*1024), 1<<20)
	in, err := p.parse()
	if err != nil {
		return nil, err
	}
	return in, nil
}

type parser struct {
	sc   *bufio.Scanner
	line int
	text string
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("psplib: line %d: %s", p.line, fmt.Sprintf(format, args...))
}

// next advances to the next line; false at the end of the input.
func (p *parser) next() bool {
	if !p.sc.Scan() {
		return false
	}
	p.line++
	p.text = p.sc.Text()
	return true
}

// until advances to the first line containing marker.
func (p *parser) until(marker string) error {
	for p.next() {
		if strings.Contains(p.text, marker) {
			return nil
		}
	}
	if err := p.sc.Err(); err != nil {
		return fmt.Errorf("psplib: line %d: %w", p.line+1, err)
	}
	return fmt.Errorf("psplib: line %d: end of file before %q", p.line, marker)
}

// nextData advances to the next line that is neither blank nor a rule of '*' or '-'.
func (p *parser) nextData(what string) error {
	for p.next() {
		t := strings.TrimSpace(p.text)
		if t == "" || strings.Trim(t, "*-") == "" {
			continue
		}
		return nil
	}
	if err := p.sc.Err(); err != nil {
		return fmt.Errorf("psplib: line %d: %w", p.line+1, err)
	}
	return fmt.Errorf("psplib: line %d: end of file, expected %s", p.line, what)
}

// ints parses the whitespace-separated integers of the current line.
func (p *parser) ints(what string) ([]int, error) {
	f := strings.Fields(p.text)
	out := make([]int, len(f))
	for i, s := range f {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, p.errorf("%s: %q is not an integer", what, s)
		}
		out[i] = v
	}
	return out, nil
}

// valueAfterColon parses the first integer after ':' on the current line.
func (p *parser) valueAfterColon(what string) (int, error) {
	_, after, ok := strings.Cut(p.text, ":")
	f := strings.Fields(after)
	if !ok || len(f) == 0 {
		return 0, p.errorf("%s: no value after ':'", what)
	}
	v, err := strconv.Atoi(f[0])
	if err != nil {
		return 0, p.errorf("%s: %q is not an integer", what, f[0])
	}
	return v, nil
}

func (p *parser) parse() (*Instance, error) {
	in := &Instance{}
	if err := p.until("jobs (incl. supersource/sink"); err != nil {
		return nil, err
	}
	n, err := p.valueAfterColon("job count")
	if err != nil {
		return nil, err
	}
	if n < 1 || n > maxJobs {
		return nil, p.errorf("job count %d out of range [1, %d]", n, maxJobs)
	}
	if err := p.until("horizon"); err != nil {
		return nil, err
	}
	if in.Horizon, err = p.valueAfterColon("horizon"); err != nil {
		return nil, err
	}
	if err := p.until("- renewable"); err != nil {
		return nil, err
	}
	k, err := p.valueAfterColon("renewable resource count")
	if err != nil {
		return nil, err
	}
	if k < 0 || k > maxResources {
		return nil, p.errorf("renewable resource count %d out of range [0, %d]", k, maxResources)
	}
	if err := p.until("- nonrenewable"); err != nil {
		return nil, err
	}
	if nn, err := p.valueAfterColon("nonrenewable resource count"); err != nil {
		return nil, err
	} else if nn != 0 {
		return nil, p.errorf("%d nonrenewable resources: only renewable resources are supported", nn)
	}
	if err := p.until("- doubly constrained"); err != nil {
		return nil, err
	}
	if nd, err := p.valueAfterColon("doubly constrained resource count"); err != nil {
		return nil, err
	} else if nd != 0 {
		return nil, p.errorf("%d doubly constrained resources: only renewable resources are supported", nd)
	}

	if err := p.until("PROJECT INFORMATION"); err != nil {
		return nil, err
	}
	if err := p.nextData("project information header"); err != nil {
		return nil, err
	}
	if err := p.nextData("project information"); err != nil {
		return nil, err
	}
	info, err := p.ints("project information")
	if err != nil {
		return nil, err
	}
	// pronr. #jobs rel.date duedate tardcost MPM-Time
	if len(info) != 6 {
		return nil, p.errorf("project information: %d fields, want 6", len(info))
	}
	in.DueDate, in.MPMTime = info[3], info[5]

	if err := p.until("PRECEDENCE RELATIONS"); err != nil {
		return nil, err
	}
	if err := p.nextData("precedence header"); err != nil {
		return nil, err
	}
	in.Successors = make([][]int, n)
	for j := 1; j <= n; j++ {
		if err := p.nextData(fmt.Sprintf("precedence line of job %d", j)); err != nil {
			return nil, err
		}
		f, err := p.ints("precedence")
		if err != nil {
			return nil, err
		}
		if len(f) < 3 {
			return nil, p.errorf("precedence of job %d: %d fields, want at least 3", j, len(f))
		}
		if f[0] != j {
			return nil, p.errorf("precedence: job %d where job %d was expected", f[0], j)
		}
		if f[1] != 1 {
			return nil, p.errorf("job %d has %d modes: only single-mode files are supported", j, f[1])
		}
		if f[2] != len(f)-3 {
			return nil, p.errorf("job %d: %d successors announced, %d listed", j, f[2], len(f)-3)
		}
		succ := make([]int, 0, len(f)-3)
		for _, s := range f[3:] {
			if s < 1 || s > n {
				return nil, p.errorf("job %d: successor %d out of range [1, %d]", j, s, n)
			}
			succ = append(succ, s-1)
		}
		in.Successors[j-1] = succ
	}

	if err := p.until("REQUESTS/DURATIONS"); err != nil {
		return nil, err
	}
	if err := p.nextData("requests header"); err != nil {
		return nil, err
	}
	in.Durations = make([]int, n)
	in.Demands = make([][]int, n)
	for j := 1; j <= n; j++ {
		if err := p.nextData(fmt.Sprintf("request line of job %d", j)); err != nil {
			return nil, err
		}
		f, err := p.ints("request")
		if err != nil {
			return nil, err
		}
		if len(f) != 3+k {
			return nil, p.errorf("request of job %d: %d fields, want %d (job, mode, duration, %d resources)", j, len(f), 3+k, k)
		}
		if f[0] != j {
			return nil, p.errorf("request: job %d where job %d was expected", f[0], j)
		}
		if f[1] != 1 {
			return nil, p.errorf("job %d: mode %d: only single-mode files are supported", j, f[1])
		}
		if f[2] < 0 {
			return nil, p.errorf("job %d: negative duration %d", j, f[2])
		}
		for r, q := range f[3:] {
			if q < 0 {
				return nil, p.errorf("job %d: negative request %d of resource %d", j, q, r+1)
			}
		}
		in.Durations[j-1] = f[2]
		in.Demands[j-1] = f[3:]
	}

	if err := p.until("RESOURCEAVAILABILITIES"); err != nil {
		return nil, err
	}
	if err := p.nextData("resource availability header"); err != nil {
		return nil, err
	}
	if err := p.nextData("resource availabilities"); err != nil {
		return nil, err
	}
	caps, err := p.ints("resource availabilities")
	if err != nil {
		return nil, err
	}
	if len(caps) != k {
		return nil, p.errorf("%d resource availabilities, want %d", len(caps), k)
	}
	for r, c := range caps {
		if c < 0 {
			return nil, p.errorf("resource %d: negative availability %d", r+1, c)
		}
	}
	in.Capacities = caps
	return in, nil
}

// Problem returns the instance as a levelling problem: activity i is job i+1
// (dummy source and sink included), each successor relation a finish-to-start
// arc with lag Durations[i].
func (in *Instance) Problem() *schedule.RCProblem {
	p := &schedule.RCProblem{
		Durations:  append([]int(nil), in.Durations...),
		Capacities: append([]int(nil), in.Capacities...),
		Demands:    make([][]int, len(in.Demands)),
	}
	for i, row := range in.Demands {
		p.Demands[i] = append([]int(nil), row...)
	}
	for i, succ := range in.Successors {
		for _, j := range succ {
			p.Arcs = append(p.Arcs, schedule.Arc{From: i, To: j, Lag: in.Durations[i]})
		}
	}
	return p
}

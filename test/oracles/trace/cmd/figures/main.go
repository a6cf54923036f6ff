// Command figures reads an execution trace with Go's own reader (golang.org/x/exp/trace) and
// prints, as JSON, the figures of pprof Studio's user-annotation tables, thread lanes and
// trace comparison, computed the way `go tool trace` computes them:
//
//   - tasks: grouped by type as cmd/trace's /usertasks page does (internal/trace's Summarizer:
//     a task exists once a begin, end, region or log names its id; its type comes from its
//     begin or end). count = all tasks of the type; durations = end - begin of the tasks with
//     both, sorted; histogram = traceviewer.TimeHistogram of those durations (five buckets per
//     power of ten).
//   - regions: per type, the durations of regions whose begin and end are both in the trace,
//     paired per goroutine as a stack (the end closes the innermost open region).
//   - logs: how many, per category.
//   - threads: cmd/trace's "by thread" view: a goroutine executes (running or in a syscall) on
//     the thread of the event that made it execute, until it stops executing; a syscall lasts
//     from the transition into it to the one out of it, on the thread of the first. Times held
//     when the trace starts begin at its first event; open ones end at its last.
//   - summary: peak live goroutines (goroutines in a state other than NotExist), goroutines
//     created (NotExist -> anything else), longest stop-the-world range.
//
// usage: figures FILE
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"golang.org/x/exp/trace"
)

type hist struct {
	MinBucket int   `json:"minBucket"`
	MaxBucket int   `json:"maxBucket"`
	Buckets   []int `json:"buckets"` // buckets[MinBucket..MaxBucket]
}

type taskType struct {
	Type      string  `json:"type"`
	Count     int     `json:"count"`
	Durations []int64 `json:"durations"`
	Histogram hist    `json:"histogram"`
}

type regionType struct {
	Type      string  `json:"type"`
	Durations []int64 `json:"durations"`
}

type threadOut struct {
	Thread     int64 `json:"thread"`
	ExecNs     int64 `json:"execNs"`
	Slices     int   `json:"slices"`
	SyscallNs  int64 `json:"syscallNs"`
	Syscalls   int   `json:"syscalls"`
	Goroutines int   `json:"goroutines"`
}

type output struct {
	Tasks       []taskType     `json:"tasks"`
	Regions     []regionType   `json:"regions"`
	Logs        int            `json:"logs"`
	LogsByCat   map[string]int `json:"logsByCategory"`
	Threads     []threadOut    `json:"threads"`
	PeakLive    int            `json:"peakLiveGoroutines"`
	Created     int            `json:"goroutinesCreated"`
	StwMaxNs    int64          `json:"stwMaxNs"`
	StwCount    int            `json:"stwCount"`
	DurationNs  int64          `json:"durationNs"`
	ReadErrText string         `json:"error,omitempty"`
}

type task struct {
	name       string
	start, end *trace.Time
}

type openRegion struct {
	name  string
	start trace.Time
}

type gExec struct {
	thread       trace.ThreadID
	since        trace.Time
	executing    bool
	syscallOn    trace.ThreadID
	syscallSince trace.Time
	inSyscall    bool
}

var logDiv = math.Log(math.Pow(10, 1.0/5))

func bucketOf(d int64) int {
	if d > 0 {
		return int(math.Log(float64(d)) / logDiv)
	}
	return 0
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: figures FILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := output{LogsByCat: map[string]int{}}
	tasks := map[trace.TaskID]*task{}
	getTask := func(id trace.TaskID) *task {
		t := tasks[id]
		if t == nil {
			t = &task{}
			tasks[id] = t
		}
		return t
	}
	regionStacks := map[trace.GoID][]openRegion{}
	regions := map[string][]int64{}
	threads := map[trace.ThreadID]*threadOut{}
	threadGs := map[trace.ThreadID]map[trace.GoID]bool{}
	th := func(id trace.ThreadID) *threadOut {
		t := threads[id]
		if t == nil {
			t = &threadOut{Thread: int64(id)}
			threads[id] = t
			threadGs[id] = map[trace.GoID]bool{}
		}
		return t
	}
	gs := map[trace.GoID]*gExec{}
	alive := map[trace.GoID]bool{}
	stwOpen := map[string]trace.Time{}
	var first, last trace.Time
	n := 0
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.ReadErrText = err.Error()
			break
		}
		if n == 0 {
			first = ev.Time()
		}
		n++
		last = ev.Time()
		switch ev.Kind() {
		case trace.EventTaskBegin, trace.EventTaskEnd:
			tk := ev.Task()
			t := getTask(tk.ID)
			t.name = tk.Type
			tm := ev.Time()
			if ev.Kind() == trace.EventTaskBegin {
				t.start = &tm
			} else {
				t.end = &tm
			}
			if tk.Parent != trace.NoTask {
				getTask(tk.Parent)
			}
		case trace.EventRegionBegin:
			rg := ev.Region()
			getTask(rg.Task)
			g := ev.Goroutine()
			regionStacks[g] = append(regionStacks[g], openRegion{rg.Type, ev.Time()})
		case trace.EventRegionEnd:
			rg := ev.Region()
			g := ev.Goroutine()
			st := regionStacks[g]
			if len(st) == 0 {
				getTask(rg.Task)
				break
			}
			top := st[len(st)-1]
			regionStacks[g] = st[:len(st)-1]
			regions[top.name] = append(regions[top.name], int64(ev.Time()-top.start))
		case trace.EventLog:
			l := ev.Log()
			getTask(l.Task)
			out.Logs++
			out.LogsByCat[l.Category]++
		case trace.EventRangeBegin:
			rg := ev.Range()
			if strings.HasPrefix(rg.Name, "stop-the-world") {
				stwOpen[rangeKey(rg)] = ev.Time()
			}
		case trace.EventRangeEnd:
			rg := ev.Range()
			if strings.HasPrefix(rg.Name, "stop-the-world") {
				k := rangeKey(rg)
				if t, ok := stwOpen[k]; ok {
					out.StwCount++
					out.StwMaxNs = max(out.StwMaxNs, int64(ev.Time()-t))
					delete(stwOpen, k)
				}
			}
		case trace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				break
			}
			id := st.Resource.Goroutine()
			from, to := st.Goroutine()
			if from == to {
				break
			}
			live := to != trace.GoNotExist
			if live != alive[id] {
				if live {
					alive[id] = true
				} else {
					delete(alive, id)
				}
			}
			out.PeakLive = max(out.PeakLive, len(alive))
			if from == trace.GoNotExist && to != trace.GoNotExist {
				out.Created++
			}
			g := gs[id]
			if g == nil {
				g = &gExec{}
				gs[id] = g
			}
			at := ev.Time()
			if from == trace.GoUndetermined {
				at = first
			}
			if from.Executing() && !to.Executing() && g.executing {
				t := th(g.thread)
				t.ExecNs += int64(ev.Time() - g.since)
				t.Slices++
				threadGs[g.thread][id] = true
				g.executing = false
			}
			if !from.Executing() && to.Executing() {
				g.executing, g.thread, g.since = true, ev.Thread(), at
			}
			if from == trace.GoSyscall && g.inSyscall {
				t := th(g.syscallOn)
				t.SyscallNs += int64(ev.Time() - g.syscallSince)
				t.Syscalls++
				g.inSyscall = false
			}
			if to == trace.GoSyscall {
				g.inSyscall, g.syscallOn, g.syscallSince = true, ev.Thread(), at
			}
		}
	}
	for _, t := range stwOpen {
		out.StwCount++
		out.StwMaxNs = max(out.StwMaxNs, int64(last-t))
	}
	for id, g := range gs {
		if g.executing {
			t := th(g.thread)
			t.ExecNs += int64(last - g.since)
			t.Slices++
			threadGs[g.thread][id] = true
		}
		if g.inSyscall {
			t := th(g.syscallOn)
			t.SyscallNs += int64(last - g.syscallSince)
			t.Syscalls++
		}
	}
	out.DurationNs = int64(last - first)

	byType := map[string]*taskType{}
	for _, t := range tasks {
		tt := byType[t.name]
		if tt == nil {
			tt = &taskType{Type: t.name, Durations: []int64{}}
			byType[t.name] = tt
		}
		tt.Count++
		if t.start != nil && t.end != nil {
			tt.Durations = append(tt.Durations, int64(*t.end-*t.start))
		}
	}
	for _, tt := range byType {
		sort.Slice(tt.Durations, func(i, j int) bool { return tt.Durations[i] < tt.Durations[j] })
		h := hist{MinBucket: -1}
		for _, d := range tt.Durations {
			b := bucketOf(d)
			if h.MinBucket < 0 || b < h.MinBucket {
				h.MinBucket = b
			}
			h.MaxBucket = max(h.MaxBucket, b)
		}
		if h.MinBucket >= 0 {
			h.Buckets = make([]int, h.MaxBucket-h.MinBucket+1)
			for _, d := range tt.Durations {
				h.Buckets[bucketOf(d)-h.MinBucket]++
			}
		} else {
			h = hist{Buckets: []int{}}
		}
		tt.Histogram = h
		out.Tasks = append(out.Tasks, *tt)
	}
	sort.Slice(out.Tasks, func(i, j int) bool { return out.Tasks[i].Type < out.Tasks[j].Type })
	for name, ds := range regions {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		out.Regions = append(out.Regions, regionType{Type: name, Durations: ds})
	}
	sort.Slice(out.Regions, func(i, j int) bool { return out.Regions[i].Type < out.Regions[j].Type })
	for id, t := range threads {
		t.Goroutines = len(threadGs[id])
		out.Threads = append(out.Threads, *t)
	}
	sort.Slice(out.Threads, func(i, j int) bool { return out.Threads[i].Thread < out.Threads[j].Thread })
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func rangeKey(r trace.Range) string {
	return fmt.Sprintf("%s|%v", r.Name, r.Scope)
}

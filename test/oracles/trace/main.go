// Command oracle reads a Go execution trace with Go's own reader (golang.org/x/exp/trace) and
// prints the figures pprof Studio must reproduce exactly, as JSON:
//
//	oracle FILE            per-goroutine state totals, GC count, STW total, event digest
//	oracle -dump FILE      one canonical line per event (for diffing against our reader)
//	oracle -bench FILE     time spent reading all events (file already in memory)
//	oracle -cpu [-from NS] [-to NS] FILE   CPU samples per function (flat, cum) in a window
//
// Definitions (shared with core/trace/totals.ts):
//   - A goroutine's interval in a state starts at its transition into the state, or at the
//     trace's first event for a state held when the trace starts (Undetermined -> X), and ends
//     at its transition out, or at the trace's last event.
//   - gcCount: "GC concurrent mark phase" ranges that begin during the trace.
//   - stwNs: summed length of "stop-the-world (...)" ranges that begin during the trace; one
//     still open at the end ends at the trace's last event.
//   - startFunction: the root (outermost) frame of the first non-empty stack on a transition
//     that changes the goroutine's state (the rule `go tool trace` uses to name goroutines).
//
// When the reader fails part way (a truncated or corrupt tail), the events up to and including
// the last Sync event before the error count (the events of complete generations, as
// `go tool trace` keeps them), and the error text is reported in "error".
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

type goroutineOut struct {
	ID            int64  `json:"id"`
	StartFunction string `json:"startFunction"`
	RunningNs     int64  `json:"runningNs"`
	RunnableNs    int64  `json:"runnableNs"`
	BlockedNs     int64  `json:"blockedNs"`
	SyscallNs     int64  `json:"syscallNs"`
}

type output struct {
	GoVersion    string         `json:"goVersion"`
	DurationNs   int64          `json:"durationNs"`
	GcCount      int            `json:"gcCount"`
	StwNs        int64          `json:"stwNs"`
	Goroutines   []goroutineOut `json:"goroutines"`
	EventCount   int            `json:"eventCount"`
	EventsSha256 string         `json:"eventsSha256"`
	Error        string         `json:"error,omitempty"`
}

type gAcc struct {
	out   goroutineOut
	state trace.GoState
	since trace.Time
	named bool
}

func main() {
	dump := flag.Bool("dump", false, "print one canonical line per event instead of the summary")
	bench := flag.Bool("bench", false, "only time reading all events")
	cpu := flag.Bool("cpu", false, "print the CPU samples' counts per function instead (see cpu.go)")
	from := flag.Int64("from", 0, "with -cpu: first ns (since the first event) counted")
	to := flag.Int64("to", -1, "with -cpu: ns (since the first event) before which samples count; -1 = the end")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: oracle [-dump|-bench] FILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *bench {
		runBench(data)
		return
	}
	if *cpu {
		if err := runCPU(data, *from, *to); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var w *bufio.Writer
	if *dump {
		w = bufio.NewWriterSize(os.Stdout, 1<<20)
		defer w.Flush()
	}
	out, err := summarize(data, w)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *dump {
		return
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func runBench(data []byte) {
	start := time.Now()
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := 0
	for {
		_, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n++
	}
	elapsed := time.Since(start)
	fmt.Printf("{\"events\":%d,\"readNs\":%d}\n", n, elapsed.Nanoseconds())
}

func goVersion(data []byte) string {
	var minor int
	if _, err := fmt.Sscanf(string(data[:min(len(data), 16)]), "go 1.%d trace", &minor); err != nil {
		return ""
	}
	return fmt.Sprintf("1.%d", minor)
}

// keptEvents returns how many events to use: all of them, or on a read error the events up
// to and including the last Sync before it.
func keptEvents(data []byte) (int, error) {
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	n, valid := 0, 0
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return valid, err
		}
		n++
		if ev.Kind() == trace.EventSync {
			valid = n
		}
	}
}

func summarize(data []byte, dump *bufio.Writer) (*output, error) {
	keep, readErr := keptEvents(data)
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out := &output{GoVersion: goVersion(data)}
	if readErr != nil {
		out.Error = readErr.Error()
	}
	gs := map[trace.GoID]*gAcc{}
	stwOpen := map[string]trace.Time{}
	var first, last trace.Time
	digest := sha256.New()
	var line strings.Builder
	n := 0
	for n < keep {
		ev, err := r.ReadEvent()
		if err != nil {
			return nil, fmt.Errorf("second read differs from the first: %v", err)
		}
		if n == 0 {
			first = ev.Time()
		}
		last = ev.Time()
		n++
		line.Reset()
		canonical(&line, &ev, first)
		writeLine(digest, dump, line.String())

		switch ev.Kind() {
		case trace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				break
			}
			id := st.Resource.Goroutine()
			from, to := st.Goroutine()
			g := gs[id]
			if g == nil {
				g = &gAcc{out: goroutineOut{ID: int64(id)}, state: trace.GoNotExist}
				gs[id] = g
			}
			if from == to {
				break
			}
			if !g.named {
				var fn string
				for f := range st.Stack.Frames() {
					fn = f.Func
				}
				if fn != "" {
					g.out.StartFunction = fn
					g.named = true
				}
			}
			g.close(ev.Time())
			g.state, g.since = to, ev.Time()
			if from == trace.GoUndetermined {
				// Held since the trace started: the interval begins at the first event.
				g.since = first
			}
		case trace.EventRangeBegin:
			rg := ev.Range()
			if rg.Name == "GC concurrent mark phase" {
				out.GcCount++
			}
			if strings.HasPrefix(rg.Name, "stop-the-world") {
				stwOpen[rangeKey(rg)] = ev.Time()
			}
		case trace.EventRangeEnd:
			rg := ev.Range()
			if strings.HasPrefix(rg.Name, "stop-the-world") {
				k := rangeKey(rg)
				if t, ok := stwOpen[k]; ok {
					out.StwNs += int64(ev.Time() - t)
					delete(stwOpen, k)
				}
			}
		}
	}
	for _, t := range stwOpen {
		out.StwNs += int64(last - t)
	}
	ids := make([]trace.GoID, 0, len(gs))
	for id, g := range gs {
		g.close(last)
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out.Goroutines = make([]goroutineOut, 0, len(ids))
	for _, id := range ids {
		out.Goroutines = append(out.Goroutines, gs[id].out)
	}
	out.DurationNs = int64(last - first)
	out.EventCount = n
	out.EventsSha256 = hex.EncodeToString(digest.Sum(nil))
	return out, nil
}

// close adds the time since the goroutine entered its current state up to t.
func (g *gAcc) close(t trace.Time) {
	d := int64(t - g.since)
	switch g.state {
	case trace.GoRunning:
		g.out.RunningNs += d
	case trace.GoRunnable:
		g.out.RunnableNs += d
	case trace.GoWaiting:
		g.out.BlockedNs += d
	case trace.GoSyscall:
		g.out.SyscallNs += d
	}
	g.since = t
}

func rangeKey(r trace.Range) string {
	return fmt.Sprintf("%s/%s", r.Name, r.Scope)
}

func writeLine(h hash.Hash, dump *bufio.Writer, s string) {
	io.WriteString(h, s)
	h.Write([]byte{'\n'})
	if dump != nil {
		dump.WriteString(s)
		dump.WriteByte('\n')
	}
}

// canonical writes one event as text. core/trace's test helper writes the same format, so
// the two readers can be compared event by event (times are relative to the first event).
func canonical(b *strings.Builder, ev *trace.Event, first trace.Time) {
	fmt.Fprintf(b, "%s t=%d g=%d p=%d m=%d", ev.Kind(), int64(ev.Time()-first), ev.Goroutine(), ev.Proc(), ev.Thread())
	switch ev.Kind() {
	case trace.EventSync:
		fmt.Fprintf(b, " n=%d", ev.Sync().N)
	case trace.EventMetric:
		m := ev.Metric()
		fmt.Fprintf(b, " %s=%d", m.Name, m.Value.Uint64())
	case trace.EventLabel:
		l := ev.Label()
		fmt.Fprintf(b, " label=%q on=%d", l.Label, l.Resource.Goroutine())
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		rg := ev.Range()
		fmt.Fprintf(b, " range=%q scope=%s", rg.Name, scopeString(rg.Scope))
		if ev.Kind() == trace.EventRangeEnd {
			for _, a := range ev.RangeAttributes() {
				fmt.Fprintf(b, " %s=%d", strings.ReplaceAll(a.Name, " ", "_"), a.Value.Uint64())
			}
		}
	case trace.EventTaskBegin, trace.EventTaskEnd:
		t := ev.Task()
		fmt.Fprintf(b, " task=%d parent=%d type=%q", int64(t.ID), int64(t.Parent), t.Type)
	case trace.EventRegionBegin, trace.EventRegionEnd:
		rg := ev.Region()
		fmt.Fprintf(b, " task=%d type=%q", int64(rg.Task), rg.Type)
	case trace.EventLog:
		l := ev.Log()
		fmt.Fprintf(b, " task=%d category=%q message=%q", int64(l.Task), l.Category, l.Message)
	case trace.EventStateTransition:
		st := ev.StateTransition()
		switch st.Resource.Kind {
		case trace.ResourceGoroutine:
			from, to := st.Goroutine()
			fmt.Fprintf(b, " G%d %s->%s", st.Resource.Goroutine(), from, to)
		case trace.ResourceProc:
			from, to := st.Proc()
			fmt.Fprintf(b, " P%d %s->%s", st.Resource.Proc(), from, to)
		}
		fmt.Fprintf(b, " reason=%q", st.Reason)
		writeStack(b, " tstack=", st.Stack)
	}
	writeStack(b, " stack=", ev.Stack())
}

func scopeString(r trace.ResourceID) string {
	switch r.Kind {
	case trace.ResourceGoroutine:
		return fmt.Sprintf("G%d", r.Goroutine())
	case trace.ResourceProc:
		return fmt.Sprintf("P%d", r.Proc())
	case trace.ResourceThread:
		return fmt.Sprintf("M%d", r.Thread())
	}
	return "none"
}

func writeStack(b *strings.Builder, label string, s trace.Stack) {
	if s == trace.NoStack {
		return
	}
	b.WriteString(label)
	i := 0
	for f := range s.Frames() {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(b, "%s@%x %s:%d", f.Func, f.PC, f.File, f.Line)
		i++
	}
}

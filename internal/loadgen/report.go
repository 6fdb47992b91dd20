package loadgen

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Report is the outcome of a run.
type Report struct {
	Mode Mode   `json:"mode"`
	URL  string `json:"url"`
	// Examinees is the number taking part; in healthz mode, the number of
	// concurrent clients.
	Examinees   int           `json:"examinees"`
	Think       string        `json:"think"`
	Interrupted bool          `json:"interrupted,omitempty"`
	Phases      []PhaseReport `json:"phases"`
	// SaveHealthzRatio is the save phase's rate over the healthz phase's
	// rate of the same run; 0 when either did not run.
	SaveHealthzRatio float64      `json:"save_healthz_ratio,omitempty"`
	Errors           []ErrorCount `json:"errors"`
}

// PhaseReport is one phase: its wall time, from the moment its
// goroutines were released until the last one returned, and its
// operations.
type PhaseReport struct {
	Name    string     `json:"name"`
	Seconds float64    `json:"seconds"`
	Ops     []OpReport `json:"ops"`
}

// OpReport is one kind of request within a phase.
type OpReport struct {
	Name   string `json:"name"`
	OK     int64  `json:"ok"`
	Failed int64  `json:"failed"`
	// PerSecond is OK over the phase's wall time.
	PerSecond float64 `json:"per_second"`
	// LastOKSeconds is the time from the phase's start until the last
	// successful request of this kind had its response: for a start,
	// when the last examinee had its questions.
	LastOKSeconds float64 `json:"last_ok_seconds"`
	// Latency is that of the successful requests.
	Latency Latency `json:"latency"`
}

// Latency summarizes request latencies, in milliseconds.
type Latency struct {
	Count int64   `json:"count"`
	Mean  float64 `json:"mean_ms"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// report gathers the run's phases and errors.
func (r *runner) report(interrupted bool) *Report {
	rep := &Report{
		Mode:        r.cfg.Mode,
		URL:         r.cfg.URL,
		Examinees:   r.n,
		Think:       r.cfg.Think.String(),
		Interrupted: interrupted,
		Errors:      r.errs.list(),
	}
	for _, p := range r.phases {
		if p.start.IsZero() {
			continue // never began: the run was interrupted before
		}
		secs := p.end.Sub(p.start).Seconds()
		pr := PhaseReport{Name: p.name, Seconds: secs}
		for _, o := range p.ops {
			ok := o.ok.Load()
			pr.Ops = append(pr.Ops, OpReport{
				Name:          o.name,
				OK:            ok,
				Failed:        o.failed.Load(),
				PerSecond:     perSecond(ok, secs),
				LastOKSeconds: time.Duration(o.lastOK.Load()).Seconds(),
				Latency:       o.lat.Summary(),
			})
		}
		rep.Phases = append(rep.Phases, pr)
	}
	rep.SaveHealthzRatio = ratio(rep.rate("saves", "save"), rep.rate("healthz", "healthz"))
	return rep
}

// perSecond is n over secs, 0 for no time.
func perSecond(n int64, secs float64) float64 {
	if secs <= 0 {
		return 0
	}
	return float64(n) / secs
}

// ratio is a/b, 0 when either is 0.
func ratio(a, b float64) float64 {
	if a == 0 || b == 0 {
		return 0
	}
	return a / b
}

// rate returns the rate of operation op in the phase, 0 if it did not
// run.
func (rep *Report) rate(phase, op string) float64 {
	for _, p := range rep.Phases {
		for _, o := range p.Ops {
			if p.Name == phase && o.Name == op {
				return o.PerSecond
			}
		}
	}
	return 0
}

// WriteText prints the report as a plain-text table.
func (rep *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	who := "examinees"
	if rep.Mode == ModeHealthz {
		who = "clients"
	}
	fmt.Fprintf(&b, "pufa loadtest: mode %s, %d %s, think %s, %s\n", rep.Mode, rep.Examinees, who, rep.Think, rep.URL)
	if rep.Interrupted {
		b.WriteString("INTERRUPTED: the figures cover the run until the interrupt\n")
	}
	b.WriteString("\n")
	const row = "%-8s %7s  %-8s %7s %6s %8s %8s %8s %8s %8s %8s %8s\n"
	fmt.Fprintf(&b, row, "phase", "time", "op", "ok", "failed", "ok/s", "p50", "p90", "p95", "p99", "max", "last ok")
	for _, p := range rep.Phases {
		name, secs := p.Name, fmtDur(seconds(p.Seconds))
		for _, o := range p.Ops {
			l := o.Latency
			lat := []string{"-", "-", "-", "-", "-", "-"}
			if l.Count > 0 {
				lat = []string{fmtMs(l.P50), fmtMs(l.P90), fmtMs(l.P95), fmtMs(l.P99), fmtMs(l.Max), fmtDur(seconds(o.LastOKSeconds))}
			}
			fmt.Fprintf(&b, row, name, secs, o.Name, fmt.Sprint(o.OK), fmt.Sprint(o.Failed), fmt.Sprintf("%.1f", o.PerSecond),
				lat[0], lat[1], lat[2], lat[3], lat[4], lat[5])
			name, secs = "", ""
		}
	}
	if rep.SaveHealthzRatio > 0 {
		fmt.Fprintf(&b, "\nsave rate / healthz rate: %.3f (%.1f saves/s, %.1f healthz/s)\n",
			rep.SaveHealthzRatio, rep.rate("saves", "save"), rep.rate("healthz", "healthz"))
	}
	if len(rep.Errors) > 0 {
		b.WriteString("\nfailures:\n")
		for _, e := range rep.Errors {
			fmt.Fprintf(&b, "  %-8s %-24s %7d", e.Op, e.Kind, e.Count)
			for i, ex := range e.Examples {
				sep := "  e.g. "
				if i > 0 {
					sep = "; "
				}
				fmt.Fprintf(&b, "%s%q", sep, ex)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// seconds converts a float of seconds to a duration.
func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second))
}

// fmtMs formats a latency in milliseconds.
func fmtMs(v float64) string {
	return fmtDur(time.Duration(v * float64(time.Millisecond)))
}

// fmtDur formats d with three significant digits or so, in the largest
// unit that keeps it at least 1: 850µs, 1.25ms, 12.5ms, 250ms, 1.25s,
// 12.5s, 125s.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", ms(d))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", ms(d))
	case d < time.Second:
		return fmt.Sprintf("%.0fms", ms(d))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < 100*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%.0fs", d.Seconds())
}

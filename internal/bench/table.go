package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteTable prints the one table: per scenario the provider's figures, the baseline's, and
// their ratio (provider / baseline: below 1 is better for every column).
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| Scenario | Run | Lag median | Lag worst | API calls | Calls per restore | 429s | Wall | Floor | Provider peak mem | Ctrl-C → exit | Jobs completed |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		name := r.Scenario.Name
		if r.Err != nil {
			fmt.Fprintf(w, "| %s | error | %v | | | | | | | | | |\n", name, oneLine(r.Err))
			continue
		}
		p := r.Provider
		fmt.Fprintf(w, "| %s | provider | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s |\n", name,
			lag(p.LagMedian, p.HasLag), lag(p.LagWorst, p.HasLag), calls(p), perRestore(p, r.Scenario), p.Throttled, secs(p.Wall),
			floorOf(p, r.Scenario), mb(p.PeakMem), intr(p), jobs(p, r.Scenario))
		if r.Base == nil {
			if r.Scenario.Command == "plan" {
				fmt.Fprintln(w, "| | baseline | — | — | 0 | — | 0 | — | — | — | — | (checks nothing at plan time) |")
			}
			continue
		}
		b := *r.Base
		fmt.Fprintf(w, "| | baseline | %s | %s | %s | %s | %d | %s | %s | — | %s | %s |\n",
			lag(b.LagMedian, b.HasLag), lag(b.LagWorst, b.HasLag), calls(b), perRestore(b, r.Scenario), b.Throttled, secs(b.Wall),
			floorOf(b, r.Scenario), intr(b), jobs(b, r.Scenario))
		fmt.Fprintf(w, "| | ratio | %s | %s | %s | | %s | %s | | | %s | |\n",
			ratioD(p.LagMedian, b.LagMedian, p.HasLag && b.HasLag), ratioD(p.LagWorst, b.LagWorst, p.HasLag && b.HasLag),
			ratioI(p.Calls, b.Calls), ratioI(p.Throttled, b.Throttled), ratioD(p.Wall, b.Wall, true),
			ratioD(p.Interrupt, b.Interrupt, p.HasInterrupt && b.HasInterrupt))
	}
}

// restoresOf is how many restores a scenario's provider side ran (all runs).
func restoresOf(f Figures, sc Scenario) int { return sc.Targets * max(f.Runs, 1) }

// perRestore is the calls per restore, plan and apply together. With repeated runs the calls are
// those of the busiest run, so they are divided by one run's restores.
func perRestore(f Figures, sc Scenario) string {
	if sc.Command == "plan" || sc.Targets == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(f.Calls)/float64(sc.Targets))
}

// floor is the least wall time the scenario allows: the longest job, or the calls made at the
// gateway's rate, whichever is longer (429s excluded: the gateway did not count them).
func floor(f Figures, sc Scenario) time.Duration {
	d := sc.JobDuration
	if sc.Gateway > 0 {
		d = max(d, time.Duration(float64(f.Calls-f.Throttled)/float64(sc.Gateway)*float64(time.Minute)))
	}
	return d
}

func floorOf(f Figures, sc Scenario) string {
	if sc.Command == "plan" || sc.Repeat > 1 || sc.Interrupt > 0 {
		return "—"
	}
	return secs(floor(f, sc))
}

func lag(d time.Duration, has bool) string {
	if !has {
		return "—"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func secs(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	if d < 10*time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func mb(b int64) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f MB", float64(b)/1e6)
}

func intr(f Figures) string {
	if !f.HasInterrupt {
		return "—"
	}
	return secs(f.Interrupt)
}

func jobs(f Figures, sc Scenario) string {
	if sc.Command == "plan" {
		return "— (plan)"
	}
	return fmt.Sprintf("%d/%d", f.Completed, sc.Targets*max(f.Runs, 1))
}

// calls is the call count, or its range over repeated runs.
func calls(f Figures) string {
	if f.Runs > 1 && f.MinCalls != f.Calls {
		return fmt.Sprintf("%d–%d", f.MinCalls, f.Calls)
	}
	return fmt.Sprintf("%d", f.Calls)
}

func ratioD(a, b time.Duration, has bool) string {
	if !has || b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
}

func ratioI(a, b int) string {
	if b <= 0 {
		if a == 0 {
			return "—"
		}
		return "∞"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}

func oneLine(err error) string {
	s := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

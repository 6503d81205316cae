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

// Goal is one line of issue 5's goals table, judged from the rows.
type Goal struct {
	Figure, Target, Measured string
	Met                      bool
	Judged                   bool // false: no scenario of this run measures it
}

// Goals judges the goals of issue 5 from the rows that measure them.
func Goals(rows []Row) []Goal {
	var out []Goal
	ok := func(r Row) bool { return r.Err == nil }

	g := Goal{Figure: "end of a job to end of its wait (one restore)", Target: "median <= 0.5 s, worst <= 1.5 s"}
	var parts []string
	g.Met = true
	for _, r := range rows {
		if r.Scenario.Targets != 1 || r.Scenario.Interrupt > 0 || !ok(r) {
			continue
		}
		g.Judged = true
		p := r.Provider
		parts = append(parts, fmt.Sprintf("%s job: %s / %s over %d runs", r.Scenario.JobDuration, lag(p.LagMedian, p.HasLag),
			lag(p.LagWorst, p.HasLag), len(p.Lags)))
		if !p.HasLag || p.LagMedian > 500*time.Millisecond || p.LagWorst > 1500*time.Millisecond {
			g.Met = false
		}
	}
	g.Measured = strings.Join(parts, "; ")
	out = append(out, g)

	g = Goal{Figure: "API calls for one restore of a 60 s job, plan and apply", Target: "<= 15"}
	for _, r := range rows {
		if r.Scenario.Targets == 1 && r.Scenario.JobDuration == time.Minute && r.Scenario.Interrupt == 0 && ok(r) {
			g.Judged, g.Met = true, r.Provider.Calls <= 15 && r.Provider.Completed == r.Provider.Runs
			g.Measured = calls(r.Provider)
			if r.Provider.Runs > 1 {
				g.Measured += fmt.Sprintf(" (%d runs)", r.Provider.Runs)
			}
		}
	}
	out = append(out, g)

	g = Goal{Figure: "20 restores, gateway 120/min", Target: "all complete, <= a handful of 429s, <= 130 calls"}
	for _, r := range rows {
		if r.Scenario.Targets == 20 && ok(r) {
			p := r.Provider
			g.Judged = true
			g.Met = p.Completed == 20 && p.Throttled <= 5 && p.Calls <= 130 && p.ExitOK
			g.Measured = fmt.Sprintf("%d/20 complete, %d 429s, %d calls", p.Completed, p.Throttled, p.Calls)
			if r.Scenario.JobDuration != time.Minute {
				g.Measured += fmt.Sprintf(" (%s jobs)", r.Scenario.JobDuration)
			}
		}
	}
	out = append(out, g)

	g = Goal{Figure: "50 restores, gateway 60/min", Target: "all complete; wall <= 1.25 x max(calls / rate, longest job)"}
	for _, r := range rows {
		if r.Scenario.Targets == 50 && ok(r) {
			p := r.Provider
			floor := max(time.Duration(float64(p.Calls-p.Throttled)/float64(r.Scenario.Gateway)*float64(time.Minute)), r.Scenario.JobDuration)
			g.Judged = true
			g.Met = p.Completed == 50 && p.ExitOK && p.Wall <= floor*5/4
			g.Measured = fmt.Sprintf("%d/50 complete, wall %s vs floor %s (%.2fx)", p.Completed, secs(p.Wall), secs(floor),
				p.Wall.Seconds()/floor.Seconds())
		}
	}
	out = append(out, g)

	g = Goal{Figure: "plan of 100 restores from one source", Target: "each instance and backup read once; no throttling failure"}
	for _, r := range rows {
		if r.Scenario.Command == "plan" && ok(r) {
			p := r.Provider
			g.Judged = true
			g.Met = p.Repeats == 0 && p.ExitOK
			g.Measured = fmt.Sprintf("%d calls, %d repeated reads, %d 429s, plan %s", p.Calls, p.Repeats, p.Throttled,
				map[bool]string{true: "succeeded", false: "FAILED"}[p.ExitOK])
		}
	}
	out = append(out, g)

	g = Goal{Figure: "Ctrl-C to the CLI's exit while waiting", Target: "<= 1 s"}
	for _, r := range rows {
		if r.Scenario.Interrupt > 0 && ok(r) && r.Provider.HasInterrupt {
			g.Judged, g.Met = true, r.Provider.Interrupt <= time.Second
			g.Measured = secs(r.Provider.Interrupt)
		}
	}
	out = append(out, g)

	g = Goal{Figure: "provider peak memory, 100 restores", Target: "<= 50 MB"}
	var peaks []string
	g.Met = true
	for _, r := range rows {
		if r.Scenario.Targets == 100 && ok(r) && r.Provider.PeakMem > 0 {
			g.Judged = true
			peaks = append(peaks, fmt.Sprintf("%s %s", r.Scenario.Command, mb(r.Provider.PeakMem)))
			if r.Provider.PeakMem > 50e6 {
				g.Met = false
			}
		}
	}
	g.Measured = strings.Join(peaks, ", ")
	out = append(out, g)
	return append(out, crowdGoals(rows)...)
}

// restoresOf is how many restores a scenario's provider side ran (all runs).
func restoresOf(f Figures, sc Scenario) int { return sc.Targets * max(f.Runs, 1) }

// perRestore is the calls per restore, plan and apply together.
func perRestore(f Figures, sc Scenario) string {
	if sc.Command == "plan" || sc.Targets == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(f.Calls)/float64(restoresOf(f, sc)))
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

// crowdGoals are the goals for crowds of restores at the documented budget: calls per restore,
// the lag of a crowd's ends, the wall time against its floor, and applies sharing one key.
func crowdGoals(rows []Row) []Goal {
	var out []Goal
	usable := func(r Row) bool { return r.Err == nil && r.Scenario.Command == "apply" && r.Scenario.Interrupt == 0 }

	g := Goal{Figure: "API calls per restore, plan and apply together, 30 and 50 restores", Target: "<= 2.5", Met: true}
	var parts []string
	for _, r := range rows {
		if usable(r) && (r.Scenario.Targets == 30 || r.Scenario.Targets == 50) && r.Scenario.Concurrent <= 1 {
			g.Judged = true
			pr := float64(r.Provider.Calls) / float64(r.Scenario.Targets)
			parts = append(parts, fmt.Sprintf("%d restores: %.2f (%d calls)", r.Scenario.Targets, pr, r.Provider.Calls))
			g.Met = g.Met && pr <= 2.5
		}
	}
	g.Measured = strings.Join(parts, "; ")
	out = append(out, g)

	g = Goal{Figure: "end of a crowd's jobs to the end of their waits (up to 100), gateway 60/min", Target: "<= 3 s (worst job)", Met: true}
	parts = nil
	for _, r := range rows {
		if usable(r) && r.Scenario.Targets >= 20 && r.Scenario.Gateway == 60 && r.Scenario.Concurrent <= 1 {
			g.Judged = true
			p := r.Provider
			parts = append(parts, fmt.Sprintf("%d restores: worst %s, median %s", r.Scenario.Targets, lag(p.LagWorst, p.HasLag),
				lag(p.LagMedian, p.HasLag)))
			g.Met = g.Met && p.HasLag && p.LagWorst <= 3*time.Second
		}
	}
	g.Measured = strings.Join(parts, "; ")
	out = append(out, g)

	g = Goal{Figure: "50 restores, 60 s jobs, gateway 60/min: wall", Target: "<= 1.15 x floor, max(longest job, calls / rate)"}
	for _, r := range rows {
		if usable(r) && r.Scenario.Targets == 50 && r.Scenario.Gateway == 60 {
			p := r.Provider
			fl := floor(p, r.Scenario)
			g.Judged = true
			g.Met = p.Completed == 50 && p.ExitOK && float64(p.Wall) <= 1.15*float64(fl)
			g.Measured = fmt.Sprintf("wall %s, floor %s (%.2fx)", secs(p.Wall), secs(fl), p.Wall.Seconds()/fl.Seconds())
			if r.Base != nil {
				g.Measured += fmt.Sprintf("; baseline in the same run: wall %s, %d calls", secs(r.Base.Wall), r.Base.Calls)
			}
		}
	}
	out = append(out, g)

	g = Goal{Figure: "3 concurrent applies on one key, 8 restores each, 60/min", Target: "all complete; <= 3 calls per restore; 429s <= 5% of calls"}
	for _, r := range rows {
		if usable(r) && r.Scenario.Concurrent > 1 {
			p := r.Provider
			pr := float64(p.Calls) / float64(r.Scenario.Targets)
			share := 0.0
			if p.Calls > 0 {
				share = float64(p.Throttled) / float64(p.Calls)
			}
			g.Judged = true
			g.Met = p.Completed == r.Scenario.Targets && p.ExitOK && pr <= 3 && share <= 0.05
			g.Measured = fmt.Sprintf("%d/%d complete, %.2f calls per restore, %d 429s (%.1f%% of %d calls)", p.Completed,
				r.Scenario.Targets, pr, p.Throttled, 100*share, p.Calls)
		}
	}
	out = append(out, g)
	return out
}

// WriteGoals prints the goals as a table.
func WriteGoals(w io.Writer, goals []Goal) {
	fmt.Fprintln(w, "| Goal | Target | Measured | Verdict |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, g := range goals {
		v := "not measured in this run"
		if g.Judged {
			v = map[bool]string{true: "met", false: "MISSED"}[g.Met]
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", g.Figure, g.Target, g.Measured, v)
	}
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

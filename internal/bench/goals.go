package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Goal is one line of the benchmark's goals: a figure of the rows it applies to, at most Limit
// (in Unit). A goal is met when every row it applies to measures the figure within the limit,
// and not judged when no row of the run applies.
type Goal struct {
	Group  string // the goal in words, shared by the lines that make it up
	Figure string // the figure's name, e.g. "lag worst"
	Limit  float64
	Unit   string
	// Applies picks the rows that measure this goal.
	Applies func(Scenario) bool
	// Value is the figure of one side of a row (the provider's; the baseline's for comparison);
	// false when that side does not measure it.
	Value func(Figures, Scenario) (float64, bool)
}

// Verdict is a goal judged from the rows of one run.
type Verdict struct {
	Goal     Goal
	Measured []string // per row: its figure, and the baseline's beside it
	Judged   bool     // some row applies
	Met      bool
}

// The figures the goals are made of.
var (
	figLagMedian = func(f Figures, _ Scenario) (float64, bool) { return f.LagMedian.Seconds(), f.HasLag }
	figLagWorst  = func(f Figures, _ Scenario) (float64, bool) { return f.LagWorst.Seconds(), f.HasLag }
	figCalls     = func(f Figures, _ Scenario) (float64, bool) { return float64(f.Calls), true }
	figRepeats   = func(f Figures, _ Scenario) (float64, bool) { return float64(f.Repeats), true }
	// figPerRestore: with repeated runs the calls are the busiest run's, over one run's restores.
	figPerRestore = func(f Figures, sc Scenario) (float64, bool) {
		return float64(f.Calls) / float64(max(sc.Targets, 1)), sc.Targets > 0
	}
	fig429Share = func(f Figures, _ Scenario) (float64, bool) {
		return 100 * float64(f.Throttled) / float64(max(f.Calls, 1)), f.Calls > 0
	}
	figWallOverFloor = func(f Figures, sc Scenario) (float64, bool) {
		fl := floor(f, sc)
		return f.Wall.Seconds() / fl.Seconds(), f.Wall > 0 && fl > 0
	}
	// figFailures: jobs not completed, plus one for a CLI that exited with an error ("all
	// complete" is then zero).
	figFailures = func(f Figures, sc Scenario) (float64, bool) {
		n := restoresOf(f, sc) - f.Completed
		if !f.ExitOK {
			n++
		}
		return float64(n), true
	}
	figExitFailures = func(f Figures, _ Scenario) (float64, bool) {
		if f.ExitOK {
			return 0, true
		}
		return 1, true
	}
	figInterrupt = func(f Figures, _ Scenario) (float64, bool) { return f.Interrupt.Seconds(), f.HasInterrupt }
	figPeakMem   = func(f Figures, _ Scenario) (float64, bool) { return float64(f.PeakMem) / 1e6, f.PeakMem > 0 }
	figBusy      = func(f Figures, _ Scenario) (float64, bool) { return f.BusyWorst.Seconds(), f.HasBusy }
)

// Which rows a goal applies to.
func single(sc Scenario) bool {
	return sc.Targets == 1 && sc.Interrupt == 0 && sc.Command == "apply" && !sc.Busy
}
func single60(sc Scenario) bool { return single(sc) && sc.JobDuration == time.Minute }

// crowdApply is one apply of many restores (not split among concurrent applies, not interrupted).
func crowdApply(sc Scenario) bool {
	return sc.Command == "apply" && sc.Interrupt == 0 && sc.Concurrent <= 1 && sc.Targets > 1
}

func targets(n int) func(Scenario) bool {
	return func(sc Scenario) bool { return crowdApply(sc) && sc.Targets == n }
}

func fiftyAt60(sc Scenario) bool { return crowdApply(sc) && sc.Targets == 50 && sc.Gateway == 60 }

func sharedKey(n int) func(Scenario) bool {
	return func(sc Scenario) bool { return sc.Command == "apply" && sc.Interrupt == 0 && sc.Concurrent == n }
}

// Goals are the benchmark's goals (issue 19's table, with the defaults: nothing shared between
// the walks of a command, GOGC untouched): the first ones for waiting on one restore, a plan and
// memory; the later ones for crowds of restores at the documented budget of 60 calls a minute.
var Goals = []Goal{
	{Group: "one restore: end of its job to the end of its wait", Figure: "lag median", Limit: 1, Unit: "s",
		Applies: single, Value: figLagMedian},
	{Group: "one restore of a 60 s job, plan and apply", Figure: "API calls", Limit: 15, Unit: "calls",
		Applies: single60, Value: figCalls},
	{Group: "one restore of a 60 s job, plan and apply", Figure: "jobs not completed, failed exits", Limit: 0, Unit: "",
		Applies: single60, Value: figFailures},
	{Group: "busy target: end of the blocking job to our submission", Figure: "worst", Limit: 3, Unit: "s",
		Applies: func(sc Scenario) bool { return sc.Busy }, Value: figBusy},
	{Group: "20 restores, gateway 120/min", Figure: "jobs not completed, failed exits", Limit: 0, Unit: "",
		Applies: targets(20), Value: figFailures},
	{Group: "50 restores, gateway 60/min", Figure: "jobs not completed, failed exits", Limit: 0, Unit: "",
		Applies: fiftyAt60, Value: figFailures},
	{Group: "50 restores, 60 s jobs, gateway 60/min: wall", Figure: "wall / floor", Limit: 1.25, Unit: "x",
		Applies: fiftyAt60, Value: figWallOverFloor},
	{Group: "plan of 100 restores from one source", Figure: "repeated reads", Limit: 0, Unit: "",
		Applies: func(sc Scenario) bool { return sc.Command == "plan" }, Value: figRepeats},
	{Group: "plan of 100 restores from one source", Figure: "failed exits (throttling)", Limit: 0, Unit: "",
		Applies: func(sc Scenario) bool { return sc.Command == "plan" }, Value: figExitFailures},
	{Group: "Ctrl-C to the CLI's exit while waiting", Figure: "Ctrl-C → exit (worst)", Limit: 1, Unit: "s",
		Applies: func(sc Scenario) bool { return sc.Interrupt > 0 }, Value: figInterrupt},
	{Group: "provider peak memory, 100 restores, GOGC untouched", Figure: "peak memory", Limit: 50, Unit: "MB",
		Applies: func(sc Scenario) bool { return sc.Targets == 100 }, Value: figPeakMem},

	{Group: "API calls per restore, plan and apply together, 30 and 50 restores at 60/min", Figure: "calls per restore",
		Limit: 3, Unit: "calls", Applies: func(sc Scenario) bool { return targets(30)(sc) || fiftyAt60(sc) }, Value: figPerRestore},
	{Group: "end of the last job of a crowd (30, 50, 100) to the end of its wait, gateway 60/min", Figure: "lag worst",
		Limit: 3, Unit: "s", Applies: func(sc Scenario) bool { return crowdApply(sc) && sc.Targets >= 30 && sc.Gateway == 60 },
		Value: figLagWorst},
	{Group: "3 concurrent applies on one key, 8 restores each, 60/min", Figure: "jobs not completed, failed exits", Limit: 0,
		Unit: "", Applies: sharedKey(3), Value: figFailures},
	{Group: "3 concurrent applies on one key, 8 restores each, 60/min", Figure: "calls per restore", Limit: 3.5, Unit: "calls",
		Applies: sharedKey(3), Value: figPerRestore},
	{Group: "3 concurrent applies on one key, 8 restores each, 60/min", Figure: "429s / calls", Limit: 5, Unit: "%",
		Applies: sharedKey(3), Value: fig429Share},
	{Group: "10 concurrent applies on one key, 5 restores each, 60/min", Figure: "jobs not completed, failed exits", Limit: 0,
		Unit: "", Applies: sharedKey(10), Value: figFailures},
	{Group: "10 concurrent applies on one key, 5 restores each, 60/min", Figure: "429s / calls", Limit: 10, Unit: "%",
		Applies: sharedKey(10), Value: fig429Share},
}

// Judge judges goals from the rows of one run (rows that failed to run judge nothing).
func Judge(goals []Goal, rows []Row) []Verdict {
	out := make([]Verdict, 0, len(goals))
	for _, g := range goals {
		v := Verdict{Goal: g, Met: true}
		for _, r := range rows {
			if r.Err != nil || !g.Applies(r.Scenario) {
				continue
			}
			x, ok := g.Value(r.Provider, r.Scenario)
			v.Judged = true
			v.Met = v.Met && ok && x <= g.Limit
			m := r.Scenario.Name + ": " + g.format(x, ok)
			if r.Base != nil {
				if b, bok := g.Value(*r.Base, r.Scenario); bok {
					m += " (baseline " + g.format(b, true) + ")"
				}
			}
			v.Measured = append(v.Measured, m)
		}
		out = append(out, v)
	}
	return out
}

// format prints a figure with its unit: whole numbers without decimals, others with two.
func (g Goal) format(x float64, ok bool) string {
	if !ok {
		return "not measured"
	}
	s := fmt.Sprintf("%.2f", x)
	if x == float64(int64(x)) {
		s = fmt.Sprintf("%d", int64(x))
	}
	return g.withUnit(s)
}

func (g Goal) withUnit(s string) string {
	switch g.Unit {
	case "":
		return s
	case "x", "%":
		return s + g.Unit
	}
	return s + " " + g.Unit
}

// WriteGoals prints verdicts as a table.
func WriteGoals(w io.Writer, verdicts []Verdict) {
	fmt.Fprintln(w, "| Goal | Figure | Limit | Measured | Verdict |")
	fmt.Fprintln(w, "|---|---|---:|---|---|")
	for _, v := range verdicts {
		verdict := "not measured in this run"
		if v.Judged {
			verdict = map[bool]string{true: "met", false: "MISSED"}[v.Met]
		}
		fmt.Fprintf(w, "| %s | %s | <= %s | %s | %s |\n", v.Goal.Group, v.Goal.Figure, v.Goal.withUnit(strconv.FormatFloat(v.Goal.Limit, 'g', -1, 64)),
			strings.Join(v.Measured, "; "), verdict)
	}
}

package bench

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestJudge_goals(t *testing.T) {
	fifty := Scenario{Name: "50", Targets: 50, JobDuration: time.Minute, Gateway: 60, Command: "apply"}
	shared := Scenario{Name: "shared", Targets: 24, JobDuration: 20 * time.Second, Gateway: 60, Command: "apply", Concurrent: 3}
	one := Scenario{Name: "one", Targets: 1, JobDuration: time.Minute, Command: "apply", Repeat: 5}
	ten := Scenario{Name: "ten", Targets: 50, JobDuration: 20 * time.Second, Gateway: 60, Command: "apply", Concurrent: 10}
	busy := Scenario{Name: "busy", Targets: 1, JobDuration: 20 * time.Second, Command: "apply", Baseline: true, Busy: true, Repeat: 3}
	// 120 calls at 60/min: floor 120 s.
	fiftyRow := func(wall time.Duration, completed int) Row {
		return Row{Scenario: fifty, Provider: Figures{Calls: 120, Wall: wall, Completed: completed, ExitOK: true, Runs: 1,
			HasLag: true, LagWorst: 2 * time.Second}}
	}
	cases := []struct {
		name   string
		goal   string // Group prefix
		figure string
		rows   []Row
		judged bool
		met    bool
	}{
		{"no row applies", "50 restores, 60 s jobs", "wall / floor", []Row{{Scenario: shared}}, false, true},
		{"wall within 1.25x", "50 restores, 60 s jobs", "wall / floor", []Row{fiftyRow(150*time.Second, 50)}, true, true},
		{"wall over 1.25x", "50 restores, 60 s jobs", "wall / floor", []Row{fiftyRow(151*time.Second, 50)}, true, false},
		{"a job not completed", "50 restores, gateway 60/min", "jobs not completed, failed exits", []Row{fiftyRow(100*time.Second, 49)}, true, false},
		{"all completed", "50 restores, gateway 60/min", "jobs not completed, failed exits", []Row{fiftyRow(100*time.Second, 50)}, true, true},
		{"per restore 2.4", "API calls per restore", "calls per restore", []Row{fiftyRow(time.Minute, 50)}, true, true},
		{"a failed row judges nothing", "API calls per restore", "calls per restore",
			[]Row{{Scenario: fifty, Err: errTest}}, false, true},
		{"429 share 5%", "3 concurrent", "429s / calls",
			[]Row{{Scenario: shared, Provider: Figures{Calls: 60, Throttled: 3, ExitOK: true, Completed: 24, Runs: 1}}}, true, true},
		{"429 share 5.3%", "3 concurrent", "429s / calls",
			[]Row{{Scenario: shared, Provider: Figures{Calls: 76, Throttled: 4, ExitOK: true, Completed: 24, Runs: 1}}}, true, false},
		{"failed exit", "3 concurrent", "jobs not completed, failed exits",
			[]Row{{Scenario: shared, Provider: Figures{Calls: 60, Completed: 24, Runs: 1}}}, true, false},
		{"lag of one restore without lag", "one restore: end", "lag median",
			[]Row{{Scenario: one, Provider: Figures{Runs: 5}}}, true, false},
		{"lag of one restore", "one restore: end", "lag median",
			[]Row{{Scenario: one, Provider: Figures{Runs: 5, HasLag: true, LagMedian: 300 * time.Millisecond}}}, true, true},
		{"calls of one restore, 5 runs", "one restore of a 60 s job", "API calls",
			[]Row{{Scenario: one, Provider: Figures{Runs: 5, Calls: 16}}}, true, false},
		{"per restore 3.1", "API calls per restore", "calls per restore",
			[]Row{{Scenario: fifty, Provider: Figures{Calls: 155, ExitOK: true, Completed: 50, Runs: 1}}}, true, false},
		{"ten applies, 429 share 10%", "10 concurrent", "429s / calls",
			[]Row{{Scenario: ten, Provider: Figures{Calls: 200, Throttled: 20, ExitOK: true, Completed: 50, Runs: 1}}}, true, true},
		{"ten applies, 429 share 10.5%", "10 concurrent", "429s / calls",
			[]Row{{Scenario: ten, Provider: Figures{Calls: 200, Throttled: 21, ExitOK: true, Completed: 50, Runs: 1}}}, true, false},
		{"three applies judge nothing of ten", "10 concurrent", "429s / calls",
			[]Row{{Scenario: shared, Provider: Figures{Calls: 60, Throttled: 30, ExitOK: true, Completed: 24, Runs: 1}}}, false, true},
		{"busy target 2.5 s", "busy target", "worst",
			[]Row{{Scenario: busy, Provider: Figures{HasBusy: true, BusyWorst: 2500 * time.Millisecond, Runs: 3}}}, true, true},
		{"busy target 12.4 s", "busy target", "worst",
			[]Row{{Scenario: busy, Provider: Figures{HasBusy: true, BusyWorst: 12400 * time.Millisecond, Runs: 3}}}, true, false},
		{"busy target not measured (no submission after the backup)", "busy target", "worst",
			[]Row{{Scenario: busy, Provider: Figures{Runs: 3, HasLag: true}}}, true, false},
		{"busy target 2.9 s beside a slow baseline", "busy target", "worst",
			[]Row{{Scenario: busy, Provider: Figures{HasBusy: true, BusyWorst: 2900 * time.Millisecond, Runs: 3},
				Base: &Figures{HasBusy: true, BusyWorst: 20 * time.Second, Runs: 3}}}, true, true},
		{"busy target: the baseline's figure does not judge", "busy target", "worst",
			[]Row{{Scenario: busy, Provider: Figures{HasBusy: true, BusyWorst: 3100 * time.Millisecond, Runs: 3},
				Base: &Figures{HasBusy: true, BusyWorst: time.Second, Runs: 3}}}, true, false},
		{"a busy row is not a single restore", "one restore: end", "lag median",
			[]Row{{Scenario: busy, Provider: Figures{Runs: 3}}}, false, true},
		{"every row must meet it", "end of the last job", "lag worst",
			[]Row{fiftyRow(time.Minute, 50), {Scenario: Scenario{Name: "30", Targets: 30, Gateway: 60, Command: "apply"},
				Provider: Figures{HasLag: true, LagWorst: 4 * time.Second}}}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var found bool
			for _, v := range Judge(Goals, c.rows) {
				if !strings.HasPrefix(v.Goal.Group, c.goal) || v.Goal.Figure != c.figure {
					continue
				}
				found = true
				if v.Judged != c.judged || v.Met != c.met {
					t.Errorf("judged %v met %v, want %v %v (measured %q)", v.Judged, v.Met, c.judged, c.met, v.Measured)
				}
			}
			if !found {
				t.Fatalf("no goal %q / %q", c.goal, c.figure)
			}
		})
	}
}

var errTest = errors.New("did not run")

func TestWriteGoals_table(t *testing.T) {
	fifty := Scenario{Name: "50 restores", Targets: 50, JobDuration: time.Minute, Gateway: 60, Command: "apply"}
	busy := Scenario{Name: "busy target: a 20 s backup blocks it (3 runs)", Targets: 1, JobDuration: 20 * time.Second,
		Command: "apply", Baseline: true, Busy: true, Repeat: 3}
	rows := []Row{{Scenario: fifty, Provider: Figures{Calls: 145, Wall: 160 * time.Second, Completed: 50, ExitOK: true, Runs: 1},
		Base: &Figures{Calls: 160, Throttled: 50, Wall: 80 * time.Second, Completed: 50, ExitOK: true, Runs: 1}},
		{Scenario: busy, Provider: Figures{HasBusy: true, BusyWorst: 1250 * time.Millisecond, Runs: 3},
			Base: &Figures{HasBusy: true, BusyWorst: 20500 * time.Millisecond, Runs: 3}}}
	var buf bytes.Buffer
	WriteGoals(&buf, Judge(Goals, rows))
	out := buf.String()
	for _, want := range []string{
		"| API calls per restore, plan and apply together, 30 and 50 restores at 60/min | calls per restore | <= 3 calls | 50 restores: 2.90 calls (baseline 3.20 calls) | met |",
		"| provider peak memory, 100 restores, GOGC untouched | peak memory | <= 50 MB |  | not measured in this run |",
		"| busy target: end of the blocking job to our submission | worst | <= 3 s | busy target: a 20 s backup blocks it (3 runs): 1.25 s (baseline 20.50 s) | met |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

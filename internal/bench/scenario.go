package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// Scenario is one row group of the table.
type Scenario struct {
	Name        string
	Targets     int
	JobDuration time.Duration
	Gateway     int // the emulator's throttle, calls per minute per key (0 = none)
	Budget      int // the provider's requests_per_minute
	Command     string
	// Interrupt: Ctrl-C this long after the first restore was accepted.
	Interrupt time.Duration
	Baseline  bool
	// Repeat runs this many independent copies at once (for a lag median of single restores).
	Repeat int
	// Concurrent splits the targets among this many applies run at once against one emulator
	// with one key (workspaces or a CI matrix sharing a budget); the baseline does the same.
	Concurrent int
	// Busy: every target is BACKING UP when the CLI (and the baseline) starts: a manual backup
	// of JobDuration (the emulator's backup duration), taken right before. The figure is the
	// backup's end to our submission onto the target.
	Busy bool
}

// Row is what one scenario measured, for the provider and for the baseline.
type Row struct {
	Scenario Scenario
	Provider Figures
	Base     *Figures
	Err      error
	Notes    []string
}

// Figures are one side's numbers. Zero durations with Has* false print as "—".
type Figures struct {
	LagMedian, LagWorst time.Duration
	HasLag              bool
	Calls, Throttled    int
	Wall                time.Duration
	PeakMem             int64 // bytes; 0 = not measured
	Interrupt           time.Duration
	HasInterrupt        bool
	Jobs, Completed     int
	Repeats             int
	ExitOK              bool
	Lags                []time.Duration // every job's lag, sorted
	// BusyWorst: the longest time from the end of the backup that kept a busy target BACKING
	// UP to our submission onto it (rows with Busy); BusyRuns: that time per run.
	BusyWorst time.Duration
	HasBusy   bool
	BusyRuns  []time.Duration
	MinCalls  int // with repeated runs: the fewest calls of one run (Calls is the most)
	Runs      int
}

// Suite runs scenarios with one CLI.
type Suite struct {
	CLI  string
	Work string    // scratch directory
	Log  io.Writer // progress lines
}

// DefaultScenarios are the rows of `make bench`; quick is a subset that runs in about two
// minutes.
func DefaultScenarios(quick bool) []Scenario {
	one5 := Scenario{Name: "1 restore, 5 s job (5 runs)", Targets: 1, JobDuration: 5 * time.Second, Budget: 60, Command: "apply",
		Baseline: true, Repeat: 5}
	one60 := Scenario{Name: "1 restore, 60 s job (5 runs)", Targets: 1, JobDuration: 60 * time.Second, Budget: 60, Command: "apply",
		Baseline: true, Repeat: 5}
	twenty := Scenario{Name: "20 restores, 60 s jobs, gateway 120/min", Targets: 20, JobDuration: 60 * time.Second,
		Gateway: 120, Budget: 120, Command: "apply", Baseline: true}
	fifty := Scenario{Name: "50 restores, 60 s jobs, gateway 60/min", Targets: 50, JobDuration: 60 * time.Second,
		Gateway: 60, Budget: 60, Command: "apply", Baseline: true}
	plan100 := Scenario{Name: "plan of 100 restores, gateway 60/min", Targets: 100, JobDuration: 60 * time.Second,
		Gateway: 60, Budget: 60, Command: "plan"}
	apply100 := Scenario{Name: "100 restores, 10 s jobs, no gateway limit", Targets: 100, JobDuration: 10 * time.Second,
		Budget: 600, Command: "apply", Baseline: true}
	ctrlC := Scenario{Name: "Ctrl-C 5 s into a 60 s job (3 runs)", Targets: 1, JobDuration: 60 * time.Second, Budget: 60,
		Command: "apply", Interrupt: 5 * time.Second, Baseline: true, Repeat: 3}
	// A crowd in one apply, at the documented budget, and three applies sharing one key.
	thirty := Scenario{Name: "30 restores, 20 s jobs, gateway 60/min", Targets: 30, JobDuration: 20 * time.Second,
		Gateway: 60, Budget: 60, Command: "apply", Baseline: true}
	hundred60 := Scenario{Name: "100 restores, 60 s jobs, gateway 60/min", Targets: 100, JobDuration: 60 * time.Second,
		Gateway: 60, Budget: 60, Command: "apply", Baseline: true}
	threeApplies := Scenario{Name: "3 applies at once on one key, 8 restores each, 20 s jobs, gateway 60/min", Targets: 24,
		JobDuration: 20 * time.Second, Gateway: 60, Budget: 60, Command: "apply", Baseline: true, Concurrent: 3}
	tenApplies := Scenario{Name: "10 applies at once on one key, 5 restores each, 20 s jobs, gateway 60/min", Targets: 50,
		JobDuration: 20 * time.Second, Gateway: 60, Budget: 60, Command: "apply", Baseline: true, Concurrent: 10}
	busy := Scenario{Name: "busy target: a 20 s backup blocks it (3 runs)", Targets: 1,
		JobDuration: 20 * time.Second, Budget: 60, Command: "apply", Baseline: true, Busy: true, Repeat: 3}
	if quick {
		twenty.JobDuration = 10 * time.Second
		twenty.Name = "20 restores, 10 s jobs, gateway 120/min"
		plan100.Gateway, plan100.Budget = 0, 600
		plan100.Name = "plan of 100 restores, no gateway limit"
		return []Scenario{one5, twenty, plan100, ctrlC}
	}
	return []Scenario{one5, one60, twenty, fifty, plan100, apply100, ctrlC, thirty, hundred60, threeApplies, tenApplies, busy}
}

func (s *Suite) logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, format+"\n", args...)
	}
}

// Run runs one scenario: the CLI against one emulator and, at the same time, the baseline
// against another with the same seed and gateway. A scenario with Repeat > 1 runs that many
// independent copies at once (each its own emulator, CLI and baseline, started 1.5 s apart),
// so that a lag median means something for a single restore; its figures pool the lags and
// report the largest call count, the median wall time and the largest peak memory.
func (s *Suite) Run(ctx context.Context, i int, sc Scenario) Row {
	row := Row{Scenario: sc}
	s.logf("== %s (%s)", sc.Name, sc.Command)
	n := max(sc.Repeat, 1)
	type result struct {
		prov, base *Figures
		notes      []string
		err        error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rds.Sleep(ctx, time.Duration(k)*1500*time.Millisecond) != nil {
				results[k].err = ctx.Err()
				return
			}
			dir := filepath.Join(s.Work, fmt.Sprintf("s%d", i))
			if n > 1 {
				dir = filepath.Join(dir, fmt.Sprintf("r%d", k+1))
			}
			p, b, notes, err := s.runOnce(ctx, sc, dir)
			results[k] = result{p, b, notes, err}
		}()
	}
	wg.Wait()
	var provs, bases []*Figures
	for _, r := range results {
		if r.err != nil && row.Err == nil {
			row.Err = r.err
		}
		for _, n := range r.notes {
			if !slices.Contains(row.Notes, n) {
				row.Notes = append(row.Notes, n)
			}
		}
		if r.prov != nil {
			provs = append(provs, r.prov)
		}
		if r.base != nil {
			bases = append(bases, r.base)
		}
	}
	if len(provs) > 0 {
		row.Provider = merge(provs)
	}
	if len(bases) > 0 {
		b := merge(bases)
		row.Base = &b
	}
	if sc.Busy {
		row.Notes = append(row.Notes, busyNote(provs, bases))
	}
	return row
}

// busyNote gives the end of the blocking backup to the submission onto the target, per run.
func busyNote(provs, bases []*Figures) string {
	side := func(fs []*Figures) string {
		var out []string
		for _, f := range fs {
			if !f.HasBusy {
				out = append(out, "not measured")
				continue
			}
			for _, d := range f.BusyRuns {
				out = append(out, fmt.Sprintf("%.2f s", d.Seconds()))
			}
		}
		return strings.Join(out, ", ")
	}
	note := "end of the blocking backup to the submission, per run: provider " + side(provs)
	if len(bases) > 0 {
		note += "; baseline " + side(bases)
	}
	return note
}

// runOnce is one copy of a scenario.
func (s *Suite) runOnce(ctx context.Context, sc Scenario, dir string) (prov, base *Figures, notes []string, err error) {
	seed, targets := Seed(sc.Targets)
	opts := emulator.Options{Seed: seed, JobDuration: sc.JobDuration, JobVisibleAfter: time.Second, Throttle: sc.Gateway}
	if sc.Busy {
		opts.BackupDuration = sc.JobDuration
	}
	em, err := StartEmulator(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	defer em.Close()

	var (
		wg      sync.WaitGroup
		bres    BaselineResult
		baseEm  *Emulator
		baseErr error
	)
	if sc.Baseline {
		if baseEm, err = StartEmulator(opts); err != nil {
			return nil, nil, nil, err
		}
		defer baseEm.Close()
	}
	if sc.Busy {
		for _, e := range []*Emulator{em, baseEm} {
			if e == nil {
				continue
			}
			if err := occupy(ctx, e, targets); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	if sc.Baseline {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bres, baseErr = runBaselines(ctx, sc, baseEm, targets)
		}()
	}
	run := CLIRun{
		CLI: s.CLI, Dir: dir, Command: sc.Command,
		Source: emulator.MySQLSourceID, Backup: emulator.MySQLBackupID, Targets: targets,
		RequestsPerMinute: sc.Budget, InterruptAfterSubmit: sc.Interrupt,
	}
	res, err := runCLIs(ctx, sc, run, em)
	// Jobs interrupted by Ctrl-C are counted as they are now.
	out, merr := em.Measure()
	em.dump(run.Dir)
	if err == nil {
		err = merr
	}
	p := figures(out, res.Wall, sc)
	p.PeakMem = res.PeakMemBytes
	p.ExitOK = res.ExitErr == nil
	if sc.Interrupt > 0 {
		p.Interrupt, p.HasInterrupt = res.Interrupt, res.Interrupt > 0
		notes = append(notes, "state after Ctrl-C: "+strings.Join(res.StateStatus, ", "))
		p.ExitOK = true // an interrupted apply exits non-zero by design
	} else if res.ExitErr != nil {
		notes = append(notes, fmt.Sprintf("%s exited with %v; see %s", sc.Command, res.ExitErr, res.Output))
		if tail := errTail(res.Output, 1500); tail != nil {
			s.logf("%s", tail)
		}
	}
	s.logf("   provider: %d calls (%d throttled), %d/%d jobs completed, wall %s, %d provider processes, peak %s",
		out.Calls, out.Throttled, out.Completed, out.Jobs, res.Wall.Round(10*time.Millisecond), res.Providers, mib(res.PeakMemBytes))

	wg.Wait()
	if sc.Baseline {
		bout, berr := baseEm.Measure()
		if berr == nil {
			f := figures(bout, bres.Wall, sc)
			f.ExitOK = baseErr == nil && bres.Failed == 0
			if sc.Interrupt > 0 {
				f.Interrupt, f.HasInterrupt = bres.Interrupt, true
			}
			base = &f
			s.logf("   baseline: %d calls (%d throttled), %d/%d jobs completed, wall %s",
				bout.Calls, bout.Throttled, bout.Completed, bout.Jobs, bres.Wall.Round(10*time.Millisecond))
		}
	}
	return &p, base, notes, err
}

// merge pools repeated runs: all lags, the largest call and 429 counts, the median wall and
// Ctrl-C times, the largest peak memory, the jobs of all.
func merge(fs []*Figures) Figures {
	if len(fs) == 1 {
		return *fs[0]
	}
	var m Figures
	var lags, walls, intrs []time.Duration
	m.ExitOK = true
	for _, f := range fs {
		lags = append(lags, f.Lags...)
		walls = append(walls, f.Wall)
		if f.HasInterrupt {
			intrs = append(intrs, f.Interrupt)
			m.HasInterrupt = true
		}
		m.Calls = max(m.Calls, f.Calls)
		m.MinCalls = min(nonZero(m.MinCalls, f.Calls), f.Calls)
		m.Throttled = max(m.Throttled, f.Throttled)
		m.PeakMem = max(m.PeakMem, f.PeakMem)
		m.Jobs += f.Jobs
		m.Completed += f.Completed
		m.Repeats = max(m.Repeats, f.Repeats)
		m.BusyWorst, m.HasBusy = max(m.BusyWorst, f.BusyWorst), m.HasBusy || f.HasBusy
		m.BusyRuns = append(m.BusyRuns, f.BusyRuns...)
		m.ExitOK = m.ExitOK && f.ExitOK
		m.Runs++
	}
	sortDurations(lags)
	sortDurations(walls)
	sortDurations(intrs)
	m.Lags = lags
	if len(lags) > 0 {
		m.LagMedian, m.LagWorst = MedianWorst(lags)
		m.HasLag = true
	}
	m.Wall, _ = MedianWorst(walls)
	if len(intrs) > 0 {
		_, m.Interrupt = MedianWorst(intrs) // the worst: the goal is a bound
	}
	return m
}

func nonZero(a, b int) int {
	if a == 0 {
		return b
	}
	return a
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(a, b int) bool { return d[a] < d[b] }) }

func figures(o Outcome, wall time.Duration, sc Scenario) Figures {
	f := Figures{Calls: o.Calls, MinCalls: o.Calls, Throttled: o.Throttled, Wall: wall, Jobs: o.Jobs, Completed: o.Completed,
		Repeats: o.Repeats, Lags: o.Lags, Runs: 1}
	if len(o.Lags) > 0 {
		f.LagMedian, f.LagWorst = MedianWorst(o.Lags)
		f.HasLag = true
	}
	if sc.Busy && o.HasBusy {
		f.BusyWorst, f.HasBusy, f.BusyRuns = o.BusyWorst, true, []time.Duration{o.BusyWorst}
	}
	return f
}

func mib(b int64) string {
	if b <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// TempWork makes the scratch directory.
func TempWork() (string, error) { return os.MkdirTemp("", "hwc-bench-") }

// split divides targets into n groups of (nearly) equal size.
func split(targets []string, n int) [][]string {
	n = max(n, 1)
	out := make([][]string, n)
	for i, t := range targets {
		out[i%n] = append(out[i%n], t)
	}
	return out
}

// runCLIs runs sc.Concurrent copies of run at once (each with its share of the targets and its
// own directory) against em, or run alone; the wall time and peak memory are the largest.
func runCLIs(ctx context.Context, sc Scenario, run CLIRun, em *Emulator) (CLIResult, error) {
	if sc.Concurrent <= 1 {
		return run.Run(ctx, em)
	}
	groups := split(run.Targets, sc.Concurrent)
	results := make([]CLIResult, len(groups))
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := run
			r.Targets, r.Dir = g, filepath.Join(run.Dir, fmt.Sprintf("apply%d", i+1))
			results[i], errs[i] = r.Run(ctx, em)
		}()
	}
	wg.Wait()
	var res CLIResult
	var outputs []string
	for i, r := range results {
		res.Wall = max(res.Wall, r.Wall)
		res.PeakMemBytes = max(res.PeakMemBytes, r.PeakMemBytes)
		res.Providers += r.Providers
		if r.ExitErr != nil && res.ExitErr == nil {
			res.ExitErr = r.ExitErr
			res.Output = r.Output
		}
		outputs = append(outputs, r.Output)
		if errs[i] != nil {
			return res, errs[i]
		}
	}
	if res.Output == "" {
		res.Output = strings.Join(outputs, ", ")
	}
	return res, nil
}

// runBaselines runs the baseline over targets, in sc.Concurrent runs at once when set.
func runBaselines(ctx context.Context, sc Scenario, em *Emulator, targets []string) (BaselineResult, error) {
	groups := split(targets, sc.Concurrent)
	results := make([]BaselineResult, len(groups))
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := DefaultBaseline()
			b.InterruptAfterSubmit = sc.Interrupt
			results[i], errs[i] = b.Run(ctx, em, emulator.MySQLSourceID, emulator.MySQLBackupID, g)
		}()
	}
	wg.Wait()
	out := results[0]
	for i, r := range results[1:] {
		out.Wall = max(out.Wall, r.Wall)
		out.Failed += r.Failed
		out.Interrupt = max(out.Interrupt, r.Interrupt)
		if errs[i+1] != nil && errs[0] == nil {
			errs[0] = errs[i+1]
		}
	}
	return out, errs[0]
}

// occupy takes a manual backup of each target (POST /v3/{project_id}/backups), as someone else
// would, so that the apply finds them BACKING UP for the emulator's backup duration. Its request
// is then cleared from the log: the calls counted are the apply's.
func occupy(ctx context.Context, em *Emulator, targets []string) error {
	c, err := rds.NewClient(rds.Config{
		Endpoint: em.URL, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
	})
	if err != nil {
		return err
	}
	for _, t := range targets {
		if _, err := c.CreateManualBackup(ctx, rds.CreateBackupRequest{InstanceID: t, Name: "bench-busy"}); err != nil {
			return fmt.Errorf("backing up target %s: %w", t, err)
		}
	}
	return tfcli.Admin{URL: em.URL}.ClearRequests()
}

package examplestest

import (
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// drillEvidence is the auditor's record every drill prints as `evidence`.
type drillEvidence struct {
	Restored         string   `json:"restored"`
	RecoveryPoint    string   `json:"recovery_point"`
	Source           string   `json:"source"`
	Target           string   `json:"target"`
	SubmittedAt      string   `json:"submitted_at"`
	CompletedAt      string   `json:"completed_at"`
	JobID            string   `json:"job_id"`
	Status           string   `json:"status"`
	TargetDatabases  []string `json:"target_databases"`
	CreatedDatabases []string `json:"created_databases"`
	DroppedDatabases []string `json:"dropped_databases"`
	// The objectives the drill proves, in seconds (null until the job completes).
	RecoveryPointAgeSeconds *int64 `json:"recovery_point_age_seconds"`
	RecoveryTimeSeconds     *int64 `json:"recovery_time_seconds"`
}

// checkEvidence reads a drill's `evidence` output and checks that it says what was restored, the
// recovery point, onto what, when the restore started and ended, and the target's databases.
func checkEvidence(t *testing.T, c cli, dir string, env []string) drillEvidence {
	t.Helper()
	out, err := c.run(t, dir, env, time.Minute, "output", "-json", "evidence")
	if err != nil {
		t.Fatalf("output evidence: %v\n%s", err, out)
	}
	var ev drillEvidence
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("evidence is not the record a drill prints: %v\n%s", err, out)
	}
	for name, v := range map[string]string{"restored": ev.Restored, "source": ev.Source, "target": ev.Target, "job_id": ev.JobID} {
		if strings.TrimSpace(v) == "" {
			t.Errorf("evidence.%s is empty: %s", name, out)
		}
	}
	times := map[string]time.Time{}
	for name, v := range map[string]string{"recovery_point": ev.RecoveryPoint, "submitted_at": ev.SubmittedAt, "completed_at": ev.CompletedAt} {
		tm, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t.Errorf("evidence.%s = %q, want an RFC 3339 time: %v", name, v, err)
		}
		times[name] = tm
	}
	if !times["recovery_point"].Before(times["submitted_at"]) || times["completed_at"].Before(times["submitted_at"]) {
		t.Errorf("evidence times out of order: recovery point %s, submitted %s, completed %s", ev.RecoveryPoint, ev.SubmittedAt, ev.CompletedAt)
	}
	if ev.Status != "Completed" || len(ev.TargetDatabases) == 0 {
		t.Errorf("evidence: status %q, target databases %v", ev.Status, ev.TargetDatabases)
	}
	checkObjectives(t, c, dir, env, ev, times)
	return ev
}

// checkObjectives checks the two numbers a drill proves, in its evidence and in outputs of their
// own: set, and the differences of the times the evidence records, in whole seconds.
func checkObjectives(t *testing.T, c cli, dir string, env []string, ev drillEvidence, times map[string]time.Time) {
	t.Helper()
	want := map[string]int64{
		"recovery_point_age_seconds": int64(times["submitted_at"].Sub(times["recovery_point"]) / time.Second),
		"recovery_time_seconds":      int64(times["completed_at"].Sub(times["submitted_at"]) / time.Second),
	}
	for name, got := range map[string]*int64{"recovery_point_age_seconds": ev.RecoveryPointAgeSeconds, "recovery_time_seconds": ev.RecoveryTimeSeconds} {
		if got == nil || *got != want[name] {
			t.Errorf("evidence.%s = %v, want %d", name, got, want[name])
		}
		out, err := c.run(t, dir, env, time.Minute, "output", "-raw", name)
		if err != nil || out != strconv.FormatInt(want[name], 10) {
			t.Errorf("output %s = %q (%v), want %d", name, out, err, want[name])
		}
	}
}

// TestAccExamples_objectivesMissed: the nightly drill held to objectives it cannot meet. A recovery
// point objective the newest backup misses stops the plan, with the precondition's message, before
// anything is touched; a recovery time objective the restore misses fails the apply, with the
// postcondition's message, once the restore is recorded (and not tainted: the next plan says it
// again, and restores nothing).
func TestAccExamples_objectivesMissed(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	dir, used := workCopy(t, "drills/nightly-backup")
	skipMissingTypes(t, used, providerTypes(t))
	env, emulatorURL := emulatorEnvJobs(t, config, 3*time.Second)
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }

	// The seed's newest backup ended yesterday: an hour is missed.
	out, err := c.run(t, dir, env, 2*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "max_backup_age=1h")
	if err == nil {
		t.Fatalf("apply with max_backup_age=1h succeeded:\n%s", out)
	}
	for _, want := range []string{"Resource precondition failed", "Recovery point objective missed: the newest completed backup of",
		"more than 1h ago. Nothing was restored"} {
		if !strings.Contains(words(out), want) {
			t.Errorf("the refused plan does not say %q:\n%s", want, out)
		}
	}
	if n := restoreRequests(t, emulatorURL); n != 0 {
		t.Fatalf("a missed recovery point objective still submitted %d restores", n)
	}

	// A three-second job against an objective of one second.
	out, err = c.run(t, dir, env, 5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "max_recovery_seconds=1")
	if err == nil {
		t.Fatalf("apply with max_recovery_seconds=1 succeeded:\n%s", out)
	}
	for _, want := range []string{"Resource postcondition failed", "Recovery time objective missed: restore job",
		"(status Completed) took", "seconds, more than 1."} {
		if !strings.Contains(words(out), want) {
			t.Errorf("the failed apply does not say %q:\n%s", want, out)
		}
	}
	if n := restoreRequests(t, emulatorURL); n != 1 {
		t.Errorf("%d restores, want 1", n)
	}
	out, err = c.run(t, dir, env, 2*time.Minute, "plan", "-input=false", "-no-color", "-var", "max_recovery_seconds=1")
	if err == nil || !strings.Contains(words(out), "Recovery time objective missed") || strings.Contains(out, "must be replaced") {
		t.Errorf("the plan after the missed objective: %v, want the postcondition's error and no replacement:\n%s", err, out)
	}
	// Met: the plan is empty of changes to the restore, and nothing more is restored.
	if out, err := c.run(t, dir, env, 2*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("apply with the default objectives: %v\n%s", err, out)
	}
	if n := restoreRequests(t, emulatorURL); n != 1 {
		t.Errorf("after the objectives were met: %d restores, want 1", n)
	}
}

// TestAccExamples_sqlserverCopyRunsTwice: the SQL Server copy drill of the drills guide runs on
// two nights in a row. The second run drops the copies the first one made (and nothing else),
// right before it restores them again, says so in its plan, and a third plan changes nothing.
func TestAccExamples_sqlserverCopyRunsTwice(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	dir, used := workCopy(t, "drills/sqlserver-copy")
	skipMissingTypes(t, used, providerTypes(t))
	env, emulatorURL := emulatorEnv(t, config)
	copies := []string{"hr_drill", "sales_drill"}
	apply := func(run string) drillEvidence {
		t.Helper()
		if out, err := c.run(t, dir, env, 5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "drill_run="+run); err != nil {
			t.Fatalf("apply (drill_run=%s) on %s: %v\n%s", run, c.version, err, out)
		}
		return checkEvidence(t, c, dir, env)
	}

	// Night 1: the copies are made.
	ev := apply("1")
	if got := sorted(ev.CreatedDatabases); !reflect.DeepEqual(got, copies) || len(ev.DroppedDatabases) != 0 {
		t.Errorf("night 1: created %v, dropped %v; want created %v and nothing dropped", ev.CreatedDatabases, ev.DroppedDatabases, copies)
	}
	if n := restoreRequests(t, emulatorURL); n != 1 {
		t.Fatalf("night 1: %d restores, want 1", n)
	}

	// Night 2, planned: the plan says which databases will be dropped; nothing is touched yet.
	out, err := c.run(t, dir, env, 2*time.Minute, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "drill_run=2")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("night 2 plan: want changes (exit code 2), got %v\n%s", err, out)
	}
	for _, want := range []string{"Previous Copies Dropped Before The Restore", `"sales_drill"`, `"hr_drill"`, "No other database is dropped"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("night 2 plan does not say %q:\n%s", want, out)
		}
	}
	if d := deletes(t, emulatorURL); len(d) != 0 {
		t.Fatalf("the plan dropped databases: %v", d)
	}

	// Night 2: the previous copies are dropped, then made again.
	ev = apply("2")
	if got := sorted(ev.DroppedDatabases); !reflect.DeepEqual(got, copies) {
		t.Errorf("night 2: dropped %v, want %v", ev.DroppedDatabases, copies)
	}
	if got := sorted(ev.CreatedDatabases); !reflect.DeepEqual(got, copies) {
		t.Errorf("night 2: created %v, want %v", ev.CreatedDatabases, copies)
	}
	if got := sorted(deletes(t, emulatorURL)); !reflect.DeepEqual(got, copies) {
		t.Errorf("DELETE requests for %v, want exactly the previous copies %v", got, copies)
	}
	for _, want := range append([]string{"reporting"}, copies...) {
		if !contains(ev.TargetDatabases, want) {
			t.Errorf("after night 2 the target lacks %q: %v", want, ev.TargetDatabases)
		}
	}
	if n := restoreRequests(t, emulatorURL); n != 2 {
		t.Errorf("after night 2: %d restores, want 2", n)
	}

	// The next plain plan: nothing to do.
	out, err = c.run(t, dir, env, 2*time.Minute, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "drill_run=2")
	if err != nil {
		t.Fatalf("plan after night 2: want no changes, got %v\n%s", err, out)
	}
	if n := restoreRequests(t, emulatorURL); n != 2 || len(deletes(t, emulatorURL)) != 2 {
		t.Errorf("after the last plan: %d restores and %d deletes, want 2 and 2", n, len(deletes(t, emulatorURL)))
	}
}

// deletes lists the databases the emulator was asked to drop.
func deletes(t *testing.T, url string) []string {
	t.Helper()
	resp, err := http.Get(url + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var records []struct {
		Method string `json:"method"`
		Path   string `json:"path"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&records); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range records {
		if r.Method == http.MethodDelete && strings.Contains(r.Path, "/database/") {
			out = append(out, path.Base(r.Path))
		}
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

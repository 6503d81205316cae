package provider_test

// The fault acceptance suite: one table. Every row is a fault the emulator injects into the calls
// of one restore, the outcome the first apply must end with, the restores the emulator ran, and
// what the next plain apply (and the one after it, where the outcome calls for it) does. The
// promise it pins: a restore runs only when the configuration asks for one, and the state always
// tells what happened. Every apply that ends well is followed by one more plain apply that must
// plan nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// Paths of the calls the provider makes, as fault patterns ("*" is one segment).
const (
	faultInstances      = "/v3/*/instances"
	faultConfigurations = "/v3/*/instances/*/configurations"
	faultBackups        = "/v3/*/backups"
	faultRestoreTime    = "/v3/*/instances/*/restore-time"
	faultRestore        = "/v3.1/*/instances/recovery"
	faultJobs           = "/v3/*/jobs"
	faultTasks          = "/v3/*/tasklist"
)

// applyStep is one plain apply of the row's restore and what it must end with.
type applyStep struct {
	// args replace the row's extra resource arguments for this apply (nil: the row's own).
	args []string
	// before runs ahead of the apply (e.g. clearing faults, waiting for a job's end).
	before func(t *testing.T, env *acctest.Env)
	// wantError, when set, is the error the apply ends with; else it succeeds with status.
	wantError *regexp.Regexp
	status    string // default "Completed"
	// submissions and jobs: restore POSTs the emulator received and restores it ran, in all,
	// after this apply. jobID: the state's job_id is the emulator's newest job.
	submissions, jobs int
	jobID             bool
}

// faultRow is one row of the fault table: a MySQL backup restore (or a PostgreSQL point-in-time
// one) under faults, then the applies that follow it.
type faultRow struct {
	name        string
	opts        acctest.Options
	provider    []string // extra provider arguments, e.g. "max_retries = 1"
	args        []string // extra resource arguments, e.g. a timeouts block
	pointInTime bool
	clockStep   time.Duration // the emulator's clock moves this much further on every reading
	// faults are posted before the first apply; during, once the emulator shows the job.
	faults, during []map[string]any
	// applies: the first is the faulted one; those after it are plain applies of the same
	// restore. A final plain apply that must plan nothing is added after the last.
	applies []applyStep
	// setup runs before anything else (e.g. another restore making the target busy).
	setup func(t *testing.T, env *acctest.Env)
	// check runs at the end: the faults were really met, and the like.
	check func(t *testing.T, env *acctest.Env)
}

var (
	reNotFinished    = regexp.MustCompile(`(?s)Restore Did Not Finish.*submitted\s+\(job\s+[0-9a-f]{32}.*takes\s+job\s+[0-9a-f]{32}\s+over`)
	reOutcomeUnknown = regexp.MustCompile(`(?s)Restore Outcome Unknown.*did\s+not\s+submit\s+it\s+again`)
)

// timeoutsCreate is a timeouts block for the resource.
func timeoutsCreate(d string) string { return "timeouts {\n    create = \"" + d + "\"\n  }" }

// clearFaults removes every fault left (the outage is over).
func clearFaults(t *testing.T, env *acctest.Env) {
	t.Helper()
	if err := adminCall(context.Background(), env.URL, http.MethodDelete, "/_emulator/faults", nil, nil); err != nil {
		t.Fatal(err)
	}
}

// waitForJobsToEnd waits until no restore job of the emulator is Running.
func waitForJobsToEnd(t *testing.T, env *acctest.Env) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		running := false
		for _, j := range env.EmulatorState(t).Jobs {
			running = running || j.Status == rds.JobRunning
		}
		if !running {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the emulator's restore jobs did not end within 2 minutes")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// restoredBefore runs a restore onto the PostgreSQL target (another target than the rows') and
// waits for it, as a setup: the account's task list has then listed a restore, which is what lets
// the provider read a lost submission's absence from it as "not taken". It adds one submission
// and one job to the emulator's counts.
func restoredBefore(t *testing.T, env *acctest.Env) {
	t.Helper()
	env.SubmitRestore(t, emulator.PostgreSQLSourceID, emulator.PostgreSQLTargetID, emulator.PostgreSQLBackupID)
	waitForJobsToEnd(t, env)
}

// waitForTargetStatus waits until the emulator's MySQL target has the status (e.g. a queued job
// started).
func waitForTargetStatus(status string) func(t *testing.T, env *acctest.Env) {
	return func(t *testing.T, env *acctest.Env) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			for _, in := range env.EmulatorState(t).Instances {
				if in.ID == emulator.MySQLTargetID && in.Status == status {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("the target did not turn %s within 2 minutes", status)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// reForeignRestore is the refusal to stack a restore onto one the state does not know.
var reForeignRestore = regexp.MustCompile(`(?is)(restore\s+job\s+\S+\s+onto|is\s+RESTORING).*the\s+state\s+does\s+not\s+know.*nothing\s+was\s+submitted.*import`)

var faultTable = []faultRow{
	// ---- reads at plan and apply time: retried, one restore --------------------------------
	{name: "instances listing 503 burst", faults: []map[string]any{{"method": "GET", "path": faultInstances, "count": 3, "status": 503}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}, check: expectFaultsUsed("GET", reInstances, 503, "", 3)},
	{name: "configurations 500 DBS.280036 burst", faults: []map[string]any{{"method": "GET", "path": faultConfigurations, "count": 3,
		"status": 500, "error_code": rds.CodeInstanceNotReady, "error_msg": "instance not ready"}},
		applies: []applyStep{{submissions: 1, jobs: 1}}, check: expectFaultsUsed("GET", reConfigurations, 500, rds.CodeInstanceNotReady, 3)},
	{name: "backups 502 burst", faults: []map[string]any{{"method": "GET", "path": faultBackups, "count": 3, "status": 502}},
		applies: []applyStep{{submissions: 1, jobs: 1}}, check: expectFaultsUsed("GET", reBackups, 502, "", 3)},
	{name: "restore-time 504 burst", pointInTime: true, faults: []map[string]any{{"method": "GET", "path": faultRestoreTime, "count": 3, "status": 504}},
		applies: []applyStep{{submissions: 1, jobs: 1}}, check: expectFaultsUsed("GET", reRestoreTime, 504, "", 3)},
	{name: "job query 500 DBS.111205 burst", faults: []map[string]any{{"method": "GET", "path": faultJobs, "count": 3, "status": 500,
		"error_code": rds.CodeServiceTimeout, "error_msg": "service timeout"}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}, check: expectFaultsUsed("GET", reJobs, 500, rds.CodeServiceTimeout, 3)},
	{name: "instance read after the job 503 burst", opts: acctest.Options{JobDuration: 3 * time.Second},
		during:  []map[string]any{{"method": "GET", "path": faultInstances, "count": 3, "status": 503}},
		applies: []applyStep{{submissions: 1, jobs: 1}}, check: expectFaultsUsed("GET", reInstances, 503, "", 3)},
	{name: "read 500 DBS.108000 at plan time: nothing submitted",
		faults: []map[string]any{{"method": "GET", "path": faultBackups, "count": 1, "status": 500, "error_code": "DBS.108000", "error_msg": "internal server error"}},
		applies: []applyStep{
			{wantError: regexp.MustCompile(`(?s)Cannot Check the Restore Against the API.*HTTP\s+500\s+DBS\.108000.*Nothing was\s+submitted`)},
			{submissions: 1, jobs: 1},
		}},

	// ---- the submission: refusals, throttling, slowness --------------------------------------
	{name: "POST 500 DBS.280036 (documented retryable refusal): sent again",
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 500, "error_code": rds.CodeInstanceNotReady, "error_msg": "instance not ready"}},
		applies: []applyStep{{submissions: 2, jobs: 1, jobID: true}}},
	{name: "POST 409 busy refusal: waited out, sent again",
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 409, "error_code": "DBS.200011", "error_msg": "the instance is being restored"}},
		applies: []applyStep{{submissions: 2, jobs: 1}}, check: expectFaultsUsed("POST", reRestore, 409, "DBS.200011", 1)},
	{name: "429 storms on reads, the POST and the job polls",
		faults: []map[string]any{
			{"method": "GET", "path": faultInstances, "count": 4, "status": 429},
			{"method": "POST", "path": faultRestore, "count": 3, "status": 429},
			{"method": "GET", "path": faultJobs, "count": 3, "status": 429},
		},
		applies: []applyStep{{submissions: 4, jobs: 1, jobID: true}},
		check: func(t *testing.T, env *acctest.Env) {
			expectFaultsUsed("POST", reRestore, 429, "APIGW.0308", 3)(t, env)
			expectFaultsUsed("GET", reInstances, 429, "APIGW.0308", 4)(t, env)
			expectFaultsUsed("GET", reJobs, 429, "APIGW.0308", 3)(t, env)
		}},
	{name: "slow replies on a read, the POST and the job polls",
		faults: []map[string]any{
			{"method": "GET", "path": faultInstances, "count": 2, "delay_ms": 1500},
			{"method": "POST", "path": faultRestore, "count": 1, "delay_ms": 2500},
			{"method": "GET", "path": faultJobs, "count": 2, "delay_ms": 1500},
		},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},

	// ---- a submission whose fate is unknown: settled through the task list -------------------
	// (case 4) a server-side timeout or error does not prove "not taken".
	{name: "POST 500 DBS.111205 after the server took it: its job found",
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "status": 500, "error_code": rds.CodeServiceTimeout, "error_msg": "service timeout", "taken": true}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	// A lost submission is resent only when the task list has been seen to list restores on this
	// account (restoredBefore: one restore onto another target, so one more submission and job).
	{name: "POST 500 DBS.108000, not taken: sent again once", setup: restoredBefore,
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "status": 500, "error_code": "DBS.108000", "error_msg": "internal server error"}},
		applies: []applyStep{{submissions: 3, jobs: 2, jobID: true}}},
	{name: "POST 500 DBS.108000 after the server took it: its job found",
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "status": 500, "error_code": "DBS.108000", "error_msg": "internal server error", "taken": true}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	{name: "gateway 504 after the request was written, taken: its job found",
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "status": 504, "error_code": "APIGW.0202", "error_msg": "gateway timeout", "taken": true}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	{name: "gateway 502, not taken: sent again once", setup: restoredBefore,
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "status": 502, "error_code": "APIGW.0201", "error_msg": "bad gateway"}},
		applies: []applyStep{{submissions: 3, jobs: 2, jobID: true}}},
	{name: "gateway 503 twice, neither taken: no third submission, the next apply restores", setup: restoredBefore,
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "count": 2, "status": 503, "error_code": "APIGW.0203", "error_msg": "service unavailable"}},
		applies: []applyStep{
			{wantError: regexp.MustCompile(`(?s)Restore Not Submitted.*submitted\s+twice.*neither\s+was\s+taken`), submissions: 3, jobs: 1},
			{submissions: 4, jobs: 2, jobID: true},
		}},
	// (case 5) the reply lost after the server took the restore.
	{name: "reply lost after the server took it: its job found", opts: acctest.Options{JobDuration: 4 * time.Second},
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	{name: "reply lost, the job over before the provider looks: its job found",
		opts: acctest.Options{JobDuration: time.Millisecond}, clockStep: 20 * time.Millisecond,
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	// (case 6) the connection dropped before the server saw the submission.
	{name: "connection dropped before the server saw it: sent again once", setup: restoredBefore,
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "before"}},
		applies: []applyStep{{submissions: 3, jobs: 2, jobID: true}}},
	// (issue 18, case 6) without that proof, absence is no evidence: nothing is resent.
	{name: "connection dropped, no restore ever listed on the account: unknown, nothing resent, the next apply restores",
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "drop": "before"}},
		applies: []applyStep{
			{wantError: reOutcomeUnknown, submissions: 1},
			{submissions: 2, jobs: 1, jobID: true},
		}},
	{name: "reply lost while the job sits queued (0%, target ACTIVE) past the settle window: its job found, never resent",
		opts:    acctest.Options{JobQueueDelay: 20 * time.Second, JobDuration: 2 * time.Second},
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	{name: "task list without restores, connection dropped: unknown, nothing resent, the next apply restores", setup: restoredBefore,
		opts:   acctest.Options{Unconfirmed: emulator.Unconfirmed{TaskListWithoutRestores: true}},
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "drop": "before"}},
		applies: []applyStep{
			{wantError: reOutcomeUnknown, submissions: 2, jobs: 1},
			{submissions: 3, jobs: 2, jobID: true},
		}},
	{name: "task list without restores, reply lost, target RESTORING: Unknown, waited for",
		opts:    acctest.Options{JobDuration: 4 * time.Second, Unconfirmed: emulator.Unconfirmed{TaskListWithoutRestores: true}},
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{{status: "Unknown", submissions: 1, jobs: 1}}},
	// The job queued past the settle window and a task list that never lists restores: nothing
	// can tell, so nothing is resent; the apply after it, once the job runs, is refused (a restore
	// the state does not know runs onto the target). One restore in all.
	{name: "task list without restores, reply lost, the job queued past the settle window: unknown, never a second restore",
		opts: acctest.Options{JobQueueDelay: 25 * time.Second, JobDuration: 30 * time.Second,
			Unconfirmed: emulator.Unconfirmed{TaskListWithoutRestores: true}},
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{
			{wantError: reOutcomeUnknown, submissions: 1, jobs: 1},
			{before: waitForTargetStatus("RESTORING"), wantError: reForeignRestore, submissions: 1, jobs: 1},
		}},
	// (case 7) the deadline during the submission: the settling still looks, on its own context.
	{name: "deadline during a slow submission the server never took: nothing submitted, the next apply restores",
		args: []string{timeoutsCreate("3s")}, setup: restoredBefore,
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "delay_ms": 6000}},
		applies: []applyStep{
			{wantError: regexp.MustCompile(`(?s)Restore Not Submitted.*lost,\s+and\s+the\s+API\s+did\s+not\s+take\s+it.*stopped\s+before\s+it\s+could\s+be\s+submitted\s+again`), submissions: 2, jobs: 1},
			{args: []string{}, submissions: 3, jobs: 2, jobID: true},
		}},
	// Without a task list the lost submission cannot be settled: nothing resent, an error; a
	// restore the target showed is waited for and recorded as Unknown.
	{name: "no task list, connection dropped: unknowable, nothing resent",
		opts:   acctest.Options{Unconfirmed: emulator.Unconfirmed{TaskListMissing: true}},
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "drop": "before"}},
		applies: []applyStep{
			{wantError: reOutcomeUnknown, submissions: 1},
			{submissions: 2, jobs: 1, jobID: true},
		}},
	{name: "no task list, reply lost, target RESTORING: Unknown, waited for",
		opts:    acctest.Options{JobDuration: 4 * time.Second, Unconfirmed: emulator.Unconfirmed{TaskListMissing: true}},
		faults:  []map[string]any{{"method": "POST", "path": faultRestore, "drop": "after"}},
		applies: []applyStep{{status: "Unknown", submissions: 1, jobs: 1}}},

	{name: "task list unreadable while settling a lost reply: Unknown, then a refresh finds the job",
		opts: acctest.Options{JobDuration: 4 * time.Second},
		faults: []map[string]any{
			{"method": "POST", "path": faultRestore, "drop": "after"},
			{"method": "GET", "path": faultTasks, "count": 1000, "status": 503},
		},
		applies: []applyStep{
			{status: "Unknown", submissions: 1, jobs: 1},
			{before: clearFaults, submissions: 1, jobs: 1, jobID: true},
		}},

	// ---- after the submission: the job API, the deadline --------------------------------------
	// (case 2) the job query answers 503 for a while.
	{name: "job query 503 for a while (the task list too)", provider: []string{"max_retries = 1"},
		faults: []map[string]any{
			{"method": "GET", "path": faultJobs, "count": 8, "status": 503},
			// More than the job's: the plan and the submission read the task list too (for
			// restores the state does not know) before the wait reaches its fallback.
			{"method": "GET", "path": faultTasks, "count": 16, "status": 503},
		},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}, check: expectFaultsUsed("GET", reJobs, 503, "", 8)},
	{name: "job query down for good: the end learnt from the task list", provider: []string{"max_retries = 0"},
		opts:    acctest.Options{JobDuration: 3 * time.Second},
		faults:  []map[string]any{{"method": "GET", "path": faultJobs, "count": 1000, "status": 503}},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}},
	{name: "job query and task list down past the deadline: the next plain apply takes the job over",
		provider: []string{"max_retries = 0"}, opts: acctest.Options{JobDuration: 6 * time.Second}, args: []string{timeoutsCreate("4s")},
		faults: []map[string]any{
			{"method": "GET", "path": faultJobs, "count": 1000, "status": 503},
			{"method": "GET", "path": faultTasks, "count": 1000, "status": 503},
		},
		applies: []applyStep{
			{wantError: reNotFinished, submissions: 1, jobs: 1},
			{before: func(t *testing.T, env *acctest.Env) { clearFaults(t, env); waitForJobsToEnd(t, env) }, submissions: 1, jobs: 1, jobID: true},
		}},
	// (case 1) timeouts.create runs out after the submission.
	{name: "timeouts.create runs out, the job completes: the next plain apply takes it over",
		opts: acctest.Options{JobDuration: 8 * time.Second}, args: []string{timeoutsCreate("3s")},
		applies: []applyStep{
			{wantError: reNotFinished, submissions: 1, jobs: 1},
			{before: waitForJobsToEnd, submissions: 1, jobs: 1, jobID: true},
		}},
	{name: "timeouts.create runs out, the job still runs: the next apply with a longer timeout waits for it",
		opts: acctest.Options{JobDuration: 20 * time.Second}, args: []string{timeoutsCreate("3s")},
		applies: []applyStep{
			{wantError: reNotFinished, submissions: 1, jobs: 1},
			{args: []string{timeoutsCreate("2m")}, submissions: 1, jobs: 1, jobID: true},
		}},
	{name: "timeouts.create runs out, the job fails: the next apply reports it, the one after restores again",
		opts: acctest.Options{JobDuration: 6 * time.Second}, args: []string{timeoutsCreate("3s")},
		faults: []map[string]any{{"fail_next_job": "the backup file is damaged"}},
		applies: []applyStep{
			{wantError: reNotFinished, submissions: 1, jobs: 1},
			{before: waitForJobsToEnd, wantError: regexp.MustCompile(`(?s)Restore Job Failed.*earlier\s+apply.*the\s+backup\s+file\s+is\s+damaged.*Nothing\s+was\s+submitted`),
				submissions: 1, jobs: 1},
			{args: []string{timeoutsCreate("2m")}, submissions: 2, jobs: 2, jobID: true},
		}},
	{name: "job id not queryable for longer than usual", opts: acctest.Options{JobDuration: 8 * time.Second, JobVisibleAfter: 6 * time.Second},
		applies: []applyStep{{submissions: 1, jobs: 1, jobID: true}}, check: expectFaultsUsed("GET", reJobs, 400, rds.CodeJobNotFound, 2)},

	// ---- the target -------------------------------------------------------------------------
	// (issue 18, case 5) a restore onto the target that the state does not know: never stacked.
	{name: "target busy with a restore the state does not know: refused, naming it; after it ends, one submission",
		opts: acctest.Options{JobDuration: 20 * time.Second},
		setup: func(t *testing.T, env *acctest.Env) {
			env.SubmitRestore(t, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID)
		},
		applies: []applyStep{
			{wantError: reForeignRestore, submissions: 1, jobs: 1},
			{before: waitForJobsToEnd, submissions: 2, jobs: 2, jobID: true},
		}},
	{name: "a queued restore the state does not know (target still ACTIVE): refused, naming it",
		opts: acctest.Options{JobQueueDelay: 20 * time.Second, JobDuration: 2 * time.Second},
		setup: func(t *testing.T, env *acctest.Env) {
			env.SubmitRestore(t, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID)
		},
		applies: []applyStep{{wantError: reForeignRestore, submissions: 1, jobs: 1}}},

	// ---- the job itself ------------------------------------------------------------------------
	{name: "failing job: the next apply restores again",
		faults: []map[string]any{{"fail_next_job": "the backup file is damaged"}},
		applies: []applyStep{
			{wantError: regexp.MustCompile(`(?s)Restore Job Failed.*the backup file is\s+damaged.*the\s+next\s+apply\s+runs\s+the\s+restore\s+again`), submissions: 1, jobs: 1},
			{submissions: 2, jobs: 2, jobID: true},
		}},
}

// TestAccRDSInstanceRestore_faults runs the fault table.
func TestAccRDSInstanceRestore_faults(t *testing.T) {
	t.Parallel()
	for _, row := range faultTable {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			runFaultRow(t, row)
		})
	}
}

// runFaultRow applies the row's restore under its faults, then the applies after it, checking
// each outcome, the state, and the restores the emulator ran.
func runFaultRow(t *testing.T, row faultRow) {
	t.Helper()
	var env *acctest.Env
	if row.clockStep > 0 {
		env = newSteppingEnv(t, row.opts, row.clockStep)
	} else {
		env = acctest.New(t, row.opts)
	}
	env.RequireEmulator(t)
	if row.setup != nil {
		row.setup(t, env)
	}
	for _, f := range row.faults {
		env.Fault(t, f)
	}
	if len(row.during) > 0 {
		stop := injectWhenJobRuns(t, env.URL, row.during)
		defer stop()
	}

	// One point in time for every step: a restore_time that moved between steps would be a new
	// restore (a replacement), not the same one applied again.
	at := time.Now().Add(-2 * time.Hour).UnixMilli()
	config := func(args []string) string {
		if row.pointInTime {
			return faultConfig(env, row.provider, append([]string{attr("source_instance_id", env.ID(t, "POSTGRESQL_SOURCE_ID")),
				attr("target_instance_id", env.ID(t, "POSTGRESQL_TARGET_ID")), fmt.Sprintf("restore_time = %d", at)}, args...)...)
		}
		return faultConfig(env, row.provider, append([]string{attr("source_instance_id", env.ID(t, "MYSQL_SOURCE_ID")),
			attr("target_instance_id", env.ID(t, "MYSQL_TARGET_ID")), attr("backup_id", env.ID(t, "MYSQL_BACKUP_ID"))}, args...)...)
	}
	var steps []resource.TestStep
	var last applyStep
	var lastArgs []string
	for _, a := range row.applies {
		args := row.args
		if a.args != nil {
			args = a.args
		}
		lastArgs, last = args, a
		step := resource.TestStep{Config: config(args)}
		if a.before != nil {
			before := a.before
			step.PreConfig = func() { before(t, env) }
		}
		if a.wantError != nil {
			step.ExpectError = a.wantError
		} else {
			status := a.status
			if status == "" {
				status = "Completed"
			}
			step.ConfigStateChecks = []statecheck.StateCheck{checkState("status", knownvalue.StringExact(status))}
		}
		checks := []resource.TestCheckFunc{expectCounts(t, env, a.submissions, a.jobs)}
		if a.jobID {
			checks = append(checks, expectNewestJobID(t, env))
		}
		if a.wantError == nil {
			step.Check = resource.ComposeTestCheckFunc(checks...)
		} else {
			// A failing step's Check does not run: the counts are checked by the next step's
			// PreConfig (or at the end).
			counts := a
			steps = append(steps, step)
			refresh := resource.TestStep{
				// Refresh only: reads the state the failed apply left, submits nothing.
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: expectCounts(t, env, counts.submissions, counts.jobs),
			}
			if a.wantError == reForeignRestore {
				// The restore the state does not know still runs: the refresh's plan refuses it
				// too (the counts are checked by the next step, or at the end).
				refresh.ExpectError, refresh.Check = reForeignRestore, nil
			}
			steps = append(steps, refresh)
			continue
		}
		steps = append(steps, step)
	}
	if last.wantError == nil {
		// Once more, plainly: nothing to do, nothing submitted.
		steps = append(steps, resource.TestStep{
			Config:           config(lastArgs),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            expectCounts(t, env, last.submissions, last.jobs),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps:                    steps,
	})
	// Counted again after the test's own destroy: nothing there may submit anything.
	if err := expectCounts(t, env, last.submissions, last.jobs)(nil); err != nil {
		t.Error(err)
	}
	if row.check != nil {
		row.check(t, env)
	}
}

// expectNewestJobID checks that the state records the emulator's newest job.
func expectNewestJobID(t *testing.T, env *acctest.Env) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		jobs := env.EmulatorState(t).Jobs
		if len(jobs) == 0 {
			return fmt.Errorf("the emulator ran no job")
		}
		newest := jobs[len(jobs)-1].ID
		got := s.RootModule().Resources[restoreAddr].Primary.Attributes["job_id"]
		if got != newest {
			return fmt.Errorf("job_id = %q, want the emulator's newest job %q (jobs %+v)", got, newest, jobs)
		}
		return nil
	}
}

// faultConfig is a restore with extra provider arguments.
func faultConfig(env *acctest.Env, providerArgs []string, args ...string) string {
	return env.ProviderBlock(providerArgs...) +
		"resource \"hwc_rds_instance_restore\" \"test\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
}

// newSteppingEnv starts an emulator like acctest.New does, on a clock that advances by step on
// every reading besides the real time passing. (The signature check allows 15 minutes of skew; a
// test reads the clock a few hundred times.)
func newSteppingEnv(t *testing.T, o acctest.Options, step time.Duration) *acctest.Env {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	if acctest.RealCloud() {
		t.Skip("needs the emulator")
	}
	var mu sync.Mutex
	var skew time.Duration
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		skew += step
		return time.Now().Add(skew)
	}
	srv, ts := emulator.NewTestServer(t, emulator.Options{
		Seed: o.Seed, JobDuration: o.JobDuration, JobVisibleAfter: o.JobVisibleAfter, Throttle: o.Throttle, Clock: clock,
	})
	return &acctest.Env{URL: ts.URL, Server: srv}
}

// expectCounts checks the restore POSTs the emulator received and the jobs it ran.
func expectCounts(t *testing.T, env *acctest.Env, submissions, jobs int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := env.RestoreSubmissions(t); got != submissions {
			return fmt.Errorf("restore submissions received by the emulator = %d, want %d", got, submissions)
		}
		if got := len(env.EmulatorState(t).Jobs); got != jobs {
			return fmt.Errorf("restore jobs in the emulator = %d, want %d", got, jobs)
		}
		return nil
	}
}

// injectWhenJobRuns posts faults as soon as the emulator has a job, from a goroutine (so it
// must not call t.Fatal); the returned func waits for it and reports a failure to inject.
func injectWhenJobRuns(t *testing.T, url string, faults []map[string]any) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	done := make(chan error, 1)
	go func() {
		for {
			var st acctest.State
			if err := adminCall(ctx, url, http.MethodGet, "/_emulator/state", nil, &st); err != nil {
				done <- err
				return
			}
			if len(st.Jobs) > 0 {
				for _, f := range faults {
					if err := adminCall(ctx, url, http.MethodPost, "/_emulator/faults", f, nil); err != nil {
						done <- err
						return
					}
				}
				done <- nil
				return
			}
			select {
			case <-ctx.Done():
				done <- fmt.Errorf("no job appeared: %w", ctx.Err())
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("injecting faults once the job runs: %v", err)
		}
	}
}

func adminCall(ctx context.Context, base, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, &body)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("emulator admin %s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// requestsWith counts logged requests to a path fragment with a status and error code.
func requestsWith(t *testing.T, env *acctest.Env, method string, path *regexp.Regexp, status int, code string) int {
	t.Helper()
	n := 0
	for _, r := range env.Requests(t) {
		if r.Method == method && path.MatchString(r.Path) && r.Status == status && (code == "" || r.ErrorCode == code) {
			n++
		}
	}
	return n
}

// expectFaultsUsed checks that the injected faults were really met (so a test cannot pass
// because its fault missed).
func expectFaultsUsed(method string, path *regexp.Regexp, status int, code string, want int) func(*testing.T, *acctest.Env) {
	return func(t *testing.T, env *acctest.Env) {
		t.Helper()
		if got := requestsWith(t, env, method, path, status, code); got < want {
			t.Errorf("%s %s answered %d %s: %d times, want at least %d (the fault was not met)", method, path, status, code, got, want)
		}
	}
}

var (
	reInstances      = regexp.MustCompile(`^/v3/[^/]+/instances$`)
	reConfigurations = regexp.MustCompile(`/configurations$`)
	reBackups        = regexp.MustCompile(`^/v3/[^/]+/backups$`)
	reRestoreTime    = regexp.MustCompile(`/restore-time$`)
	reRestore        = regexp.MustCompile(`/instances/recovery$`)
	reJobs           = regexp.MustCompile(`^/v3/[^/]+/jobs$`)
)

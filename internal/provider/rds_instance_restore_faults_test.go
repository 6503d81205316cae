package provider_test

// Fault acceptance tests (issue 6): every call the provider makes meets the emulator's fault
// injection, and each test pins both the outcome (success, or an error that names the cause) and
// the exact number of restore submissions the emulator received and jobs it ran. The promise that
// matters most: a restore is never submitted twice by accident.

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
)

// faultCase is one fault scenario on a MySQL backup restore (or a PostgreSQL point-in-time
// restore when pointInTime is set).
type faultCase struct {
	opts        acctest.Options
	provider    []string // extra provider arguments, e.g. "max_retries = 1"
	args        []string // extra resource arguments, e.g. a timeouts block
	pointInTime bool
	// faults are posted before the apply; during, when set, runs in the background once the
	// emulator shows the job (to aim at calls made after the submission).
	faults []map[string]any
	during []map[string]any
	// want: exactly this many restore POSTs received and jobs run by the emulator.
	submissions, jobs int
	// expectError, when set, is the error the apply must end with; else it must succeed with
	// status (default "Completed").
	expectError *regexp.Regexp
	status      string
	// check runs after the apply, whatever its outcome.
	check func(t *testing.T, env *acctest.Env)
	// clockStep, when set, runs the emulator on a clock that moves this much further on every
	// reading, so that "later" is later by at least that much whatever the machine's speed.
	clockStep time.Duration
}

// runFaultCase applies one restore under the case's faults and checks the outcome and the counts.
func runFaultCase(t *testing.T, c faultCase) {
	t.Helper()
	var env *acctest.Env
	if c.clockStep > 0 {
		env = newSteppingEnv(t, c.opts, c.clockStep)
	} else {
		env = acctest.New(t, c.opts)
	}
	env.RequireEmulator(t)
	for _, f := range c.faults {
		env.Fault(t, f)
	}
	if len(c.during) > 0 {
		stop := injectWhenJobRuns(t, env.URL, c.during)
		defer stop()
	}

	var config string
	if c.pointInTime {
		at := time.Now().Add(-2 * time.Hour).UnixMilli()
		config = faultConfig(env, c.provider, attr("source_instance_id", env.ID(t, "POSTGRESQL_SOURCE_ID")),
			attr("target_instance_id", env.ID(t, "POSTGRESQL_TARGET_ID")), fmt.Sprintf("restore_time = %d", at))
	} else {
		config = faultConfig(env, c.provider, append([]string{attr("source_instance_id", env.ID(t, "MYSQL_SOURCE_ID")),
			attr("target_instance_id", env.ID(t, "MYSQL_TARGET_ID")), attr("backup_id", env.ID(t, "MYSQL_BACKUP_ID"))}, c.args...)...)
	}

	step := resource.TestStep{Config: config}
	if c.expectError != nil {
		step.ExpectError = c.expectError
	} else {
		status := c.status
		if status == "" {
			status = "Completed"
		}
		step.ConfigStateChecks = []statecheck.StateCheck{checkState("status", knownvalue.StringExact(status))}
		step.Check = expectCounts(t, env, c.submissions, c.jobs)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps:                    []resource.TestStep{step},
	})
	// Counted again after the test's own destroy and plans: nothing there may submit anything.
	if err := expectCounts(t, env, c.submissions, c.jobs)(nil); err != nil {
		t.Error(err)
	}
	if c.check != nil {
		c.check(t, env)
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

// reOutcomeUnknown is the error of a submission whose fate the provider cannot know.
var reOutcomeUnknown = regexp.MustCompile(`(?s)Restore Outcome Unknown.*the\s+target\s+does\s+not\s+show\s+whether\s+the\s+API\s+took\s+it.*` +
	`did\s+not\s+submit\s+it\s+again`)

var (
	reInstances      = regexp.MustCompile(`^/v3/[^/]+/instances$`)
	reConfigurations = regexp.MustCompile(`/configurations$`)
	reBackups        = regexp.MustCompile(`^/v3/[^/]+/backups$`)
	reRestoreTime    = regexp.MustCompile(`/restore-time$`)
	reRestore        = regexp.MustCompile(`/instances/recovery$`)
	reJobs           = regexp.MustCompile(`^/v3/[^/]+/jobs$`)
)

// ---- 5xx bursts on each call -------------------------------------------------------------

func TestAccRestoreFault_instancesListing5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults:      []map[string]any{{"method": "GET", "path": faultInstances, "count": 3, "status": 503}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reInstances, 503, "", 3),
	})
}

func TestAccRestoreFault_configurations5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "GET", "path": faultConfigurations, "count": 3, "status": 500,
			"error_code": rds.CodeInstanceNotReady, "error_msg": "instance not ready"}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reConfigurations, 500, rds.CodeInstanceNotReady, 3),
	})
}

func TestAccRestoreFault_backups5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults:      []map[string]any{{"method": "GET", "path": faultBackups, "count": 3, "status": 502}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reBackups, 502, "", 3),
	})
}

func TestAccRestoreFault_restoreTime5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		pointInTime: true,
		faults:      []map[string]any{{"method": "GET", "path": faultRestoreTime, "count": 3, "status": 504}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reRestoreTime, 504, "", 3),
	})
}

func TestAccRestoreFault_jobs5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "GET", "path": faultJobs, "count": 3, "status": 500,
			"error_code": rds.CodeServiceTimeout, "error_msg": "service timeout"}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reJobs, 500, rds.CodeServiceTimeout, 3),
	})
}

// The instance GET after the job (waiting for ACTIVE again) meets a burst: retried, success.
func TestAccRestoreFault_finalInstanceGet5xxBurst(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		opts:        acctest.Options{JobDuration: 3 * time.Second},
		during:      []map[string]any{{"method": "GET", "path": faultInstances, "count": 3, "status": 503}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reInstances, 503, "", 3),
	})
}

// A 500 that is not documented as retryable, on a read at plan time: the plan fails naming the
// code, and nothing is submitted.
func TestAccRestoreFault_readServerErrorNotRetried(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "GET", "path": faultBackups, "count": 1, "status": 500,
			"error_code": "DBS.108000", "error_msg": "internal server error"}},
		submissions: 0, jobs: 0,
		expectError: regexp.MustCompile(`(?s)Cannot Check the Restore Against the API.*HTTP\s+500\s+DBS\.108000.*Nothing was\s+submitted`),
	})
}

// A 500 with an RDS error code on the restore POST is a definite refusal: RDS answered, so it
// did not take the restore. Error, no job, not resent.
func TestAccRestoreFault_submitServerErrorIsRefusal(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 500,
			"error_code": "DBS.108000", "error_msg": "internal server error"}},
		submissions: 1, jobs: 0,
		expectError: regexp.MustCompile(`(?s)Restore Not Submitted.*HTTP\s+500\s+DBS\.108000.*Nothing was\s+submitted`),
	})
}

// DBS.280036 ("instance not ready") is documented as retryable. On the POST the client returns
// it as the definite refusal it is (nothing was taken), and the runner pauses, looks at the
// target again and resends: two POSTs, one job, success.
func TestAccRestoreFault_submitInstanceNotReadyRetried(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 500,
			"error_code": rds.CodeInstanceNotReady, "error_msg": "instance not ready"}},
		submissions: 2, jobs: 1,
	})
}

// A gateway 502 without an RDS code on the POST: the gateway may have forwarded the restore, so
// the outcome is unknown; the target is ACTIVE (not taken, or already done), so the provider
// says it cannot know, and does not resend.
func TestAccRestoreFault_submitGatewayErrorUnknowable(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 502,
			"error_code": "APIGW.0201", "error_msg": "bad gateway"}},
		submissions: 1, jobs: 0,
		expectError: reOutcomeUnknown,
	})
}

// ---- throttling, slow replies, an unavailable job API -------------------------------------

// 429 storms on reads, on the POST (the gateway refuses before forwarding, so the POST may be
// resent) and on the job polls: success, one job; the POST was received 1 + 3 times.
func TestAccRestoreFault_throttleStorm(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{
			{"method": "GET", "path": faultInstances, "count": 4, "status": 429},
			{"method": "POST", "path": faultRestore, "count": 3, "status": 429},
			{"method": "GET", "path": faultJobs, "count": 3, "status": 429},
		},
		submissions: 4, jobs: 1,
		check: func(t *testing.T, env *acctest.Env) {
			expectFaultsUsed("POST", reRestore, 429, "APIGW.0308", 3)(t, env)
			expectFaultsUsed("GET", reInstances, 429, "APIGW.0308", 4)(t, env)
			expectFaultsUsed("GET", reJobs, 429, "APIGW.0308", 3)(t, env)
		},
	})
}

// Slow replies on a read, the POST and the job polls: slower, same outcome.
func TestAccRestoreFault_slowReplies(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{
			{"method": "GET", "path": faultInstances, "count": 2, "delay_ms": 1500},
			{"method": "POST", "path": faultRestore, "count": 1, "delay_ms": 2500},
			{"method": "GET", "path": faultJobs, "count": 2, "delay_ms": 1500},
		},
		submissions: 1, jobs: 1,
	})
}

// The job API answers 503 for a while (longer than the client's own retries): the waiter keeps
// polling, and the restore ends Completed with one job.
func TestAccRestoreFault_jobAPIUnavailableForAWhile(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		provider:    []string{"max_retries = 1"},
		faults:      []map[string]any{{"method": "GET", "path": faultJobs, "count": 8, "status": 503}},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reJobs, 503, "", 8),
	})
}

// The job API stays down: the apply fails naming the cause and the job id, the resource is kept
// (tainted) with the job id, and nothing is submitted again.
func TestAccRestoreFault_jobAPIDownTooLong(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		provider:    []string{"max_retries = 0"},
		faults:      []map[string]any{{"method": "GET", "path": faultJobs, "count": 1000, "status": 503}},
		submissions: 1, jobs: 1,
		expectError: regexp.MustCompile(`(?s)Restore Did Not Finish.*job [0-9a-f]{32}.*HTTP\s+503.*marked\s+tainted`),
	})
}

// timeouts.create runs out while the job runs: an error that says the restore was submitted and
// names the job, the resource kept (tainted) with its job id, one job, nothing resent.
func TestAccRestoreFault_createTimeoutAfterSubmission(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		opts:        acctest.Options{JobDuration: 30 * time.Second},
		args:        []string{"timeouts {\n    create = \"3s\"\n  }"},
		submissions: 1, jobs: 1,
		expectError: regexp.MustCompile(`(?s)Restore Did Not Finish.*submitted\s+\(job\s+[0-9a-f]{32}\).*deadline\s+exceeded.*marked\s+tainted`),
	})
}

// A job id that answers DBS.200543 for several seconds (the real API does for a few): tolerated.
func TestAccRestoreFault_jobIDUnknownLongerThanUsual(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		opts:        acctest.Options{JobDuration: 8 * time.Second, JobVisibleAfter: 6 * time.Second},
		submissions: 1, jobs: 1,
		check: expectFaultsUsed("GET", reJobs, 400, rds.CodeJobNotFound, 2),
	})
}

// ---- the job and the target ------------------------------------------------------------

func TestAccRestoreFault_failingJob(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults:      []map[string]any{{"fail_next_job": "the backup file is damaged"}},
		submissions: 1, jobs: 1,
		expectError: regexp.MustCompile(`(?s)Restore Job Failed.*the backup file is\s+damaged`),
		check: func(t *testing.T, env *acctest.Env) {
			if j := env.EmulatorState(t).Jobs; len(j) != 1 || j[0].Status != "Failed" {
				t.Errorf("emulator jobs = %+v, want one Failed job", j)
			}
		},
	})
}

// The target is busy with another restore when the apply starts: the provider waits for it to be
// ACTIVE, then submits once. Two jobs in all: the other one and ours, and no 409 on the way.
func TestAccRestoreFault_targetBusyThenFree(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: 4 * time.Second})
	env.RequireEmulator(t)
	other := env.SubmitRestore(t, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: restoreConfig(env, attr("source_instance_id", env.ID(t, "MYSQL_SOURCE_ID")),
				attr("target_instance_id", env.ID(t, "MYSQL_TARGET_ID")), attr("backup_id", env.ID(t, "MYSQL_BACKUP_ID"))),
			ConfigStateChecks: []statecheck.StateCheck{checkState("status", knownvalue.StringExact("Completed"))},
			Check: resource.ComposeTestCheckFunc(
				expectCounts(t, env, 2, 2),
				func(s *terraform.State) error {
					if id := s.RootModule().Resources[restoreAddr].Primary.Attributes["job_id"]; id == other {
						return fmt.Errorf("the resource took the other restore's job %s", other)
					}
					if n := requestsWith(t, env, "POST", reRestore, 409, ""); n != 0 {
						return fmt.Errorf("%d restore submissions were refused as busy: the provider did not wait", n)
					}
					return nil
				},
			),
		}},
	})
}

// The target turned busy between the provider's look and its POST: a 409 refusal is definite (not
// taken), so the provider waits and submits again. Two POSTs received, one job.
func TestAccRestoreFault_busyRefusalThenFree(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults: []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "status": 409,
			"error_code": "DBS.200011", "error_msg": "the instance is being restored"}},
		submissions: 2, jobs: 1,
		check: expectFaultsUsed("POST", reRestore, 409, "DBS.200011", 1),
	})
}

// ---- dropped connections on the submission ----------------------------------------------

// The connection drops before the emulator acted on the POST. The client had written the request,
// so it cannot prove the server never saw it: the provider does not resend, reads the target
// (ACTIVE: nothing to tell), and fails with an error saying it cannot know. No job, one POST.
func TestAccRestoreFault_dropBeforeSubmission(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		faults:      []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "drop": "before"}},
		submissions: 1, jobs: 0,
		expectError: reOutcomeUnknown,
	})
}

// The connection drops after the emulator took the restore: the provider finds out from the
// target (RESTORING), waits for it, and ends with status "Unknown" (no job id) and a warning.
// One job, one POST.
func TestAccRestoreFault_dropAfterSubmissionTargetRestoring(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		opts:        acctest.Options{JobDuration: 4 * time.Second},
		faults:      []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "drop": "after"}},
		submissions: 1, jobs: 1,
		status: "Unknown",
		check: func(t *testing.T, env *acctest.Env) {
			if j := env.EmulatorState(t).Jobs; len(j) != 1 || j[0].Status != "Completed" {
				t.Errorf("emulator jobs = %+v, want the one taken restore, Completed", j)
			}
		},
	})
}

// The connection drops after the emulator took a very short restore that is already over when
// the provider looks: the target is ACTIVE and cannot tell. An error that says so; one job (the
// one that ran), one POST, never a second.
func TestAccRestoreFault_dropAfterSubmissionJobAlreadyDone(t *testing.T) {
	t.Parallel()
	runFaultCase(t, faultCase{
		// A 1ms job, and an emulator clock that moves 20ms per reading: however fast the provider
		// asks after the lost reply, the job is over by then.
		opts:        acctest.Options{JobDuration: time.Millisecond},
		clockStep:   20 * time.Millisecond,
		faults:      []map[string]any{{"method": "POST", "path": faultRestore, "count": 1, "drop": "after"}},
		submissions: 1, jobs: 1,
		expectError: reOutcomeUnknown,
	})
}

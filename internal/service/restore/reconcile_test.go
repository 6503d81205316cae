package restore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// fakeTasks scripts the task list: after the n-th lost submission (counted by the client), the
// tasks it lists; err answers every listing when set.
type fakeTasks struct {
	mu      sync.Mutex
	tasks   []Task
	err     error
	calls   int
	ctxDead int // listings asked on a context that had already ended
	// listsRestores: the account's task list shows a restore (ListsRestores); accountCalls
	// counts those questions.
	listsRestores bool
	accountCalls  int
	// after, when set: tasks are listed only once it has had a submission (a job exists from
	// its submission on; before it, the target has no restore task).
	after *fakeClient
	// failAfter > 0: every listing after the first failAfter answers 503.
	failAfter int
}

func (f *fakeTasks) ListsRestores(context.Context, time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accountCalls++
	if f.err != nil {
		return false, f.err
	}
	return f.listsRestores, nil
}

func (f *fakeTasks) RestoreTasks(ctx context.Context, _ string, _ time.Time) ([]Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if ctx.Err() != nil {
		f.ctxDead++
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	if f.failAfter > 0 && f.calls > f.failAfter {
		return nil, &rds.Error{StatusCode: 503}
	}
	if f.after != nil && f.after.submissions.Load() == 0 {
		return nil, nil
	}
	return append([]Task(nil), f.tasks...), nil
}

// ctxClient is a fakeClient whose job wait honours ctx, as the real waiter does.
type ctxClient struct{ *fakeClient }

func (c ctxClient) WaitForJob(ctx context.Context, jobID string, opts rds.WaitOptions) (*rds.Job, error) {
	if err := ctx.Err(); err != nil {
		return &rds.Job{ID: jobID, Status: rds.JobRunning}, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
	}
	return c.fakeClient.WaitForJob(ctx, jobID, opts)
}

func settlingRunner(c Client, tasks TaskSource) *Runner {
	r := runner(c)
	r.Tasks = tasks
	r.SettleWindow, r.SettlePoll = 30*time.Millisecond, 5*time.Millisecond
	return r
}

var errLost = fmt.Errorf("RDS API POST /v3.1/{project_id}/instances/recovery: %w", rds.ErrOutcomeUnknown)

func TestRunner_settlesALostSubmission(t *testing.T) {
	taken := []Task{{ID: "taken-job", Status: rds.JobRunning, Created: time.Now(), Restore: true}}
	stranger := Task{ID: "console-job", Status: rds.JobCompleted, Created: time.Now().Add(-5 * time.Minute), Restore: true}
	for _, tc := range []struct {
		name        string
		restoreErrs []error
		statuses    []string
		tasks       *fakeTasks
		wantKind    Kind
		wantJob     string
		submissions int32
		wantErr     error
		reconciled  bool
		resubmitted bool
		known       []string // Hooks.KnownJobs
	}{
		{name: "task list shows the job", restoreErrs: []error{errLost}, tasks: &fakeTasks{tasks: taken},
			wantKind: KindCompleted, wantJob: "taken-job", submissions: 1, reconciled: true},
		{name: "absent from a task list that lists restores, ACTIVE throughout: submitted again once", restoreErrs: []error{errLost},
			tasks: &fakeTasks{listsRestores: true}, wantKind: KindCompleted, wantJob: "job", submissions: 2, resubmitted: true},
		{name: "absent twice: no third submission", restoreErrs: []error{errLost, errLost}, tasks: &fakeTasks{listsRestores: true},
			wantKind: KindNotSubmitted, submissions: 2, wantErr: ErrNotTakenTwice, resubmitted: true},
		{name: "absent from a task list never seen to list restores: unknowable, not resent", restoreErrs: []error{errLost},
			tasks: &fakeTasks{}, wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "queued job (0%, target ACTIVE) found through the task list, never resent", restoreErrs: []error{errLost},
			tasks:    &fakeTasks{tasks: []Task{{ID: "queued-job", Status: rds.JobRunning, Created: time.Now(), Restore: true}}},
			wantKind: KindCompleted, wantJob: "queued-job", submissions: 1, reconciled: true},
		{name: "two candidates: unknowable, neither adopted", restoreErrs: []error{errLost},
			tasks:    &fakeTasks{listsRestores: true, tasks: []Task{taken[0], {ID: "other-job", Status: rds.JobRunning, Created: time.Now(), Restore: true}}},
			wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "a stranger's restore before the send: not adopted, and it forbids a resend", restoreErrs: []error{errLost},
			tasks: &fakeTasks{listsRestores: true, tasks: []Task{stranger}}, wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "the caller's known earlier job: not this submission's, no bar to a resend", restoreErrs: []error{errLost}, known: []string{stranger.ID},
			tasks: &fakeTasks{listsRestores: true, tasks: []Task{stranger}}, wantKind: KindCompleted, wantJob: "job", submissions: 2, resubmitted: true},
		{name: "absent but the target was busy: proves nothing", restoreErrs: []error{errLost}, tasks: &fakeTasks{},
			statuses: []string{rds.StatusActive, "BACKING UP", rds.StatusActive},
			wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "absent, but another kind of task appeared: proves nothing", restoreErrs: []error{errLost},
			tasks:    &fakeTasks{tasks: []Task{{ID: "backup-task", Status: rds.JobRunning, Created: time.Now()}}},
			wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "no task list, target ACTIVE", restoreErrs: []error{errLost}, tasks: &fakeTasks{err: ErrNoTaskList},
			wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		// A 5xx that carries a busy code may come after the API took it: settled, not resent as
		// a refusal.
		{name: "5xx with a busy code after the request was written: its job found, never resent",
			restoreErrs: []error{fmt.Errorf("%w: %w", rds.ErrOutcomeUnknown, &rds.Error{StatusCode: 503, Code: "DBS.200011"})},
			tasks:       &fakeTasks{tasks: taken}, wantKind: KindCompleted, wantJob: "taken-job", submissions: 1, reconciled: true},
		{name: "task list unreadable", restoreErrs: []error{errLost}, tasks: &fakeTasks{err: &rds.Error{StatusCode: 503}},
			wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		// The first look (after the check before the submission) answered; the task list failed
		// for the rest of the window, which exists because it may list a new job late.
		{name: "absent at the first look only, the task list unreadable after: unknowable, not resent", restoreErrs: []error{errLost},
			tasks: &fakeTasks{listsRestores: true, failAfter: 2}, wantKind: KindUnknowable, submissions: 1, wantErr: ErrOutcomeUnknowable},
		{name: "no task list, target RESTORING", restoreErrs: []error{errLost}, tasks: &fakeTasks{err: ErrNoTaskList},
			statuses: []string{rds.StatusActive, rds.StatusRestoring, rds.StatusActive},
			wantKind: KindCompleted, submissions: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{restoreErrs: tc.restoreErrs, statuses: tc.statuses}
			tc.tasks.after = f
			var hookID string
			res, err := settlingRunner(f, tc.tasks).Run(context.Background(), request("t1"), false, Hooks{
				OnSubmitted: func(id string, _ time.Time) { hookID = id }, KnownJobs: tc.known,
			})
			if res.Kind != tc.wantKind || res.JobID != tc.wantJob || f.submissions.Load() != tc.submissions {
				t.Fatalf("kind %q job %q submissions %d (err %v), want %q %q %d",
					res.Kind, res.JobID, f.submissions.Load(), err, tc.wantKind, tc.wantJob, tc.submissions)
			}
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if res.Reconciled != tc.reconciled || res.Resubmitted != tc.resubmitted {
				t.Errorf("reconciled %v resubmitted %v, want %v %v", res.Reconciled, res.Resubmitted, tc.reconciled, tc.resubmitted)
			}
			if res.Taken() && hookID != res.JobID {
				t.Errorf("OnSubmitted got %q, want %q", hookID, res.JobID)
			}
		})
	}
}

// A Ctrl-C during the submission: the settling still asks the task list (on a context that
// outlives the cancellation), finds the job, and the result says interrupted, with the job id.
func TestRunner_settlesAfterCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &cancellingClient{ctxClient: ctxClient{&fakeClient{restoreErrs: []error{errLost}}}, cancel: cancel}
	tasks := &fakeTasks{tasks: []Task{{ID: "taken-job", Status: rds.JobRunning, Created: time.Now(), Restore: true}}, after: f.fakeClient}
	res, _ := settlingRunner(f, tasks).Run(ctx, request("t1"), false, Hooks{})
	if res.Kind != KindInterrupted || res.JobID != "taken-job" || !res.Reconciled {
		t.Fatalf("res = %+v, want interrupted with the job the task list showed", res)
	}
	if tasks.ctxDead != 0 || tasks.calls == 0 {
		t.Fatalf("task list asked %d times, %d of them on the cancelled context", tasks.calls, tasks.ctxDead)
	}
}

// cancellingClient cancels the run while the submission is in flight, as a Ctrl-C would.
type cancellingClient struct {
	ctxClient
	cancel func()
}

func (c *cancellingClient) Restore(ctx context.Context, req rds.RestoreRequest) (*rds.RestoreResponse, error) {
	c.cancel()
	return c.ctxClient.Restore(ctx, req)
}

// A job this runner already owns (another restore of this process onto the target) is never
// taken for the lost submission's.
func TestRunner_settlingIgnoresOwnJobs(t *testing.T) {
	f := &fakeClient{restoreErrs: []error{nil, errLost}}
	r := settlingRunner(f, &fakeTasks{tasks: []Task{{ID: "job", Status: rds.JobCompleted, Created: time.Now(), Restore: true}}})
	if res, err := r.Run(context.Background(), request("t1"), false, Hooks{}); err != nil || res.JobID != "job" {
		t.Fatalf("first restore: %+v %v", res, err)
	}
	res, _ := r.Run(context.Background(), request("t1"), false, Hooks{})
	// Only "job" is listed, and it is the first restore's: the second was not taken; its resend
	// gets "job" again from the fake, which is the resend's own job.
	if !res.Resubmitted || f.submissions.Load() != 3 {
		t.Fatalf("res = %+v after %d submissions: the first restore's job was taken for the second's", res, f.submissions.Load())
	}
}

// What stops the wait on a taken restore decides the kind: a failed job, a cancellation, the
// deadline. Adopting an earlier job waits for it without submitting.
func TestRunner_outcomeKinds(t *testing.T) {
	failed := &fakeClient{jobErr: &rds.JobFailedError{JobID: "job", FailReason: "disk full"}}
	res, _ := runner(failed).Run(context.Background(), request("t1"), false, Hooks{})
	if res.Kind != KindFailed || res.FailReason != "disk full" || !res.Taken() || !res.Settled() {
		t.Errorf("failed job: %+v", res)
	}

	for _, tc := range []struct {
		ctx  func() (context.Context, context.CancelFunc)
		want Kind
	}{
		{func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			return ctx, cancel
		}, KindInterrupted},
		{func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}, KindTimedOut},
	} {
		ctx, cancel := tc.ctx()
		stop := cancel
		if tc.want == KindTimedOut {
			stop = func() { <-ctx.Done() } // the deadline passes right after the submission
		}
		f := &stopAfterSubmit{ctxClient: ctxClient{&fakeClient{}}, stop: stop}
		res, _ := runner(f).Run(ctx, request("t1"), false, Hooks{})
		cancel()
		if res.Kind != tc.want || res.JobID != "job" || res.Settled() {
			t.Errorf("want %q: %+v", tc.want, res)
		}
	}

	f := &fakeClient{}
	res = runner(f).Adopt(context.Background(), "t1", "old-job", time.Now().Add(-time.Hour), Hooks{})
	if res.Kind != KindAdopted || res.JobID != "old-job" || f.submissions.Load() != 0 {
		t.Errorf("adopt: %+v after %d submissions", res, f.submissions.Load())
	}
	f = &fakeClient{jobErr: &rds.JobFailedError{JobID: "old-job", FailReason: "disk full"}}
	res = runner(f).Adopt(context.Background(), "t1", "old-job", time.Now(), Hooks{})
	if res.Kind != KindFailed || !res.Adopted || res.FailReason != "disk full" {
		t.Errorf("adopt a failed job: %+v", res)
	}
}

// stopAfterSubmit ends the run's context right after the API took the restore.
type stopAfterSubmit struct {
	ctxClient
	stop func()
}

func (c *stopAfterSubmit) Restore(ctx context.Context, req rds.RestoreRequest) (*rds.RestoreResponse, error) {
	resp, err := c.ctxClient.Restore(ctx, req)
	c.stop()
	time.Sleep(time.Millisecond)
	return resp, err
}

// BeforeSubmit runs once, before the first submission only; its error stops the restore.
func TestRunner_beforeSubmit(t *testing.T) {
	f := &fakeClient{restoreErrs: []error{&rds.Error{StatusCode: 409, Code: "DBS.200011"}}}
	calls := 0
	if _, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{BeforeSubmit: func(context.Context) error {
		calls++
		return nil
	}}); err != nil || calls != 1 || f.submissions.Load() != 2 {
		t.Fatalf("err %v, hook ran %d times, %d submissions", err, calls, f.submissions.Load())
	}
	f = &fakeClient{}
	res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{BeforeSubmit: func(context.Context) error {
		return errors.New("no")
	}})
	if res.Kind != KindNotSubmitted || err == nil || f.submissions.Load() != 0 {
		t.Fatalf("res %+v err %v submissions %d", res, err, f.submissions.Load())
	}
}

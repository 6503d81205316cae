package restore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// Client is the part of the RDS client a restore needs.
type Client interface {
	Restore(ctx context.Context, req rds.RestoreRequest) (*rds.RestoreResponse, error)
	GetInstance(ctx context.Context, id string) (*rds.Instance, error)
	WaitForJob(ctx context.Context, jobID string, opts rds.WaitOptions) (*rds.Job, error)
}

// Runner runs restores. One Runner serves a whole provider process.
type Runner struct {
	Client  Client
	Locks   *TargetLocks
	Lookups *lookup.Cache // optional: what a finished restore changed is forgotten here
	// Tasks settles submissions whose reply was lost, and tells a job's end while the job API
	// is unreachable. Nil: no task list (a lost submission is then settled by the target only).
	Tasks TaskSource
	Now   func() time.Time
	// BusyPollMin and BusyPollMax bound the polling of a busy target (defaults 1s and 15s);
	// before the submission the pauses between reads stay within TargetPollMax while the wait
	// is young (targetPause).
	BusyPollMin, BusyPollMax time.Duration
	// TargetPollMax caps the pause between two reads of a busy target before the submission
	// while the wait is young (DefaultTargetPollMax when 0).
	TargetPollMax time.Duration
	// SettleWindow and SettlePoll tune the settling of a lost submission (DefaultSettleWindow,
	// DefaultSettlePoll).
	SettleWindow, SettlePoll time.Duration
	// Wait tunes the job waiter.
	Wait rds.WaitOptions

	jobs sync.Map // job ids this runner submitted or adopted: never mistaken for a lost one
	// restoresListed: a listing of the task list showed a restore on this account, so its
	// silence about a submission means something (settle).
	restoresListed atomic.Bool

	// The account-wide task listing that serves the foreign-restore checks (foreignTasks).
	accountMu       sync.Mutex
	accountTasks    []AccountTask
	accountComplete bool
	accountAt       time.Time
	mu              sync.Mutex
	onto            map[string]int // restores of this runner in flight per target (enter, leave)
	// unanswered counts, per target, this runner's submissions sent and not answered yet (no
	// reply, or one being settled): a job listed on the target may be any of theirs (pend).
	unanswered map[string]int
}

// Hooks let the caller save state and report progress as the restore goes.
type Hooks struct {
	// BeforeSubmit runs once, right before the first submission, with the target ACTIVE (or
	// taking concurrent restores); an error stops the restore, not submitted.
	BeforeSubmit func(ctx context.Context) error
	// OnSubmitted runs as soon as the API is known to have the restore, before any waiting: the
	// caller records the job id there so that nothing after it can lose it. jobID is "" for a
	// restore only the target showed (Result.Unconfirmed).
	OnSubmitted func(jobID string, at time.Time)
	// OnSettling runs when a submission's reply was lost, before the task list is asked.
	OnSettling func(err error)
	// OnProgress runs when the job's status or progress changes.
	OnProgress func(job rds.Job)
	// OnTargetBusy runs while the target is not ACTIVE before the submission.
	OnTargetBusy func(status string)
	// KnownJobs are restore jobs onto the target that the caller knows (its state's earlier job
	// that it takes over, waits for or restores after on purpose). They are never taken for a
	// restore the state does not know, and a target RESTORING while one of them may run is
	// waited for instead of refused.
	KnownJobs []string
}

// Stage says where a restore stopped, for errors.
type Stage string

const (
	StageWaitTarget Stage = "waiting for the target to be ACTIVE"
	StageSubmit     Stage = "submitting the restore"
	StageWaitJob    Stage = "waiting for the restore job"
	StageWaitActive Stage = "waiting for the target to be ACTIVE after the job"
)

// Error is a restore that stopped, with the stage, and whether the restore was submitted.
type Error struct {
	Stage     Stage
	Submitted bool // the API took the restore (a job runs or ran)
	JobID     string
	Err       error
}

func (e *Error) Error() string {
	if e.JobID != "" {
		return fmt.Sprintf("%s (job %s): %v", e.Stage, e.JobID, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Stage, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrOutcomeUnknowable: the submission's reply was lost, and neither the task list nor the target
// shows whether it was taken. Submitting again could restore twice, so the runner stops and says so.
var ErrOutcomeUnknowable = errors.New("the reply to the restore was lost, and nothing shows whether the API took it; " +
	"the provider did not submit it again, because a second restore would overwrite whatever the first one wrote. " +
	"Look at the target instance in the console (its status: RESTORING means a restore runs; and its recent tasks) " +
	"or at the API's task list for a restore job onto it created since this submission. If there is one, it is " +
	"this restore: record it in the state with the CLI's import command and its job id. If there is none and the " +
	"target is ACTIVE, apply again")

// ErrNotTakenTwice: two submissions in a row lost their reply and were both proven not taken; a
// third is not sent.
var ErrNotTakenTwice = errors.New("the restore was submitted twice, both replies were lost, and the task list " +
	"shows neither was taken; the provider does not send it a third time")

// ErrLostNotTaken: a submission's reply was lost, and the task list and the target showed it was
// not taken.
var ErrLostNotTaken = errors.New("the reply to the restore was lost, and the API did not take it")

// Run submits one restore and waits for it. concurrentOK skips the per-target lock (SQL Server
// database restores, which the API takes several at once). The returned error is res.Err.
//
// A submission whose fate is unknown (request written, no reply; a 5xx; a gateway error after
// the request was written) is settled, never guessed: through the task list, on a context that
// outlives ctx for a short while (settleContext). Its job found (the one candidate, Candidate):
// it is this restore, waited for as usual. Not found in a task list seen to list restores, the
// target ACTIVE throughout: not taken, submitted again, once. Neither provable: KindUnknowable,
// nothing resent.
//
// Before each submission, a restore onto the target that this runner did not submit and
// hooks.KnownJobs does not name (ForeignRestores) stops the run, not submitted, with a
// *ForeignRestoreError: a second restore is never stacked onto one the caller's state does not
// know. The wait for a busy target refuses at once when the target is RESTORING with such a
// restore, and when it is in a state it does not leave by itself (rds.StuckInstanceError).
func (r *Runner) Run(ctx context.Context, req rds.RestoreRequest, concurrentOK bool, hooks Hooks) (Result, error) {
	res := r.run(ctx, req, concurrentOK, hooks)
	return res, res.Err
}

func (r *Runner) run(ctx context.Context, req rds.RestoreRequest, concurrentOK bool, hooks Hooks) Result {
	target := req.Target.InstanceID
	var res Result
	notSubmitted := func(stage Stage, err error) Result {
		return Result{Kind: KindNotSubmitted, Resubmitted: res.Resubmitted, Err: &Error{Stage: stage, Err: err}}
	}
	if !concurrentOK && r.Locks != nil {
		unlock, err := r.Locks.Lock(ctx, target)
		if err != nil {
			return notSubmitted(StageWaitTarget, fmt.Errorf("another restore of target %s in this run is still going: %w", target, err))
		}
		defer unlock()
	}

	refusalPause := r.busyMin()
	before := hooks.BeforeSubmit
	entered := false // counted among this runner's restores onto target (enter)
	defer func() {
		if entered {
			r.leave(target)
		}
	}()
	for first := true; ; first = false {
		if !concurrentOK && !(first && r.freshlyActive(target)) {
			if _, err := r.waitForTarget(ctx, target, hooks, entered); err != nil {
				if errors.Is(err, errForeignRestoring) {
					err = r.nameForeign(ctx, target, hooks.KnownJobs)
				}
				return notSubmitted(StageWaitTarget, err)
			}
		}
		// No stacking onto a restore the caller's state does not know: the task list's running
		// restores (a queued one leaves the target ACTIVE). SQL Server restores that this runner
		// sends at once onto one instance skip it while another is in flight: its job may be
		// listed before its submission's reply names it as this runner's (also when one set
		// off while the task list was being read).
		if !concurrentOK || !entered && r.runningOnto(target) == 0 {
			running, _, _ := r.foreign(ctx, target, r.now(), hooks.KnownJobs, false)
			if len(running) > 0 && (!concurrentOK || r.runningOnto(target) == 0) {
				return notSubmitted(StageWaitTarget, foreignError(target, running))
			}
		}
		if !entered {
			r.enter(target)
			entered = true
		}
		if before != nil {
			if err := before(ctx); err != nil {
				return notSubmitted(StageSubmit, err)
			}
			before = nil
		}
		sentAt := time.Now() // the task list's clock is compared with this machine's
		r.pend(target, 1)
		resp, err := r.Client.Restore(ctx, req)
		lostAt := time.Now()
		if err == nil {
			res.JobID = resp.JobID
			r.jobs.Store(res.JobID, struct{}{}) // owned before answered: a sibling's settling never takes it
			r.pend(target, -1)
			break
		}
		unknown := errors.Is(err, rds.ErrOutcomeUnknown)
		if !unknown {
			r.pend(target, -1)
		}
		if !unknown && (rds.IsBusy(err) || rds.IsCode(err, rds.CodeInstanceNotReady)) {
			// Refused, so not taken: someone else made the target busy since we looked, or the
			// instance is not ready yet. Pause (growing), look at the target again, resend.
			if hooks.OnTargetBusy != nil {
				hooks.OnTargetBusy("busy (" + codeOf(err) + ")")
			}
			if err := rds.Sleep(ctx, refusalPause); err != nil {
				return notSubmitted(StageWaitTarget, fmt.Errorf("the API kept refusing the restore as busy: %w", err))
			}
			refusalPause = min(refusalPause*2, r.busyMax())
			continue
		}
		if !unknown {
			return notSubmitted(StageSubmit, err)
		}

		// From here the API may have the restore: what follows must happen even when ctx ended
		// during the submission, or the state could not say what became of it.
		if hooks.OnSettling != nil {
			hooks.OnSettling(err)
		}
		sctx, cancel := settleContext(ctx, max(settleGrace, r.SettleWindow+settleGrace/3))
		s := r.settle(sctx, target, sentAt, lostAt, hooks.KnownJobs)
		// Answered only by a verdict that names its fate: any other stays unanswered for the
		// process's life, so that a job it may have made is never taken for a sibling's.
		switch s.verdict {
		case verdictTaken:
			r.jobs.Store(s.jobID, struct{}{})
			r.pend(target, -1)
			cancel()
			res.JobID, res.Reconciled = s.jobID, true
		case verdictNotTaken:
			r.pend(target, -1)
			cancel()
			if res.Resubmitted {
				return notSubmitted(StageSubmit, fmt.Errorf("%w (%v; %s)", ErrNotTakenTwice, err, s.why))
			}
			if ctx.Err() != nil {
				return notSubmitted(StageSubmit, fmt.Errorf("%w (%s; %v), and the run stopped before it could be "+
					"submitted again: %w", ErrLostNotTaken, s.why, err, ctx.Err()))
			}
			res.Resubmitted = true
			continue
		case verdictTargetShows:
			cancel()
			return r.targetShows(ctx, target, sentAt, hooks, res.Resubmitted)
		default:
			cancel()
			return Result{Kind: KindUnknowable, Resubmitted: res.Resubmitted,
				Err: &Error{Stage: StageSubmit, Err: fmt.Errorf("%w (%v; %s)", ErrOutcomeUnknowable, err, s.why)}}
		}
		break
	}
	r.jobs.Store(res.JobID, struct{}{})
	res.SubmittedAt = r.now()
	acceptedAt := time.Now() // the waiter's clock, whatever r.Now says
	if hooks.OnSubmitted != nil {
		hooks.OnSubmitted(res.JobID, res.SubmittedAt)
	}
	if r.Lookups != nil {
		defer r.Lookups.Forget(target)
	}
	opts := r.Wait
	if !res.Reconciled && opts.SubmittedAt.IsZero() {
		// A job found in the task list is queryable already: no first-poll pause.
		opts.SubmittedAt = acceptedAt
	}
	return r.follow(ctx, target, res, opts, hooks)
}

// follow waits for a job the API took and for the target after it, and says how it ended.
func (r *Runner) follow(ctx context.Context, target string, res Result, opts rds.WaitOptions, hooks Hooks) Result {
	opts.OnProgress = hooks.OnProgress
	if opts.Target == "" {
		opts.Target = target
	}
	since := res.SubmittedAt
	if since.IsZero() {
		since = time.Now()
	}
	if opts.Fallback == nil {
		opts.Fallback = r.taskFallback(target, res.JobID, since)
	}
	job, err := r.Client.WaitForJob(ctx, res.JobID, opts)
	res.Job = job
	if err != nil {
		res.Kind = afterWait(err)
		var failed *rds.JobFailedError
		if errors.As(err, &failed) {
			res.FailReason = failed.FailReason
			res.CompletedAt = r.now()
			if job != nil {
				if t, ok := rds.ParseTime(job.Ended); ok {
					res.CompletedAt = t
				}
			}
		}
		res.Err = &Error{Stage: StageWaitJob, Submitted: true, JobID: res.JobID, Err: err}
		return res
	}
	res.CompletedAt = r.now()
	if job != nil {
		if t, ok := rds.ParseTime(job.Ended); ok {
			res.CompletedAt = t
		}
	}
	if _, err := r.waitForActiveAfterJob(ctx, target); err != nil {
		// The job completed; the target is not ACTIVE again yet. Its end is known, but the
		// restore is not over: the caller reports it as cut short.
		res.Kind = afterWait(err)
		res.Err = &Error{Stage: StageWaitActive, Submitted: true, JobID: res.JobID, Err: err}
		return res
	}
	res.Kind = KindCompleted
	if res.Adopted {
		res.Kind = KindAdopted
	}
	return res
}

// Adopt takes over a restore an earlier run submitted but never saw end (its deadline ran out, or
// the API became unreachable): it waits for that job instead of submitting, and ends
// KindAdopted when the job completed, KindFailed with the reason when it failed.
func (r *Runner) Adopt(ctx context.Context, target, jobID string, submittedAt time.Time, hooks Hooks) Result {
	r.jobs.Store(jobID, struct{}{})
	r.enter(target)
	defer r.leave(target)
	res := Result{JobID: jobID, SubmittedAt: submittedAt, Adopted: true}
	if r.Lookups != nil {
		defer r.Lookups.Forget(target)
	}
	opts := r.Wait
	opts.SubmittedAt = time.Time{} // not just submitted: poll at once
	return r.follow(ctx, target, res, opts, hooks)
}

// sharedStatusWaiter is implemented by a client whose waits share one poller (*rds.Watcher):
// the target's status after the job comes from the poll that saw the job's end, instead of a
// read of its own.
type sharedStatusWaiter interface {
	WaitForInstanceShared(ctx context.Context, id, want string) (*rds.Instance, bool, error)
}

// waitForActiveAfterJob waits for the target to be ACTIVE again after its job: known from the
// shared poll that saw the job's end when there was one, else by reading it.
func (r *Runner) waitForActiveAfterJob(ctx context.Context, target string) (*rds.Instance, error) {
	if sw, ok := r.Client.(sharedStatusWaiter); ok {
		in, shared, err := sw.WaitForInstanceShared(ctx, target, rds.StatusActive)
		if err != nil {
			return nil, fmt.Errorf("instance %s is not %s yet: %w", target, rds.StatusActive, err)
		}
		if shared {
			return in, nil
		}
	}
	return r.waitForStatus(ctx, target, rds.StatusActive, nil)
}

// targetShows waits for a restore that only the target showed was taken (it went RESTORING
// after the lost reply, and no task list could name its job): the job id stays unknown, so the
// target's return to ACTIVE is the end.
func (r *Runner) targetShows(ctx context.Context, target string, sentAt time.Time, hooks Hooks, resubmitted bool) Result {
	res := Result{Unconfirmed: true, SubmittedAt: sentAt, Resubmitted: resubmitted}
	if hooks.OnSubmitted != nil {
		hooks.OnSubmitted("", res.SubmittedAt)
	}
	if r.Lookups != nil {
		defer r.Lookups.Forget(target)
	}
	if _, err := r.waitForStatus(ctx, target, rds.StatusActive, nil); err != nil {
		res.Kind = afterWait(err)
		res.Err = &Error{Stage: StageWaitActive, Submitted: true, Err: err}
		return res
	}
	res.Kind = KindCompleted
	res.CompletedAt = r.now()
	return res
}

// freshTarget is how old a reading of the target (from this process's plan-time checks, through
// the lookup cache) may be for the runner to submit without reading the target again. Skipping
// that read is safe at any age: a target that is busy refuses the restore with a definite
// "busy" error (nothing taken), and the runner then waits for it as if it had looked first. The
// bound only keeps such refusals rare: in one apply the checks run moments before the
// submission, or minutes before when many restores share a throttled budget (100 restores at 60
// calls a minute submit their last about five minutes after the apply walk's checks; a bound of
// two minutes cost that crowd 45 reads, one per late target).
const freshTarget = 10 * time.Minute

// freshlyActive says whether the lookup cache read the target ACTIVE within freshTarget.
func (r *Runner) freshlyActive(target string) bool {
	if r.Lookups == nil {
		return false
	}
	in, ok := r.Lookups.Fresh(target, freshTarget)
	return ok && rds.HasStatus(in, rds.StatusActive)
}

// waitForTarget waits for the target to be ACTIVE before a submission. It does not wait behind
// a restore the caller does not know: a target RESTORING while no restore of this runner's (but
// the caller's own, when self) runs onto it, and no known job might, ends the wait at once with
// errForeignRestoring.
func (r *Runner) waitForTarget(ctx context.Context, target string, hooks Hooks, self bool) (*rds.Instance, error) {
	mine := 0
	if self {
		mine = 1
	}
	return r.waitFor(ctx, target, rds.StatusActive, r.targetPause, hooks.OnTargetBusy, func(in *rds.Instance) error {
		if rds.HasStatus(in, rds.StatusRestoring) && len(hooks.KnownJobs) == 0 && r.runningOnto(target) <= mine {
			return errForeignRestoring
		}
		return nil
	})
}

// nameForeign is the refusal of a wait that met the target RESTORING with a restore this runner
// did not submit: the task list's running restore when it names one, else the target's status.
func (r *Runner) nameForeign(ctx context.Context, target string, known []string) error {
	if running, _, _ := r.foreign(ctx, target, r.now(), known, false); len(running) > 0 {
		return foreignError(target, running)
	}
	return &ForeignRestoreError{Target: target, Status: rds.StatusRestoring}
}

// blockingWaiter is implemented by a client that can wait for the job keeping an instance busy
// (*rds.Watcher): the end of another restore on the target is then seen within seconds.
type blockingWaiter interface {
	WaitForBlockingJob(ctx context.Context, id string) bool
}

// waitForStatus polls an instance until it has the wanted status, backing off from BusyPollMin
// to BusyPollMax (rds.WaitForStatus), and waits for the job that keeps it busy where the client
// can. A missing instance is an error at once, and so is one in a state it does not leave by
// itself (rule A17's list: rds.StuckInstanceError).
func (r *Runner) waitForStatus(ctx context.Context, id, want string, onOther func(string)) (*rds.Instance, error) {
	return r.waitFor(ctx, id, want, nil, onOther, nil)
}

// waitFor is waitForStatus with the pauses between reads capped by maxPause (nil: BusyPollMax),
// and stop asked about every status read that is not want (rds.InstanceWait.Stop).
func (r *Runner) waitFor(ctx context.Context, id, want string, maxPause func(time.Duration) time.Duration, onOther func(string),
	stop func(*rds.Instance) error) (*rds.Instance, error) {
	opts := rds.InstanceWait{MinInterval: r.busyMin(), MaxInterval: r.busyMax(), MaxPause: maxPause, OnOther: onOther,
		StopOnFailed: true, Stop: stop}
	if bw, ok := r.Client.(blockingWaiter); ok {
		opts.Blocking = bw.WaitForBlockingJob
	}
	return rds.WaitForStatus(ctx, r.Client, id, want, opts)
}

func (r *Runner) busyMin() time.Duration {
	if r.BusyPollMin > 0 {
		return r.BusyPollMin
	}
	return time.Second
}

func (r *Runner) busyMax() time.Duration {
	if r.BusyPollMax > 0 {
		return r.BusyPollMax
	}
	return 15 * time.Second
}

// DefaultTargetPollMax is the longest pause between two reads of a busy target (BACKING UP,
// MODIFYING, ...) before the submission while the wait is young (targetPause). Nothing announces
// when a backup or a modification ends: its end is seen at the next read, so within this pause,
// and the restore is sent at once after (BENCHMARKS.md, the busy-target goal: within 3 s).
const DefaultTargetPollMax = 2 * time.Second

// targetPause caps the pause between two reads of a busy target before the submission, given how
// long the wait has lasted: targetPollMax, or a tenth of the wait so far once that is longer, up
// to BusyPollMax. A backup of a minute is seen ending within 6 s; one of an hour costs four
// reads a minute of the budget the key's other users share, not thirty.
func (r *Runner) targetPause(waited time.Duration) time.Duration {
	return max(min(waited/10, r.busyMax()), r.targetPollMax())
}

// targetPollMax is the cap of the pauses while waiting for the target before the submission: no
// longer than busyMax either.
func (r *Runner) targetPollMax() time.Duration {
	d := DefaultTargetPollMax
	if r.TargetPollMax > 0 {
		d = r.TargetPollMax
	}
	return min(d, r.busyMax())
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func codeOf(err error) string {
	var apiErr *rds.Error
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return ""
}

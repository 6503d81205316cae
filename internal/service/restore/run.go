package restore

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	Now     func() time.Time
	// BusyPollMin and BusyPollMax bound the polling of a busy target (defaults 1s and 15s).
	BusyPollMin, BusyPollMax time.Duration
	// Wait tunes the job waiter.
	Wait rds.WaitOptions
}

// Hooks let the caller save state and report progress as the restore goes.
type Hooks struct {
	// OnSubmitted runs as soon as the API accepted the restore, before any waiting: the caller
	// records the job id there so that nothing after it can lose it.
	OnSubmitted func(jobID string, at time.Time)
	// OnProgress runs when the job's status or progress changes.
	OnProgress func(job rds.Job)
	// OnTargetBusy runs while the target is not ACTIVE before the submission.
	OnTargetBusy func(status string)
}

// Result is what happened.
type Result struct {
	JobID       string
	Job         *rds.Job
	SubmittedAt time.Time
	CompletedAt time.Time
	// Unconfirmed: the connection broke after the submission was sent, the target shows it was
	// taken (it went RESTORING), but the job id never arrived. The target was waited for.
	Unconfirmed bool
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

// ErrOutcomeUnknowable: the submission's reply was lost and the target does not show whether it
// was taken. Submitting again could restore twice, so the runner stops and says so.
var ErrOutcomeUnknowable = errors.New("the connection broke after the restore was sent, and the target does not show " +
	"whether the API took it; the provider did not submit it again, because a second restore would overwrite " +
	"whatever the first one wrote. Check the target instance (its status and recent tasks) before applying again")

// busyCodes are refusals that mean "the target is busy right now": the restore was not taken.
var busyCodes = []string{"DBS.200011", "DBS.200019", "DBS.200047", "DBS.201202", "DBS.212006", "DBS.200086", "DBS.201014"}

// notReadyCodes are server errors that the reference documents as retryable refusals: the
// instance is not ready yet (DBS.280036). Like a busy refusal, the restore was not taken.
var notReadyCodes = []string{"DBS.280036"}

// Run submits one restore and waits for it. concurrentOK skips the per-target lock (SQL Server
// database restores, which the API takes several at once).
func (r *Runner) Run(ctx context.Context, req rds.RestoreRequest, concurrentOK bool, hooks Hooks) (Result, error) {
	var res Result
	target := req.Target.InstanceID
	if !concurrentOK && r.Locks != nil {
		unlock, err := r.Locks.Lock(ctx, target)
		if err != nil {
			return res, &Error{Stage: StageWaitTarget, Err: fmt.Errorf("another restore of target %s in this run is still going: %w", target, err)}
		}
		defer unlock()
	}

	refusalPause := r.busyMin()
	for first := true; ; first = false {
		if !concurrentOK && !(first && r.freshlyActive(target)) {
			if _, err := r.waitForTarget(ctx, target, hooks); err != nil {
				return res, &Error{Stage: StageWaitTarget, Err: err}
			}
		}
		resp, err := r.Client.Restore(ctx, req)
		if err == nil {
			res.JobID = resp.JobID
			break
		}
		if rds.IsCode(err, busyCodes...) || rds.IsCode(err, notReadyCodes...) {
			// Refused, so not taken: someone else made the target busy since we looked, or the
			// instance is not ready yet. Pause (growing), look at the target again, resend.
			if hooks.OnTargetBusy != nil {
				hooks.OnTargetBusy("busy (" + codeOf(err) + ")")
			}
			if err := r.sleep(ctx, refusalPause); err != nil {
				return res, &Error{Stage: StageWaitTarget, Err: fmt.Errorf("the API kept refusing the restore as busy: %w", err)}
			}
			refusalPause = min(refusalPause*2, r.busyMax())
			continue
		}
		if errors.Is(err, rds.ErrOutcomeUnknown) {
			return r.resolveUnknownOutcome(ctx, target, err, hooks)
		}
		return res, &Error{Stage: StageSubmit, Err: err}
	}

	res.SubmittedAt = r.now()
	acceptedAt := time.Now() // the waiter's clock, whatever r.Now says
	if hooks.OnSubmitted != nil {
		hooks.OnSubmitted(res.JobID, res.SubmittedAt)
	}
	if r.Lookups != nil {
		defer r.Lookups.Forget(target)
	}

	opts := r.Wait
	opts.OnProgress = hooks.OnProgress
	if opts.SubmittedAt.IsZero() {
		opts.SubmittedAt = acceptedAt
	}
	if opts.Target == "" {
		opts.Target = target
	}
	job, err := r.Client.WaitForJob(ctx, res.JobID, opts)
	res.Job = job
	if err != nil {
		return res, &Error{Stage: StageWaitJob, Submitted: true, JobID: res.JobID, Err: err}
	}
	res.CompletedAt = r.now()
	if job != nil {
		if t, ok := ParseAPITime(job.Ended); ok {
			res.CompletedAt = t
		}
	}
	if _, err := r.waitForActiveAfterJob(ctx, target); err != nil {
		return res, &Error{Stage: StageWaitActive, Submitted: true, JobID: res.JobID, Err: err}
	}
	return res, nil
}

// sharedStatusWaiter is implemented by a client whose waits share instance listings
// (*rds.Watcher): while many restores run, the target's status after the job comes from a
// listing that serves them all, instead of a read of its own.
type sharedStatusWaiter interface {
	WaitForInstanceShared(ctx context.Context, id, want string) (*rds.Instance, bool, error)
}

// waitForActiveAfterJob waits for the target to be ACTIVE again after its job, through the
// shared listings when there are any (a listing sent after the job was seen finished), else by
// reading it.
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

// resolveUnknownOutcome asks the target whether the lost submission was taken. RESTORING means
// yes: the restore is then waited for through the target. Anything else cannot tell (a restore
// that was not taken, and one that already finished, look the same), so it stops with an error,
// and the Result says nothing was confirmed (Unconfirmed is only for a restore the target showed).
func (r *Runner) resolveUnknownOutcome(ctx context.Context, target string, sendErr error, hooks Hooks) (Result, error) {
	sentAt := r.now()
	in, err := r.Client.GetInstance(ctx, target)
	if err != nil {
		return Result{}, &Error{Stage: StageSubmit, Err: fmt.Errorf("%w (%v; reading the target to find out failed too: %v)", ErrOutcomeUnknowable, sendErr, err)}
	}
	if !strings.EqualFold(in.Status, rds.StatusRestoring) {
		return Result{}, &Error{Stage: StageSubmit, Err: fmt.Errorf("%w (%v; the target is %s)", ErrOutcomeUnknowable, sendErr, in.Status)}
	}
	res := Result{Unconfirmed: true, SubmittedAt: sentAt}
	if hooks.OnSubmitted != nil {
		hooks.OnSubmitted("", res.SubmittedAt)
	}
	if r.Lookups != nil {
		defer r.Lookups.Forget(target)
	}
	if _, err := r.waitForStatus(ctx, target, rds.StatusActive, nil); err != nil {
		return res, &Error{Stage: StageWaitActive, Submitted: true, Err: err}
	}
	res.CompletedAt = r.now()
	return res, nil
}

// freshTarget is how old a reading of the target (from this process's plan-time checks, through
// the lookup cache) may be for the runner to submit without reading the target again. Skipping
// that read is safe at any age: a target that is busy refuses the restore with a definite
// "busy" error (nothing taken), and the runner then waits for it as if it had looked first. The
// bound only keeps such refusals rare: in one apply the checks run moments before the
// submission (a minute or two when many restores share a throttled budget).
const freshTarget = 2 * time.Minute

// freshlyActive says whether the lookup cache read the target ACTIVE within freshTarget.
func (r *Runner) freshlyActive(target string) bool {
	if r.Lookups == nil {
		return false
	}
	in, ok := r.Lookups.Fresh(target, freshTarget)
	return ok && strings.EqualFold(in.Status, rds.StatusActive)
}

func (r *Runner) waitForTarget(ctx context.Context, target string, hooks Hooks) (*rds.Instance, error) {
	return r.waitForStatus(ctx, target, rds.StatusActive, hooks.OnTargetBusy)
}

// waitForStatus polls an instance until it has the wanted status, backing off from BusyPollMin
// to BusyPollMax. A missing instance is an error at once.
func (r *Runner) waitForStatus(ctx context.Context, id, want string, onOther func(string)) (*rds.Instance, error) {
	delay := r.busyMin()
	for {
		in, err := r.Client.GetInstance(ctx, id)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(in.Status, want) {
			return in, nil
		}
		if onOther != nil {
			onOther(in.Status)
		}
		if err := r.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("instance %s is %s, still not %s: %w", id, in.Status, want, err)
		}
		delay = min(delay*2, r.busyMax())
	}
}

func (r *Runner) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// ParseAPITime reads the API's time format ("2018-08-06T10:41:14+0000") and RFC 3339.
func ParseAPITime(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339, "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

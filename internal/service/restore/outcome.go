package restore

import (
	"context"
	"errors"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// Kind is what became of one restore. It is the one vocabulary the resource and the action turn
// into diagnostics, so that both say the same thing about the same outcome.
type Kind string

const (
	// KindNotSubmitted: the API did not take the restore (a refusal, a stop before the
	// submission, a restore onto the target that the caller does not know running
	// (*ForeignRestoreError), or a lost reply that the task list proved was not taken).
	KindNotSubmitted Kind = "not submitted"
	// KindRunning: the job runs (a refresh found it so).
	KindRunning Kind = "running"
	// KindCompleted: the job ended Completed (and the target is ACTIVE again).
	KindCompleted Kind = "completed"
	// KindFailed: the job ended Failed; FailReason says why.
	KindFailed Kind = "failed"
	// KindInterrupted: the user cancelled after the API took the restore; the job goes on.
	KindInterrupted Kind = "interrupted"
	// KindTimedOut: the deadline ran out, or the API became unreachable, after the API took the
	// restore; the job goes on, or ended without the provider seeing it.
	KindTimedOut Kind = "timed out"
	// KindAdopted: an earlier apply's restore, whose outcome that apply never saw, was taken
	// over and ended Completed; nothing was submitted.
	KindAdopted Kind = "adopted"
	// KindUnknowable: the outcome is unknown. The submission's reply was lost, and neither the
	// task list nor the target can tell whether the API took it: no one candidate task
	// (Candidate), and no positive proof that it was not taken (a task list seen to list
	// restores on this account that shows none for it). Nothing was resent; the error says
	// what to look at (ErrOutcomeUnknowable).
	KindUnknowable Kind = "unknowable"
)

// Result is what happened to one restore.
type Result struct {
	Kind  Kind
	JobID string
	Job   *rds.Job
	// FailReason is the job's fail_reason when Kind is KindFailed.
	FailReason  string
	SubmittedAt time.Time
	CompletedAt time.Time
	// Reconciled: the submission's reply was lost, and the task list showed the job it made.
	Reconciled bool
	// Resubmitted: a lost submission was proven not taken (absent from a task list seen to list
	// restores on this account, no other task on the target, the target ACTIVE throughout), and
	// the restore was submitted once more.
	Resubmitted bool
	// Unconfirmed: the reply was lost, no task list could tell, but the target showed the restore
	// was taken (it went RESTORING); the target was waited for. The job id is unknown.
	Unconfirmed bool
	// Adopted: the job is an earlier apply's, taken over instead of submitting (see Runner.Adopt).
	Adopted bool
	// Err is why the restore did not end Completed (nil when it did).
	Err error
}

// Taken says whether the API took the restore, so that a job runs or ran.
func (r Result) Taken() bool {
	switch r.Kind {
	case KindNotSubmitted, KindUnknowable:
		return false
	}
	return true
}

// Settled says whether the job's end is known (completed or failed).
func (r Result) Settled() bool {
	switch r.Kind {
	case KindCompleted, KindAdopted, KindFailed:
		return true
	}
	return false
}

// afterWait names what stopped a wait on a restore the API took: the job failing, the user's
// cancellation, or the deadline or an outage.
func afterWait(err error) Kind {
	var failed *rds.JobFailedError
	switch {
	case errors.As(err, &failed):
		return KindFailed
	case errors.Is(err, context.Canceled):
		return KindInterrupted
	default:
		return KindTimedOut
	}
}

// settleGrace bounds how long the work after a possible submission (finding out whether the API
// took it, recording the job id) may outlive the caller's cancellation or deadline: long enough
// to look at the task list over its grace window, short enough that a Ctrl-C still ends the run
// promptly.
const settleGrace = 45 * time.Second

// settleContext is ctx without its cancellation, bounded by grace: the state must record what
// happened to a restore the API may have taken, even when the user stopped the run during the
// submission.
func settleContext(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), grace)
}

package restore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// Task is one restore task of the API's task list, as the runner reads it.
type Task struct {
	ID         string // the restore's job id
	Status     string // Running, Completed or Failed
	FailReason string
	Created    time.Time
	Ended      time.Time
	// Restore: the task is a restore. Other tasks on the target are listed too: one that
	// appears after a lost submission means the target did something, so absence proves nothing.
	Restore bool
}

// TaskSource lists the restore tasks of a target. The task list is how a submission whose reply
// was lost is settled: it shows the job the submission made, or, by its absence, that the API did
// not take it.
type TaskSource interface {
	// RestoreTasks lists the restore tasks on target created at or after since. It returns
	// ErrNoTaskList when the cloud has no task list (or it cannot show restores).
	RestoreTasks(ctx context.Context, target string, since time.Time) ([]Task, error)
}

// ErrNoTaskList means the cloud offers no task list to settle a lost submission with.
var ErrNoTaskList = errors.New("the API has no task list that shows restores")

// Defaults of the settling of a lost submission.
const (
	// DefaultSettleWindow is how long the task list is watched for the job of a lost
	// submission before its absence, with the target ACTIVE at every look, proves the restore
	// was not taken. A task is listed as soon as the job exists; the window covers a task list
	// that lags behind, and a target that turns RESTORING only a moment after the submission.
	DefaultSettleWindow = 15 * time.Second
	// DefaultSettlePoll is the pause between looks within the window.
	DefaultSettlePoll = 2 * time.Second
	// taskClockSlack widens "created since just before the submission" for a server clock
	// that is behind this machine's.
	taskClockSlack = time.Minute
)

// verdict is what settling a lost submission found.
type verdict int

const (
	verdictTaken       verdict = iota // the task list shows its job
	verdictNotTaken                   // absent from the task list, the target ACTIVE throughout
	verdictTargetShows                // no task list verdict, but the target went RESTORING
	verdictUnknowable                 // nothing can tell
)

// settlement is the verdict with what backs it, for messages.
type settlement struct {
	verdict verdict
	jobID   string
	why     string
}

// settle finds out whether a submission whose reply was lost (sent at sentAt) was taken: a
// restore task on the target created since just before the submission, looked for over the
// settle window, with the target's status as the second signal. It runs on a context that
// outlives the caller's cancellation (see settleContext).
func (r *Runner) settle(ctx context.Context, target string, sentAt time.Time) settlement {
	window, poll := r.SettleWindow, r.SettlePoll
	if window <= 0 {
		window = DefaultSettleWindow
	}
	if poll <= 0 {
		poll = DefaultSettlePoll
	}
	// The settling reads are priority requests: they decide whether a restore is resent, and the
	// window is short, so they must not queue behind a crowd's submissions.
	ctx = rds.WithPriority(ctx)
	end := time.Now().Add(window)
	tasks := r.Tasks != nil
	listed := false      // at least one listing of the task list answered
	activeAlways := true // every look at the target found it ACTIVE
	restoring := false   // a look found it RESTORING
	others := false      // the task list showed a task that is not a restore
	var lastErr error
	for {
		// The target first: right after the lost reply its status is the signal that fades
		// soonest (a short restore is over within seconds), while a task stays listed.
		in, err := r.Client.GetInstance(ctx, target)
		switch {
		case err != nil:
			activeAlways = false
			lastErr = err
		case strings.EqualFold(in.Status, rds.StatusRestoring):
			activeAlways, restoring = false, true
		case !strings.EqualFold(in.Status, rds.StatusActive):
			activeAlways = false
		}
		if tasks {
			list, err := r.Tasks.RestoreTasks(ctx, target, sentAt.Add(-taskClockSlack))
			switch {
			case err == nil:
				listed = true
				t, ok, other := r.newTask(list)
				if ok {
					return settlement{verdict: verdictTaken, jobID: t.ID}
				}
				others = others || other
			case errors.Is(err, ErrNoTaskList):
				tasks = false
			default:
				lastErr = err
			}
		}
		if !tasks || time.Now().After(end) || ctx.Err() != nil {
			break
		}
		if rds.Sleep(ctx, poll) != nil {
			break
		}
	}
	switch {
	case tasks && listed && activeAlways && !others && ctx.Err() == nil:
		return settlement{verdict: verdictNotTaken, why: fmt.Sprintf(
			"no restore task appeared on %s within %s, and the target stayed ACTIVE throughout", target, window)}
	case restoring:
		return settlement{verdict: verdictTargetShows}
	}
	why := "the target does not show whether the API took it"
	switch {
	case !tasks:
		why += ", and this cloud has no task list that shows restores"
	case !listed:
		why += fmt.Sprintf(", and the task list could not be read (%v)", lastErr)
	case others:
		why += ", and the task list shows a task on it that is not a restore, so the absence of a restore task proves nothing"
	default:
		why += ", and it was not ACTIVE at every look, so the absence of a task proves nothing"
	}
	if lastErr != nil && listed {
		why += fmt.Sprintf(" (last error: %v)", lastErr)
	}
	return settlement{verdict: verdictUnknowable, why: why}
}

// newTask picks the restore task a lost submission made: one this runner does not already own
// (another restore of this process onto the same target), the newest first. other says the list
// holds a task of some other kind that this runner does not own.
func (r *Runner) newTask(list []Task) (best Task, found, other bool) {
	for _, t := range list {
		if t.ID == "" || r.owns(t.ID) {
			continue
		}
		if !t.Restore {
			other = true
			continue
		}
		if !found || t.Created.After(best.Created) {
			best, found = t, true
		}
	}
	return best, found, other
}

// owns says whether this runner already knows the job as one of its own restores.
func (r *Runner) owns(jobID string) bool {
	_, ok := r.jobs.Load(jobID)
	return ok
}

// taskFallback lets a job wait learn the job's end from the task list while the job API cannot
// be reached: asked at most once per pause, so an outage does not double the calls.
func (r *Runner) taskFallback(target, jobID string, since time.Time) func(context.Context) *rds.Job {
	if r.Tasks == nil {
		return nil
	}
	var last time.Time
	return func(ctx context.Context) *rds.Job {
		if time.Since(last) < r.settlePoll() {
			return nil
		}
		last = time.Now()
		list, err := r.Tasks.RestoreTasks(ctx, target, since.Add(-taskClockSlack))
		if err != nil {
			return nil
		}
		for _, t := range list {
			if t.ID == jobID {
				j := &rds.Job{ID: t.ID, Status: t.Status, FailReason: t.FailReason}
				if !t.Ended.IsZero() {
					j.Ended = t.Ended.UTC().Format(time.RFC3339)
				}
				return j
			}
		}
		return nil
	}
}

func (r *Runner) settlePoll() time.Duration {
	if r.SettlePoll > 0 {
		return r.SettlePoll
	}
	return DefaultSettlePoll
}

package restore

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
// not take it, but only on a cloud whose task list is known to list restores (ListsRestores).
type TaskSource interface {
	// RestoreTasks lists the tasks on target created at or after since (restores marked as
	// such, Task.Restore). It returns ErrNoTaskList when the cloud has no task list.
	RestoreTasks(ctx context.Context, target string, since time.Time) ([]Task, error)
	// ListsRestores says whether the task list shows a restore task on this account (any
	// instance) created at or after since. A cloud whose task list leaves restores out (the
	// reference does not confirm that the real one lists them) answers false for ever.
	ListsRestores(ctx context.Context, since time.Time) (bool, error)
}

// ErrNoTaskList means the cloud offers no task list to settle a lost submission with.
var ErrNoTaskList = errors.New("the API has no task list that shows restores")

// Defaults of the settling of a lost submission.
const (
	// DefaultSettleWindow is how long the task list is watched for the job of a lost
	// submission. A task is listed as soon as the job exists; the window covers a task list
	// that lags behind, and a target that turns RESTORING only a moment after the submission.
	// The window alone proves nothing: a job can sit queued (process 0%, the target ACTIVE)
	// for longer. Only a task list that has been seen to list restores proves, by the job's
	// absence, that the submission was not taken.
	DefaultSettleWindow = 15 * time.Second
	// DefaultSettlePoll is the pause between looks within the window.
	DefaultSettlePoll = 2 * time.Second
	// restoresLookback is how far back the account's task list is searched for a restore, to
	// learn whether it lists restores at all (the emulator, like the job query, keeps a task
	// for 30 days).
	restoresLookback = 30 * 24 * time.Hour
)

// verdict is what settling a lost submission found.
type verdict int

const (
	verdictTaken       verdict = iota // the task list shows its job
	verdictNotTaken                   // absent from a task list known to list restores, the target ACTIVE throughout
	verdictTargetShows                // no task list verdict, but the target went RESTORING
	verdictUnknowable                 // nothing can tell
)

// settlement is the verdict with what backs it, for messages.
type settlement struct {
	verdict verdict
	jobID   string
	why     string
}

// settle finds out whether a submission whose reply was lost (sent at sentAt, the reply given up
// on at lostAt) was taken: its job is the one restore task on the target that the submission's
// window explains (Candidate), looked for over the settle window, with the target's status as
// the second signal. "Not taken" needs positive evidence: the task list has been seen to list
// restores on this account (Runner.tasksListRestores), it lists no restore on the target that
// the submission could have made up to the window's end (its last listing answered), no other
// task appeared there, and the target stayed ACTIVE at every look. Anything short of that is
// unknowable, never a resend. Jobs this runner owns, and the caller's known ones
// (Hooks.KnownJobs), are never this submission's. It runs on a context that outlives the
// caller's cancellation (see settleContext).
func (r *Runner) settle(ctx context.Context, target string, sentAt, lostAt time.Time, known []string) settlement {
	owned := func(id string) bool { return r.Owns(id) || slices.Contains(known, id) }
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
	lastListed := false  // the latest one did: the window's end was seen, not only its start
	activeAlways := true // every look at the target found it ACTIVE
	restoring := false   // a look found it RESTORING
	// Another restore of this runner onto the target (SQL Server takes several at once) makes
	// the target's status say nothing of this one, and a job listed while another submission of
	// it has no answer may be that one's: it is owned once answered, so look again.
	restoringShared := false // a look found it RESTORING while another restore of ours ran onto it
	var shared []Task        // the last look's candidates, while another submission had no answer
	others := false          // the task list showed a task that is not a restore
	var outside []Task       // restore tasks on the target the submission's window does not explain
	var lastErr error
	for {
		// The target first: right after the lost reply its status is the signal that fades
		// soonest (a short restore is over within seconds), while a task stays listed.
		in, err := r.Client.GetInstance(ctx, target)
		switch {
		case err != nil:
			activeAlways = false
			lastErr = err
		case strings.EqualFold(in.Status, rds.StatusRestoring) && r.runningOnto(target) > 1:
			activeAlways, restoringShared = false, true
		case strings.EqualFold(in.Status, rds.StatusRestoring):
			activeAlways, restoring = false, true
		case !strings.EqualFold(in.Status, rds.StatusActive):
			activeAlways = false
		}
		if tasks {
			// As far back as the server's clock can be behind ours: a restore task there
			// that the window does not explain forbids "not taken" (maxServerSkew).
			list, err := r.listTasks(ctx, target, sentAt.Add(-maxServerSkew))
			switch {
			case err == nil:
				listed, lastListed = true, true
				// Counted before the owned jobs are sorted out: a sibling's job is owned before
				// its answer counts (run), so it is either owned here or its submission pending.
				siblings := r.unansweredOnto(target) > 1
				cands, out := sortCandidates(list, sentAt, lostAt, owned)
				shared = nil
				switch {
				case len(cands) > 0 && siblings:
					shared = cands
				case len(cands) == 1:
					return settlement{verdict: verdictTaken, jobID: cands[0].ID}
				case len(cands) > 1:
					return settlement{verdict: verdictUnknowable, why: fmt.Sprintf("the task list shows %d restore "+
						"tasks on %s that this submission could have made (%s), so which one is its job cannot be told",
						len(cands), target, DescribeTasks(cands))}
				}
				outside = out
				for _, t := range list {
					others = others || !t.Restore && t.ID != "" && !owned(t.ID)
				}
			case errors.Is(err, ErrNoTaskList):
				tasks = false
			default:
				lastListed, lastErr = false, err
			}
		}
		if !tasks || time.Now().After(end) || ctx.Err() != nil {
			break
		}
		if rds.Sleep(ctx, poll) != nil {
			break
		}
	}
	absent := tasks && lastListed && activeAlways && !others && len(outside) == 0 && len(shared) == 0 && ctx.Err() == nil
	if absent {
		seen, err := r.tasksListRestores(ctx)
		if seen {
			return settlement{verdict: verdictNotTaken, why: fmt.Sprintf("no restore task appeared on %s within %s in a "+
				"task list that lists restores on this account, and the target stayed ACTIVE throughout", target, window)}
		}
		if err != nil {
			lastErr = err
		}
	}
	if restoring {
		return settlement{verdict: verdictTargetShows}
	}
	why := "the target does not show whether the API took it"
	switch {
	case !tasks:
		why += ", and this cloud has no task list that shows restores"
	case len(shared) > 0:
		why += fmt.Sprintf(", and the task list shows a restore task on it (%s) that another submission of this run onto "+
			"it, still without an answer, may have made", DescribeTasks(shared))
	case restoringShared && !restoring:
		why += ": it is RESTORING, but so it would be for another restore of this run onto it"
	case !listed:
		why += fmt.Sprintf(", and the task list could not be read (%v)", lastErr)
	case !lastListed && activeAlways && !others && len(outside) == 0:
		why += ", and no restore task was listed on it at first, but the task list could not be read after that, " +
			"and a new job may be listed late"
	case others:
		why += ", and the task list shows a task on it that is not a restore, so the absence of a restore task proves nothing"
	case len(outside) > 0:
		why += fmt.Sprintf(", and the task list shows a restore task on it that this submission does not explain (%s): "+
			"someone else's, or this one's dated by a clock further off than %s", DescribeTasks(outside), ClockSlack)
	case absent:
		why += fmt.Sprintf(", and no restore task appeared on it within %s, but the task list has not been seen to list "+
			"any restore on this account, so its silence proves nothing (a queued job leaves the target ACTIVE for a while)", window)
	default:
		why += ", and it was not ACTIVE at every look, so the absence of a task proves nothing"
	}
	if lastErr != nil && listed {
		why += fmt.Sprintf(" (last error: %v)", lastErr)
	}
	return settlement{verdict: verdictUnknowable, why: why}
}

// listTasks lists the tasks on target through r.Tasks, and remembers when a listing shows a
// restore (the task list lists restores on this account).
func (r *Runner) listTasks(ctx context.Context, target string, since time.Time) ([]Task, error) {
	list, err := r.Tasks.RestoreTasks(ctx, target, since)
	for _, t := range list {
		if t.Restore {
			r.restoresListed.Store(true)
			break
		}
	}
	return list, err
}

// tasksListRestores says whether the task list has been seen to list a restore on this account:
// by a listing of this runner (any target), or else by asking the task list for the account's
// restores of the last restoresLookback. A cloud whose task list never lists restores stays
// false, so a lost submission there is never resent.
func (r *Runner) tasksListRestores(ctx context.Context) (bool, error) {
	if r.restoresListed.Load() {
		return true, nil
	}
	if r.Tasks == nil {
		return false, nil
	}
	seen, err := r.Tasks.ListsRestores(ctx, time.Now().Add(-restoresLookback))
	if seen {
		r.restoresListed.Store(true)
	}
	return seen, err
}

// DescribeTasks names tasks for messages: their job ids, creation times and statuses, at most
// five (e.g. a plan-time warning about ForeignRestores' recent ones).
func DescribeTasks(list []Task) string {
	var parts []string
	for i, t := range list {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(list)-5))
			break
		}
		created := "created at an unknown time"
		if !t.Created.IsZero() {
			created = "created " + t.Created.UTC().Format(time.RFC3339)
		}
		if !t.Ended.IsZero() {
			created += ", ended " + t.Ended.UTC().Format(time.RFC3339)
		}
		parts = append(parts, fmt.Sprintf("job %s, %s, %s", t.ID, created, t.Status))
	}
	return strings.Join(parts, "; ")
}

// Owns says whether this runner knows the job as one of its own restores (submitted or adopted
// by it, in this process): never mistaken for a lost submission's or a foreign one.
func (r *Runner) Owns(jobID string) bool {
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
		list, err := r.Tasks.RestoreTasks(ctx, target, since.Add(-ClockSlack))
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

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

// ForeignRecent is how long after its end a restore onto a target that this runner did not
// submit is still reported (ForeignRestores' recent): a plan-time warning names it, since the
// data on the target is then that restore's.
const ForeignRecent = time.Hour

// foreignLookback is how far back the task list is searched for restores still running onto a
// target. A restore that has run longer than that is still seen through the target's status
// (RESTORING), without its job id.
const foreignLookback = 24 * time.Hour

// ForeignRestoreError: a restore onto the target that this runner did not submit or adopt, and
// that the caller did not name as known (Hooks.KnownJobs), is running. A second restore is not
// stacked onto it: it would overwrite what that one writes. Run ends KindNotSubmitted with it.
type ForeignRestoreError struct {
	Target string
	// JobID is the running restore's job id; "" when only the target's status (RESTORING)
	// shows it (a cloud whose task list does not list restores).
	JobID string
	// Started is when the job was created, on the API's clock; zero when unknown.
	Started time.Time
	// Status is the task's status (Running), or the target's (RESTORING) when no task names it.
	Status string
}

func (e *ForeignRestoreError) Error() string {
	var b strings.Builder
	if e.JobID != "" {
		started := "at an unknown time"
		if !e.Started.IsZero() {
			started = e.Started.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "restore job %s onto %s is running (status %s, started %s), and this provider did not submit it: "+
			"the state does not know it. ", e.JobID, e.Target, pick(e.Status, rds.JobRunning), started)
	} else {
		fmt.Fprintf(&b, "target %s is %s, and no restore of this provider's is running onto it: a restore the state does not "+
			"know is running, and the task list does not name its job (its id is among the target's recent tasks in the "+
			"console). ", e.Target, pick(e.Status, rds.StatusRestoring))
	}
	b.WriteString("A second restore now would be stacked onto it and overwrite what it writes, so nothing was submitted. ")
	if e.JobID != "" {
		fmt.Fprintf(&b, "If it is the restore this resource should record, record it with the CLI's import command, giving "+
			"the resource's address and the job id %s. ", e.JobID)
	} else {
		b.WriteString("If it is the restore this resource should record, record it with the CLI's import command, giving " +
			"the resource's address and that job id. ")
	}
	b.WriteString("To restore after it on purpose, wait until it has ended (the target ACTIVE again), then apply again.")
	return b.String()
}

// errForeignRestoring stops the wait for the target when it is RESTORING with no restore of this
// runner's (or one the caller knows) running onto it; Run then names the restore.
var errForeignRestoring = errors.New("the target is RESTORING with a restore this provider did not submit")

// ForeignRestores lists the restores onto target that this runner did not submit or adopt and
// that known (job ids the caller's state records: its own earlier job, one it takes over or waits
// for) does not name:
//   - running: restore tasks the task list shows Running; or, when it shows none, the target
//     RESTORING with no restore of this runner's or of known running onto it (then a Task with
//     no ID, Status Running: the task list is missing or does not list restores).
//   - recent: restore tasks that ended within ForeignRecent before now.
//
// err reports a task list or a target that could not be read; running and recent then hold what
// the rest showed, so a caller may go on with them (Run does: an unreadable task list does not
// stop a restore, the target's status still counts). A cloud without a task list is no error.
func (r *Runner) ForeignRestores(ctx context.Context, target string, now time.Time, known ...string) (running, recent []Task, err error) {
	return r.foreign(ctx, target, now, known, true)
}

// ForeignRestoresSeen is ForeignRestores for a caller that has just read the target's status
// (the plan, through the shared instance listing): status stands in for a read of its own, so
// that a crowd of restores does not read every target once more.
func (r *Runner) ForeignRestoresSeen(ctx context.Context, target, status string, now time.Time, known ...string) (running, recent []Task, err error) {
	running, recent, err = r.foreign(ctx, target, now, known, false)
	if len(running) == 0 && len(known) == 0 && r.runningOnto(target) == 0 && strings.EqualFold(status, rds.StatusRestoring) {
		running = append(running, Task{Status: rds.JobRunning, Restore: true})
	}
	return running, recent, err
}

// foreign is ForeignRestores; readTarget false skips the target's status (Run has just read it
// ACTIVE, or its wait refuses a RESTORING one itself).
func (r *Runner) foreign(ctx context.Context, target string, now time.Time, known []string, readTarget bool) (running, recent []Task, err error) {
	isKnown := func(id string) bool { return r.Owns(id) || slices.Contains(known, id) }
	if r.Tasks != nil {
		list, lerr := r.foreignTasks(ctx, target, now)
		switch {
		case lerr == nil:
			for _, t := range list {
				if !t.Restore || t.ID == "" || isKnown(t.ID) {
					continue
				}
				ended := t.Ended
				if ended.IsZero() {
					ended = t.Created // an end the list does not give: no later than now, no earlier than this
				}
				switch {
				case strings.EqualFold(t.Status, rds.JobRunning):
					running = append(running, t)
				case !ended.IsZero() && now.Sub(ended) <= ForeignRecent:
					recent = append(recent, t)
				}
			}
		case errors.Is(lerr, ErrNoTaskList):
		default:
			err = fmt.Errorf("reading the task list of %s: %w", target, lerr)
		}
	}
	if len(running) > 0 || !readTarget || len(known) > 0 || r.runningOnto(target) > 0 {
		// A RESTORING target with a known restore running onto it may be that restore's.
		return running, recent, err
	}
	in, gerr := r.Client.GetInstance(ctx, target)
	if gerr != nil {
		return running, recent, errors.Join(err, gerr)
	}
	if rds.HasStatus(in, rds.StatusRestoring) {
		running = append(running, Task{Status: rds.JobRunning, Restore: true})
	}
	return running, recent, err
}

// NewForeignRestoreError is the refusal to stack a restore onto t, a running restore onto target
// that ForeignRestores returned (a Task with no ID: the target's RESTORING status).
func NewForeignRestoreError(target string, t Task) *ForeignRestoreError {
	e := &ForeignRestoreError{Target: target, JobID: t.ID, Started: t.Created, Status: t.Status}
	if t.ID == "" {
		e.Status = rds.StatusRestoring
	}
	return e
}

// foreignError is the refusal to stack a restore onto the first of running.
func foreignError(target string, running []Task) *ForeignRestoreError {
	return NewForeignRestoreError(target, running[0])
}

// enter and leave count the restores of this runner in flight onto a target, from just before
// the submission (or the adoption) to the end of its wait: a target RESTORING while one runs is
// not a foreign restore, and SQL Server restores of this runner that run at once onto one
// instance do not take each other for foreign ones.
func (r *Runner) enter(target string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.onto == nil {
		r.onto = map[string]int{}
	}
	r.onto[target]++
}

func (r *Runner) leave(target string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.onto[target]--; r.onto[target] <= 0 {
		delete(r.onto, target)
	}
}

// pend counts a submission onto target sent (+1) or answered (-1): see Runner.unanswered.
func (r *Runner) pend(target string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unanswered == nil {
		r.unanswered = map[string]int{}
	}
	if r.unanswered[target] += n; r.unanswered[target] <= 0 {
		delete(r.unanswered, target)
	}
}

// unansweredOnto is how many of this runner's submissions onto target have no answer yet.
func (r *Runner) unansweredOnto(target string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unanswered[target]
}

func (r *Runner) runningOnto(target string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.onto[target]
}

func pick(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// foreignListTTL is how long one listing of the account's tasks serves the checks for restores
// the state does not know, on every target: a crowd of restores planned or submitted together
// reads the task list once, not once per restore. A restore started by someone else within that
// time is still refused by the API itself (its target is busy), and then named (nameForeign).
const foreignListTTL = 5 * time.Second

// accountListPages bounds the account-wide listing: an account with more tasks than this in
// foreignLookback is read per target instead.
const accountListPages = 4

// AccountTaskSource is a TaskSource that can also list the tasks of every instance at once.
type AccountTaskSource interface {
	// AccountRestoreTasks lists the tasks of every instance created since since, reading at
	// most maxPages pages; complete says whether that was all of them.
	AccountRestoreTasks(ctx context.Context, since time.Time, maxPages int) (tasks []AccountTask, complete bool, err error)
}

// AccountTask is a task of the account-wide listing, with its instance.
type AccountTask struct {
	Task
	InstanceID string
}

// foreignTasks lists the tasks on target for the foreign-restore check: from the account-wide
// listing this runner read within foreignListTTL, or a new one; per target when the task source
// cannot list the account or the account has too many tasks.
func (r *Runner) foreignTasks(ctx context.Context, target string, now time.Time) ([]Task, error) {
	since := now.Add(-foreignLookback)
	al, ok := r.Tasks.(AccountTaskSource)
	if !ok {
		return r.listTasks(ctx, target, since)
	}
	r.accountMu.Lock()
	defer r.accountMu.Unlock()
	if r.accountAt.IsZero() || time.Since(r.accountAt) > foreignListTTL {
		tasks, complete, err := al.AccountRestoreTasks(ctx, since, accountListPages)
		if err != nil {
			return nil, err
		}
		r.accountTasks, r.accountComplete, r.accountAt = tasks, complete, time.Now()
	}
	if !r.accountComplete {
		return r.listTasks(ctx, target, since)
	}
	var out []Task
	for _, t := range r.accountTasks {
		if strings.EqualFold(t.InstanceID, target) {
			if t.Restore {
				r.restoresListed.Store(true)
			}
			out = append(out, t.Task)
		}
	}
	return out, nil
}

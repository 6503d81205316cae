package restore

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// PastRestore is one restore the task list shows: what `terraform query` lists of
// hwc_rds_instance_restore.
type PastRestore struct {
	JobID      string // the task's id, which is the restore's job id (see rds.Task)
	Target     string // the target instance's id
	TargetName string
	Status     string // Running, Completed or Failed
	FailReason string
	Created    time.Time
	Ended      time.Time // zero while the job runs
}

// Job is the restore as the job query would show it, as far as the task list tells: import
// and the list resource build the same state from it.
func (p PastRestore) Job() *rds.Job {
	j := &rds.Job{ID: p.JobID, Status: p.Status, FailReason: p.FailReason,
		Instance: rds.JobInstance{ID: p.Target, Name: p.TargetName}}
	if !p.Created.IsZero() {
		j.Created = rds.FormatTime(p.Created)
	}
	if !p.Ended.IsZero() {
		j.Ended = rds.FormatTime(p.Ended)
	}
	return j
}

// HistoryFilter selects past restores; a zero field selects everything.
type HistoryFilter struct {
	Target   string    // target instance id
	Status   string    // Running, Completed or Failed
	From, To time.Time // bounds of the creation time, inclusive
}

// ErrSilentTaskList means the task list answers but shows no restore on the account at all:
// either none ran in the time the API keeps tasks (about a month), or this cloud's task list
// leaves restores out (rds.Task: not confirmed either way).
var ErrSilentTaskList = errors.New("the task list shows no restore on this account")

// PastRestores lists the restores of the task list that match f, newest first. The filters go
// to the API (instance_id, status, and start_time with end_time when From is set) and are
// applied again here, so an API that ignores one still gives the right answer. When nothing
// matches, a bounded look at the account's task list (ListsRestores) tells a filter that
// excludes every restore (an empty answer) from a task list that shows none (ErrSilentTaskList).
// A cloud without the task list (404 APIGW.0101) gives ErrNoTaskList.
func (a APITasks) PastRestores(ctx context.Context, f HistoryFilter) ([]PastRestore, error) {
	opts := rds.ListTasksOptions{InstanceID: f.Target, Status: f.Status}
	if !f.From.IsZero() {
		opts.StartTime, opts.EndTime = f.From, f.To
		if f.To.IsZero() {
			opts.EndTime = time.Now().Add(ClockSlack)
		}
		if opts.EndTime.Before(opts.StartTime) {
			opts.EndTime = opts.StartTime // a start in the future: the API refuses an end before it
		}
	}
	list, err := a.Client.ListTasks(ctx, opts)
	if rds.IsCode(err, rds.CodeNoSuchAPI) {
		return nil, ErrNoTaskList
	}
	if err != nil {
		return nil, err
	}
	found, anyRestore := matchingRestores(list, f)
	if len(found) > 0 || anyRestore {
		return found, nil
	}
	// Nothing matched the filters: does the task list show restores at all?
	if seen, err := a.ListsRestores(ctx, time.Now().Add(-restoresLookback)); err != nil || seen {
		return nil, err
	}
	return nil, ErrSilentTaskList
}

// matchingRestores keeps the restores of list that match f, newest first; anyRestore says
// whether list held a restore at all, matching or not.
func matchingRestores(list []rds.Task, f HistoryFilter) (found []PastRestore, anyRestore bool) {
	for _, t := range list {
		if !isRestoreTask(t.Name) {
			continue
		}
		anyRestore = true
		p := PastRestore{JobID: t.ID, Target: t.InstanceID, TargetName: t.InstanceName, Status: t.Status, FailReason: t.FailReason}
		p.Created, _ = rds.ParseTime(t.CreateTime)
		if !strings.EqualFold(t.Status, rds.JobRunning) {
			p.Ended, _ = rds.ParseTime(t.EndTime) // a running task's end_time is a plan, not an end
		}
		if f.matches(p) {
			found = append(found, p)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Created.After(found[j].Created) })
	return found, anyRestore
}

func (f HistoryFilter) matches(p PastRestore) bool {
	switch {
	case f.Target != "" && p.Target != f.Target:
		return false
	case f.Status != "" && !strings.EqualFold(p.Status, f.Status):
		return false
	case !f.From.IsZero() && p.Created.Before(f.From):
		return false
	case !f.To.IsZero() && p.Created.After(f.To):
		return false
	}
	return true
}

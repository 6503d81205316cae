package restore

import (
	"context"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// TaskLister is the part of the RDS client the task list adapter needs.
type TaskLister interface {
	ListTasks(ctx context.Context, opts rds.ListTasksOptions) ([]rds.Task, error)
	ListTasksPage(ctx context.Context, opts rds.ListTasksOptions) (*rds.ListTasksResponse, error)
}

// APITasks reads restore tasks from the API's task list (GET /v3/{project_id}/tasklist).
type APITasks struct{ Client TaskLister }

// RestoreTasks lists the tasks on target created since `since` (up to a minute ahead of this
// machine's clock, for a server clock that runs ahead). A task whose name says restore is one;
// any other task is listed too, marked as not a restore, because the name a real cloud gives a
// restore task is not confirmed: an unexplained task in the window must stop the runner from
// concluding that nothing was taken. A cloud without the task list (404 APIGW.0101) gives
// ErrNoTaskList.
func (a APITasks) RestoreTasks(ctx context.Context, target string, since time.Time) ([]Task, error) {
	list, err := a.Client.ListTasks(ctx, rds.ListTasksOptions{
		InstanceID: target, StartTime: since, EndTime: time.Now().Add(ClockSlack),
	})
	if rds.IsCode(err, rds.CodeNoSuchAPI) {
		return nil, ErrNoTaskList
	}
	if err != nil {
		return nil, err
	}
	out := make([]Task, 0, len(list))
	for _, t := range list {
		if t.InstanceID != "" && t.InstanceID != target {
			continue
		}
		out = append(out, taskOf(t))
	}
	return out, nil
}

// AccountRestoreTasks lists the tasks of every instance created since since, newest first, at
// most maxPages pages of 50; complete is false when more remain.
func (a APITasks) AccountRestoreTasks(ctx context.Context, since time.Time, maxPages int) ([]AccountTask, bool, error) {
	opts := rds.ListTasksOptions{StartTime: since, EndTime: time.Now().Add(ClockSlack), Limit: 50}
	var out []AccountTask
	for page := 0; page < maxPages; page++ {
		resp, err := a.Client.ListTasksPage(ctx, opts)
		if rds.IsCode(err, rds.CodeNoSuchAPI) {
			return nil, false, ErrNoTaskList
		}
		if err != nil {
			return nil, false, err
		}
		for _, t := range resp.Tasks {
			out = append(out, AccountTask{Task: taskOf(t), InstanceID: t.InstanceID})
		}
		opts.Offset += len(resp.Tasks)
		if len(resp.Tasks) == 0 || opts.Offset >= resp.TotalCount {
			return out, true, nil
		}
	}
	return out, false, nil
}

// taskOf is a task of the API's list as the runner reads it.
func taskOf(t rds.Task) Task {
	task := Task{ID: t.ID, Status: t.Status, FailReason: t.FailReason, Restore: isRestoreTask(t.Name)}
	task.Created, _ = rds.ParseTime(t.CreateTime)
	if !strings.EqualFold(t.Status, rds.JobRunning) {
		task.Ended, _ = rds.ParseTime(t.EndTime)
	}
	return task
}

// listsRestoresPages bounds ListsRestores: at most this many pages of the account's task list
// (50 tasks each) are read looking for a restore. An account busy with other tasks may hide its
// restores beyond them; the answer is then "not seen", which only makes a lost submission
// "unknown" instead of resent.
const listsRestoresPages = 4

// ListsRestores reads the account's task list (every instance) from since on, newest first, and
// says whether it shows a restore task: the proof that this cloud's task list lists restores,
// without which the absence of a submission's task proves nothing. A cloud without the task
// list gives ErrNoTaskList.
func (a APITasks) ListsRestores(ctx context.Context, since time.Time) (bool, error) {
	opts := rds.ListTasksOptions{StartTime: since, EndTime: time.Now().Add(ClockSlack), Limit: 50}
	for page := 0; page < listsRestoresPages; page++ {
		resp, err := a.Client.ListTasksPage(ctx, opts)
		if rds.IsCode(err, rds.CodeNoSuchAPI) {
			return false, ErrNoTaskList
		}
		if err != nil {
			return false, err
		}
		for _, t := range resp.Tasks {
			if isRestoreTask(t.Name) {
				return true, nil
			}
		}
		opts.Offset += len(resp.Tasks)
		if len(resp.Tasks) == 0 || opts.Offset >= resp.TotalCount {
			break
		}
	}
	return false, nil
}

// isRestoreTask recognises a restore by its task name ("RestoreInstance" and the like).
func isRestoreTask(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "restore") || strings.Contains(n, "recover")
}

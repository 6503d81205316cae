package restore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// pagedTasks answers the account's task list page by page.
type pagedTasks struct {
	all   []rds.Task
	err   error
	pages int
}

func (p *pagedTasks) ListTasks(context.Context, rds.ListTasksOptions) ([]rds.Task, error) {
	return p.all, p.err
}

func (p *pagedTasks) ListTasksPage(_ context.Context, o rds.ListTasksOptions) (*rds.ListTasksResponse, error) {
	p.pages++
	if p.err != nil {
		return nil, p.err
	}
	if o.InstanceID != "" || o.StartTime.IsZero() {
		return nil, errors.New("ListsRestores must ask the whole account, from a start time")
	}
	end := min(o.Offset+o.Limit, len(p.all))
	return &rds.ListTasksResponse{Tasks: p.all[min(o.Offset, end):end], TotalCount: len(p.all)}, nil
}

// backups is n tasks that are not restores.
func backups(n int) []rds.Task {
	out := make([]rds.Task, n)
	for i := range out {
		out[i] = rds.Task{ID: "t", Name: "CreateBackup"}
	}
	return out
}

// TestAPITasks_ListsRestores_table: a restore anywhere in the first pages of the account's task
// list is the proof; none, or a missing task list, is not.
func TestAPITasks_ListsRestores_table(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tasks     []rds.Task
		err       error
		want      bool
		wantErr   error
		wantPages int
	}{
		{name: "a restore on the first page", tasks: append(backups(3), rds.Task{Name: "RestoreInstance"}), want: true, wantPages: 1},
		{name: "a restore on the second page", tasks: append(backups(60), rds.Task{Name: "RestoreInstance"}), want: true, wantPages: 2},
		{name: "no restore at all", tasks: backups(70), wantPages: 2},
		{name: "an empty list", wantPages: 1},
		{name: "restores hidden beyond the pages read", tasks: append(backups(50*listsRestoresPages), rds.Task{Name: "RestoreInstance"}),
			wantPages: listsRestoresPages},
		{name: "no task list", err: &rds.Error{StatusCode: 404, Code: rds.CodeNoSuchAPI}, wantErr: ErrNoTaskList, wantPages: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &pagedTasks{all: tc.tasks, err: tc.err}
			got, err := APITasks{Client: p}.ListsRestores(context.Background(), time.Now().Add(-time.Hour))
			if got != tc.want || !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil || p.pages != tc.wantPages {
				t.Fatalf("ListsRestores = %v, %v after %d pages; want %v, %v after %d", got, err, p.pages, tc.want, tc.wantErr, tc.wantPages)
			}
		})
	}
}

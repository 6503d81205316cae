package restore

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// fakeTaskList answers ListTasks (and ListTasksPage, as one page) with its tasks, filtered by instance_id and status only when
// the test says the API honours filters; it records every listing's options.
type fakeTaskList struct {
	tasks   []rds.Task
	filters bool
	err     error
	calls   []rds.ListTasksOptions
}

func (f *fakeTaskList) ListTasks(_ context.Context, opts rds.ListTasksOptions) ([]rds.Task, error) {
	f.calls = append(f.calls, opts)
	if f.err != nil {
		return nil, f.err
	}
	var out []rds.Task
	for _, t := range f.tasks {
		if f.filters && ((opts.InstanceID != "" && t.InstanceID != opts.InstanceID) || (opts.Status != "" && t.Status != opts.Status)) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

func (f *fakeTaskList) ListTasksPage(ctx context.Context, opts rds.ListTasksOptions) (*rds.ListTasksResponse, error) {
	tasks, err := f.ListTasks(ctx, rds.ListTasksOptions{InstanceID: opts.InstanceID, Status: opts.Status})
	if err != nil {
		return nil, err
	}
	return &rds.ListTasksResponse{Tasks: tasks, TotalCount: len(tasks)}, nil
}

func TestPastRestores_filtersAndErrors(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	at := func(h int) string { return rds.FormatTime(day.Add(time.Duration(h) * time.Hour)) }
	tasks := []rds.Task{
		{ID: "j1", Name: "RestoreExistInstance", InstanceID: "t1", Status: "Completed", CreateTime: at(1), EndTime: at(2)},
		{ID: "j2", Name: "RestoreExistInstance", InstanceID: "t2", Status: "Failed", FailReason: "disk full", CreateTime: at(3), EndTime: at(4)},
		{ID: "j3", Name: "RestoreExistInstance", InstanceID: "t1", Status: "Running", CreateTime: at(5), EndTime: at(9)},
		{ID: "b1", Name: "CreateBackup", InstanceID: "t1", Status: "Completed", CreateTime: at(6)},
	}
	backupOnly := []rds.Task{tasks[3]}
	notFound := &rds.Error{StatusCode: 404, Code: rds.CodeNoSuchAPI}
	for _, tc := range []struct {
		name      string
		tasks     []rds.Task
		filters   bool
		err       error
		f         HistoryFilter
		wantIDs   []string
		wantErr   error
		wantCalls int
	}{
		{name: "everything, newest first, other tasks left out", tasks: tasks, f: HistoryFilter{},
			wantIDs: []string{"j3", "j2", "j1"}, wantCalls: 1},
		{name: "target, applied here too when the API ignores it", tasks: tasks, f: HistoryFilter{Target: "t1"},
			wantIDs: []string{"j3", "j1"}, wantCalls: 1},
		{name: "status", tasks: tasks, filters: true, f: HistoryFilter{Status: "Failed"},
			wantIDs: []string{"j2"}, wantCalls: 1},
		{name: "time range", tasks: tasks, f: HistoryFilter{From: day.Add(2 * time.Hour), To: day.Add(4 * time.Hour)},
			wantIDs: []string{"j2"}, wantCalls: 1},
		{name: "only an end", tasks: tasks, f: HistoryFilter{To: day.Add(90 * time.Minute)},
			wantIDs: []string{"j1"}, wantCalls: 1},
		{name: "no match, but the list shows restores: empty, no error", tasks: tasks, filters: true,
			f: HistoryFilter{Target: "t3"}, wantIDs: nil, wantCalls: 2},
		{name: "no restore anywhere: silent", tasks: backupOnly, f: HistoryFilter{Target: "t1"},
			wantErr: ErrSilentTaskList, wantCalls: 2},
		{name: "no restore anywhere, no filters", tasks: nil, f: HistoryFilter{},
			wantErr: ErrSilentTaskList, wantCalls: 2},
		{name: "no task list", err: notFound, f: HistoryFilter{Target: "t1"}, wantErr: ErrNoTaskList, wantCalls: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeTaskList{tasks: tc.tasks, filters: tc.filters, err: tc.err}
			got, err := APITasks{Client: fake}.PastRestores(context.Background(), tc.f)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.JobID)
			}
			if !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("job ids %v, want %v", ids, tc.wantIDs)
			}
			if len(fake.calls) != tc.wantCalls {
				t.Errorf("%d listings, want %d", len(fake.calls), tc.wantCalls)
			}
		})
	}
}

func TestPastRestores_sendsFiltersToTheAPI(t *testing.T) {
	from := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	fake := &fakeTaskList{tasks: []rds.Task{{ID: "j1", Name: "RestoreExistInstance", InstanceID: "t1", Status: "Completed",
		CreateTime: rds.FormatTime(from.Add(time.Hour))}}}
	if _, err := (APITasks{Client: fake}).PastRestores(context.Background(), HistoryFilter{Target: "t1", Status: "Completed", From: from}); err != nil {
		t.Fatal(err)
	}
	got := fake.calls[0]
	if got.InstanceID != "t1" || got.Status != "Completed" || !got.StartTime.Equal(from) || got.EndTime.Before(time.Now()) {
		t.Errorf("options %+v: want instance t1, status Completed, from %s to about now", got, from)
	}
}

func TestPastRestoreJob_endsOnlyWhenEnded(t *testing.T) {
	created := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		p         PastRestore
		wantEnded string
	}{
		{"running", PastRestore{JobID: "j", Target: "t", Status: "Running", Created: created}, ""},
		{"completed", PastRestore{JobID: "j", Target: "t", Status: "Completed", Created: created, Ended: created.Add(time.Hour)},
			rds.FormatTime(created.Add(time.Hour))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := tc.p.Job()
			if j.ID != "j" || j.Instance.ID != "t" || j.Created != rds.FormatTime(created) || j.Ended != tc.wantEnded {
				t.Errorf("job %+v, want ended %q", j, tc.wantEnded)
			}
		})
	}
}

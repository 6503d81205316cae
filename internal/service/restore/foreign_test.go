package restore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// TestRunner_ForeignRestores_table: the restores onto a target that the runner did not submit,
// running and recently ended, from the task list or, where it is silent, the target's status.
func TestRunner_ForeignRestores_table(t *testing.T) {
	now := time.Now()
	running := Task{ID: "console-job", Status: rds.JobRunning, Created: now.Add(-10 * time.Minute), Restore: true}
	ended := func(id string, ago time.Duration) Task {
		return Task{ID: id, Status: rds.JobCompleted, Created: now.Add(-ago - time.Minute), Ended: now.Add(-ago), Restore: true}
	}
	for _, tc := range []struct {
		name            string
		tasks           *fakeTasks // nil: no task source at all
		status          string
		known           []string
		owned           string
		running, recent []string // job ids; "-" is a restore only the target's status shows
		wantErr         bool
	}{
		{name: "a running restore in the task list", tasks: &fakeTasks{tasks: []Task{running}}, running: []string{"console-job"}},
		{name: "queued: listed Running, the target still ACTIVE", tasks: &fakeTasks{tasks: []Task{running}}, status: rds.StatusActive, running: []string{"console-job"}},
		{name: "owned by this runner", tasks: &fakeTasks{tasks: []Task{running}}, owned: "console-job"},
		{name: "known to the caller", tasks: &fakeTasks{tasks: []Task{running}}, known: []string{"console-job"}},
		{name: "ended 30 minutes ago", tasks: &fakeTasks{tasks: []Task{ended("earlier", 30*time.Minute)}}, recent: []string{"earlier"}},
		{name: "ended two hours ago", tasks: &fakeTasks{tasks: []Task{ended("old", 2*time.Hour)}}},
		{name: "not a restore", tasks: &fakeTasks{tasks: []Task{{ID: "backup", Status: rds.JobRunning, Created: now}}}},
		{name: "task list silent, target RESTORING", tasks: &fakeTasks{}, status: rds.StatusRestoring, running: []string{"-"}},
		{name: "no task list, target RESTORING", tasks: &fakeTasks{err: ErrNoTaskList}, status: rds.StatusRestoring, running: []string{"-"}},
		{name: "no task source, target RESTORING", status: rds.StatusRestoring, running: []string{"-"}},
		{name: "target RESTORING with a known job", tasks: &fakeTasks{}, status: rds.StatusRestoring, known: []string{"earlier-job"}},
		{name: "task list unreadable, target ACTIVE", tasks: &fakeTasks{err: &rds.Error{StatusCode: 503}}, wantErr: true},
		{name: "task list unreadable, target RESTORING", tasks: &fakeTasks{err: &rds.Error{StatusCode: 503}}, status: rds.StatusRestoring,
			running: []string{"-"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{}
			if tc.status != "" {
				f.statuses = []string{tc.status}
			}
			r := runner(f)
			if tc.tasks != nil {
				r.Tasks = tc.tasks
			}
			if tc.owned != "" {
				r.jobs.Store(tc.owned, struct{}{})
			}
			run, rec, err := r.ForeignRestores(context.Background(), "t1", now, tc.known...)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tc.wantErr)
			}
			if got := ids(run); !equal(got, tc.running) {
				t.Errorf("running = %v, want %v", got, tc.running)
			}
			if got := ids(rec); !equal(got, tc.recent) {
				t.Errorf("recent = %v, want %v", got, tc.recent)
			}
		})
	}
}

func ids(list []Task) []string {
	var out []string
	for _, t := range list {
		out = append(out, pick(t.ID, "-"))
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// TestRunner_refusesToStack: Run never submits onto a restore it did not submit and the caller
// does not know, and never waits the whole timeout behind one or behind a target that cannot
// become ACTIVE by itself.
func TestRunner_refusesToStack(t *testing.T) {
	foreign := Task{ID: "console-job", Status: rds.JobRunning, Created: time.Now().Add(-3 * time.Minute), Restore: true}
	for _, tc := range []struct {
		name        string
		tasks       *fakeTasks
		statuses    []string
		known       []string
		submissions int32
		check       func(t *testing.T, err error)
	}{
		{name: "a queued restore in the task list, the target ACTIVE", tasks: &fakeTasks{tasks: []Task{foreign}},
			check: func(t *testing.T, err error) {
				var fe *ForeignRestoreError
				if !errors.As(err, &fe) || fe.JobID != "console-job" || fe.Started.IsZero() {
					t.Fatalf("err = %v, want a ForeignRestoreError naming console-job", err)
				}
				for _, want := range []string{"console-job", "started " + foreign.Created.UTC().Format(time.RFC3339), "import command", "wait until it has ended"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("message lacks %q: %v", want, err)
					}
				}
			}},
		{name: "the target RESTORING, the task list names the job", tasks: &fakeTasks{tasks: []Task{foreign}}, statuses: []string{rds.StatusRestoring},
			check: func(t *testing.T, err error) {
				var fe *ForeignRestoreError
				if !errors.As(err, &fe) || fe.JobID != "console-job" {
					t.Fatalf("err = %v, want a ForeignRestoreError naming console-job", err)
				}
			}},
		{name: "the target RESTORING, no task list: refused at once", tasks: &fakeTasks{err: ErrNoTaskList}, statuses: []string{rds.StatusRestoring},
			check: func(t *testing.T, err error) {
				var fe *ForeignRestoreError
				if !errors.As(err, &fe) || fe.JobID != "" || fe.Status != rds.StatusRestoring || !strings.Contains(err.Error(), "recent tasks in the console") {
					t.Fatalf("err = %v, want a ForeignRestoreError on the target's status", err)
				}
			}},
		{name: "the target RESTORING with the caller's known job: waited for", tasks: &fakeTasks{},
			statuses: []string{rds.StatusRestoring, rds.StatusRestoring, rds.StatusActive}, known: []string{"earlier-job"}, submissions: 1},
		{name: "the caller's known job listed running: not foreign", tasks: &fakeTasks{tasks: []Task{foreign}}, known: []string{"console-job"}, submissions: 1},
		{name: "a restore that ended: not in the way", submissions: 1,
			tasks: &fakeTasks{tasks: []Task{{ID: "done", Status: rds.JobCompleted, Created: time.Now().Add(-time.Hour), Ended: time.Now().Add(-time.Minute), Restore: true}}}},
		{name: "a FROZEN target: the wait stops at once", tasks: &fakeTasks{}, statuses: []string{"FROZEN"},
			check: func(t *testing.T, err error) {
				var se *rds.StuckInstanceError
				if !errors.As(err, &se) || se.Status != "FROZEN" || !strings.Contains(err.Error(), "would only spend the timeout") {
					t.Fatalf("err = %v, want the stuck state named", err)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{statuses: tc.statuses}
			r := runner(f)
			r.Tasks = tc.tasks
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			res, err := r.Run(ctx, request("t1"), false, Hooks{KnownJobs: tc.known})
			if f.submissions.Load() != tc.submissions {
				t.Fatalf("submissions = %d, want %d (err %v)", f.submissions.Load(), tc.submissions, err)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("took %s: it waited instead of refusing", time.Since(start))
			}
			if tc.check == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if res.Kind != KindNotSubmitted || res.Taken() {
				t.Errorf("kind %q, want not submitted", res.Kind)
			}
			tc.check(t, err)
		})
	}
}

// Restores of this runner onto one SQL Server instance at once do not take each other for
// foreign ones, although each one's job is listed running.
func TestRunner_ownConcurrentRestoresAreNotForeign(t *testing.T) {
	f := &fakeClient{}
	r := runner(f)
	r.Tasks = &fakeTasks{tasks: []Task{{ID: "job", Status: rds.JobRunning, Created: time.Now(), Restore: true}}, after: f}
	done := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() {
			_, err := r.Run(context.Background(), request("t1"), true, Hooks{})
			done <- err
		}()
	}
	for i := 0; i < 3; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the restores did not end")
		}
	}
	if f.submissions.Load() != 3 {
		t.Errorf("submissions = %d, want 3", f.submissions.Load())
	}
}

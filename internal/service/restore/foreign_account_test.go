package restore

import (
	"context"
	"testing"
	"time"
)

// accountTasks is a task source that lists the account at once, counting its listings.
type accountTasks struct {
	tasks          []AccountTask
	complete       bool
	account, perTarget int // account-wide listings, per-target listings
}

func (a *accountTasks) RestoreTasks(_ context.Context, target string, _ time.Time) ([]Task, error) {
	a.perTarget++
	var out []Task
	for _, t := range a.tasks {
		if t.InstanceID == target {
			out = append(out, t.Task)
		}
	}
	return out, nil
}

func (a *accountTasks) ListsRestores(context.Context, time.Time) (bool, error) { return true, nil }

func (a *accountTasks) AccountRestoreTasks(context.Context, time.Time, int) ([]AccountTask, bool, error) {
	a.account++
	return a.tasks, a.complete, nil
}

// One account-wide listing serves the foreign-restore checks of every target within its time to
// live; an account with more tasks than it reads is listed per target instead.
func TestRunner_foreignTasks_accountListing(t *testing.T) {
	now := time.Now()
	tasks := []AccountTask{
		{InstanceID: "t1", Task: Task{ID: "j1", Status: "Running", Restore: true, Created: now.Add(-time.Minute)}},
		{InstanceID: "t2", Task: Task{ID: "j2", Status: "Completed", Restore: true, Created: now.Add(-20 * time.Minute), Ended: now.Add(-10 * time.Minute)}},
	}
	for _, tc := range []struct {
		name                  string
		complete              bool
		wantAccount, wantEach int
	}{
		{"complete: one listing for both targets", true, 1, 0},
		{"incomplete: listed per target", false, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &accountTasks{tasks: tasks, complete: tc.complete}
			r := &Runner{Tasks: src, Client: nil}
			run1, _, err := r.foreign(context.Background(), "t1", now, nil, false)
			if err != nil || len(run1) != 1 || run1[0].ID != "j1" {
				t.Fatalf("t1: running %+v, err %v; want j1", run1, err)
			}
			run2, recent2, err := r.foreign(context.Background(), "t2", now, nil, false)
			if err != nil || len(run2) != 0 || len(recent2) != 1 || recent2[0].ID != "j2" {
				t.Fatalf("t2: running %+v recent %+v, err %v; want j2 recent", run2, recent2, err)
			}
			if src.account != tc.wantAccount || src.perTarget != tc.wantEach {
				t.Errorf("account listings %d, per-target %d; want %d and %d", src.account, src.perTarget, tc.wantAccount, tc.wantEach)
			}
		})
	}
}

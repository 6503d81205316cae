package restore

import (
	"testing"
	"time"
)

// TestCandidate_table: a lost submission's job is adopted only when it is the one restore task
// the submission explains.
func TestCandidate_table(t *testing.T) {
	sent := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	lost := sent.Add(20 * time.Second)
	restore := func(id string, created time.Time) Task {
		return Task{ID: id, Status: "Running", Created: created, Restore: true}
	}
	owned := func(id string) bool { return id == "mine" }
	for _, tc := range []struct {
		name  string
		tasks []Task
		want  string // "" = no candidate
	}{
		{"one candidate", []Task{restore("j1", sent.Add(time.Second))}, "j1"},
		{"one, dated by a server clock a little behind ours", []Task{restore("j1", sent.Add(-40*time.Second))}, "j1"},
		{"one, dated by a server clock a little ahead", []Task{restore("j1", lost.Add(50*time.Second))}, "j1"},
		{"two candidates", []Task{restore("j1", sent.Add(time.Second)), restore("j2", sent.Add(2*time.Second))}, ""},
		{"a stranger's task created before the send", []Task{restore("console", sent.Add(-5*time.Minute))}, ""},
		{"a stranger's task long after the reply was lost", []Task{restore("console", lost.Add(5*time.Minute))}, ""},
		{"an owned task", []Task{restore("mine", sent.Add(time.Second))}, ""},
		{"an owned task beside the candidate", []Task{restore("mine", sent.Add(time.Second)), restore("j1", sent.Add(time.Second))}, "j1"},
		{"a non-restore task", []Task{{ID: "backup", Status: "Running", Created: sent.Add(time.Second)}}, ""},
		{"a stranger's old task beside the candidate", []Task{restore("console", sent.Add(-5*time.Minute)), restore("j1", sent)}, "j1"},
		{"a task with no creation time could be it too", []Task{restore("j1", sent), restore("j2", time.Time{})}, ""},
		{"no task", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Candidate(tc.tasks, sent, lost, owned)
			if ok != (tc.want != "") || got.ID != tc.want {
				t.Fatalf("Candidate = %q, %v; want %q", got.ID, ok, tc.want)
			}
		})
	}
}

func TestDescribeTasks_names(t *testing.T) {
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	got := DescribeTasks([]Task{
		{ID: "j1", Status: "Completed", Created: at, Ended: at.Add(time.Minute)},
		{ID: "j2", Status: "Running"},
	})
	want := "job j1, created 2026-12-03T08:00:00Z, ended 2026-12-03T08:01:00Z, Completed; job j2, created at an unknown time, Running"
	if got != want {
		t.Errorf("DescribeTasks = %q, want %q", got, want)
	}
}

package rds_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// steppingClock moves on by step every time it is read, so that restores with a tiny job
// duration finish between two requests without the test sleeping.
func steppingClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := time.Now()
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(step)
		return t
	}
}

func TestListTasks_readsEveryPage(t *testing.T) {
	ts, c := startEmulator(t, emulator.Options{JobDuration: time.Millisecond, Clock: steppingClock(5 * time.Millisecond)})
	ctx := context.Background()
	const restores = 57 // more than one page of 50
	jobs := map[string]bool{}
	for range restores {
		resp, err := c.Restore(ctx, mysqlBackupRestore())
		if err != nil {
			t.Fatal(err)
		}
		jobs[resp.JobID] = true
	}
	before := c.Stats().Requests
	tasks, err := c.ListTasks(ctx, rds.ListTasksOptions{InstanceID: emulator.MySQLTargetID})
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Requests - before; n != 2 {
		t.Errorf("%d requests for %d tasks, want 2 pages of 50", n, restores)
	}
	if len(tasks) != restores {
		t.Fatalf("%d tasks, want %d", len(tasks), restores)
	}
	for _, tk := range tasks {
		if !jobs[tk.ID] || tk.InstanceID != emulator.MySQLTargetID || tk.Status != rds.JobCompleted || tk.CreateTime == "" {
			t.Fatalf("task %+v", tk)
		}
		delete(jobs, tk.ID)
	}

	// Filters reach the API as it names them (package doc, Task list).
	if got, err := c.ListTasks(ctx, rds.ListTasksOptions{Status: rds.JobFailed}); err != nil || len(got) != 0 {
		t.Fatalf("failed tasks: %v %v", got, err)
	}
	from := time.Now().Add(-time.Hour)
	if got, err := c.ListTasks(ctx, rds.ListTasksOptions{StartTime: from, EndTime: from.Add(24 * time.Hour)}); err != nil || len(got) != restores {
		t.Fatalf("tasks in a day's range: %d %v", len(got), err)
	}
	var query string
	for _, r := range requestLog(t, ts.URL) {
		if r.Path == "/v3/"+emulator.DemoProjectID+"/tasklist" {
			query = r.Query
		}
	}
	if !strings.Contains(query, "start_time=") || !strings.Contains(query, "end_time=") || !strings.Contains(query, "limit=50") {
		t.Errorf("the last task list query was %q", query)
	}
	if _, err := c.ListTasks(ctx, rds.ListTasksOptions{StartTime: from}); err == nil {
		t.Error("a start time without an end time must be refused before sending")
	}
}

func TestListTasks_onACloudWithoutIt(t *testing.T) {
	_, c := startEmulator(t, emulator.Options{Unconfirmed: emulator.Unconfirmed{TaskListMissing: true}})
	_, err := c.ListTasks(context.Background(), rds.ListTasksOptions{})
	if !rds.IsCode(err, rds.CodeNoSuchAPI) || rds.IsNotFound(err) {
		t.Fatalf("want APIGW.0101 (and not a NotFound), got %v", err)
	}
}

func TestDeleteDatabase_deletes(t *testing.T) {
	_, c := startEmulator(t, emulator.Options{})
	ctx := context.Background()
	if err := c.DeleteDatabase(ctx, emulator.MySQLSourceID, "orders"); err != nil {
		t.Fatal(err)
	}
	dbs, err := c.ListAllDatabases(ctx, emulator.MySQLSourceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if d.Name == "orders" {
			t.Fatalf("orders is still listed: %+v", dbs)
		}
	}
	err = c.DeleteDatabase(ctx, emulator.MySQLSourceID, "orders")
	var e *rds.Error
	if !rds.IsCode(err, rds.CodeNoSuchDatabase) || !asError(err, &e) || e.StatusCode != http.StatusBadRequest {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := c.Restore(ctx, mysqlBackupRestore()); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteDatabase(ctx, emulator.MySQLTargetID, "shop_old")
	if !asError(err, &e) || e.StatusCode != http.StatusConflict {
		t.Fatalf("delete on a restoring target: %v", err)
	}
	if err := c.DeleteDatabase(ctx, "", "x"); err == nil {
		t.Fatal("an empty instance id must be refused")
	}
}

func asError(err error, target **rds.Error) bool { return errors.As(err, target) }

// requestLog reads the emulator's request log through its admin endpoint.
func requestLog(t *testing.T, base string) []emulator.RequestRecord {
	t.Helper()
	resp, err := http.Get(base + "/_emulator/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var recs []emulator.RequestRecord
	if err := json.NewDecoder(resp.Body).Decode(&recs); err != nil {
		t.Fatal(err)
	}
	return recs
}

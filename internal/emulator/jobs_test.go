package emulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

var (
	jobIDPattern   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	apiTimePattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$`)
)

func TestJob_lifeCycle(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.JobVisibleAfter = time.Second })
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	if !jobIDPattern.MatchString(id) {
		t.Fatalf("job id %q is not 32 hex digits", id)
	}

	// Invisible for JobVisibleAfter.
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs?id="+id), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200543")
	if got := e.instance(MySQLTargetID).Status; got != rds.StatusRestoring {
		t.Errorf("target status %s while restoring", got)
	}

	// Running, with a growing integer percentage.
	last := -1
	for _, step := range []struct {
		advance time.Duration
		process string
	}{{time.Second, "10%"}, {2500 * time.Millisecond, "35%"}, {6 * time.Second, "95%"}, {490 * time.Millisecond, "99%"}} {
		e.clock.Advance(step.advance)
		j := e.job(id)
		if j.Status != rds.JobRunning || j.Process != step.process || j.Ended != "" {
			t.Fatalf("job %+v, want Running %s", j, step.process)
		}
		pct := 0
		for _, c := range strings.TrimSuffix(j.Process, "%") {
			pct = pct*10 + int(c-'0')
		}
		if pct <= last {
			t.Errorf("process went from %d%% to %s", last, j.Process)
		}
		last = pct
		if !apiTimePattern.MatchString(j.Created) || j.Instance.ID != MySQLTargetID || j.Instance.Name != "mysql57-staging" {
			t.Errorf("job fields %+v", j)
		}
	}
	if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"shop_old"}) {
		t.Errorf("target databases changed before the end: %v", got)
	}

	// Completed after the duration: the target is ACTIVE and holds the backup's databases.
	e.clock.Advance(10 * time.Millisecond)
	j := e.job(id)
	if j.Status != rds.JobCompleted || j.Process != "" || !apiTimePattern.MatchString(j.Ended) || j.FailReason != "" {
		t.Fatalf("job %+v, want Completed", j)
	}
	if j.Ended != "2026-03-10T08:00:10+0000" {
		t.Errorf("ended %s, want created + 10s", j.Ended)
	}
	if got := e.instance(MySQLTargetID).Status; got != rds.StatusActive {
		t.Errorf("target status %s after the restore", got)
	}
	if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"orders", "shop", "users"}) {
		t.Errorf("target databases %v, want the backup's", got)
	}

	// Jobs are forgotten after about a month.
	e.clock.Advance(31 * 24 * time.Hour)
	status, data = e.request(http.MethodGet, p("/v3/{p}/jobs?id="+id), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200543")
}

func TestGetJob_queryErrors(t *testing.T) {
	e := newEnv(t, nil)
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs"), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	status, data = e.request(http.MethodGet, p("/v3/{p}/jobs?id=ff80808157127d9301571bf8160c001d"), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200543")
}

func TestApplyLocked_busyTarget(t *testing.T) {
	e := newEnv(t, nil)
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(time.Second)
	status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLManualBackupID))
	wantError(t, status, data, http.StatusConflict, "DBS.200011")
	if n := len(e.state().Jobs); n != 1 {
		t.Errorf("%d jobs, want 1: a refused restore must not create a job", n)
	}
	// Free again once the first restore ends.
	e.clock.Advance(10 * time.Second)
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLManualBackupID))
}

func TestApplyLocked_sqlServerConcurrentDatabaseRestores(t *testing.T) {
	e := newEnv(t, nil)
	named := func(m map[string]string) rds.RestoreRequest {
		r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
		r.Source.DatabaseName = m
		return r
	}
	first := e.mustRestore(named(map[string]string{"sales": "sales_copy,sales2", "hr": ""}))
	e.clock.Advance(2 * time.Second)
	second := e.mustRestore(named(map[string]string{"inventory": "inv_copy"}))

	// The databases being created are listed, and their names are taken.
	var dbs rds.ListDatabasesResponse
	e.get(p("/v3/{p}/instances/"+SQLServerTargetID+"/database/detail?page=1&limit=100"), &dbs)
	creating := map[string]bool{}
	for _, d := range dbs.Databases {
		if d.State == "Creating" {
			creating[d.Name] = true
		}
	}
	for _, n := range []string{"sales_copy", "sales2", "hr", "inv_copy"} {
		if !creating[n] {
			t.Errorf("%s not listed as Creating: %+v", n, dbs.Databases)
		}
	}
	status, _, data := e.restore(named(map[string]string{"sales": "inv_copy"}))
	wantError(t, status, data, http.StatusBadRequest, "DBS.201035")

	// A whole-instance restore is refused while database restores run.
	status, _, data = e.restore(backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID))
	wantError(t, status, data, http.StatusConflict, "DBS.200011")

	// The first ends: the target stays RESTORING until the second ends too.
	e.clock.Advance(8 * time.Second)
	if j := e.job(first); j.Status != rds.JobCompleted {
		t.Fatalf("first job %+v", j)
	}
	if j := e.job(second); j.Status != rds.JobRunning {
		t.Fatalf("second job %+v", j)
	}
	if st := e.instance(SQLServerTargetID).Status; st != rds.StatusRestoring {
		t.Errorf("target %s while a restore still runs", st)
	}
	e.clock.Advance(2 * time.Second)
	if st := e.instance(SQLServerTargetID).Status; st != rds.StatusActive {
		t.Errorf("target %s after both restores", st)
	}
	want := []string{"hr", "inv_copy", "reporting", "sales2", "sales_copy"}
	if got := e.databases(SQLServerTargetID); !slices.Equal(got, want) {
		t.Errorf("target databases %v, want %v (renames applied, existing kept)", got, want)
	}
}

func TestApplyLocked_wholeSQLServerRestoreBlocksNamedOnes(t *testing.T) {
	e := newEnv(t, nil)
	e.mustRestore(backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID))
	r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	r.Source.DatabaseName = map[string]string{"sales": "sales_copy"}
	status, _, data := e.restore(r)
	wantError(t, status, data, http.StatusConflict, "DBS.200011")
	e.clock.Advance(10 * time.Second)
	want := []string{"hr", "inventory", "reporting", "sales"}
	if got := e.databases(SQLServerTargetID); !slices.Equal(got, want) {
		t.Errorf("target databases %v, want %v", got, want)
	}
}

func TestApplyLocked_restoreOntoItself(t *testing.T) {
	e := newEnv(t, nil)
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLSourceID, MySQLManualBackupID))
	e.clock.Advance(10 * time.Second)
	if j := e.job(id); j.Status != rds.JobCompleted {
		t.Fatalf("job %+v", j)
	}
	if got := e.databases(MySQLSourceID); !slices.Equal(got, []string{"shop", "users"}) {
		t.Errorf("databases %v, want the older backup's", got)
	}
}

func TestApplyLocked_v3Restore(t *testing.T) {
	e := newEnv(t, nil)
	status, data := e.request(http.MethodPost, p("/v3/{p}/instances/recovery"), backupRestore(PostgreSQLSourceID, PostgreSQLTargetID, PostgreSQLBackupID))
	if status != http.StatusAccepted || !strings.Contains(string(data), "job_id") {
		t.Fatalf("v3 restore = %d %s", status, data)
	}
	all := true
	r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	r.Source.RestoreAllDatabase = &all
	status, data = e.request(http.MethodPost, p("/v3/{p}/instances/recovery"), r)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	if status, _, data := e.restore(r); status != http.StatusAccepted {
		t.Errorf("v3.1 with restore_all_database = %d %s", status, data)
	}
}

func TestJob_zeroLengthCompletesAtOnce(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.JobDuration = time.Nanosecond })
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(time.Nanosecond)
	if j := e.job(id); j.Status != rds.JobCompleted {
		t.Fatalf("job %+v", j)
	}
}

func TestJob_queueDelay(t *testing.T) {
	// 5 s queued, then 10 s running. Each row is a moment after the restore was accepted.
	cases := []struct {
		name       string
		at         time.Duration
		job        string // status
		process    string
		target     string
		secondCode string // the answer to a second restore onto the target: "" = accepted
	}{
		{"just accepted", 0, rds.JobRunning, "0%", rds.StatusActive, "DBS.200011"},
		{"still queued", 4900 * time.Millisecond, rds.JobRunning, "0%", rds.StatusActive, "DBS.200011"},
		{"started", 5 * time.Second, rds.JobRunning, "0%", rds.StatusRestoring, "DBS.200011"},
		{"half run", 10 * time.Second, rds.JobRunning, "50%", rds.StatusRestoring, "DBS.200011"},
		{"ended", 15 * time.Second, rds.JobCompleted, "", rds.StatusActive, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.JobQueueDelay = 5 * time.Second })
			id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			e.clock.Advance(tc.at)
			if j := e.job(id); j.Status != tc.job || j.Process != tc.process {
				t.Errorf("job %+v, want %s %q", j, tc.job, tc.process)
			}
			if got := e.instance(MySQLTargetID).Status; got != tc.target {
				t.Errorf("target %s, want %s", got, tc.target)
			}
			var tasks rds.ListTasksResponse
			e.get(p("/v3/{p}/tasklist?instance_id="+MySQLTargetID), &tasks)
			if len(tasks.Tasks) != 1 || tasks.Tasks[0].ID != id || tasks.Tasks[0].Process != tc.process ||
				tasks.Tasks[0].InstanceStatus != tc.target {
				t.Errorf("task list %+v, want the job at %q on a %s target", tasks.Tasks, tc.process, tc.target)
			}
			if j := e.stateJob(id); j.Applied != (tc.job != rds.JobRunning) || j.Started != (tc.target == rds.StatusRestoring || j.Applied) {
				t.Errorf("state job started=%v applied=%v", j.Started, j.Applied)
			}
			status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLManualBackupID))
			if tc.secondCode == "" {
				if status != http.StatusAccepted {
					t.Errorf("second restore = %d %s, want 202", status, data)
				}
				return
			}
			wantError(t, status, data, http.StatusConflict, tc.secondCode)
		})
	}
}

func TestJob_queueDelayTaskListSwitches(t *testing.T) {
	cases := []struct {
		name   string
		un     Unconfirmed
		status int
		tasks  int
	}{
		{"full", Unconfirmed{}, http.StatusOK, 1},
		{"without restores", Unconfirmed{TaskListWithoutRestores: true}, http.StatusOK, 0},
		{"missing", Unconfirmed{TaskListMissing: true}, http.StatusNotFound, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.JobQueueDelay = time.Minute; o.Unconfirmed = tc.un })
			e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			status, data := e.request(http.MethodGet, p("/v3/{p}/tasklist"), nil)
			if status != tc.status {
				t.Fatalf("task list = %d %s", status, data)
			}
			var tasks rds.ListTasksResponse
			_ = json.Unmarshal(data, &tasks)
			if len(tasks.Tasks) != tc.tasks {
				t.Errorf("%d tasks, want %d: %s", len(tasks.Tasks), tc.tasks, data)
			}
		})
	}
}

func TestJob_queueDelayWithoutRequests(t *testing.T) {
	// The timers move a queued job on by themselves (the -state file follows without requests).
	srv, err := New(Options{JobQueueDelay: 30 * time.Millisecond, JobDuration: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.mu.Lock()
	target := srv.instanceLocked(MySQLTargetID)
	srv.jobs = append(srv.jobs, &job{ID: "q", TargetID: MySQLTargetID, Created: time.Now(), QueueDelay: 30 * time.Millisecond, Duration: 30 * time.Millisecond})
	srv.scheduleLocked(srv.jobs[0], time.Now())
	srv.mu.Unlock()
	statusAt := func() string {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return target.Status
	}
	if got := statusAt(); got != statusActive {
		t.Fatalf("queued: target %s", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for statusAt() != statusRestoring && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	for statusAt() != statusActive && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !srv.jobs[0].Started || !srv.jobs[0].Applied || target.Status != statusActive {
		t.Errorf("job started=%v applied=%v, target %s: the timers did not run it", srv.jobs[0].Started, srv.jobs[0].Applied, target.Status)
	}
}

func (e *env) stateJob(id string) JobRecord {
	e.t.Helper()
	for _, j := range e.state().Jobs {
		if j.ID == id {
			return j
		}
	}
	e.t.Fatalf("job %s not in the state", id)
	return JobRecord{}
}

package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

func TestSnapshotLocked_stateDump(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"fail_next_job": "boom"})
	failed := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	running := e.mustRestore(backupRestore(PostgreSQLSourceID, PostgreSQLTargetID, PostgreSQLBackupID))
	e.clock.Advance(10 * time.Second)
	third := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLManualBackupID))

	status, raw := e.admin(http.MethodGet, "/_emulator/state", nil)
	if status != http.StatusOK {
		t.Fatalf("state = %d", status)
	}
	if strings.Contains(string(raw), DemoSecretKey) {
		t.Error("the state dump holds the secret key")
	}
	// The contract's field names, read without this package's types.
	var generic struct {
		Region      string           `json:"region"`
		ProjectID   string           `json:"project_id"`
		Credentials []map[string]any `json:"credentials"`
		Instances   []map[string]any `json:"instances"`
		Backups     []map[string]any `json:"backups"`
		Jobs        []map[string]any `json:"jobs"`
	}
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	if generic.Region != DemoRegion || generic.ProjectID != DemoProjectID || len(generic.Instances) != len(DefaultSeed().Instances) ||
		len(generic.Backups) != len(DefaultSeed().Backups) || len(generic.Jobs) != 3 || generic.Credentials[0]["access_key"] != DemoAccessKey {
		t.Fatalf("state %s", raw)
	}
	for _, j := range generic.Jobs {
		for _, k := range []string{"id", "status", "instance_id", "fail_reason"} {
			if _, ok := j[k]; !ok {
				t.Errorf("job without %q: %v", k, j)
			}
		}
	}
	for _, in := range generic.Instances {
		for _, k := range []string{"id", "status", "datastore", "volume", "time_zone", "databases", "restore_time"} {
			if _, ok := in[k]; !ok {
				t.Errorf("instance without %q: %v", k, in["id"])
			}
		}
	}

	st := e.state()
	byID := map[string]JobRecord{}
	for _, j := range st.Jobs {
		byID[j.ID] = j
	}
	if j := byID[failed]; j.Status != rds.JobFailed || j.FailReason != "boom" || j.InstanceID != MySQLTargetID {
		t.Errorf("failed job %+v", j)
	}
	if j := byID[running]; j.Status != rds.JobCompleted || j.InstanceID != PostgreSQLTargetID || j.FailReason != "" {
		t.Errorf("completed job %+v", j)
	}
	if j := byID[third]; j.Status != rds.JobRunning || j.Process != "0%" {
		t.Errorf("running job %+v", j)
	}
	for _, in := range st.Instances {
		switch in.ID {
		case PostgreSQLTargetID:
			if !slices.Equal(in.Databases, []string{"app", "billing"}) || in.Status != rds.StatusActive {
				t.Errorf("restored PostgreSQL target %+v", in)
			}
		case MySQLTargetID:
			if in.Status != rds.StatusRestoring {
				t.Errorf("MySQL target %s while the third job runs", in.Status)
			}
		}
	}
}

func TestLoadStateFile_persistsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clock := &fakeClock{t: testStart}
	opts := Options{JobDuration: 10 * time.Second, StatePath: path, Clock: clock.Now}

	first, ts1 := NewTestServer(t, opts)
	e := &env{t: t, srv: first, ts: ts1, clock: clock, creds: newEnv(t, nil).creds}
	id := e.mustRestore(backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID))
	named := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	named.Source.DatabaseName = map[string]string{"sales": "sales_2024"}
	clock.Advance(4 * time.Second)
	status, _, _ := e.restore(named)
	if status != http.StatusConflict {
		t.Fatalf("named restore during a whole restore = %d", status)
	}
	ts1.Close()
	first.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), DemoSecretKey) {
		t.Error("the state file holds the secret key")
	}

	// The emulator restarts in the middle of the job: the job goes on where the clock says.
	clock.Advance(2 * time.Second)
	second, ts2 := NewTestServer(t, opts)
	e.srv, e.ts = second, ts2
	j := e.job(id)
	if j.Status != rds.JobRunning || j.Process != "60%" {
		t.Fatalf("after restart: job %+v, want Running 60%%", j)
	}
	if st := e.instance(SQLServerTargetID).Status; st != rds.StatusRestoring {
		t.Errorf("target %s after restart", st)
	}
	clock.Advance(4 * time.Second)
	if j := e.job(id); j.Status != rds.JobCompleted {
		t.Fatalf("job %+v", j)
	}
	want := []string{"hr", "inventory", "reporting", "sales"}
	if got := e.databases(SQLServerTargetID); !slices.Equal(got, want) {
		t.Errorf("databases %v, want %v", got, want)
	}
	// Windows are kept as they were resolved at the first start, not recomputed.
	var r rds.RestoreTimeResponse
	e.get(p("/v3/{p}/instances/"+PostgreSQLSourceID+"/restore-time"), &r)
	if r.RestoreTime[0].EndTime != testStart.Add(-DemoRestoreWindowLag).UnixMilli() {
		t.Errorf("window moved across the restart: %+v", r.RestoreTime)
	}

	// A third start reads the completed job from the file.
	ts2.Close()
	second.Close()
	third, ts3 := NewTestServer(t, opts)
	e.srv, e.ts = third, ts3
	if j := e.job(id); j.Status != rds.JobCompleted {
		t.Errorf("after second restart: %+v", j)
	}
	if got := e.databases(SQLServerTargetID); !slices.Equal(got, want) {
		t.Errorf("databases after second restart %v", got)
	}
}

func TestPersistLocked_writtenWhenJobEndsWithoutRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	_, ts := NewTestServer(t, Options{JobDuration: 50 * time.Millisecond, StatePath: path})
	e := &env{t: t, ts: ts, clock: &fakeClock{t: time.Now()}, creds: newEnv(t, nil).creds}
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	deadline := time.Now().Add(3 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var st State
		if err := json.Unmarshal(data, &st); err != nil {
			t.Fatal(err)
		}
		if len(st.Jobs) == 1 && st.Jobs[0].Applied {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the state file never recorded the finished job: %s", data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLoadStateFile_bad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StatePath: path}); err == nil {
		t.Fatal("a corrupt state file was accepted")
	}
}

func TestLoadStateFile_queuedJobAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clock := &fakeClock{t: testStart}
	opts := Options{JobDuration: 10 * time.Second, JobQueueDelay: 5 * time.Second, StatePath: path, Clock: clock.Now}
	first, ts1 := NewTestServer(t, opts)
	e := &env{t: t, srv: first, ts: ts1, clock: clock, creds: newEnv(t, nil).creds}
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	clock.Advance(2 * time.Second)
	ts1.Close()
	first.Close()

	// Restarted (without the option) while still queued, then after the queue delay.
	opts.JobQueueDelay = 0
	for _, step := range []struct {
		advance time.Duration
		process string
		target  string
	}{{time.Second, "0%", rds.StatusActive}, {4 * time.Second, "20%", rds.StatusRestoring}} {
		clock.Advance(step.advance)
		srv, ts := NewTestServer(t, opts)
		e.srv, e.ts = srv, ts
		if j := e.job(id); j.Status != rds.JobRunning || j.Process != step.process {
			t.Errorf("after restart: job %+v, want Running %s", j, step.process)
		}
		if st := e.instance(MySQLTargetID).Status; st != step.target {
			t.Errorf("target %s, want %s", st, step.target)
		}
		ts.Close()
		srv.Close()
	}
}

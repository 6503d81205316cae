package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

const backupsPath = "/v3/{p}/backups"

// manualBackupReply is the reply of POST /v3/{project_id}/backups, read with the test's own type.
type manualBackupReply struct {
	Backup struct {
		ID          string `json:"id"`
		InstanceID  string `json:"instance_id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		BeginTime   string `json:"begin_time"`
		Status      string `json:"status"`
		Type        string `json:"type"`
		Databases   []struct {
			Name string `json:"name"`
		} `json:"databases"`
	} `json:"backup"`
}

// takeBackup posts a manual backup that must be accepted (200) and returns its reply.
func (e *env) takeBackup(body any) manualBackupReply {
	e.t.Helper()
	status, data := e.request(http.MethodPost, p(backupsPath), body)
	if status != http.StatusOK {
		e.t.Fatalf("POST backups = %d %s, want 200", status, data)
	}
	var r manualBackupReply
	if err := json.Unmarshal(data, &r); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// listedBackup lists the instance's backups by backup_id and returns the one found.
func (e *env) listedBackup(instanceID, id string) (rds.Backup, bool) {
	e.t.Helper()
	var r rds.ListBackupsResponse
	e.get(p(backupsPath+"?instance_id="+instanceID+"&backup_id="+id), &r)
	if len(r.Backups) == 0 {
		return rds.Backup{}, false
	}
	if len(r.Backups) != 1 || r.TotalCount != 1 {
		e.t.Fatalf("backup_id filter: %+v", r)
	}
	return r.Backups[0], true
}

func TestCreateBackup_refusals(t *testing.T) {
	body := func(fields string) string { return "{" + fields + "}" }
	mysql := fmt.Sprintf(`"instance_id": %q`, MySQLTargetID)
	sqlserver := fmt.Sprintf(`"instance_id": %q`, SQLServerTargetID)
	cases := []struct {
		name       string
		body       string
		mutate     func(*Seed)
		wantStatus int
		wantCode   string
		wantInMsg  string
	}{
		{"name too short", body(mysql + `, "name": "abc"`), nil, 400, "DBS.200001", "4 to 64"},
		{"name too long", body(mysql + `, "name": "a` + strings.Repeat("b", 64) + `"`), nil, 400, "DBS.200001", "4 to 64"},
		{"name starts with a digit", body(mysql + `, "name": "1backup"`), nil, 400, "DBS.200001", "start with a letter"},
		{"name with a space", body(mysql + `, "name": "my backup"`), nil, 400, "DBS.200001", "name"},
		{"name with a dot", body(mysql + `, "name": "backup.1"`), nil, 400, "DBS.200001", "name"},
		{"no name", body(mysql), nil, 400, "DBS.200001", "name is mandatory"},
		{"no instance", body(`"name": "backup1"`), nil, 400, "DBS.200001", "instance_id is mandatory"},
		{"unknown field", body(mysql + `, "name": "backup1", "type": "manual"`), nil, 400, "DBS.200001", "type is not a parameter"},
		{"name not a string", body(mysql + `, "name": 7`), nil, 400, "DBS.200001", "name must be a string"},
		{"description with a forbidden character", body(mysql + `, "name": "backup1", "description": "a<b"`), nil, 400, "DBS.200001", "description"},
		{"databases on MySQL", body(mysql + `, "name": "backup1", "databases": [{"name": "shop_old"}]`), nil, 400, "DBS.200001", "SQL Server only"},
		{"databases not a list", body(sqlserver + `, "name": "backup1", "databases": "reporting"`), nil, 400, "DBS.200001", "a list of objects"},
		{"database item without name", body(sqlserver + `, "name": "backup1", "databases": [{}]`), nil, 400, "DBS.200001", "databases[0].name is mandatory"},
		{"no such database", body(sqlserver + `, "name": "backup1", "databases": [{"name": "nosuch"}]`), nil, 400, "DBS.280128", "nosuch"},
		{"no such instance", body(`"instance_id": "nosuchinstancein01", "name": "backup1"`), nil, 404, "DBS.200002", "nosuchinstancein01"},
		{"instance restoring", body(mysql + `, "name": "backup1"`), setStatus(MySQLTargetID, "RESTORING"), 409, "DBS.200011", "RESTORING"},
		{"instance frozen", body(mysql + `, "name": "backup1"`), setStatus(MySQLTargetID, "FROZEN"), 400, "DBS.201014", "FROZEN"},
		{"instance storage full", body(mysql + `, "name": "backup1"`), setStatus(MySQLTargetID, "STORAGE FULL"), 409, "DBS.200316", "full"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) {
				if tc.mutate != nil {
					o.Seed = DefaultSeed()
					tc.mutate(o.Seed)
				}
			})
			status, data := e.request(http.MethodPost, p(backupsPath), tc.body)
			eb := wantError(t, status, data, tc.wantStatus, tc.wantCode)
			if !strings.Contains(eb.ErrorMsg, tc.wantInMsg) {
				t.Errorf("message %q does not say %q", eb.ErrorMsg, tc.wantInMsg)
			}
			if n := len(e.state().Backups); n != len(DefaultSeed().Backups) {
				t.Errorf("%d backups: a refused backup was kept", n)
			}
		})
	}
}

func setStatus(id, status string) func(*Seed) {
	return func(s *Seed) {
		for i := range s.Instances {
			if s.Instances[i].ID == id {
				s.Instances[i].Status = status
			}
		}
	}
}

func TestCreateBackup_lifeCycle(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BackupDuration = 4 * time.Second })
	r := e.takeBackup(map[string]any{"instance_id": MySQLTargetID, "name": "before-drill_1", "description": "undo point"})
	b := r.Backup
	if b.ID == "" || b.InstanceID != MySQLTargetID || b.Name != "before-drill_1" || b.Description != "undo point" ||
		b.Status != "BUILDING" || b.Type != "manual" || b.BeginTime != "2026-03-10T08:00:00+0000" || b.Databases != nil {
		t.Fatalf("reply %+v", b)
	}

	// While it is built: BUILDING, the instance BACKING UP and busy for a restore and another backup.
	e.clock.Advance(2 * time.Second)
	if got, ok := e.listedBackup(MySQLTargetID, b.ID); !ok || got.Status != "BUILDING" || got.EndTime != "" {
		t.Fatalf("listed %+v %v, want BUILDING", got, ok)
	}
	if st := e.instance(MySQLTargetID).Status; st != "BACKING UP" {
		t.Errorf("instance %s while backing up", st)
	}
	for _, step := range []struct {
		name       string
		send       func() (int, []byte)
		wantStatus int
		wantCode   string
	}{
		{"restore onto it", func() (int, []byte) {
			s, _, d := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			return s, d
		}, 409, "DBS.200011"},
		{"another backup", func() (int, []byte) {
			return e.request(http.MethodPost, p(backupsPath), map[string]any{"instance_id": MySQLTargetID, "name": "second"})
		}, 409, "DBS.200011"},
		{"restore of the building backup", func() (int, []byte) {
			s, _, d := e.restore(backupRestore(MySQLTargetID, MySQLTargetID, b.ID))
			return s, d
		}, 409, "DBS.201205"},
		{"delete while building", func() (int, []byte) {
			return e.request(http.MethodDelete, p(backupsPath+"/"+b.ID), nil)
		}, 409, "DBS.201205"},
	} {
		status, data := step.send()
		if status != step.wantStatus || !strings.Contains(string(data), step.wantCode) {
			t.Errorf("%s = %d %s, want %d %s", step.name, status, data, step.wantStatus, step.wantCode)
		}
	}

	// Done: COMPLETED with an end time and a size, the instance ACTIVE.
	e.clock.Advance(2 * time.Second)
	got, _ := e.listedBackup(MySQLTargetID, b.ID)
	if got.Status != "COMPLETED" || got.EndTime != "2026-03-10T08:00:04+0000" || got.Size == 0 || got.Type != "manual" {
		t.Fatalf("listed %+v, want COMPLETED", got)
	}
	if st := e.instance(MySQLTargetID).Status; st != "ACTIVE" {
		t.Errorf("instance %s after the backup", st)
	}

	// It undoes a restore: restore the prod backup, then the manual one, and the databases are back.
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(10 * time.Second)
	if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"orders", "shop", "users"}) {
		t.Fatalf("databases after the drill %v", got)
	}
	undo := e.mustRestore(backupRestore(MySQLTargetID, MySQLTargetID, b.ID))
	status, data := e.request(http.MethodDelete, p(backupsPath+"/"+b.ID), nil)
	wantError(t, status, data, http.StatusConflict, "DBS.200011") // a running restore reads it
	e.clock.Advance(10 * time.Second)
	if j := e.job(undo); j.Status != rds.JobCompleted || e.job(id).Status != rds.JobCompleted {
		t.Fatalf("undo job %+v", j)
	}
	if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"shop_old"}) {
		t.Errorf("databases after the undo %v, want the ones backed up", got)
	}

	// Deleted: gone from the listing, and a second delete is 404.
	if status, data := e.request(http.MethodDelete, p(backupsPath+"/"+b.ID), nil); status != http.StatusOK || strings.TrimSpace(string(data)) != "{}" {
		t.Fatalf("delete = %d %s", status, data)
	}
	if _, ok := e.listedBackup(MySQLTargetID, b.ID); ok {
		t.Error("a deleted backup is listed")
	}
	status, data = e.request(http.MethodDelete, p(backupsPath+"/"+b.ID), nil)
	wantError(t, status, data, http.StatusNotFound, "DBS.201010")
	status, data = e.request(http.MethodDelete, p(backupsPath+"/"+MySQLBackupID), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200001") // an automated backup
}

func TestCreateBackup_sqlServerDatabases(t *testing.T) {
	e := newEnv(t, nil)
	r := e.takeBackup(map[string]any{"instance_id": SQLServerSourceID, "name": "sales-only", "databases": []map[string]string{{"name": "sales"}},
		"backup_database_individually": false})
	if len(r.Backup.Databases) != 1 || r.Backup.Databases[0].Name != "sales" {
		t.Fatalf("reply %+v", r.Backup)
	}
	e.clock.Advance(DefaultBackupDuration)
	got, _ := e.listedBackup(SQLServerSourceID, r.Backup.ID)
	if got.Status != "COMPLETED" || len(got.Databases) != 1 || got.Databases[0].Name != "sales" {
		t.Errorf("listed %+v", got)
	}
}

func TestTakeBackupFailure_failNextBackup(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"fail_next_backup": "disk full"})
	_, data := e.admin(http.MethodGet, "/_emulator/faults", nil)
	if !strings.Contains(string(data), `"fail_next_backup": [`) || !strings.Contains(string(data), "disk full") {
		t.Errorf("faults %s", data)
	}
	failed := e.takeBackup(map[string]any{"instance_id": MySQLTargetID, "name": "will-fail"}).Backup
	e.clock.Advance(DefaultBackupDuration)
	if got, _ := e.listedBackup(MySQLTargetID, failed.ID); got.Status != "FAILED" {
		t.Fatalf("listed %+v, want FAILED", got)
	}
	if st := e.instance(MySQLTargetID).Status; st != "ACTIVE" {
		t.Errorf("instance %s after a failed backup", st)
	}
	status, _, body := e.restore(backupRestore(MySQLTargetID, MySQLTargetID, failed.ID))
	wantError(t, status, body, http.StatusBadRequest, "DBS.201203")
	// Only the next one fails.
	ok := e.takeBackup(map[string]any{"instance_id": MySQLTargetID, "name": "will-pass"}).Backup
	e.clock.Advance(DefaultBackupDuration)
	if got, _ := e.listedBackup(MySQLTargetID, ok.ID); got.Status != "COMPLETED" {
		t.Errorf("listed %+v, want COMPLETED", got)
	}
}

func TestCreateBackup_requestFaults(t *testing.T) {
	cases := []struct {
		name      string
		fault     map[string]any
		wantReply bool // a reply reaches the client
		wantTaken bool // the backup exists afterwards
	}{
		{"5xx before", map[string]any{"method": "POST", "path": "/v3/*/backups", "status": 500}, true, false},
		{"drop before", map[string]any{"method": "POST", "path": "/v3/*/backups", "drop": "before"}, false, false},
		{"drop after (lost reply)", map[string]any{"method": "POST", "path": "/v3/*/backups", "drop": "after"}, false, true},
		{"taken, then 504", map[string]any{"method": "POST", "path": "/v3/*/backups", "status": 504, "taken": true}, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fault(tc.fault)
			req := e.newSigned(http.MethodPost, p(backupsPath), map[string]any{"instance_id": MySQLTargetID, "name": "token-abc123"})
			resp, err := e.ts.Client().Do(req)
			if (err == nil) != tc.wantReply {
				t.Fatalf("reply %v, err %v", resp, err)
			}
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode < 500 {
					t.Errorf("status %d, want the injected 5xx", resp.StatusCode)
				}
			}
			var r rds.ListBackupsResponse
			e.get(p(backupsPath+"?instance_id="+MySQLTargetID), &r)
			taken := len(r.Backups) == 1 && r.Backups[0].Name == "token-abc123"
			if taken != tc.wantTaken {
				t.Errorf("backup taken = %v, want %v: %+v", taken, tc.wantTaken, r.Backups)
			}
		})
	}
}

func TestCreateBackup_persistsAcrossRestart(t *testing.T) {
	path := t.TempDir() + "/state.json"
	clock := &fakeClock{t: testStart}
	opts := Options{BackupDuration: 4 * time.Second, StatePath: path, Clock: clock.Now}
	first, ts1 := NewTestServer(t, opts)
	e := &env{t: t, srv: first, ts: ts1, clock: clock, creds: newEnv(t, nil).creds}
	b := e.takeBackup(map[string]any{"instance_id": MySQLTargetID, "name": "across-restart"}).Backup
	ts1.Close()
	first.Close()
	clock.Advance(time.Second)
	second, ts2 := NewTestServer(t, opts)
	e.srv, e.ts = second, ts2
	if got, _ := e.listedBackup(MySQLTargetID, b.ID); got.Status != "BUILDING" {
		t.Fatalf("after restart %+v", got)
	}
	clock.Advance(3 * time.Second)
	if got, _ := e.listedBackup(MySQLTargetID, b.ID); got.Status != "COMPLETED" {
		t.Errorf("after its end %+v", got)
	}
	if st := e.instance(MySQLTargetID).Status; st != "ACTIVE" {
		t.Errorf("instance %s", st)
	}
}

// The state says to the nanosecond when a manual backup ended (end_time keeps whole seconds),
// and the listing never shows it.
func TestCreateBackup_endedAt(t *testing.T) {
	cases := []struct {
		name     string
		duration time.Duration
		fail     bool
		want     string
	}{
		{"whole seconds", 4 * time.Second, false, "2026-03-10T08:00:04Z"},
		{"a fraction of a second", 1500*time.Millisecond + 7, false, "2026-03-10T08:00:01.500000007Z"},
		{"failed", 2 * time.Second, true, "2026-03-10T08:00:02Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.BackupDuration = tc.duration })
			if tc.fail {
				e.fault(map[string]any{"fail_next_backup": "disk full"})
			}
			id := e.takeBackup(map[string]any{"instance_id": MySQLTargetID, "name": "ended-at"}).Backup.ID
			stateBackup := func() Backup {
				for _, b := range e.state().Backups {
					if b.ID == id {
						return b
					}
				}
				t.Fatalf("backup %s not in the state", id)
				return Backup{}
			}
			if b := stateBackup(); b.EndedAt != "" {
				t.Errorf("ended_at %q while building", b.EndedAt)
			}
			e.clock.Advance(tc.duration + time.Second)
			if b := stateBackup(); b.EndedAt != tc.want {
				t.Errorf("ended_at %q (status %s), want %q", b.EndedAt, b.Status, tc.want)
			}
			if _, data := e.request(http.MethodGet, p(backupsPath+"?instance_id="+MySQLTargetID+"&backup_id="+id), nil); strings.Contains(string(data), "ended_at") {
				t.Errorf("the listing shows ended_at: %s", data)
			}
		})
	}
}

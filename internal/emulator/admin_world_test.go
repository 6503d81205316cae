package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

func TestPostBackup_added(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		check func(t *testing.T, b Backup)
	}{
		{"defaults: auto, COMPLETED, ending now", `{"instance_id": "` + MySQLSourceID + `"}`, func(t *testing.T, b Backup) {
			if b.Type != "auto" || b.Status != "COMPLETED" || b.EndTime != "2026-03-10T08:00:00+0000" ||
				b.BeginTime != "2026-03-10T07:55:00+0000" || b.Size == 0 || b.Datastore.Type != "MySQL" ||
				b.Name != "mysql57-prod-auto-20260310075500" || len(b.ID) != 36 {
				t.Errorf("backup %+v", b)
			}
		}},
		{"given name, type, times", `{"instance_id": "` + MySQLSourceID + `", "name": "night-2", "type": "manual",
			"begin_time": "2026-03-10T01:00:00+0000", "end_time": "2026-03-10T01:07:00+0000"}`, func(t *testing.T, b Backup) {
			if b.Name != "night-2" || b.Type != "manual" || b.BeginTime != "2026-03-10T01:00:00+0000" || b.EndTime != "2026-03-10T01:07:00+0000" {
				t.Errorf("backup %+v", b)
			}
		}},
		{"RFC 3339 end only", `{"instance_id": "` + MySQLSourceID + `", "end_time": "2026-03-10T09:30:00+08:00"}`, func(t *testing.T, b Backup) {
			if b.EndTime != "2026-03-10T01:30:00+0000" || b.BeginTime != "2026-03-10T01:25:00+0000" {
				t.Errorf("backup %+v", b)
			}
		}},
		{"BUILDING has no end", `{"instance_id": "` + MySQLSourceID + `", "status": "BUILDING"}`, func(t *testing.T, b Backup) {
			if b.Status != "BUILDING" || b.EndTime != "" || b.BeginTime != "2026-03-10T08:00:00+0000" {
				t.Errorf("backup %+v", b)
			}
		}},
		{"SQL Server lists its databases", `{"instance_id": "` + SQLServerSourceID + `", "databases": [{"name": "sales"}]}`, func(t *testing.T, b Backup) {
			if len(b.Databases) != 1 || b.Databases[0].Name != "sales" {
				t.Errorf("backup %+v", b)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.admin(http.MethodPost, AdminBackupsPath, tc.body)
			if status != http.StatusOK {
				t.Fatalf("POST = %d %s", status, data)
			}
			var b Backup
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatal(err)
			}
			tc.check(t, b)
			// It is listed as the API lists it, and the reply is that listing's item.
			var r rds.ListBackupsResponse
			e.get(p(backupsPath+"?instance_id="+b.InstanceID+"&backup_id="+b.ID), &r)
			if len(r.Backups) != 1 || r.Backups[0].Name != b.Name || r.Backups[0].EndTime != b.EndTime || r.Backups[0].Status != b.Status {
				t.Errorf("listed %+v, answered %s", r.Backups, data)
			}
			var generic map[string]any
			_ = json.Unmarshal(data, &generic)
			if bad := checkFields(generic, "BackupForList", "reply"); len(bad) > 0 {
				t.Errorf("reply fields %v", bad)
			}
		})
	}
}

func TestPostBackup_restorableNextNight(t *testing.T) {
	// Night two: an automated backup of the source taken now, with a database added since.
	e := newEnv(t, nil)
	status, data := e.admin(http.MethodPost, AdminBackupsPath, map[string]any{
		"instance_id": MySQLSourceID, "databases": []map[string]string{{"name": "shop"}, {"name": "payments"}}})
	if status != http.StatusOK {
		t.Fatalf("POST = %d %s", status, data)
	}
	var b Backup
	_ = json.Unmarshal(data, &b)
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, b.ID))
	e.clock.Advance(10 * time.Second)
	if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"payments", "shop"}) {
		t.Errorf("databases %v, want the added backup's", got)
	}
}

func TestPostBackup_refusals(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"no instance", `{}`, "instance_id is required"},
		{"unknown instance", `{"instance_id": "nosuch"}`, `instance_id "nosuch": no such instance`},
		{"unknown field", `{"instance_id": "` + MySQLSourceID + `", "kind": "auto"}`, "unknown field"},
		{"bad type", `{"instance_id": "` + MySQLSourceID + `", "type": "nightly"}`, `type "nightly"`},
		{"bad status", `{"instance_id": "` + MySQLSourceID + `", "status": "DONE"}`, `status "DONE"`},
		{"bad time", `{"instance_id": "` + MySQLSourceID + `", "end_time": "yesterday"}`, `end_time "yesterday"`},
		{"end before begin", `{"instance_id": "` + MySQLSourceID + `", "begin_time": "2026-03-10T02:00:00+0000", "end_time": "2026-03-10T01:00:00+0000"}`, "is before begin_time"},
		{"BUILDING with an end", `{"instance_id": "` + MySQLSourceID + `", "status": "BUILDING", "end_time": "2026-03-10T01:00:00+0000"}`, "no end time"},
		{"duplicate id", `{"instance_id": "` + MySQLSourceID + `", "id": "` + MySQLBackupID + `"}`, "exists"},
		{"empty database name", `{"instance_id": "` + MySQLSourceID + `", "databases": [{"name": ""}]}`, "databases[0]"},
		{"not json", `{`, "backup:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.admin(http.MethodPost, AdminBackupsPath, tc.body)
			var ae AdminError
			_ = json.Unmarshal(data, &ae)
			if status != http.StatusBadRequest || !strings.Contains(ae.Error, tc.want) {
				t.Errorf("POST = %d %s, want 400 saying %q", status, data, tc.want)
			}
			if n := len(e.state().Backups); n != len(DefaultSeed().Backups) {
				t.Errorf("%d backups after a refusal", n)
			}
		})
	}
}

func TestPatchInstance_changes(t *testing.T) {
	now := testStart.UnixMilli()
	cases := []struct {
		name  string
		body  string
		check func(t *testing.T, e *env, in SeedInstance)
	}{
		{"status FROZEN refuses restores", `{"status": "FROZEN"}`, func(t *testing.T, e *env, in SeedInstance) {
			if in.Status != "FROZEN" || e.instance(MySQLTargetID).Status != "FROZEN" {
				t.Errorf("status %s", in.Status)
			}
			status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			wantError(t, status, data, http.StatusBadRequest, "DBS.201014")
		}},
		{"tags replaced", `{"tags": [{"key": "env", "value": "prod"}, {"key": "tier", "value": "critical"}]}`, func(t *testing.T, e *env, in SeedInstance) {
			want := `[{"key":"env","value":"prod"},{"key":"tier","value":"critical"}]`
			if got := rawInstanceTags(t, e.srv, MySQLTargetID); got != want {
				t.Errorf("listed tags %s", got)
			}
		}},
		{"tags cleared", `{"tags": []}`, func(t *testing.T, e *env, in SeedInstance) {
			if got := rawInstanceTags(t, e.srv, MySQLTargetID); got != "[]" {
				t.Errorf("listed tags %s", got)
			}
		}},
		{"databases replaced", `{"databases": ["shop", "audit"]}`, func(t *testing.T, e *env, in SeedInstance) {
			if got := e.databases(MySQLTargetID); !slices.Equal(got, []string{"shop", "audit"}) {
				t.Errorf("databases %v", got)
			}
		}},
		{"a window ending now", `{"restore_time_relative": [{"start": "-24h", "end": "0s"}]}`, func(t *testing.T, e *env, in SeedInstance) {
			var r rds.RestoreTimeResponse
			e.get(p("/v3/{p}/instances/"+MySQLTargetID+"/restore-time"), &r)
			if len(r.RestoreTime) != 1 || r.RestoreTime[0].EndTime != now || r.RestoreTime[0].StartTime != now-24*3600*1000 {
				t.Errorf("windows %+v", r.RestoreTime)
			}
		}},
		{"absolute and relative windows", `{"restore_time": [{"start_time": 1000, "end_time": 2000}], "restore_time_relative": [{"start": "-1h", "end": "-1m"}]}`, func(t *testing.T, e *env, in SeedInstance) {
			if len(in.RestoreTime) != 2 || in.RestoreTime[0].EndTime != 2000 || in.RestoreTime[1].EndTime != now-60*1000 || in.RestoreTimeRelative != nil {
				t.Errorf("windows %+v", in.RestoreTime)
			}
		}},
		{"windows cleared", `{"restore_time": []}`, func(t *testing.T, e *env, in SeedInstance) {
			var r rds.RestoreTimeResponse
			e.get(p("/v3/{p}/instances/"+MySQLTargetID+"/restore-time"), &r)
			if len(r.RestoreTime) != 0 {
				t.Errorf("windows %+v", r.RestoreTime)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.admin(http.MethodPatch, AdminInstancesPath+"/"+MySQLTargetID, tc.body)
			if status != http.StatusOK {
				t.Fatalf("PATCH = %d %s", status, data)
			}
			var in SeedInstance
			if err := json.Unmarshal(data, &in); err != nil || in.ID != MySQLTargetID {
				t.Fatalf("reply %s: %v", data, err)
			}
			tc.check(t, e, in)
		})
	}
}

func TestPatchInstance_refusals(t *testing.T) {
	cases := []struct {
		name, path, method, body string
		wantStatus               int
		want                     string
	}{
		{"unknown status", MySQLTargetID, http.MethodPatch, `{"status": "SLEEPING"}`, 400, `status "SLEEPING" is not an instance status`},
		{"tag without key", MySQLTargetID, http.MethodPatch, `{"tags": [{"key": "", "value": "x"}]}`, 400, "key is required"},
		{"tag key twice", MySQLTargetID, http.MethodPatch, `{"tags": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]}`, 400, "given twice"},
		{"empty database", MySQLTargetID, http.MethodPatch, `{"databases": [""]}`, 400, "databases[0]"},
		{"window backwards", MySQLTargetID, http.MethodPatch, `{"restore_time": [{"start_time": 2000, "end_time": 1000}]}`, 400, "before start_time"},
		{"relative window in the future", MySQLTargetID, http.MethodPatch, `{"restore_time_relative": [{"start": "-1h", "end": "1h"}]}`, 400, "in the future"},
		{"bad duration", MySQLTargetID, http.MethodPatch, `{"restore_time_relative": [{"start": "yesterday", "end": "0s"}]}`, 400, "duration"},
		{"unknown field", MySQLTargetID, http.MethodPatch, `{"state": "ACTIVE"}`, 400, "unknown field"},
		{"nothing to change", MySQLTargetID, http.MethodPatch, `{}`, 400, "nothing to change"},
		{"unknown instance", "nosuch", http.MethodPatch, `{"status": "ACTIVE"}`, 404, "no such instance"},
		{"wrong method", MySQLTargetID, http.MethodPost, `{"status": "ACTIVE"}`, 405, "PATCH"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.admin(tc.method, AdminInstancesPath+"/"+tc.path, tc.body)
			var ae AdminError
			_ = json.Unmarshal(data, &ae)
			if status != tc.wantStatus || !strings.Contains(ae.Error, tc.want) {
				t.Errorf("%s = %d %s, want %d saying %q", tc.method, status, data, tc.wantStatus, tc.want)
			}
			if in := e.instance(MySQLTargetID); in.Status != "ACTIVE" {
				t.Errorf("instance changed by a refused patch: %s", in.Status)
			}
		})
	}
}

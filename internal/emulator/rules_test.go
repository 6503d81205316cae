package emulator

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// The emulator refuses what the rules package says the API refuses, with the rule's code and
// status and its detail as error_msg. A few representative rules; the rules package tests all.
func TestCheckBody_ruleRejections(t *testing.T) {
	ms := func(d time.Duration) *int64 { v := testStart.Add(d).UnixMilli(); return &v }
	cases := []struct {
		name   string
		req    rds.RestoreRequest
		status int
		code   string
		msg    string // part of error_msg
	}{
		{"engine mismatch", backupRestore(MySQLSourceID, PostgreSQLTargetID, MySQLBackupID), 400, "DBS.200037", "MySQL"},
		{"backup not found", backupRestore(MySQLSourceID, MySQLTargetID, "2f4ddb93-0000-0000-0000-000000000000"), 404, "DBS.201010", "was not found"},
		{"backup of another instance", backupRestore(MySQLSourceID, MySQLTargetID, MySQL80BackupID), 404, "DBS.201010", MySQL80ID},
		{"backup still building", backupRestore(MySQLSourceID, MySQLTargetID, MySQLBuildingBackupID), 409, "DBS.201205", "BUILDING"},
		{"source not found", backupRestore("nosuchin01", MySQLTargetID, MySQLBackupID), 404, "DBS.200013", "nosuchin01"},
		{"target not found", backupRestore(MySQLSourceID, "nosuchin01", MySQLBackupID), 404, "DBS.200002", "nosuchin01"},
		{"MySQL 8.0 onto 5.7", backupRestore(MySQL80ID, MySQLTargetID, MySQL80BackupID), 400, "DBS.200037", "older major version"},
		{"MySQL target too small", backupRestore(MySQLSourceID, MySQLSmallID, MySQLBackupID), 400, "DBS.200001", "40 GB"},
		{"PostgreSQL versions differ", backupRestore(PostgreSQLSourceID, PostgreSQL14ID, PostgreSQLBackupID), 400, "DBS.200037", "14"},
		{"SQL Server time zones differ", backupRestore(SQLServerSourceID, SQLServerUTCID, SQLServerBackupID), 400, "DBS.200001", "time zone"},
		{"SQL Server 2017 onto 2014", backupRestore(SQLServerSourceID, SQLServer2014ID, SQLServerBackupID), 400, "DBS.200037", "2014"},
		{"database_name for MySQL", func() rds.RestoreRequest {
			r := backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID)
			r.Source.DatabaseName = map[string]string{"shop": "shop2"}
			return r
		}(), 400, "DBS.200001", "SQL Server"},
		{"database renamed to itself", func() rds.RestoreRequest {
			r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
			r.Source.DatabaseName = map[string]string{"sales": "sales"}
			return r
		}(), 400, "DBS.200001", "sales"},
		{"database not in the backup", func() rds.RestoreRequest {
			r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
			r.Source.DatabaseName = map[string]string{"payroll": "payroll2"}
			return r
		}(), 400, "DBS.280128", "payroll"},
		{"restore time outside the windows", rds.RestoreRequest{
			Source: rds.RestoreSource{InstanceID: MySQLSourceID, Type: "timestamp", RestoreTime: ms(-DemoRestoreGapStart - 30*time.Minute)},
			Target: rds.RestoreTarget{InstanceID: MySQLTargetID},
		}, 400, "DBS.200001", "restorable"},
		{"both backup_id and restore_time", rds.RestoreRequest{
			Source: rds.RestoreSource{InstanceID: MySQLSourceID, BackupID: MySQLBackupID, RestoreTime: ms(-time.Hour)},
			Target: rds.RestoreTarget{InstanceID: MySQLTargetID},
		}, 400, "DBS.200001", ""},
		{"missing target", rds.RestoreRequest{Source: rds.RestoreSource{InstanceID: MySQLSourceID, BackupID: MySQLBackupID}}, 400, "DBS.200001", "target.instance_id"},
	}
	e := newEnv(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, data := e.restore(tc.req)
			eb := wantError(t, status, data, tc.status, tc.code)
			if !strings.Contains(eb.ErrorMsg, tc.msg) {
				t.Errorf("error_msg %q does not mention %q", eb.ErrorMsg, tc.msg)
			}
			// No real reply names this project's rule ids.
			if ruleID.MatchString(eb.ErrorMsg) {
				t.Errorf("error_msg names a project rule id: %q", eb.ErrorMsg)
			}
		})
	}
	if n := len(e.state().Jobs); n != 0 {
		t.Errorf("%d jobs created by refused restores", n)
	}
}

// ruleID matches a reference to the project's rule catalogue ("rule A10", "(S4)").
var ruleID = regexp.MustCompile(`\brules? [AS]\d+\b|\([AS]\d+\)`)

func TestCheckBody_ruleAcceptances(t *testing.T) {
	at := testStart.Add(-time.Hour).UnixMilli()
	yes, no := true, false
	withAll := func(r rds.RestoreRequest, v *bool) rds.RestoreRequest { r.Source.RestoreAllDatabase = v; return r }
	cases := []struct {
		name string
		req  rds.RestoreRequest
	}{
		{"MySQL backup", backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID)},
		{"type omitted with backup_id", rds.RestoreRequest{Source: rds.RestoreSource{InstanceID: MySQLSourceID, BackupID: MySQLBackupID}, Target: rds.RestoreTarget{InstanceID: MySQLTargetID}}},
		{"PostgreSQL point in time", rds.RestoreRequest{Source: rds.RestoreSource{InstanceID: PostgreSQLSourceID, Type: "timestamp", RestoreTime: &at}, Target: rds.RestoreTarget{InstanceID: PostgreSQLTargetID}}},
		{"SQL Server 2014 onto 2017", backupRestore(SQLServer2014ID, SQLServerTargetID, SQLServer2014BackupID)},
		// The real API accepts and ignores restore_all_database outside SQL Server: the official
		// provider sends true on every MySQL restore.
		{"restore_all_database true for MySQL", withAll(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID), &yes)},
		{"restore_all_database false for MySQL", withAll(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID), &no)},
		{"restore_all_database true for PostgreSQL", withAll(backupRestore(PostgreSQLSourceID, PostgreSQLTargetID, PostgreSQLBackupID), &yes)},
		{"the restore API's correct example", func() rds.RestoreRequest {
			r := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
			r.Source.DatabaseName = map[string]string{"sales": "sales,sales1,sales2", "hr": "hr1,hr2", "inventory": ""}
			return r
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			if status, _, data := e.restore(tc.req); status != http.StatusAccepted {
				t.Fatalf("restore = %d %s", status, data)
			}
		})
	}
}

func TestCheckBody_malformedRestoreBody(t *testing.T) {
	e := newEnv(t, nil)
	for _, body := range []string{"", "{", `{"source":{"instance_id":1}}`, `{"source":{"restore_time":"yesterday"}}`} {
		status, data := e.request(http.MethodPost, p("/v3.1/{p}/instances/recovery"), body)
		wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	}
}

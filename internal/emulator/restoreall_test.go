package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// What an SQL Server target holds after a restore, for each combination of database_name and
// restore_all_database (the emulator guide has the same table). The backup holds sales, hr and
// inventory; the target has reporting.
func TestRestoredDatabases_sqlServerRestoreAllDatabase(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name         string
		databaseName map[string]string
		restoreAll   *bool
		want         string
	}{
		{"no database_name", nil, nil, "hr,inventory,reporting,sales"},
		{"no database_name, restore_all_database false", nil, &no, "hr,inventory,reporting,sales"},
		{"no database_name, restore_all_database true", nil, &yes, "hr,inventory,reporting,sales"},
		{"database_name", map[string]string{"sales": "sales_copy"}, nil, "reporting,sales_copy"},
		{"database_name, restore_all_database false", map[string]string{"sales": "sales_copy"}, &no, "reporting,sales_copy"},
		{"database_name, restore_all_database true", map[string]string{"sales": "sales_copy"}, &yes, "hr,inventory,reporting,sales_copy"},
		{"database_name keeping a name, restore_all_database true", map[string]string{"sales": "", "hr": "hr1,hr2"}, &yes, "hr1,hr2,inventory,reporting,sales"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			req := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
			req.Source.DatabaseName = tc.databaseName
			req.Source.RestoreAllDatabase = tc.restoreAll
			id := e.mustRestore(req)
			e.clock.Advance(11 * time.Second)
			if j := e.job(id); j.Status != rds.JobCompleted {
				t.Fatalf("job %+v", j)
			}
			if got := strings.Join(e.databases(SQLServerTargetID), ","); got != tc.want {
				t.Errorf("target holds %s, want %s", got, tc.want)
			}
		})
	}
}

// While a restore_all_database restore with database_name runs, every database it brings is
// listed as Creating.
func TestPendingDatabasesLocked_sqlServerRestoreAllDatabase(t *testing.T) {
	e := newEnv(t, nil)
	yes := true
	req := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	req.Source.DatabaseName = map[string]string{"sales": "sales_copy"}
	req.Source.RestoreAllDatabase = &yes
	e.mustRestore(req)
	var r rds.ListDatabasesResponse
	e.get(p("/v3/{p}/instances/"+SQLServerTargetID+"/database/detail?page=1&limit=100"), &r)
	var creating []string
	for _, d := range r.Databases {
		if d.State == "Creating" {
			creating = append(creating, d.Name)
		}
	}
	if got := strings.Join(creating, ","); got != "sales_copy,hr,inventory" {
		t.Errorf("creating %s", got)
	}
}

package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// restoreBody is a restore body written by hand, as a client outside the project would send it.
func restoreBody(source string) string {
	return fmt.Sprintf(`{"source": {%s}, "target": {"instance_id": %q}}`, source, MySQLTargetID)
}

func TestCheckBody_strictRestoreBody(t *testing.T) {
	src := fmt.Sprintf(`"instance_id": %q`, MySQLSourceID)
	backup := fmt.Sprintf(`%s, "type": "backup", "backup_id": %q`, src, MySQLBackupID)
	at := testStart.Add(-time.Hour).UnixMilli()
	for _, tc := range []struct {
		name, path, body string
		field            string // the field error_msg must name
	}{
		{"misspelled database_names", "v3.1", restoreBody(backup + `, "database_names": {"shop": "shop2"}`), "source.database_names"},
		{"unknown top-level field", "v3.1", `{"source": {` + backup + `}, "target": {"instance_id": "x"}, "dry_run": true}`, "dry_run"},
		{"unknown target field", "v3.1", `{"source": {` + backup + `}, "target": {"instance_id": "x", "name": "y"}}`, "target.name"},
		{"restore_all_database on /v3/", "v3", restoreBody(backup + `, "restore_all_database": true`), "source.restore_all_database"},
		{"restore_time as a string", "v3.1", restoreBody(fmt.Sprintf(`%s, "type": "timestamp", "restore_time": "%d"`, src, at)), "source.restore_time"},
		{"restore_time with a fraction", "v3.1", restoreBody(fmt.Sprintf(`%s, "type": "timestamp", "restore_time": %d.5`, src, at)), "source.restore_time"},
		{"database_name as a list", "v3.1", restoreBody(backup + `, "database_name": ["shop"]`), "source.database_name"},
		{"database_name value not a string", "v3.1", restoreBody(backup + `, "database_name": {"shop": 1}`), "source.database_name.shop"},
		{"restore_all_database as a string", "v3.1", restoreBody(backup + `, "restore_all_database": "true"`), "source.restore_all_database"},
		{"instance_id as a number", "v3.1", restoreBody(`"instance_id": 1`), "source.instance_id"},
		{"source missing", "v3.1", fmt.Sprintf(`{"target": {"instance_id": %q}}`, MySQLTargetID), "source"},
		{"target missing", "v3.1", `{"source": {` + backup + `}}`, "target"},
		{"source.instance_id missing", "v3.1", restoreBody(fmt.Sprintf(`"type": "backup", "backup_id": %q`, MySQLBackupID)), "source.instance_id"},
		{"source.instance_id empty", "v3.1", restoreBody(`"instance_id": ""`), "source.instance_id"},
		{"target.instance_id missing", "v3.1", `{"source": {` + backup + `}, "target": {}}`, "target.instance_id"},
		{"source not an object", "v3.1", `{"source": "x", "target": {"instance_id": "y"}}`, "source"},
		{"type missing with restore_time", "v3.1", restoreBody(fmt.Sprintf(`%s, "restore_time": %d`, src, at)), "source.type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.request(http.MethodPost, p("/"+tc.path+"/{p}/instances/recovery"), tc.body)
			eb := wantError(t, status, data, http.StatusBadRequest, codeBadParameter)
			if !strings.Contains(eb.ErrorMsg, tc.field) {
				t.Errorf("error_msg %q does not name %s", eb.ErrorMsg, tc.field)
			}
			if n := len(e.state().Jobs); n != 0 {
				t.Errorf("a refused body started %d jobs", n)
			}
		})
	}
}

func TestCheckBody_acceptsTheDocumentedForms(t *testing.T) {
	at := testStart.Add(-time.Hour).UnixMilli()
	for _, tc := range []struct{ name, path, body string }{
		{"backup without type", "v3.1", restoreBody(fmt.Sprintf(`"instance_id": %q, "backup_id": %q`, MySQLSourceID, MySQLBackupID))},
		{"timestamp", "v3.1", restoreBody(fmt.Sprintf(`"instance_id": %q, "type": "timestamp", "restore_time": %d`, MySQLSourceID, at))},
		{"nulls are absent", "v3.1", restoreBody(fmt.Sprintf(`"instance_id": %q, "type": "backup", "backup_id": %q, "restore_time": null, "database_name": null`, MySQLSourceID, MySQLBackupID))},
		{"the older /v3/ path", "v3", restoreBody(fmt.Sprintf(`"instance_id": %q, "type": "backup", "backup_id": %q`, MySQLSourceID, MySQLBackupID))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			status, data := e.request(http.MethodPost, p("/"+tc.path+"/{p}/instances/recovery"), tc.body)
			if status != http.StatusAccepted {
				t.Fatalf("restore = %d %s", status, data)
			}
		})
	}
}

func TestCheckBody_ignoreUnknownFields(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.IgnoreUnknownFields = true })
	body := restoreBody(fmt.Sprintf(`"instance_id": %q, "type": "backup", "backup_id": %q, "database_names": {"shop": "x"}`, MySQLSourceID, MySQLBackupID))
	status, data := e.request(http.MethodPost, p("/v3.1/{p}/instances/recovery"), body)
	if status != http.StatusAccepted {
		t.Fatalf("with unknown fields ignored, restore = %d %s", status, data)
	}
	// The ignored field had no effect: the whole backup was restored, nothing renamed.
	e.clock.Advance(11 * time.Second)
	if got := strings.Join(e.databases(MySQLTargetID), ","); got != "orders,shop,users" {
		t.Errorf("target databases %s", got)
	}
	// Wrong types and missing fields are refused all the same.
	status, data = e.request(http.MethodPost, p("/v3.1/{p}/instances/recovery"), restoreBody(`"instance_id": 1`))
	wantError(t, status, data, http.StatusBadRequest, codeBadParameter)
	// v3 with restore_all_database: ignored, like any unknown field.
	body = restoreBody(fmt.Sprintf(`"instance_id": %q, "type": "backup", "backup_id": %q, "restore_all_database": true`, MySQLSourceID, MySQLBackupID))
	if status, data := e.request(http.MethodPost, p("/v3/{p}/instances/recovery"), body); status != http.StatusAccepted {
		t.Fatalf("v3 with restore_all_database ignored = %d %s", status, data)
	}
}

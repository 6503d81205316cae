package emulator

import (
	"net/http"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// A "taken" status fault: the restore takes effect, and the client gets the fault's status
// instead of the 202. Without "taken", the same status means the request did nothing.
func TestFault_takenThenStatus(t *testing.T) {
	for _, tc := range []struct {
		taken    bool
		status   int
		code     string
		wantJobs int
	}{
		{true, 500, "DBS.111205", 1},
		{false, 500, "DBS.111205", 0},
		{true, 504, "APIGW.0202", 1},
		{false, 502, "APIGW.0201", 0},
	} {
		e := newEnv(t, nil)
		e.fault(map[string]any{"method": "POST", "path": restorePattern, "status": tc.status, "error_code": tc.code, "taken": tc.taken})
		status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
		wantError(t, status, data, tc.status, tc.code)
		if jobs := e.state().Jobs; len(jobs) != tc.wantJobs {
			t.Errorf("taken=%v %d %s: %d jobs, want %d", tc.taken, tc.status, tc.code, len(jobs), tc.wantJobs)
		}
		r := e.requests()[0]
		if tc.taken && (r.Fault != "taken-then-status" || r.EffectStatus != http.StatusAccepted || r.Status != tc.status) {
			t.Errorf("logged %+v", r)
		}
		if want := map[bool]string{true: rds.StatusRestoring, false: rds.StatusActive}[tc.taken]; e.instance(MySQLTargetID).Status != want {
			t.Errorf("taken=%v: target %s, want %s", tc.taken, e.instance(MySQLTargetID).Status, want)
		}
	}
	e := newEnv(t, nil)
	if code, _ := e.admin(http.MethodPost, "/_emulator/faults", map[string]any{"path": restorePattern, "taken": true}); code != http.StatusBadRequest {
		t.Errorf("taken without a status: HTTP %d, want 400", code)
	}
}

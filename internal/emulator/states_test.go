package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestStuckTargetError_restoreOntoEveryState(t *testing.T) {
	// A restore onto a target in each documented state: transient states are busy (409
	// DBS.200011, which a client may wait out); states an instance does not leave by itself have
	// their own codes.
	cases := []struct {
		status     string
		wantStatus int
		wantCode   string
	}{
		{"ACTIVE", http.StatusAccepted, ""},
		{"BUILD", http.StatusConflict, "DBS.200011"},
		{"MODIFYING", http.StatusConflict, "DBS.200011"},
		{"REBOOTING", http.StatusConflict, "DBS.200011"},
		{"RESTORING", http.StatusConflict, "DBS.200011"},
		{"MODIFYING INSTANCE TYPE", http.StatusConflict, "DBS.200011"},
		{"SWITCHOVER", http.StatusConflict, "DBS.200011"},
		{"MIGRATING", http.StatusConflict, "DBS.200011"},
		{"BACKING UP", http.StatusConflict, "DBS.200011"},
		{"MODIFYING DATABASE PORT", http.StatusConflict, "DBS.200011"},
		{"FROZEN", http.StatusBadRequest, "DBS.201014"},
		{"FAILED", http.StatusBadRequest, "DBS.200086"},
		{"CREATE FAIL", http.StatusBadRequest, "DBS.200086"},
		{"SHUTDOWN", http.StatusBadRequest, "DBS.200086"},
		{"STORAGE FULL", http.StatusConflict, "DBS.200316"},
	}
	if len(cases) != len(instanceStatuses) {
		t.Fatalf("%d rows for %d documented states", len(cases), len(instanceStatuses))
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			seed := DefaultSeed()
			for i := range seed.Instances {
				if seed.Instances[i].ID == MySQLTargetID {
					seed.Instances[i].Status = tc.status
				}
			}
			e := newEnv(t, func(o *Options) { o.Seed = seed })
			status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			if tc.wantCode == "" {
				if status != tc.wantStatus {
					t.Fatalf("restore = %d %s", status, data)
				}
				return
			}
			eb := wantError(t, status, data, tc.wantStatus, tc.wantCode)
			if len(e.state().Jobs) != 0 {
				t.Error("a refused restore made a job")
			}
			if tc.wantStatus == http.StatusBadRequest && !strings.Contains(eb.ErrorMsg, tc.status) {
				t.Errorf("message %q does not name the state", eb.ErrorMsg)
			}
		})
	}
}

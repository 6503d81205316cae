package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

const restorePattern = "/v3.1/*/instances/recovery"

func TestFault_status(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "POST", "path": restorePattern, "count": 2,
		"status": 500, "error_code": "DBS.108000", "error_msg": "internal error"})
	for i := 0; i < 2; i++ {
		status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
		eb := wantError(t, status, data, http.StatusInternalServerError, "DBS.108000")
		if eb.ErrorMsg != "internal error" {
			t.Errorf("error_msg %q", eb.ErrorMsg)
		}
	}
	if n := len(e.state().Jobs); n != 0 {
		t.Fatalf("%d jobs after faulted restores", n)
	}
	// The count is used up: the third goes through.
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))

	recs := e.requests()
	if len(recs) != 3 {
		t.Fatalf("%d requests logged, want 3", len(recs))
	}
	for i, r := range recs[:2] {
		if r.Status != 500 || r.ErrorCode != "DBS.108000" || r.Fault != "status" {
			t.Errorf("request %d logged as %+v", i, r)
		}
	}
	if recs[2].Status != http.StatusAccepted || recs[2].ErrorCode != "" {
		t.Errorf("third request logged as %+v", recs[2])
	}
}

func TestFault_matchesMethodAndOneSegment(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "GET", "path": "/v3/*/instances", "status": 503})
	// Another method, a longer path and the IAM path do not match.
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	if status, data := e.request(http.MethodGet, p("/v3/{p}/instances/"+MySQLSourceID+"/configurations"), nil); status != 200 {
		t.Fatalf("configurations = %d %s", status, data)
	}
	status, data := e.request(http.MethodGet, p("/v3/{p}/instances?limit=1"), nil)
	wantError(t, status, data, http.StatusServiceUnavailable, "DBS.108000")
}

func TestFault_patternWithQueryAndAnyMethod(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "*", "path": "/v3/*/jobs?id=abc", "status": 502})
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs?id=other"), nil)
	wantError(t, status, data, http.StatusBadGateway, "DBS.108000")
}

func TestFault_delay(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "GET", "path": "/v3/*/jobs", "count": 1, "delay_ms": 150})
	start := time.Now()
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs?id=ff80808157127d9301571bf8160c001d"), nil)
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Errorf("answered after %v, want at least 150ms", elapsed)
	}
	// A delay alone lets the request through to its normal answer.
	wantError(t, status, data, http.StatusBadRequest, "DBS.200543")
	start = time.Now()
	e.request(http.MethodGet, p("/v3/{p}/jobs?id=x"), nil)
	if elapsed := time.Since(start); elapsed > 100*time.Millisecond {
		t.Errorf("second request delayed too (%v): count was 1", elapsed)
	}
	if r := e.requests()[0]; r.Fault != "delay" || r.Status != 400 {
		t.Errorf("logged %+v", r)
	}
}

func TestFault_dropBefore(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "POST", "path": restorePattern, "count": 1, "drop": "before"})
	req := e.newSigned(http.MethodPost, p("/v3.1/{p}/instances/recovery"), backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	if resp, err := e.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got a reply (%d), want a dropped connection", resp.StatusCode)
	}
	st := e.state()
	if len(st.Jobs) != 0 {
		t.Fatalf("drop before created a job: %+v", st.Jobs)
	}
	if r := e.requests()[0]; r.Status != 0 || r.Fault != "drop-before" {
		t.Errorf("logged %+v", r)
	}
	if got := e.instance(MySQLTargetID).Status; got != rds.StatusActive {
		t.Errorf("target %s after a dropped request", got)
	}
}

func TestFault_dropAfter(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"method": "POST", "path": restorePattern, "count": 1, "drop": "after"})
	req := e.newSigned(http.MethodPost, p("/v3.1/{p}/instances/recovery"), backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	if resp, err := e.ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got a reply (%d), want a dropped connection", resp.StatusCode)
	}
	st := e.state()
	if len(st.Jobs) != 1 || st.Jobs[0].InstanceID != MySQLTargetID || st.Jobs[0].Status != rds.JobRunning {
		t.Fatalf("drop after: jobs %+v, want the restore to have taken effect", st.Jobs)
	}
	if r := e.requests()[0]; r.Status != 0 || r.Fault != "drop-after" || r.EffectStatus != http.StatusAccepted {
		t.Errorf("logged %+v", r)
	}
	// A client that retries blindly now hits the busy target.
	status, _, data := e.restore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	wantError(t, status, data, http.StatusConflict, "DBS.200011")
}

func TestTakeJobFailure_failNextJob(t *testing.T) {
	e := newEnv(t, nil)
	e.fault(map[string]any{"fail_next_job": "Restoration failed: disk I/O error"})
	failed := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(5 * time.Second)
	if j := e.job(failed); j.Status != rds.JobRunning || j.FailReason != "" {
		t.Fatalf("job %+v, want Running without a reason yet", j)
	}
	e.clock.Advance(5 * time.Second)
	j := e.job(failed)
	if j.Status != rds.JobFailed || j.FailReason != "Restoration failed: disk I/O error" || j.Ended == "" {
		t.Fatalf("job %+v, want Failed with the reason", j)
	}
	if got := e.databases(MySQLTargetID); len(got) != 1 || got[0] != "shop_old" {
		t.Errorf("a failed restore changed the databases: %v", got)
	}
	if got := e.instance(MySQLTargetID).Status; got != rds.StatusActive {
		t.Errorf("target %s after a failed restore", got)
	}
	st := e.state()
	if st.Jobs[0].Status != rds.JobFailed || st.Jobs[0].FailReason != "Restoration failed: disk I/O error" {
		t.Errorf("state job %+v", st.Jobs[0])
	}
	// Only the next job fails.
	ok := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(10 * time.Second)
	if j := e.job(ok); j.Status != rds.JobCompleted {
		t.Errorf("following job %+v", j)
	}
}

func TestServeAdmin_faults(t *testing.T) {
	e := newEnv(t, nil)
	bad := []string{
		`{"method":"GET","path":"/v3/*/jobs","delay":3000}`, // misspelled field
		`{"method":"GET","path":"/v3/*/jobs"}`,              // no effect
		`{"path":"/v3/*/jobs","drop":"sideways"}`,
		`{"path":"/v3/*/jobs","drop":"before","status":500}`,
		`{"status":500}`,
		`{}`,
		`not json`,
	}
	for _, body := range bad {
		if status, data := e.admin(http.MethodPost, "/_emulator/faults", body); status != http.StatusBadRequest {
			t.Errorf("POST %s = %d %s, want 400", body, status, data)
		}
	}
	e.fault(`[{"path":"/v3/*/jobs","status":500},{"fail_next_job":"x"}]`)
	_, data := e.admin(http.MethodGet, "/_emulator/faults", nil)
	if !strings.Contains(string(data), `"count": 1`) || !strings.Contains(string(data), `"x"`) {
		t.Errorf("faults %s", data)
	}
	if status, _ := e.admin(http.MethodDelete, "/_emulator/faults", nil); status != http.StatusOK {
		t.Fatal("DELETE faults")
	}
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs?id=x"), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200543")
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(10 * time.Second)
	if j := e.job(id); j.Status != rds.JobCompleted {
		t.Errorf("fail_next_job survived DELETE: %+v", j)
	}
	if status, _ := e.admin(http.MethodGet, "/_emulator/nothing", nil); status != http.StatusNotFound {
		t.Errorf("unknown admin path = %d", status)
	}
}

func TestPathMatches_patterns(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/v3.1/*/instances/recovery", "/v3.1/abc/instances/recovery", true},
		{"/v3.1/*/instances/recovery", "/v3/abc/instances/recovery", false},
		{"/v3/*/jobs", "/v3/abc/jobs/", true},
		{"/v3/*/jobs", "/v3/abc/def/jobs", false},
		{"/v3/*", "/v3/projects", true},
		{"/v3/*/instances/*/restore-time", "/v3/p/instances/i/restore-time", true},
		{"/v3/*/instances", "/v3/p/instances/i", false},
	}
	for _, tc := range cases {
		if got := pathMatches(tc.pattern, tc.path); got != tc.want {
			t.Errorf("pathMatches(%q, %q) = %v", tc.pattern, tc.path, got)
		}
	}
}

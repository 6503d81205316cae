package restore_test

// The runner against the project's emulator and its task list: every submission whose fate is
// unknown ends with exactly the restores that were asked for.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func TestRunner_settlesThroughTheEmulatorsTaskList(t *testing.T) {
	const recovery = "/v3.1/*/instances/recovery"
	for _, tc := range []struct {
		name        string
		fault       map[string]any
		unconfirmed emulator.Unconfirmed
		wantKind    restore.Kind
		wantJobs    int // restores the emulator ran onto the target
		// history: a restore onto another target ran first, so the task list has been seen
		// to list restores on this account (without it, absence proves nothing).
		history     bool
		reconciled  bool
		resubmitted bool
		wantErr     error
	}{
		{name: "reply lost after the server took it", fault: map[string]any{"drop": "after"},
			wantKind: restore.KindCompleted, wantJobs: 1, reconciled: true},
		{name: "connection dropped before the server saw it", fault: map[string]any{"drop": "before"}, history: true,
			wantKind: restore.KindCompleted, wantJobs: 1, resubmitted: true},
		{name: "connection dropped, no restore ever listed: unknowable, nothing resent", fault: map[string]any{"drop": "before"},
			wantKind: restore.KindUnknowable, wantJobs: 0, wantErr: restore.ErrOutcomeUnknowable},
		{name: "500 DBS.111205, taken", fault: map[string]any{"status": 500, "error_code": "DBS.111205", "taken": true},
			wantKind: restore.KindCompleted, wantJobs: 1, reconciled: true},
		{name: "500 DBS.108000, not taken", fault: map[string]any{"status": 500, "error_code": "DBS.108000"}, history: true,
			wantKind: restore.KindCompleted, wantJobs: 1, resubmitted: true},
		{name: "gateway 504 after the request was written, taken", fault: map[string]any{"status": 504, "error_code": "APIGW.0202", "taken": true},
			wantKind: restore.KindCompleted, wantJobs: 1, reconciled: true},
		{name: "gateway 502, not taken", fault: map[string]any{"status": 502, "error_code": "APIGW.0201"}, history: true,
			wantKind: restore.KindCompleted, wantJobs: 1, resubmitted: true},
		{name: "no task list: nothing resent", fault: map[string]any{"drop": "before"}, history: true,
			unconfirmed: emulator.Unconfirmed{TaskListMissing: true},
			wantKind:    restore.KindUnknowable, wantJobs: 0, wantErr: restore.ErrOutcomeUnknowable},
		{name: "task list without restores: nothing resent", fault: map[string]any{"drop": "before"}, history: true,
			unconfirmed: emulator.Unconfirmed{TaskListWithoutRestores: true},
			wantKind:    restore.KindUnknowable, wantJobs: 0, wantErr: restore.ErrOutcomeUnknowable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, err := emulator.New(emulator.Options{JobDuration: 500 * time.Millisecond, JobVisibleAfter: 50 * time.Millisecond, Unconfirmed: tc.unconfirmed})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c, err := rds.NewClient(rds.Config{
				Endpoint: ts.URL, IAMEndpoint: ts.URL, Region: emulator.DemoRegion,
				Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
				MaxRetries:  3, BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			if tc.history {
				if _, err := c.Restore(context.Background(), rds.RestoreRequest{
					Source: rds.RestoreSource{InstanceID: emulator.PostgreSQLSourceID, Type: "backup", BackupID: emulator.PostgreSQLBackupID},
					Target: rds.RestoreTarget{InstanceID: emulator.PostgreSQLTargetID},
				}); err != nil {
					t.Fatal(err)
				}
			}
			f := map[string]any{"method": "POST", "path": recovery}
			for k, v := range tc.fault {
				f[k] = v
			}
			body, _ := json.Marshal(f)
			resp, err := http.Post(ts.URL+"/_emulator/faults", "application/json", bytes.NewReader(body))
			if err != nil || resp.StatusCode >= 300 {
				t.Fatalf("posting the fault: %v %v", resp, err)
			}
			resp.Body.Close()

			r := &restore.Runner{Client: c, Tasks: restore.APITasks{Client: c}, Locks: restore.NewTargetLocks(),
				BusyPollMin: 20 * time.Millisecond, BusyPollMax: 100 * time.Millisecond,
				SettleWindow: 600 * time.Millisecond, SettlePoll: 100 * time.Millisecond,
				Wait: rds.WaitOptions{MinInterval: 20 * time.Millisecond, MaxInterval: 100 * time.Millisecond}}
			res, err := r.Run(context.Background(), rds.RestoreRequest{
				Source: rds.RestoreSource{InstanceID: emulator.MySQLSourceID, Type: "backup", BackupID: emulator.MySQLBackupID},
				Target: rds.RestoreTarget{InstanceID: emulator.MySQLTargetID},
			}, false, restore.Hooks{})
			if res.Kind != tc.wantKind || res.Reconciled != tc.reconciled || res.Resubmitted != tc.resubmitted {
				t.Fatalf("result %+v (err %v)", res, err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			var st struct {
				Jobs []struct {
					ID, Status string
					InstanceID string `json:"instance_id"`
				}
			}
			resp, err = http.Get(ts.URL + "/_emulator/state")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
				t.Fatal(err)
			}
			jobs := st.Jobs[:0]
			for _, j := range st.Jobs {
				if j.InstanceID == emulator.MySQLTargetID {
					jobs = append(jobs, j)
				}
			}
			if len(jobs) != tc.wantJobs {
				t.Fatalf("the emulator ran %d restores onto the target, want %d", len(jobs), tc.wantJobs)
			}
			if tc.wantJobs == 1 && (res.JobID != jobs[0].ID || jobs[0].Status != rds.JobCompleted) {
				t.Fatalf("job id %q, emulator's job %+v", res.JobID, jobs[0])
			}
		})
	}
}

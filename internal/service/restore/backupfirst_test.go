package restore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func TestBackupName_tokenOfThisRestore(t *testing.T) {
	at := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
	a := restore.BackupName("restore A", at)
	if !regexp.MustCompile(`^hwc-pre-restore-[0-9a-f]{8}$`).MatchString(a) {
		t.Fatalf("name %q", a)
	}
	if a != restore.BackupName("restore A", at) {
		t.Error("the same restore at the same moment must give the same name")
	}
	if a == restore.BackupName("restore B", at) || a == restore.BackupName("restore A", at.Add(time.Nanosecond)) {
		t.Error("another restore, or another run, must give another name")
	}
}

// TestBackupFirstTake_cases: the backup before a restore is taken exactly once, whatever happens
// to its POST, and anything but COMPLETED is a *BackupError.
func TestBackupFirstTake_cases(t *testing.T) {
	const backups = "/v3/*/backups"
	for _, tc := range []struct {
		name   string
		faults []map[string]any
		busy   bool // another backup makes the target BACKING UP first
		// wantErr: "" = COMPLETED; else a part of the error. unknown: BackupError.Unknown.
		wantErr     string
		unknown     bool
		wantBackups int // backups of the name the emulator holds afterwards
		wantPosts   int
	}{
		{name: "completed", wantBackups: 1, wantPosts: 1},
		{name: "failed", faults: []map[string]any{{"fail_next_backup": "agent down"}},
			wantErr: "FAILED. The restore was not submitted: the target was not touched", wantBackups: 1, wantPosts: 1},
		// A refusal proves nothing was taken: the other backup is waited out, and it is sent again.
		{name: "refused busy: waited out, sent again", busy: true, wantBackups: 1, wantPosts: 2},
		{name: "reply lost, taken: adopted", faults: []map[string]any{{"method": "POST", "path": backups, "drop": "after"}},
			wantBackups: 1, wantPosts: 1},
		{name: "500 taken: adopted", faults: []map[string]any{{"method": "POST", "path": backups, "status": 500, "error_code": "DBS.111205", "taken": true}},
			wantBackups: 1, wantPosts: 1},
		{name: "dropped before: resent once", faults: []map[string]any{{"method": "POST", "path": backups, "drop": "before"}},
			wantBackups: 1, wantPosts: 2},
		{name: "dropped before, then refused busy: unknown, not sent a third time", faults: []map[string]any{
			{"method": "POST", "path": backups, "drop": "before"},
			{"method": "POST", "path": backups, "status": 409, "error_code": "DBS.200011", "error_msg": "the instance is busy"}},
			wantErr: "perhaps with the first", unknown: true, wantBackups: 0, wantPosts: 2},
		{name: "dropped before twice: not a third time", faults: []map[string]any{{"method": "POST", "path": backups, "drop": "before", "count": 2}},
			wantErr: "not sent a third time", wantBackups: 0, wantPosts: 2},
		{name: "lost, listing unreadable: unknown", faults: []map[string]any{
			{"method": "POST", "path": backups, "drop": "before"},
			{"method": "GET", "path": backups, "status": 403, "error_code": "DBS.200010", "count": 100}},
			wantErr: "is unknown", unknown: true, wantBackups: 0, wantPosts: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, err := emulator.New(emulator.Options{BackupDuration: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c, err := rds.NewClient(rds.Config{Endpoint: ts.URL, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
				Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
				MaxRetries:  1, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if tc.busy {
				if _, err := c.CreateManualBackup(ctx, rds.CreateBackupRequest{InstanceID: emulator.MySQLTargetID, Name: "nightly-other"}); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range tc.faults {
				body, _ := json.Marshal(f)
				resp, err := http.Post(ts.URL+"/_emulator/faults", "application/json", bytes.NewReader(body))
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("fault %s: %v %v", body, resp, err)
				}
				resp.Body.Close()
			}
			name := restore.BackupName(tc.name, time.Now())
			var steps []string
			b, err := restore.BackupFirst{Client: c, Target: emulator.MySQLTargetID, Name: name, Poll: 50 * time.Millisecond,
				SettleWindow: 400 * time.Millisecond, SettlePoll: 100 * time.Millisecond,
				OnProgress: func(m string) { steps = append(steps, m) }}.Take(ctx)
			if tc.wantErr == "" {
				if err != nil || b.Status != rds.BackupCompleted || b.Name != name {
					t.Fatalf("backup %+v, %v (steps %q)", b, err, steps)
				}
			} else {
				var be *restore.BackupError
				if !errors.As(err, &be) || be.Unknown != tc.unknown || !strings.Contains(err.Error(), tc.wantErr) ||
					!strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "target was not touched") {
					t.Fatalf("err = %v, want a BackupError (unknown %v) with %q naming %s", err, tc.unknown, tc.wantErr, name)
				}
			}
			all, err := c.ListAllBackups(context.Background(), rds.ListBackupsOptions{InstanceID: emulator.MySQLTargetID})
			if err != nil && tc.unknown {
				return // the listing is still faulted
			}
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range all {
				if x.Name == name {
					n++
				}
			}
			if n != tc.wantBackups {
				t.Errorf("%d backups named %s, want %d", n, name, tc.wantBackups)
			}
			posts := 0
			resp, err := http.Get(ts.URL + "/_emulator/requests")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var log []emulator.RequestRecord
			if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
				t.Fatal(err)
			}
			for _, r := range log {
				if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/backups") {
					posts++
				}
			}
			if tc.busy {
				posts-- // the other backup's
			}
			if tc.busy && posts >= tc.wantPosts {
				return // refused while the other backup ran (how often depends on the timing), then taken
			}
			if posts != tc.wantPosts {
				t.Errorf("%d backup POSTs, want %d", posts, tc.wantPosts)
			}
		})
	}
}

package rds_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// postFault injects one emulator fault through its admin endpoint.
func postFault(t *testing.T, url, fault string) {
	t.Helper()
	resp, err := http.Post(url+"/_emulator/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("fault %s: HTTP %d", fault, resp.StatusCode)
	}
}

// TestCreateManualBackup_cases: a manual backup is taken, listed BUILDING then COMPLETED (or
// FAILED), refused while the instance is busy, never resent after a lost reply, and deleted.
func TestCreateManualBackup_cases(t *testing.T) {
	cases := []struct {
		name  string
		fault string // posted before the call
		// wantUnknown: the call returns ErrOutcomeUnknown; wantStatus: the backup's end.
		wantUnknown bool
		wantCode    string
		wantStatus  string
		wantBackups int // manual backups of the name listed afterwards
	}{
		{name: "completed", wantStatus: rds.BackupCompleted, wantBackups: 1},
		{name: "failed", fault: `{"fail_next_backup": "agent down"}`, wantStatus: rds.BackupFailed, wantBackups: 1},
		{name: "lost reply, taken", fault: `{"method": "POST", "path": "/v3/*/backups", "drop": "after"}`, wantUnknown: true, wantBackups: 1},
		{name: "5xx, taken", fault: `{"method": "POST", "path": "/v3/*/backups", "status": 500, "taken": true}`, wantUnknown: true, wantBackups: 1},
		{name: "busy target refused", fault: "busy", wantCode: "DBS.200011", wantBackups: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts, c := startEmulator(t, emulator.Options{BackupDuration: 300 * time.Millisecond})
			ctx := context.Background()
			if tc.fault == "busy" {
				if _, err := c.CreateManualBackup(ctx, rds.CreateBackupRequest{InstanceID: emulator.MySQLTargetID, Name: "someone-else"}); err != nil {
					t.Fatal(err)
				}
			} else if tc.fault != "" {
				postFault(t, ts.URL, tc.fault)
			}
			name := "hwc-pre-restore-0123abcd"
			b, err := c.CreateManualBackup(ctx, rds.CreateBackupRequest{InstanceID: emulator.MySQLTargetID, Name: name, Description: "before a restore"})
			switch {
			case tc.wantUnknown:
				if !errors.Is(err, rds.ErrOutcomeUnknown) {
					t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
				}
			case tc.wantCode != "":
				if !rds.IsCode(err, tc.wantCode) || errors.Is(err, rds.ErrOutcomeUnknown) {
					t.Fatalf("err = %v, want a refusal %s", err, tc.wantCode)
				}
			default:
				if err != nil || b.ID == "" || b.Name != name || b.Status != rds.BackupBuilding || b.InstanceID != emulator.MySQLTargetID {
					t.Fatalf("backup %+v, %v", b, err)
				}
				deadline := time.Now().Add(10 * time.Second)
				for {
					got, err := c.GetBackup(ctx, emulator.MySQLTargetID, b.ID)
					if err != nil {
						t.Fatal(err)
					}
					if got.Status != rds.BackupBuilding {
						if got.Status != tc.wantStatus {
							t.Fatalf("status %s, want %s", got.Status, tc.wantStatus)
						}
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("backup still BUILDING")
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
			all, err := c.ListAllBackups(ctx, rds.ListBackupsOptions{InstanceID: emulator.MySQLTargetID})
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
				t.Fatalf("%d backups named %s, want %d (a lost reply is never resent)", n, name, tc.wantBackups)
			}
		})
	}
}

// TestDeleteBackup_manual: a completed manual backup is deleted; an unknown one is not found.
func TestDeleteBackup_manual(t *testing.T) {
	_, c := startEmulator(t, emulator.Options{BackupDuration: time.Millisecond})
	ctx := context.Background()
	b, err := c.CreateManualBackup(ctx, rds.CreateBackupRequest{InstanceID: emulator.MySQLTargetID, Name: "to-delete"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := c.DeleteBackup(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBackup(ctx, emulator.MySQLTargetID, b.ID); !rds.IsCode(err, rds.CodeBackupNotFound) {
		t.Fatalf("after delete: %v, want not found", err)
	}
	if err := c.DeleteBackup(ctx, b.ID); !rds.IsCode(err, rds.CodeBackupNotFound) {
		t.Fatalf("second delete: %v, want not found", err)
	}
}

// TestGetInstance_tags: the instance carries its tags as the API lists them.
func TestGetInstance_tags(t *testing.T) {
	_, c := startEmulator(t, emulator.Options{})
	in, err := c.GetInstance(context.Background(), emulator.MySQLSourceID)
	if err != nil {
		t.Fatal(err)
	}
	if got := in.TagMap(); got["env"] != "prod" || len(got) != 1 {
		t.Fatalf("tags %v, want env=prod", in.Tags)
	}
}

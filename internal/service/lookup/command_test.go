package lookup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// countingReader counts configuration reads and serves a backup of the given status.
type countingReader struct {
	fakeReader
	configReads  atomic.Int32
	backupStatus string
}

func (f *countingReader) GetConfigurations(_ context.Context, id string) (*rds.ConfigurationsResponse, error) {
	f.configReads.Add(1)
	return &rds.ConfigurationsResponse{DatastoreName: "mysql", ConfigurationParameters: []rds.ConfigurationParameter{
		{Name: "lower_case_table_names", Value: "1"}}}, nil
}

func (f *countingReader) GetBackup(_ context.Context, instanceID, backupID string) (*rds.Backup, error) {
	f.backupCall.Add(1)
	return &rds.Backup{ID: backupID, InstanceID: instanceID, Status: f.backupStatus}, nil
}

// The plan walk's and the apply walk's provider processes of one command (two caches, one
// scope) read a configuration and a completed backup once; another scope reads them again; a
// backup still building is read again by each; the file holds no credential of the scope.
func TestShareWithinCommand_shares(t *testing.T) {
	if _, ok := commandID(); !ok {
		t.Skip("the parent process cannot be identified here")
	}
	t.Setenv("TMPDIR", t.TempDir())
	ctx := context.Background()
	const scope = "http://rds.example\x00cn-north-4\x00project\x00AKSCOPEVISIBLE"
	walk := func(scope, backupStatus string) *countingReader {
		r := &countingReader{backupStatus: backupStatus}
		c := New(r)
		c.ShareWithinCommand(scope)
		for _, id := range []string{"target-1", "target-2", "target-1"} {
			cf, err := c.Configurations(ctx, id)
			if err != nil || cf.DatastoreName != "mysql" || len(cf.ConfigurationParameters) != 1 {
				t.Fatalf("configurations of %s: %+v, %v", id, cf, err)
			}
		}
		if b, err := c.Backup(ctx, "source", "backup-1"); err != nil || b.Status != backupStatus {
			t.Fatalf("backup: %+v, %v", b, err)
		}
		return r
	}
	plan := walk(scope, rds.BackupCompleted)
	apply := walk(scope, rds.BackupCompleted)
	if plan.configReads.Load() != 2 || plan.backupCall.Load() != 1 {
		t.Errorf("plan walk: %d configuration reads, %d backup reads, want 2 and 1", plan.configReads.Load(), plan.backupCall.Load())
	}
	if apply.configReads.Load() != 0 || apply.backupCall.Load() != 0 {
		t.Errorf("apply walk: %d configuration reads, %d backup reads, want none", apply.configReads.Load(), apply.backupCall.Load())
	}
	other := walk(scope+"other", rds.BackupCompleted)
	if other.configReads.Load() != 2 || other.backupCall.Load() != 1 {
		t.Errorf("another scope: %d configuration reads, %d backup reads, want 2 and 1", other.configReads.Load(), other.backupCall.Load())
	}
	const building = "BUILDING"
	walk("building", building)
	if again := walk("building", building); again.backupCall.Load() != 1 {
		t.Errorf("a backup still building was reused (%d reads)", again.backupCall.Load())
	}
	files, _ := filepath.Glob(filepath.Join(os.TempDir(), "hwc-provider-*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no file written")
	}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		if strings.Contains(string(raw), "AKSCOPEVISIBLE") || strings.Contains(f, "AKSCOPEVISIBLE") {
			t.Errorf("%s holds the access key", f)
		}
		if strings.Contains(string(raw), `"status":"ACTIVE"`) {
			t.Errorf("%s holds an instance status", f)
		}
	}
}

// Without ShareWithinCommand (a provider served in-process) every cache reads on its own.
func TestCache_noSharingByDefault(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for range 2 {
		r := &countingReader{backupStatus: rds.BackupCompleted}
		if _, err := New(r).Configurations(context.Background(), "target-1"); err != nil {
			t.Fatal(err)
		}
		if r.configReads.Load() != 1 {
			t.Errorf("%d configuration reads, want 1", r.configReads.Load())
		}
	}
}

// limitedReader is a reader with its own request budget, like *rds.Client.
type limitedReader struct {
	countingReader
	l *rds.Limiter
}

func (r *limitedReader) Limiter() *rds.Limiter { return r.l }

// The apply walk's limiter counts the requests the plan walk's process sent within the minute
// (the gateway counts them), and another scope's does not.
func TestShareWithinCommand_seedsTheLimiter(t *testing.T) {
	if _, ok := commandID(); !ok {
		t.Skip("the parent process cannot be identified here")
	}
	t.Setenv("TMPDIR", t.TempDir())
	ctx := context.Background()
	const scope = "http://rds.example\x00cn-north-4\x00project\x00AK"
	plan := &limitedReader{l: rds.NewLimiter(60)}
	pc := New(plan)
	pc.ShareWithinCommand(scope)
	for range 3 {
		if err := plan.l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pc.Configurations(ctx, "target-1"); err != nil {
		t.Fatal(err)
	}
	apply := &limitedReader{l: rds.NewLimiter(60)}
	New(apply).ShareWithinCommand(scope)
	if got := len(apply.l.Sent()); got != 3 {
		t.Errorf("the apply walk's limiter counts %d requests of the plan walk, want 3", got)
	}
	other := &limitedReader{l: rds.NewLimiter(60)}
	New(other).ShareWithinCommand(scope + "other")
	if got := len(other.l.Sent()); got != 0 {
		t.Errorf("another scope's limiter counts %d requests, want 0", got)
	}
}

// A directory of the expected name that is not the user's private one (here: open to others)
// turns sharing off: each walk reads for itself.
func TestShareWithinCommand_refusesADirectoryOthersCanEnter(t *testing.T) {
	if _, ok := commandID(); !ok {
		t.Skip("the parent process cannot be identified here")
	}
	t.Setenv("TMPDIR", t.TempDir())
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("hwc-provider-%d", os.Getuid()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for walk := range 2 {
		r := &countingReader{backupStatus: rds.BackupCompleted}
		c := New(r)
		c.ShareWithinCommand("scope")
		if _, err := c.Configurations(context.Background(), "target-1"); err != nil {
			t.Fatal(err)
		}
		if r.configReads.Load() != 1 {
			t.Errorf("walk %d: %d configuration reads, want 1 (nothing shared)", walk+1, r.configReads.Load())
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 0 {
		t.Errorf("files written into a directory others can enter: %v", files)
	}
}

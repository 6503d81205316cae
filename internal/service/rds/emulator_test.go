package rds_test

// End-to-end checks of the client against the project's RDS emulator: signing as the emulator's
// gateway verifies it, the IAM project lookup, a real restore and its wait, and the restore rule
// that matters most (a dropped connection after the request took effect is never resent).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func startEmulator(t *testing.T, opts emulator.Options) (*httptest.Server, *rds.Client) {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := rds.NewClient(rds.Config{
		Endpoint: ts.URL, IAMEndpoint: ts.URL, Region: emulator.DemoRegion,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
		MaxRetries:  3, BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts, c
}

func mysqlBackupRestore() rds.RestoreRequest {
	return rds.RestoreRequest{
		Source: rds.RestoreSource{InstanceID: emulator.MySQLSourceID, Type: "backup", BackupID: emulator.MySQLBackupID},
		Target: rds.RestoreTarget{InstanceID: emulator.MySQLTargetID},
	}
}

func TestClient_emulatorRestoreAndWait(t *testing.T) {
	const jobDuration = 2 * time.Second
	_, c := startEmulator(t, emulator.Options{JobDuration: jobDuration, JobVisibleAfter: 500 * time.Millisecond})
	ctx := context.Background()

	if err := c.EnsureProjectID(ctx); err != nil || c.ProjectID() != emulator.DemoProjectID {
		t.Fatalf("project %q: %v", c.ProjectID(), err)
	}
	src, err := c.GetInstance(ctx, emulator.MySQLSourceID)
	if err != nil || src.Datastore.CompleteVersion != "5.7.25" {
		t.Fatalf("%+v %v", src, err)
	}
	if _, err := c.GetBackup(ctx, emulator.MySQLSourceID, emulator.MySQLBackupID); err != nil {
		t.Fatal(err)
	}
	before := c.Stats().Requests
	submitted := time.Now()
	resp, err := c.Restore(ctx, mysqlBackupRestore())
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.WaitForJob(ctx, resp.JobID, rds.WaitOptions{SubmittedAt: submitted})
	if err != nil || job.Status != rds.JobCompleted {
		t.Fatalf("%+v %v", job, err)
	}
	lag := time.Since(submitted.Add(jobDuration))
	polls := c.Stats().Requests - before - 1
	t.Logf("restore of a %v job: %d job polls, noticed %v after its end", jobDuration, polls, lag)
	if lag > 1500*time.Millisecond || polls > 10 {
		t.Fatalf("%d polls, lag %v", polls, lag)
	}
	in, err := rds.WaitForStatus(ctx, c, emulator.MySQLTargetID, rds.StatusActive, rds.InstanceWait{MaxInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	dbs, err := c.ListAllDatabases(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dbs {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "shop") || strings.Contains(got, "shop_old") {
		t.Fatalf("target databases after the restore: %s", got)
	}
}

func TestClient_emulatorDroppedRestoreIsNotResent(t *testing.T) {
	ts, c := startEmulator(t, emulator.Options{JobDuration: time.Second})
	fault := `{"method":"POST","path":"/v3.1/*/instances/recovery","count":1,"drop":"after"}`
	if r, err := http.Post(ts.URL+"/_emulator/faults", "application/json", strings.NewReader(fault)); err != nil || r.StatusCode >= 300 {
		t.Fatalf("fault: %v %v", r, err)
	}
	_, err := c.Restore(context.Background(), mysqlBackupRestore())
	if !errors.Is(err, rds.ErrOutcomeUnknown) {
		t.Fatalf("want ErrOutcomeUnknown, got %v", err)
	}
	r, err := http.Get(ts.URL + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var state struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := json.NewDecoder(r.Body).Decode(&state); err != nil {
		t.Fatal(err)
	}
	if len(state.Jobs) != 1 {
		t.Fatalf("the emulator accepted %d restores; the client must send exactly one", len(state.Jobs))
	}
}

func TestClient_emulatorWrongSecretIsAPIGW0301(t *testing.T) {
	ts, _ := startEmulator(t, emulator.Options{})
	c, err := rds.NewClient(rds.Config{
		Endpoint: ts.URL, ProjectID: emulator.DemoProjectID,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: "wrong"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetInstance(context.Background(), emulator.MySQLSourceID)
	var e *rds.Error
	if !errors.As(err, &e) || e.StatusCode != 401 || e.Code != "APIGW.0301" {
		t.Fatalf("got %v", err)
	}
}

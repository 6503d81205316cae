package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/provider"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// ProviderFactories serve the provider in-process, as terraform-plugin-testing expects, through
// the same protocol server as the provider's binary (provider.ProtocolServer).
func ProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwc": func() (tfprotov6.ProviderServer, error) { return provider.ProtocolServer(provider.New("test"))(), nil },
	}
}

// RealCloud says whether the suite runs against the real cloud.
func RealCloud() bool { return os.Getenv("HWC_ACC_REAL_CLOUD") == "1" }

// Env is where one acceptance test runs.
type Env struct {
	URL    string // the emulator's base URL ("" against the real cloud)
	Server *emulator.Server
}

// Options tune the emulator of one test.
type Options struct {
	JobDuration     time.Duration // default 1s
	JobVisibleAfter time.Duration // default 0
	JobQueueDelay   time.Duration // default 0: how long a restore job sits queued (target ACTIVE, 0%)
	BackupDuration  time.Duration // default 0: the emulator's 2s for a manual backup
	Throttle        int
	StatePath       string
	Seed            *emulator.Seed
	// Unconfirmed flips the emulator's answers where the real API's behaviour is unconfirmed.
	Unconfirmed emulator.Unconfirmed
	// OnStart, when set, is called with the emulator's Env once it runs (a test that wraps
	// another can then look at the requests it made).
	OnStart func(*Env)
}

// New starts an emulator for the test (closed when it ends), or prepares the real cloud.
func New(t *testing.T, o Options) *Env {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	if RealCloud() {
		return &Env{}
	}
	if o.JobDuration == 0 {
		o.JobDuration = time.Second
	}
	srv, ts := emulator.NewTestServer(t, emulator.Options{
		Seed: o.Seed, JobDuration: o.JobDuration, JobVisibleAfter: o.JobVisibleAfter,
		JobQueueDelay: o.JobQueueDelay, BackupDuration: o.BackupDuration, Throttle: o.Throttle, StatePath: o.StatePath, Unconfirmed: o.Unconfirmed,
	})
	env := &Env{URL: ts.URL, Server: srv}
	if o.OnStart != nil {
		o.OnStart(env)
	}
	return env
}

// RequireEmulator skips a test that needs the emulator's fault injection or request log.
func (e *Env) RequireEmulator(t *testing.T) {
	t.Helper()
	if e.URL == "" {
		t.Skip("needs the emulator (fault injection or request log)")
	}
}

// ProviderBlock is the provider configuration for the test's HCL.
func (e *Env) ProviderBlock(extra ...string) string {
	if e.URL == "" {
		return "provider \"hwc\" {\n" + strings.Join(extra, "\n") + "\n}\n"
	}
	return fmt.Sprintf(`provider "hwc" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints = {
    rds = %q
    iam = %q
  }
%s
}
`, emulator.DemoRegion, emulator.DemoProjectID, emulator.DemoAccessKey, emulator.DemoSecretKey, e.URL, e.URL,
		strings.Join(extra, "\n"))
}

// ID returns an id of the built-in seed by its name, or, against the real cloud, the variable
// HWC_ACC_<NAME> (e.g. HWC_ACC_MYSQL_SOURCE_ID); the test skips when that is not set.
func (e *Env) ID(t *testing.T, name string) string {
	t.Helper()
	if RealCloud() {
		v := os.Getenv("HWC_ACC_" + name)
		if v == "" {
			t.Skipf("set HWC_ACC_%s to run this test against the real cloud", name)
		}
		return v
	}
	id, ok := seedIDs[name]
	if !ok {
		t.Fatalf("acctest: no seed id named %s", name)
	}
	return id
}

var seedIDs = map[string]string{
	"MYSQL_SOURCE_ID":          emulator.MySQLSourceID,
	"MYSQL_TARGET_ID":          emulator.MySQLTargetID,
	"MYSQL80_ID":               emulator.MySQL80ID,
	"MYSQL_SMALL_ID":           emulator.MySQLSmallID,
	"MYSQL_BACKUP_ID":          emulator.MySQLBackupID,
	"MYSQL_BUILDING_BACKUP_ID": emulator.MySQLBuildingBackupID,
	"POSTGRESQL_SOURCE_ID":     emulator.PostgreSQLSourceID,
	"POSTGRESQL_TARGET_ID":     emulator.PostgreSQLTargetID,
	"POSTGRESQL14_ID":          emulator.PostgreSQL14ID,
	"POSTGRESQL_BACKUP_ID":     emulator.PostgreSQLBackupID,
	"SQLSERVER_SOURCE_ID":      emulator.SQLServerSourceID,
	"SQLSERVER_TARGET_ID":      emulator.SQLServerTargetID,
	"SQLSERVER2014_ID":         emulator.SQLServer2014ID,
	"SQLSERVER_UTC_ID":         emulator.SQLServerUTCID,
	"SQLSERVER_BACKUP_ID":      emulator.SQLServerBackupID,
}

// Request is one entry of the emulator's request log.
type Request struct {
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Status    int       `json:"status"`
	ErrorCode string    `json:"error_code"`
	Time      time.Time `json:"time"` // arrival, by the emulator's clock
}

// Requests returns the emulator's request log.
func (e *Env) Requests(t *testing.T) []Request {
	t.Helper()
	var out []Request
	e.admin(t, http.MethodGet, "/_emulator/requests", nil, &out)
	return out
}

// ClearRequests empties the emulator's request log.
func (e *Env) ClearRequests(t *testing.T) {
	t.Helper()
	e.admin(t, http.MethodDelete, "/_emulator/requests", nil, nil)
}

// Count counts logged requests by method and a path fragment.
func (e *Env) Count(t *testing.T, method, pathContains string) int {
	t.Helper()
	n := 0
	for _, r := range e.Requests(t) {
		if r.Method == method && strings.Contains(r.Path, pathContains) {
			n++
		}
	}
	return n
}

// RestoreSubmissions counts restore POSTs that the emulator received.
func (e *Env) RestoreSubmissions(t *testing.T) int {
	t.Helper()
	return e.Count(t, http.MethodPost, "/instances/recovery")
}

// Fault injects a fault through POST /_emulator/faults.
func (e *Env) Fault(t *testing.T, fault map[string]any) {
	t.Helper()
	e.admin(t, http.MethodPost, "/_emulator/faults", fault, nil)
}

// EmulatorState returns GET /_emulator/state decoded.
func (e *Env) EmulatorState(t *testing.T) State {
	t.Helper()
	var s State
	e.admin(t, http.MethodGet, "/_emulator/state", nil, &s)
	return s
}

// State is the part of the emulator's state dump the tests read.
type State struct {
	Instances []struct {
		ID        string   `json:"id"`
		Status    string   `json:"status"`
		Databases []string `json:"databases"`
	} `json:"instances"`
	Jobs []struct {
		ID         string `json:"id"`
		Status     string `json:"status"`
		InstanceID string `json:"instance_id"`
		FailReason string `json:"fail_reason"`
		// What the restore was sent with.
		DatabaseName       map[string]string `json:"database_name"`
		RestoreAllDatabase *bool             `json:"restore_all_database"`
	} `json:"jobs"`
}

// Databases returns the databases the emulator holds for an instance.
func (s State) Databases(id string) []string {
	for _, in := range s.Instances {
		if in.ID == id {
			return in.Databases
		}
	}
	return nil
}

func (e *Env) admin(t *testing.T, method, path string, in, out any) {
	t.Helper()
	e.RequireEmulator(t)
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, e.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("emulator admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("emulator admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("emulator admin %s %s: %v: %s", method, path, err, data)
		}
	}
}

// Client is an RDS client of the test's own, for acting on the emulator beside the provider,
// as another user of the account would.
func (e *Env) Client(t *testing.T) *rds.Client {
	t.Helper()
	e.RequireEmulator(t)
	c, err := rds.NewClient(rds.Config{
		Endpoint: e.URL, IAMEndpoint: e.URL, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SubmitRestore starts a backup restore onto target outside the provider and returns its job id.
func (e *Env) SubmitRestore(t *testing.T, source, target, backup string) string {
	t.Helper()
	resp, err := e.Client(t).Restore(context.Background(), rds.RestoreRequest{
		Source: rds.RestoreSource{InstanceID: source, Type: "backup", BackupID: backup},
		Target: rds.RestoreTarget{InstanceID: target},
	})
	if err != nil {
		t.Fatalf("restore outside the provider: %v", err)
	}
	return resp.JobID
}

// SetInstanceStatus changes an emulator instance's status (PATCH /_emulator/instances/{id}), as
// the cloud does while an instance is backed up or modified. It returns an error instead of
// failing the test, so that a goroutine may call it.
func (e *Env) SetInstanceStatus(id, status string) error {
	if e.URL == "" {
		return fmt.Errorf("no emulator")
	}
	b, err := json.Marshal(map[string]string{"status": status})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPatch, e.URL+"/_emulator/instances/"+id, strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		data, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("PATCH /_emulator/instances/%s: HTTP %d: %s", id, resp.StatusCode, data)
	}
	return nil
}

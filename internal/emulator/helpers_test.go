package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// fakeClock is the emulator's injected time: tests move it instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testStart is where every test's clock begins.
var testStart = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)

// env is one emulator behind an httptest server, with a fake clock and a signing client.
type env struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	clock *fakeClock
	creds signer.Credentials
}

// newEnv starts the built-in seed with 10 s jobs visible at once; mutate adjusts the options.
func newEnv(t *testing.T, mutate func(*Options)) *env {
	t.Helper()
	clock := &fakeClock{t: testStart}
	opts := Options{JobDuration: 10 * time.Second, Clock: clock.Now}
	if mutate != nil {
		mutate(&opts)
	}
	srv, ts := NewTestServer(t, opts)
	return &env{t: t, srv: srv, ts: ts, clock: clock,
		creds: signer.Credentials{AccessKey: DemoAccessKey, SecretKey: DemoSecretKey}}
}

// p fills the demo project id into a path: p("/v3/{p}/instances").
func p(path string) string { return strings.ReplaceAll(path, "{p}", DemoProjectID) }

// request sends a signed API request (body: nil, []byte, string or a value to encode as JSON)
// and returns the status and the body.
func (e *env) request(method, path string, body any) (int, []byte) {
	e.t.Helper()
	resp, data := e.send(e.newSigned(method, path, body))
	return resp.StatusCode, data
}

func (e *env) newSigned(method, path string, body any) *http.Request {
	e.t.Helper()
	data := encodeBody(e.t, body)
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(data))
	if err != nil {
		e.t.Fatal(err)
	}
	if data != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	signer.Sign(req, data, e.creds, e.clock.Now())
	return req
}

func (e *env) send(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

func encodeBody(t *testing.T, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case []byte:
		return b
	case string:
		return []byte(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}

// get sends a signed GET, wants 200 and decodes the reply into out.
func (e *env) get(path string, out any) {
	e.t.Helper()
	status, data := e.request(http.MethodGet, path, nil)
	if status != http.StatusOK {
		e.t.Fatalf("GET %s = %d %s", path, status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		e.t.Fatalf("GET %s: %v in %s", path, err, data)
	}
}

// wantError checks an error reply's status and code.
func wantError(t *testing.T, status int, data []byte, wantStatus int, wantCode string) rds.ErrorBody {
	t.Helper()
	var eb rds.ErrorBody
	_ = json.Unmarshal(data, &eb)
	if status != wantStatus || eb.ErrorCode != wantCode {
		t.Fatalf("got %d %s, want %d %s (body %s)", status, eb.ErrorCode, wantStatus, wantCode, data)
	}
	if eb.ErrorMsg == "" {
		t.Errorf("error reply without error_msg: %s", data)
	}
	return eb
}

// restore posts a v3.1 restore and returns the status, the job id (on 202) and the raw body.
func (e *env) restore(req rds.RestoreRequest) (int, string, []byte) {
	e.t.Helper()
	status, data := e.request(http.MethodPost, p("/v3.1/{p}/instances/recovery"), req)
	var r rds.RestoreResponse
	if status == http.StatusAccepted {
		if err := json.Unmarshal(data, &r); err != nil {
			e.t.Fatal(err)
		}
	}
	return status, r.JobID, data
}

// mustRestore posts a restore that must be accepted and returns its job id.
func (e *env) mustRestore(req rds.RestoreRequest) string {
	e.t.Helper()
	status, id, data := e.restore(req)
	if status != http.StatusAccepted {
		e.t.Fatalf("restore = %d %s, want 202", status, data)
	}
	return id
}

func backupRestore(source, target, backupID string) rds.RestoreRequest {
	return rds.RestoreRequest{
		Source: rds.RestoreSource{InstanceID: source, Type: "backup", BackupID: backupID},
		Target: rds.RestoreTarget{InstanceID: target},
	}
}

func (e *env) job(id string) rds.Job {
	e.t.Helper()
	var r rds.JobResponse
	e.get(p("/v3/{p}/jobs?id="+id), &r)
	return r.Job
}

func (e *env) instance(id string) rds.Instance {
	e.t.Helper()
	var r rds.ListInstancesResponse
	e.get(p("/v3/{p}/instances?id="+id), &r)
	if len(r.Instances) != 1 {
		e.t.Fatalf("instance %s: got %d instances", id, len(r.Instances))
	}
	return r.Instances[0]
}

func (e *env) databases(id string) []string {
	e.t.Helper()
	var r rds.ListDatabasesResponse
	e.get(p("/v3/{p}/instances/"+id+"/database/detail?page=1&limit=100"), &r)
	var names []string
	for _, d := range r.Databases {
		names = append(names, d.Name)
	}
	return names
}

// admin calls an admin endpoint (unsigned).
func (e *env) admin(method, path string, body any) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(encodeBody(e.t, body)))
	if err != nil {
		e.t.Fatal(err)
	}
	resp, data := e.send(req)
	return resp.StatusCode, data
}

func (e *env) state() State {
	e.t.Helper()
	status, data := e.admin(http.MethodGet, "/_emulator/state", nil)
	if status != http.StatusOK {
		e.t.Fatalf("state = %d %s", status, data)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) fault(f any) {
	e.t.Helper()
	if status, data := e.admin(http.MethodPost, "/_emulator/faults", f); status != http.StatusOK {
		e.t.Fatalf("post fault = %d %s", status, data)
	}
}

func (e *env) requests() []RequestRecord {
	e.t.Helper()
	_, data := e.admin(http.MethodGet, "/_emulator/requests", nil)
	var recs []RequestRecord
	if err := json.Unmarshal(data, &recs); err != nil {
		e.t.Fatalf("%v in %s", err, data)
	}
	return recs
}

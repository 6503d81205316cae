package rds

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Test credentials. The secret key and token must never show up in logs or errors.
var testCreds = signer.Credentials{
	AccessKey:     "AKTESTACCESSKEY",
	SecretKey:     "SK-very-secret-0123456789abcdef",
	SecurityToken: "TOKEN-temporary-abcdef0123456789",
}

const testProject = "0123456789abcdef0123456789abcdef"

// fakeAPI is an httptest server that checks every request's AK/SK signature the way the gateway
// does (a bad one is a test failure, answered 401 APIGW.0301) and counts requests.
type fakeAPI struct {
	*httptest.Server
	t     *testing.T
	count atomic.Int64
	mu    sync.Mutex
	seen  []*http.Request
}

func newFakeAPI(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.count.Add(1)
		f.mu.Lock()
		f.seen = append(f.seen, r.Clone(r.Context()))
		f.mu.Unlock()
		_, err := signer.Verify(r, body, func(ak string) (string, bool) {
			return testCreds.SecretKey, ak == testCreds.AccessKey
		}, time.Now())
		if err != nil {
			t.Errorf("%s %s: signature check failed: %v", r.Method, r.URL.RequestURI(), err)
			writeJSON(w, 401, map[string]string{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"})
			return
		}
		if r.Header.Get("X-Security-Token") != testCreds.SecurityToken {
			t.Errorf("%s %s: X-Security-Token missing", r.Method, r.URL.Path)
		}
		h(w, r, body)
	}))
	t.Cleanup(f.Close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error_code": code, "error_msg": msg})
}

// newTestClient returns a client for url with tiny backoffs, 3 retries and a known project.
func newTestClient(t *testing.T, url string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Endpoint: url, IAMEndpoint: url, Region: "cn-north-4", ProjectID: testProject,
		Credentials: testCreds, MaxRetries: 3,
		BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hijackClose reads nothing more and closes the connection without a reply.
func hijackClose(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Fatal("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
}

package emulator

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log destination that the race detector accepts.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequestLog_records(t *testing.T) {
	var logged syncBuffer
	e := newEnv(t, func(o *Options) { o.Logger = log.New(&logged, "", 0) })
	e.request(http.MethodGet, p("/v3/{p}/instances?limit=1&datastore_type=MySQL"), nil)
	e.request(http.MethodGet, p("/v3/{p}/nothing"), nil)
	e.clock.Advance(time.Second)
	req := e.newSigned(http.MethodGet, p("/v3/{p}/instances"), nil)
	req.Header.Set("X-Security-Token", "temporary-token-value")
	req.Header.Set("X-Auth-Token", "auth-token-value")
	e.send(req)
	unsigned, _ := http.NewRequest(http.MethodGet, e.ts.URL+p("/v3/{p}/jobs?id=x"), nil)
	e.send(unsigned)
	e.admin(http.MethodGet, "/_emulator/state", nil) // admin calls are not API requests

	status, raw := e.admin(http.MethodGet, "/_emulator/requests", nil)
	if status != http.StatusOK {
		t.Fatal(status)
	}
	var generic []map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	if len(generic) != 4 {
		t.Fatalf("%d requests logged, want 4: %s", len(generic), raw)
	}
	for _, r := range generic {
		for _, k := range []string{"method", "path", "query", "status", "error_code", "time"} {
			if _, ok := r[k]; !ok {
				t.Errorf("record without %q: %v", k, r)
			}
		}
	}
	recs := e.requests()
	want := []struct {
		path, query string
		status      int
		code        string
	}{
		{p("/v3/{p}/instances"), "limit=1&datastore_type=MySQL", 200, ""},
		{p("/v3/{p}/nothing"), "", 404, "APIGW.0101"},
		{p("/v3/{p}/instances"), "", 200, ""},
		{p("/v3/{p}/jobs"), "id=x", 401, "APIGW.0301"},
	}
	for i, w := range want {
		r := recs[i]
		if r.Method != "GET" || r.Path != w.path || r.Query != w.query || r.Status != w.status || r.ErrorCode != w.code {
			t.Errorf("record %d = %+v, want %+v", i, r, w)
		}
		if _, err := time.Parse(time.RFC3339Nano, r.Time); err != nil {
			t.Errorf("time %q: %v", r.Time, err)
		}
	}
	if recs[2].Time != testStart.Add(time.Second).Format(time.RFC3339Nano) {
		t.Errorf("time %s, want the emulator's clock", recs[2].Time)
	}

	for _, secret := range []string{DemoSecretKey, "temporary-token-value", "auth-token-value", "Signature="} {
		if strings.Contains(string(raw), secret) || strings.Contains(logged.String(), secret) {
			t.Errorf("%q appears in the request log or the logger output", secret)
		}
	}
	if !strings.Contains(logged.String(), "GET "+p("/v3/{p}/nothing")+" -> 404 APIGW.0101") {
		t.Errorf("logger output %q", logged.String())
	}

	if status, _ := e.admin(http.MethodDelete, "/_emulator/requests", nil); status != http.StatusOK {
		t.Fatal("DELETE requests")
	}
	if recs := e.requests(); len(recs) != 0 {
		t.Errorf("%d records after DELETE", len(recs))
	}
	if _, raw := e.admin(http.MethodGet, "/_emulator/requests", nil); strings.TrimSpace(string(raw)) != "[]" {
		t.Errorf("empty log is %s, want []", raw)
	}
}

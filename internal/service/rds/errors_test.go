package rds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestParseError_shapes(t *testing.T) {
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	cases := []struct {
		name               string
		status             int
		header             http.Header
		body               string
		code, msg, request string
	}{
		{"error_code shape", 400, hdr(), `{"error_code":"DBS.200543","error_msg":"job does not exist"}`, "DBS.200543", "job does not exist", ""},
		{"gateway with request_id", 429, hdr(), `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"req-1"}`, "APIGW.0308", "The throttling threshold has been reached", "req-1"},
		{"errCode shape", 409, hdr("X-Request-Id", "req-2"), `{"errCode":"DBS.201202","externalMessage":"instance is busy"}`, "DBS.201202", "instance is busy", "req-2"},
		{"body request id wins over header", 400, hdr("X-Request-Id", "hdr"), `{"error_code":"DBS.200001","error_msg":"bad","request_id":"body"}`, "DBS.200001", "bad", "body"},
		{"keystone shape (IAM)", 401, hdr(), `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`, "", "The request you have made requires authentication.", ""},
		{"html page", 502, hdr("X-Request-Id", "req-3"), "<html>\n  <body>Bad   Gateway</body>\n</html>\n", "", "<html> <body>Bad Gateway</body> </html>", "req-3"},
		{"empty body", 503, hdr(), "", "", "service unavailable", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := parseError(tc.status, tc.header, []byte(tc.body), "GET", "/v3/{project_id}/jobs")
			if e.StatusCode != tc.status || e.Code != tc.code || e.Message != tc.msg || e.RequestID != tc.request {
				t.Fatalf("got %+v", e)
			}
		})
	}
}

func TestParseError_longBodyIsSnipped(t *testing.T) {
	e := parseError(500, http.Header{}, []byte(strings.Repeat("x", 5000)), "GET", "/p")
	if len(e.Message) > maxSnippet+3 || !strings.HasSuffix(e.Message, "...") {
		t.Fatalf("message not snipped: %d chars", len(e.Message))
	}
}

func TestError_messageAndPredicates(t *testing.T) {
	e := &Error{StatusCode: 400, Code: "DBS.200543", Message: "job does not exist", RequestID: "abc", Method: "GET", Path: "/v3/{project_id}/jobs"}
	want := "RDS API GET /v3/{project_id}/jobs: HTTP 400 DBS.200543: job does not exist (request id abc)"
	if e.Error() != want {
		t.Fatalf("got %q\nwant %q", e.Error(), want)
	}
	wrapped := fmt.Errorf("outer: %w", e)
	if !IsCode(wrapped, "DBS.1", "dbs.200543") || IsCode(wrapped, "DBS.200002") || IsCode(errors.New("x"), "DBS.200543") {
		t.Fatal("IsCode")
	}
	if e.NotFound() || IsNotFound(wrapped) {
		t.Fatal("a job that cannot be queried is not NotFound")
	}
	if !IsJobNotFound(wrapped) {
		t.Fatal("IsJobNotFound")
	}
	for _, nf := range []*Error{{StatusCode: 404, Code: "DBS.200002"}, {StatusCode: 404, Code: "DBS.201010"}, {StatusCode: 404}, {StatusCode: 400, Code: "DBS.290005"}} {
		if !nf.NotFound() {
			t.Errorf("%+v should be NotFound", nf)
		}
	}
	if (&Error{StatusCode: 404, Code: "APIGW.0101"}).NotFound() {
		t.Error("no such API is a configuration error, not a missing resource")
	}
	if !IsThrottled(fmt.Errorf("x: %w", &Error{StatusCode: 429})) || !IsThrottled(&Error{StatusCode: 400, Code: "APIGW.0308"}) || IsThrottled(e) {
		t.Error("IsThrottled")
	}
	jf := &JobFailedError{JobID: "j1", FailReason: "backup file missing"}
	if !strings.Contains(jf.Error(), "backup file missing") || !strings.Contains(jf.Error(), "j1") {
		t.Error(jf.Error())
	}
}

// TestClient_authHintOn401: a request the gateway refused as unauthenticated (HTTP 401) ends with
// the caller's AuthHint, once, and is not retried; other refusals say nothing of credentials.
func TestClient_authHintOn401(t *testing.T) {
	const hint = "Check access_key and secret_key."
	for _, c := range []struct {
		name       string
		status     int
		code, msg  string
		authHint   string
		wantSuffix string
	}{
		{name: "bad signature", status: 401, code: "APIGW.0301", msg: "Incorrect IAM authentication information", authHint: hint,
			wantSuffix: "HTTP 401 APIGW.0301: Incorrect IAM authentication information (request id r1). " + hint},
		{name: "token to renew", status: 401, code: "APIGW.0307", msg: "The token must be updated", authHint: hint,
			wantSuffix: "HTTP 401 APIGW.0307: The token must be updated (request id r1). " + hint},
		{name: "no hint configured", status: 401, code: "APIGW.0301", msg: "Incorrect IAM authentication information",
			wantSuffix: "HTTP 401 APIGW.0301: Incorrect IAM authentication information (request id r1)"},
		{name: "forbidden is not about the keys", status: 403, code: "DBS.200003", msg: "no permission", authHint: hint,
			wantSuffix: "HTTP 403 DBS.200003: no permission (request id r1)"},
		{name: "bad request", status: 400, code: "DBS.200001", msg: "bad parameter", authHint: hint,
			wantSuffix: "HTTP 400 DBS.200001: bad parameter (request id r1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				writeJSON(w, c.status, map[string]string{"error_code": c.code, "error_msg": c.msg, "request_id": "r1"})
			}))
			defer srv.Close()
			client := newTestClient(t, srv.URL, func(cfg *Config) { cfg.AuthHint = c.authHint })
			_, err := client.ListInstances(context.Background(), ListInstancesOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasSuffix(err.Error(), c.wantSuffix) || strings.Count(err.Error(), hint) > 1 {
				t.Errorf("error = %q\nwant it to end with %q", err, c.wantSuffix)
			}
			if c.status == 401 && calls.Load() != 1 {
				t.Errorf("a 401 was sent %d times, want once (it is not retried)", calls.Load())
			}
			if strings.Contains(err.Error(), testCreds.SecretKey) {
				t.Errorf("the secret key is in the error: %q", err)
			}
		})
	}
}

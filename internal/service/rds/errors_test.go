package rds

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
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

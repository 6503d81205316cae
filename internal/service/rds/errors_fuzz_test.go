package rds

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// FuzzParseError feeds arbitrary non-2xx replies (status, body, request id header) to the error
// parser. Whatever comes back from a server, gateway or proxy: no panic, the status kept, and a
// message a person can read (never empty or blank), bounded when the body is not an API error,
// and an Error() that names the call and the status.
func FuzzParseError(f *testing.F) {
	f.Add(400, []byte(`{"error_code":"DBS.200543","error_msg":"job does not exist"}`), "")
	f.Add(429, []byte(`{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"r1"}`), "hdr")
	f.Add(409, []byte(`{"errCode":"DBS.201202","externalMessage":"instance is busy"}`), "")
	f.Add(401, []byte(`{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`), "")
	f.Add(404, []byte(`{"error":"no such thing"}`), "")
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>"), "r2")
	f.Add(503, []byte(""), "")
	f.Add(599, []byte(""), "")
	f.Add(420, []byte(`{"error_code":"X.1"}`), "")
	f.Add(500, []byte(`{"error_msg":"   "}`), "")
	f.Add(500, []byte(`{"error":{"code":"x","message":""}}`), "")
	f.Add(500, []byte(strings.Repeat("é", 300)), "")
	f.Add(-7, []byte("null"), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID string) {
		status = 300 + abs(status)%300 // any non-2xx status
		h := http.Header{}
		if requestID != "" {
			h.Set("X-Request-Id", requestID)
		}
		e := parseError(status, h, body, "GET", "/v3/{project_id}/jobs")
		if e == nil {
			t.Fatal("nil error")
		}
		if e.StatusCode != status {
			t.Fatalf("status %d became %d", status, e.StatusCode)
		}
		if strings.TrimSpace(e.Message) == "" {
			t.Fatalf("HTTP %d with body %q: empty message (%+v)", status, body, e)
		}
		if !json.Valid(body) && len(e.Message) > maxSnippet+len("...") {
			t.Fatalf("a body that is not JSON gave a message of %d bytes, want at most %d", len(e.Message), maxSnippet+3)
		}
		msg := e.Error()
		if !strings.Contains(msg, fmt.Sprintf("GET /v3/{project_id}/jobs: HTTP %d", status)) {
			t.Fatalf("Error() does not name the call and status: %q", msg)
		}
		if again := parseError(status, h, body, "GET", "/v3/{project_id}/jobs"); *again != *e {
			t.Fatalf("not deterministic: %+v vs %+v", e, again)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // the most negative int
			return 0
		}
		return -n
	}
	return n
}

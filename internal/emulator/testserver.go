package emulator

import (
	"net/http/httptest"
	"testing"
)

// NewTestServer starts the emulator on a local httptest server for the length of a test; both
// are closed by t.Cleanup. The URL (ts.URL) serves the RDS and IAM paths and /_emulator/.
func NewTestServer(t testing.TB, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("emulator: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

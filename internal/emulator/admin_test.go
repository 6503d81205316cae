package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestServeAdmin_health(t *testing.T) {
	cases := []struct {
		name, version, method string
		wantStatus            int
		wantVersion           string
	}{
		{"default version", "", http.MethodGet, http.StatusOK, "dev"},
		{"set version", "v1.2.3", http.MethodGet, http.StatusOK, "v1.2.3"},
		{"wrong method", "", http.MethodPost, http.StatusMethodNotAllowed, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Version = tc.version })
			status, data := e.admin(tc.method, AdminHealthPath, nil)
			if status != tc.wantStatus {
				t.Fatalf("health = %d %s", status, data)
			}
			if tc.wantVersion == "" {
				return
			}
			var h Health
			if err := json.Unmarshal(data, &h); err != nil || h.Status != "ok" || h.Version != tc.wantVersion {
				t.Errorf("health %s, want ok and %s", data, tc.wantVersion)
			}
		})
	}
}

package emulator

import (
	"net/http"
	"testing"
)

func TestServer_restoreReplyStatusSwitch(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    Unconfirmed
		want int
	}{
		{"default 202", Unconfirmed{}, http.StatusAccepted},
		{"200", Unconfirmed{RestoreStatus200: true}, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Unconfirmed = tc.u })
			status, data := e.request(http.MethodPost, p("/v3.1/{p}/instances/recovery"),
				backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
			if status != tc.want {
				t.Fatalf("restore = %d %s, want %d", status, data, tc.want)
			}
		})
	}
}

func TestServer_retryAfterSwitch(t *testing.T) {
	for _, tc := range []struct {
		name string
		u    Unconfirmed
		want bool
	}{
		{"default sends Retry-After", Unconfirmed{}, true},
		{"no Retry-After", Unconfirmed{NoRetryAfter: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Unconfirmed = tc.u; o.Throttle = 1 })
			e.request(http.MethodGet, p("/v3/{p}/instances"), nil)
			resp, data := e.send(e.newSigned(http.MethodGet, p("/v3/{p}/instances"), nil))
			wantError(t, resp.StatusCode, data, http.StatusTooManyRequests, codeThrottled)
			if got := resp.Header.Get("Retry-After") != ""; got != tc.want {
				t.Fatalf("Retry-After present = %v, want %v", got, tc.want)
			}
		})
	}
}

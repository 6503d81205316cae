package emulator

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func TestServeAPI_signatureChecks(t *testing.T) {
	e := newEnv(t, nil)
	path := p("/v3/{p}/instances")
	sign := func(creds signer.Credentials, at time.Time) func(*http.Request) {
		return func(r *http.Request) { signer.Sign(r, nil, creds, at) }
	}
	good := e.creds
	cases := []struct {
		name    string
		prepare func(*http.Request)
		want    int
	}{
		{"signed", sign(good, testStart), http.StatusOK},
		{"signed 14 minutes off", sign(good, testStart.Add(-14*time.Minute)), http.StatusOK},
		{"unsigned", func(*http.Request) {}, http.StatusUnauthorized},
		{"bad signature", sign(signer.Credentials{AccessKey: DemoAccessKey, SecretKey: "wrong"}, testStart), http.StatusUnauthorized},
		{"unknown key", sign(signer.Credentials{AccessKey: "NOSUCHKEY", SecretKey: DemoSecretKey}, testStart), http.StatusUnauthorized},
		{"stale date", sign(good, testStart.Add(-16*time.Minute)), http.StatusUnauthorized},
		{"date in the future", sign(good, testStart.Add(16*time.Minute)), http.StatusUnauthorized},
		{"date not signed", func(r *http.Request) {
			signer.Sign(r, nil, good, testStart)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;x-sdk-date", "SignedHeaders=host", 1))
		}, http.StatusUnauthorized},
		{"token instead of a signature", func(r *http.Request) { r.Header.Set("X-Auth-Token", "some-token") }, http.StatusUnauthorized},
		{"query changed after signing", func(r *http.Request) {
			signer.Sign(r, nil, good, testStart)
			r.URL.RawQuery = "limit=1"
		}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			tc.prepare(req)
			resp, data := e.send(req)
			if tc.want == http.StatusOK {
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d %s", resp.StatusCode, data)
				}
				return
			}
			eb := wantError(t, resp.StatusCode, data, tc.want, "APIGW.0301")
			if eb.RequestID == "" {
				t.Errorf("gateway error without request_id: %s", data)
			}
			if auth := req.Header.Get("Authorization"); strings.Contains(string(data), DemoSecretKey) ||
				(auth != "" && strings.Contains(string(data), auth)) {
				t.Errorf("reply echoes a secret: %s", data)
			}
		})
	}
}

func TestServeAPI_signedBodyIsChecked(t *testing.T) {
	e := newEnv(t, nil)
	body := backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID)
	req := e.newSigned(http.MethodPost, p("/v3.1/{p}/instances/recovery"), body)
	// Swap the body for another one after signing: the body hash no longer matches.
	other := encodeBody(t, backupRestore(MySQLSourceID, MySQLTargetID, MySQLManualBackupID))
	req.Body = io.NopCloser(bytes.NewReader(other))
	req.ContentLength = int64(len(other))
	resp, data := e.send(req)
	wantError(t, resp.StatusCode, data, http.StatusUnauthorized, "APIGW.0301")
	if len(e.state().Jobs) != 0 {
		t.Error("a request with a bad signature created a job")
	}
}

func TestServeAPI_unsignedPayloadHeader(t *testing.T) {
	e := newEnv(t, nil)
	body := encodeBody(t, backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+p("/v3.1/{p}/instances/recovery"), strings.NewReader(string(body)))
	req.Header.Set(signer.HeaderContentSha256, signer.UnsignedPayload)
	signer.Sign(req, nil, e.creds, e.clock.Now()) // body not hashed
	resp, data := e.send(req)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d %s", resp.StatusCode, data)
	}
}

func TestServeAPI_unknownPathAndWrongProject(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"unknown path", http.MethodGet, "/v3/" + DemoProjectID + "/flavors", http.StatusNotFound, "APIGW.0101"},
		{"root", http.MethodGet, "/", http.StatusNotFound, "APIGW.0101"},
		{"wrong method", http.MethodDelete, p("/v3/{p}/instances"), http.StatusNotFound, "APIGW.0101"},
		{"v3.1 has no instances list", http.MethodGet, p("/v3.1/{p}/instances"), http.StatusNotFound, "APIGW.0101"},
		{"other project", http.MethodGet, "/v3/ffffffffffffffffffffffffffffffff/instances", http.StatusBadRequest, "DBS.200001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, data := e.request(tc.method, tc.path, nil)
			wantError(t, status, data, tc.status, tc.code)
		})
	}
	// A trailing slash is the same API.
	var r rds.ListInstancesResponse
	e.get(p("/v3/{p}/instances/"), &r)
	if r.TotalCount == 0 {
		t.Error("no instances with a trailing slash")
	}
}

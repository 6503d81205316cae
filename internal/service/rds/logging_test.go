package rds

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestWithMasking_traceLogsCarryNoSecrets(t *testing.T) {
	var authValues []string
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		auth := r.Header.Get("Authorization")
		authValues = append(authValues, auth)
		// A misbehaving server that echoes the credentials back: masking must still hold.
		if r.Method == "POST" {
			apiError(w, 400, "DBS.200001", "bad request, got Authorization "+auth+" token "+r.Header.Get("X-Security-Token"))
			return
		}
		writeJSON(w, 200, map[string]any{"job": map[string]any{"id": "j1", "status": "Running", "process": "3%",
			"echo": auth, "token": r.Header.Get("X-Security-Token")}})
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	c := newTestClient(t, api.URL)
	if _, err := c.GetJob(ctx, "j1"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Restore(ctx, testRestore)
	if err == nil {
		t.Fatal("want the 400")
	}
	for _, leak := range []string{testCreds.SecurityToken, "Signature="} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error message carries %q: %v", leak, err)
		}
	}
	// Callers log errors too; the provider masks its context once per request with WithMasking.
	tflog.Error(WithMasking(ctx, testCreds), "restore failed", map[string]any{"error": err.Error(),
		"X-Security-Token": testCreds.SecurityToken, "secret_key": "whatever"})

	out := buf.String()
	for _, want := range []string{`"@level":"trace"`, `"@level":"debug"`, `"method":"GET"`, `"path":"/v3/{project_id}/jobs"`,
		`"query":"id=j1"`, `"status":200`, `"attempt":1`, `"duration_ms"`, `"error_code":"DBS.200001"`, "response body"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	secrets := []string{testCreds.SecretKey, testCreds.SecurityToken}
	for _, a := range authValues {
		secrets = append(secrets, a, a[strings.Index(a, "Signature=")+len("Signature="):])
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log contains a secret %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "whatever") {
		t.Error("field secret_key not masked")
	}
	if !strings.Contains(out, "***") {
		t.Error("expected masked values")
	}
}

func TestWithMasking_ignoresEmptySecrets(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = WithMasking(ctx, testCreds)
	ctx = WithMasking(ctx, testCreds) // idempotent enough to call twice
	noToken := testCreds
	noToken.SecurityToken = ""
	tflog.Info(WithMasking(ctx, noToken), "plain message", map[string]any{"k": "value"})
	if !strings.Contains(buf.String(), `"@message":"plain message"`) || !strings.Contains(buf.String(), `"k":"value"`) {
		t.Fatalf("an empty secret garbled the log: %s", buf.String())
	}
}

package clitest

import (
	"regexp"
	"strings"
	"testing"
)

// TLS verification stays on unless `insecure = true`: against an emulator with a self-signed
// certificate the provider refuses to talk (a certificate error, nothing submitted); with
// insecure it works.
func TestAccCLI_tlsVerification(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	emu := startEmulator(t, "-tls-self-signed", "-job-duration", "1s")
	if !strings.HasPrefix(emu.URL, "https://") {
		t.Fatalf("the emulator serves %s, want https", emu.URL)
	}

	strict := newWorkspace(t, emu.URL, demoCredentials(), "  max_retries = 1", restoreBlock())
	r := strict.run(nil, "apply", "-auto-approve", "-no-color")
	if r.ExitCode == 0 {
		t.Fatalf("apply against a self-signed certificate succeeded without insecure:\n%s", r)
	}
	certErr := regexp.MustCompile(`(?s)x509:.*certificate|certificate signed by unknown authority|failed to verify certificate`)
	if !certErr.MatchString(r.output()) {
		t.Errorf("the error does not name the certificate problem:\n%s", r)
	}
	if !regexp.MustCompile(`(?s)set insecure\s+=\s+true`).MatchString(r.output()) {
		t.Errorf("the error does not say what to do about a test endpoint's certificate:\n%s", r)
	}
	if n := restorePOSTs(emu.requests(t)); n != 0 {
		t.Errorf("restore submissions without a trusted certificate = %d, want 0", n)
	}
	// The TLS handshake failed, so no API request reached the emulator at all.
	if rs := emu.requests(t); len(rs) != 0 {
		t.Errorf("the emulator received %d API requests over an unverified connection, want 0: %+v", len(rs), rs)
	}

	insecure := newWorkspace(t, emu.URL, demoCredentials(), "  insecure = true", restoreBlock())
	insecure.mustRun(nil, "apply", "-auto-approve", "-no-color")
	attrs, _, ok := insecure.restoreAttrs()
	if !ok || attrs["status"] != "Completed" {
		t.Errorf("state with insecure = true: %v, want status Completed", attrs)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Errorf("restore submissions with insecure = true = %d, want 1", n)
	}
	if jobs := emu.jobs(t); len(jobs) != 1 {
		t.Errorf("emulator jobs = %+v, want 1", jobs)
	}
}

package clitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// leakPatterns find credential-shaped text whatever the values: an AK/SK Authorization value or
// its signature, and a credential header written with a value that was not masked.
var leakPatterns = map[string]*regexp.Regexp{
	"an Authorization value":    regexp.MustCompile(`SDK-HMAC-SHA256\s+Access=`),
	"a request signature":       regexp.MustCompile(`Signature=[0-9A-Fa-f]{8,}`),
	"a credential header value": regexp.MustCompile(`(?i)\b(authorization|x-auth-token|x-security-token|x-subject-token)\b["']?\s*[:=]\s*["']?[A-Za-z0-9+/_-]{6,}`),
}

// leakScan searches texts for given secret values and for leakPatterns. Findings name the
// text, what was found and where, never the secret itself (the test log is a CI log too).
type leakScan struct {
	t       reporter
	secrets map[string]string // label -> value
	scanned []string
}

// reporter is the part of *testing.T a leakScan reports through.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

func newLeakScan(t reporter, secrets map[string]string) *leakScan {
	for label, v := range secrets {
		if len(v) < 8 {
			t.Fatalf("secret %s is too short to search for", label)
		}
	}
	return &leakScan{t: t, secrets: secrets}
}

func (s *leakScan) check(name, text string) {
	s.t.Helper()
	s.scanned = append(s.scanned, fmt.Sprintf("%s (%d bytes)", name, len(text)))
	for label, v := range s.secrets {
		if i := strings.Index(text, v); i >= 0 {
			s.t.Errorf("%s contains %s at byte %d", name, label, i)
		}
	}
	for label, re := range leakPatterns {
		if loc := re.FindStringIndex(text); loc != nil {
			s.t.Errorf("%s contains %s at byte %d: %q", name, label, loc[0], s.mask(text[loc[0]:min(loc[1]+24, len(text))]))
		}
	}
}

// mask hides the secret values in an excerpt before it is printed.
func (s *leakScan) mask(excerpt string) string {
	for _, v := range s.secrets {
		excerpt = strings.ReplaceAll(excerpt, v, "<secret>")
	}
	return excerpt
}

// checkResult scans a CLI command's stdout and stderr.
func (s *leakScan) checkResult(name string, r result) {
	s.t.Helper()
	s.check(name+" stdout", r.Stdout)
	s.check(name+" stderr", r.Stderr)
}

// checkFile scans a file, which must exist and not be empty.
func (s *leakScan) checkFile(name, path string) string {
	s.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		s.t.Fatalf("%s: %v", name, err)
	}
	text := string(data)
	if text == "" {
		s.t.Errorf("%s (%s) is missing or empty: nothing to search", name, filepath.Base(path))
	}
	s.check(name, text)
	return text
}

// secretSeed writes the built-in seed with a fresh access key pair and returns its path.
func secretSeed(t *testing.T, ak, sk string) string {
	t.Helper()
	seed := emulator.DefaultSeed()
	seed.Credentials = []emulator.Credential{{AccessKey: ak, SecretKey: sk}}
	data, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// No secret in anything a run leaves behind: with temporary credentials (a security token), the
// TRACE log of the CLI and the provider, the output of plan, apply and show, the state file, and
// the errors of failing applies (a failed job, a server that echoes credentials back in its error
// message, a wrong secret key) hold neither the secret key nor the token nor any Authorization,
// X-Auth-Token or X-Security-Token value. The emulator's own log is searched too.
func TestAccCLI_noSecretsInLogsOutputOrState(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	ak := "CLITEST" + strings.ToUpper(randomHex(t, 7))
	creds := credentials{AccessKey: ak, SecretKey: "sk-" + randomHex(t, 20), SecurityToken: "token-" + randomHex(t, 32)}
	wrongSecret := "wrong-sk-" + randomHex(t, 20)
	scan := newLeakScan(t, map[string]string{
		"the secret key": creds.SecretKey, "the security token": creds.SecurityToken, "the wrong secret key": wrongSecret,
	})
	emu := startEmulator(t, "-seed", secretSeed(t, ak, creds.SecretKey), "-job-duration", "1s")

	// 1. A full plan and apply at TRACE, then show and the state.
	w := newWorkspace(t, emu.URL, creds, "", restoreBlock())
	trace := func(name string) []string {
		return []string{"TF_LOG=TRACE", "TF_LOG_PATH=" + w.path(name)}
	}
	scan.checkResult("plan", w.mustRun(trace("plan.log"), "plan", "-no-color"))
	scan.checkResult("apply", w.mustRun(trace("apply.log"), "apply", "-auto-approve", "-no-color"))
	planLog := scan.checkFile("the TRACE log of plan", w.path("plan.log"))
	applyLog := scan.checkFile("the TRACE log of apply", w.path("apply.log"))
	scan.checkResult("show", w.mustRun(nil, "show", "-no-color"))
	scan.checkResult("show -json", w.mustRun(nil, "show", "-json"))
	scan.checkFile("the state file", w.path("terraform.tfstate"))
	// The search is only worth something if the logs hold the provider's API traffic, bodies
	// included, and the token was really used.
	for _, want := range []string{"RDS client: API call", "RDS client: request body", "RDS client: response body", "/instances/recovery"} {
		if !strings.Contains(applyLog, want) {
			t.Errorf("the TRACE log of apply lacks %q: the provider's logs were not captured", want)
		}
	}
	if !strings.Contains(planLog, "RDS client: API call") {
		t.Errorf("the TRACE log of plan lacks the provider's API calls")
	}
	if attrs, _, _ := w.restoreAttrs(); attrs["status"] != "Completed" {
		t.Fatalf("the restore did not complete: %v", attrs)
	}

	// 2. A failing job: the error output and its TRACE log.
	emu.fault(t, emulator.Fault{FailNextJob: "the backup file is damaged"})
	failing := newWorkspace(t, emu.URL, creds, "", restoreBlock())
	r := failing.run(trace("failing-job.log"), "apply", "-auto-approve", "-no-color")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "the backup file is damaged") {
		t.Errorf("the failing job's apply: want an error with the fail_reason:\n%s", r)
	}
	scan.checkResult("a failing job's apply", r)
	scan.checkFile("the TRACE log of a failing job's apply", w.path("failing-job.log"))

	// 3. A server (or proxy) that echoes the request's credentials in its error message: the
	// provider's error and its logs must not repeat them.
	echo := fmt.Sprintf("echo of the request: X-Security-Token: %s, secret %s, Authorization: SDK-HMAC-SHA256 Access=%s, "+
		"SignedHeaders=host;x-sdk-date, Signature=%s", creds.SecurityToken, creds.SecretKey, ak, randomHex(t, 32))
	emu.fault(t, emulator.Fault{Method: "POST", Path: "/v3.1/*/instances/recovery", Count: 1, Status: 400,
		ErrorCode: "DBS.200001", ErrorMsg: echo})
	echoing := newWorkspace(t, emu.URL, creds, "", restoreBlock())
	r = echoing.run(trace("echo.log"), "apply", "-auto-approve", "-no-color")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "DBS.200001") {
		t.Errorf("the echoing server's apply: want an error naming DBS.200001:\n%s", scan.mask(r.String()))
	}
	scan.checkResult("the echoing server's apply", r)
	scan.checkFile("the TRACE log of the echoing server's apply", w.path("echo.log"))

	// 4. A wrong secret key: a clear error naming the gateway's code, and no secret. The
	// emulator's own tests cover unsigned, mis-signed, stale and unknown-key requests one by one.
	wrong := newWorkspace(t, emu.URL, credentials{AccessKey: ak, SecretKey: wrongSecret, SecurityToken: creds.SecurityToken}, "", restoreBlock())
	r = wrong.run(trace("wrong-key.log"), "apply", "-auto-approve", "-no-color")
	if r.ExitCode == 0 {
		t.Fatalf("apply with a wrong secret key succeeded:\n%s", scan.mask(r.String()))
	}
	if !regexp.MustCompile(`(?s)HTTP\s+401\s+APIGW\.0301`).MatchString(r.Stderr) {
		t.Errorf("the wrong secret key's error does not name HTTP 401 APIGW.0301:\n%s", scan.mask(r.Stderr))
	}
	if !regexp.MustCompile(`(?s)credentials`).MatchString(r.Stderr) {
		t.Errorf("the wrong secret key's error does not point at the credentials:\n%s", scan.mask(r.Stderr))
	}
	// It names the arguments and the variables that hold the keys (the CLI wraps long lines).
	for _, want := range []string{`access_key\s+\(HW_ACCESS_KEY\s+or\s+HUAWEICLOUD_SDK_AK\)`, `secret_key\s+\(HW_SECRET_KEY\s+or\s+HUAWEICLOUD_SDK_SK\)`} {
		if !regexp.MustCompile(want).MatchString(r.Stderr) {
			t.Errorf("the wrong secret key's error does not match %s:\n%s", want, scan.mask(r.Stderr))
		}
	}
	scan.checkResult("the wrong secret key's apply", r)
	scan.checkFile("the TRACE log of the wrong secret key's apply", w.path("wrong-key.log"))

	// An access key the gateway does not know: the same code, and still no secret.
	unknown := newWorkspace(t, emu.URL, credentials{AccessKey: "NOSUCHKEY" + strings.ToUpper(randomHex(t, 4)), SecretKey: creds.SecretKey}, "", restoreBlock())
	r = unknown.run(trace("unknown-key.log"), "apply", "-auto-approve", "-no-color")
	if r.ExitCode == 0 || !regexp.MustCompile(`(?s)HTTP\s+401\s+APIGW\.0301`).MatchString(r.Stderr) {
		t.Errorf("apply with an unknown access key: want an error naming HTTP 401 APIGW.0301:\n%s", scan.mask(r.String()))
	}
	scan.checkResult("the unknown access key's apply", r)
	scan.checkFile("the TRACE log of the unknown access key's apply", w.path("unknown-key.log"))

	// 5. The emulator's own log (it prints one line per request).
	scan.check("the emulator's log", emu.log.String())

	// Exactly the restores that were meant: the first apply's and the failing job's; the echoing
	// server refused, and the wrong key never got through.
	if n := len(emu.jobs(t)); n != 2 {
		t.Errorf("emulator jobs = %d, want 2", n)
	}
	t.Logf("searched: %s", strings.Join(scan.scanned, "; "))
}

// recorder collects what a leakScan reports.
type recorder struct{ errors []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}

// The scan itself finds what it is meant to find (else the test above would pass vacuously), and
// never prints a secret while reporting it.
func TestLeakScan_findsLeaks(t *testing.T) {
	secret := "sk-0123456789abcdef"
	for _, tc := range []struct {
		text string
		leak bool
	}{
		{"all clear: secret ***, Authorization: ***, X-Security-Token: ***", false},
		{`"secret_key": "` + secret + `"`, true},
		{"Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=***", true},
		{"signed with Signature=5a2ce64c865e0e6046321c6f3d5a77ba", true},
		{`{"X-Security-Token":"gQpjbi1ub3J0aC00"}`, true},
		{"x-auth-token: MIIEhAYJKoZIhvcNAQcCoIIEdTCC", true},
		{`"Authorization": "***"`, false},
	} {
		rec := &recorder{}
		newLeakScan(rec, map[string]string{"the secret key": secret}).check("text", tc.text)
		if got := len(rec.errors) > 0; got != tc.leak {
			t.Errorf("scan of %q: found a leak = %v, want %v (%v)", tc.text, got, tc.leak, rec.errors)
		}
		for _, e := range rec.errors {
			if strings.Contains(e, secret) {
				t.Errorf("the report repeats the secret: %s", e)
			}
		}
	}
}

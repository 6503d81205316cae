package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func TestParseThrottle_forms(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"60/min", 60, true}, {"60", 60, true}, {" 5/minute ", 5, true}, {"0", 0, true}, {"10/m", 10, true},
		{"60/s", 0, false}, {"fast", 0, false}, {"-1", 0, false}, {"", 0, false},
	}
	for _, tc := range cases {
		got, err := parseThrottle(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseThrottle(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestParseFlags_errors(t *testing.T) {
	for _, args := range [][]string{
		{"-tls-cert", "c.pem"},
		{"-tls-self-signed", "-tls-cert", "c.pem", "-tls-key", "k.pem"},
		{"-throttle", "1/hour"},
		{"-job-duration", "-1s"},
		{"-job-queue-delay", "-1s"},
		{"-backup-duration", "-2s"},
		{"extra"},
		{"-nosuchflag"},
		{"-restore-status", "201"},
		{"-task-list", "sometimes"},
	} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	c, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil || c.addr != "127.0.0.1:8080" || c.jobVisibleAfter != time.Second || c.throttle != 0 ||
		c.ignoreUnknown || c.unconfirmed != (emulator.Unconfirmed{}) {
		t.Errorf("defaults %+v %v", c, err)
	}
}

func TestParseFlags_switches(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want emulator.Unconfirmed
	}{
		{[]string{"-restore-status", "200"}, emulator.Unconfirmed{RestoreStatus200: true}},
		{[]string{"-restore-status", "202"}, emulator.Unconfirmed{}},
		{[]string{"-no-retry-after"}, emulator.Unconfirmed{NoRetryAfter: true}},
		{[]string{"-task-list", "missing"}, emulator.Unconfirmed{TaskListMissing: true}},
		{[]string{"-task-list", "without-restores"}, emulator.Unconfirmed{TaskListWithoutRestores: true}},
	} {
		c, err := parseFlags(tc.args, &bytes.Buffer{})
		if err != nil || c.unconfirmed != tc.want {
			t.Errorf("parseFlags(%q) = %+v %v, want %+v", tc.args, c.unconfirmed, err, tc.want)
		}
	}
	if c, err := parseFlags([]string{"-ignore-unknown-fields"}, &bytes.Buffer{}); err != nil || !c.ignoreUnknown {
		t.Errorf("-ignore-unknown-fields: %+v %v", c, err)
	}
}

// lineWriter collects output and signals each complete line (never blocking the writer).
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer    // the incomplete last line
	all   strings.Builder // everything written
	lines chan string
}

func newLineWriter() *lineWriter { return &lineWriter{lines: make(chan string, 64)} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.Reset()
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- strings.TrimSuffix(line, "\n"):
		default: // nobody is reading lines any more: the transcript keeps them
		}
	}
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

func (w *lineWriter) next(t *testing.T) string {
	t.Helper()
	select {
	case l := <-w.lines:
		return l
	case <-time.After(5 * time.Second):
		t.Fatal("no output line")
		return ""
	}
}

var listening = regexp.MustCompile(`^rds-emulator listening on (https?://127\.0\.0\.1:[1-9][0-9]*)$`)

// start runs the emulator in-process and returns its URL; the test's end stops it and checks
// that it stopped cleanly.
func start(t *testing.T, args ...string) (string, *lineWriter, *lineWriter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLineWriter(), newLineWriter()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, stderr) }()
	m := listening.FindStringSubmatch(stdout.next(t))
	if m == nil {
		cancel()
		t.Fatalf("first line does not announce the URL; stderr: %v", <-done)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("the emulator did not stop")
		}
	})
	return m[1], stdout, stderr
}

func signedGet(t *testing.T, client *http.Client, url string, creds signer.Credentials) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	signer.Sign(req, nil, creds, time.Now())
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

var demoCreds = signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey}

func TestRun_builtInSeed(t *testing.T) {
	url, stdout, stderr := start(t, "-job-duration", "100ms", "-throttle", "60/min")
	hint := stdout.next(t)
	for _, want := range []string{emulator.DemoAccessKey, emulator.DemoSecretKey, emulator.DemoProjectID, emulator.DemoRegion} {
		if !strings.Contains(hint, want) {
			t.Errorf("hint %q: want the demo credentials' actual values (%s)", hint, want)
		}
	}
	resp, body := signedGet(t, http.DefaultClient, url+"/_emulator/health", demoCreds)
	var h emulator.Health
	if err := json.Unmarshal(body, &h); resp.StatusCode != http.StatusOK || err != nil || h.Status != "ok" || h.Version != "dev" {
		t.Errorf("health = %d %s", resp.StatusCode, body)
	}
	resp, body = signedGet(t, http.DefaultClient, url+"/v3/"+emulator.DemoProjectID+"/instances?id="+emulator.MySQLSourceID, demoCreds)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "mysql57-prod") {
		t.Fatalf("instances = %d %s", resp.StatusCode, body)
	}
	if line := stderr.next(t); !strings.Contains(line, "GET /v3/"+emulator.DemoProjectID+"/instances -> 200") || strings.Contains(line, "Signature") {
		t.Errorf("log line %q", line)
	}
}

func TestRun_seedFileAndState(t *testing.T) {
	dir := t.TempDir()
	seed := emulator.DefaultSeed()
	seed.Credentials = []emulator.Credential{{AccessKey: "FILEAK", SecretKey: "file-secret-key"}}
	data, _ := json.Marshal(seed)
	seedPath, statePath := filepath.Join(dir, "seed.json"), filepath.Join(dir, "state.json")
	if err := os.WriteFile(seedPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	url, stdout, stderr := start(t, "-seed", seedPath, "-state", statePath, "-job-visible-after", "0s")
	creds := signer.Credentials{AccessKey: "FILEAK", SecretKey: "file-secret-key"}
	if resp, body := signedGet(t, http.DefaultClient, url+"/v3/projects?name=cn-north-4", creds); resp.StatusCode != 200 {
		t.Fatalf("projects = %d %s", resp.StatusCode, body)
	}
	if resp, _ := signedGet(t, http.DefaultClient, url+"/v3/projects", demoCreds); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("demo credentials accepted with a seed file: %d", resp.StatusCode)
	}
	select {
	case l := <-stdout.lines:
		t.Errorf("unexpected output with a seed file: %q", l)
	default:
	}
	if _, err := os.Stat(statePath); err != nil {
		t.Errorf("state file: %v", err)
	}
	if strings.Contains(stderr.String(), "file-secret-key") {
		t.Error("the secret key was logged")
	}
}

func TestRun_selfSignedTLS(t *testing.T) {
	url, _, _ := start(t, "-tls-self-signed")
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %s", url)
	}
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the emulator's self-signed certificate
		ForceAttemptHTTP2: true,
	}}
	var r rds.ListProjectsResponse
	resp, body := signedGet(t, client, url+"/v3/projects?name="+emulator.DemoRegion, demoCreds)
	if err := json.Unmarshal(body, &r); err != nil || resp.StatusCode != 200 || len(r.Projects) != 1 {
		t.Fatalf("projects over TLS = %d %s", resp.StatusCode, body)
	}
	// A dropped connection works over HTTP/2 too (the stream is reset).
	fault, _ := http.NewRequest(http.MethodPost, url+"/_emulator/faults", strings.NewReader(`{"method":"GET","path":"/v3/projects","drop":"before"}`))
	if resp, err := client.Do(fault); err != nil || resp.StatusCode != 200 {
		t.Fatalf("fault: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/v3/projects", nil)
	signer.Sign(req, nil, demoCreds, time.Now())
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped request got a reply: %d (%s)", resp.StatusCode, resp.Proto)
	}
}

// The real process stops cleanly on SIGTERM and SIGINT.
func TestRun_processStopsOnSignal(t *testing.T) {
	if os.Getenv("RDS_EMULATOR_BE_MAIN") == "1" {
		os.Args = append([]string{"rds-emulator"}, strings.Fields(os.Getenv("RDS_EMULATOR_ARGS"))...)
		main()
		os.Exit(0)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRun_processStopsOnSignal$")
			cmd.Env = append(os.Environ(), "RDS_EMULATOR_BE_MAIN=1", "RDS_EMULATOR_ARGS=-addr 127.0.0.1:0")
			stdout, stderr := newLineWriter(), newLineWriter()
			cmd.Stdout, cmd.Stderr = stdout, stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if l := stdout.next(t); !listening.MatchString(l) {
				_ = cmd.Process.Kill()
				t.Fatalf("first line %q", l)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			errc := make(chan error, 1)
			go func() { errc <- cmd.Wait() }()
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("exit: %v", err)
				}
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("did not stop")
			}
			if !strings.Contains(stderr.String(), "rds-emulator: stopped") {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}

func TestRun_version(t *testing.T) {
	cases := []struct {
		name, set, want string
	}{
		{"without ldflags", "dev", "rds-emulator dev\n"}, // a test binary has no module version
		{"set by -ldflags -X main.version", "1.4.0", "rds-emulator 1.4.0\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			saved := version
			version = tc.set
			defer func() { version = saved }()
			var out bytes.Buffer
			if err := run(context.Background(), []string{"-version"}, &out, &bytes.Buffer{}); err != nil || out.String() != tc.want {
				t.Errorf("-version printed %q, %v; want %q", out.String(), err, tc.want)
			}
		})
	}
}

package clitest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
)

// The module's import paths of the two binaries the tests build.
const (
	providerPackage = "github.com/opendrill/terraform-provider-hwc"
	emulatorPackage = "github.com/opendrill/terraform-provider-hwc/cmd/rds-emulator"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// skipUnlessAcc skips a test unless TF_ACC is set, as the acceptance tests do.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("CLI test: set TF_ACC=1 (make test does)")
	}
}

// cliPath is the Terraform or OpenTofu binary under test.
func cliPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no CLI: set TF_ACC_TERRAFORM_PATH (make acc-tofu does), or put terraform or tofu on PATH")
	return ""
}

// binaries builds the provider and the emulator once per test binary; it returns the directory
// holding terraform-provider-hwc (for dev_overrides) and the emulator's path.
func binaries(t *testing.T) (providerDir, emulatorBin string) {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "hwc-clitest-")
		if buildErr != nil {
			return
		}
		goBin, err := exec.LookPath("go")
		if err != nil {
			buildErr = err
			return
		}
		for _, b := range []struct{ out, pkg string }{
			{"terraform-provider-hwc", providerPackage},
			{"rds-emulator", emulatorPackage},
		} {
			cmd := exec.Command(goBin, "build", "-o", filepath.Join(buildDir, b.out), b.pkg)
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir, filepath.Join(buildDir, "rds-emulator")
}

// randomHex returns n random bytes in hex: distinctive secrets to search for.
func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// ---- the emulator as a process --------------------------------------------------------------

// emulatorProc is a running rds-emulator.
type emulatorProc struct {
	t    *testing.T
	bin  string
	args []string
	cmd  *exec.Cmd
	URL  string
	log  *syncBuffer // everything it printed (stdout and stderr)
	done chan struct{}
}

// startEmulator runs the emulator with args (an -addr is added when absent) and waits for the
// URL it prints. It is stopped when the test ends.
func startEmulator(t *testing.T, args ...string) *emulatorProc {
	t.Helper()
	_, bin := binaries(t)
	hasAddr := false
	for _, a := range args {
		hasAddr = hasAddr || a == "-addr" || strings.HasPrefix(a, "-addr=")
	}
	if !hasAddr {
		args = append([]string{"-addr", "127.0.0.1:0"}, args...)
	}
	e := &emulatorProc{t: t, bin: bin, args: args, log: &syncBuffer{}}
	e.start()
	t.Cleanup(e.stop)
	return e
}

var listeningRE = regexp.MustCompile(`rds-emulator listening on (https?://\S+)`)

// start launches the emulator and fails the test unless it prints its URL.
func (e *emulatorProc) start() {
	e.t.Helper()
	if !e.launch() {
		e.t.Fatalf("the emulator did not start (%s):\n%s", strings.Join(e.args, " "), e.log.String())
	}
}

// launch starts the emulator and waits (up to 30s) for the URL it prints; it reports false when
// the emulator exits first (say, its port is still taken).
func (e *emulatorProc) launch() bool {
	e.t.Helper()
	e.URL = ""
	cmd := exec.Command(e.bin, e.args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stderr = e.log
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("start the emulator: %v", err)
	}
	e.cmd, e.done = cmd, make(chan struct{})
	done := e.done
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			e.log.WriteString(line + "\n")
			if m := listeningRE.FindStringSubmatch(line); m != nil && !sent {
				urls <- m[1]
				sent = true
			}
		}
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case u := <-urls:
		e.URL = u
		return true
	case <-done:
		return false
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return false
	}
}

// stop ends the emulator with SIGTERM (SIGKILL after 10s) and waits for it.
func (e *emulatorProc) stop() {
	if e.cmd == nil {
		return
	}
	select {
	case <-e.done:
		return
	default:
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.done
	}
}

// kill ends the emulator abruptly (as a crash would) and waits for it.
func (e *emulatorProc) kill() {
	_ = e.cmd.Process.Kill()
	<-e.done
}

// restart starts the emulator again with the same arguments, on the same address.
func (e *emulatorProc) restart() {
	e.t.Helper()
	url := e.URL
	addr := strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")
	args := []string{"-addr", addr}
	for i := 0; i < len(e.args); i++ {
		if e.args[i] == "-addr" {
			i++ // and its value
			continue
		}
		args = append(args, e.args[i])
	}
	e.args = args
	// The port was just released; give the kernel a few tries to let it be bound again.
	deadline := time.Now().Add(10 * time.Second)
	for !e.launch() {
		if time.Now().After(deadline) {
			e.t.Fatalf("the emulator did not start again on %s:\n%s", addr, e.log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if e.URL != url {
		e.t.Fatalf("the emulator came back on %s, want %s", e.URL, url)
	}
}

// adminClient talks to the emulator's admin endpoints; a self-signed emulator is trusted here
// (the tests check the provider's verification, not their own).
var adminClient = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // test helper
}

func (e *emulatorProc) admin(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, body)
	if err != nil {
		return err
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("emulator admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// emuJob is a job of the emulator's state dump.
type emuJob struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	InstanceID string `json:"instance_id"`
	FailReason string `json:"fail_reason"`
}

// emuRequest is an entry of the emulator's request log.
type emuRequest struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
}

func (e *emulatorProc) jobs(t *testing.T) []emuJob {
	t.Helper()
	var st struct {
		Jobs []emuJob `json:"jobs"`
	}
	if err := e.admin(http.MethodGet, "/_emulator/state", nil, &st); err != nil {
		t.Fatal(err)
	}
	return st.Jobs
}

func (e *emulatorProc) requests(t *testing.T) []emuRequest {
	t.Helper()
	var rs []emuRequest
	if err := e.admin(http.MethodGet, "/_emulator/requests", nil, &rs); err != nil {
		t.Fatal(err)
	}
	return rs
}

func (e *emulatorProc) fault(t *testing.T, f map[string]any) {
	t.Helper()
	if err := e.admin(http.MethodPost, "/_emulator/faults", f, nil); err != nil {
		t.Fatal(err)
	}
}

// restorePOSTs counts the restore submissions in a request log.
func restorePOSTs(rs []emuRequest) int {
	n := 0
	for _, r := range rs {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/instances/recovery") {
			n++
		}
	}
	return n
}

// waitFor polls cond every 50ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ---- the CLI in a working directory -----------------------------------------------------------

// workspace is one root module with its own CLI configuration and state.
type workspace struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

// credentials the provider gets through its environment variables (as in CI).
type credentials struct {
	AccessKey, SecretKey, SecurityToken string
}

func demoCredentials() credentials {
	return credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey}
}

// newWorkspace writes main.tf (the provider block pointing at url, then body) and a CLI
// configuration whose dev_overrides serve the provider built by binaries().
func newWorkspace(t *testing.T, url string, creds credentials, providerArgs, body string) *workspace {
	t.Helper()
	providerDir, _ := binaries(t)
	w := &workspace{t: t, cli: cliPath(t), dir: t.TempDir()}
	// The short source address means each CLI's own default registry, as in required_providers.
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "opendrill/hwc" = %q
  }
  direct {}
}
`, providerDir)
	w.write("cli.tfrc", rc)
	w.write("main.tf", fmt.Sprintf(`terraform {
  required_providers {
    hwc = { source = "opendrill/hwc" }
  }
}

provider "hwc" {
  region     = %q
  project_id = %q
  endpoints = {
    rds = %q
    iam = %q
  }
%s
}

%s
`, emulator.DemoRegion, emulator.DemoProjectID, url, url, providerArgs, body))
	w.env = cliEnv(filepath.Join(w.dir, "cli.tfrc"))
	w.env = append(w.env, "HW_ACCESS_KEY="+creds.AccessKey, "HW_SECRET_KEY="+creds.SecretKey)
	if creds.SecurityToken != "" {
		w.env = append(w.env, "HW_SECURITY_TOKEN="+creds.SecurityToken)
	}
	return w
}

// cliEnv is the test process's environment without anything that would change the CLI's or the
// provider's behaviour, plus a CLI configuration and quiet automation settings.
func cliEnv(rcFile string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "HW_"),
			strings.HasPrefix(name, "HWC_"), strings.HasPrefix(name, "HUAWEICLOUD_"),
			name == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+rcFile, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
}

func (w *workspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *workspace) path(name string) string { return filepath.Join(w.dir, name) }

// result is one finished CLI command.
type result struct {
	args     []string
	stdout   string
	stderr   string
	exitCode int
	took     time.Duration
}

func (r result) output() string { return r.stdout + r.stderr }

func (r result) String() string {
	return fmt.Sprintf("%s: exit %d after %s\n--- stdout\n%s\n--- stderr\n%s", strings.Join(r.args, " "), r.exitCode,
		r.took.Round(time.Millisecond), r.stdout, r.stderr)
}

// command prepares the CLI with args, the workspace's environment plus extra variables.
func (w *workspace) command(ctx context.Context, extraEnv []string, args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	cmd := exec.CommandContext(ctx, w.cli, args...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 10 * time.Second
	return cmd, stdout, stderr
}

// run runs the CLI to the end (within 5 minutes).
func (w *workspace) run(extraEnv []string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, stdout, stderr := w.command(ctx, extraEnv, args...)
	start := time.Now()
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.exitCode = exit.ExitCode()
	default:
		w.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, r)
	}
	return r
}

// mustRun runs the CLI and fails the test unless it exits 0.
func (w *workspace) mustRun(extraEnv []string, args ...string) result {
	w.t.Helper()
	r := w.run(extraEnv, args...)
	if r.exitCode != 0 {
		w.t.Fatalf("%s", r)
	}
	return r
}

// tfState is the part of terraform.tfstate the tests read.
type tfState struct {
	Resources []struct {
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			Status     string         `json:"status"` // "tainted" when tainted
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// restoreAttrs returns the attributes of the one hwc_rds_instance_restore in the state, and its
// instance status ("" or "tainted"); ok is false when there is none.
func (w *workspace) restoreAttrs() (attrs map[string]any, instanceStatus string, ok bool) {
	w.t.Helper()
	data, err := os.ReadFile(w.path("terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", false
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var st tfState
	if err := json.Unmarshal(data, &st); err != nil {
		w.t.Fatalf("terraform.tfstate: %v\n%s", err, data)
	}
	for _, r := range st.Resources {
		if r.Type == "hwc_rds_instance_restore" && len(r.Instances) == 1 {
			return r.Instances[0].Attributes, r.Instances[0].Status, true
		}
	}
	return nil, "", false
}

// restoreBlock is a MySQL backup restore of the built-in seed.
func restoreBlock(extra ...string) string {
	return fmt.Sprintf(`resource "hwc_rds_instance_restore" "drill" {
  source_instance_id = %q
  target_instance_id = %q
  backup_id          = %q
%s
}
`, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID, strings.Join(extra, "\n"))
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) WriteString(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// readFile returns a file's content ("" when it does not exist).
func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(data)
}

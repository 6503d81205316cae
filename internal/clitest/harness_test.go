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
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// builds holds the provider and the emulator, built once per test binary.
var builds = tfcli.Builds{Binaries: []tfcli.Binary{tfcli.Provider, tfcli.Emulator}}

func TestMain(m *testing.M) {
	code := m.Run()
	builds.Remove()
	os.Exit(code)
}

// skipUnlessAcc skips a test unless TF_ACC is set, as the acceptance tests do.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("CLI test: set TF_ACC=1 (make test does)")
	}
}

// findCLI is the Terraform or OpenTofu binary under test (tfcli's rule: TF_ACC_TERRAFORM_PATH,
// else bin/tofu).
func findCLI(t *testing.T) *tfcli.CLI {
	t.Helper()
	c, err := tfcli.Find()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emulatorBinary builds the provider and the emulator (once) and returns the emulator's path.
func emulatorBinary(t *testing.T) string {
	t.Helper()
	p, err := builds.Path(tfcli.Emulator)
	if err != nil {
		t.Fatal(err)
	}
	return p
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
	bin := emulatorBinary(t)
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

// admin talks to the emulator's admin endpoints; a self-signed emulator is trusted here (the
// tests check the provider's verification, not their own).
func (e *emulatorProc) admin() tfcli.Admin {
	return tfcli.Admin{URL: e.URL, HTTP: adminHTTP}
}

var adminHTTP = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, //nolint:gosec // test helper
}

func (e *emulatorProc) jobs(t *testing.T) []emulator.JobRecord {
	t.Helper()
	jobs, err := e.admin().Jobs()
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func (e *emulatorProc) requests(t *testing.T) []emulator.RequestRecord {
	t.Helper()
	rs, err := e.admin().Requests()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func (e *emulatorProc) fault(t *testing.T, f emulator.Fault) {
	t.Helper()
	if err := e.admin().AddFaults(f); err != nil {
		t.Fatal(err)
	}
}

// restorePOSTs counts the restore submissions in a request log.
func restorePOSTs(rs []emulator.RequestRecord) int { return tfcli.RestoreSubmissions(rs) }

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
	cli *tfcli.CLI
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
// configuration whose dev_overrides serve the provider built by builds.
func newWorkspace(t *testing.T, url string, creds credentials, providerArgs, body string) *workspace {
	t.Helper()
	config, err := builds.Config()
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace{t: t, cli: findCLI(t), dir: t.TempDir()}
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
	w.env = tfcli.Env(config, "HW_ACCESS_KEY="+creds.AccessKey, "HW_SECRET_KEY="+creds.SecretKey)
	if creds.SecurityToken != "" {
		w.env = append(w.env, "HW_SECURITY_TOKEN="+creds.SecurityToken)
	}
	return w
}

func (w *workspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *workspace) path(name string) string { return filepath.Join(w.dir, name) }

// result is one finished CLI command.
type result struct{ tfcli.Result }

func (r result) output() string { return r.Output() }

// command prepares the CLI with args, the workspace's environment plus extra variables.
func (w *workspace) command(ctx context.Context, extraEnv []string, args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	cmd := w.cli.Command(ctx, w.dir, append(append([]string{}, w.env...), extraEnv...), args...)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

// run runs the CLI to the end (within 5 minutes).
func (w *workspace) run(extraEnv []string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := w.cli.Run(ctx, w.dir, append(append([]string{}, w.env...), extraEnv...), args...)
	if err != nil {
		w.t.Fatalf("%v\n%s", err, r)
	}
	return result{r}
}

// mustRun runs the CLI and fails the test unless it exits 0.
func (w *workspace) mustRun(extraEnv []string, args ...string) result {
	w.t.Helper()
	r := w.run(extraEnv, args...)
	if r.ExitCode != 0 {
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

// restoreBlock is a MySQL backup restore of the built-in seed, with extra lines in its body (a
// timeouts block, say).
func restoreBlock(extra ...string) string { //nolint:unparam // the timeout tests of the lost-reply file pass a timeouts block
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

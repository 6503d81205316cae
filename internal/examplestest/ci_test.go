package examplestest

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// The CI example: a workflow (drill.yml) that installs the provider and the emulator, sets up a
// CLI and runs drill.sh, which does the rest. The tests run drill.sh on this machine with what the
// workflow would have installed built from this tree instead, so the example cannot rot.
const (
	ciWorkflow = "examples/ci/drill.yml"
	ciScript   = "examples/ci/drill.sh"
	ciDrill    = "examples/ci/drill"
)

// TestCIExample_workflow: the workflow installs this module's provider and emulator by their
// import paths (the ones tfcli builds), runs drill.sh on the drill, and drill.sh serves the
// provider under both registries' addresses and waits for the emulator's health endpoint.
func TestCIExample_workflow(t *testing.T) {
	workflow, err := os.ReadFile(filepath.Join(root(t), ciWorkflow))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`go install "` + tfcli.Provider.Package + `@${HWC_VERSION}"`,
		`go install "` + tfcli.Emulator.Package + `@${HWC_VERSION}"`,
		`echo "HWC_BIN_DIR=$(go env GOPATH)/bin" >> "$GITHUB_ENV"`,
		"DRILL_DIR: " + ciDrill,
		"run: " + ciScript,
	} {
		if !strings.Contains(string(workflow), want) {
			t.Errorf("%s does not have %q", ciWorkflow, want)
		}
	}
	script, err := os.ReadFile(filepath.Join(root(t), ciScript))
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{address.Terraform, address.OpenTofu} {
		if !strings.Contains(string(script), strconv.Quote(addr)+` = "$HWC_BIN_DIR"`) {
			t.Errorf("%s does not serve %s from $HWC_BIN_DIR", ciScript, addr)
		}
	}
	if !strings.Contains(string(script), `"http://$EMULATOR_ADDR`+emulator.AdminHealthPath+`"`) {
		t.Errorf("%s does not wait for the emulator's %s", ciScript, emulator.AdminHealthPath)
	}
}

// TestAccExamples_ciDrill runs drill.sh as the workflow does, with the provider and the emulator
// built from this tree in place of `go install` and the CLI under test in place of the setup
// action; the emulator listens on a free port of this machine.
func TestAccExamples_ciDrill(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("SKIPPED: drill.sh needs %s, which this machine does not have", tool)
		}
	}

	bin := t.TempDir()
	if err := tfcli.Build(bin, tfcli.Provider, tfcli.Emulator); err != nil {
		t.Fatal(err)
	}
	drill, _ := workCopy(t, strings.TrimPrefix(ciDrill, "examples/"))
	work := t.TempDir()
	env := tfcli.Env("",
		"HWC_BIN_DIR="+bin,
		"CLI="+c.tf.Path,
		"DRILL_DIR="+drill,
		"WORK_DIR="+work,
		"EMULATOR_ADDR="+freeAddr(t),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root(t), ciScript))
	cmd.Env = env
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(work, "rds-emulator.log"))
		t.Fatalf("%s on %s: %v\n%s\nthe emulator's log:\n%s", ciScript, c.version, err, out, log)
	}
	if !strings.Contains(string(out), "restore took") {
		t.Errorf("drill.sh printed no recovery figures:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(work, "evidence.json"))
	if err != nil {
		t.Fatalf("drill.sh kept no evidence: %v", err)
	}
	var ev drillEvidence
	if err := json.Unmarshal(data, &ev); err != nil || ev.Status != "Completed" || ev.RecoveryPoint == "" {
		t.Errorf("evidence.json: %v\n%s", err, data)
	}
}

// freeAddr is a loopback address with a port nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

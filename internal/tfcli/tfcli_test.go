package tfcli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// fakeCLI writes a script that prints version as `version` would.
func fakeCLI(t *testing.T, version string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cli")
	script := "#!/bin/sh\nprintf '%s\\non linux_amd64\\n' '" + version + "'\n"
	if err := os.WriteFile(p, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpen_version(t *testing.T) {
	for _, c := range []struct {
		version        string
		openTofu       bool
		actions        bool
		host           string
		major, minor   int
		patch          int
		atLeast1_5     bool
		wantParseError bool
	}{
		{version: "Terraform v1.15.0", actions: true, host: "registry.terraform.io", major: 1, minor: 15, atLeast1_5: true},
		{version: "Terraform v1.14.0", actions: true, host: "registry.terraform.io", major: 1, minor: 14, atLeast1_5: true},
		{version: "Terraform v1.11.4", host: "registry.terraform.io", major: 1, minor: 11, patch: 4, atLeast1_5: true},
		{version: "Terraform v1.5.7", host: "registry.terraform.io", major: 1, minor: 5, patch: 7, atLeast1_5: true},
		{version: "Terraform v1.4.7", host: "registry.terraform.io", major: 1, minor: 4, patch: 7},
		{version: "Terraform v2.0.0", actions: true, host: "registry.terraform.io", major: 2, atLeast1_5: true},
		// OpenTofu has no actions, whatever its number.
		{version: "OpenTofu v1.12.6", openTofu: true, host: "registry.opentofu.org", major: 1, minor: 12, patch: 6, atLeast1_5: true},
		{version: "OpenTofu v1.14.0", openTofu: true, host: "registry.opentofu.org", major: 1, minor: 14, atLeast1_5: true},
		{version: "something else v1.2.3", wantParseError: true},
	} {
		t.Run(c.version, func(t *testing.T) {
			cli, err := Open(fakeCLI(t, c.version))
			if c.wantParseError {
				if err == nil || !strings.Contains(err.Error(), "neither Terraform nor OpenTofu") {
					t.Fatalf("Open = %+v, %v; want an error naming what it printed", cli, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cli.Version != c.version || cli.OpenTofu != c.openTofu || cli.Major != c.major || cli.Minor != c.minor || cli.Patch != c.patch {
				t.Errorf("Open = %+v", cli)
			}
			if cli.Actions() != c.actions || cli.ProviderHost() != c.host || cli.AtLeast(1, 5) != c.atLeast1_5 {
				t.Errorf("%s: Actions %v ProviderHost %s AtLeast(1.5) %v", c.version, cli.Actions(), cli.ProviderHost(), cli.AtLeast(1, 5))
			}
		})
	}
}

func TestPath_oneVariable(t *testing.T) {
	t.Setenv(EnvCLI, "")
	def, err := Path()
	if err != nil {
		t.Fatal(err)
	}
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "bin", "tofu"); def != want {
		t.Errorf("Path with %s unset = %s, want %s", EnvCLI, def, want)
	}

	fake := fakeCLI(t, "Terraform v1.15.0")
	t.Setenv(EnvCLI, fake)
	if p, err := Path(); err != nil || p != fake {
		t.Errorf("Path = %s, %v; want %s", p, err, fake)
	}
	cli, err := Find()
	if err != nil || cli.Path != fake || !cli.Actions() {
		t.Errorf("Find = %+v, %v", cli, err)
	}

	t.Setenv(EnvCLI, filepath.Join(t.TempDir(), "missing"))
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), EnvCLI+"=") {
		t.Errorf("Find with a missing CLI: %v; want an error naming %s", err, EnvCLI)
	}
}

func TestEnv_dropsProviderAndCLISettings(t *testing.T) {
	t.Setenv("HW_SECRET_KEY", "developer-secret")
	t.Setenv("HWC_ENDPOINT", "https://example.invalid")
	t.Setenv("HUAWEICLOUD_SDK_SK", "developer-secret")
	t.Setenv("TF_CLI_CONFIG_FILE", "/home/dev/.terraformrc")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("KEEP_ME", "yes")
	env := Env("/tmp/cli.tfrc", "HW_ACCESS_KEY=test")
	for _, kv := range env {
		for _, bad := range []string{"developer-secret", "example.invalid", ".terraformrc", "TF_LOG="} {
			if strings.Contains(kv, bad) {
				t.Errorf("Env kept %s", kv)
			}
		}
	}
	for _, want := range []string{"KEEP_ME=yes", "TF_CLI_CONFIG_FILE=/tmp/cli.tfrc", "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "HW_ACCESS_KEY=test"} {
		if !slices.Contains(env, want) {
			t.Errorf("Env lacks %s", want)
		}
	}
	if slices.ContainsFunc(Env(""), func(kv string) bool { return strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") }) {
		t.Errorf("Env(\"\") sets TF_CLI_CONFIG_FILE")
	}
}

func TestConfig_servesBothRegistries(t *testing.T) {
	got := Config("/opt/plugins")
	for _, want := range []string{
		`"registry.terraform.io/opendrill/hwc" = "/opt/plugins"`,
		`"registry.opentofu.org/opendrill/hwc" = "/opt/plugins"`,
		"direct {}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Config lacks %s:\n%s", want, got)
		}
	}
}

func TestAdmin_emulatorTypes(t *testing.T) {
	_, ts := emulator.NewTestServer(t, emulator.Options{JobDuration: time.Second})
	a := Admin{URL: ts.URL}
	if err := a.AddFaults(emulator.Fault{FailNextJob: "disk full"}); err != nil {
		t.Fatal(err)
	}
	err := a.AddFaults(emulator.Fault{Drop: "sideways"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("a malformed fault: %v; want the emulator's 400 with its message", err)
	}
	if _, err := a.Requests(); err != nil {
		t.Fatal(err)
	}
	st, err := a.State()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Instances) == 0 || len(st.Jobs) != 0 {
		t.Errorf("state of a fresh emulator: %d instances, %d jobs", len(st.Instances), len(st.Jobs))
	}
	if err := a.ClearFaults(); err != nil {
		t.Fatal(err)
	}
	if err := a.ClearRequests(); err != nil {
		t.Fatal(err)
	}
	log := []emulator.RequestRecord{
		{Method: "POST", Path: "/v3.1/p/instances/recovery"},
		{Method: "GET", Path: "/v3.1/p/instances/recovery"},
		{Method: "POST", Path: "/v3/p/instances"},
	}
	if n := RestoreSubmissions(log); n != 1 {
		t.Errorf("RestoreSubmissions = %d, want 1", n)
	}
}

// TestConfig_readmeInstall: the README's install section shows, for each CLI, a dev_overrides
// block with the address Config writes for it (package address), so a user who pastes it gets
// what the tests and scripts use.
func TestConfig_readmeInstall(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	config := Config("/plugins")
	for _, addr := range []string{address.Terraform, address.OpenTofu} {
		line := strconv.Quote(addr) + " = "
		if !strings.Contains(config, line+`"/plugins"`) {
			t.Errorf("Config does not override %s:\n%s", addr, config)
		}
		block := regexp.MustCompile(`provider_installation \{\s*dev_overrides \{\s*` + regexp.QuoteMeta(line) + `"/[^"]+"\s*\}\s*direct \{\}\s*\}`)
		if !block.Match(readme) {
			t.Errorf("README.md has no dev_overrides block for %s alone (provider_installation { dev_overrides { %s\"/path\" } direct {} })", addr, line)
		}
	}
}

func TestAdmin_nextNight(t *testing.T) {
	_, ts := emulator.NewTestServer(t, emulator.Options{JobDuration: time.Second, Version: "v9.9.9"})
	a := Admin{URL: ts.URL}
	if h, err := a.Health(); err != nil || h.Status != "ok" || h.Version != "v9.9.9" {
		t.Fatalf("Health = %+v, %v", h, err)
	}
	b, err := a.AddBackup(emulator.AdminBackup{InstanceID: emulator.MySQLSourceID})
	if err != nil || b.Status != "COMPLETED" || b.Type != "auto" || b.InstanceID != emulator.MySQLSourceID {
		t.Fatalf("AddBackup = %+v, %v", b, err)
	}
	frozen := "FROZEN"
	in, err := a.PatchInstance(emulator.MySQLTargetID, emulator.AdminInstancePatch{
		Status: &frozen, Tags: &[]emulator.Tag{{Key: "env", Value: "prod"}},
		RestoreTimeRelative: &[]emulator.RelativeWindow{{Start: emulator.Duration(-time.Hour), End: 0}},
	})
	if err != nil || in.Status != "FROZEN" || len(in.Tags) != 1 || len(in.RestoreTime) != 1 {
		t.Fatalf("PatchInstance = %+v, %v", in, err)
	}
	if _, err := a.PatchInstance("nosuch", emulator.AdminInstancePatch{Status: &frozen}); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("unknown instance: %v", err)
	}
}

func TestCLI_functions(t *testing.T) {
	for version, want := range map[string]bool{
		"Terraform v1.15.0": true, "Terraform v1.8.0": true, "Terraform v1.7.5": false,
		"OpenTofu v1.12.6": true, "OpenTofu v1.7.0": true, "OpenTofu v1.6.2": false,
	} {
		cli, err := Open(fakeCLI(t, version))
		if err != nil {
			t.Fatal(err)
		}
		if got := cli.Functions(); got != want {
			t.Errorf("%s: Functions() = %v, want %v", version, got, want)
		}
	}
}

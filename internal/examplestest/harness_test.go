package examplestest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/provider"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// cli is the Terraform or OpenTofu binary the tests drive, with what it can do.
type cli struct {
	tf      *tfcli.CLI
	version string // first line of `version`, e.g. "OpenTofu v1.12.6"
	actions bool   // understands `action` blocks (Terraform 1.14 and later)
	// functions: calls provider-defined functions (Terraform 1.8+, OpenTofu 1.7+)
	functions bool
}

// requireCLI skips unless this is an acceptance run, and returns the CLI (tfcli's rule:
// TF_ACC_TERRAFORM_PATH, else bin/tofu).
func requireCLI(t *testing.T) cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test does)")
	}
	c, err := tfcli.Find()
	if err != nil {
		t.Fatal(err)
	}
	return cli{tf: c, version: c.Version, actions: c.Actions(), functions: c.Functions()}
}

// root is the module's root directory.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root not found from the package directory: %v", err)
	}
	return dir
}

// builds holds the provider built from this tree, once per test binary.
var builds tfcli.Builds

// providerConfig builds the provider (once) and returns a CLI config whose dev_overrides serve it.
func providerConfig(t *testing.T) string {
	t.Helper()
	config, err := builds.Config()
	if err != nil {
		t.Fatal(err)
	}
	return config
}

// TestMain removes the provider built for the tests.
// emulatorEnv starts an in-process emulator with the built-in seed (one-second jobs) and returns
// the environment that points the CLI (through config) and the provider at it, with the
// seed's demo credentials, and the emulator's URL.
func emulatorEnv(t *testing.T, config string) (env []string, url string) {
	t.Helper()
	return emulatorEnvJobs(t, config, time.Second)
}

// emulatorEnvJobs is emulatorEnv with restore jobs that take jobDuration.
func emulatorEnvJobs(t *testing.T, config string, jobDuration time.Duration) (env []string, url string) {
	t.Helper()
	_, ts := emulator.NewTestServer(t, emulator.Options{JobDuration: jobDuration})
	return []string{
		"TF_CLI_CONFIG_FILE=" + config,
		"HW_REGION_NAME=" + emulator.DemoRegion,
		"HW_PROJECT_ID=" + emulator.DemoProjectID,
		"HW_ACCESS_KEY=" + emulator.DemoAccessKey,
		"HW_SECRET_KEY=" + emulator.DemoSecretKey,
		"HWC_ENDPOINT=" + ts.URL,
	}, ts.URL
}

func TestMain(m *testing.M) {
	code := m.Run()
	builds.Remove()
	os.Exit(code)
}

// exampleDirs lists every folder under examples/ that holds .tf files, relative to examples/.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	base := filepath.Join(root(t), "examples")
	seen := map[string]bool{}
	err := filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || strings.HasPrefix(d.Name(), ".")) && p != base {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			rel, _ := filepath.Rel(base, filepath.Dir(p))
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs
}

var typeRef = regexp.MustCompile(`(?m)^\s*(resource|data|action)\s+"(hwc_\w+)"`)

// funcRef finds the calls of the provider's functions (provider::hwc::unix_ms).
var funcRef = regexp.MustCompile(`provider::hwc::(\w+)`)

// workCopy copies an example folder's .tf files into a fresh directory. A folder that does not
// declare opendrill/hwc itself (the per-type examples that the docs show) gets a file that does,
// as a user's root module would have. It returns the directory and the hwc types used, by kind.
func workCopy(t *testing.T, rel string) (string, map[string][]string) {
	t.Helper()
	src := filepath.Join(root(t), "examples", filepath.FromSlash(rel))
	dst := t.TempDir()
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	declared := false
	used := map[string][]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `"opendrill/hwc"`) {
			declared = true
		}
		for _, m := range typeRef.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = append(used[m[1]], m[2])
		}
		for _, m := range funcRef.FindAllStringSubmatch(string(data), -1) {
			used["function"] = append(used["function"], m[1])
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !declared {
		block := "terraform {\n  required_providers {\n    hwc = { source = \"opendrill/hwc\", version = \"" + versionConstraint(t) + "\" }\n  }\n}\n"
		if err := os.WriteFile(filepath.Join(dst, "zz_required_providers.tf"), []byte(block), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst, used
}

// providerTypes returns the type names the provider has, by kind ("resource", "data", "action"),
// and its function names ("function").
func providerTypes(t *testing.T) map[string]map[string]bool {
	t.Helper()
	server := providerserver.NewProtocol6(provider.New("test")())()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]map[string]bool{"resource": {}, "data": {}, "action": {}, "function": {}}
	for name := range resp.Functions {
		types["function"][name] = true
	}
	for name := range resp.ResourceSchemas {
		types["resource"][name] = true
	}
	for name := range resp.DataSourceSchemas {
		types["data"][name] = true
	}
	for name := range resp.ActionSchemas {
		types["action"][name] = true
	}
	return types
}

// skipMissingTypes skips a check whose example uses a type the provider does not have yet
// (types are added by other changes; the example is written for them).
func skipMissingTypes(t *testing.T, used map[string][]string, have map[string]map[string]bool) {
	t.Helper()
	var missing []string
	for kind, names := range used {
		for _, n := range names {
			if !have[kind][n] {
				missing = append(missing, kind+" "+n)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Skipf("SKIPPED until the provider has it: the example uses %s, which the provider does not define yet",
			strings.Join(missing, ", "))
	}
}

// skipWithoutFunctions skips an example that calls the provider's functions on a CLI that cannot
// call them.
func skipWithoutFunctions(t *testing.T, c cli, used map[string][]string) {
	t.Helper()
	if len(used["function"]) > 0 && !c.functions {
		t.Skipf("SKIPPED on %s: the example calls provider::hwc::%s, and provider-defined functions need Terraform 1.8+ "+
			"or OpenTofu 1.7+", c.version, used["function"][0])
	}
}

// run runs the CLI in dir with env added to a clean environment (tfcli.Env), and returns its
// combined output; err is the *exec.ExitError of a non-zero exit.
func (c cli) run(t *testing.T, dir string, env []string, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := c.tf.Command(ctx, dir, tfcli.Env("", env...), args...).CombinedOutput()
	return string(out), err
}

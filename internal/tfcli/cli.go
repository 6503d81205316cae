package tfcli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
)

// EnvCLI is the variable that names the CLI under test, the one terraform-plugin-testing reads.
const EnvCLI = "TF_ACC_TERRAFORM_PATH"

// modulePath is this repository's module path, how ModuleRoot recognises its go.mod.
const modulePath = "github.com/opendrill/terraform-provider-hwc"

// ModuleRoot finds this repository's root from the working directory upwards.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(data), "module "+modulePath+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("tfcli: no go.mod of %s above the working directory", modulePath)
		}
		dir = parent
	}
}

// DefaultPath is the CLI used when EnvCLI is unset: the OpenTofu that `make tofu` builds.
func DefaultPath() (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "bin", "tofu"), nil
}

// Path is the CLI to drive: $TF_ACC_TERRAFORM_PATH, else DefaultPath. It does not check that
// the file exists (the scripts build bin/tofu when it is missing).
func Path() (string, error) {
	p := os.Getenv(EnvCLI)
	switch {
	case p == "":
		return DefaultPath()
	case !strings.ContainsRune(p, filepath.Separator):
		// A bare name ("terraform") is looked up on PATH, as a shell would.
		if found, err := exec.LookPath(p); err == nil {
			return found, nil
		}
		return p, nil
	default:
		return filepath.Abs(p)
	}
}

// CLI is one Terraform or OpenTofu binary and what its version says.
type CLI struct {
	Path     string
	Version  string // the first line of `version`, e.g. "Terraform v1.15.0"
	OpenTofu bool
	Major    int
	Minor    int
	Patch    int
}

var versionRE = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)`)

// Find opens the CLI that Path names; the error says how to get one when it is missing.
func Find() (*CLI, error) {
	p, err := Path()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(EnvCLI) == "" {
			return nil, fmt.Errorf("no CLI: %s is unset and %s does not exist; run `make tofu` (or `make terraform` "+
				"and set %s=bin/terraform)", EnvCLI, p, EnvCLI)
		}
		return nil, fmt.Errorf("%s=%s: %w", EnvCLI, p, err)
	}
	return Open(p)
}

// Open runs `path version` and reads which CLI it is.
func Open(path string) (*CLI, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = Env("")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s version: %w", path, err)
	}
	c := &CLI{Path: path}
	c.Version, _, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
	m := versionRE.FindStringSubmatch(c.Version)
	if m == nil {
		return nil, fmt.Errorf("%s version printed %q: neither Terraform nor OpenTofu", path, c.Version)
	}
	c.OpenTofu = m[1] == "OpenTofu"
	c.Major, _ = strconv.Atoi(m[2])
	c.Minor, _ = strconv.Atoi(m[3])
	c.Patch, _ = strconv.Atoi(m[4])
	return c, nil
}

// AtLeast says whether the CLI's version is major.minor or later.
func (c *CLI) AtLeast(major, minor int) bool {
	return c.Major > major || (c.Major == major && c.Minor >= minor)
}

// Actions says whether the CLI runs `action` blocks: Terraform 1.14 and later (OpenTofu has no
// actions yet).
func (c *CLI) Actions() bool { return !c.OpenTofu && c.AtLeast(1, 14) }

// Functions says whether the CLI calls provider-defined functions (provider::hwc::unix_ms):
// Terraform 1.8 and later, OpenTofu 1.7 and later.
func (c *CLI) Functions() bool {
	if c.OpenTofu {
		return c.AtLeast(1, 7)
	}
	return c.AtLeast(1, 8)
}

// ProviderHost is the registry host the CLI expands "opendrill/hwc" to, what
// terraform-plugin-testing wants in TF_ACC_PROVIDER_HOST.
func (c *CLI) ProviderHost() string {
	if c.OpenTofu {
		return address.OpenTofuHost
	}
	return address.TerraformHost
}

// Env is the process environment without anything that would change the CLI's or the provider's
// behaviour (TF_*, HW_*, HWC_*, HUAWEICLOUD_*: a developer's credentials or CLI configuration
// never reach a test), plus the CLI configuration (when configFile is set), quiet automation
// settings, and extra.
func Env(configFile string, extra ...string) []string {
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
	if configFile != "" {
		env = append(env, "TF_CLI_CONFIG_FILE="+configFile)
	}
	env = append(env, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	return append(env, extra...)
}

// Command prepares the CLI with args in dir and env (see Env); its output goes nowhere until the
// caller sets Stdout and Stderr.
func (c *CLI) Command(ctx context.Context, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Path, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// Result is one finished CLI command.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int
	Took     time.Duration
}

// Output is stdout then stderr.
func (r Result) Output() string { return r.Stdout + r.Stderr }

func (r Result) String() string {
	return fmt.Sprintf("%s: exit %d after %s\n--- stdout\n%s\n--- stderr\n%s", strings.Join(r.Args, " "), r.ExitCode,
		r.Took.Round(time.Millisecond), r.Stdout, r.Stderr)
}

// Run runs the CLI to its end. A non-zero exit is a Result, not an error; the error is for a CLI
// that could not be started or was stopped by ctx.
func (c *CLI) Run(ctx context.Context, dir string, env []string, args ...string) (Result, error) {
	cmd := c.Command(ctx, dir, env, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := Result{Args: args, Stdout: stdout.String(), Stderr: stderr.String(), Took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		r.ExitCode = exit.ExitCode()
	default:
		return r, fmt.Errorf("%s %s: %w", c.Path, strings.Join(args, " "), err)
	}
	return r, nil
}

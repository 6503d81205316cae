package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// providerExe is the plugin's executable name (what dev_overrides serve from its directory).
var providerExe = tfcli.Provider.Name

// CLIRun is one `tofu apply` or `tofu plan` against an emulator.
type CLIRun struct {
	CLI     string // the CLI binary
	Dir     string // a fresh working directory
	Command string // "apply" or "plan"
	Source  string
	Backup  string
	Targets []string
	// RequestsPerMinute is the provider's client-side budget (HWC_REQUESTS_PER_MINUTE).
	RequestsPerMinute int
	// InterruptAfterSubmit, when set, sends SIGINT to the CLI's process group (what a terminal
	// does on Ctrl-C) this long after the emulator accepted the first restore.
	InterruptAfterSubmit time.Duration
}

// CLIResult is what a run measured on the CLI's side.
type CLIResult struct {
	Wall         time.Duration
	PeakMemBytes int64 // largest VmHWM of any provider process the CLI started
	Providers    int   // provider processes seen
	Interrupt    time.Duration
	ExitErr      error
	Output       string // the log file
	StateStatus  []string
}

const mainTF = `terraform {
  required_providers {
    hwc = {
      source = "opendrill/hwc"
    }
  }
}

provider "hwc" {}

locals {
  targets = [
%s  ]
}

resource "hwc_rds_instance_restore" "r" {
  count              = length(local.targets)
  source_instance_id = %q
  target_instance_id = local.targets[count.index]
  backup_id          = %q
}
`

// Run runs the CLI against em and returns when it exits.
func (r CLIRun) Run(ctx context.Context, em *Emulator) (CLIResult, error) {
	var res CLIResult
	var lines strings.Builder
	for _, t := range r.Targets {
		fmt.Fprintf(&lines, "    %q,\n", t)
	}
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(r.Dir, "main.tf"), []byte(fmt.Sprintf(mainTF, lines.String(), r.Source, r.Backup)), 0o644); err != nil {
		return res, err
	}
	logPath := filepath.Join(r.Dir, r.Command+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	res.Output = logPath

	args := []string{r.Command, "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", max(10, len(r.Targets)))}
	if r.Command == "apply" {
		args = append(args, "-auto-approve")
	}
	cmd := exec.Command(r.CLI, args...)
	cmd.Dir = r.Dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The CLI configuration (dev_overrides) is the one scripts/bench.sh wrote; tfcli.Env drops
	// every other TF_ and provider variable of the caller's environment.
	cmd.Env = tfcli.Env(os.Getenv("TF_CLI_CONFIG_FILE"),
		"HW_REGION_NAME="+emulator.DemoRegion,
		"HW_PROJECT_ID="+emulator.DemoProjectID,
		"HW_ACCESS_KEY="+emulator.DemoAccessKey,
		"HW_SECRET_KEY="+emulator.DemoSecretKey,
		"HWC_ENDPOINT="+em.URL,
		fmt.Sprintf("HWC_REQUESTS_PER_MINUTE=%d", r.RequestsPerMinute),
	)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	mem := startMemSampler(cmd.Process.Pid, providerExe, 50*time.Millisecond)

	interrupted := make(chan time.Time, 1)
	stopWatch := make(chan struct{})
	if r.InterruptAfterSubmit > 0 {
		go func() {
			for {
				select {
				case <-stopWatch:
					return
				case <-time.After(100 * time.Millisecond):
				}
				reqs, err := em.Requests()
				if err != nil {
					continue
				}
				for _, q := range reqs {
					if q.Method == "POST" && q.Status == 202 {
						select {
						case <-stopWatch:
							return
						case <-time.After(r.InterruptAfterSubmit):
						}
						at := time.Now()
						_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
						interrupted <- at
						return
					}
				}
			}
		}()
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case res.ExitErr = <-waitErr:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		res.ExitErr = <-waitErr
	}
	end := time.Now()
	close(stopWatch)
	res.Wall = end.Sub(start)
	res.PeakMemBytes, res.Providers = mem.Stop()
	select {
	case at := <-interrupted:
		res.Interrupt = end.Sub(at)
	default:
	}
	res.StateStatus = stateStatuses(filepath.Join(r.Dir, "terraform.tfstate"))
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, nil
}

// stateStatuses lists the `status` of every restore in a state file.
func stateStatuses(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if json.Unmarshal(data, &st) != nil {
		return nil
	}
	var out []string
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			s, _ := in.Attributes["status"].(string)
			j, _ := in.Attributes["job_id"].(string)
			if j == "" {
				s += " (no job id)"
			}
			out = append(out, s)
		}
	}
	return out
}

// CLIVersion returns the first line of `cli version`.
func CLIVersion(cli string) string {
	out, err := exec.Command(cli, "version").Output()
	if err != nil && len(out) == 0 {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

// errTail returns the end of a log, for a failed run; nil when the log is empty.
func errTail(path string, n int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return nil
	}
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return errors.New(s)
}

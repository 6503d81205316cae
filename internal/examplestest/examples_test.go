package examplestest

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// TestAccExamples_validate: every example folder is valid for the CLI.
func TestAccExamples_validate(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	have := providerTypes(t)
	for _, rel := range exampleDirs(t) {
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			dir, used := workCopy(t, rel)
			skipMissingTypes(t, used, have)
			skipWithoutFunctions(t, c, used)
			if len(used["action"]) > 0 && !c.actions {
				t.Skipf("SKIPPED on %s: action blocks need Terraform 1.14 or later (the action's protocol tests cover it)", c.version)
			}
			out, err := c.run(t, dir, []string{"TF_CLI_CONFIG_FILE=" + config}, 2*time.Minute, "validate", "-no-color")
			if err != nil {
				t.Fatalf("examples/%s is not valid on %s: %v\n%s", rel, c.version, err, out)
			}
		})
	}
}

// TestAccExamples_drills: each drill applies against the emulator's built-in seed (its variable
// defaults are that seed's ids), the restore completes, exactly one restore is submitted, and a
// second plan shows no changes.
func TestAccExamples_drills(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	have := providerTypes(t)
	drills := 0
	for _, rel := range exampleDirs(t) {
		if !strings.HasPrefix(rel, "drills/") {
			continue
		}
		drills++
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			dir, used := workCopy(t, rel)
			skipMissingTypes(t, used, have)
			skipWithoutFunctions(t, c, used)
			env, emulatorURL := emulatorEnv(t, config)
			if out, err := c.run(t, dir, env, 5*time.Minute, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
				t.Fatalf("apply of examples/%s failed on %s: %v\n%s", rel, c.version, err, out)
			}
			out, err := c.run(t, dir, env, time.Minute, "output", "-raw", "status")
			if err != nil || out != "Completed" {
				t.Errorf("output status = %q (%v), want Completed", out, err)
			}
			checkEvidence(t, c, dir, env)
			if n := restoreRequests(t, emulatorURL); n != 1 {
				t.Errorf("%d restore requests reached the emulator, want 1", n)
			}

			out, err = c.run(t, dir, env, 2*time.Minute, "plan", "-detailed-exitcode", "-input=false", "-no-color")
			var exit *exec.ExitError
			switch {
			case err == nil:
			case errors.As(err, &exit) && exit.ExitCode() == 2:
				t.Fatalf("a second plan of examples/%s wants changes:\n%s", rel, out)
			default:
				t.Fatalf("second plan of examples/%s failed: %v\n%s", rel, err, out)
			}
			if n := restoreRequests(t, emulatorURL); n != 1 {
				t.Errorf("after the second plan: %d restore requests, want 1", n)
			}
		})
	}
	if drills == 0 {
		t.Fatal("no folder under examples/drills")
	}
}

// restoreRequests counts the restore submissions in the emulator's request log.
func restoreRequests(t *testing.T, url string) int {
	t.Helper()
	log, err := tfcli.Admin{URL: url}.Requests()
	if err != nil {
		t.Fatal(err)
	}
	return tfcli.RestoreSubmissions(log)
}

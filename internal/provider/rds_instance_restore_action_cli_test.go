package provider_test

// The action through the real CLI (Terraform 1.14 and later; OpenTofu has no actions yet):
// `action_trigger` on a terraform_data resource runs the action inside an apply, as users write
// it, and `terraform apply -invoke=...` runs it on its own. The protocol-level tests in
// rds_instance_restore_action_test.go cover the same behaviour on every CLI.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// actionCLIChecks skip a test on a CLI that cannot run actions: Terraform before 1.14, and any
// OpenTofu (whose version numbers may one day pass 1.14 without actions).
var actionCLIChecks = []tfversion.TerraformVersionCheck{
	tfversion.SkipBelow(tfversion.Version1_14_0),
	skipOpenTofu{},
}

type skipOpenTofu struct{}

func (skipOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if c, err := tfcli.Find(); err == nil && c.OpenTofu {
		resp.Skip = c.Version + " has no actions"
	}
}

// progressRecorder keeps the progress messages of every InvokeAction the CLI made, as the CLI
// received them, so a test run through terraform-plugin-testing (which shows no CLI output) can
// still assert the progress the user saw.
type progressRecorder struct {
	mu       sync.Mutex
	messages []string
	invokes  int
}

func (r *progressRecorder) all() (messages []string, invokes int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.messages...), r.invokes
}

// factories serve the provider in-process, with InvokeAction's event stream passed through r.
func (r *progressRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	inner := acctest.ProviderFactories()["hwc"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwc": func() (tfprotov6.ProviderServer, error) {
			s, err := inner()
			if err != nil {
				return nil, err
			}
			withActions, ok := s.(tfprotov6.ProviderServerWithActions)
			if !ok {
				return nil, fmt.Errorf("provider server %T does not serve actions", s)
			}
			return progressRecordingServer{ProviderServerWithActions: withActions, rec: r}, nil
		},
	}
}

type progressRecordingServer struct {
	tfprotov6.ProviderServerWithActions
	rec *progressRecorder
}

func (s progressRecordingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	stream, err := s.ProviderServerWithActions.InvokeAction(ctx, req)
	if err != nil || stream == nil {
		return stream, err
	}
	s.rec.mu.Lock()
	s.rec.invokes++
	s.rec.mu.Unlock()
	events := stream.Events
	stream.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
		for ev := range events {
			if p, ok := ev.Type.(tfprotov6.ProgressInvokeActionEventType); ok {
				s.rec.mu.Lock()
				s.rec.messages = append(s.rec.messages, p.Message)
				s.rec.mu.Unlock()
			}
			if !yield(ev) {
				return
			}
		}
	}
	return stream, nil
}

// triggeredRestore is a configuration whose terraform_data "release" runs the restore action
// after it is created and after each change of its input (release).
func triggeredRestore(env *acctest.Env, release string, config ...string) string {
	return env.ProviderBlock() + fmt.Sprintf(`
action "hwc_rds_instance_restore" "refresh" {
  config {
%s
  }
}

resource "terraform_data" "release" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.hwc_rds_instance_restore.refresh]
    }
  }
}
`, strings.Join(config, "\n"), release)
}

// wrapped compiles a pattern of an error as the CLI prints it: each space of the pattern matches
// any run of white space, since the CLI wraps long lines where it likes.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// mysqlBackupConfig is the action's config for the built-in seed's MySQL backup restore, plus extra lines.
func mysqlBackupConfig(extra ...string) []string {
	return append([]string{
		fmt.Sprintf("    source_instance_id = %q", emulator.MySQLSourceID),
		fmt.Sprintf("    target_instance_id = %q", emulator.MySQLTargetID),
		fmt.Sprintf("    backup_id          = %q", emulator.MySQLBackupID),
	}, extra...)
}

// checkRestores asserts how many restores the emulator received and what their jobs did.
func checkRestores(t *testing.T, env *acctest.Env, submissions int, jobStatuses ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := env.RestoreSubmissions(t); n != submissions {
			return fmt.Errorf("restore submissions = %d, want %d", n, submissions)
		}
		var got []string
		for _, j := range env.EmulatorState(t).Jobs {
			got = append(got, j.Status)
		}
		if !slices.Equal(got, jobStatuses) {
			return fmt.Errorf("emulator jobs = %v, want %v", got, jobStatuses)
		}
		return nil
	}
}

// A successful trigger: one job, its progress streamed to the CLI (status and percentage while it
// runs), the target holding the backup's databases. The next plain apply runs nothing; a change
// of the trigger's input runs exactly one more restore.
func TestAccRDSInstanceRestoreAction_cliTriggerSuccess(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: 4 * time.Second})
	env.RequireEmulator(t)
	rec := &progressRecorder{}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{
				Config: triggeredRestore(env, "2026.11.1", mysqlBackupConfig(`    timeout = "10m"`)...),
				Check: resource.ComposeTestCheckFunc(
					checkRestores(t, env, 1, "Completed"),
					func(*terraform.State) error {
						messages, invokes := rec.all()
						if invokes != 1 {
							return fmt.Errorf("the CLI invoked the action %d times, want 1", invokes)
						}
						for _, want := range []string{
							`^Checks passed: restoring backup ` + emulator.MySQLBackupID + ` of ` + emulator.MySQLSourceID + ` \(MySQL\) onto ` + emulator.MySQLTargetID + `$`,
							`^Restore submitted: job [0-9a-f]{32} onto ` + emulator.MySQLTargetID + `$`,
							`^Restore job [0-9a-f]{32}: Running, \d+%$`,
							`^Restore job [0-9a-f]{32} completed; target ` + emulator.MySQLTargetID + ` is ACTIVE$`,
						} {
							if !slices.ContainsFunc(messages, regexp.MustCompile(want).MatchString) {
								return fmt.Errorf("no progress message matching %s; got:\n%s", want, strings.Join(messages, "\n"))
							}
						}
						dbs := env.EmulatorState(t).Databases(emulator.MySQLTargetID)
						if !slices.Contains(dbs, "shop") || slices.Contains(dbs, "shop_old") {
							return fmt.Errorf("target databases after the restore = %v, want the backup's", dbs)
						}
						return nil
					},
				),
			},
			{
				// The same configuration again: nothing is triggered, nothing submitted.
				Config: triggeredRestore(env, "2026.11.1", mysqlBackupConfig(`    timeout = "10m"`)...),
				Check:  checkRestores(t, env, 1, "Completed"),
			},
			{
				// A new release: after_update runs the restore once more.
				Config: triggeredRestore(env, "2026.11.2", mysqlBackupConfig(`    timeout = "10m"`)...),
				Check:  checkRestores(t, env, 2, "Completed", "Completed"),
			},
		},
	})
}

// A failing job fails the apply with the API's fail_reason; it was submitted once, and the next
// plain apply (terraform_data was created before its action ran) submits nothing again.
func TestAccRDSInstanceRestoreAction_cliTriggerFailingJob(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	env.Fault(t, map[string]any{"fail_next_job": "disk quota exceeded on the target"})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: triggeredRestore(env, "2026.11.1", mysqlBackupConfig()...),
				ExpectError: wrapped(`Error when invoking action .* Restore Job Failed: The restore job [0-9a-f]{32} onto ` +
					emulator.MySQLTargetID + ` failed: disk quota exceeded on the target`),
			},
			{
				Config:             triggeredRestore(env, "2026.11.1", mysqlBackupConfig()...),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
			{
				Config: triggeredRestore(env, "2026.11.1", mysqlBackupConfig()...),
				Check:  checkRestores(t, env, 1, "Failed"),
			},
		},
	})
}

// A documented rule the API would refuse (A2: a PostgreSQL backup onto a MySQL instance) stops
// the plan: nothing is created, no restore is submitted, no job runs, now or on the next apply.
func TestAccRDSInstanceRestoreAction_cliTriggerRuleViolation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	config := triggeredRestore(env, "2026.11.1",
		fmt.Sprintf("    source_instance_id = %q", emulator.PostgreSQLSourceID),
		fmt.Sprintf("    target_instance_id = %q", emulator.MySQLTargetID),
		fmt.Sprintf("    backup_id          = %q", emulator.PostgreSQLBackupID))
	refused := wrapped(`Failed to plan action .* Different DB Engines: The source instance "` + emulator.PostgreSQLSourceID +
		`" \(pg12-prod\) runs PostgreSQL but the target instance "` + emulator.MySQLTargetID + `" \(mysql57-staging\) runs MySQL` +
		`.*\(Rule A2 of the documented restore constraints\.\)`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: config, PlanOnly: true, ExpectError: refused},
			{Config: config, ExpectError: refused},
		},
	})
	// After both refused runs (resource.Test skips the rest of the test on older CLIs).
	if err := checkRestores(t, env, 0)(nil); err != nil {
		t.Error(err)
	}
}

// When the action's timeout runs out after the submission, the apply fails saying the job may
// still run and naming it; nothing is submitted again, then or on the next plain apply.
func TestAccRDSInstanceRestoreAction_cliTriggerTimeout(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: time.Minute})
	env.RequireEmulator(t)
	config := triggeredRestore(env, "2026.11.1", mysqlBackupConfig(`    timeout = "5s"`)...)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   actionCLIChecks,
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: wrapped(`Error when invoking action .* Restore Did Not Finish: The restore was submitted \(job [0-9a-f]{32} onto ` +
					emulator.MySQLTargetID + `\) but the action's timeout \(5s\) ran out while waiting.* a second invocation submits a new restore`),
			},
			{
				Config: config,
				Check:  checkRestores(t, env, 1, "Running"),
			},
		},
	})
}

// `terraform apply -invoke=action.hwc_rds_instance_restore.x` through the CLI binary, with the
// provider built from this tree (dev_overrides): the CLI prints the action's progress, one
// restore runs, and nothing is kept in the state. A second invocation is a second restore.
func TestAccRDSInstanceRestoreAction_cliInvoke(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: 3 * time.Second})
	env.RequireEmulator(t)
	cli, err := tfcli.Find()
	if err != nil {
		t.Fatal(err)
	}
	if !cli.Actions() {
		t.Skipf("%s cannot run actions (Terraform 1.14 or later can)", cli.Version)
	}
	plugins, dir := t.TempDir(), t.TempDir()
	if err := tfcli.Build(plugins, tfcli.Provider); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(plugins, tfcli.ConfigName)
	if err := tfcli.WriteConfig(config, plugins); err != nil {
		t.Fatal(err)
	}
	writeCLIFile(t, filepath.Join(dir, "main.tf"), `terraform {
  required_providers {
    hwc = { source = "opendrill/hwc" }
  }
}

`+env.ProviderBlock()+fmt.Sprintf(`
action "hwc_rds_instance_restore" "x" {
  config {
    source_instance_id = %q
    target_instance_id = %q
    backup_id          = %q
  }
}
`, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID))
	envVars := tfcli.Env(config)
	run := func(args ...string) tfcli.Result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		r, err := cli.Run(ctx, dir, envVars, args...)
		if err != nil {
			t.Fatal(err)
		}
		if r.ExitCode != 0 {
			t.Fatalf("%s", r)
		}
		return r
	}

	r := run("apply", "-auto-approve", "-no-color", "-invoke=action.hwc_rds_instance_restore.x")
	for _, want := range []string{
		`Checks passed: restoring backup ` + emulator.MySQLBackupID + ` of ` + emulator.MySQLSourceID + ` \(MySQL\) onto ` + emulator.MySQLTargetID,
		`Restore submitted: job [0-9a-f]{32} onto ` + emulator.MySQLTargetID,
		`Restore job [0-9a-f]{32}: Running, \d+%`,
		`Restore job [0-9a-f]{32} completed; target ` + emulator.MySQLTargetID + ` is ACTIVE`,
	} {
		if !regexp.MustCompile(want).MatchString(r.Stdout) {
			t.Errorf("the CLI's output has no progress line matching %s:\n%s", want, r)
		}
	}
	if n := env.RestoreSubmissions(t); n != 1 {
		t.Errorf("restore submissions after one invocation = %d, want 1", n)
	}
	if st := env.EmulatorState(t); len(st.Jobs) != 1 || st.Jobs[0].Status != "Completed" {
		t.Errorf("emulator jobs = %+v, want one Completed", st.Jobs)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")); err == nil {
		var st struct {
			Resources []json.RawMessage `json:"resources"`
		}
		if err := json.Unmarshal(data, &st); err != nil || len(st.Resources) != 0 {
			t.Errorf("the action left something in the state (%v):\n%s", err, data)
		}
	}

	run("apply", "-auto-approve", "-no-color", "-invoke=action.hwc_rds_instance_restore.x")
	if n := env.RestoreSubmissions(t); n != 2 {
		t.Errorf("restore submissions after two invocations = %d, want 2", n)
	}
}

func writeCLIFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

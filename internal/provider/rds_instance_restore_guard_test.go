package provider_test

// The undo and the guard of a drill (backup_target_first, target_backup_id; protected_tags,
// protected_instance_ids and their variables, rule A18), end to end through the CLI.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

var reBackupName = regexp.MustCompile(`^hwc-pre-restore-[0-9a-f]{8}$`)

// backupFirstRestore is the MySQL backup restore onto mysql57-staging with backup_target_first.
func backupFirstRestore(env *acctest.Env, extra ...string) string {
	return restoreOnto(env, emulator.MySQLSourceID, emulator.MySQLTargetID,
		append([]string{attr("backup_id", emulator.MySQLBackupID), "backup_target_first = true"}, extra...)...)
}

// preRestoreBackups are the target's backups the provider took before a restore, by id.
func preRestoreBackups(t *testing.T, env *acctest.Env) map[string]string {
	t.Helper()
	st, err := tfcli.Admin{URL: env.URL}.State()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, b := range st.Backups {
		if b.InstanceID == emulator.MySQLTargetID && reBackupName.MatchString(b.Name) {
			out[b.ID] = b.Status
		}
	}
	return out
}

// apiCalls lists the emulator's API requests as "METHOD path" with the project id left out.
func apiCalls(t *testing.T, env *acctest.Env) []string {
	t.Helper()
	var out []string
	for _, r := range env.Requests(t) {
		out = append(out, r.Method+" "+strings.Replace(r.Path, "/"+emulator.DemoProjectID, "", 1))
	}
	return out
}

// checkBackupThenRestore: exactly one backup POST and one restore POST, the backup first, and
// target_backup_id is the one COMPLETED backup the provider took.
func checkBackupThenRestore(t *testing.T, env *acctest.Env, backupPosts int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		calls := apiCalls(t, env)
		b := slices.Index(calls, "POST /v3/backups")
		r := slices.Index(calls, "POST /v3.1/instances/recovery")
		if b < 0 || r < 0 || b > r {
			return fmt.Errorf("want POST backups before POST recovery; requests:\n%s", strings.Join(calls, "\n"))
		}
		if n := countOf(calls, "POST /v3/backups"); n != backupPosts {
			return fmt.Errorf("%d backup POSTs, want %d", n, backupPosts)
		}
		if n := env.RestoreSubmissions(t); n != 1 {
			return fmt.Errorf("%d restore submissions, want 1", n)
		}
		got := preRestoreBackups(t, env)
		id := s.RootModule().Resources["hwc_rds_instance_restore.test"].Primary.Attributes["target_backup_id"]
		if len(got) != 1 || got[id] != "COMPLETED" {
			return fmt.Errorf("target_backup_id %q; the target's pre-restore backups %v, want exactly that one COMPLETED", id, got)
		}
		return nil
	}
}

// sameDatabases checks the target's databases, in any order.
func sameDatabases(t *testing.T, env *acctest.Env, id string, want []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := slices.Sorted(slices.Values(env.EmulatorState(t).Databases(id)))
		if w := slices.Sorted(slices.Values(want)); !slices.Equal(got, w) {
			return fmt.Errorf("databases of %s = %v, want %v", id, got, w)
		}
		return nil
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// The undo: the plan says a backup is taken (target_backup_id unknown, a warning), the apply
// backs the target up before restoring onto it, and restoring target_backup_id onto the target
// (a second resource) brings back the databases the target had.
func TestAccRDSInstanceRestore_backupTargetFirst(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{BackupDuration: time.Second})
	env.RequireEmulator(t)
	before := env.EmulatorState(t).Databases(emulator.MySQLTargetID)
	backup := env.EmulatorState(t).Databases(emulator.MySQLSourceID)
	if slices.Equal(before, backup) {
		t.Fatalf("the seed's target already holds the backup's databases %v: the undo would prove nothing", before)
	}
	undo := `
resource "hwc_rds_instance_restore" "undo" {
  source_instance_id = hwc_rds_instance_restore.test.target_instance_id
  target_instance_id = hwc_rds_instance_restore.test.target_instance_id
  backup_id          = hwc_rds_instance_restore.test.target_backup_id
}
`
	rec := &diagRecorder{}
	warned := func(*terraform.State) error {
		want := "Backup of the Target Taken First\nbackup_target_first is true: right before the restore is submitted, " +
			"the provider takes a manual backup of the target instance " + emulator.MySQLTargetID
		for _, w := range rec.warnings() {
			if strings.HasPrefix(w, want) && strings.Contains(w, "records its ID in target_backup_id") {
				return nil
			}
		}
		return fmt.Errorf("the plan did not say that a backup is taken; warnings: %q", rec.warnings())
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: recordingFactories(rec), Steps: []resource.TestStep{
		{
			Config: backupFirstRestore(env),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("target_backup_id")),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkBackupThenRestore(t, env, 1),
				warned,
				resource.TestMatchResourceAttr(restoreAddr, "target_backup_id", regexp.MustCompile(`.+`)),
				resource.TestCheckResourceAttr(restoreAddr, "status", "Completed"),
				sameDatabases(t, env, emulator.MySQLTargetID, backup),
			),
		},
		{
			Config: backupFirstRestore(env) + undo,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("hwc_rds_instance_restore.undo", "status", "Completed"),
				resource.TestCheckNoResourceAttr("hwc_rds_instance_restore.undo", "target_backup_id"),
				sameDatabases(t, env, emulator.MySQLTargetID, before),
				func(*terraform.State) error {
					if n := env.RestoreSubmissions(t); n != 2 {
						return fmt.Errorf("%d restore submissions, want 2 (the drill and its undo)", n)
					}
					return nil
				},
			),
		},
	}})
}

// A backup that ends FAILED: nothing is restored, and the error names the backup and says the
// target was not touched; the next apply (the fault spent) backs up and restores once.
func TestAccRDSInstanceRestore_backupTargetFirstFails(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{BackupDuration: 500 * time.Millisecond})
	env.RequireEmulator(t)
	env.Fault(t, map[string]any{"fail_next_backup": "backup agent unreachable"})
	testSteps(t,
		resource.TestStep{
			Config: backupFirstRestore(env),
			ExpectError: diagRegexp("Backup of the Target Failed, Nothing Restored", "backup_target_first is true",
				`the backup "hwc-pre-restore-`, "of target "+emulator.MySQLTargetID+" did not complete",
				"FAILED", "The restore was not submitted: the target was not touched", "Nothing was restored onto "+emulator.MySQLTargetID),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := env.RestoreSubmissions(t); n != 0 {
					t.Fatalf("%d restore submissions after a failed backup, want 0", n)
				}
				env.ClearRequests(t)
			},
			Config: backupFirstRestore(env),
			Check:  resource.TestCheckResourceAttr(restoreAddr, "status", "Completed"),
		},
	)
}

// Lost replies to the backup's POST: taken (the reply lost after the emulator took it, or a 500
// after doing the work) is adopted by its name and never sent again; dropped before the API saw
// it is sent again once, on the evidence that it was not taken. Each ends with exactly one backup
// and one restore, the backup first.
func TestAccRDSInstanceRestore_backupTargetFirstLostReply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault map[string]any
		posts int
	}{
		{name: "taken, reply dropped", fault: map[string]any{"drop": "after"}, posts: 1},
		{name: "taken, 500", fault: map[string]any{"status": 500, "error_code": "DBS.111205", "taken": true}, posts: 1},
		{name: "dropped before", fault: map[string]any{"drop": "before"}, posts: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, acctest.Options{BackupDuration: 500 * time.Millisecond})
			env.RequireEmulator(t)
			f := map[string]any{"method": "POST", "path": faultBackups}
			for k, v := range tc.fault {
				f[k] = v
			}
			env.Fault(t, f)
			testSteps(t, resource.TestStep{
				Config: backupFirstRestore(env, timeoutsCreate("5m")),
				Check:  checkBackupThenRestore(t, env, tc.posts),
			})
		})
	}
}

// guardedRestore is a restore onto mysql57-prod itself (the built-in seed tags it env=prod) or
// onto another target, under a provider block with extra lines.
func guardedRestore(env *acctest.Env, provider []string, target string, extra ...string) string {
	return env.ProviderBlock(provider...) + "resource \"hwc_rds_instance_restore\" \"test\" {\n  " +
		strings.Join(append([]string{attr("source_instance_id", emulator.MySQLSourceID), attr("target_instance_id", target),
			attr("backup_id", emulator.MySQLBackupID)}, extra...), "\n  ") + "\n}\n"
}

// expectNothingSubmitted: no restore, no backup, no database dropped.
func expectNothingSubmitted(t *testing.T, env *acctest.Env) {
	t.Helper()
	for _, c := range apiCalls(t, env) {
		if strings.HasPrefix(c, "POST ") || strings.HasPrefix(c, "DELETE ") {
			t.Errorf("the guard let %s through", c)
		}
	}
}

// The guard through its environment variables (as a Terraform Cloud workspace sets them), and
// their parse errors, which name the variable. Not parallel: t.Setenv.
func TestAccRDSInstanceRestore_protectedByEnv(t *testing.T) {
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	prodLabel := fmt.Sprintf("%q (mysql57-prod)", emulator.MySQLSourceID)
	stagingLabel := fmt.Sprintf("%q (mysql57-staging)", emulator.MySQLTargetID)
	for _, tc := range []struct {
		name, tags, ids string
		target          string
		want            *regexp.Regexp
	}{
		{name: "tag", tags: " tier=critical , env=prod", target: emulator.MySQLSourceID,
			want: diagRegexp("Protected Target Instance", "The target instance "+prodLabel+` is protected: it carries the tag env = "prod", which HWC_PROTECTED_TAGS protects.`, "(Rule A18")},
		{name: "id", ids: "x," + emulator.MySQLTargetID, target: emulator.MySQLTargetID,
			want: diagRegexp("Protected Target Instance", "The target instance "+stagingLabel+" is protected: its id is listed in HWC_PROTECTED_INSTANCE_IDS.")},
		{name: "tag in the environment beside the block's", tags: "env=prod", target: emulator.MySQLSourceID,
			want: diagRegexp("which HWC_PROTECTED_TAGS protects")},
		{name: "malformed", tags: "env=prod,critical", target: emulator.MySQLTargetID,
			want: diagRegexp("Invalid Environment Variable", `HWC_PROTECTED_TAGS="env=prod,critical": the item "critical" is not key=value`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HWC_PROTECTED_TAGS", tc.tags)
			t.Setenv("HWC_PROTECTED_INSTANCE_IDS", tc.ids)
			env.ClearRequests(t)
			var provider []string
			if strings.Contains(tc.name, "block") {
				provider = []string{`  protected_tags = { team = "a" }`}
			}
			testSteps(t, resource.TestStep{
				Config: guardedRestore(env, provider, tc.target), PlanOnly: true, ExpectError: tc.want,
			})
			expectNothingSubmitted(t, env)
		})
	}
}

// drop_previous_databases never drops on a protected instance: a copy drill that ran once on
// sqlserver-staging, whose target is then tagged env=prod, is refused at plan time when it runs
// again, and its copy stays.
func TestAccRDSInstanceRestore_protectedNoDrop(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	copyDrill := func(run string) string {
		return env.ProviderBlock(`  protected_tags = { env = "prod" }`) + fmt.Sprintf(`
resource "hwc_rds_instance_restore" "test" {
  source_instance_id      = %q
  target_instance_id      = %q
  backup_id               = %q
  database_name           = { sales = "sales_copy" }
  drop_previous_databases = true
  triggers                = { run = %q }
}
`, emulator.SQLServerSourceID, emulator.SQLServerTargetID, emulator.SQLServerBackupID, run)
	}
	testSteps(t,
		resource.TestStep{Config: copyDrill("1"), Check: resource.TestCheckResourceAttr(restoreAddr, "status", "Completed")},
		resource.TestStep{
			PreConfig: func() {
				tags := []emulator.Tag{{Key: "env", Value: "prod"}}
				if _, err := (tfcli.Admin{URL: env.URL}).PatchInstance(emulator.SQLServerTargetID, emulator.AdminInstancePatch{Tags: &tags}); err != nil {
					t.Fatal(err)
				}
				env.ClearRequests(t)
			},
			Config: copyDrill("2"),
			ExpectError: diagRegexp("Protected Target Instance", fmt.Sprintf(`The target instance %q (sqlserver-staging) is protected: it carries the tag env = "prod"`, emulator.SQLServerTargetID),
				"which the provider's protected_tags protects"),
		},
		resource.TestStep{
			PreConfig: func() {
				expectNothingSubmitted(t, env)
				if dbs := env.EmulatorState(t).Databases(emulator.SQLServerTargetID); !slices.Contains(dbs, "sales_copy") {
					t.Errorf("the protected target's databases are %v: the copy was dropped", dbs)
				}
			},
			Config:   copyDrill("1"),
			PlanOnly: true,
		},
	)
}

// A target that becomes protected between the plan and the apply (tagged env=prod while the CLI
// applies) is refused right before the submission, on a fresh read: nothing is backed up, dropped
// or submitted.
func TestAccRDSInstanceRestore_protectedBeforeSubmission(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	var once sync.Once
	tagOnApply := func() {
		once.Do(func() {
			tags := []emulator.Tag{{Key: "env", Value: "prod"}}
			if _, err := (tfcli.Admin{URL: env.URL}).PatchInstance(emulator.MySQLTargetID, emulator.AdminInstancePatch{Tags: &tags}); err != nil {
				t.Error(err)
			}
			env.ClearRequests(t)
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: beforeApplyFactories(tagOnApply),
		Steps: []resource.TestStep{{
			Config: guardedRestore(env, []string{`  protected_tags = { env = "prod" }`}, emulator.MySQLTargetID, "backup_target_first = true"),
			ExpectError: diagRegexp("Protected Target Instance", "Checked again right before the submission",
				fmt.Sprintf(`The target instance %q (mysql57-staging) is protected: it carries the tag env = "prod"`, emulator.MySQLTargetID),
				"Nothing was backed up, dropped or submitted", "(Rule A18"),
		}},
	})
	expectNothingSubmitted(t, env)
	if calls := apiCalls(t, env); !slices.ContainsFunc(calls, func(c string) bool { return c == "GET /v3/instances" }) {
		t.Errorf("the guard did not read the target again before the submission: %v", calls)
	}
}

// beforeApplyFactories serve the provider with hook run when the CLI applies a resource change,
// after every plan of it.
func beforeApplyFactories(hook func()) map[string]func() (tfprotov6.ProviderServer, error) {
	inner := acctest.ProviderFactories()["hwc"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hwc": func() (tfprotov6.ProviderServer, error) {
			s, err := inner()
			return beforeApplyServer{ProviderServer: s, hook: hook}, err
		},
	}
}

type beforeApplyServer struct {
	tfprotov6.ProviderServer
	hook func()
}

func (s beforeApplyServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	s.hook()
	return s.ProviderServer.ApplyResourceChange(ctx, req)
}

// The instance data sources expose tags as a map.
func TestAccRDSInstanceDataSource_tags(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + fmt.Sprintf(`
data "hwc_rds_instance" "prod" {
  id = %q
}
data "hwc_rds_instance" "legacy" {
  id = %q
}
`, emulator.MySQLSourceID, emulator.SQLServer2014ID),
		ConfigStateChecks: []statecheck.StateCheck{
			instanceCheck("prod", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("prod")})),
			instanceCheck("legacy", tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
		},
	})
}

// A lost reply to the backup's POST that nothing can settle (the target's backups cannot be
// listed): the backup is not sent again, nothing is restored, and the error says the outcome is
// unknown, naming the backup to look for.
func TestAccRDSInstanceRestore_backupTargetFirstUnknown(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{BackupDuration: 500 * time.Millisecond})
	env.RequireEmulator(t)
	var once sync.Once
	// After the plan (which reads the source's backup), so that only the apply meets them.
	faultOnApply := func() {
		once.Do(func() {
			env.Fault(t, map[string]any{"method": "POST", "path": faultBackups, "drop": "before"})
			env.Fault(t, map[string]any{"method": "GET", "path": faultBackups, "status": 403, "error_code": "DBS.200010", "count": 1000})
			env.ClearRequests(t)
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: beforeApplyFactories(faultOnApply),
		Steps: []resource.TestStep{{
			Config: backupFirstRestore(env),
			ExpectError: diagRegexp("Backup of the Target Unknown, Nothing Restored", `whether the API took the backup "hwc-pre-restore-`,
				"is unknown", "The backup was not sent again and the restore was not submitted: the target was not touched",
				`Look for a backup named "hwc-pre-restore-`),
		}},
	})
	calls := apiCalls(t, env)
	if n := countOf(calls, "POST /v3/backups"); n != 1 || env.RestoreSubmissions(t) != 0 {
		t.Errorf("%d backup POSTs and %d restore submissions, want 1 and 0:\n%s", n, env.RestoreSubmissions(t), strings.Join(calls, "\n"))
	}
}

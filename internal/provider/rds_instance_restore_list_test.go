package provider_test

// The list resource of hwc_rds_instance_restore through `terraform query` (Terraform 1.14 and
// later), and import by resource identity (Terraform 1.12 and later).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// skipCLIBelow skips a test on Terraform before major.minor, and on OpenTofu before
// tofuMajor.tofuMinor (0.0: on every OpenTofu), naming what the CLI lacks.
type skipCLIBelow struct {
	major, minor         int
	tofuMajor, tofuMinor int
	lacks                string
}

func (s skipCLIBelow) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	c, err := tfcli.Find()
	switch {
	case err != nil:
		resp.Error = err
	case c.OpenTofu && (s.tofuMajor == 0 || !c.AtLeast(s.tofuMajor, s.tofuMinor)):
		resp.Skip = fmt.Sprintf("%s has no %s (Terraform %d.%d and later have)", c.Version, s.lacks, s.major, s.minor)
	case !c.OpenTofu && !c.AtLeast(s.major, s.minor):
		resp.Skip = fmt.Sprintf("%s has no %s (Terraform %d.%d and later have)", c.Version, s.lacks, s.major, s.minor)
	}
}

// queryChecks skip a test on a CLI without `terraform query`: OpenTofu has none.
var queryChecks = []tfversion.TerraformVersionCheck{skipCLIBelow{major: 1, minor: 14, lacks: "`terraform query` with list resources"}}

// identityChecks skip a test on a CLI without import by resource identity (OpenTofu 1.12, the
// oldest tested here that has it).
var identityChecks = []tfversion.TerraformVersionCheck{skipCLIBelow{major: 1, minor: 12, tofuMajor: 1, tofuMinor: 12,
	lacks: "import by resource identity"}}

// querySteps runs a configuration step (the provider block: the query needs a root module)
// and then query steps, on a CLI that has `terraform query`.
func querySteps(t *testing.T, env *acctest.Env, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		TerraformVersionChecks:   queryChecks,
		Steps:                    append([]resource.TestStep{{Config: env.ProviderBlock()}}, steps...),
	})
}

// listBlock is one list block of hwc_rds_instance_restore named name, with config lines (none:
// no config block).
func listBlock(name string, includeResource bool, config ...string) string {
	body := "  provider = hwc\n"
	if includeResource {
		body += "  include_resource = true\n"
	}
	if len(config) > 0 {
		body += "  config {\n    " + strings.Join(config, "\n    ") + "\n  }\n"
	}
	return fmt.Sprintf("list \"hwc_rds_instance_restore\" %q {\n%s}\n", name, body)
}

func jobIdentity(jobID string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"job_id": knownvalue.StringExact(jobID)}
}

// waitForJobs waits until the emulator's jobs have all ended.
func waitForJobs(t *testing.T, env *acctest.Env) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		running := false
		for _, j := range env.EmulatorState(t).Jobs {
			running = running || j.Status == "Running"
		}
		if !running {
			return
		}
	}
	t.Fatal("the emulator's restore jobs did not end within a minute")
}

// Two restores made outside Terraform (one completed, one failed) are listed with their job ids
// as identities, filtered by target, status and time; with include_resource, a result is the
// state import writes.
func TestAccRDSInstanceRestoreList_pastRestores(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t) // the counts assume no restores but these two
	mysqlTarget, pgTarget := env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "POSTGRESQL_TARGET_ID")
	mysqlJob := env.SubmitRestore(t, env.ID(t, "MYSQL_SOURCE_ID"), mysqlTarget, env.ID(t, "MYSQL_BACKUP_ID"))
	env.Fault(t, map[string]any{"fail_next_job": "disk full"})
	pgJob := env.SubmitRestore(t, env.ID(t, "POSTGRESQL_SOURCE_ID"), pgTarget, env.ID(t, "POSTGRESQL_BACKUP_ID"))
	waitForJobs(t, env)

	const all, onMySQL, failed, lastHour, future = "hwc_rds_instance_restore.all", "hwc_rds_instance_restore.mysql",
		"hwc_rds_instance_restore.failed", "hwc_rds_instance_restore.last_hour", "hwc_rds_instance_restore.future"
	byJob := func(jobID string) queryfilter.QueryFilter { return queryfilter.ByResourceIdentity(jobIdentity(jobID)) }
	displayName := func(jobID, target, status string) knownvalue.Check {
		return knownvalue.StringRegexp(regexp.MustCompile(`^restore ` + jobID + ` onto ` + target + ` \(` + status +
			`, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$`))
	}
	resourceValue := func(attr string, v knownvalue.Check) querycheck.KnownValueCheck {
		return querycheck.KnownValueCheck{Path: tfjsonpath.New(attr), KnownValue: v}
	}
	querySteps(t, env, resource.TestStep{
		Query: true,
		Config: listBlock("all", false) +
			listBlock("mysql", true, attr("target_instance_id", mysqlTarget)) +
			listBlock("failed", false, attr("status", "Failed")) +
			listBlock("last_hour", false, `start_time = timeadd(plantimestamp(), "-1h")`) +
			listBlock("future", false, `start_time = timeadd(plantimestamp(), "1h")`) +
			"list \"hwc_rds_instance_restore\" \"newest\" {\n  provider = hwc\n  limit    = 1\n}\n",
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(all, 2),
			querycheck.ExpectIdentity(all, jobIdentity(mysqlJob)),
			querycheck.ExpectIdentity(all, jobIdentity(pgJob)),
			querycheck.ExpectResourceDisplayName(all, byJob(mysqlJob), displayName(mysqlJob, mysqlTarget, "Completed")),
			querycheck.ExpectResourceDisplayName(all, byJob(pgJob), displayName(pgJob, pgTarget, "Failed")),

			querycheck.ExpectLength(onMySQL, 1),
			querycheck.ExpectIdentity(onMySQL, jobIdentity(mysqlJob)),
			// The resource as import writes it: what the job tells, nothing made up.
			querycheck.ExpectResourceKnownValues(onMySQL, byJob(mysqlJob), []querycheck.KnownValueCheck{
				resourceValue("id", knownvalue.StringExact(mysqlJob)),
				resourceValue("job_id", knownvalue.StringExact(mysqlJob)),
				resourceValue("target_instance_id", knownvalue.StringExact(mysqlTarget)),
				resourceValue("status", knownvalue.StringExact("Completed")),
				resourceValue("fail_reason", knownvalue.StringExact("")),
				resourceValue("region", knownvalue.StringExact(emulator.DemoRegion)),
				resourceValue("submitted_at", knownvalue.StringRegexp(regexp.MustCompile(`Z$`))),
				resourceValue("completed_at", knownvalue.StringRegexp(regexp.MustCompile(`Z$`))),
				resourceValue("source_instance_id", knownvalue.Null()),
				resourceValue("backup_id", knownvalue.Null()),
			}),

			querycheck.ExpectLength(failed, 1),
			querycheck.ExpectIdentity(failed, jobIdentity(pgJob)),
			querycheck.ExpectLength(lastHour, 2),
			querycheck.ExpectLength(future, 0),
			// Newest first: a limit keeps the latest restores.
			querycheck.ExpectLength("hwc_rds_instance_restore.newest", 1),
			querycheck.ExpectIdentity("hwc_rds_instance_restore.newest", jobIdentity(pgJob)),
		},
	})
}

// Where the task list cannot list restores, and where the list block's config is wrong, the
// query fails with an error that says why and what to do instead.
func TestAccRDSInstanceRestoreList_errors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		options acctest.Options
		restore bool // make one restore first
		config  []string
		want    []string
	}{
		{name: "no task list", options: acctest.Options{Unconfirmed: emulator.Unconfirmed{TaskListMissing: true}},
			want: []string{"Task List Not Available", "404 APIGW.0101", "import it by its job id", "job_id"}},
		{name: "task list without restores", options: acctest.Options{Unconfirmed: emulator.Unconfirmed{TaskListWithoutRestores: true}},
			restore: true, config: []string{attr("status", "Completed")},
			want: []string{"Task List Shows No Restores", "does not show restores", "import it by its job id"}},
		{name: "status", config: []string{attr("status", "Done")},
			want: []string{"Invalid Status Filter", `status = "Done"`, "Running, Completed, Failed"}},
		{name: "time", config: []string{attr("start_time", "yesterday")},
			want: []string{"Invalid Time", `start_time = "yesterday"`, "RFC 3339"}},
		{name: "range", config: []string{attr("start_time", "2026-11-20T00:00:00Z"), attr("end_time", "2026-11-19T00:00:00Z")},
			want: []string{"Invalid Time Range", "is before start_time"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, tc.options)
			env.RequireEmulator(t)
			if tc.restore {
				env.SubmitRestore(t, env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID"))
			}
			querySteps(t, env, resource.TestStep{
				Query:       true,
				Config:      listBlock("x", false, tc.config...),
				ExpectError: diagRegexp(tc.want...),
			})
		})
	}
}

// A restore in the state has its job id as identity, and an import block with that identity
// imports it (Terraform 1.12 and later, OpenTofu 1.12).
func TestAccRDSInstanceRestore_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	src, dst, backup := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID")
	config := restoreOnto(env, src, dst, attr("backup_id", backup))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		TerraformVersionChecks:   identityChecks,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(restoreAddr, tfjsonpath.New("job_id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath(restoreAddr, tfjsonpath.New("job_id"), tfjsonpath.New("id")),
				},
			},
			{
				Config:          config,
				ResourceName:    restoreAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				// The import knows the job, not the source or the backup: the configuration is
				// adopted in place (an update that submits nothing).
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := env.RestoreSubmissions(t); !acctest.RealCloud() && n != 1 {
		t.Errorf("restore submissions = %d, want 1", n)
	}
}

// The user's way through the CLI binary, with the provider built from this tree: a restore the
// state does not know, the documented example query
// (examples/list-resources/hwc_rds_instance_restore), `terraform query
// -generate-config-out=FILE`, and the generated blocks, completed with the source, import the
// restore in place: nothing is restored again.
func TestAccRDSInstanceRestoreList_cliGenerateConfig(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	cli, err := tfcli.Find()
	if err != nil {
		t.Fatal(err)
	}
	if cli.OpenTofu || !cli.AtLeast(1, 14) {
		t.Skipf("%s has no `terraform query` with list resources (Terraform 1.14 and later have)", cli.Version)
	}
	jobID := env.SubmitRestore(t, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID)
	waitForJobs(t, env)

	plugins, dir := t.TempDir(), t.TempDir()
	if err := tfcli.Build(plugins, tfcli.Provider); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(plugins, tfcli.ConfigName)
	if err := tfcli.WriteConfig(config, plugins); err != nil {
		t.Fatal(err)
	}
	root, err := tfcli.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join(root, "examples", "list-resources", "hwc_rds_instance_restore", "list-resource.tfquery.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	writeCLIFile(t, filepath.Join(dir, "restores.tfquery.hcl"), string(example))
	writeCLIFile(t, filepath.Join(dir, "main.tf"), "terraform {\n  required_providers {\n    hwc = { source = \"opendrill/hwc\" }\n  }\n}\n\n"+
		env.ProviderBlock())
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

	r := run("query", "-no-color", "-generate-config-out=restores.tf")
	if want := "restore " + jobID + " onto " + emulator.MySQLTargetID + " (Completed, "; !strings.Contains(r.Stdout, want) {
		t.Errorf("the query's output does not list %q:\n%s", want, r)
	}
	generated, err := os.ReadFile(filepath.Join(dir, "restores.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`import {`, `job_id\s*=\s*"` + jobID + `"`, `resource "hwc_rds_instance_restore" "staging_0"`,
		`target_instance_id\s*=\s*"` + emulator.MySQLTargetID + `"`, `source_instance_id\s*=\s*null`} {
		if !regexp.MustCompile(want).Match(generated) {
			t.Errorf("the generated configuration has no %s:\n%s", want, generated)
		}
	}

	// The user fills in what the job does not tell; the plan imports and adopts, the apply
	// restores nothing.
	completed := regexp.MustCompile(`(?m)^(\s*source_instance_id\s*=\s*)null`).ReplaceAll(generated, []byte(`${1}"`+emulator.MySQLSourceID+`"`))
	completed = regexp.MustCompile(`(?m)^(\s*backup_id\s*=\s*)null`).ReplaceAll(completed, []byte(`${1}"`+emulator.MySQLBackupID+`"`))
	writeCLIFile(t, filepath.Join(dir, "restores.tf"), string(completed))
	r = run("apply", "-auto-approve", "-no-color")
	if want := "1 imported, 0 added, 1 changed, 0 destroyed"; !strings.Contains(r.Stdout, want) {
		t.Errorf("the apply of the generated configuration did not say %q:\n%s", want, r)
	}
	if n := env.RestoreSubmissions(t); n != 1 {
		t.Errorf("restore submissions = %d, want 1 (the import restored again)", n)
	}
}

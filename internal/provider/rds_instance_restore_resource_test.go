package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
)

const restoreAddr = "hwc_rds_instance_restore.test"

// restoreConfig renders one restore resource from HCL argument lines.
func restoreConfig(env *acctest.Env, args ...string) string {
	return env.ProviderBlock() + "resource \"hwc_rds_instance_restore\" \"test\" {\n  " +
		strings.Join(args, "\n  ") + "\n}\n"
}

// restoreOnto renders one restore resource from src onto dst, with more argument lines.
func restoreOnto(env *acctest.Env, src, dst string, args ...string) string {
	return restoreConfig(env, append([]string{attr("source_instance_id", src), attr("target_instance_id", dst)}, args...)...)
}

func attr(name, value string) string { return fmt.Sprintf("%s = %q", name, value) }

// expectTargetDatabases checks the databases the emulator's target has after the restore, in
// order, joined by commas (nothing to check on the real cloud).
func expectTargetDatabases(t *testing.T, env *acctest.Env, dst, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if acctest.RealCloud() {
			return nil
		}
		if dbs := strings.Join(env.EmulatorState(t).Databases(dst), ","); dbs != want {
			return fmt.Errorf("target databases after restore = %s, want %s", dbs, want)
		}
		return nil
	}
}

func checkState(attrName string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(restoreAddr, tfjsonpath.New(attrName), v)
}

// requireSubmissions checks, now, that the emulator saw exactly n restore submissions.
func requireSubmissions(t *testing.T, env *acctest.Env, n int) {
	t.Helper()
	if got := env.RestoreSubmissions(t); got != n {
		t.Errorf("restore submissions = %d, want %d", got, n)
	}
}

// expectSubmissions checks the emulator saw exactly n restore submissions.
func expectSubmissions(t *testing.T, env *acctest.Env, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if acctest.RealCloud() {
			return nil
		}
		// A POST the gateway throttled (429 APIGW.0308) never reached RDS: under the throttled
		// switch sets, one that comes back later is the same submission, not a second one.
		got := 0
		var answers []string
		for _, r := range env.Requests(t) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/instances/recovery") {
				answers = append(answers, fmt.Sprintf("%s %d %s", r.Time.Format("15:04:05.000"), r.Status, r.ErrorCode))
				if r.Status != http.StatusTooManyRequests {
					got++
				}
			}
		}
		if got != n {
			return fmt.Errorf("restore submissions that reached RDS = %d, want %d (answered: %s)", got, n, strings.Join(answers, "; "))
		}
		return nil
	}
}

func TestAccRDSInstanceRestore_mysqlBackup(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreMysqlBackup(t, acctest.Options{})
}

func testAccRDSInstanceRestoreMysqlBackup(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	src, dst, backup := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID")
	config := restoreOnto(env, src, dst, attr("backup_id", backup))
	testSteps(t,
		resource.TestStep{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("type"), knownvalue.StringExact("backup")),
				plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("engine"), knownvalue.StringExact("MySQL")),
				// Known only once the job completes.
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("recovery_point_age_seconds")),
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("recovery_time_seconds")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("status", knownvalue.StringExact("Completed")),
				checkState("job_id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				checkState("type", knownvalue.StringExact("backup")),
				checkState("region", knownvalue.StringExact("cn-north-4")),
				checkState("source_engine_version", knownvalue.StringExact("5.7.25")),
				checkState("target_engine_version", knownvalue.StringExact("5.7.27")),
				checkState("submitted_at", knownvalue.NotNull()),
				checkState("completed_at", knownvalue.NotNull()),
				checkState("fail_reason", knownvalue.StringExact("")),
			},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttrPair(restoreAddr, "id", restoreAddr, "job_id"),
				expectSubmissions(t, env, 1),
				expectTargetDatabases(t, env, dst, "orders,shop,users"), // the backup's
				// The emulator's job takes a second or so (Options.JobDuration).
				expectObjectives(time.Minute),
			),
		},
		resource.TestStep{
			// The same configuration again: nothing to do, nothing submitted.
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			Check: expectSubmissions(t, env, 1),
		},
	)
}

func TestAccRDSInstanceRestore_postgresqlPointInTime(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestorePostgresqlPointInTime(t, acctest.Options{})
}

func testAccRDSInstanceRestorePostgresqlPointInTime(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	src, dst := env.ID(t, "POSTGRESQL_SOURCE_ID"), env.ID(t, "POSTGRESQL_TARGET_ID")
	at := time.Now().Add(-2 * time.Hour).UnixMilli()
	testSteps(t, resource.TestStep{
		Config: restoreOnto(env, src, dst,
			fmt.Sprintf("restore_time = %d", at)),
		ConfigStateChecks: []statecheck.StateCheck{
			checkState("status", knownvalue.StringExact("Completed")),
			checkState("type", knownvalue.StringExact("timestamp")),
			checkState("engine", knownvalue.StringExact("PostgreSQL")),
			checkState("restore_time", knownvalue.Int64Exact(at)),
			// Restored to two hours before the submission: submitted_at is recorded to the second
			// and restore_time to the millisecond, so the whole seconds between them may be one
			// fewer.
			checkState("recovery_point_age_seconds", int64Between(2*3600-1, 2*3600+60)),
		},
		Check: resource.ComposeTestCheckFunc(expectSubmissions(t, env, 1), expectObjectives(time.Minute)),
	})
}

func TestAccRDSInstanceRestore_sqlserverRenames(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreSqlserverRenames(t, acctest.Options{})
}

func testAccRDSInstanceRestoreSqlserverRenames(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	src, dst, backup := env.ID(t, "SQLSERVER_SOURCE_ID"), env.ID(t, "SQLSERVER_TARGET_ID"), env.ID(t, "SQLSERVER_BACKUP_ID")
	testSteps(t, resource.TestStep{
		Config: restoreOnto(env, src, dst,
			attr("backup_id", backup), `database_name = { sales = "sales,sales_copy", hr = "hr_2026" }`),
		ConfigStateChecks: []statecheck.StateCheck{
			checkState("status", knownvalue.StringExact("Completed")),
			checkState("engine", knownvalue.StringExact("SQLServer")),
		},
		Check: resource.ComposeTestCheckFunc(
			expectSubmissions(t, env, 1),
			expectTargetDatabases(t, env, dst, "hr_2026,reporting,sales,sales_copy"),
		),
	})
}

func TestAccRDSInstanceRestore_sqlserverPointInTimeAllDatabases(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreSqlserverPointInTimeAllDatabases(t, acctest.Options{})
}

func testAccRDSInstanceRestoreSqlserverPointInTimeAllDatabases(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	src, dst := env.ID(t, "SQLSERVER_SOURCE_ID"), env.ID(t, "SQLSERVER_TARGET_ID")
	at := time.Now().Add(-3 * time.Hour).UnixMilli()
	testSteps(t, resource.TestStep{
		Config: restoreOnto(env, src, dst,
			fmt.Sprintf("restore_time = %d", at), "restore_all_database = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			checkState("status", knownvalue.StringExact("Completed")),
			checkState("restore_all_database", knownvalue.Bool(true)),
		},
	})
}

// A changed trigger runs the restore again: the nightly-drill pattern.
func TestAccRDSInstanceRestore_triggersRerun(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreTriggersRerun(t, acctest.Options{})
}

func testAccRDSInstanceRestoreTriggersRerun(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	src, dst, backup := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID")
	cfg := func(night string) string {
		return restoreOnto(env, src, dst,
			attr("backup_id", backup), `triggers = { night = "`+night+`" }`)
	}
	testSteps(t,
		resource.TestStep{Config: cfg("2026-11-25"), Check: expectSubmissions(t, env, 1)},
		resource.TestStep{
			Config: cfg("2026-11-26"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: expectSubmissions(t, env, 2),
		},
	)
}

func TestAccRDSInstanceRestore_failingJob(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreFailingJob(t, acctest.Options{})
}

func testAccRDSInstanceRestoreFailingJob(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	env.RequireEmulator(t)
	env.Fault(t, map[string]any{"fail_next_job": "disk quota exceeded on the target"})
	testSteps(t, resource.TestStep{
		Config: restoreConfig(env, attr("source_instance_id", env.ID(t, "MYSQL_SOURCE_ID")),
			attr("target_instance_id", env.ID(t, "MYSQL_TARGET_ID")), attr("backup_id", env.ID(t, "MYSQL_BACKUP_ID"))),
		ExpectError: regexp.MustCompile(`(?s)Restore Job Failed.*disk quota exceeded on the\s+target`),
	})
	requireSubmissions(t, env, 1)
}

// Two restores onto one target in one apply are serialized by the provider, not refused by the API.
func TestAccRDSInstanceRestore_sameTargetSerialized(t *testing.T) {
	t.Parallel()
	testAccRDSInstanceRestoreSameTargetSerialized(t, acctest.Options{})
}

func testAccRDSInstanceRestoreSameTargetSerialized(t *testing.T, o acctest.Options) {
	env := acctest.New(t, o)
	env.RequireEmulator(t)
	src, dst := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID")
	config := env.ProviderBlock() + fmt.Sprintf(`
resource "hwc_rds_instance_restore" "a" {
  source_instance_id = %[1]q
  target_instance_id = %[2]q
  backup_id          = %[3]q
}
resource "hwc_rds_instance_restore" "b" {
  source_instance_id = %[1]q
  target_instance_id = %[2]q
  backup_id          = %[4]q
}
`, src, dst, env.ID(t, "MYSQL_BACKUP_ID"), "c3d4e5f6a7b84c9d8e0f1a2b3c4d5e6fbr01")
	testSteps(t, resource.TestStep{
		Config: config,
		Check: resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttr("hwc_rds_instance_restore.a", "status", "Completed"),
			resource.TestCheckResourceAttr("hwc_rds_instance_restore.b", "status", "Completed"),
			expectSubmissions(t, env, 2),
			func(*terraform.State) error {
				for _, r := range env.Requests(t) {
					if r.Status == 409 {
						return fmt.Errorf("a restore was refused as busy: %+v", r)
					}
				}
				return nil
			},
		),
	})
}

func TestAccRDSInstanceRestore_import(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	src, dst, backup := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID")
	config := restoreOnto(env, src, dst, attr("backup_id", backup))
	testSteps(t,
		resource.TestStep{Config: config},
		resource.TestStep{
			Config:            config,
			ResourceName:      restoreAddr,
			ImportState:       true,
			ImportStateVerify: true,
			// The job knows its target and outcome, not the source or the backup.
			ImportStateVerifyIgnore: []string{"source_instance_id", "backup_id", "type", "engine",
				"source_engine_version", "target_engine_version", "submitted_at", "completed_at", "timeouts",
				"restored_to", "recovery_point_age_seconds", "recovery_time_seconds"},
			// The job's times give the recovery time; the job does not say what it restored to.
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				a := states[0].Attributes
				if v, ok := a["recovery_time_seconds"]; !ok || v == "" || strings.HasPrefix(v, "-") {
					return fmt.Errorf("imported recovery_time_seconds = %q (set: %v), want a number of seconds", v, ok)
				}
				if v, ok := a["recovery_point_age_seconds"]; ok {
					return fmt.Errorf("imported recovery_point_age_seconds = %q, want null (restored_to is not known)", v)
				}
				return nil
			},
		},
	)
	if n := env.RestoreSubmissions(t); !acctest.RealCloud() && n != 1 {
		t.Errorf("restore submissions = %d, want 1", n)
	}
}

// A restore made elsewhere (the official provider, the console) is imported by its job id and
// adopts its configuration in place: the plan is an update, and nothing is submitted again.
func TestAccRDSInstanceRestore_importThenAdopt(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	src, dst, backup := env.ID(t, "MYSQL_SOURCE_ID"), env.ID(t, "MYSQL_TARGET_ID"), env.ID(t, "MYSQL_BACKUP_ID")
	jobID := env.SubmitRestore(t, src, dst, backup)
	args := []string{attr("source_instance_id", src), attr("target_instance_id", dst)}
	testSteps(t,
		resource.TestStep{
			Config: restoreConfig(env, append(args, attr("backup_id", backup))...) +
				fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", restoreAddr, jobID),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("job_id", knownvalue.StringExact(jobID)),
				checkState("source_instance_id", knownvalue.StringExact(src)),
				checkState("backup_id", knownvalue.StringExact(backup)),
				checkState("type", knownvalue.StringExact("backup")),
			},
			Check: expectSubmissions(t, env, 1),
		},
		resource.TestStep{
			// Adopted: changing an argument runs a new restore again.
			Config: restoreConfig(env, append(args, attr("backup_id", "c3d4e5f6a7b84c9d8e0f1a2b3c4d5e6fbr01"))...),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: expectSubmissions(t, env, 2),
		},
	)
}

package provider_test

// What the rules do at apply time: ids unknown at plan are checked right before the POST with the
// same messages; a busy target is waited for within timeouts.create; a throttled gateway is
// retried through.

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
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// A target id that only terraform_data knows at plan time: ModifyPlan cannot read the instance,
// so the plan passes, and Create runs the same checks before the POST, with the same message.
func TestAccRDSInstanceRestore_unknownIDsCheckedAtApply(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	src, backup := emulator.MySQLSourceID, emulator.MySQLBackupID
	viaData := func(target string) string {
		return env.ProviderBlock() + fmt.Sprintf(`
resource "terraform_data" "target" {
  input = %q
}

resource "hwc_rds_instance_restore" "test" {
  source_instance_id = %q
  target_instance_id = terraform_data.target.output
  backup_id          = %q
}
`, target, src, backup)
	}
	// The same error, whether the ids are known at plan time or only at apply time.
	wrongTarget := ruleErrorPattern("A7", "Target Storage Too Small", "target_instance_id",
		fmt.Sprintf(`The target instance %s has 40 GB of storage, less than the source instance %s (100 GB)`,
			label(emulator.MySQLSmallID, "mysql57-small"), label(src, "mysql57-prod")),
		`Scale the target's storage up to 100 GB or more`)
	// atPlan and atApply also pin which CLI command failed.
	atPlan := func(pattern string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)\AError running (non-refresh|pre-apply) plan\b.*?` + pattern)
	}
	atApply := func(pattern string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)\AError running apply\b.*?` + pattern)
	}
	noSubmission := func() {
		requireSubmissions(t, env, 0)
	}
	testSteps(t,
		resource.TestStep{
			// Known at plan time: the plan fails.
			Config:      restoreConfig(env, attr("source_instance_id", src), attr("target_instance_id", emulator.MySQLSmallID), attr("backup_id", backup)),
			PlanOnly:    true,
			ExpectError: atPlan(wrongTarget),
		},
		resource.TestStep{
			// Unknown at plan time: the plan cannot check the target and goes on.
			PreConfig:          noSubmission,
			Config:             viaData(emulator.MySQLSmallID),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("target_instance_id")),
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("engine")),
			}},
		},
		resource.TestStep{
			// ...and the apply fails before the POST, with the plan's message.
			PreConfig:   noSubmission,
			Config:      viaData(emulator.MySQLSmallID),
			ExpectError: atApply(wrongTarget),
		},
		resource.TestStep{
			// A static rule on a value known only at apply time: the same check, before the POST.
			PreConfig: noSubmission,
			Config: env.ProviderBlock() + fmt.Sprintf(`
resource "terraform_data" "when" {
  input = 1532001446
}

resource "hwc_rds_instance_restore" "test" {
  source_instance_id = %q
  target_instance_id = %q
  restore_time       = terraform_data.when.output
}
`, src, emulator.MySQLTargetID),
			ExpectError: atApply(ruleErrorPattern("S5", "Restore Time Looks Like Seconds", "restore_time",
				`restore_time is 1532001446, which as Unix milliseconds is 1970-01-18T17:33:21.446Z, long before any backup: restore_time is in milliseconds, not seconds. Did you mean 1532001446000 (2018-07-19T11:57:26.000Z)?`)),
		},
		resource.TestStep{
			// A good target known only at apply time is checked and restored.
			PreConfig: noSubmission,
			Config:    viaData(emulator.MySQLTargetID),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("target_instance_id")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("status", knownvalue.StringExact("Completed")),
				checkState("target_instance_id", knownvalue.StringExact(emulator.MySQLTargetID)),
				checkState("engine", knownvalue.StringExact("MySQL")),
				checkState("target_engine_version", knownvalue.StringExact("5.7.27")),
			},
			Check: expectSubmissions(t, env, 1),
		},
	)
}

// A target busy with something other than a restore (a backup: BACKING UP) is waited for: the
// provider polls it, submits once it is ACTIVE again (never into a 409), and the restore
// completes. (A target busy with a restore the state does not know is refused instead: the fault
// table's "target busy with a restore the state does not know" row.)
func TestAccRDSInstanceRestore_busyTargetWaited(t *testing.T) {
	t.Parallel()
	// How long the target stays BACKING UP after the step starts planning.
	const busyFor = 8 * time.Second
	env := acctest.New(t, acctest.Options{JobDuration: 2 * time.Second})
	env.RequireEmulator(t)
	target := emulator.MySQLTargetID
	var freed time.Time
	testSteps(t, resource.TestStep{
		PreConfig: func() {
			if err := env.SetInstanceStatus(target, "BACKING UP"); err != nil {
				t.Fatal(err)
			}
			freed = time.Now().Add(busyFor)
			go func() {
				time.Sleep(busyFor)
				if err := env.SetInstanceStatus(target, "ACTIVE"); err != nil {
					t.Errorf("freeing the target: %v", err)
				}
			}()
		},
		Config: restoreConfig(env, attr("source_instance_id", emulator.MySQLSourceID), attr("target_instance_id", target),
			attr("backup_id", emulator.MySQLBackupID), "timeouts {\n    create = \"2m\"\n  }"),
		ConfigStateChecks: []statecheck.StateCheck{checkState("status", knownvalue.StringExact("Completed"))},
		Check: resource.ComposeTestCheckFunc(
			expectSubmissions(t, env, 1),
			func(*terraform.State) error {
				var posts, busyPolls []acctest.Request
				log := env.Requests(t)
				for _, r := range log {
					if r.Status == http.StatusConflict {
						return fmt.Errorf("a request was refused as busy (the provider must wait, not submit): %+v", r)
					}
					if r.Method == http.MethodPost && strings.Contains(r.Path, "/instances/recovery") {
						posts = append(posts, r)
					}
					if r.Method == http.MethodGet && strings.Contains(r.Query, "id="+target) && r.Time.Before(freed) {
						busyPolls = append(busyPolls, r)
					}
				}
				if len(posts) != 1 || posts[0].Status != http.StatusAccepted {
					return fmt.Errorf("restore submissions: %+v, want one accepted", posts)
				}
				if len(busyPolls) == 0 {
					return fmt.Errorf("the provider never read the target while it was busy (until %s): %+v", freed, log)
				}
				if posts[0].Time.Before(freed) {
					return fmt.Errorf("the provider submitted at %s, before the target was freed at %s", posts[0].Time, freed)
				}
				t.Logf("target busy until %s; the provider polled it %d times meanwhile and submitted %s after",
					freed.Format(time.RFC3339Nano), len(busyPolls), posts[0].Time.Sub(freed))
				return nil
			},
		),
	})
}

// A target that stays busy past timeouts.create: the apply fails saying nothing was submitted,
// and nothing was.
func TestAccRDSInstanceRestore_busyTargetTimeout(t *testing.T) {
	t.Parallel()
	seed := emulator.DefaultSeed()
	cloneInstance(seed, emulator.MySQLTargetID, mysqlBusyID, "mysql57-busy", func(in *emulator.SeedInstance) {
		in.Status = "BACKING UP"
	})
	env := acctest.New(t, acctest.Options{Seed: seed})
	env.RequireEmulator(t)
	start := time.Now()
	testSteps(t, resource.TestStep{
		Config: restoreConfig(env, attr("source_instance_id", emulator.MySQLSourceID), attr("target_instance_id", mysqlBusyID),
			attr("backup_id", emulator.MySQLBackupID), "timeouts {\n    create = \"4s\"\n  }"),
		ExpectError: regexp.MustCompile(`(?s)Error: Restore Not Submitted.*` + loose(`timeouts.create ran out before the restore could be submitted:`) +
			`.*` + loose(fmt.Sprintf("instance %s is BACKING UP, still not ACTIVE", mysqlBusyID)) +
			`.*` + loose(`Nothing was submitted. Raise timeouts.create, or apply again when the target is ACTIVE.`)),
	})
	requireSubmissions(t, env, 0)
	polls := 0
	for _, r := range env.Requests(t) {
		if r.Method == http.MethodGet && strings.Contains(r.Query, "id="+mysqlBusyID) {
			polls++
		}
	}
	if polls < 2 {
		t.Errorf("the provider read the busy target %d times while waiting, want at least 2", polls)
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("the test took %s: the 4s create timeout was not kept", d)
	}
}

// A gateway that allows 20 requests a minute: three restores onto three targets in one apply
// still complete, as the client retries 429s (and slows down after them).
func TestAccRDSInstanceRestore_throttled(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{Throttle: 20})
	env.RequireEmulator(t)
	restore := func(name, src, dst, backup string) string {
		return fmt.Sprintf(`
resource "hwc_rds_instance_restore" %q {
  source_instance_id = %q
  target_instance_id = %q
  backup_id          = %q
}
`, name, src, dst, backup)
	}
	config := env.ProviderBlock() +
		restore("mysql", emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID) +
		restore("postgresql", emulator.PostgreSQLSourceID, emulator.PostgreSQLTargetID, emulator.PostgreSQLBackupID) +
		restore("sqlserver", emulator.SQLServerSourceID, emulator.SQLServerTargetID, emulator.SQLServerBackupID)
	start := time.Now()
	testSteps(t, resource.TestStep{
		Config: config,
		Check: resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttr("hwc_rds_instance_restore.mysql", "status", "Completed"),
			resource.TestCheckResourceAttr("hwc_rds_instance_restore.postgresql", "status", "Completed"),
			resource.TestCheckResourceAttr("hwc_rds_instance_restore.sqlserver", "status", "Completed"),
			// A POST the gateway throttled never reached RDS, so the client may send it again:
			// count what got past the gateway, and the jobs.
			func(*terraform.State) error {
				passed := 0
				for _, r := range env.Requests(t) {
					if r.Method == http.MethodPost && r.Status != http.StatusTooManyRequests {
						passed++
					}
				}
				if jobs := len(env.EmulatorState(t).Jobs); passed != 3 || jobs != 3 {
					return fmt.Errorf("restore submissions past the gateway = %d, jobs = %d, want 3 and 3", passed, jobs)
				}
				return nil
			},
		),
	})
	log := env.Requests(t)
	throttled := 0
	for _, r := range log {
		if r.Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	t.Logf("%d API requests, %d answered 429, in %s", len(log), throttled, time.Since(start).Round(time.Second))
	if throttled > 5 {
		t.Errorf("%d requests were throttled (429), want at most a handful (5)", throttled)
	}
}

package provider_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// expectNoRestore fails a plan that would create or replace the restore: the edit asks for the
// restore the state already records.
type expectNoRestore struct{ addr string }

func (e expectNoRestore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		if rc.Change.Actions.Create() || rc.Change.Actions.Replace() {
			resp.Error = fmt.Errorf("%s plans %v: an edit that asks for the same restore must not restore again", e.addr, rc.Change.Actions)
		}
		return
	}
}

// Writing a documented default, or the value the provider fills in, into a finished restore is no
// new restore; every real change still is. One restore through five no-op edits, then a second
// one for a real change.
func TestAccRDSInstanceRestore_noOpEditsDoNotRestoreAgain(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	src, dst, backup := env.ID(t, "SQLSERVER_SOURCE_ID"), env.ID(t, "SQLSERVER_TARGET_ID"), env.ID(t, "SQLSERVER_BACKUP_ID")
	base := []string{attr("source_instance_id", src), attr("target_instance_id", dst), attr("backup_id", backup)}
	cfg := func(extra ...string) string {
		return restoreConfig(env, append(append([]string{}, base...), extra...)...)
	}
	noRestore := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectNoRestore{restoreAddr}}}
	step := func(config string) resource.TestStep {
		return resource.TestStep{Config: config, ConfigPlanChecks: noRestore, Check: expectSubmissions(t, env, 1)}
	}
	testSteps(t,
		resource.TestStep{Config: cfg(), Check: expectSubmissions(t, env, 1)},
		step(cfg("restore_all_database = false")),
		step(cfg("restore_all_database = false", "database_name = {}")),
		step(cfg("database_name = {}", `type = "backup"`)),
		step(cfg(`type = "backup"`, attr("region", emulator.DemoRegion))),
		step(cfg(attr("region", emulator.DemoRegion))),
		step(cfg()),
		resource.TestStep{
			Config: cfg("restore_all_database = true"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: expectSubmissions(t, env, 2),
		},
		resource.TestStep{
			Config: cfg("restore_all_database = true", `triggers = { night = "2" }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: expectSubmissions(t, env, 3),
		},
	)
}

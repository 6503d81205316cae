package provider_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
)

// The core restore tests, again under every set of answers to what the API's documentation leaves
// unconfirmed (the UNCONFIRMED facts of internal/service/rds's package doc: restore reply 200 or 202, Retry-After or none, jobs invisible for a while, the
// task list missing or silent about restores): the provider must work whichever is true.
func TestAccRDSInstanceRestore_unconfirmedSwitches(t *testing.T) {
	t.Parallel()
	core := []struct {
		name string
		run  func(*testing.T, acctest.Options)
	}{
		{"mysqlBackup", testAccRDSInstanceRestoreMysqlBackup},
		{"postgresqlPointInTime", testAccRDSInstanceRestorePostgresqlPointInTime},
		{"sqlserverRenames", testAccRDSInstanceRestoreSqlserverRenames},
		{"triggersRerun", testAccRDSInstanceRestoreTriggersRerun},
		{"failingJob", testAccRDSInstanceRestoreFailingJob},
		{"sameTargetSerialized", testAccRDSInstanceRestoreSameTargetSerialized},
	}
	// One level of subtests, "<set>/<test>": nested parallel subtests would queue behind every
	// other test of the package, and the throttled sets' tests are the longest of it.
	for _, set := range acctest.SwitchSets()[1:] { // the defaults run as the tests themselves
		var throttledInSet, ranInSet atomic.Int64
		if set.With(acctest.Options{}).Throttle > 0 {
			// Cleanup runs once every test of the set (every subtest) has finished.
			t.Cleanup(func() {
				if n := throttledInSet.Load(); n == 0 && ranInSet.Load() > 0 && !t.Failed() {
					t.Errorf("%s: no request of the set was throttled: the set does not exercise 429s", set.Name)
				}
			})
		}
		for _, c := range core {
			t.Run(set.Name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				if acctest.RealCloud() {
					t.Skip("the switches are the emulator's")
				}
				var env *acctest.Env
				o := set.With(acctest.Options{OnStart: func(e *acctest.Env) { env = e }})
				c.run(t, o)
				if env == nil || t.Failed() {
					return
				}
				ranInSet.Add(1)
				// The switches were met, not just set.
				throttled, restores200 := 0, 0
				for _, r := range env.Requests(t) {
					switch {
					case r.Status == http.StatusTooManyRequests:
						throttled++
					case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/instances/recovery") && r.Status == http.StatusOK:
						restores200++
					}
				}
				throttledInSet.Add(int64(throttled))
				if o.Unconfirmed.RestoreStatus200 && restores200 == 0 {
					t.Errorf("no restore was answered 200")
				}
			})
		}
	}
}

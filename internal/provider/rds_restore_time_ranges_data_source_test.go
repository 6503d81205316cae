package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// The seed's MySQL source can be restored to any time of the last 7 days but the last 5 minutes,
// except a one-hour gap 72 hours ago: two ranges, the latest restorable moment ending the second.
func TestAccRDSRestoreTimeRangesDataSource_basic(t *testing.T) {
	t.Parallel()
	loaded := time.Now()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	// Yesterday (UTC) lies wholly inside the window: with date, the API cuts the range to that day.
	yesterday := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	const all = "data.hwc_rds_restore_time_ranges.all"
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_restore_time_ranges" "all" {
  instance_id = "` + emulator.MySQLSourceID + `"
}
data "hwc_rds_restore_time_ranges" "yesterday" {
  instance_id = "` + emulator.MySQLSourceID + `"
  date        = "` + yesterday.Format("2006-01-02") + `"
}
data "hwc_rds_restore_time_ranges" "long_ago" {
  instance_id = "` + emulator.MySQLSourceID + `"
  date        = "2001-01-01"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			rangesCheck("all", tfjsonpath.New("ranges"), knownvalue.ListSizeExact(2)),
			statecheck.CompareValuePairs(all, tfjsonpath.New("latest_restorable_time"),
				all, tfjsonpath.New("ranges").AtSliceIndex(1).AtMapKey("end_time"), compare.ValuesSame()),
			statecheck.CompareValuePairs(all, tfjsonpath.New("latest_restorable_time_rfc3339"),
				all, tfjsonpath.New("ranges").AtSliceIndex(1).AtMapKey("end_time_rfc3339"), compare.ValuesSame()),
			rangesCheck("all", tfjsonpath.New("latest_restorable_time"), knownvalue.Int64Func(func(v int64) error {
				// The window ends 5 minutes before the emulator loaded its seed.
				want := loaded.Add(-emulator.DemoRestoreWindowLag)
				if d := time.UnixMilli(v).Sub(want); d < -5*time.Second || d > 30*time.Second {
					return fmt.Errorf("latest_restorable_time %s is %s away from %s", time.UnixMilli(v).UTC(), d, want.UTC())
				}
				return nil
			})),
			rangesCheck("all", tfjsonpath.New("latest_restorable_time_rfc3339"),
				knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`))),
			rangesCheck("all", tfjsonpath.New("ranges").AtSliceIndex(0).AtMapKey("end_time"), knownvalue.Int64Func(func(v int64) error {
				// The first range ends where the gap begins, 73 hours before the load.
				want := loaded.Add(-emulator.DemoRestoreGapStart - emulator.DemoRestoreGapLength)
				if d := time.UnixMilli(v).Sub(want); d < -5*time.Second || d > 30*time.Second {
					return fmt.Errorf("first range ends at %s, want about %s", time.UnixMilli(v).UTC(), want.UTC())
				}
				return nil
			})),

			rangesCheck("yesterday", tfjsonpath.New("ranges"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"start_time":         knownvalue.Int64Exact(yesterday.UnixMilli()),
					"end_time":           knownvalue.Int64Exact(yesterday.Add(24*time.Hour).UnixMilli() - 1),
					"start_time_rfc3339": knownvalue.StringExact(yesterday.Format("2006-01-02") + "T00:00:00.000Z"),
					"end_time_rfc3339":   knownvalue.StringExact(yesterday.Format("2006-01-02") + "T23:59:59.999Z"),
				}),
			})),
			rangesCheck("yesterday", tfjsonpath.New("latest_restorable_time"), knownvalue.Int64Exact(yesterday.Add(24*time.Hour).UnixMilli()-1)),
			rangesCheck("yesterday", tfjsonpath.New("latest_restorable_time_rfc3339"), knownvalue.StringExact(yesterday.Format("2006-01-02")+"T23:59:59.999Z")),

			rangesCheck("long_ago", tfjsonpath.New("ranges"), knownvalue.ListExact([]knownvalue.Check{})),
			rangesCheck("long_ago", tfjsonpath.New("latest_restorable_time"), knownvalue.Null()),
			rangesCheck("long_ago", tfjsonpath.New("latest_restorable_time_rfc3339"), knownvalue.Null()),
		},
	})
}

// The drill "restore to the latest restorable moment" feeds a restore: against any cloud.
func TestAccRDSRestoreTimeRangesDataSource_latestIsInsideARange(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	src := env.ID(t, "POSTGRESQL_SOURCE_ID")
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_restore_time_ranges" "prod" {
  instance_id = "` + src + `"
}
output "latest_in_range" {
  value = anytrue([for r in data.hwc_rds_restore_time_ranges.prod.ranges :
    r.start_time <= data.hwc_rds_restore_time_ranges.prod.latest_restorable_time &&
    data.hwc_rds_restore_time_ranges.prod.latest_restorable_time <= r.end_time])
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("latest_in_range", knownvalue.Bool(true)),
			rangesCheck("prod", tfjsonpath.New("latest_restorable_time"), knownvalue.NotNull()),
		},
	})
}

func TestAccRDSRestoreTimeRangesDataSource_errors(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	testSteps(t, errorSteps(env,
		configError{`
data "hwc_rds_restore_time_ranges" "x" {
  instance_id = "00000000000000000000000000000000in01"
}
`, []string{"RDS Instance Not Found", `instance_id is "00000000000000000000000000000000in01", but no such RDS instance exists`}},
		configError{`
data "hwc_rds_restore_time_ranges" "x" {
  instance_id = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
  date        = "2025-13-01"
}
`, []string{"Invalid Date", `date is "2025-13-01"; it must be a UTC day written yyyy-mm-dd`}},
	)...)
}

package provider_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// The seed's MySQL source has, newest first: a BUILDING manual backup (2 minutes old), a
// COMPLETED auto backup (yesterday 01:00 UTC) and a COMPLETED manual one (the day before, 14:00).
// latest_completed must skip the BUILDING one.
func TestAccRDSBackupsDataSource_basic(t *testing.T) {
	t.Parallel()
	day := time.Now().UTC().Truncate(24 * time.Hour) // the built-in seed's backup times are relative to it
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	src := emulator.MySQLSourceID
	// A range around the manual backup only, written with a +08:00 offset.
	cst := time.FixedZone("CST", 8*3600)
	begin := day.Add(-40 * time.Hour).In(cst).Format(time.RFC3339)
	end := day.Add(-30 * time.Hour).In(cst).Format(time.RFC3339)
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_backups" "all" {
  instance_id = "` + src + `"
}
data "hwc_rds_backups" "manual" {
  instance_id = "` + src + `"
  type        = "manual"
}
data "hwc_rds_backups" "building" {
  instance_id = "` + src + `"
  status      = "building"
}
data "hwc_rds_backups" "range" {
  instance_id = "` + src + `"
  begin_time  = "` + begin + `"
  end_time    = "` + end + `"
}
data "hwc_rds_backups" "sqlserver" {
  instance_id = "` + emulator.SQLServerSourceID + `"
}
data "hwc_rds_backups" "none" {
  instance_id = "` + emulator.MySQLSmallID + `"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			backupsCheck("all", tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"id":       knownvalue.StringExact(emulator.MySQLBuildingBackupID),
					"status":   knownvalue.StringExact("BUILDING"),
					"end_time": knownvalue.Null(),
				}),
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":         knownvalue.StringExact(emulator.MySQLBackupID),
					"name":       knownvalue.StringExact("mysql57-prod-auto"),
					"type":       knownvalue.StringExact("auto"),
					"status":     knownvalue.StringExact("COMPLETED"),
					"begin_time": knownvalue.StringExact(day.Add(-23 * time.Hour).Format(time.RFC3339)),
					"end_time":   knownvalue.StringExact(day.Add(-23*time.Hour + 5*time.Minute).Format(time.RFC3339)),
					"size":       knownvalue.Int64Exact(2048000),
					"databases":  knownvalue.ListExact([]knownvalue.Check{}),
				}),
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(emulator.MySQLManualBackupID)}),
			})),
			backupsCheck("all", tfjsonpath.New("latest_completed").AtMapKey("id"), knownvalue.StringExact(emulator.MySQLBackupID)),
			backupsCheck("all", tfjsonpath.New("latest_completed").AtMapKey("status"), knownvalue.StringExact("COMPLETED")),

			backupsCheck("manual", tfjsonpath.New("backups"), knownvalue.ListSizeExact(2)),
			backupsCheck("manual", tfjsonpath.New("latest_completed").AtMapKey("id"), knownvalue.StringExact(emulator.MySQLManualBackupID)),

			backupsCheck("building", tfjsonpath.New("backups"), knownvalue.ListSizeExact(1)),
			backupsCheck("building", tfjsonpath.New("latest_completed"), knownvalue.Null()),

			backupsCheck("range", tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(emulator.MySQLManualBackupID)}),
			})),
			backupsCheck("range", tfjsonpath.New("latest_completed").AtMapKey("id"), knownvalue.StringExact(emulator.MySQLManualBackupID)),

			backupsCheck("sqlserver", tfjsonpath.New("latest_completed").AtMapKey("databases"), stringsExact("sales", "hr", "inventory")),

			backupsCheck("none", tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{})),
			backupsCheck("none", tfjsonpath.New("latest_completed"), knownvalue.Null()),
		},
	})
	// The range filter went to the API in its own format.
	found := false
	for _, r := range env.Requests(t) {
		if r.Path == "/v3/"+emulator.DemoProjectID+"/backups" && regexp.MustCompile(`begin_time=[0-9-]+T[0-9%3A]+%2B0800`).MatchString(r.Query) {
			found = true
		}
	}
	if !found {
		t.Errorf("no backup listing carried begin_time in the API format (+0800)")
	}
}

// The drill "restore the newest good backup" as it is written, against whatever cloud runs it.
func TestAccRDSBackupsDataSource_latestCompletedIsCompleted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	src := env.ID(t, "MYSQL_SOURCE_ID")
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_backups" "prod" {
  instance_id = "` + src + `"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			backupsCheck("prod", tfjsonpath.New("latest_completed").AtMapKey("status"), knownvalue.StringExact("COMPLETED")),
			backupsCheck("prod", tfjsonpath.New("latest_completed").AtMapKey("id"), knownvalue.NotNull()),
		},
	})
}

func TestAccRDSBackupsDataSource_invalidFilters(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	backups := func(args string) string {
		return "\ndata \"hwc_rds_backups\" \"x\" {\n  instance_id = \"d8e6ca5a624745bcb546a227aa3ae1cfin01\"\n  " + args + "\n}\n"
	}
	testSteps(t, errorSteps(env,
		configError{backups(`begin_time = "2025-06-01T00:00:00Z"`), []string{"Incomplete Time Range", "begin_time is set but end_time is not"}},
		configError{backups(`end_time = "2025-06-01T00:00:00Z"`), []string{"Incomplete Time Range", "end_time is set but begin_time is not"}},
		configError{backups(`begin_time = "2025-06-01 00:00"` + "\n" + `end_time = "2025-06-02T00:00:00Z"`), []string{"Invalid Time", `begin_time is "2025-06-01 00:00", which is not an RFC 3339 time`}},
		configError{backups(`begin_time = "2025-06-02T00:00:00Z"` + "\n" + `end_time = "2025-06-01T00:00:00Z"`), []string{"Time Range Ends Before It Begins", "end_time 2025-06-01T00:00:00Z is before begin_time"}},
		configError{backups(`type = "full"`), []string{"Invalid Backup Type", `type is "full"; it must be one of auto, manual, fragment, incremental`}},
		configError{backups(`status = "DONE"`), []string{"Invalid Backup Status", `status is "DONE"; it must be one of BUILDING, COMPLETED`}},
	)...)
}

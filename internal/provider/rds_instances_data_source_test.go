package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// Filtering by the name of a known instance finds it: runs against the real cloud too.
func TestAccRDSInstancesDataSource_byName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	id := env.ID(t, "MYSQL_SOURCE_ID")
	const addr = "data.hwc_rds_instances.by_name"
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_instance" "src" {
  id = "` + id + `"
}
data "hwc_rds_instances" "by_name" {
  name = data.hwc_rds_instance.src.name
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids"), knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact(id)})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("instances").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"id":     knownvalue.StringExact(id),
				"engine": knownvalue.StringExact("MySQL"),
			})),
			statecheck.CompareValuePairs(addr, tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey("complete_version"),
				"data.hwc_rds_instance.src", tfjsonpath.New("complete_version"), compare.ValuesSame()),
		},
	})
}

// Engine and status filters, and the listing's order, against the built-in seed with one MySQL
// instance made busy.
func TestAccRDSInstancesDataSource_filters(t *testing.T) {
	t.Parallel()
	seed := emulator.DefaultSeed()
	for i := range seed.Instances {
		if seed.Instances[i].ID == emulator.MySQLSmallID {
			seed.Instances[i].Status = "BACKING UP"
		}
	}
	env := acctest.New(t, acctest.Options{Seed: seed})
	env.RequireEmulator(t)
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_instances" "all" {}
data "hwc_rds_instances" "mysql" {
  engine = "mysql"
}
data "hwc_rds_instances" "mysql_active" {
  engine = "MySQL"
  status = "active"
}
data "hwc_rds_instances" "busy" {
  status = "BACKING UP"
}
data "hwc_rds_instances" "none" {
  name = "no-such-instance"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			instancesCheck("all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(11)),
			instancesCheck("mysql", tfjsonpath.New("ids"), stringsExact(
				emulator.MySQLSourceID, // mysql57-prod
				emulator.MySQLSmallID,  // mysql57-small
				emulator.MySQLTargetID, // mysql57-staging
				emulator.MySQL80ID,     // mysql80-prod
			)),
			instancesCheck("mysql", tfjsonpath.New("instances").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id":               knownvalue.StringExact(emulator.MySQLSourceID),
				"name":             knownvalue.StringExact("mysql57-prod"),
				"status":           knownvalue.StringExact("ACTIVE"),
				"type":             knownvalue.StringExact("Ha"),
				"region":           knownvalue.StringExact("cn-north-4"),
				"engine":           knownvalue.StringExact("MySQL"),
				"engine_version":   knownvalue.StringExact("5.7"),
				"complete_version": knownvalue.StringExact("5.7.25"),
				"time_zone":        knownvalue.StringExact("UTC+08:00"),
				"volume_type":      knownvalue.StringExact("CLOUDSSD"),
				"volume_size":      knownvalue.Int64Exact(100),
				"tags":             knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("prod")}),
			})),
			instancesCheck("mysql_active", tfjsonpath.New("ids"), stringsExact(emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQL80ID)),
			instancesCheck("busy", tfjsonpath.New("ids"), stringsExact(emulator.MySQLSmallID)),
			instancesCheck("busy", tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey("status"),
				knownvalue.StringExact("BACKING UP")),
			instancesCheck("none", tfjsonpath.New("ids"), stringsExact()),
			instancesCheck("none", tfjsonpath.New("instances"), knownvalue.ListExact([]knownvalue.Check{})),
		},
	})
}

func TestAccRDSInstancesDataSource_invalidEngine(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_instances" "x" {
  engine = "Oracle"
}
`,
		ExpectError: diagRegexp("Invalid Engine", `engine is "Oracle"; it must be one of MySQL, PostgreSQL, SQLServer or MariaDB`),
	})
}

// A name starting with "*" is the API's fuzzy match: every instance whose name contains the rest.
func TestAccRDSInstancesDataSource_fuzzyName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_instances" "staging" {
  name = "*staging"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			instancesCheck("staging", tfjsonpath.New("ids"), stringsExact(emulator.MySQLTargetID, emulator.PostgreSQLTargetID, emulator.SQLServerTargetID)),
		},
	})
}

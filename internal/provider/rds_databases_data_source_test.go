package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

func TestAccRDSDatabasesDataSource_basic(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	testSteps(t, resource.TestStep{
		Config: env.ProviderBlock() + `
data "hwc_rds_databases" "mysql" {
  instance_id = "` + emulator.MySQLSourceID + `"
}
data "hwc_rds_databases" "sqlserver" {
  instance_id = "` + emulator.SQLServerSourceID + `"
}
data "hwc_rds_databases" "empty" {
  instance_id = "` + emulator.SQLServerUTCID + `"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			databasesCheck("mysql", tfjsonpath.New("names"), stringsExact("orders", "shop", "users")),
			databasesCheck("mysql", tfjsonpath.New("databases").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"name":          knownvalue.StringExact("orders"),
				"character_set": knownvalue.StringExact("utf8mb4"),
				"state":         knownvalue.Null(),
			})),
			databasesCheck("sqlserver", tfjsonpath.New("names"), stringsExact("hr", "inventory", "sales")),
			databasesCheck("sqlserver", tfjsonpath.New("databases").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"name":          knownvalue.StringExact("sales"),
				"character_set": knownvalue.StringExact("Chinese_PRC_CI_AS"),
				"state":         knownvalue.StringExact("Running"),
			})),
			databasesCheck("empty", tfjsonpath.New("names"), stringsExact()),
			databasesCheck("empty", tfjsonpath.New("databases"), knownvalue.ListExact([]knownvalue.Check{})),
		},
	})
}

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
	names := func(n ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, 0, len(n))
		for _, s := range n {
			checks = append(checks, knownvalue.StringExact(s))
		}
		return knownvalue.ListExact(checks)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
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
				statecheck.ExpectKnownValue("data.hwc_rds_databases.mysql", tfjsonpath.New("names"), names("orders", "shop", "users")),
				statecheck.ExpectKnownValue("data.hwc_rds_databases.mysql", tfjsonpath.New("databases").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":          knownvalue.StringExact("orders"),
					"character_set": knownvalue.StringExact("utf8mb4"),
					"state":         knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue("data.hwc_rds_databases.sqlserver", tfjsonpath.New("names"), names("hr", "inventory", "sales")),
				statecheck.ExpectKnownValue("data.hwc_rds_databases.sqlserver", tfjsonpath.New("databases").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":          knownvalue.StringExact("sales"),
					"character_set": knownvalue.StringExact("Chinese_PRC_CI_AS"),
					"state":         knownvalue.StringExact("Running"),
				})),
				statecheck.ExpectKnownValue("data.hwc_rds_databases.empty", tfjsonpath.New("names"), names()),
				statecheck.ExpectKnownValue("data.hwc_rds_databases.empty", tfjsonpath.New("databases"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

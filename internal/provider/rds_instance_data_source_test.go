package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
)

func TestAccRDSInstanceDataSource_basic(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	id := env.ID(t, "MYSQL_SOURCE_ID")
	testSteps(t,
		resource.TestStep{
			Config: env.ProviderBlock() + `
data "hwc_rds_instance" "src" {
  id = "` + id + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				instanceCheck("src", tfjsonpath.New("id"), knownvalue.StringExact(id)),
				instanceCheck("src", tfjsonpath.New("engine"), knownvalue.StringExact("MySQL")),
				instanceCheck("src", tfjsonpath.New("complete_version"), knownvalue.StringExact("5.7.25")),
				instanceCheck("src", tfjsonpath.New("status"), knownvalue.StringExact("ACTIVE")),
				instanceCheck("src", tfjsonpath.New("region"), knownvalue.StringExact("cn-north-4")),
				instanceCheck("src", tfjsonpath.New("volume_size"), knownvalue.Int64Exact(100)),
				instanceCheck("src", tfjsonpath.New("time_zone"), knownvalue.NotNull()),
			},
		},
	)
}

// Every data source that takes an instance id says the same thing, on its attribute, when the
// instance does not exist.
func TestAccDataSources_instanceNotFound(t *testing.T) {
	t.Parallel()
	const missing = "00000000000000000000000000000000in01"
	for _, tc := range []struct{ typ, attr string }{
		{"hwc_rds_instance", "id"},
		{"hwc_rds_backups", "instance_id"},
		{"hwc_rds_databases", "instance_id"},
		{"hwc_rds_restore_time_ranges", "instance_id"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, acctest.Options{})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config: env.ProviderBlock() + fmt.Sprintf("data %q \"x\" {\n  %s = %q\n}\n", tc.typ, tc.attr, missing),
					ExpectError: diagRegexp("RDS Instance Not Found",
						fmt.Sprintf("%s is %q, but no such RDS instance exists", tc.attr, missing)),
				}},
			})
		})
	}
}

// The provider's settings come from the environment variables users already set.
func TestAccProvider_environmentVariables(t *testing.T) {
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	t.Setenv("HW_REGION_NAME", "cn-north-4")
	t.Setenv("HUAWEICLOUD_SDK_AK", "EMULATORDEMOACCESSKY")
	t.Setenv("HW_SECRET_KEY", "EmulatorDemoSecretKeyNotForRealUse00000")
	t.Setenv("HWC_ENDPOINT", env.URL)
	id := env.ID(t, "MYSQL_SOURCE_ID")
	testSteps(t, resource.TestStep{
		// No project_id: looked up through IAM by region.
		Config: `
provider "hwc" {}
data "hwc_rds_instance" "src" {
  id = "` + id + `"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			instanceCheck("src", tfjsonpath.New("engine"), knownvalue.StringExact("MySQL")),
		},
	})
	if n := env.Count(t, "GET", "/v3/projects"); n == 0 {
		t.Errorf("project id was not looked up through IAM")
	}
}

func TestAccProvider_missingCredentials(t *testing.T) {
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	for _, v := range []string{"HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK", "HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"} {
		t.Setenv(v, "")
	}
	testSteps(t, resource.TestStep{
		Config: `
provider "hwc" {
  region = "cn-north-4"
  endpoints = { rds = "` + env.URL + `", iam = "` + env.URL + `" }
}
data "hwc_rds_instance" "src" {
  id = "x"
}
`,
		ExpectError: regexp.MustCompile(`(?s)Missing Provider Setting: access_key.*HW_ACCESS_KEY or HUAWEICLOUD_SDK_AK`),
	})
}

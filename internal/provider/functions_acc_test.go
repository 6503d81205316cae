package provider_test

// The provider-defined functions through the real CLIs (Terraform 1.8+, OpenTofu 1.7+), in
// outputs, as users call them; functions_test.go runs them directly.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// functionCLIChecks skip a test on a CLI that cannot call provider-defined functions.
var functionCLIChecks = []tfversion.TerraformVersionCheck{skipWithoutFunctions{}}

type skipWithoutFunctions struct{}

func (skipWithoutFunctions) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if c, err := tfcli.Find(); err == nil && !c.Functions() {
		resp.Skip = c.Version + " cannot call provider-defined functions (they need Terraform 1.8+ or OpenTofu 1.7+)"
	}
}

// functionSteps runs steps that need no emulator: functions need no configured provider.
func functionSteps(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	if acctest.RealCloud() {
		t.Skip("the functions touch no cloud: nothing to run against the real one")
	}
	acctest.New(t, acctest.Options{}) // skips without TF_ACC
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		TerraformVersionChecks:   functionCLIChecks,
		Steps:                    steps,
	})
}

func TestAccFunctionUnixMS_outputs(t *testing.T) {
	t.Parallel()
	functionSteps(t, resource.TestStep{
		Config: `
variable "incident_at" {
  default = "2026-12-02T14:30:00+08:00"
}
output "utc" {
  value = provider::hwc::unix_ms("2026-12-02T06:30:00Z")
}
output "offset" {
  value = provider::hwc::unix_ms(var.incident_at)
}
output "ten_minutes_before" {
  value = provider::hwc::unix_ms(timeadd(var.incident_at, "-10m"))
}
output "milliseconds" {
  value = provider::hwc::unix_ms("2026-12-02T06:30:00.250Z")
}
output "is_a_number" {
  value = provider::hwc::unix_ms(var.incident_at) + 1
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("utc", knownvalue.Int64Exact(1796193000000)),
			statecheck.ExpectKnownOutputValue("offset", knownvalue.Int64Exact(1796193000000)),
			statecheck.ExpectKnownOutputValue("ten_minutes_before", knownvalue.Int64Exact(1796192400000)),
			statecheck.ExpectKnownOutputValue("milliseconds", knownvalue.Int64Exact(1796193000250)),
			statecheck.ExpectKnownOutputValue("is_a_number", knownvalue.Int64Exact(1796193000001)),
		},
	})
}

func TestAccFunctionRFC3339_outputs(t *testing.T) {
	t.Parallel()
	functionSteps(t, resource.TestStep{
		Config: `
output "whole_second" {
  value = provider::hwc::rfc3339(1796193000000)
}
output "milliseconds" {
  value = provider::hwc::rfc3339(1796193000250)
}
output "round_trip" {
  value = provider::hwc::rfc3339(provider::hwc::unix_ms("2026-12-02T14:30:00+08:00"))
}
output "timecmp" {
  value = timecmp(provider::hwc::rfc3339(1796193000000), "2026-12-02T14:30:00+08:00")
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("whole_second", knownvalue.StringExact("2026-12-02T06:30:00Z")),
			statecheck.ExpectKnownOutputValue("milliseconds", knownvalue.StringExact("2026-12-02T06:30:00.25Z")),
			statecheck.ExpectKnownOutputValue("round_trip", knownvalue.StringExact("2026-12-02T06:30:00Z")),
			statecheck.ExpectKnownOutputValue("timecmp", knownvalue.Int64Exact(0)),
		},
	})
}

// Bad input fails the plan with the function's error: the argument, the value, the form wanted.
func TestAccFunctionUnixMS_badInput(t *testing.T) {
	t.Parallel()
	functionSteps(t,
		resource.TestStep{
			Config: `output "ms" {
  value = provider::hwc::unix_ms("2026-12-02 14:30")
}`,
			ExpectError: diagRegexp(`timestamp is "2026-12-02 14:30", which is not an RFC 3339 timestamp`,
				`a space separates the date and the time, where RFC 3339 wants a "T"`, `"2026-12-02T14:30:00+08:00"`),
		},
		resource.TestStep{
			Config: `output "ms" {
  value = provider::hwc::unix_ms("2026-12-02T14:30:00")
}`,
			ExpectError: diagRegexp(`it has no offset: add "Z" for UTC`),
		},
		resource.TestStep{
			Config: `output "ts" {
  value = provider::hwc::rfc3339(1796193000000000)
}`,
			ExpectError: diagRegexp(`ms is 1796193000000000, outside what RFC 3339 can write`, `Pass milliseconds`),
		},
	)
}

// A restore_time written as people have it: the function in the resource, and restored_to is
// what rfc3339 writes of the same restore_time.
func TestAccFunctionUnixMS_restoreTime(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	src, dst := env.ID(t, "POSTGRESQL_SOURCE_ID"), env.ID(t, "POSTGRESQL_TARGET_ID")
	// Two hours ago, as a clock in UTC+8 reads it, to the millisecond.
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Millisecond)
	incident := at.In(time.FixedZone("", 8*3600)).Format("2006-01-02T15:04:05.000Z07:00")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		TerraformVersionChecks:   functionCLIChecks,
		Steps: []resource.TestStep{{
			Config: restoreOnto(env, src, dst, fmt.Sprintf("restore_time = provider::hwc::unix_ms(%q)", incident)) + `
output "restored_to_as_written" {
  value = provider::hwc::rfc3339(hwc_rds_instance_restore.test.restore_time) == hwc_rds_instance_restore.test.restored_to
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("status", knownvalue.StringExact("Completed")),
				checkState("restore_time", knownvalue.Int64Exact(at.UnixMilli())),
				statecheck.ExpectKnownOutputValue("restored_to_as_written", knownvalue.Bool(true)),
			},
			Check: expectSubmissions(t, env, 1),
		}},
	})
}

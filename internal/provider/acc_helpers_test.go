package provider_test

// What the acceptance tests share: one way to run a test case, to check a data source's
// attribute, to write a list of strings, and to expect configuration errors.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
)

// diagRegexp matches a diagnostic's text however Terraform wraps its lines: the parts are quoted
// literally, any run of spaces may be a line break, and anything may come between the parts.
func diagRegexp(parts ...string) *regexp.Regexp {
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// testSteps runs steps against the provider served in-process.
func testSteps(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories(), Steps: steps})
}

// dataCheck returns the check of one attribute of a data source of type typ, by its name.
func dataCheck(typ string) func(name string, p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return func(name string, p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data."+typ+"."+name, p, v)
	}
}

var (
	backupsCheck   = dataCheck("hwc_rds_backups")
	databasesCheck = dataCheck("hwc_rds_databases")
	instanceCheck  = dataCheck("hwc_rds_instance")
	instancesCheck = dataCheck("hwc_rds_instances")
	rangesCheck    = dataCheck("hwc_rds_restore_time_ranges")
)

// stringsExact is a list of exactly these strings, in this order.
func stringsExact(ss ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(ss))
	for _, s := range ss {
		checks = append(checks, knownvalue.StringExact(s))
	}
	return knownvalue.ListExact(checks)
}

// configError is a configuration (data blocks; the provider block is added) and the parts of
// the error it must end with, in order (see diagRegexp).
type configError struct {
	config string
	want   []string
}

// errorSteps is one step per configuration, each expecting its error.
func errorSteps(env *acctest.Env, cases ...configError) []resource.TestStep {
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.ProviderBlock() + c.config, ExpectError: diagRegexp(c.want...)})
	}
	return steps
}

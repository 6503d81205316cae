// Package examplestest checks the folders under examples/ with a real Terraform or OpenTofu CLI:
// every folder passes `validate`, and every drill under examples/drills applies against an
// in-process RDS emulator, after which a second plan shows no changes.
//
// The tests are acceptance tests (TF_ACC=1, CLI from TF_ACC_TERRAFORM_PATH, as `make test` runs
// them). The provider under test is built from this tree with `go build` and served to the CLI
// through dev_overrides, so nothing is downloaded.
//
// The subpackage docschema prepares the CLI's schema JSON for tfplugindocs (scripts/docs.sh).
package examplestest

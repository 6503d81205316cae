// Package examplestest checks the folders under examples/ with a real Terraform or OpenTofu CLI:
// every folder passes `validate`, and every drill under examples/drills applies against an
// in-process RDS emulator, prints the recovery point and recovery time it proves, and is followed
// by a second plan that shows no changes; a drill's missed objectives stop it with their messages.
// An example that calls the provider's functions is skipped on a CLI without them.
//
// The tests are acceptance tests (TF_ACC=1, as `make test` runs them). Package tfcli picks the CLI
// (TF_ACC_TERRAFORM_PATH, else bin/tofu), builds the provider from this tree and serves it to the
// CLI through dev_overrides, so nothing is downloaded.
//
// The subpackage docschema prepares the CLI's schema JSON for tfplugindocs (scripts/docs.sh).
package examplestest

// Package tfcli is the one way this repository drives a Terraform or OpenTofu CLI: it picks the
// CLI (one variable, TF_ACC_TERRAFORM_PATH, names it everywhere; else the OpenTofu that `make
// tofu` builds into bin/tofu), builds the provider from this tree, writes the CLI configuration
// whose dev_overrides serve that build (so nothing is downloaded), runs the CLI in a clean
// environment, and talks to the emulator's admin endpoints through the types the emulator
// exports.
//
// The CLI tests (internal/clitest), the example tests (internal/examplestest), the performance
// suite (internal/bench) and the scripts (through the command in ./cmd) all use it.
package tfcli

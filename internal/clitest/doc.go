// Package clitest drives the real Terraform or OpenTofu CLI against the provider binary and the
// emulator binary, for what terraform-plugin-testing cannot reach: an interrupt (SIGINT) in the
// middle of an apply and the apply run again, an emulator restarted in the middle of a job, TLS
// verification against a self-signed emulator, and the search for secrets in everything a run
// prints or writes (TRACE logs, error messages, plan output, the state file).
//
// The tests run only with TF_ACC=1. Package tfcli picks the CLI (TF_ACC_TERRAFORM_PATH, else the
// OpenTofu that `make tofu` builds), builds the provider and the emulator into a temporary
// directory once per run, and writes the dev_overrides CLI configuration through which the CLI
// finds the provider, so nothing is downloaded.
package clitest

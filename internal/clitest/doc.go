// Package clitest drives the real Terraform or OpenTofu CLI against the provider binary and the
// emulator binary, for what terraform-plugin-testing cannot reach: an interrupt (SIGINT) in the
// middle of an apply and the apply run again, an emulator restarted in the middle of a job, TLS
// verification against a self-signed emulator, and the search for secrets in everything a run
// prints or writes (TRACE logs, error messages, plan output, the state file).
//
// The tests run only with TF_ACC=1. The CLI comes from TF_ACC_TERRAFORM_PATH (else `terraform` or
// `tofu` on PATH); the provider and the emulator are built with `go build` into a temporary
// directory once per run, and the CLI finds the provider through a dev_overrides CLI
// configuration, so nothing is downloaded.
package clitest

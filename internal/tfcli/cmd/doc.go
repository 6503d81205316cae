// Command cmd gives the scripts the CLI rules of package tfcli, so that a script, a test and
// `make` pick the same CLI and write the same CLI configuration:
//
//	go run ./internal/tfcli/cmd path                  the CLI to use ($TF_ACC_TERRAFORM_PATH, else bin/tofu)
//	go run ./internal/tfcli/cmd config FILE PLUGINDIR  write a CLI configuration serving the provider from PLUGINDIR
//	go run ./internal/tfcli/cmd provider-host         the registry host of that CLI, for TF_ACC_PROVIDER_HOST
package main

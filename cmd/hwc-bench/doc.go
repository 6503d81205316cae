// Command hwc-bench runs the end-to-end performance scenarios of `make bench` (see
// internal/bench) and prints one table: per scenario the provider's figures, the baseline's
// (a simulation of the official provider's waiting) and their ratio, then the goals (bench.Goals).
//
//	hwc-bench -cli bin/tofu [-quick] [-only N,M] [-out FILE]
//
// The CLI must find the provider through the CLI configuration in TF_CLI_CONFIG_FILE
// (dev_overrides), which scripts/bench.sh writes.
package main

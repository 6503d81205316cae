// Package bench is the end-to-end performance suite behind `make bench`: it starts the RDS
// emulator in this process with a seed of many targets, runs real `tofu apply` / `tofu plan` with
// the provider binary (served through dev_overrides), reads what happened from the emulator's
// request log and state, samples the provider process's peak memory, and runs a simulation of
// the official provider's waiting against a second emulator with the same seed, so each figure
// stands beside its ratio.
package bench

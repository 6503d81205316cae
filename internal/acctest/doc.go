// Package acctest runs the provider's acceptance tests against an in-process RDS emulator, or
// against the real cloud when HWC_ACC_REAL_CLOUD=1 (then the provider reads its usual environment
// variables, instance ids come from HWC_ACC_* variables, and emulator-only tests skip).
package acctest

#!/usr/bin/env bash
# make bench: the performance suite. Go benchmarks of the waiter, the limiter and the plan-time
# lookups, then end-to-end `tofu apply` / `tofu plan` runs against the emulator (internal/bench),
# printed as one table with an official-provider baseline beside each figure.
#
#   BENCH_QUICK=1 make bench     a subset in about two minutes
#   BENCH_ONLY=2,3 make bench    only these scenarios (1-based)
#   BENCH_OUT=FILE make bench    also write the table to FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cli="$(pick_cli)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The provider under test is copied, so a rebuild of bin/ during the run cannot change it.
mkdir -p "$work/plugins"
cp "$bin/terraform-provider-hwc" "$work/plugins/"
export TF_CLI_CONFIG_FILE="$(write_cli_config "$work" "$work/plugins")"

cd "$root"
echo "== Go benchmarks (simulated clocks: figures are per job / per plan, not timings)"
go test -run '^$' -bench . -benchtime "${BENCH_TIME:-1x}" ./internal/service/... ./internal/bench/... 2>&1 |
  grep -E '^(Benchmark|FAIL|---|panic)' || true

echo "== end-to-end scenarios ($("$cli" version | head -1))"
go build -o "$work/hwc-bench" ./cmd/hwc-bench
args=(-cli "$cli")
[ "${BENCH_QUICK:-}" = 1 ] && args+=(-quick)
[ -n "${BENCH_ONLY:-}" ] && args+=(-only "$BENCH_ONLY")
[ -n "${BENCH_OUT:-}" ] && args+=(-out "$BENCH_OUT")
"$work/hwc-bench" "${args[@]}"

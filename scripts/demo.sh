#!/usr/bin/env bash
# make demo: start the emulator with its built-in seed and apply a real restore through the
# provider, then show what happened.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

cli="$(pick_cli)"
work="$(mktemp -d)"
cleanup() { [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_emulator "$work/emulator.log" -job-duration 5s
echo "== emulator: $EMULATOR_URL (built-in seed)"

export TF_CLI_CONFIG_FILE="$(write_cli_config "$work")"
export HW_REGION_NAME=cn-north-4
export HW_PROJECT_ID=0483b6b16e954cb88930a360d2c4e663
export HW_ACCESS_KEY=EMULATORDEMOACCESSKY
export HW_SECRET_KEY=EmulatorDemoSecretKeyNotForRealUse00000
export HWC_ENDPOINT="$EMULATOR_URL"
export TF_IN_AUTOMATION=1

cp "$root/examples/demo/main.tf" "$work/"
cd "$work"
echo "== $("$cli" version | head -1): plan and apply examples/demo"
start=$(date +%s%N)
# The CLI's warning about dev_overrides (a block from its first line to "...releases.") is left out.
"$cli" apply -auto-approve -no-color 2>&1 | sed -e '/Provider development overrides are in effect/,/releases\.$/d' \
  -e '/^[│╷╵]/d' -e '/skip the usual/d' -e '/^$/d' || true
end=$(date +%s%N)
status=$("$cli" output -raw status)
[ "$status" = "Completed" ] || { echo "demo failed: status $status"; exit 1; }

echo "== what happened"
echo "backup:    $("$cli" output -raw backup)"
echo "job:       $("$cli" output -raw job_id) ($status)"
echo "restored:  $("$cli" output -raw restored)"
elapsed_ms=$(( (end - start) / 1000000 ))
printf 'duration:  %d.%01d s for plan, checks, submission and the wait (a job of 5 s)\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
echo "target:    $("$cli" output -raw target_databases) (its databases after the restore)"
if command -v curl >/dev/null 2>&1; then
  echo "API calls: $(curl -s "$EMULATOR_URL/_emulator/requests" | grep -o '"method"' | wc -l) in all (the emulator's request log)"
fi

echo "== a second plan submits nothing"
if "$cli" plan -detailed-exitcode -no-color >"$work/plan2.log" 2>&1; then
  echo "no changes: the restore is not repeated"
else
  echo "demo failed: the second plan is not empty (exit $?):"
  cat "$work/plan2.log"
  exit 1
fi

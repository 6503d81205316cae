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
start=$(date +%s.%N)
"$cli" apply -auto-approve -no-color 2>&1 | grep -v -e "Provider development overrides" -e "^ - opendrill/hwc in" \
  -e "The following provider development overrides" -e "^│" -e "^╷" -e "^╵" -e "skip the usual" -e "^$" || true
end=$(date +%s.%N)
status=$("$cli" output -raw status)
[ "$status" = "Completed" ] || { echo "demo failed: status $status"; exit 1; }

echo "== what happened"
echo "job:       $("$cli" output -raw job_id) ($status)"
echo "restored:  $("$cli" output -raw restored)"
printf 'duration:  %.1f s for plan, checks, submission and the wait (job of 5 s)\n' "$(echo "$end - $start" | bc -l 2>/dev/null || echo 0)"
curl -s "$EMULATOR_URL/_emulator/state" | python3 -c '
import json, sys
s = json.load(sys.stdin)
for i in s["instances"]:
    if i["id"] == "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01":
        print("target:    %s (%s) is %s, databases now: %s" % (i["name"], i["id"], i["status"], ", ".join(i["databases"])))
' 2>/dev/null || true
calls=$(curl -s "$EMULATOR_URL/_emulator/requests" | grep -o '"method"' | wc -l)
echo "API calls: $calls in all"

echo "== a second plan submits nothing"
"$cli" plan -detailed-exitcode -no-color >/dev/null 2>&1 && echo "no changes: the restore is not repeated"

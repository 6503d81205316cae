#!/usr/bin/env bash
# A DR drill against the local RDS emulator, as a CI job runs it (drill.yml calls this script;
# the repository's tests run it too, with binaries built from the working tree).
#
# It serves the provider from HWC_BIN_DIR through dev_overrides (so nothing is downloaded for it),
# starts the emulator with its built-in seed, waits until the emulator answers
# GET /_emulator/health, applies the drill, and checks the evidence the drill prints: the restore
# completed, and the recovery point and the times are there. The evidence is kept as
# $WORK_DIR/evidence.json.
#
# Inputs (environment):
#   HWC_BIN_DIR    directory holding terraform-provider-hwc and rds-emulator (required)
#   CLI            terraform or tofu, a name on PATH or a path (default: terraform)
#   DRILL_DIR      the drill's configuration (default: drill/ beside this script)
#   WORK_DIR       where the CLI configuration, the emulator's log and the evidence go
#                  (default: $RUNNER_TEMP on GitHub Actions, else a new temporary directory)
#   EMULATOR_ADDR  where the emulator listens (default: 127.0.0.1:8080)
set -euo pipefail

: "${HWC_BIN_DIR:?set HWC_BIN_DIR to the directory holding terraform-provider-hwc and rds-emulator}"
CLI="${CLI:-terraform}"
DRILL_DIR="${DRILL_DIR:-$(cd "$(dirname "$0")" && pwd)/drill}"
WORK_DIR="${WORK_DIR:-${RUNNER_TEMP:-$(mktemp -d)}}"
EMULATOR_ADDR="${EMULATOR_ADDR:-127.0.0.1:8080}"
HWC_BIN_DIR="$(cd "$HWC_BIN_DIR" && pwd)" # dev_overrides wants an absolute path
for bin in terraform-provider-hwc rds-emulator; do
  [ -x "$HWC_BIN_DIR/$bin" ] || { echo "$HWC_BIN_DIR/$bin is missing" >&2; exit 1; }
done

# 1. The CLI configuration: both registries' addresses of the provider point at HWC_BIN_DIR, so
#    the same file serves Terraform and OpenTofu. Other providers install as usual.
cat > "$WORK_DIR/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/opendrill/hwc" = "$HWC_BIN_DIR"
    "registry.opentofu.org/opendrill/hwc" = "$HWC_BIN_DIR"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$WORK_DIR/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0

# 2. The emulator, in the background, with its built-in seed (restores take 5 seconds).
"$HWC_BIN_DIR/rds-emulator" -version
"$HWC_BIN_DIR/rds-emulator" -addr "$EMULATOR_ADDR" -job-duration 5s > "$WORK_DIR/rds-emulator.log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT

# 3. Wait until it serves: GET /_emulator/health answers 200.
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://$EMULATOR_ADDR/_emulator/health"; then break; fi
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "the emulator exited:" >&2; cat "$WORK_DIR/rds-emulator.log" >&2; exit 1
  fi
  sleep 0.5
done
curl -fsS -o /dev/null "http://$EMULATOR_ADDR/_emulator/health" || {
  echo "the emulator did not answer GET /_emulator/health within 30 s:" >&2; cat "$WORK_DIR/rds-emulator.log" >&2; exit 1; }

# 4. The provider's settings: the emulator's address and the built-in seed's demo credentials
#    (public, accepted by the emulator only). Against the real cloud these come from the CI
#    system's secrets instead, and HWC_ENDPOINT is left unset.
export HW_REGION_NAME=cn-north-4
export HW_PROJECT_ID=0483b6b16e954cb88930a360d2c4e663
export HW_ACCESS_KEY=EMULATORDEMOACCESSKY
export HW_SECRET_KEY=EmulatorDemoSecretKeyNotForRealUse00000
export HWC_ENDPOINT="http://$EMULATOR_ADDR"

# 5. The drill: apply, and the evidence. No init: dev_overrides serve the provider, and OpenTofu's
#    init would still look it up on its registry, which does not have it yet.
cd "$DRILL_DIR"
"$CLI" apply -auto-approve -input=false -no-color
"$CLI" output -json evidence > "$WORK_DIR/evidence.json"

# 6. Check the evidence: the restore completed, the recovery point and the times are there. The
#    recovery figures: how long the restore took, and how old the restored data was when the
#    drill started (the data a real recovery at that moment would have lost).
jq -e '.status == "Completed"' "$WORK_DIR/evidence.json" > /dev/null || {
  echo "the restore did not complete:" >&2; cat "$WORK_DIR/evidence.json" >&2; exit 1; }
summary="$(jq -er '
  (.submitted_at | fromdate) as $submitted | (.completed_at | fromdate) as $completed |
  (.recovery_point | fromdate) as $point |
  "restore \(.job_id) of \(.restored) onto \(.target): \(.status)",
  "recovery point \(.recovery_point); restore took \($completed - $submitted) s; data \($submitted - $point) s old at submission",
  "target databases: \(.target_databases | join(", "))"
' "$WORK_DIR/evidence.json")" || {
  echo "the evidence lacks the recovery point or the times:" >&2; cat "$WORK_DIR/evidence.json" >&2; exit 1; }
echo "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  { echo '### DR drill'; echo; echo '```'; echo "$summary"; echo '```'; } >> "$GITHUB_STEP_SUMMARY"
fi

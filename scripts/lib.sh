# Shared by the scripts: choose a CLI, start the emulator, write a CLI config that serves the
# provider from bin/ (dev_overrides), so nothing is downloaded.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/bin"

# pick_cli prints the CLI to use: $TF_CLI if set, terraform where installed, else the OpenTofu
# that scripts/build-tofu.sh builds.
pick_cli() {
  if [ -n "${TF_CLI:-}" ]; then echo "$TF_CLI"; return; fi
  if command -v terraform >/dev/null 2>&1; then command -v terraform; return; fi
  "$root/scripts/build-tofu.sh" >&2
  echo "$bin/tofu"
}

# write_cli_config DIR: a CLI config whose dev_overrides serve opendrill/hwc from bin/.
write_cli_config() {
  cat > "$1/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/opendrill/hwc" = "$bin"
    "registry.opentofu.org/opendrill/hwc" = "$bin"
  }
  direct {}
}
RC
  echo "$1/cli.tfrc"
}

# start_emulator LOGFILE [flags...]: starts bin/rds-emulator on a free port and sets
# EMULATOR_URL and EMULATOR_PID.
start_emulator() {
  local log="$1"; shift
  "$bin/rds-emulator" -addr 127.0.0.1:0 "$@" > "$log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    EMULATOR_URL=$(sed -n 's/^rds-emulator listening on \(http[s]*:\/\/[^ ]*\).*/\1/p' "$log" | head -1)
    [ -n "$EMULATOR_URL" ] && return 0
    sleep 0.1
  done
  echo "the emulator did not start:" >&2
  cat "$log" >&2
  return 1
}

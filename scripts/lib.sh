# Shared by the scripts: choose a CLI, start the emulator, write a CLI config that serves the
# provider from bin/ (dev_overrides), so nothing is downloaded. The CLI rule and the CLI
# configuration come from package internal/tfcli (through its command), the same as in the tests;
# the build scripts ask it whether a pinned CLI is built already.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/bin"

# tfcli ARGS...: the command of internal/tfcli (see its doc comment).
tfcli() { (cd "$root" && go run ./internal/tfcli/cmd "$@"); }

# pick_cli prints the CLI to use: $TF_ACC_TERRAFORM_PATH if set, else bin/tofu, which
# scripts/build-tofu.sh builds when it is missing.
pick_cli() {
  local cli
  cli="$(tfcli path)"
  if [ -z "${TF_ACC_TERRAFORM_PATH:-}" ] && [ ! -x "$cli" ]; then "$root/scripts/build-tofu.sh" >&2; fi
  [ -x "$cli" ] || { echo "the CLI $cli does not exist (TF_ACC_TERRAFORM_PATH names it)" >&2; return 1; }
  echo "$cli"
}

# write_cli_config DIR [PLUGINDIR]: DIR/cli.tfrc, whose dev_overrides serve opendrill/hwc from
# PLUGINDIR (default bin/); prints its path.
write_cli_config() {
  tfcli config "$1/cli.tfrc" "${2:-$bin}" && echo "$1/cli.tfrc"
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

# version_line CLI: the first line of CLI's `version` (read whole: with pipefail, `| head -1` can
# fail on SIGPIPE).
version_line() { TF_CLI_CONFIG_FILE= "$1" version 2>/dev/null | sed -n 1p; }

# already_built OUT "NAME VERSION": whether OUT is a CLI whose `version` starts with that line,
# so that the build scripts build a pinned CLI once.
already_built() { [ -x "$1" ] && [ "$(version_line "$1")" = "$2" ]; }

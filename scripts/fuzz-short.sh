#!/usr/bin/env bash
# Runs every Go fuzz target of the project for a short time (default 5s each), on top of the seed
# corpora that `go test` already replays. A crash fails the run and leaves its input under
# testdata/fuzz/ for a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-5s}"
found=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
while IFS= read -r file; do
  pkg="./$(dirname "$file")"
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    found=$((found + 1))
    echo "fuzz $pkg $target ($fuzztime)"
    # Go's fuzzer can end a timed run with "context deadline exceeded" when a worker is slow to
    # stop on a loaded machine; that is no finding (no input is written), so it is run once more.
    # A crash is never retried.
    for attempt in 1 2; do
      if go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
        break
      fi
      if [ "$attempt" = 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "fuzz $pkg $target: the run ended on the fuzzer's own deadline, not a finding; once more"
        continue
      fi
      cat "$log"
      exit 1
    done
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' internal cmd 2>/dev/null | sort)
echo "fuzz targets run: $found"

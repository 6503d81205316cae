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
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" >"$log" 2>&1 || { cat "$log"; exit 1; }
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' internal cmd 2>/dev/null | sort)
echo "fuzz targets run: $found"

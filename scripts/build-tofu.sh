#!/usr/bin/env bash
# Builds a pinned OpenTofu CLI from the Go module proxy into bin/tofu, so that the acceptance
# suite has a CLI on a machine that has only Go. Reused when already present at the pinned version.
# TOFU_VERSION and TOFU_OUT build another version elsewhere.
set -euo pipefail
TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
source "$(dirname "$0")/lib.sh"
out="${TOFU_OUT:-$root/bin/tofu}"
if already_built "$out" "OpenTofu ${TOFU_VERSION}"; then
  echo "bin/tofu ${TOFU_VERSION} already built"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > go.mod <<MOD
module tofubuild

go 1.24

require github.com/opentofu/opentofu ${TOFU_VERSION}

// The one replace directive of OpenTofu's own go.mod: without it the module does not build.
replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
GO
echo "building OpenTofu ${TOFU_VERSION} (a few minutes the first time)..."
GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || true
GOFLAGS=-mod=mod go build -trimpath -ldflags "-X 'github.com/opentofu/opentofu/version.dev=no'" -o "$out" github.com/opentofu/opentofu/cmd/tofu
version_line "$out"

#!/usr/bin/env bash
# Builds a pinned Terraform CLI from the Go module proxy into bin/terraform, for the acceptance
# suite and the action tests only (Terraform is BUSL-1.1: it is never shipped with the provider).
# Reused when already present at the pinned version. TERRAFORM_VERSION and TERRAFORM_OUT build
# another version elsewhere (how the README's table of older versions was tried).
#
# The module's zip lacks the nested modules its go.mod replaces with local paths (nine state
# backends and internal/legacy). A throw-away module replaces each backend with a one-file
# stand-in whose New() returns the in-memory backend (the tests use the local backend only) and
# internal/legacy with an empty module.
set -euo pipefail
TERRAFORM_VERSION="${TERRAFORM_VERSION:-v1.15.0}"
source "$(dirname "$0")/lib.sh"
out="${TERRAFORM_OUT:-$root/bin/terraform}"
if already_built "$out" "Terraform ${TERRAFORM_VERSION}"; then
  echo "bin/terraform ${TERRAFORM_VERSION} already built"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
backends="azure consul cos gcs kubernetes oci oss pg s3"
{
  echo "module terraformbuild"
  echo
  echo "go 1.25"
  echo
  echo "require github.com/hashicorp/terraform ${TERRAFORM_VERSION}"
  echo
  for b in $backends; do
    echo "replace github.com/hashicorp/terraform/internal/backend/remote-state/$b => ./stand-in/$b"
  done
  echo "replace github.com/hashicorp/terraform/internal/legacy => ./stand-in/legacy"
} > go.mod
for b in $backends; do
  mkdir -p "stand-in/$b"
  printf 'module github.com/hashicorp/terraform/internal/backend/remote-state/%s\n\ngo 1.25\n' "$b" > "stand-in/$b/go.mod"
  cat > "stand-in/$b/backend.go" <<GO
// Package $b stands in for Terraform's $b state backend, which the module zip does not carry.
package $b

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/backend/remote-state/inmem"
)

func New() backend.Backend { return inmem.New() }
GO
done
mkdir -p stand-in/legacy
printf 'module github.com/hashicorp/terraform/internal/legacy\n\ngo 1.25\n' > stand-in/legacy/go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/hashicorp/terraform"
GO
echo "building Terraform ${TERRAFORM_VERSION} (a few minutes the first time)..."
GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || true
GOFLAGS=-mod=mod go build -trimpath -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out" github.com/hashicorp/terraform
version_line "$out"

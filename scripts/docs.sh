#!/usr/bin/env bash
# scripts/docs.sh generate|check: docs/ from the provider schema, templates/ and examples/ with
# tfplugindocs (pinned, through `go run`). tfplugindocs would download a Terraform binary to read
# the schema; instead the local CLI prints it (`providers schema -json`, the provider served from
# bin/ through dev_overrides) and tfplugindocs gets it with --providers-schema.
#   generate: replace docs/ with what tfplugindocs renders
#   check:    generate into a temporary tree and fail with a diff when docs/ differs
# Needs bin/terraform-provider-hwc (make build). CLI: $TF_ACC_TERRAFORM_PATH, else bin/tofu (built
# when missing), as everywhere (scripts/lib.sh). CI checks the docs on the same OpenTofu.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TFPLUGINDOCS="github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0"
mode="${1:-}"
case "$mode" in generate|check) ;; *) echo "usage: $0 generate|check" >&2; exit 2 ;; esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. The schema, through the local CLI. No init: dev_overrides serve the provider from bin/.
[ -x "$bin/terraform-provider-hwc" ] || { echo "bin/terraform-provider-hwc is missing: run make build" >&2; exit 1; }
cli="$(pick_cli)"
cli_version="$("$cli" version 2>/dev/null | sed -n 1p)"
mkdir "$work/schema"
cat > "$work/schema/main.tf" <<'TF'
terraform {
  required_providers {
    hwc = { source = "opendrill/hwc" }
  }
}
TF
(cd "$work/schema" && TF_CLI_CONFIG_FILE="$(write_cli_config "$work")" TF_IN_AUTOMATION=1 \
  "$cli" providers schema -json > "$work/cli-schema.json" 2> "$work/cli.log") || {
  echo "$cli providers schema -json failed:" >&2; cat "$work/cli.log" >&2; exit 1; }

# 2. Key "hwc" (what tfplugindocs looks for), the action schemas no local CLI prints, and the
#    list of pages the schema calls for.
(cd "$root" && go run ./internal/examplestest/docschema -in "$work/cli-schema.json" \
  -out "$work/schema.json" -pages "$work/pages.txt")

(cd "$root" && go run ./internal/rules/ruledocs "$mode" templates/resources/rds_instance_restore.md.tmpl) # rule tables from the rule catalogue

# 3. Render a copy of templates/ and examples/ (tfplugindocs writes into <provider-dir>/docs).
#    A template whose type the provider does not have (yet) is left out, with a notice.
tree="$work/tree"
mkdir "$tree"
cp -R "$root/templates" "$root/examples" "$tree/"
for tmpl in "$tree"/templates/{resources,data-sources,actions,ephemeral-resources,functions,list-resources}/*.md.tmpl; do
  [ -e "$tmpl" ] || continue
  page="$(basename "$(dirname "$tmpl")")/$(basename "$tmpl" .md.tmpl)"
  if ! grep -qx "$page" "$work/pages.txt"; then
    echo "note: templates/$page.md.tmpl left out: the provider has no such type" >&2
    rm "$tmpl"
  fi
done
(cd "$tree" && go run "$TFPLUGINDOCS" generate --provider-dir "$tree" --provider-name hwc \
  --rendered-provider-name hwc --providers-schema "$work/schema.json" > "$work/tfplugindocs.log" 2>&1) || {
  cat "$work/tfplugindocs.log" >&2; echo "tfplugindocs failed" >&2; exit 1; }
for page in $(cat "$work/pages.txt"); do
  [ -f "$tree/docs/$page.md" ] || { echo "no page was rendered for $page" >&2; exit 1; }
done

if [ "$mode" = generate ]; then
  rm -rf "$root/docs"
  cp -R "$tree/docs" "$root/docs"
  echo "docs/ regenerated: $(wc -l < "$work/pages.txt") types, schema from $cli_version"
  exit 0
fi
if ! diff -ru "$root/docs" "$tree/docs" > "$work/docs.diff"; then
  cat "$work/docs.diff"
  echo "docs/ is out of date: run \`make docs\` and commit the result" >&2
  exit 1
fi
echo "docs/ is up to date"

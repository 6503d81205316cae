// Command docschema prepares the output of `tofu providers schema -json` (or terraform's) for
// tfplugindocs, which scripts/docs.sh runs with --providers-schema so that it never downloads a
// Terraform binary:
//
//   - tfplugindocs looks the provider up under the key "hwc" (or registry.terraform.io/hashicorp/hwc),
//     while the CLIs print registry.terraform.io/opendrill/hwc or registry.opentofu.org/opendrill/hwc:
//     the key is rewritten to "hwc";
//   - OpenTofu and Terraform before 1.14 know no actions and no list resources, so their output
//     has no action_schemas and no list_resource_schemas: when one is missing, those schemas are
//     taken from the provider itself over the plugin protocol (in process) and written in the
//     CLI's JSON format.
//
// It also writes the doc pages the schema calls for (-pages), one a line
// ("resources/rds_instance_restore", "data-sources/rds_instance", "actions/rds_instance_restore",
// "list-resources/rds_instance_restore", "functions/unix_ms"), so that scripts/docs.sh can leave
// out a template whose type does not exist (yet).
//
// Usage: go run ./internal/examplestest/docschema -in cli.json -out schema.json -pages pages.txt
package main

// Package provider is the Terraform-facing side of the hwc provider: schemas, plan logic and
// diagnostics. Everything that talks to the cloud lives in internal/service (the API facts the
// client relies on are written down in the package doc of internal/service/rds); the documented
// restore rules, with their ids (S1-S12, A1-A18), live in internal/rules (catalogue.go).
//
// Where each thing is:
//
//   - provider.go: the provider type, its schema and the list of resources, data sources, the
//     action, the list resource and the functions. provider_config.go: its Configure (the provider
//     block, environment variables and their defaults, the RDS client with its User-Agent and the
//     hint a refused signature ends with). provider_guard.go: the guard for production
//     (protected_tags, protected_instance_ids, their variables; rule A18 again right before a
//     submission, on a fresh read of the target).
//   - protocol_server.go: ProtocolServer, the protocol server the binary serves: the framework's,
//     handed a context per call that lets go of the call's own once the call has ended (the
//     framework keeps every call's context until StopProvider).
//   - provider_data.go: providerData, what Configure hands to every type (one client, one lookup
//     cache, one restore runner per provider process), and the bases (dataSourceBase,
//     resourceBase, actionBase) whose Configure each type embeds.
//   - helpers.go: small helpers shared by the types (known values and lists, pick, stringOrNull,
//     the "RDS Instance Not Found" diagnostic, API error unwrapping).
//   - restore_args.go: the arguments the resource and the action share (restoreArgs), their
//     descriptions, their mapping to the rules' request (rulesRequest) and the rule findings'
//     mapping to diagnostics (addFindings).
//   - restore_pipeline.go: the one restore pipeline of the resource and the action: check,
//     executeWith, and outcomeDiagnostics, the one mapping of a restore's outcome to what the user
//     is told; submitSteps, what runs right before a submission (the guard, the backup of the
//     target, drop_previous_databases); restoreKey for a replacement that takes over an earlier
//     job. restore_backupfirst.go: backup_target_first at plan time (target_backup_id, the
//     plan's warning).
//   - rds_instance_restore_resource.go: the hwc_rds_instance_restore resource's model, schema and
//     private-state keys. rds_instance_restore_plan.go: ValidateConfig and ModifyPlan (the rules at
//     plan time, the drill evidence, the previous restore's databases).
//     rds_instance_restore_apply.go: Create, Read, Update, Delete and ImportState.
//     replace_modifiers.go: which argument changes run a new restore.
//     rds_instance_restore_identity.go: its resource identity (the job id), the job id an import
//     names (importJobID), the state an import writes (importedModel), and listHint.
//   - rds_instance_restore_list.go: the hwc_rds_instance_restore list resource, past restores
//     from the task list for `terraform query` (Terraform 1.14+).
//   - rds_instance_restore_action.go: the hwc_rds_instance_restore action (Terraform 1.14+).
//   - rds_*_data_source.go: one file per data source (hwc_rds_instance, hwc_rds_instances,
//     hwc_rds_backups, hwc_rds_restore_time_ranges, hwc_rds_databases).
//   - restore_objectives.go: recovery_point_age_seconds and recovery_time_seconds, derived from
//     the recorded times by setObjectives wherever the resource records an outcome.
//   - functions_unix_ms.go, functions_rfc3339.go: the provider-defined functions
//     provider::hwc::unix_ms and provider::hwc::rfc3339 (Terraform 1.8+, OpenTofu 1.7+). helpers.go
//     has msTime, the one way a moment in Unix milliseconds is written (restored_to, rfc3339).
//
// Tests: acceptance tests are named TestAcc<Type>_<case> after the Terraform type they exercise,
// without the provider's prefix (TestAccRDSInstanceRestore_..., TestAccRDSInstanceRestoreAction_...,
// TestAccRDSInstanceRestoreList_..., TestAccRDSBackupsDataSource_...; TestAccProvider_ for the
// provider block, TestAccDataSources_ for a case every data source shares; TestAccFunction<Name>_
// for a function); they run through a CLI against the local emulator and need TF_ACC=1. Unit
// tests are named Test<Func>_<case> and need neither.
package provider

package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// restoreArgs are the arguments of a restore, shared by the resource and the action so that
// both read and check them the same way.
type restoreArgs struct {
	SourceInstanceID   types.String `tfsdk:"source_instance_id"`
	TargetInstanceID   types.String `tfsdk:"target_instance_id"`
	Type               types.String `tfsdk:"type"`
	BackupID           types.String `tfsdk:"backup_id"`
	RestoreTime        types.Int64  `tfsdk:"restore_time"`
	DatabaseName       types.Map    `tfsdk:"database_name"`
	RestoreAllDatabase types.Bool   `tfsdk:"restore_all_database"`
	Region             types.String `tfsdk:"region"`
	// BackupTargetFirst is not part of what is restored (restoreKey leaves it out): changing it
	// alone runs no restore.
	BackupTargetFirst types.Bool `tfsdk:"backup_target_first"`
}

// Descriptions of the arguments, shared by the resource's and the action's schemas.
const (
	descSourceInstanceID = "ID of the instance whose backup or point in time is restored (`source.instance_id`)."
	descTargetInstanceID = "ID of the existing instance the data is restored onto (`target.instance_id`). " +
		"It may equal `source_instance_id` for MySQL and SQL Server (restore onto the original instance). " +
		"**Its data is overwritten.**"
	descType = "Restore mode: `backup` (from `backup_id`) or `timestamp` (to the point in time `restore_time`). " +
		"Inferred from which of the two is set; when set it must agree. Always sent to the API."
	descBackupID    = "ID of the backup to restore (backup mode). It must belong to `source_instance_id` and be `COMPLETED`."
	descRestoreTime = "Point in time to restore to (timestamp mode), in Unix **milliseconds**, UTC, e.g. `1532001446987`. " +
		"It must fall inside one of the source's restorable time ranges (see the `hwc_rds_restore_time_ranges` data source)."
	descDatabaseName = "SQL Server only. Which databases to restore and under which new names: a map from an original " +
		"database name to a comma-separated list of new names (`\"\"` keeps the original name), the API's own shape, e.g. " +
		"`{ A = \"A,A1,A2\", B = \"B1,B2\", C = \"\" }`. New names are 1-64 letters, digits, `_` or `-`; must not " +
		"contain `rdsadmin`, `master`, `msdb`, `tempdb`, `model` or `resource`; must be unique across the map and differ " +
		"from the databases already on the source and the target. When omitted, all databases are restored."
	descRestoreAllDatabase = "SQL Server only. Whether to restore all databases to the target. Sent only when set."
	descRegion             = "Region of both instances; defaults to the provider's region. Cross-region restore is not supported."
	descBackupTargetFirst  = "The undo of a drill: when `true`, right before the restore is submitted the provider takes a " +
		"manual backup of the **target** (`POST /v3/{project_id}/backups`, named `hwc-pre-restore-` and 8 hex digits " +
		"that identify this restore), waits for it to be `COMPLETED` within the same deadline, and only then submits the " +
		"restore. Restoring that backup onto the target undoes the restore. The backup is submitted exactly once (a " +
		"lost reply is settled by listing the target's backups by its name); a backup that fails, is refused or whose " +
		"fate cannot be told stops the restore: nothing is restored, and the error names the backup. The plan warns " +
		"that a backup will be taken. Default `false`."
)

// rulesRequest converts the arguments for the rule engine. Unknown values are replaced by
// placeholders that pass the presence rules, and their attributes are returned so that findings
// about values that are not known yet can be dropped.
func (a restoreArgs) rulesRequest(ctx context.Context) (rules.Request, map[string]bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	unknown := map[string]bool{}
	str := func(attr string, v types.String) string {
		if v.IsUnknown() {
			unknown[attr] = true
			return "(known after apply)"
		}
		return v.ValueString()
	}
	req := rules.Request{
		SourceInstanceID: str("source_instance_id", a.SourceInstanceID),
		TargetInstanceID: str("target_instance_id", a.TargetInstanceID),
		BackupID:         str("backup_id", a.BackupID),
	}
	if !a.Type.IsUnknown() {
		req.Type = a.Type.ValueString()
	} else {
		unknown["type"] = true
	}
	switch {
	case a.RestoreTime.IsUnknown():
		unknown["restore_time"] = true
		placeholder := time.Now().Add(-time.Hour).UnixMilli()
		req.RestoreTime = &placeholder
	case !a.RestoreTime.IsNull():
		v := a.RestoreTime.ValueInt64()
		req.RestoreTime = &v
	}
	switch {
	case a.DatabaseName.IsUnknown():
		unknown["database_name"] = true
		req.DatabaseName = map[string]string{}
	case !a.DatabaseName.IsNull():
		elems := map[string]types.String{}
		diags.Append(a.DatabaseName.ElementsAs(ctx, &elems, false)...)
		req.DatabaseName = map[string]string{}
		for k, v := range elems {
			if v.IsUnknown() {
				unknown["database_name"] = true
				continue
			}
			req.DatabaseName[k] = v.ValueString()
		}
	}
	switch {
	case a.RestoreAllDatabase.IsUnknown():
		unknown["restore_all_database"] = true
	case !a.RestoreAllDatabase.IsNull():
		v := a.RestoreAllDatabase.ValueBool()
		req.RestoreAllDatabase = &v
	}
	return req, unknown, diags
}

// addFindings turns rule findings into attribute diagnostics. Findings about values that are
// not known yet are dropped: they are checked again when the values are known.
func addFindings(diags *diag.Diagnostics, findings []rules.Finding, unknown map[string]bool) {
	for _, f := range findings {
		if unknown[f.Attribute] {
			continue
		}
		attr := f.Attribute
		if attr == "" {
			attr = "target_instance_id"
		}
		// The rule engine ends its details with "(rule X)" for the emulator's error messages;
		// diagnostics say it on a line of their own.
		detail := strings.TrimSuffix(f.Detail, " (rule "+f.Rule+")") +
			"\n\n(Rule " + f.Rule + " of the documented restore constraints.)"
		if f.Severity == rules.Warning {
			diags.AddAttributeWarning(path.Root(attr), f.Summary, detail)
		} else {
			diags.AddAttributeError(path.Root(attr), f.Summary, detail)
		}
	}
}

// concurrentRestore says whether the API takes this restore alongside others onto the same
// target: for SQL Server the API documents batch calls that each restore databases onto one
// instance, so such restores are not serialized per target; every other restore overwrites the
// whole instance and waits for the one before it.
func concurrentRestore(engine string, req rules.Request) bool {
	return len(req.DatabaseName) > 0 && strings.EqualFold(engine, "sqlserver")
}

package provider

// backup_target_first at plan time: the plan says that a backup of the target will be taken
// (restore_pipeline.go's submitSteps takes it, through restore.BackupFirst).

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const descTargetBackupID = "ID of the manual backup of the target taken right before this restore " +
	"(`backup_target_first = true`); null when none was taken. Restoring it onto the target (another " +
	"`hwc_rds_instance_restore` with `source_instance_id` and `target_instance_id` both the target, or the action) " +
	"undoes this restore."

// planBackupFirst, on the plan of a new restore, plans target_backup_id (known after apply when a
// backup is taken, else null) and says that a backup will be taken.
func planBackupFirst(ctx context.Context, resp *resource.ModifyPlanResponse, plan restoreModel) {
	v := types.StringNull()
	if plan.BackupTargetFirst.ValueBool() || plan.BackupTargetFirst.IsUnknown() {
		v = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("target_backup_id"), v)...)
	warnBackupFirst(&resp.Diagnostics, plan.restoreArgs, "records its ID in target_backup_id (known after apply)")
}

// warnBackupFirst is the plan's word that a backup of the target is taken before the restore.
func warnBackupFirst(diags *diag.Diagnostics, args restoreArgs, record string) {
	if !args.BackupTargetFirst.ValueBool() && !args.BackupTargetFirst.IsUnknown() {
		return
	}
	target := args.TargetInstanceID.ValueString()
	if args.TargetInstanceID.IsUnknown() {
		target = "(known after apply)"
	}
	diags.AddAttributeWarning(path.Root("backup_target_first"), "Backup of the Target Taken First",
		fmt.Sprintf("backup_target_first is true: right before the restore is submitted, the provider takes a manual "+
			"backup of the target instance %s, named hwc-pre-restore- and 8 hex digits, waits for it to be COMPLETED "+
			"within the same deadline, and %s. If the backup fails, nothing is restored. Restoring that backup onto %s "+
			"undoes this restore.", target, record, target))
}

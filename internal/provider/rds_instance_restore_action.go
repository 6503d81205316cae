package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

var (
	_ action.Action                   = (*restoreAction)(nil)
	_ action.ActionWithConfigure      = (*restoreAction)(nil)
	_ action.ActionWithValidateConfig = (*restoreAction)(nil)
	_ action.ActionWithModifyPlan     = (*restoreAction)(nil)
)

// defaultActionTimeout bounds one invocation when `timeout` is not set.
const defaultActionTimeout = 60 * time.Minute

// restoreAction is the hwc_rds_instance_restore action: the resource's restore, run each time the
// action is invoked, with nothing kept in the state.
type restoreAction struct {
	actionBase
}

func newRestoreAction() action.Action { return &restoreAction{} }

type restoreActionModel struct {
	restoreArgs
	Timeout types.String `tfsdk:"timeout"`
}

func (a *restoreAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_instance_restore"
}

func (a *restoreAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores an RDS backup, or a point in time, onto an **existing** DB instance " +
			"(`POST /v3.1/{project_id}/instances/recovery`) each time it is invoked, and waits for the job, reporting its " +
			"progress. Takes the arguments of the `hwc_rds_instance_restore` resource and runs the same documented " +
			"checks (at plan time when the values are known, and again just before submitting); keeps no state. " +
			"Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"source_instance_id":   schema.StringAttribute{Required: true, MarkdownDescription: descSourceInstanceID},
			"target_instance_id":   schema.StringAttribute{Required: true, MarkdownDescription: descTargetInstanceID},
			"type":                 schema.StringAttribute{Optional: true, MarkdownDescription: descType},
			"backup_id":            schema.StringAttribute{Optional: true, MarkdownDescription: descBackupID},
			"restore_time":         schema.Int64Attribute{Optional: true, MarkdownDescription: descRestoreTime},
			"database_name":        schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: descDatabaseName},
			"restore_all_database": schema.BoolAttribute{Optional: true, MarkdownDescription: descRestoreAllDatabase},
			"region":               schema.StringAttribute{Optional: true, MarkdownDescription: descRegion},
			"backup_target_first": schema.BoolAttribute{Optional: true, MarkdownDescription: descBackupTargetFirst +
				" The backup's ID is reported in the action's progress."},
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one invocation may take in all: waiting for a busy target, the job, and the " +
					"target to be `ACTIVE` again. A Go duration string such as `30m` or `1h30m`; default `60m`. When it runs " +
					"out after the restore was submitted, the job goes on on the server.",
			},
		},
	}
}

// ValidateConfig runs the static rules (S1-S11) and checks `timeout`; no credentials needed.
func (a *restoreAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m restoreActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateArgs(ctx, m.restoreArgs, &resp.Diagnostics)
	actionTimeout(m.Timeout, &resp.Diagnostics)
}

// ModifyPlan runs the API rules at plan time when every value is known and the provider is
// configured, so a wrong restore stops the plan. Invoke runs them again before submitting.
func (a *restoreAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil || req.Config.Raw.IsNull() {
		return
	}
	var m restoreActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, _, ok := a.data.check(a.data.logContext(ctx), m.restoreArgs, rules.PhasePlan, "plan again", &resp.Diagnostics); ok {
		warnBackupFirst(&resp.Diagnostics, m.restoreArgs, "reports its ID in the action's progress")
	}
}

// Invoke checks the restore, submits it once and waits for the job and the target, sending a
// progress event for each step and each change of the job's status or percentage.
func (a *restoreAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m restoreActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !requireConfigured(a.data, &resp.Diagnostics) {
		return
	}
	ctx = a.data.logContext(ctx)
	timeout, ok := actionTimeout(m.Timeout, &resp.Diagnostics)
	if !ok {
		return
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Progress events go out through one goroutine, so that no caller (a crowd's shared poller
	// among them) ever blocks on them: the framework reads its unbuffered channel only until
	// Invoke returns or the RPC's context ends (Ctrl-C), and a send after that never returns.
	// Events past the buffer, or after the end, are logged and dropped.
	events, drained := make(chan string, 64), make(chan struct{})
	var sending sync.Mutex
	open := true
	go func() {
		defer close(drained)
		for msg := range events {
			if resp.SendProgress != nil && ctx.Err() == nil {
				resp.SendProgress(action.InvokeProgressEvent{Message: msg})
			}
		}
	}()
	defer func() {
		sending.Lock()
		open = false
		close(events)
		sending.Unlock()
		select { // the events sent so far go before the action's end, unless the RPC ended
		case <-drained:
		case <-ctx.Done():
		}
	}()
	progress := func(format string, v ...any) {
		msg := fmt.Sprintf(format, v...)
		tflog.Info(ctx, "restore action progress", map[string]any{"message": msg})
		sending.Lock()
		defer sending.Unlock()
		if open {
			select {
			case events <- msg:
			default:
			}
		}
	}

	rreq, facts, ok := a.data.check(runCtx, m.restoreArgs, rules.PhaseApply, "invoke the action again", &resp.Diagnostics)
	if !ok {
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddError("Restore Arguments Not Known",
				"Some arguments of the restore are still unknown when it is invoked. Nothing was submitted. "+
					"This is a bug in the CLI or the provider; please report it.")
		}
		return
	}
	target := rreq.TargetInstanceID
	progress("Checks passed: restoring %s (%s) onto %s", describeSource(rreq), facts.Engine, target)

	steps := &submitSteps{backupFirst: m.BackupTargetFirst.ValueBool(), backupSeed: restoreKey(ctx, m.restoreArgs, types.Map{})}
	res := a.data.executeWith(runCtx, rreq, facts.Engine, func(msg string) { progress("%s", msg) }, steps)
	resp.Diagnostics.Append(backupLeftNotice(res, steps, target)...)
	if steps.backupID != "" && res.Taken() {
		progress("To undo this restore, restore backup %s of %s onto it", steps.backupID, target)
	}
	if res.Kind == restore.KindCompleted && !res.Unconfirmed {
		progress("Restore job %s completed; target %s is ACTIVE", res.JobID, target)
	}
	resp.Diagnostics.Append(outcomeDiagnostics(res, surface{
		action: true, deadline: fmt.Sprintf("the action's timeout (%s)", timeout), setting: "timeout",
		again: "invoke the action again", interrupted: ctx.Err() != nil,
		expired: errors.Is(runCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil,
	}, target)...)
}

// actionTimeout reads `timeout`: default 60m, a positive Go duration. ok is false (with an
// attribute error) when it is set but not valid; an unknown value passes (checked at invoke).
func actionTimeout(v types.String, diags *diag.Diagnostics) (time.Duration, bool) {
	if !isKnownValue(v) {
		return defaultActionTimeout, true
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		diags.AddAttributeError(path.Root("timeout"), "Invalid Timeout",
			fmt.Sprintf("timeout is %q; it must be a positive duration such as \"30m\", \"1h\" or \"1h30m\" (units "+
				"s, m, h). The default is \"60m\".", v.ValueString()))
		return 0, false
	}
	return d, true
}

// describeSource names what is restored, for progress messages.
func describeSource(r rules.Request) string {
	if rules.EffectiveType(r) == rules.TypeBackup {
		return fmt.Sprintf("backup %s of %s", r.BackupID, r.SourceInstanceID)
	}
	at := "?"
	if r.RestoreTime != nil {
		at = time.UnixMilli(*r.RestoreTime).UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s as of %s", r.SourceInstanceID, at)
}

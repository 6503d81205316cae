package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
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
	data *providerData
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
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one invocation may take in all: waiting for a busy target, the job, and the " +
					"target to be `ACTIVE` again. A Go duration string such as `30m` or `1h30m`; default `60m`. When it runs " +
					"out after the restore was submitted, the job goes on on the server.",
			},
		},
	}
}

func (a *restoreAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
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
	a.check(a.data.logContext(ctx), m.restoreArgs, rules.PhasePlan, &resp.Diagnostics)
}

// check runs every check a restore needs before it is submitted: the region, the static rules,
// then the API rules on what GatherFacts reads. It returns the request and what was learnt, and
// false when an error was reported or when a value is not known yet (nothing can be submitted).
func (a *restoreAction) check(ctx context.Context, args restoreArgs, phase rules.Phase, diags *diag.Diagnostics) (rules.Request, restoreFacts, bool) {
	rreq, unknown, d := args.rulesRequest(ctx)
	diags.Append(d...)
	if diags.HasError() || len(unknown) > 0 {
		return rreq, restoreFacts{}, false
	}
	region := a.data.client.Region()
	if !args.Region.IsNull() && args.Region.ValueString() != region {
		diags.AddAttributeError(path.Root("region"), "Region Differs From the Provider's",
			fmt.Sprintf("region is %q but this provider works in %q. Both instances must be in one region (a restore "+
				"cannot cross regions); to restore in %q, use a provider block (alias) configured for that region.",
				args.Region.ValueString(), region, args.Region.ValueString()))
		return rreq, restoreFacts{}, false
	}
	addFindings(diags, rules.CheckStatic(rreq, time.Now()), nil)
	if diags.HasError() {
		return rreq, restoreFacts{}, false
	}
	facts, err := restore.GatherFacts(ctx, a.data.lookups, region, rreq, phase, time.Now())
	if err != nil {
		diags.AddError("Cannot Check the Restore Against the API",
			fmt.Sprintf("Reading the instances and backups this restore involves failed: %s\n\nNothing was submitted. "+
				"Check the provider's credentials and endpoint, then try again.", err))
		return rreq, restoreFacts{}, false
	}
	addFindings(diags, rules.CheckAPI(rreq, facts), nil)
	if diags.HasError() {
		return rreq, restoreFacts{}, false
	}
	return rreq, factsSummary(facts), true
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
	progress := func(format string, v ...any) {
		msg := fmt.Sprintf(format, v...)
		tflog.Info(ctx, "restore action progress", map[string]any{"message": msg})
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: msg})
		}
	}

	rreq, facts, ok := a.check(runCtx, m.restoreArgs, rules.PhaseApply, &resp.Diagnostics)
	if !ok {
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddError("Restore Arguments Not Known",
				"Some arguments of the restore are still unknown when it is invoked. Nothing was submitted. "+
					"This is a bug in Terraform or the provider; please report it.")
		}
		return
	}
	target := rreq.TargetInstanceID
	progress("Checks passed: restoring %s (%s) onto %s", describeSource(rreq), facts.Engine, target)

	submitted := false
	res, err := a.data.runner.Run(runCtx, apiRequest(rreq, facts.Engine), concurrentRestore(facts.Engine, rreq), restore.Hooks{
		OnSubmitted: func(jobID string, _ time.Time) {
			submitted = true
			if jobID == "" {
				progress("Restore taken by the API, but its reply (with the job id) was lost; waiting for %s to be ACTIVE", target)
				return
			}
			progress("Restore submitted: job %s onto %s", jobID, target)
		},
		OnProgress: func(job rds.Job) {
			if job.Process != "" {
				progress("Restore job %s: %s, %s", job.ID, job.Status, job.Process)
			} else {
				progress("Restore job %s: %s", job.ID, job.Status)
			}
		},
		OnTargetBusy: func(status string) {
			progress("Waiting for target %s to be ACTIVE (it is %s)", target, status)
		},
	})

	var failed *rds.JobFailedError
	switch {
	case !submitted && !res.Unconfirmed:
		resp.Diagnostics.AddError(notSubmitted(ctx, runCtx, err,
			fmt.Sprintf("The action's timeout (%s)", timeout), "timeout", "invoke the action again"))
	case err == nil && res.Unconfirmed:
		resp.Diagnostics.AddWarning("Restore Taken, Job ID Unknown",
			fmt.Sprintf("The connection broke after the restore was sent. The provider did not send it again; the target %s "+
				"showed that the API took it (it went RESTORING) and is ACTIVE again now, but the job id never arrived, so "+
				"the job's own outcome cannot be read. Check the target's data before relying on it.", target))
	case err == nil:
		progress("Restore job %s completed; target %s is ACTIVE", res.JobID, target)
	case errors.As(err, &failed):
		resp.Diagnostics.AddError("Restore Job Failed",
			fmt.Sprintf("The restore job %s onto %s failed: %s\n\nFix the cause, then invoke the action again.",
				res.JobID, target, failed.FailReason))
	case ctx.Err() != nil:
		resp.Diagnostics.AddError("Stopped Waiting for the Restore",
			fmt.Sprintf("Terraform was interrupted while the restore job %s onto %s was running. The job continues on the "+
				"server. Do not invoke the action again before it has ended: a second restore would overwrite the target again.",
				pick(res.JobID, "(id unknown)"), target))
	default:
		resp.Diagnostics.AddError("Restore Did Not Finish",
			fmt.Sprintf("The restore was submitted (job %s onto %s) but %s\n\nThe job may still be running on the server. "+
				"Check the target before invoking the action again: a second invocation submits a new restore.",
				pick(res.JobID, "id unknown"), target, actionWaitError(runCtx, timeout, err)))
	}
}

// actionTimeout reads `timeout`: default 60m, a positive Go duration. ok is false (with an
// attribute error) when it is set but not valid; an unknown value passes (checked at invoke).
func actionTimeout(v types.String, diags *diag.Diagnostics) (time.Duration, bool) {
	if v.IsNull() || v.IsUnknown() {
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

// actionWaitError says why waiting for a submitted restore stopped.
func actionWaitError(runCtx context.Context, timeout time.Duration, err error) string {
	if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("the action's timeout (%s) ran out while waiting: %v", timeout, err)
	}
	return err.Error()
}

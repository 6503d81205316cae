package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// Create submits the restore once and waits for it. The job id is in the returned state from the
// moment the API accepted the restore, whatever happens after: a cancelled or failed wait never
// leads to a second submission unless the user plans one.
func (r *restoreResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan restoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx = r.data.logContext(ctx)
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	rreq, _, d := plan.rulesRequest(ctx)
	resp.Diagnostics.Append(d...)
	facts := restoreFacts{Engine: plan.Engine.ValueString(), SourceVersion: plan.SourceEngineVersion.ValueString(),
		TargetVersion: plan.TargetEngineVersion.ValueString()}
	if plan.Engine.IsUnknown() {
		// The ids were not known at plan time: the same checks, with the same messages, now.
		addFindings(&resp.Diagnostics, rules.CheckStatic(rreq, time.Now()), nil)
		if resp.Diagnostics.HasError() {
			return
		}
		f, err := restore.GatherFacts(runCtx, r.data.lookups, r.data.client.Region(), rreq, rules.PhaseApply, time.Now())
		if err != nil {
			resp.Diagnostics.AddError("Cannot Check the Restore Against the API",
				fmt.Sprintf("Reading the instances and backups this restore involves failed: %s\n\nNothing was submitted.", err))
			return
		}
		f.Previous = plannedPrevious(ctx, plan)
		addFindings(&resp.Diagnostics, rules.CheckAPI(rreq, f), nil)
		if resp.Diagnostics.HasError() {
			return
		}
		facts = factsSummary(f)
		if resp.Diagnostics.Append(fillEvidence(runCtx, r.data.lookups, &plan, rreq, f)...); resp.Diagnostics.HasError() {
			return
		}
	}

	plan.Type = types.StringValue(rules.EffectiveType(rreq))
	plan.Region = types.StringValue(r.data.client.Region())
	plan.Engine = types.StringValue(facts.Engine)
	plan.SourceEngineVersion = types.StringValue(facts.SourceVersion)
	plan.TargetEngineVersion = types.StringValue(facts.TargetVersion)
	plan.FailReason = types.StringValue("")
	plan.CompletedAt = types.StringValue("")

	submitted := false
	res, err := r.data.runner.Run(runCtx, apiRequest(rreq, facts.Engine), concurrentRestore(facts.Engine, rreq), restore.Hooks{
		BeforeSubmit: r.dropPrevious(ctx, plan),
		OnSubmitted: func(jobID string, at time.Time) {
			submitted = true
			tflog.Info(ctx, "restore submitted", map[string]any{"job_id": jobID, "target_instance_id": rreq.TargetInstanceID})
		},
		OnProgress: func(job rds.Job) {
			tflog.Info(ctx, "restore job progress", map[string]any{"job_id": job.ID, "status": job.Status, "process": job.Process})
		},
		OnTargetBusy: func(status string) {
			tflog.Info(ctx, "waiting for the target to be ACTIVE", map[string]any{"target_instance_id": rreq.TargetInstanceID, "status": status})
		},
	})
	if !submitted && !res.Unconfirmed {
		resp.Diagnostics.AddError(notSubmitted(ctx, runCtx, err, "timeouts.create", "timeouts.create", "apply again"))
		return
	}

	// From here on the API took the restore: the state must say so, whatever else happened.
	plan.SubmittedAt = types.StringValue(res.SubmittedAt.UTC().Format(time.RFC3339))
	if res.Unconfirmed {
		plan.ID = types.StringValue(fmt.Sprintf("unconfirmed-%s-%d", rreq.TargetInstanceID, res.SubmittedAt.UnixMilli()))
		plan.JobID = types.StringValue("")
		plan.Status = types.StringValue(statusUnknown)
	} else {
		plan.ID = types.StringValue(res.JobID)
		plan.JobID = types.StringValue(res.JobID)
		plan.Status = types.StringValue(statusRunning)
	}

	var failed *rds.JobFailedError
	switch {
	case err == nil:
		if !res.Unconfirmed {
			plan.Status = types.StringValue(statusCompleted)
		}
		plan.CompletedAt = types.StringValue(res.CompletedAt.UTC().Format(time.RFC3339))
		if res.Unconfirmed {
			resp.Diagnostics.AddWarning("Restore Taken, Job ID Unknown",
				fmt.Sprintf("The connection broke after the restore was sent. The provider did not send it again; the target %s "+
					"showed that the API took it (it went RESTORING) and is ACTIVE again now, but the job id never arrived, so "+
					"the job's own outcome cannot be read. status is \"Unknown\": check the target's data before relying on it.",
					rreq.TargetInstanceID))
		}
	case errors.As(err, &failed):
		plan.Status = types.StringValue(statusFailed)
		plan.FailReason = types.StringValue(failed.FailReason)
		plan.CompletedAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
		resp.Diagnostics.AddError("Restore Job Failed",
			fmt.Sprintf("The restore job %s onto %s failed: %s\n\nThe resource is saved with status \"Failed\" and marked "+
				"tainted, so the next apply plans a new restore; fix the cause first.", res.JobID, rreq.TargetInstanceID, failed.FailReason))
	case ctx.Err() != nil:
		// Terraform was interrupted (Ctrl-C). The job goes on; the state says Running with its id, and
		// no error, so the next plan refreshes it through Read instead of submitting a new restore.
		resp.Diagnostics.AddWarning("Stopped Waiting for the Restore",
			fmt.Sprintf("Terraform was interrupted while the restore job %s was running. The job continues on the server; "+
				"the resource is saved with status \"Running\", and the next plan or refresh reads its outcome. "+
				"Nothing will be submitted again.", res.JobID))
	default:
		resp.Diagnostics.AddError("Restore Did Not Finish",
			fmt.Sprintf("The restore was submitted (job %s) but %s\n\nThe resource is saved with status %q and marked "+
				"tainted: the next apply would plan a NEW restore. To keep this one and only read its outcome, run "+
				"`terraform untaint` on this resource, then `terraform apply -refresh-only`.",
				pick(res.JobID, "unknown"), err, plan.Status.ValueString()))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// notSubmitted explains a restore that stopped before the API took it, or whose submission's fate
// cannot be known (checked first: an interruption or a timeout during the POST does not make
// "nothing was submitted" true). The resource and the action share it; deadline, setting and
// again are how each names its deadline, the argument that sets it, and trying again.
func notSubmitted(ctx, runCtx context.Context, err error, deadline, setting, again string) (summary, detail string) {
	switch {
	case errors.Is(err, restore.ErrOutcomeUnknowable):
		return "Restore Outcome Unknown", err.Error()
	case ctx.Err() != nil:
		return "Restore Not Submitted", "Terraform was interrupted before the restore was submitted. Nothing was submitted."
	case errors.Is(runCtx.Err(), context.DeadlineExceeded):
		return "Restore Not Submitted", fmt.Sprintf("%s ran out before the restore could be submitted: %v\n\n"+
			"Nothing was submitted. Raise %s, or %s when the target is ACTIVE.", deadline, err, setting, again)
	default:
		return "Restore Not Submitted", fmt.Sprintf("%v\n\nNothing was submitted.", err)
	}
}

// Read refreshes a running job. A job the API no longer knows (it keeps about a month) is not an
// error: the restore happened, and the resource stays.
func (r *restoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	if state.Status.ValueString() != statusRunning || state.JobID.ValueString() == "" {
		return // finished jobs do not change: no API call
	}
	ctx = r.data.logContext(ctx)
	job, err := r.data.client.GetJob(ctx, state.JobID.ValueString())
	if err != nil {
		if rds.IsCode(err, "DBS.200543") {
			tflog.Warn(ctx, "restore job can no longer be queried; keeping the resource", map[string]any{"job_id": state.JobID.ValueString()})
			return
		}
		resp.Diagnostics.AddError("Cannot Read the Restore Job", err.Error())
		return
	}
	applyJob(&state, job)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// applyJob copies a job's status into the model.
func applyJob(m *restoreModel, job *rds.Job) {
	m.Status = types.StringValue(job.Status)
	m.FailReason = types.StringValue(job.FailReason)
	if t, ok := restore.ParseAPITime(job.Ended); ok {
		m.CompletedAt = types.StringValue(t.UTC().Format(time.RFC3339))
	}
	if t, ok := restore.ParseAPITime(job.Created); ok && m.SubmittedAt.ValueString() == "" {
		m.SubmittedAt = types.StringValue(t.UTC().Format(time.RFC3339))
	}
}

// Update only happens when nothing is restored: a changed timeouts block, or an imported
// resource adopting its configuration. The state takes the plan; no API call.
func (r *restoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state restoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Computed values the plan could not know keep what the state holds (an import knows no
	// engine or versions: they stay null rather than being made up).
	plan.restoreArgs.Type = pickKnown(plan.Type, state.Type)
	plan.Region = pickKnown(plan.Region, state.Region)
	plan.Engine = pickKnown(plan.Engine, state.Engine)
	plan.SourceEngineVersion = pickKnown(plan.SourceEngineVersion, state.SourceEngineVersion)
	plan.TargetEngineVersion = pickKnown(plan.TargetEngineVersion, state.TargetEngineVersion)
	keepEvidence(&plan, state)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func pickKnown(a, b types.String) types.String {
	if a.IsUnknown() {
		return b
	}
	return a
}

// Delete forgets the restore. Data restored onto the target stays: there is nothing to undo.
func (r *restoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	r.rememberDeleted(ctx, state)
	resp.Diagnostics.AddWarning("Restore Forgotten, Data Not Rolled Back",
		fmt.Sprintf("hwc_rds_instance_restore %s was removed from the state only. The data it restored onto %s stays as it is; "+
			"a restore cannot be undone.", state.ID.ValueString(), state.TargetInstanceID.ValueString()))
}

// ImportState takes a job id and reads the job.
func (r *restoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx = r.data.logContext(ctx)
	job, err := r.data.client.GetJob(ctx, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot Import the Restore",
			fmt.Sprintf("Reading job %q failed: %s\n\nImport takes the restore's job id; the API keeps jobs for about a month.", req.ID, err))
		return
	}
	m := restoreModel{
		ID: types.StringValue(job.ID), JobID: types.StringValue(job.ID), SubmittedAt: types.StringValue(""),
		CompletedAt: types.StringValue(""), Engine: types.StringNull(), SourceEngineVersion: types.StringNull(),
		TargetEngineVersion: types.StringNull(),
	}
	m.TargetInstanceID = types.StringValue(job.Instance.ID)
	m.SourceInstanceID = types.StringNull()
	m.Type = types.StringNull()
	m.BackupID = types.StringNull()
	m.RestoreTime = types.Int64Null()
	m.RestoreAllDatabase = types.BoolNull()
	m.Region = types.StringValue(r.data.client.Region())
	m.DatabaseName = types.MapNull(types.StringType)
	m.Triggers = types.MapNull(types.StringType)
	m.Timeouts = timeoutsNull()
	m.restoreEvidence = nullEvidence()
	applyJob(&m, job)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`"1"`))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), job.ID)...)
}

// timeoutsNull is an absent timeouts block (the import does not know one).
func timeoutsNull() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})}
}

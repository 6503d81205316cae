package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// Create submits the restore once and waits for it, or takes over the job of an earlier apply of
// the same restore that stopped before the job ended. The job id is in the returned state from
// the moment the API took the restore, whatever happens after: a cancelled or failed wait never
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
		var ok bool
		var f rules.Facts
		rreq, f, facts, ok = r.data.checkWith(runCtx, plan.restoreArgs, rules.PhaseApply, "apply again", plannedPrevious(ctx, plan), &resp.Diagnostics)
		if !ok {
			if !resp.Diagnostics.HasError() {
				resp.Diagnostics.AddError("Restore Arguments Not Known",
					"Some arguments of the restore are still unknown at apply time. Nothing was submitted. "+
						"This is a bug in Terraform or the provider; please report it.")
			}
			return
		}
		if resp.Diagnostics.Append(fillEvidence(runCtx, r.data.lookups, &plan, rreq, f)...); resp.Diagnostics.HasError() {
			return
		}
	}

	plan.Type = types.StringValue(rules.EffectiveType(rreq))
	plan.Region = types.StringValue(r.data.client.Region())
	plan.Engine = types.StringValue(facts.Engine)
	plan.SourceEngineVersion = types.StringValue(facts.SourceVersion)
	plan.TargetEngineVersion = types.StringValue(facts.TargetVersion)

	target := rreq.TargetInstanceID
	var res restore.Result
	if p, ok := r.data.pending.take(restoreKey(ctx, plan.restoreArgs, plan.Triggers)); ok {
		tflog.Info(ctx, "taking over the restore job of an earlier apply instead of submitting", map[string]any{"job_id": p.JobID})
		res = r.data.runner.Adopt(runCtx, target, p.JobID, p.SubmittedAt, restore.Hooks{})
	} else {
		res = r.data.executeWith(runCtx, rreq, facts.Engine, progressLogger(ctx, target), r.dropPrevious(ctx, plan))
	}
	resp.Diagnostics.Append(outcomeDiagnostics(res, surface{
		deadline: "timeouts.create", setting: "timeouts.create", again: "apply again",
		interrupted: ctx.Err() != nil, expired: errors.Is(runCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil,
	}, target)...)
	if !res.Taken() {
		return
	}

	// From here on the API took the restore: the state must say so, whatever else happened.
	recordOutcome(&plan, res, target)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
	if res.Kind == restore.KindTimedOut && res.JobID != "" {
		// The apply fails (so a pipeline stops) and the resource is tainted; the mark lets the
		// replacement the next apply plans take this job over instead of restoring again.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, []byte(strconv.Quote(res.JobID)))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// recordOutcome writes into the model Create saves what became of a restore the API took
// (res.Taken()): its id and job id, status, fail_reason and times. A restore whose job id never
// arrived gets an id of its own and status "Unknown". A timed-out restore stays "Running" even
// when the job ended and only the target was late: the replacement's Delete reads that (see
// Delete).
func recordOutcome(m *restoreModel, res restore.Result, target string) {
	m.FailReason = types.StringValue("")
	m.CompletedAt = types.StringValue("")
	m.SubmittedAt = types.StringValue(stateTime(res.SubmittedAt))
	if res.Unconfirmed {
		m.ID = types.StringValue(fmt.Sprintf("unconfirmed-%s-%d", target, res.SubmittedAt.UnixMilli()))
		m.JobID = types.StringValue("")
		m.Status = types.StringValue(statusUnknown)
	} else {
		m.ID = types.StringValue(res.JobID)
		m.JobID = types.StringValue(res.JobID)
		m.Status = types.StringValue(statusRunning)
	}
	switch res.Kind {
	case restore.KindCompleted, restore.KindAdopted:
		if !res.Unconfirmed {
			m.Status = types.StringValue(statusCompleted)
		}
		m.CompletedAt = types.StringValue(stateTime(res.CompletedAt))
	case restore.KindFailed:
		m.Status = types.StringValue(statusFailed)
		m.FailReason = types.StringValue(res.FailReason)
		m.CompletedAt = types.StringValue(stateTime(res.CompletedAt))
	}
}

// Read refreshes a running job, and settles a restore whose job id is unknown through the task
// list where it can. A job the API no longer knows (it keeps about a month) is not an error: the
// restore happened, and the resource stays. A job API that cannot be reached right now is not an
// error either: the state keeps what it knew, and a later refresh reads the job.
func (r *restoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	if resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	ctx = r.data.logContext(ctx)
	if state.Status.ValueString() == statusUnknown && state.JobID.ValueString() == "" {
		if r.settleUnknown(ctx, &state, &resp.Diagnostics) {
			resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		}
		return
	}
	if state.Status.ValueString() != statusRunning || state.JobID.ValueString() == "" {
		return // finished jobs do not change: no API call
	}
	raw, _ := req.Private.GetKey(ctx, privateUnsettled)
	unsettled := len(raw) > 0
	job, err := r.data.client.GetJob(ctx, state.JobID.ValueString())
	if err != nil {
		if rds.IsCode(err, rds.CodeJobNotFound) {
			tflog.Warn(ctx, "restore job can no longer be queried; keeping the resource", map[string]any{"job_id": state.JobID.ValueString()})
			return
		}
		if rds.IsTransport(err) || rds.IsThrottled(err) || isServerError(err) {
			resp.Diagnostics.AddWarning("Restore Job Not Readable Now",
				fmt.Sprintf("Reading restore job %s failed: %v\n\nThe state keeps status \"Running\"; the next refresh "+
					"reads the job again. Nothing is submitted because of this.", state.JobID.ValueString(), err))
			return
		}
		resp.Diagnostics.AddError("Cannot Read the Restore Job", err.Error())
		return
	}
	if unsettled {
		// The apply of this restore stopped before the job ended, so the resource is tainted and
		// the next apply replaces it. The state keeps "Running": that is what tells the
		// replacement's Delete to hand the job over instead of letting Create restore again
		// (Terraform gives neither the private state of a tainted object). The outcome is
		// recorded by that apply.
		if !strings.EqualFold(job.Status, rds.JobRunning) {
			resp.Diagnostics.AddWarning("Restore Job Ended After Its Apply Stopped",
				fmt.Sprintf("Restore job %s onto %s, recorded as \"Running\" when its apply stopped, has ended %s%s. "+
					"The next apply takes this outcome over (it plans a replacement, and submits nothing).",
					job.ID, state.TargetInstanceID.ValueString(), job.Status, failReasonSuffix(job.FailReason)))
		}
		return
	}
	applyJob(&state, job)
	if strings.EqualFold(job.Status, rds.JobFailed) {
		resp.Diagnostics.AddWarning("Restore Job Failed",
			fmt.Sprintf("Restore job %s onto %s, recorded as \"Running\", has failed: %s\n\nThe state now says "+
				"status \"Failed\" with this fail_reason. The data on the target is not what the restore was to write.",
				job.ID, state.TargetInstanceID.ValueString(), pick(job.FailReason, "the API gave no fail_reason")))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// settleUnknown looks for the job of a restore whose job id never arrived (status "Unknown"): the
// one restore task on the target created since just before its submission. It reports whether
// the state changed.
func (r *restoreResource) settleUnknown(ctx context.Context, state *restoreModel, diags *diag.Diagnostics) bool {
	submitted, err := parseStateTime(state.SubmittedAt.ValueString())
	if err != nil || r.data.runner.Tasks == nil {
		return false
	}
	target := state.TargetInstanceID.ValueString()
	tasks, err := r.data.runner.Tasks.RestoreTasks(ctx, target, submitted.Add(-time.Minute))
	if err != nil {
		tflog.Info(ctx, "the task list cannot settle a restore whose job id is unknown", map[string]any{"error": err.Error()})
		return false
	}
	var found []restore.Task
	for _, t := range tasks {
		if t.Restore && !t.Created.Before(submitted.Add(-time.Minute)) && !t.Created.After(submitted.Add(time.Minute)) {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		return false // none, or more than one that could be it: keep "Unknown"
	}
	t := found[0]
	state.JobID = types.StringValue(t.ID)
	state.Status = types.StringValue(t.Status)
	state.FailReason = types.StringValue(t.FailReason)
	if !t.Ended.IsZero() {
		state.CompletedAt = types.StringValue(stateTime(t.Ended))
	}
	diags.AddWarning("Restore Job Found",
		fmt.Sprintf("The restore onto %s whose reply was lost is job %s in the task list (status %s); the state now "+
			"records it. The resource's id stays %s.", target, t.ID, t.Status, state.ID.ValueString()))
	return true
}

func failReasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

// applyJob copies a job's status into the model.
func applyJob(m *restoreModel, job *rds.Job) {
	m.Status = types.StringValue(job.Status)
	m.FailReason = types.StringValue(job.FailReason)
	if t, ok := rds.ParseTime(job.Ended); ok {
		m.CompletedAt = types.StringValue(stateTime(t))
	}
	if t, ok := rds.ParseTime(job.Created); ok && m.SubmittedAt.ValueString() == "" {
		m.SubmittedAt = types.StringValue(stateTime(t))
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
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Delete forgets the restore. Data restored onto the target stays: there is nothing to undo.
//
// A restore whose job still runs as far as the state knows (status "Running": its apply was
// interrupted, or stopped at the deadline or an outage, and then the resource is tainted) is
// left in the provider process's pending list: when Delete is the first half of a replacement
// (the one a tainted resource plans), the Create of the same restore (same arguments and
// triggers) takes the job over instead of submitting, so the plain apply after a timeout
// restores nothing again. Terraform hands neither half the private state of a tainted object,
// so the state's own status is the signal (Read keeps it "Running" for such a restore).
func (r *restoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	r.rememberDeleted(ctx, state)
	if r.data != nil && state.Status.ValueString() == statusRunning && state.JobID.ValueString() != "" {
		submitted, _ := parseStateTime(state.SubmittedAt.ValueString())
		r.data.pending.put(restoreKey(ctx, state.restoreArgs, state.Triggers),
			pendingJob{JobID: state.JobID.ValueString(), SubmittedAt: submitted})
		tflog.Info(ctx, "running restore job left for a replacement to take over", map[string]any{"job_id": state.JobID.ValueString()})
	}
	resp.Diagnostics.AddWarning("Restore Forgotten, Data Not Rolled Back",
		fmt.Sprintf("hwc_rds_instance_restore %s was removed from the state only. The data it restored onto %s stays as it is; "+
			"a restore cannot be undone.", state.ID.ValueString(), state.TargetInstanceID.ValueString()))
}

// ImportState takes a job id (the import id, or the identity's job_id) and reads the job.
func (r *restoreResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !requireConfigured(r.data, &resp.Diagnostics) {
		return
	}
	ctx = r.data.logContext(ctx)
	jobID, d := importJobID(ctx, req)
	if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
		return
	}
	job, err := r.data.client.GetJob(ctx, jobID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot Import the Restore",
			fmt.Sprintf("Reading job %q failed: %s\n\nImport takes the restore's job id; the API keeps jobs for about a month.", jobID, err))
		return
	}
	m := importedModel(r.data, job)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`"1"`))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), job.ID)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, job.ID)...)
}

// timeoutsNull is an absent timeouts block (the import does not know one).
func timeoutsNull() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})}
}

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
	// Not masked for the whole wait (see logContext): each log line below is.
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
						"This is a bug in the CLI or the provider; please report it.")
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
	key := restoreKey(ctx, plan.restoreArgs, plan.Triggers)
	var res restore.Result
	if jobID := plan.JobID.ValueString(); !plan.JobID.IsUnknown() && jobID != "" {
		// The plan takes over the job of an earlier apply of this same restore.
		old, ok := r.data.earlier.take(key)
		if !ok || old.JobID.ValueString() != jobID {
			resp.Diagnostics.AddError("Restore Job Not Handed Over",
				fmt.Sprintf("The plan takes over restore job %s onto %s, which an earlier apply of this resource left "+
					"running, but this apply was not handed the earlier object first (create_before_destroy). Nothing was "+
					"submitted. Remove the resource from the state with the CLI's `state rm` and `import` it with job id %s: "+
					"the next apply then takes the job over in place.", jobID, target, jobID))
			return
		}
		tflog.Info(r.data.logContext(ctx), "taking over the restore job of an earlier apply instead of submitting", map[string]any{"job_id": jobID})
		submitted, _ := parseStateTime(old.SubmittedAt.ValueString())
		res = r.data.runner.Adopt(runCtx, target, jobID, submitted, restore.Hooks{})
		plan.TargetBackupID = old.TargetBackupID
	} else {
		if old, ok := r.data.earlier.same(key); ok && pendingUnknown(old) {
			r.data.earlier.take(key)
			// Handed over by Delete in a replacement whose plan did not see it (no refresh):
			// saved again as it was, with this configuration's arguments, and nothing is
			// submitted. The error taints it, and spares it the check against the plan.
			kept := old
			kept.restoreArgs, kept.Triggers, kept.Timeouts = plan.restoreArgs, plan.Triggers, plan.Timeouts
			kept.DropPreviousDatabases = plan.DropPreviousDatabases
			resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, kept.ID.ValueString())...)
			resp.Diagnostics.Append(resp.State.Set(ctx, kept)...)
			refuseUnknownAgain(&resp.Diagnostics, old)
			return
		}
		if old, ok := r.data.earlier.onTarget(target, key); ok {
			// Arguments or triggers changed while the earlier restore of this resource ran: its
			// outcome is reported first, and the new restore is submitted only after it.
			if !r.finishEarlier(ctx, runCtx, old, target, &resp.Diagnostics) {
				return
			}
		}
		steps := &submitSteps{backupFirst: plan.BackupTargetFirst.ValueBool(), backupSeed: key, then: r.dropPrevious(ctx, plan)}
		res = r.data.executeWith(runCtx, rreq, facts.Engine, r.data.progressLogger(ctx, target), steps)
		plan.TargetBackupID = stringOrNull(steps.backupID)
		resp.Diagnostics.Append(backupLeftNotice(res, steps, target)...)
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
	if !res.Settled() && res.JobID != "" {
		// The job's end was not seen (deadline, outage, Ctrl-C): the mark makes the next apply
		// take the job over and report its outcome (restore_lifecycle.go).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, []byte(strconv.Quote(res.JobID)))...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// finishEarlier waits for the unsettled restore old of this resource (its arguments or triggers
// changed since) and reports its outcome, before the new restore is submitted. It returns false
// when the new restore must not be submitted: the earlier job failed, or its end was not seen.
func (r *restoreResource) finishEarlier(ctx, runCtx context.Context, old restoreModel, target string, diags *diag.Diagnostics) bool {
	jobID := old.JobID.ValueString()
	r.data.earlier.forget(jobID)
	submitted, _ := parseStateTime(old.SubmittedAt.ValueString())
	tflog.Info(r.data.logContext(ctx), "waiting for the earlier restore of this resource before submitting the new one", map[string]any{"job_id": jobID})
	res := r.data.runner.Adopt(runCtx, target, jobID, submitted, restore.Hooks{})
	switch res.Kind {
	case restore.KindAdopted, restore.KindCompleted:
		diags.AddWarning("Earlier Restore Completed First",
			fmt.Sprintf("Restore job %s onto %s, which an earlier apply of this resource left running, completed at %s. "+
				"The new restore this configuration asks for is submitted now, once.", jobID, target, stateTime(res.CompletedAt)))
		return true
	case restore.KindFailed:
		diags.AddError("Earlier Restore Job Failed",
			fmt.Sprintf("Restore job %s onto %s, which an earlier apply of this resource left running, failed: %s\n\n"+
				"The new restore was not submitted. Fix the cause, then apply again: that apply runs the restore this "+
				"configuration asks for.", jobID, target, pick(res.FailReason, "the API gave no fail_reason")))
	default:
		diags.AddError("Earlier Restore Still Running",
			fmt.Sprintf("The new restore onto %s waits for restore job %s, which an earlier apply of this resource left "+
				"running, and that wait stopped: %v\n\nThe new restore was not submitted. Apply again once job %s has "+
				"ended (its outcome is then reported, and the new restore submitted once).", target, jobID, res.Err, jobID))
	}
	return false
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
		m.ID = types.StringValue(fmt.Sprintf("%s%s-%d", unconfirmedPrefix, target, res.SubmittedAt.UnixMilli()))
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
		// A failed job created nothing this resource may drop later (the names may be another's).
		m.CreatedDatabases = types.ListValueMust(types.StringType, []attr.Value{})
		m.CompletedAt = types.StringValue(stateTime(res.CompletedAt))
	}
	setObjectives(m)
}

// Read settles a restore whose job id is unknown through the task list where it can, and looks at
// a job whose apply stopped before it ended (status "Running"). It never records that job's end:
// the state keeps "Running" until an apply takes the job over and reports its outcome, so that a
// failure always reaches an apply's exit code (restore_lifecycle.go). A job the API no longer
// knows (it keeps about a month) is not an error: the restore happened, and the resource stays. A
// job API that cannot be reached right now is not an error either.
func (r *restoreResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	if resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	ctx = r.data.logContext(ctx)
	if state.Status.ValueString() == statusUnknown && state.JobID.ValueString() == "" {
		settled := r.settleUnknown(ctx, &state, resp)
		// A job still running, or an end unseen: a replacement takes the job over, or refuses
		// to restore again (earlierRestores).
		r.data.earlier.put(ctx, state)
		if settled {
			setObjectives(&state)
			resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		}
		return
	}
	if state.Status.ValueString() != statusRunning || state.JobID.ValueString() == "" {
		return // finished jobs do not change: no API call
	}
	if raw, _ := req.Private.GetKey(ctx, privateUnsettled); len(raw) == 0 {
		// A state written before the mark existed: the same rule applies.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, []byte(strconv.Quote(state.JobID.ValueString())))...)
	}
	r.data.earlier.put(ctx, state)
	job, err := r.data.client.GetJob(ctx, state.JobID.ValueString())
	if err != nil {
		if rds.IsCode(err, rds.CodeJobNotFound) {
			tflog.Warn(ctx, "restore job can no longer be queried; keeping the resource", map[string]any{"job_id": state.JobID.ValueString()})
			return
		}
		if rds.IsTransport(err) || rds.IsThrottled(err) || isServerError(err) {
			resp.Diagnostics.AddWarning("Restore Job Not Readable Now",
				fmt.Sprintf("Reading restore job %s failed: %v\n\nThe state keeps status \"Running\"; the next apply takes "+
					"the job over and reads it again. Nothing is submitted because of this.", state.JobID.ValueString(), err))
			return
		}
		resp.Diagnostics.AddError("Cannot Read the Restore Job", err.Error())
		return
	}
	if !strings.EqualFold(job.Status, rds.JobRunning) {
		then := "The next apply records this outcome: it takes the job over and submits nothing."
		if strings.EqualFold(job.Status, rds.JobFailed) {
			then = "The next apply records this outcome and fails with the job's fail_reason (it submits nothing); " +
				"the apply after it restores again."
		}
		resp.Diagnostics.AddWarning("Restore Job Ended After Its Apply Stopped",
			fmt.Sprintf("Restore job %s onto %s, recorded as \"Running\" when its apply stopped, has ended %s%s. %s",
				job.ID, state.TargetInstanceID.ValueString(), job.Status, failReasonSuffix(job.FailReason), then))
	}
}

// settleUnknown looks for the job of a restore whose job id never arrived (status "Unknown"): the
// one restore task the submission explains (restore.Candidate, the rule the runner's settling
// uses). It reports whether the state changed. A job found running or failed is unsettled, so
// the next apply takes it over and reports its outcome.
func (r *restoreResource) settleUnknown(ctx context.Context, state *restoreModel, resp *resource.ReadResponse) bool {
	submitted, err := parseStateTime(state.SubmittedAt.ValueString())
	if err != nil || r.data.runner.Tasks == nil {
		return false
	}
	target := state.TargetInstanceID.ValueString()
	tasks, err := r.data.runner.Tasks.RestoreTasks(ctx, target, submitted.Add(-restore.ClockSlack))
	if err != nil {
		tflog.Info(ctx, "the task list cannot settle a restore whose job id is unknown", map[string]any{"error": err.Error()})
		return false
	}
	t, ok := restore.Candidate(tasks, submitted, submitted.Add(rds.DefaultRequestTimeout), r.data.runner.Owns)
	if !ok {
		return false // none, or more than one that could be it: keep "Unknown"
	}
	state.JobID = types.StringValue(t.ID)
	state.Status = types.StringValue(t.Status)
	state.FailReason = types.StringValue(t.FailReason)
	if strings.EqualFold(t.Status, rds.JobFailed) {
		// As recordOutcome: a failed job created nothing the next restore may drop.
		state.CreatedDatabases = types.ListValueMust(types.StringType, []attr.Value{})
	}
	if !t.Ended.IsZero() {
		state.CompletedAt = types.StringValue(stateTime(t.Ended))
	}
	then := "The state now records it."
	if !strings.EqualFold(t.Status, rds.JobCompleted) {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, []byte(strconv.Quote(t.ID)))...)
		then = "The next apply takes it over and records its outcome (a failed job fails that apply)."
	}
	resp.Diagnostics.AddWarning("Restore Job Found",
		fmt.Sprintf("The restore onto %s whose reply was lost is job %s in the task list (status %s). %s The "+
			"resource's id stays %s.", target, t.ID, t.Status, then, state.ID.ValueString()))
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
	setObjectives(m)
}

// Update takes over a job whose outcome no apply has reported yet (its apply was interrupted, or
// the object was untainted or imported): it waits for the job within timeouts.create and reports
// its outcome, submitting nothing. Otherwise nothing is restored: a changed timeouts block, or
// an imported resource adopting its configuration; the state takes the plan, with no API call.
func (r *restoreResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state restoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Computed values the plan could not know keep what the state holds.
	plan.restoreArgs.Type = pickKnown(plan.Type, state.Type)
	plan.Region = pickKnown(plan.Region, state.Region)
	plan.Engine = pickKnown(plan.Engine, state.Engine)
	plan.SourceEngineVersion = pickKnown(plan.SourceEngineVersion, state.SourceEngineVersion)
	plan.TargetEngineVersion = pickKnown(plan.TargetEngineVersion, state.TargetEngineVersion)
	keepEvidence(&plan, state)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	if unsettled(ctx, req.Private, state) && requireConfigured(r.data, &resp.Diagnostics) {
		r.takeOver(ctx, &plan, state, resp)
		return
	}
	keepOutcome(&plan, state)
	setObjectives(&plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// takeOver is Update for an unsettled restore: wait for its job and record the outcome.
func (r *restoreResource) takeOver(ctx context.Context, plan *restoreModel, state restoreModel, resp *resource.UpdateResponse) {
	ctx = r.data.logContext(ctx)
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	target := state.TargetInstanceID.ValueString()
	jobID := state.JobID.ValueString()
	submitted, _ := parseStateTime(state.SubmittedAt.ValueString())
	tflog.Info(ctx, "taking over a restore job whose outcome no apply has reported", map[string]any{"job_id": jobID})
	res := r.data.runner.Adopt(runCtx, target, jobID, submitted, restore.Hooks{})
	resp.Diagnostics.Append(outcomeDiagnostics(res, surface{
		deadline: "timeouts.create", setting: "timeouts.create", again: "apply again", update: true,
		interrupted: ctx.Err() != nil, expired: errors.Is(runCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil,
	}, target)...)
	recordOutcome(plan, res, target)
	plan.ID, plan.JobID = state.ID, state.JobID
	if res.SubmittedAt.IsZero() {
		plan.SubmittedAt = state.SubmittedAt
	}
	if res.Settled() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// unsettled says whether a restore's outcome is still to be reported by an apply: its job ran on
// after its apply stopped (Create's mark), or an import found it running or failed.
func unsettled(ctx context.Context, private privateState, state restoreModel) bool {
	if state.JobID.ValueString() == "" {
		return false
	}
	raw, _ := private.GetKey(ctx, privateUnsettled)
	return len(raw) > 0
}

// keepOutcome, in an Update that restores nothing, keeps the outcome the state records.
func keepOutcome(plan *restoreModel, state restoreModel) {
	plan.ID, plan.JobID, plan.Status, plan.FailReason = state.ID, state.JobID, state.Status, state.FailReason
	plan.SubmittedAt, plan.CompletedAt = state.SubmittedAt, state.CompletedAt
}

// Delete forgets the restore. Data restored onto the target stays: there is nothing to undo (the
// plan warns when a user removes the resource; a replacement says nothing of it).
//
// A restore whose outcome no apply has reported (status "Running") is left in this process's
// earlierRestores: when Delete is the first half of a replacement, the Create that follows takes
// the job over (the same restore) or waits for it (another one) instead of stacking a second
// restore on it. Terraform hands neither half the private state of a tainted object, so the
// state's own status is the signal (Read keeps it "Running").
func (r *restoreResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state restoreModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	r.rememberDeleted(ctx, state)
	if r.data != nil {
		r.data.earlier.handOver(ctx, state)
	}
}

// importJobVisibleWait is how long an import waits for a job the API does not know yet: a new job
// id can take several seconds before it can be queried (internal/service/rds/doc.go), and a user
// who imports the restore a killed apply left behind may be that quick.
const importJobVisibleWait = 30 * time.Second

// ImportState takes a job id (the import id, or the identity's job_id) and reads the job. It must
// be a restore; the configuration's target is checked against the job's at plan time
// (ModifyPlan), where what the job does not say (engine, versions, restored_to) is filled in from
// the instances and the backup. A job that runs or failed is unsettled: the next apply takes it
// over and reports its outcome.
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
	for deadline := time.Now().Add(importJobVisibleWait); rds.IsCode(err, rds.CodeJobNotFound) && time.Now().Before(deadline); {
		// A job a few seconds old may not be queryable yet (the API answers "does not exist").
		if rds.Sleep(ctx, 2*time.Second) != nil {
			break
		}
		job, err = r.data.client.GetJob(ctx, jobID)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot Import the Restore",
			fmt.Sprintf("Reading job %q failed: %s\n\nImport takes the restore's job id; the API keeps jobs for about a month. %s", jobID, err, listHint))
		return
	}
	if job.Name != "" && !restore.IsRestoreName(job.Name) {
		resp.Diagnostics.AddError("Job Is Not a Restore",
			fmt.Sprintf("Job %s is %q on instance %s, not a restore. Import takes the job id of a restore onto the "+
				"resource's target_instance_id.", job.ID, job.Name, job.Instance.ID))
		return
	}
	m := importedModel(ctx, r.data, job)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`"1"`))...)
	if !strings.EqualFold(job.Status, rds.JobCompleted) {
		// Running or failed: the next apply reports the outcome (a failure as an error).
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUnsettled, []byte(strconv.Quote(job.ID)))...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), job.ID)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, job.ID)...)
}

// timeoutsNull is an absent timeouts block (the import does not know one).
func timeoutsNull() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})}
}

package provider

// How a restore whose apply stopped before its job ended is finished by a later apply, without a
// second restore (the guarantees guide, "Exactly once through the lifecycle", says the same for
// users):
//
//   - Create marks such a restore "unsettled" in its private state (privateUnsettled) and saves
//     status "Running". A timeout also fails the apply, so the CLI taints the object; a Ctrl-C is
//     a warning and leaves it untainted.
//   - Read never records the end of an unsettled job: the state keeps "Running" until an apply
//     reports the outcome, so that a failure always reaches an apply's exit code. Read only
//     warns, and remembers the restore in this process (earlierRestores) for the plan.
//   - Untainted (Ctrl-C, `untaint`, an import of a running or failed job): ModifyPlan plans an
//     in-place update naming the job, and Update waits for it and reports its outcome (a failed
//     job is an error). A Failed restore whose failure was reported plans a replacement: the next
//     apply restores again, as for a tainted one.
//   - Tainted (timeout): the CLI plans a replacement, whose plan gets neither the prior state nor
//     the private state. The plan walk's Read, and the apply walk's Delete (which runs before the
//     replacement's Create), leave the earlier restore in earlierRestores; the replacement's plan
//     then takes that job over (job_id planned as the earlier job), and Create waits for it
//     instead of submitting. Under create_before_destroy the apply walk plans the replacement
//     before Delete has run: the job cannot be handed over, the planned job_id no longer
//     matches, and the CLI stops the apply before anything is submitted.
//   - Arguments or triggers changed while the earlier job runs: the new restore's Create waits
//     for the earlier job first, reports its outcome, and then submits once (nothing when the
//     earlier job failed: that apply fails, and the next one restores).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// earlierRestores holds, within one provider process, the restores of this resource whose
// outcome no apply has reported yet, as Read and Delete saw them, by restoreKey: status "Running"
// with its job id, or a restore the API took whose job id no task list named and whose end its
// apply did not see (pendingUnknown).
type earlierRestores struct {
	mu    sync.Mutex
	byKey map[string]restoreModel
	// handed: the keys whose restore Delete put, the first half of a replacement in the apply
	// walk (Read puts them while planning).
	handed map[string]bool
}

// pendingUnknown says whether m is a restore the API took (the target showed it) whose job id is
// unknown and whose end was not seen (its apply timed out): it cannot be taken over, and the same
// restore is not submitted again while the state holds it.
func pendingUnknown(m restoreModel) bool {
	return m.Status.ValueString() == statusUnknown && m.JobID.ValueString() == "" && m.CompletedAt.ValueString() == ""
}

// put remembers an unsettled restore (its state as Read or Delete got it).
func (e *earlierRestores) put(ctx context.Context, m restoreModel) {
	if (m.Status.ValueString() != statusRunning || m.JobID.ValueString() == "") && !pendingUnknown(m) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.byKey == nil {
		e.byKey = map[string]restoreModel{}
	}
	e.byKey[restoreKey(ctx, m.restoreArgs, m.Triggers)] = m
}

// handOver is put for Delete: the object leaves the state, and the Create that follows decides
// what becomes of it (takes its job over, or keeps it: pendingUnknown).
func (e *earlierRestores) handOver(ctx context.Context, m restoreModel) {
	e.put(ctx, m)
	key := restoreKey(ctx, m.restoreArgs, m.Triggers)
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.byKey[key]; ok { // put keeps only what is unsettled
		if e.handed == nil {
			e.handed = map[string]bool{}
		}
		e.handed[key] = true
	}
}

// handedOver says whether Delete handed the restore of key over (see handOver).
func (e *earlierRestores) handedOver(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.handed[key]
}

// same returns the unsettled restore that asks for exactly this restore: the one a replacement
// takes over instead of submitting.
func (e *earlierRestores) same(key string) (restoreModel, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.byKey[key]
	return m, ok
}

// take is same, and forgets the restore: one Create takes a job over.
func (e *earlierRestores) take(key string) (restoreModel, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.byKey[key]
	delete(e.byKey, key)
	delete(e.handed, key)
	return m, ok
}

// onTarget returns an unsettled restore of the same target that asks for another restore (other
// arguments or triggers): the new restore waits for its job first. One without a job id has
// none to wait for: the new restore waits for the target instead (as for any restore running).
func (e *earlierRestores) onTarget(target, exceptKey string) (restoreModel, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, m := range e.byKey {
		if k != exceptKey && m.JobID.ValueString() != "" && strings.EqualFold(m.TargetInstanceID.ValueString(), target) {
			return m, true
		}
	}
	return restoreModel{}, false
}

// forget drops a restore once an apply took it over.
func (e *earlierRestores) forget(jobID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, m := range e.byKey {
		if jobID != "" && m.JobID.ValueString() == jobID {
			delete(e.byKey, k)
		}
	}
}

// refuseUnknownAgain reports that the restore this configuration asks for is the one an earlier
// apply of this resource left with an unknown job and an unseen end (pendingUnknown): running it
// again could restore the target twice.
func refuseUnknownAgain(diags *diag.Diagnostics, old restoreModel) {
	diags.AddError("Earlier Restore's Outcome Unknown",
		fmt.Sprintf("An earlier apply of this resource submitted this same restore onto %s at %s. Its reply was lost, "+
			"the target showed that the API took it (it went RESTORING), no task list names its job, and that apply "+
			"stopped before the target was ACTIVE again: the state keeps it with status \"Unknown\". Restoring "+
			"again now could run it twice, so nothing was submitted.\n\nOnce the target is ACTIVE again, check its "+
			"data. To restore again on purpose, change `triggers`, or run the CLI's `state rm` on the resource, then "+
			"apply. To keep that restore as this resource's, run `untaint` on it if it is tainted (an apply that "+
			"stopped before the target was ACTIVE leaves it so).",
			old.TargetInstanceID.ValueString(), old.SubmittedAt.ValueString()))
}

// planTakeover plans the replacement of a tainted restore as the takeover of its job (old is the
// earlier object, as Read or Delete saw it): the job id and what the earlier plan recorded stay,
// the outcome is known after apply, and nothing is checked or submitted.
func planTakeover(ctx context.Context, resp *resource.ModifyPlanResponse, old restoreModel) {
	jobID := old.JobID.ValueString()
	for name, v := range map[string]attr.Value{
		"id": old.JobID, "job_id": old.JobID, "submitted_at": old.SubmittedAt,
		"status": types.StringUnknown(), "fail_reason": types.StringUnknown(), "completed_at": types.StringUnknown(),
		"engine": old.Engine, "source_engine_version": old.SourceEngineVersion, "target_engine_version": old.TargetEngineVersion,
		"restored_to": old.RestoredTo, "created_databases": nullIfNoType(old.CreatedDatabases),
		"dropped_databases": nullIfNoType(old.DroppedDatabases),
	} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), v)...)
	}
	resp.Diagnostics.AddWarning("Earlier Restore Job Taken Over",
		fmt.Sprintf("Restore job %s onto %s, submitted by an earlier apply of this resource that stopped before the job "+
			"ended, has no recorded outcome. This replacement takes job %s over: the apply waits for it if it still "+
			"runs and records its outcome (a failed job fails the apply). Nothing is submitted. Under "+
			"create_before_destroy the apply cannot be handed the job and stops before submitting anything: run the "+
			"CLI's `untaint` on this resource before applying (or, once such an apply has stopped, `state rm` it and "+
			"`import` it with job id %s): the apply then takes the job over in place.", jobID, old.TargetInstanceID.ValueString(), jobID, jobID))
}

// planAfter plans what follows a restore already in the state, when nothing new is asked for:
// the takeover of a job whose outcome no apply reported (an in-place update), a new restore after
// a failed one (a replacement), and, after an import, the configuration's check against the job
// and the evidence the job does not carry.
func (r *restoreResource) planAfter(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan, state restoreModel) {
	imported := false
	if v, _ := req.Private.GetKey(ctx, privateImported); string(v) == `"1"` {
		if !r.planImported(ctx, resp, plan, state) {
			return
		}
		imported = true
	}
	if imported || unsettled(ctx, req.Private, state) {
		// The update records an outcome or the evidence the import lacked: the objectives
		// derived from them are known after it.
		for _, name := range []string{"recovery_point_age_seconds", "recovery_time_seconds"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.Int64Unknown())...)
		}
	}
	jobID, target := state.JobID.ValueString(), state.TargetInstanceID.ValueString()
	switch {
	case replacing(ctx, req):
		if jobID != "" {
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKnownJob, []byte(strconv.Quote(jobID)))...)
		}
		if unsettled(ctx, req.Private, state) && state.Status.ValueString() == statusRunning {
			resp.Diagnostics.AddWarning("New Restore Waits for the Earlier One",
				fmt.Sprintf("Restore job %s onto %s, submitted by an earlier apply of this resource, has no recorded outcome "+
					"yet. The apply waits for it and reports its outcome first, then submits the new restore once "+
					"(nothing, and an error, if job %s failed).", jobID, target, jobID))
		}
	case unsettled(ctx, req.Private, state):
		for _, name := range []string{"status", "fail_reason", "completed_at"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
		resp.Diagnostics.AddWarning("Restore Job Taken Over",
			fmt.Sprintf("Restore job %s onto %s has no recorded outcome: its apply stopped before the job ended, or it "+
				"was imported or untainted. This apply takes job %s over in place: it waits for the job if it still "+
				"runs and records its outcome (a failed job fails the apply). Nothing is submitted.", jobID, target, jobID))
	case state.Status.ValueString() == statusFailed:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
		resp.Diagnostics.AddWarning("Failed Restore Runs Again",
			fmt.Sprintf("Restore job %s onto %s failed (%s). This apply runs the restore again.",
				jobID, target, pick(state.FailReason.ValueString(), "the API gave no fail_reason")))
	}
}

// planImported checks, after an import, that the configuration restores onto the job's target,
// and fills in the evidence the job does not carry (engine, versions, restored_to) from the
// instances and the backup, so that a drill's evidence plans after an import. It returns false
// when it reported an error.
func (r *restoreResource) planImported(ctx context.Context, resp *resource.ModifyPlanResponse, plan, state restoreModel) bool {
	target := state.TargetInstanceID.ValueString()
	if isKnownValue(plan.TargetInstanceID) && !strings.EqualFold(plan.TargetInstanceID.ValueString(), target) {
		resp.Diagnostics.AddAttributeError(path.Root("target_instance_id"), "Imported Restore Is Onto Another Instance",
			fmt.Sprintf("The imported restore job %s restored onto %q, but target_instance_id is %q. Import the job of a "+
				"restore onto %q, or set target_instance_id to %q.", state.JobID.ValueString(), target,
				plan.TargetInstanceID.ValueString(), plan.TargetInstanceID.ValueString(), target))
		return false
	}
	if r.data == nil || !isKnownValue(plan.SourceInstanceID) {
		return true
	}
	ctx = r.data.logContext(ctx)
	set := func(name string, v string) {
		var have types.String
		resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root(name), &have)...)
		if v != "" && have.ValueString() == "" {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringValue(v))...)
		}
	}
	if src, err := r.data.lookups.Instance(ctx, plan.SourceInstanceID.ValueString()); err == nil {
		set("engine", src.Datastore.Type)
		set("source_engine_version", pick(src.Datastore.CompleteVersion, src.Datastore.Version))
	}
	if tgt, err := r.data.lookups.Instance(ctx, target); err == nil {
		set("target_engine_version", pick(tgt.Datastore.CompleteVersion, tgt.Datastore.Version))
	}
	rreq, unknown, _ := plan.rulesRequest(ctx)
	if len(unknown) == 0 {
		if ev, err := planEvidence(ctx, r.data.lookups, rreq, rules.Facts{}, nil); err == nil {
			set("restored_to", ev.RestoredTo)
		}
	}
	return true
}

// planForeign looks, before a new restore is planned, for restores onto the target that this
// resource's state does not know: one running is an error (the apply would not stack a second
// restore onto it either: restore.ForeignRestoreError), one that ended within the last hour a
// warning naming it. Known are this resource's earlier job (handed over by the first plan of a
// replacement, or left by Delete in this process) and an earlier job the new restore waits for.
// It returns false when it reported an error.
func (r *restoreResource) planForeign(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, target string) bool {
	known := r.data.deleted.jobsOn(target)
	if raw, _ := req.Private.GetKey(ctx, privateKnownJob); len(raw) > 0 {
		if id, err := strconv.Unquote(string(raw)); err == nil {
			known = append(known, id)
		}
	}
	if old, ok := r.data.earlier.onTarget(target, ""); ok {
		known = append(known, old.JobID.ValueString())
	}
	status := ""
	if in, err := r.data.lookups.Instance(ctx, target); err == nil {
		status = in.Status // the checks just read it: no read of its own
	}
	running, recent, err := r.data.runner.ForeignRestoresSeen(ctx, target, status, time.Now(), known...)
	if err != nil {
		tflog.Info(ctx, "looking for restores the state does not know", map[string]any{"error": err.Error()})
	}
	if len(running) > 0 {
		e := restore.NewForeignRestoreError(target, running[0])
		resp.Diagnostics.AddAttributeError(path.Root("target_instance_id"), "Restore Running That the State Does Not Know",
			sentenceCase(e.Error())+"\n\n"+listHint)
		return false
	}
	for _, t := range recent {
		resp.Diagnostics.AddAttributeWarning(path.Root("target_instance_id"), "Recent Restore the State Does Not Know",
			fmt.Sprintf("Restore job %s onto %s ended %s at %s, and this resource did not submit it (another resource, the "+
				"console or another pipeline did). The data on the target is now that restore's; this plan restores over it. "+
				"If this resource should record that restore instead, import it with job id %s.\n\n%s",
				t.ID, target, t.Status, stateTime(t.Ended), t.ID, listHint))
	}
	return true
}

// sentenceCase capitalizes the first letter of a message that is shown on its own.
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

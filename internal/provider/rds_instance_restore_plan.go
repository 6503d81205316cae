package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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
	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// ValidateConfig runs the static rules (S1-S11). It needs no credentials, so `terraform validate`
// catches a wrong restore before anyone has configured the provider.
func (r *restoreResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m restoreModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateArgs(ctx, m.restoreArgs, &resp.Diagnostics)
}

// validateArgs is the static half of the checks, shared with the action.
func validateArgs(ctx context.Context, args restoreArgs, diags *diag.Diagnostics) {
	req, unknown, d := args.rulesRequest(ctx)
	diags.Append(d...)
	addFindings(diags, rules.CheckStatic(req, time.Now()), unknown)
}

// restoreFacts is what the checks learnt about the instances, shown as computed attributes.
type restoreFacts struct {
	Engine, SourceVersion, TargetVersion string
}

// ModifyPlan runs the API rules (A1-A17, and S12 which needs the instance's case rule) whenever
// the ids are known, and fills in `type`, `region` and what the checks learnt (engine, versions).
// Create runs the checks again only when they could not run here (the engine is then unknown).
func (r *restoreResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// The user removes the resource (a replacement plans the new object instead).
		var state restoreModel
		if !req.State.Get(ctx, &state).HasError() {
			resp.Diagnostics.AddWarning("Restore Forgotten, Data Not Rolled Back",
				fmt.Sprintf("Destroying hwc_rds_instance_restore %s only removes it from the state. The data it restored "+
					"onto %s stays as it is: a restore cannot be undone.", state.ID.ValueString(), state.TargetInstanceID.ValueString()))
		}
		return
	}
	var plan restoreModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// `type` omitted: inferred from the arguments (also for an imported resource adopting its
	// configuration, whose state does not know the mode).
	rreq, unknown, d := plan.rulesRequest(ctx)
	resp.Diagnostics.Append(d...)
	var configType types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("type"), &configType)...)
	if configType.IsNull() {
		if t := rules.EffectiveType(rreq); t != "" && !unknown["backup_id"] && !unknown["restore_time"] {
			plan.Type = types.StringValue(t)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("type"), plan.Type)...)
		}
	}
	// What the previous restore of this resource created (from the prior state, or handed over
	// through the private state), and what is dropped before this one.
	prev, fromPlan := r.previousCreated(ctx, req, resp, plan.TargetInstanceID.ValueString())
	drop := plan.DropPreviousDatabases.ValueBool()
	dropped := []string{}
	if drop {
		dropped = prev // narrowed to what the target still has once its databases are read
	}
	if !req.State.Raw.IsNull() {
		var state restoreModel
		if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); resp.Diagnostics.HasError() {
			return
		}
		r.planAfter(ctx, req, resp, plan, state)
		// The framework hands ModifyPlan no RequiresReplace of the attributes: a replacement is
		// planned once more without the prior state, and that plan (below) is the new restore's.
		// The CLI shows only this plan's warnings, so the drop is announced here.
		if drop && len(prev) > 0 && replacing(ctx, req) {
			resp.Diagnostics.AddAttributeWarning(path.Root("drop_previous_databases"), "Previous Copies Dropped Before The Restore",
				fmt.Sprintf("drop_previous_databases is true: right before this restore is submitted, the provider drops from the "+
					"target instance %q, of the databases the previous restore of this resource created (%s), those this restore "+
					"creates again, where the target still has them. No other database is dropped. Set drop_previous_databases = false to keep them (the restore is then "+
					"refused when it would create a database of the same name).",
					plan.TargetInstanceID.ValueString(), quoteNames(prev)))
		}
		return
	}
	// While planning, the list comes from the prior state, which the apply's own last plan no
	// longer has (see previousCreated): what is dropped and created is then known after apply,
	// and the plan says which databases in a warning.
	deferred := fromPlan && len(dropped) > 0
	if deferred {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("dropped_databases"), types.ListUnknown(types.StringType))...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("created_databases"), types.ListUnknown(types.StringType))...)
	} else {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("dropped_databases"), dropped)...)
	}
	if r.data == nil {
		return // not configured (validation): the API rules run at apply time
	}
	// Planned on every path, the takeovers below included: the apply walk may take another path
	// than the plan walk (no refresh there), and a value planned known must stay known.
	if plan.Region.IsNull() || plan.Region.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), types.StringValue(r.data.client.Region()))...)
	}
	key := restoreKey(ctx, plan.restoreArgs, plan.Triggers)
	// An earlier restore of this one whose outcome is unknown (pendingUnknown) is refused while
	// planning. Handed over by Delete (the apply walk of a plan that did not read it: no refresh),
	// refusing would lose it: it is planned as the plan walk planned it, and Create keeps it.
	keepUnknown := false
	if old, ok := r.data.earlier.same(key); ok && pendingUnknown(old) {
		if !r.data.earlier.handedOver(key) {
			refuseUnknownAgain(&resp.Diagnostics, old)
			return
		}
		keepUnknown = true
	} else if ok {
		planTakeover(ctx, resp, old)
		return
	}
	if old, ok := r.data.earlier.onTarget(plan.TargetInstanceID.ValueString(), key); ok {
		resp.Diagnostics.AddWarning("New Restore Waits for the Earlier One",
			fmt.Sprintf("Restore job %s onto %s, which an earlier apply of this resource left running, has no recorded "+
				"outcome yet. The apply waits for it and reports its outcome first, then submits the new restore once "+
				"(nothing, and an error, if job %s failed).", old.JobID.ValueString(), old.TargetInstanceID.ValueString(), old.JobID.ValueString()))
	}
	planBackupFirst(ctx, resp, plan)
	if unknown["source_instance_id"] || unknown["target_instance_id"] || unknown["backup_id"] ||
		unknown["restore_time"] || unknown["database_name"] || unknown["restore_all_database"] || plan.Type.IsUnknown() {
		return // checked at apply time, with the same messages
	}
	// The checks the action runs too (region, rules, API facts): one pipeline, told what the
	// previous restore of this resource created.
	var previous *rules.PreviousRestore
	if len(prev) > 0 {
		previous = &rules.PreviousRestore{Databases: prev, Drop: drop}
	}
	lctx := r.data.logContext(ctx)
	_, facts, s, ok := r.data.checkWith(lctx, plan.restoreArgs, rules.PhasePlan, "plan again", previous, &resp.Diagnostics)
	if !ok {
		return
	}
	if !keepUnknown && !r.planForeign(lctx, req, resp, plan.TargetInstanceID.ValueString()) {
		return
	}
	ev, err := planEvidence(ctx, r.data.lookups, rreq, facts, dropped)
	if err != nil {
		resp.Diagnostics.AddError("Cannot Check the Restore Against the API",
			fmt.Sprintf("Reading the backup this restore involves failed: %s\n\nNothing was submitted. Check the provider's "+
				"credentials and endpoint, then plan again.", err))
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("restored_to"), ev.RestoredTo)...)
	if !deferred {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("created_databases"), ev.Created)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("dropped_databases"), ev.Dropped)...)
	}
	// Known engine and versions in the plan also tell Create that the checks ran here.
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("engine"), s.Engine)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("source_engine_version"), s.SourceVersion)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("target_engine_version"), s.TargetVersion)...)
}

func factsSummary(f rules.Facts) restoreFacts {
	var s restoreFacts
	if f.Source != nil {
		s.Engine = f.Source.Engine
		s.SourceVersion = pick(f.Source.CompleteVersion, f.Source.Version)
	}
	if f.Target != nil {
		s.TargetVersion = pick(f.Target.CompleteVersion, f.Target.Version)
	}
	return s
}

// Descriptions of the drill evidence and of the copy drill's re-run.
const (
	descRestoredTo = "The recovery point this restore restored to, RFC 3339 UTC: the backup's end time (backup mode), " +
		"or `restore_time` (timestamp mode). With `submitted_at` and `completed_at` it is a drill's record: the " +
		"recovery point, and how long the recovery took. Known at plan time when the backup can be read."
	descDropPreviousDatabases = "SQL Server copy drills that run again (with `triggers`): when `true`, the new restore " +
		"first drops from the target the databases the **previous restore of this resource** created (its " +
		"`created_databases`, from the prior state; never any other database) that this restore creates again (a copy " +
		"renamed since is left on the target), right before it is submitted, through " +
		"`DELETE /v3/{project_id}/instances/{instance_id}/database/{db_name}`. The plan names them in a warning, " +
		"and `dropped_databases` records them. Default `false`: a copy whose names already exist on the target is refused at plan time " +
		"(rule A14), naming the previous restore when it made them. Changing it alone runs no restore."
	descCreatedDatabases = "Databases this restore created on the target: the SQL Server databases it restored that " +
		"the target did not have before (copies under new names, or all databases of a backup). Empty for MySQL and " +
		"PostgreSQL, which restore the whole instance. `drop_previous_databases` drops these (those the next restore " +
		"creates again) before the next restore of this resource."
	descDroppedDatabases = "Databases dropped from the target right before this restore was submitted: the previous " +
		"restore's `created_databases` that the target still had and this restore creates again, when " +
		"`drop_previous_databases` is `true`. The plan " +
		"names them in a warning before anything is dropped."
)

// previousCreated returns the databases the previous restore of this resource created, and
// whether they come from Terraform's plan (known only while planning). Terraform plans a
// replacement twice: first with the prior state (whose created_databases are read, and kept in
// the private state), then, for the new restore, without it (the private state is handed over:
// the list is read back from there). When the apply plans the new restore once more, the prior
// object has been deleted, with neither state nor private state: the list is then the one Delete
// recorded in this provider process for the target, when exactly one restore of that target was
// deleted (with two, which was this resource's cannot be told, and nothing is dropped).
func (r *restoreResource) previousCreated(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, target string) (names []string, fromPlan bool) {
	if !req.State.Raw.IsNull() {
		var created types.List
		var was types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("created_databases"), &created)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("target_instance_id"), &was)...)
		var d diag.Diagnostics
		names, d = knownStrings(ctx, created)
		resp.Diagnostics.Append(d...)
		if target != "" && !strings.EqualFold(strings.TrimSpace(was.ValueString()), strings.TrimSpace(target)) {
			names = nil // it created them on another instance: nothing of it is on this target
		}
		b, err := json.Marshal(names)
		if err != nil {
			resp.Diagnostics.AddError("Cannot Plan the Restore", err.Error())
			return nil, true
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePrevious, b)...)
		return names, true
	}
	b, d := req.Private.GetKey(ctx, privatePrevious)
	resp.Diagnostics.Append(d...)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &names); err != nil {
			resp.Diagnostics.AddError("Cannot Plan the Restore", "Reading the previous restore's databases from the private state: "+err.Error())
		}
		return names, true
	}
	if r.data == nil {
		return nil, false
	}
	return r.data.deleted.only(target), false
}

// deletedRestores are the restores Delete forgot in this provider process, by target: what the
// apply's last plan of a replacement needs of the previous restore (previousCreated).
type deletedRestores struct {
	mu       sync.Mutex
	byTarget map[string][][]string
	jobs     map[string][]string // their job ids: restores this process's state knew
}

func (d *deletedRestores) add(target string, created []string, jobID string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byTarget == nil {
		d.byTarget, d.jobs = map[string][][]string{}, map[string][]string{}
	}
	key := strings.ToLower(strings.TrimSpace(target))
	d.byTarget[key] = append(d.byTarget[key], created)
	if jobID != "" {
		d.jobs[key] = append(d.jobs[key], jobID)
	}
}

// jobsOn returns the job ids of the restores of target that were deleted.
func (d *deletedRestores) jobsOn(target string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.jobs[strings.ToLower(strings.TrimSpace(target))]...)
}

// only returns what the one restore of target that was deleted created; nil when none or several
// were deleted.
func (d *deletedRestores) only(target string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if l := d.byTarget[strings.ToLower(strings.TrimSpace(target))]; len(l) == 1 {
		return l[0]
	}
	return nil
}

// rememberDeleted, in Delete, records what the forgotten restore created, for the replacement
// that may follow in the same apply (previousCreated).
func (r *restoreResource) rememberDeleted(ctx context.Context, state restoreModel) {
	if r.data == nil {
		return
	}
	created, _ := knownStrings(ctx, state.CreatedDatabases)
	r.data.deleted.add(state.TargetInstanceID.ValueString(), created, state.JobID.ValueString())
}

// evidence is what the plan (or, for ids unknown at plan time, Create) records beside the checks.
type evidence struct {
	RestoredTo string
	Created    []string
	Dropped    []string
}

// planEvidence works out restored_to, created_databases and dropped_databases from the facts the
// checks read: dropped is narrowed to the databases the target has now, and created is what the
// restore makes that the target will not have once they are dropped. Names compare without case,
// so that a database is never counted as created (and later dropped) when one of its name in
// another case was there before.
func planEvidence(ctx context.Context, c *lookup.Cache, req rules.Request, f rules.Facts, dropped []string) (evidence, error) {
	ev := evidence{Created: []string{}, Dropped: []string{}}
	switch rules.EffectiveType(req) {
	case rules.TypeTimestamp:
		if req.RestoreTime != nil {
			ev.RestoredTo = msTime(*req.RestoreTime)
		}
	case rules.TypeBackup:
		b, err := c.Backup(ctx, req.SourceInstanceID, req.BackupID)
		if err != nil {
			return ev, err
		}
		if t, ok := rds.ParseTime(b.EndTime); ok {
			ev.RestoredTo = stateTime(t)
		}
	}
	if f.Target == nil || !strings.EqualFold(f.Target.Engine, "sqlserver") {
		return ev, nil
	}
	names := restoredNames(req, f)
	drop := droppedNow(dropped, names, f.Target.Databases)
	var remaining []string
	for _, d := range f.Target.Databases {
		if drop[d] {
			ev.Dropped = append(ev.Dropped, d)
		} else {
			remaining = append(remaining, d)
		}
	}
	for _, n := range names {
		if !containsFold(remaining, n) && !containsFold(ev.Created, n) {
			ev.Created = append(ev.Created, n)
		}
	}
	return ev, nil
}

// droppedNow picks, of the databases the target has, those drop_previous_databases drops: a
// name the previous restore created (previous) that this restore creates again (names), so that
// a name it does not create is never dropped, whoever's it is (the apply's last plan learns
// previous from what this process deleted on the target, which may be another resource's); and
// only under exactly that name: SQL Server keeps the case a database was given, so a name that
// differs only in case is another database (someone's, on a case-sensitive instance).
func droppedNow(previous, names, onTarget []string) map[string]bool {
	drop := map[string]bool{}
	for _, p := range previous {
		if containsFold(names, p) && slices.Contains(onTarget, p) {
			drop[p] = true
		}
	}
	return drop
}

// restoredNames are the databases a SQL Server restore leaves on the target under the names it
// gives them: the new names of database_name ("" keeps the original name), or, restoring all,
// every database of the backup (or of the source, for a point in time).
func restoredNames(req rules.Request, f rules.Facts) []string {
	all := req.RestoreAllDatabase != nil && *req.RestoreAllDatabase
	var out []string
	if len(req.DatabaseName) > 0 {
		renames := rules.Renames(req.DatabaseName)
		for _, k := range slices.Sorted(maps.Keys(renames)) {
			if len(renames[k]) == 0 {
				out = append(out, k)
			}
			out = append(out, renames[k]...)
		}
	}
	if len(req.DatabaseName) == 0 || all {
		switch {
		case rules.EffectiveType(req) == rules.TypeBackup && f.Backup != nil:
			out = append(out, f.Backup.Databases...)
		case f.Source != nil:
			out = append(out, f.Source.Databases...)
		}
	}
	return out
}

// plannedPrevious is, at apply time, what the plan decided to drop: the checks that run then (ids
// unknown at plan time) judge the target without those databases, as the restore will find it.
func plannedPrevious(ctx context.Context, plan restoreModel) *rules.PreviousRestore {
	names, d := knownStrings(ctx, plan.DroppedDatabases)
	if d.HasError() || len(names) == 0 {
		return nil
	}
	return &rules.PreviousRestore{Databases: names, Drop: true}
}

// fillEvidence sets, in Create, what the plan could not know because the ids were unknown then.
func fillEvidence(ctx context.Context, c *lookup.Cache, plan *restoreModel, req rules.Request, f rules.Facts) diag.Diagnostics {
	dropped, diags := knownStrings(ctx, plan.DroppedDatabases)
	ev, err := planEvidence(ctx, c, req, f, dropped)
	if err != nil {
		diags.AddError("Cannot Check the Restore Against the API",
			fmt.Sprintf("Reading the backup this restore involves failed: %s\n\nNothing was submitted.", err))
		return diags
	}
	if plan.RestoredTo.IsUnknown() {
		plan.RestoredTo = types.StringValue(ev.RestoredTo)
	}
	if plan.CreatedDatabases.IsUnknown() {
		plan.CreatedDatabases, _ = types.ListValueFrom(ctx, types.StringType, ev.Created)
	}
	if plan.DroppedDatabases.IsUnknown() {
		plan.DroppedDatabases, _ = types.ListValueFrom(ctx, types.StringType, ev.Dropped)
	}
	return diags
}

// dropPrevious is the restore's BeforeSubmit step: it drops the databases the plan lists in
// dropped_databases (the previous restore's, never others), right before the submission.
func (r *restoreResource) dropPrevious(ctx context.Context, plan restoreModel) func(context.Context) error {
	names, _ := knownStrings(ctx, plan.DroppedDatabases)
	target := plan.TargetInstanceID.ValueString()
	return func(runCtx context.Context) error {
		if len(names) == 0 {
			return nil
		}
		tflog.Info(r.data.logContext(ctx), "dropping the databases the previous restore created", map[string]any{"target_instance_id": target, "databases": names})
		err := restore.DropDatabases(runCtx, r.data.client, target, names, 0)
		r.data.lookups.Forget(target)
		return err
	}
}

// keepEvidence, in Update (nothing restored), keeps what the state recorded of the restore.
func keepEvidence(plan *restoreModel, state restoreModel) {
	plan.RestoredTo = pickKnown(plan.RestoredTo, state.RestoredTo)
	if plan.CreatedDatabases.IsUnknown() {
		plan.CreatedDatabases = nullIfNoType(state.CreatedDatabases)
	}
	if plan.DroppedDatabases.IsUnknown() {
		plan.DroppedDatabases = nullIfNoType(state.DroppedDatabases)
	}
	plan.TargetBackupID = pickKnown(plan.TargetBackupID, state.TargetBackupID)
}

func nullIfNoType(l types.List) types.List {
	if l.ElementType(context.Background()) == nil {
		return types.ListNull(types.StringType)
	}
	return l
}

// nullEvidence is what an import knows of the evidence: nothing (the job does not say).
func nullEvidence() restoreEvidence {
	return restoreEvidence{
		DropPreviousDatabases: types.BoolNull(), RestoredTo: types.StringNull(),
		CreatedDatabases: types.ListNull(types.StringType), DroppedDatabases: types.ListNull(types.StringType),
	}
}

// replaceAttributes are the arguments whose change runs a new restore (replace_modifiers.go).
var replaceAttributes = []string{"source_instance_id", "target_instance_id", "type", "backup_id", "restore_time",
	"database_name", "restore_all_database", "region", "triggers"}

// replacing says, on the plan that sees the prior state, whether a new restore replaces it: an
// argument that forces one differs from the state (or is unknown), and the resource is not an
// imported one adopting its configuration.
func replacing(ctx context.Context, req resource.ModifyPlanRequest) bool {
	if v, _ := req.Private.GetKey(ctx, privateImported); string(v) == `"1"` {
		return false
	}
	for _, name := range replaceAttributes {
		var planned, prior, config attr.Value
		if req.Plan.GetAttribute(ctx, path.Root(name), &planned).HasError() || req.State.GetAttribute(ctx, path.Root(name), &prior).HasError() ||
			req.Config.GetAttribute(ctx, path.Root(name), &config).HasError() {
			return true
		}
		if planned.IsUnknown() && config.IsNull() && !prior.IsNull() {
			continue // omitted, the provider fills in what it did before (replaceComputedString)
		}
		if planned.IsUnknown() || !sameRestoreValue(planned, prior) {
			return true
		}
	}
	return false
}

// sameRestoreValue compares two values of an argument as the replace modifiers do: a null map and
// an empty one, a null bool and false, ask for the same restore (replace_modifiers.go).
func sameRestoreValue(a, b attr.Value) bool {
	if a.Equal(b) {
		return true
	}
	switch a := a.(type) {
	case types.Map:
		bm, ok := b.(types.Map)
		return ok && emptyMap(a) && emptyMap(bm)
	case types.Bool:
		bb, ok := b.(types.Bool)
		return ok && falseOrNull(a) && falseOrNull(bb)
	}
	return false
}

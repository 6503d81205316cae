package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
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
		return // destroy: nothing to check
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
	if !req.State.Raw.IsNull() && len(resp.RequiresReplace) == 0 {
		return // an existing restore that stays: nothing will be submitted
	}
	if r.data == nil {
		return // not configured (validation): the API rules run at apply time
	}
	region := r.data.client.Region()
	if plan.Region.IsNull() || plan.Region.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("region"), types.StringValue(region))...)
	} else if !rules.SameID(plan.Region.ValueString(), region) {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Region Differs From the Provider's",
			fmt.Sprintf("region is %q but this provider works in %q. Both instances must be in one region (a restore "+
				"cannot cross regions); to restore in %q, use a provider block (alias) configured for that region."+
				"\n\n(Rule A8 of the documented restore constraints.)",
				plan.Region.ValueString(), region, plan.Region.ValueString()))
		return
	}
	if unknown["source_instance_id"] || unknown["target_instance_id"] || unknown["backup_id"] ||
		unknown["restore_time"] || unknown["database_name"] || unknown["restore_all_database"] {
		return // checked at apply time, with the same messages
	}

	ctx = r.data.logContext(ctx)
	facts, err := restore.GatherFacts(ctx, r.data.lookups, region, rreq, rules.PhasePlan, time.Now())
	if err != nil {
		resp.Diagnostics.AddError("Cannot Check the Restore Against the API",
			fmt.Sprintf("Reading the instances and backups this restore involves failed: %s\n\nNothing was submitted. "+
				"Check the provider's credentials and endpoint, then plan again.", err))
		return
	}
	addFindings(&resp.Diagnostics, rules.CheckAPI(rreq, facts), nil)
	if resp.Diagnostics.HasError() {
		return
	}
	// Known engine and versions in the plan also tell Create that the checks ran here.
	s := factsSummary(facts)
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

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

var (
	_ list.ListResource                   = (*restoreList)(nil)
	_ list.ListResourceWithConfigure      = (*restoreList)(nil)
	_ list.ListResourceWithValidateConfig = (*restoreList)(nil)
)

// restoreList is the list resource of hwc_rds_instance_restore: the restores of the task list
// (restore.PastRestores), for `terraform query` (Terraform 1.14+). Each result's identity is
// the job id; with include_resource it carries the state an import of that job writes
// (importedModel), so `terraform query -generate-config-out=FILE` writes import blocks for
// past restores.
type restoreList struct {
	resourceBase
}

func newRestoreList() list.ListResource { return &restoreList{} }

// restoreListModel is the list block's config.
type restoreListModel struct {
	TargetInstanceID types.String `tfsdk:"target_instance_id"`
	Status           types.String `tfsdk:"status"`
	StartTime        types.String `tfsdk:"start_time"`
	EndTime          types.String `tfsdk:"end_time"`
}

// listStatuses are the task list's statuses, which the status filter takes.
var listStatuses = []string{statusRunning, statusCompleted, statusFailed}

func (l *restoreList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_instance_restore"
}

func (l *restoreList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists past restores from the API's task list (`GET /v3/{project_id}/tasklist`), newest " +
			"first: restores this configuration made, restores of a killed apply, and restores made in the console " +
			"or by another pipeline. The API keeps tasks for about a month. Each result's identity is the restore's " +
			"job id; with `include_resource = true` each result is the resource as `import` would write it.",
		Attributes: map[string]schema.Attribute{
			"target_instance_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only restores onto this DB instance (the task list's `instance_id`).",
			},
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only restores with this status: `Running`, `Completed` or `Failed`.",
			},
			"start_time": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only restores submitted at or after this time (RFC 3339, e.g. " +
					"`2026-11-20T00:00:00Z`). Omitted: no lower bound. For a window that ends now, write e.g. " +
					"`timeadd(plantimestamp(), \"-168h\")` (the last seven days).",
			},
			"end_time": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only restores submitted at or before this time (RFC 3339). Omitted: up to now.",
			},
		},
	}
}

func (l *restoreList) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	cfg, d := listConfig(ctx, req.Config)
	if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
		return
	}
	_, d = cfg.filter()
	resp.Diagnostics.Append(d...)
}

// listConfig reads the list block's config; a list block without a config block selects
// everything.
func listConfig(ctx context.Context, config tfsdk.Config) (restoreListModel, diag.Diagnostics) {
	var cfg restoreListModel
	if config.Raw.IsNull() {
		return cfg, nil
	}
	diags := config.Get(ctx, &cfg)
	return cfg, diags
}

// filter checks the config and turns it into the task list's filter; unknown values (not yet
// known at validation) select everything.
func (c restoreListModel) filter() (restore.HistoryFilter, diag.Diagnostics) {
	var f restore.HistoryFilter
	var diags diag.Diagnostics
	f.Target = c.TargetInstanceID.ValueString()
	if s := c.Status.ValueString(); s != "" {
		for _, want := range listStatuses {
			if strings.EqualFold(s, want) {
				f.Status = want
			}
		}
		if f.Status == "" {
			diags.AddAttributeError(path.Root("status"), "Invalid Status Filter",
				fmt.Sprintf("status = %q is not a status of the task list. Use one of %s, or leave status out for every restore.",
					s, strings.Join(listStatuses, ", ")))
		}
	}
	parse := func(name string, v types.String) time.Time {
		if v.ValueString() == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, v.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Invalid Time",
				fmt.Sprintf("%s = %q is not an RFC 3339 time. Write it like \"2026-11-20T00:00:00Z\" or "+
					"\"2026-11-20T08:00:00+08:00\".", name, v.ValueString()))
		}
		return t
	}
	f.From = parse("start_time", c.StartTime)
	f.To = parse("end_time", c.EndTime)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		diags.AddAttributeError(path.Root("end_time"), "Invalid Time Range",
			fmt.Sprintf("end_time = %q is before start_time = %q: no restore can match. Swap them, or leave one out.",
				c.EndTime.ValueString(), c.StartTime.ValueString()))
	}
	return f, diags
}

func (l *restoreList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, diags := listConfig(ctx, req.Config)
	if !diags.HasError() {
		requireConfigured(l.data, &diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	f, d := cfg.filter()
	if d.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(d)
		return
	}
	ctx = l.data.logContext(ctx)
	restores, err := restore.APITasks{Client: l.data.client}.PastRestores(ctx, f)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(listErrorDiagnostics(err))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, p := range restores {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, p)) {
				return
			}
		}
	}
}

// result is one past restore as a list result.
func (l *restoreList) result(ctx context.Context, req list.ListRequest, p restore.PastRestore) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = restoreDisplayName(p)
	res.Diagnostics.Append(setIdentity(ctx, res.Identity, p.JobID)...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, importedModel(ctx, l.data, p.Job()))...)
	}
	return res
}

// restoreDisplayName is how `terraform query` names a past restore.
func restoreDisplayName(p restore.PastRestore) string {
	created := "submitted at an unknown time"
	if !p.Created.IsZero() {
		created = stateTime(p.Created)
	}
	return fmt.Sprintf("restore %s onto %s (%s, %s)", p.JobID, p.Target, p.Status, created)
}

// listErrorDiagnostics says why the task list cannot list past restores, and what to use
// instead.
func listErrorDiagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	instead := "Find the restore in the RDS console (its task list, or the target instance's events), then " +
		"import it by its job id: an import block with `identity = { job_id = \"JOB_ID\" }` (Terraform 1.12+, OpenTofu 1.12) " +
		"or `id = \"JOB_ID\"`, or `terraform import hwc_rds_instance_restore.NAME JOB_ID`."
	switch {
	case errors.Is(err, restore.ErrNoTaskList):
		diags.AddError("Task List Not Available",
			"This cloud answers the task list (GET /v3/{project_id}/tasklist) with 404 APIGW.0101: it has no task list, "+
				"so past restores cannot be listed here.\n\n"+instead)
	case errors.Is(err, restore.ErrSilentTaskList):
		diags.AddError("Task List Shows No Restores",
			"The task list (GET /v3/{project_id}/tasklist) answers, but shows no restore at all on this account, with "+
				"or without the list block's filters. Either no restore ran in the time the API keeps tasks (about a "+
				"month), or this cloud's task list does not show restores, so past restores cannot be listed here.\n\n"+instead)
	default:
		diags.AddError("Cannot List Past Restores",
			fmt.Sprintf("Reading the task list (GET /v3/{project_id}/tasklist) failed: %s\n\nRun the query again; "+
				"if it keeps failing: %s", err, instead))
	}
	return diags
}

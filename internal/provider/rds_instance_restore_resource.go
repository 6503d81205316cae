package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource                   = (*restoreResource)(nil)
	_ resource.ResourceWithConfigure      = (*restoreResource)(nil)
	_ resource.ResourceWithValidateConfig = (*restoreResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*restoreResource)(nil)
	_ resource.ResourceWithImportState    = (*restoreResource)(nil)
)

const defaultCreateTimeout = 60 * time.Minute

// Keys of the resource's private state.
const (
	privateImported = "imported" // set by import: arguments adopt the configuration without a new restore
	// privatePrevious carries the previous restore's created_databases from the first plan of a
	// replacement (which sees the prior state) to the second (which plans the new restore).
	privatePrevious = "previous"
	// privateUnsettled marks a restore whose apply stopped (deadline, outage) after the API took
	// it and before its job ended; its value is the job id. Delete hands such a job to the Create
	// of the replacement, which takes it over instead of submitting (see restoreResource.Delete).
	privateUnsettled = "unsettled"
	// privateKnownJob carries the prior restore's job id from the first plan of a replacement to
	// the second (which has no prior state): that job is this resource's own, never a restore
	// the state does not know (planForeign).
	privateKnownJob = "known_job"
)

// restoreResource is hwc_rds_instance_restore: one restore per create, never repeated by itself.
type restoreResource struct {
	resourceBase
}

func newRestoreResource() resource.Resource { return &restoreResource{} }

type restoreModel struct {
	restoreArgs
	ID                  types.String   `tfsdk:"id"`
	JobID               types.String   `tfsdk:"job_id"`
	Triggers            types.Map      `tfsdk:"triggers"`
	Status              types.String   `tfsdk:"status"`
	FailReason          types.String   `tfsdk:"fail_reason"`
	SubmittedAt         types.String   `tfsdk:"submitted_at"`
	CompletedAt         types.String   `tfsdk:"completed_at"`
	Engine              types.String   `tfsdk:"engine"`
	SourceEngineVersion types.String   `tfsdk:"source_engine_version"`
	TargetEngineVersion types.String   `tfsdk:"target_engine_version"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
	restoreEvidence
	restoreObjectives
}

// restoreEvidence is what a drill needs on record beside submitted_at and completed_at, and the
// re-run of a copy drill (rds_instance_restore_plan.go fills it in).
type restoreEvidence struct {
	DropPreviousDatabases types.Bool   `tfsdk:"drop_previous_databases"`
	RestoredTo            types.String `tfsdk:"restored_to"`
	CreatedDatabases      types.List   `tfsdk:"created_databases"`
	DroppedDatabases      types.List   `tfsdk:"dropped_databases"`
	// TargetBackupID is the backup of the target taken before this restore
	// (backup_target_first): the undo.
	TargetBackupID types.String `tfsdk:"target_backup_id"`
}

// Status values of the resource.
const (
	statusRunning   = "Running"
	statusCompleted = "Completed"
	statusFailed    = "Failed"
	statusUnknown   = "Unknown"
)

func (r *restoreResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_instance_restore"
}

func (r *restoreResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc, PlanModifiers: keep}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores an RDS backup, or a point in time, onto an **existing** DB instance " +
			"(`POST /v3.1/{project_id}/instances/recovery`) and waits for the job. Every documented rule is " +
			"checked at plan time. Creating the resource runs one restore; changing any argument (or `triggers`) " +
			"runs a new one; destroying it only forgets it.",
		Attributes: map[string]schema.Attribute{
			"id":     computed("ID of the restore job (same as `job_id`)."),
			"job_id": computed("ID of the restore job."),
			"source_instance_id": schema.StringAttribute{
				Required: true, MarkdownDescription: descSourceInstanceID,
				PlanModifiers: []planmodifier.String{replaceString()},
			},
			"target_instance_id": schema.StringAttribute{
				Required: true, MarkdownDescription: descTargetInstanceID,
				PlanModifiers: []planmodifier.String{replaceString()},
			},
			"type": schema.StringAttribute{
				Optional: true, Computed: true, MarkdownDescription: descType,
				PlanModifiers: []planmodifier.String{replaceComputedString()},
			},
			"backup_id": schema.StringAttribute{
				Optional: true, MarkdownDescription: descBackupID,
				PlanModifiers: []planmodifier.String{replaceString()},
			},
			"restore_time": schema.Int64Attribute{
				Optional: true, MarkdownDescription: descRestoreTime,
				PlanModifiers: []planmodifier.Int64{replaceInt64()},
			},
			"database_name": schema.MapAttribute{
				Optional: true, ElementType: types.StringType, MarkdownDescription: descDatabaseName,
				PlanModifiers: []planmodifier.Map{replaceMap()},
			},
			"restore_all_database": schema.BoolAttribute{
				Optional: true, MarkdownDescription: descRestoreAllDatabase,
				PlanModifiers: []planmodifier.Bool{replaceBool()},
			},
			"region": schema.StringAttribute{
				Optional: true, Computed: true, MarkdownDescription: descRegion,
				// Omitted, it is the provider's region, which the state already holds: keeping it
				// known stops an imported resource from planning a new restore over it.
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), replaceComputedString()},
			},
			"triggers": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Arbitrary values that, when changed, run the restore again. This is how a " +
					"recurring drill is written: e.g. `triggers = { backup = data.hwc_rds_backups.prod.latest_completed.id }` " +
					"restores each new backup once.",
				PlanModifiers: []planmodifier.Map{replaceMap()},
			},
			"status": computed("Status of the restore job: `Running`, `Completed` or `Failed`; `Unknown` when the " +
				"submission's reply was lost but the target showed it was taken (the job id is then unknown). " +
				"Refreshed while `Running`."),
			"fail_reason":  computed("Why the job failed, as the API reports it (`fail_reason`)."),
			"submitted_at": computed("When the API accepted the restore (RFC 3339)."),
			"completed_at": computed("When the job ended (RFC 3339)."),
			"engine":       computed("DB engine restored: `MySQL`, `PostgreSQL` or `SQLServer`."),
			"source_engine_version": computed("Engine version of the source, i.e. the version whose data was restored " +
				"(`complete_version` where the API gives it)."),
			"target_engine_version": computed("Engine version of the target (`complete_version` where the API gives it)."),
			"restored_to":           computed(descRestoredTo),
			"recovery_point_age_seconds": schema.Int64Attribute{
				Computed: true, MarkdownDescription: descRecoveryPointAgeSeconds,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"recovery_time_seconds": schema.Int64Attribute{
				Computed: true, MarkdownDescription: descRecoveryTimeSeconds,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"drop_previous_databases": schema.BoolAttribute{
				Optional: true, MarkdownDescription: descDropPreviousDatabases,
			},
			"backup_target_first": schema.BoolAttribute{
				Optional: true, MarkdownDescription: descBackupTargetFirst + " Changing it alone runs no restore.",
			},
			"target_backup_id": computed(descTargetBackupID),
			"created_databases": schema.ListAttribute{
				Computed: true, ElementType: types.StringType, MarkdownDescription: descCreatedDatabases,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"dropped_databases": schema.ListAttribute{
				Computed: true, ElementType: types.StringType, MarkdownDescription: descDroppedDatabases,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true,
				CreateDescription: "One deadline over the whole create: waiting for a busy target, the job, and the " +
					"target to be `ACTIVE` again. Default `60m`.",
			}),
		},
	}
}

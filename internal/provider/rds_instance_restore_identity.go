package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// The resource identity of hwc_rds_instance_restore (Terraform 1.12+), which import blocks
// (identity { job_id = ... }) and the list resource (rds_instance_restore_list.go) use.
//
// The identity is the restore's job id, which is also the resource's id. A restore whose job id
// never arrived (status "Unknown", id "unconfirmed-<target>-<millis>") has no job id to give, but
// an identity must be set and must never change: its identity is its resource id, for good,
// even when a later refresh finds its job in the task list (the job id then shows in the
// job_id attribute only). Such an identity cannot be imported: importJobID says so.

var _ resource.ResourceWithIdentity = (*restoreResource)(nil)

// restoreIdentity is the identity's data.
type restoreIdentity struct {
	JobID types.String `tfsdk:"job_id"`
}

// unconfirmedPrefix starts the id of a restore whose job id is unknown (recordOutcome writes it).
const unconfirmedPrefix = "unconfirmed-"

// listHint tells a user how to find a restore the state does not know. Messages that name such
// a restore end with it.
const listHint = "To find a restore's job id, list past restores with `terraform query` and a " +
	"`list \"hwc_rds_instance_restore\"` block (Terraform 1.14+), then import it by its job id."

func (r *restoreResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"job_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description: "ID of the restore job (the resource's `id`). A restore whose job id was never known " +
					"(status `Unknown`) has its resource id here instead.",
			},
		},
	}
}

// setIdentity records the identity of the restore whose resource id is id. Everything that
// writes the resource's state calls it with the state's id.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil || id == "" {
		return nil
	}
	return identity.Set(ctx, restoreIdentity{JobID: types.StringValue(id)})
}

// importJobID is the job id an import names: the import id (`terraform import`, or an import
// block's id) or the identity's job_id (an import block's identity, or a result of
// `terraform query`).
func importJobID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	id := req.ID
	var diags diag.Diagnostics
	if id == "" && req.Identity != nil {
		var v types.String
		diags.Append(req.Identity.GetAttribute(ctx, path.Root("job_id"), &v)...)
		id = v.ValueString()
	}
	switch {
	case diags.HasError():
	case id == "":
		diags.AddError("Cannot Import the Restore", "Import takes the restore's job id, as the import id or as "+
			"identity { job_id = \"...\" }; neither was given.\n\n"+listHint)
	case strings.HasPrefix(id, unconfirmedPrefix):
		diags.AddError("Cannot Import the Restore",
			fmt.Sprintf("%q is the id of a restore whose job id was never known, not a job id: there is no job to "+
				"read by it.\n\n%s", id, listHint))
	}
	return id, diags
}

// importedModel is the state an import of job writes. The list resource's results carry the
// same state (include_resource), so `terraform query -generate-config-out` writes what an
// import would; keep the two on this one function. What the job does not say is "" (not null,
// so that a drill's evidence output still evaluates right after the import) until the next plan
// fills it in from the configuration; the target's engine and version come from the instance.
func importedModel(ctx context.Context, data *providerData, job *rds.Job) restoreModel {
	m := restoreModel{
		ID: types.StringValue(job.ID), JobID: types.StringValue(job.ID), SubmittedAt: types.StringValue(""),
		CompletedAt: types.StringValue(""), Engine: types.StringValue(""), SourceEngineVersion: types.StringValue(""),
		TargetEngineVersion: types.StringValue(""),
	}
	m.TargetInstanceID = types.StringValue(job.Instance.ID)
	m.SourceInstanceID = types.StringNull()
	m.Type = types.StringNull()
	m.BackupID = types.StringNull()
	m.RestoreTime = types.Int64Null()
	m.RestoreAllDatabase = types.BoolNull()
	m.Region = types.StringValue(data.client.Region())
	m.DatabaseName = types.MapNull(types.StringType)
	m.Triggers = types.MapNull(types.StringType)
	m.Timeouts = timeoutsNull()
	m.restoreEvidence = nullEvidence()
	m.RestoredTo = types.StringValue("")
	m.BackupTargetFirst = types.BoolNull()
	if in, err := data.lookups.Instance(ctx, job.Instance.ID); err == nil {
		m.Engine = types.StringValue(in.Datastore.Type)
		m.TargetEngineVersion = types.StringValue(pick(in.Datastore.CompleteVersion, in.Datastore.Version))
	}
	applyJob(&m, job)
	return m
}

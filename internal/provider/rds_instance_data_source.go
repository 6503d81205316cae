package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

var (
	_ datasource.DataSource              = (*rdsInstanceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*rdsInstanceDataSource)(nil)
)

type rdsInstanceDataSource struct {
	dataSourceBase
}

func newRDSInstanceDataSource() datasource.DataSource { return &rdsInstanceDataSource{} }

// rdsInstanceModel is one instance as data sources show it.
type rdsInstanceModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Status          types.String `tfsdk:"status"`
	Type            types.String `tfsdk:"type"`
	Region          types.String `tfsdk:"region"`
	Engine          types.String `tfsdk:"engine"`
	EngineVersion   types.String `tfsdk:"engine_version"`
	CompleteVersion types.String `tfsdk:"complete_version"`
	TimeZone        types.String `tfsdk:"time_zone"`
	VolumeType      types.String `tfsdk:"volume_type"`
	VolumeSize      types.Int64  `tfsdk:"volume_size"`
	Tags            types.Map    `tfsdk:"tags"`
}

func instanceModel(in *rds.Instance) rdsInstanceModel {
	return rdsInstanceModel{
		ID:              types.StringValue(in.ID),
		Name:            types.StringValue(in.Name),
		Status:          types.StringValue(in.Status),
		Type:            types.StringValue(in.Type),
		Region:          types.StringValue(in.Region),
		Engine:          types.StringValue(in.Datastore.Type),
		EngineVersion:   types.StringValue(in.Datastore.Version),
		CompleteVersion: types.StringValue(in.Datastore.CompleteVersion),
		TimeZone:        types.StringValue(in.TimeZone),
		VolumeType:      types.StringValue(in.Volume.Type),
		VolumeSize:      types.Int64Value(int64(in.Volume.Size)),
		Tags:            tagsValue(in),
	}
}

// tagsValue is an instance's tags as a map ({} when it has none).
func tagsValue(in *rds.Instance) types.Map {
	elems := make(map[string]attr.Value, len(in.Tags))
	for k, v := range in.TagMap() {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// instanceAttributes are the computed attributes of one instance; the id is added by the caller.
func instanceAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name":             schema.StringAttribute{Computed: true, MarkdownDescription: "Instance name."},
		"status":           schema.StringAttribute{Computed: true, MarkdownDescription: "Instance status, e.g. `ACTIVE`, `RESTORING`, `BACKING UP`. A restore needs the target `ACTIVE`."},
		"type":             schema.StringAttribute{Computed: true, MarkdownDescription: "Instance type: `Single`, `Ha` or `Replica`."},
		"region":           schema.StringAttribute{Computed: true, MarkdownDescription: "Region the instance runs in."},
		"engine":           schema.StringAttribute{Computed: true, MarkdownDescription: "DB engine (`datastore.type`): `MySQL`, `PostgreSQL` or `SQLServer`."},
		"engine_version":   schema.StringAttribute{Computed: true, MarkdownDescription: "Engine version (`datastore.version`), e.g. `5.7`, `14`, or for SQL Server version and edition such as `2017_SE`."},
		"complete_version": schema.StringAttribute{Computed: true, MarkdownDescription: "Full engine version (`datastore.complete_version`, MySQL and PostgreSQL), e.g. `5.7.25`; empty when the API does not say."},
		"time_zone":        schema.StringAttribute{Computed: true, MarkdownDescription: "Time zone, e.g. `UTC+08:00`, or a Windows zone name for SQL Server."},
		"volume_type":      schema.StringAttribute{Computed: true, MarkdownDescription: "Storage type, e.g. `CLOUDSSD`."},
		"volume_size":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Total storage in GB."},
		"tags": schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The instance's " +
			"tags, key to value (`{}` when it has none), e.g. `{ env = \"prod\" }`. The provider's `protected_tags` " +
			"guard reads them: an instance carrying a protected pair is never a restore target."},
	}
}

func (d *rdsInstanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_instance"
}

func (d *rdsInstanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := instanceAttributes()
	attrs["id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "ID of the RDS instance, e.g. `d8e6ca5a624745bcb546a227aa3ae1cfin01`.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one RDS DB instance by ID: engine, version, status, region, time zone, storage and tags, " +
			"the facts a restore is checked against.",
		Attributes: attrs,
	}
}

func (d *rdsInstanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rdsInstanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	ctx = d.data.logContext(ctx)
	in, err := d.data.client.GetInstance(ctx, m.ID.ValueString())
	if err != nil {
		if apiErr, ok := asAPIError(err); ok && apiErr.NotFound() {
			addInstanceNotFound(&resp.Diagnostics, d.data, "id", m.ID.ValueString())
			return
		}
		resp.Diagnostics.AddError("Cannot Read RDS Instance", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, instanceModel(in))...)
}

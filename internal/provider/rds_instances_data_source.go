package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

var (
	_ datasource.DataSource                   = (*rdsInstancesDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*rdsInstancesDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*rdsInstancesDataSource)(nil)
)

// rdsInstancesDataSource is hwc_rds_instances: the instances of the project, optionally filtered.
type rdsInstancesDataSource struct {
	dataSourceBase
}

func newRDSInstancesDataSource() datasource.DataSource { return &rdsInstancesDataSource{} }

// rdsInstancesModel is the whole data source. Filters are read one by one from the
// configuration; the model is only written.
type rdsInstancesModel struct {
	Name      types.String       `tfsdk:"name"`
	Engine    types.String       `tfsdk:"engine"`
	Status    types.String       `tfsdk:"status"`
	Instances []rdsInstanceModel `tfsdk:"instances"`
	IDs       []string           `tfsdk:"ids"`
}

// instanceEngines are the API's `datastore_type` values, by their lowercase spelling.
var instanceEngines = map[string]string{
	"mysql": "MySQL", "postgresql": "PostgreSQL", "sqlserver": "SQLServer", "mariadb": "MariaDB",
}

func (d *rdsInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_instances"
}

func (d *rdsInstancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := instanceAttributes()
	item["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "ID of the RDS instance, e.g. `d8e6ca5a624745bcb546a227aa3ae1cfin01`."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the RDS DB instances of the provider's project and region, optionally filtered by name, " +
			"engine and status. Every page of the API's listing is read (`GET /v3/{project_id}/instances`, 100 per page); " +
			"paging is not visible here.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the instance(s) with this name, matched by the API (`name` query parameter): an " +
					"exact name, e.g. `mysql57-prod`, or, starting with `*`, a fuzzy match: `*prod` matches every instance " +
					"whose name contains `prod`.",
			},
			"engine": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only instances of this DB engine (`datastore_type`): `MySQL`, `PostgreSQL`, `SQLServer` " +
					"or `MariaDB` (any letter case).",
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only instances in this status, compared case-insensitively, e.g. `ACTIVE`, `BUILD`, " +
					"`FAILED`, `FROZEN`, `MODIFYING`, `REBOOTING`, `RESTORING`, `BACKING UP`, `STORAGE FULL`. The API " +
					"has no status filter: this one is applied to the full listing.",
			},
			"instances": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The matching instances, sorted by name, then ID. Each has the attributes of the " +
					"`hwc_rds_instance` data source. Empty when nothing matches (not an error).",
				NestedObject: schema.NestedAttributeObject{Attributes: item},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "IDs of the matching instances, in the order of `instances`.",
			},
		},
	}
}

func (d *rdsInstancesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var engine, status, name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("engine"), &engine)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("status"), &status)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if isKnownValue(engine) {
		if _, ok := instanceEngines[strings.ToLower(engine.ValueString())]; !ok {
			resp.Diagnostics.AddAttributeError(path.Root("engine"), "Invalid Engine",
				fmt.Sprintf("engine is %q; it must be one of MySQL, PostgreSQL, SQLServer or MariaDB (any letter case).", engine.ValueString()))
		}
	}
	for attr, v := range map[string]types.String{"status": status, "name": name} {
		if isKnownValue(v) && strings.TrimSpace(v.ValueString()) == "" {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Empty Filter",
				fmt.Sprintf("%s is set to an empty string, which matches nothing. Omit it to list every instance.", attr))
		}
	}
}

func (d *rdsInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rdsInstancesModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &m.Name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("engine"), &m.Engine)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("status"), &m.Status)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	ctx = d.data.logContext(ctx)
	opts := rds.ListInstancesOptions{Name: m.Name.ValueString()}
	if e := m.Engine.ValueString(); e != "" {
		opts.DatastoreType = instanceEngines[strings.ToLower(e)]
		if opts.DatastoreType == "" {
			opts.DatastoreType = e // ValidateConfig reports it; let the API have its say too
		}
	}
	all, err := d.data.client.ListAllInstances(ctx, opts)
	if err != nil {
		resp.Diagnostics.AddError("Cannot List RDS Instances",
			fmt.Sprintf("Listing the instances of project %s (region %s) failed: %s", d.data.client.ProjectID(), d.data.client.Region(), err))
		return
	}
	var matched []rds.Instance
	for _, in := range all {
		if m.Status.IsNull() || strings.EqualFold(in.Status, m.Status.ValueString()) {
			matched = append(matched, in)
		}
	}
	sort.SliceStable(matched, func(i, j int) bool {
		if matched[i].Name != matched[j].Name {
			return matched[i].Name < matched[j].Name
		}
		return matched[i].ID < matched[j].ID
	})
	m.Instances = make([]rdsInstanceModel, 0, len(matched))
	m.IDs = make([]string, 0, len(matched))
	for i := range matched {
		m.Instances = append(m.Instances, instanceModel(&matched[i]))
		m.IDs = append(m.IDs, matched[i].ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

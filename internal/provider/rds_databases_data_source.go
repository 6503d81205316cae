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
)

var (
	_ datasource.DataSource                   = (*rdsDatabasesDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*rdsDatabasesDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*rdsDatabasesDataSource)(nil)
)

// rdsDatabasesDataSource is hwc_rds_databases: the databases on one instance.
type rdsDatabasesDataSource struct {
	dataSourceBase
}

func newRDSDatabasesDataSource() datasource.DataSource { return &rdsDatabasesDataSource{} }

type rdsDatabasesModel struct {
	InstanceID types.String       `tfsdk:"instance_id"`
	Databases  []rdsDatabaseModel `tfsdk:"databases"`
	Names      []string           `tfsdk:"names"`
}

type rdsDatabaseModel struct {
	Name         types.String `tfsdk:"name"`
	CharacterSet types.String `tfsdk:"character_set"`
	State        types.String `tfsdk:"state"`
}

func (d *rdsDatabasesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_databases"
}

func (d *rdsDatabasesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the databases on one RDS instance (`GET /v3/{project_id}/instances/{instance_id}/database/detail`, " +
			"every page). Useful before a SQL Server restore that renames databases: new names must differ from the ones " +
			"already on the source and the target.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the RDS instance, e.g. `61879e6085bc44d1831b0ce62d988fd9in04`.",
			},
			"databases": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The databases, sorted by name. Empty when the instance has none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: "Database name."},
					"character_set": schema.StringAttribute{Computed: true, MarkdownDescription: "Character set, e.g. `utf8mb4` " +
						"(MySQL), `UTF8` (PostgreSQL); for SQL Server the collation, e.g. `Chinese_PRC_CI_AS`. Null when the API " +
						"does not say."},
					"state": schema.StringAttribute{Computed: true, MarkdownDescription: "SQL Server only: `Creating`, `Running`, " +
						"`Deleting` or `NotExists` (a database a running restore is creating shows `Creating`). Null for other engines."},
				}},
			},
			"names": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The database names, in the order of `databases`.",
			},
		},
	}
}

func (d *rdsDatabasesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_id"), &id)...)
	if isKnownValue(id) && strings.TrimSpace(id.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Empty Instance ID",
			"instance_id is an empty string; set it to the ID of the instance whose databases are listed.")
	}
}

func (d *rdsDatabasesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rdsDatabasesModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_id"), &m.InstanceID)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	ctx = d.data.logContext(ctx)
	id := m.InstanceID.ValueString()
	dbs, err := d.data.client.ListAllDatabases(ctx, id)
	if err != nil {
		if apiErr, ok := asAPIError(err); ok && apiErr.NotFound() {
			addInstanceNotFound(&resp.Diagnostics, d.data, "instance_id", id)
			return
		}
		resp.Diagnostics.AddError("Cannot List RDS Databases",
			fmt.Sprintf("Listing the databases of instance %s failed: %s", id, err))
		return
	}
	sort.SliceStable(dbs, func(i, j int) bool { return dbs[i].Name < dbs[j].Name })
	m.Databases = make([]rdsDatabaseModel, 0, len(dbs))
	m.Names = make([]string, 0, len(dbs))
	for _, db := range dbs {
		m.Databases = append(m.Databases, rdsDatabaseModel{
			Name: types.StringValue(db.Name), CharacterSet: stringOrNull(db.CharacterSet), State: stringOrNull(db.State),
		})
		m.Names = append(m.Names, db.Name)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

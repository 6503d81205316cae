package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

var (
	_ datasource.DataSource                   = (*rdsBackupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*rdsBackupsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*rdsBackupsDataSource)(nil)
)

// rdsBackupsDataSource is hwc_rds_backups: an instance's backups, newest first, and the newest
// completed one on its own.
type rdsBackupsDataSource struct {
	data *providerData
}

func newRDSBackupsDataSource() datasource.DataSource { return &rdsBackupsDataSource{} }

type rdsBackupsModel struct {
	InstanceID      types.String     `tfsdk:"instance_id"`
	Type            types.String     `tfsdk:"type"`
	Status          types.String     `tfsdk:"status"`
	BeginTime       types.String     `tfsdk:"begin_time"`
	EndTime         types.String     `tfsdk:"end_time"`
	Backups         []rdsBackupModel `tfsdk:"backups"`
	LatestCompleted *rdsBackupModel  `tfsdk:"latest_completed"`
}

// rdsBackupModel is one backup.
type rdsBackupModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Type      types.String `tfsdk:"type"`
	Status    types.String `tfsdk:"status"`
	BeginTime types.String `tfsdk:"begin_time"`
	EndTime   types.String `tfsdk:"end_time"`
	Size      types.Int64  `tfsdk:"size"`
	Databases []string     `tfsdk:"databases"`
}

var (
	backupTypes    = []string{"auto", "manual", "fragment", "incremental"}
	backupStatuses = []string{"BUILDING", "COMPLETED", "FAILED", "DELETING"}
)

func (d *rdsBackupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_backups"
}

// backupAttributes are the computed attributes of one backup.
func backupAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Backup ID, e.g. `2f4ddb93-b901-4b08-93d8-1d2e472f30fe`: the `backup_id` of a restore."},
		"name": schema.StringAttribute{Computed: true, MarkdownDescription: "Backup name."},
		"type": schema.StringAttribute{Computed: true, MarkdownDescription: "Backup type: `auto`, `manual`, `fragment` or `incremental`."},
		"status": schema.StringAttribute{Computed: true, MarkdownDescription: "Backup status: `BUILDING`, `COMPLETED`, `FAILED` or " +
			"`DELETING`. Only a `COMPLETED` backup can be restored."},
		"begin_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the backup started, RFC 3339 (e.g. `2025-06-01T08:00:00Z`)."},
		"end_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the backup ended, RFC 3339; null while it is " +
			"`BUILDING` (the API gives no end yet)."},
		"size": schema.Int64Attribute{Computed: true, MarkdownDescription: "Backup size in **KB**."},
		"databases": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Names of the " +
			"databases the backup holds. The API lists them for SQL Server only; empty for other engines."},
	}
}

func (d *rdsBackupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the backups of one RDS instance (`GET /v3/{project_id}/backups`, every page), newest " +
			"first, and picks the newest completed one, so a drill can say \"restore the newest good backup\": " +
			"`backup_id = data.hwc_rds_backups.prod.latest_completed.id`.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the RDS instance whose backups are listed, e.g. `d8e6ca5a624745bcb546a227aa3ae1cfin01`.",
			},
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only backups of this type (`backup_type`): `auto`, `manual`, `fragment` or `incremental` (any letter case).",
			},
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only backups in this status: `BUILDING`, `COMPLETED`, `FAILED` or `DELETING` (any letter " +
					"case). The API has no status filter: this one is applied to the listing.",
			},
			"begin_time": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Start of a time range, RFC 3339 (e.g. `2025-06-01T00:00:00+08:00`): only backups the API " +
					"finds in `[begin_time, end_time]` (backups that started in it). Requires `end_time`. Sent to the API as " +
					"`2006-01-02T15:04:05-0700`.",
			},
			"end_time": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "End of the time range, RFC 3339, not before `begin_time`. Requires `begin_time`.",
			},
			"backups": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The matching backups, newest first (by `begin_time`). Empty when there are none " +
					"(not an error when the instance exists).",
				NestedObject: schema.NestedAttributeObject{Attributes: backupAttributes()},
			},
			"latest_completed": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "The newest `COMPLETED` backup among the matching ones (a `BUILDING` or `FAILED` backup is " +
					"never picked), with the same attributes as an item of `backups`; null when there is none.",
				Attributes: backupAttributes(),
			},
		},
	}
}

func (d *rdsBackupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// readBackupFilters reads the arguments one by one: the computed lists are never read.
func readBackupFilters(ctx context.Context, cfg tfsdk.Config) (rdsBackupsModel, diag.Diagnostics) {
	var m rdsBackupsModel
	var diags diag.Diagnostics
	diags.Append(cfg.GetAttribute(ctx, path.Root("instance_id"), &m.InstanceID)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("type"), &m.Type)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("status"), &m.Status)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("begin_time"), &m.BeginTime)...)
	diags.Append(cfg.GetAttribute(ctx, path.Root("end_time"), &m.EndTime)...)
	return m, diags
}

func (d *rdsBackupsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	m, diags := readBackupFilters(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if isKnownValue(m.InstanceID) && strings.TrimSpace(m.InstanceID.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Empty Instance ID",
			"instance_id is an empty string; set it to the ID of the instance whose backups are listed.")
	}
	if isKnownValue(m.Type) && !containsFold(backupTypes, m.Type.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("type"), "Invalid Backup Type",
			fmt.Sprintf("type is %q; it must be one of %s.", m.Type.ValueString(), strings.Join(backupTypes, ", ")))
	}
	if isKnownValue(m.Status) && !containsFold(backupStatuses, m.Status.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("status"), "Invalid Backup Status",
			fmt.Sprintf("status is %q; it must be one of %s.", m.Status.ValueString(), strings.Join(backupStatuses, ", ")))
	}
	// begin_time and end_time go together (the API takes both or neither).
	if m.BeginTime.IsNull() != m.EndTime.IsNull() {
		set, missing := "begin_time", "end_time"
		if m.BeginTime.IsNull() {
			set, missing = missing, set
		}
		resp.Diagnostics.AddAttributeError(path.Root(set), "Incomplete Time Range",
			fmt.Sprintf("%s is set but %s is not; the API filters backups by a time range only with both. Set %s too, "+
				"or remove %s.", set, missing, missing, set))
	}
	begin, beginOK := parseRFC3339Attr(m.BeginTime, "begin_time", &resp.Diagnostics)
	end, endOK := parseRFC3339Attr(m.EndTime, "end_time", &resp.Diagnostics)
	if beginOK && endOK && end.Before(begin) {
		resp.Diagnostics.AddAttributeError(path.Root("end_time"), "Time Range Ends Before It Begins",
			fmt.Sprintf("end_time %s is before begin_time %s.", m.EndTime.ValueString(), m.BeginTime.ValueString()))
	}
}

// parseRFC3339Attr parses a known, non-null RFC 3339 argument; ok is false when it is not there or
// not valid (an attribute error is added for the latter).
func parseRFC3339Attr(v types.String, attr string, diags *diag.Diagnostics) (time.Time, bool) {
	if !isKnownValue(v) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Invalid Time",
			fmt.Sprintf("%s is %q, which is not an RFC 3339 time; write it like 2025-06-01T00:00:00+08:00 or 2025-06-01T00:00:00Z.",
				attr, v.ValueString()))
		return time.Time{}, false
	}
	return t, true
}

func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

func (d *rdsBackupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m, diags := readBackupFilters(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	ctx = d.data.logContext(ctx)
	id := m.InstanceID.ValueString()
	opts := rds.ListBackupsOptions{InstanceID: id, BackupType: strings.ToLower(m.Type.ValueString())}
	if begin, ok := parseRFC3339Attr(m.BeginTime, "begin_time", &resp.Diagnostics); ok {
		opts.BeginTime = rds.FormatTime(begin)
	}
	if end, ok := parseRFC3339Attr(m.EndTime, "end_time", &resp.Diagnostics); ok {
		opts.EndTime = rds.FormatTime(end)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.data.client.ListAllBackups(ctx, opts)
	if err != nil {
		if apiErr, ok := asAPIError(err); ok && apiErr.NotFound() {
			addInstanceNotFound(&resp.Diagnostics, d.data, "instance_id", id)
			return
		}
		resp.Diagnostics.AddError("Cannot List RDS Backups",
			fmt.Sprintf("Listing the backups of instance %s failed: %s", id, err))
		return
	}
	if len(all) == 0 {
		// The listing does not say whether the instance exists: an empty answer is checked, so a
		// mistyped ID is an error instead of "no backups".
		if _, err := d.data.client.GetInstance(ctx, id); err != nil {
			if apiErr, ok := asAPIError(err); ok && apiErr.NotFound() {
				addInstanceNotFound(&resp.Diagnostics, d.data, "instance_id", id)
				return
			}
			resp.Diagnostics.AddError("Cannot Read RDS Instance",
				fmt.Sprintf("Instance %s has no matching backups, and reading the instance itself failed: %s", id, err))
			return
		}
	}

	var matched []rds.Backup
	for _, b := range all {
		if m.Status.IsNull() || strings.EqualFold(b.Status, m.Status.ValueString()) {
			matched = append(matched, b)
		}
	}
	sortBackupsNewestFirst(matched)
	m.Backups = make([]rdsBackupModel, 0, len(matched))
	for i := range matched {
		bm := backupModel(&matched[i])
		m.Backups = append(m.Backups, bm)
		if m.LatestCompleted == nil && strings.EqualFold(matched[i].Status, rds.BackupCompleted) {
			latest := bm
			m.LatestCompleted = &latest
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// sortBackupsNewestFirst orders by begin_time, newest first; a time that cannot be read sorts
// last, and equal times by ID, so the order is stable from one read to the next.
func sortBackupsNewestFirst(bs []rds.Backup) {
	at := func(b rds.Backup) (time.Time, bool) { return rds.ParseTime(b.BeginTime) }
	sort.SliceStable(bs, func(i, j int) bool {
		ti, oki := at(bs[i])
		tj, okj := at(bs[j])
		switch {
		case oki != okj:
			return oki
		case oki && !ti.Equal(tj):
			return ti.After(tj)
		default:
			return bs[i].ID < bs[j].ID
		}
	})
}

func backupModel(b *rds.Backup) rdsBackupModel {
	dbs := make([]string, 0, len(b.Databases))
	for _, d := range b.Databases {
		dbs = append(dbs, d.Name)
	}
	return rdsBackupModel{
		ID:        types.StringValue(b.ID),
		Name:      types.StringValue(b.Name),
		Type:      types.StringValue(b.Type),
		Status:    types.StringValue(b.Status),
		BeginTime: apiTimeToRFC3339(b.BeginTime),
		EndTime:   apiTimeToRFC3339(b.EndTime),
		Size:      types.Int64Value(b.Size),
		Databases: dbs,
	}
}

// apiTimeToRFC3339 converts the API's time (rds.TimeLayout) to RFC 3339, keeping the
// offset. Empty is null; a value in another shape is passed on as the API wrote it.
func apiTimeToRFC3339(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	if t, ok := rds.ParseTime(s); ok {
		return types.StringValue(t.Format(time.RFC3339))
	}
	return types.StringValue(s)
}

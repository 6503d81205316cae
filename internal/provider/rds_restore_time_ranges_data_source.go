package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

var (
	_ datasource.DataSource                   = (*rdsRestoreTimeRangesDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*rdsRestoreTimeRangesDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*rdsRestoreTimeRangesDataSource)(nil)
)

// rdsRestoreTimeRangesDataSource is hwc_rds_restore_time_ranges: the windows a point-in-time
// restore of an instance can aim at, and the latest moment in them.
type rdsRestoreTimeRangesDataSource struct {
	data *providerData
}

func newRDSRestoreTimeRangesDataSource() datasource.DataSource {
	return &rdsRestoreTimeRangesDataSource{}
}

type rdsRestoreTimeRangesModel struct {
	InstanceID                  types.String              `tfsdk:"instance_id"`
	Date                        types.String              `tfsdk:"date"`
	Ranges                      []rdsRestoreTimeRangeItem `tfsdk:"ranges"`
	LatestRestorableTime        types.Int64               `tfsdk:"latest_restorable_time"`
	LatestRestorableTimeRFC3339 types.String              `tfsdk:"latest_restorable_time_rfc3339"`
}

type rdsRestoreTimeRangeItem struct {
	StartTime        types.Int64  `tfsdk:"start_time"`
	EndTime          types.Int64  `tfsdk:"end_time"`
	StartTimeRFC3339 types.String `tfsdk:"start_time_rfc3339"`
	EndTimeRFC3339   types.String `tfsdk:"end_time_rfc3339"`
}

func (d *rdsRestoreTimeRangesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rds_restore_time_ranges"
}

func (d *rdsRestoreTimeRangesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the time ranges an RDS instance can be restored to (point-in-time restore, " +
			"`GET /v3/{project_id}/instances/{instance_id}/restore-time`), and the latest restorable moment, so a drill " +
			"can say \"restore to the latest restorable moment\": " +
			"`restore_time = data.hwc_rds_restore_time_ranges.prod.latest_restorable_time`.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the RDS instance, e.g. `d8e6ca5a624745bcb546a227aa3ae1cfin01`.",
			},
			"date": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the ranges on this day, `yyyy-mm-dd`, UTC (e.g. `2025-06-01`); the API cuts the " +
					"ranges to that day. When omitted, every range is returned.",
			},
			"ranges": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The restorable time ranges, earliest first. A restore time must fall inside one of " +
					"them; there can be gaps between them. Empty when there are none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"start_time": schema.Int64Attribute{Computed: true, MarkdownDescription: "Start of the range, Unix **milliseconds**, UTC."},
					"end_time":   schema.Int64Attribute{Computed: true, MarkdownDescription: "End of the range, Unix **milliseconds**, UTC."},
					"start_time_rfc3339": schema.StringAttribute{Computed: true, MarkdownDescription: "`start_time` as RFC 3339 in UTC " +
						"with milliseconds, e.g. `2018-07-19T11:57:26.987Z`."},
					"end_time_rfc3339": schema.StringAttribute{Computed: true, MarkdownDescription: "`end_time` as RFC 3339 in UTC " +
						"with milliseconds."},
				}},
			},
			"latest_restorable_time": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "The latest moment that can be restored to (the largest `end_time`), Unix " +
					"**milliseconds**, UTC: the value for a restore's `restore_time`. Null when there is no range.",
			},
			"latest_restorable_time_rfc3339": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`latest_restorable_time` as RFC 3339 in UTC with milliseconds; null when there is no range.",
			},
		},
	}
}

func (d *rdsRestoreTimeRangesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *rdsRestoreTimeRangesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var id, date types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("date"), &date)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if isKnownValue(id) && strings.TrimSpace(id.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Empty Instance ID",
			"instance_id is an empty string; set it to the ID of the instance whose restore time ranges are read.")
	}
	if isKnownValue(date) {
		if _, err := time.Parse(rds.DateLayout, date.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("date"), "Invalid Date",
				fmt.Sprintf("date is %q; it must be a UTC day written yyyy-mm-dd, e.g. 2025-06-01.", date.ValueString()))
		}
	}
}

func (d *rdsRestoreTimeRangesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m rdsRestoreTimeRangesModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_id"), &m.InstanceID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("date"), &m.Date)...)
	if resp.Diagnostics.HasError() || !requireConfigured(d.data, &resp.Diagnostics) {
		return
	}
	ctx = d.data.logContext(ctx)
	id := m.InstanceID.ValueString()
	ranges, err := d.data.client.ListRestoreTimes(ctx, id, m.Date.ValueString())
	if err != nil {
		if apiErr, ok := asAPIError(err); ok && apiErr.NotFound() {
			addInstanceNotFound(&resp.Diagnostics, d.data, "instance_id", id)
			return
		}
		resp.Diagnostics.AddError("Cannot Read Restore Time Ranges",
			fmt.Sprintf("Reading the restorable time ranges of instance %s failed: %s", id, err))
		return
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].StartTime < ranges[j].StartTime })
	m.Ranges = make([]rdsRestoreTimeRangeItem, 0, len(ranges))
	m.LatestRestorableTime = types.Int64Null()
	m.LatestRestorableTimeRFC3339 = types.StringNull()
	var latest int64
	for i, r := range ranges {
		m.Ranges = append(m.Ranges, rdsRestoreTimeRangeItem{
			StartTime: types.Int64Value(r.StartTime), EndTime: types.Int64Value(r.EndTime),
			StartTimeRFC3339: types.StringValue(rds.FormatMillis(r.StartTime)), EndTimeRFC3339: types.StringValue(rds.FormatMillis(r.EndTime)),
		})
		if i == 0 || r.EndTime > latest {
			latest = r.EndTime
		}
	}
	if len(ranges) > 0 {
		m.LatestRestorableTime = types.Int64Value(latest)
		m.LatestRestorableTimeRFC3339 = types.StringValue(rds.FormatMillis(latest))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = rfc3339Function{}

// rfc3339Function is provider::hwc::rfc3339: Unix milliseconds to an RFC 3339 timestamp in UTC,
// written as the resource writes restored_to (msTime). Terraform 1.8+ and OpenTofu 1.7+.
type rfc3339Function struct{}

func newRFC3339Function() function.Function { return rfc3339Function{} }

// The milliseconds msTime can write as RFC 3339: the years 0001 to 9999.
var (
	minRFC3339Millis = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxRFC3339Millis = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC).UnixMilli()
)

func (rfc3339Function) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "rfc3339"
}

func (rfc3339Function) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Unix milliseconds as an RFC 3339 timestamp in UTC",
		MarkdownDescription: "Converts Unix milliseconds (a `restore_time`, or what `provider::hwc::unix_ms` returns) to an " +
			"RFC 3339 timestamp in UTC, written as `hwc_rds_instance_restore` writes `restored_to`: to the second " +
			"(`2026-12-02T06:30:00Z`), with the milliseconds only when they are not zero and without trailing zeros " +
			"(`2026-12-02T06:30:00.25Z`). The result works with `timeadd()`, `timecmp()` and `formatdate()`.",
		Parameters: []function.Parameter{
			function.Int64Parameter{
				Name:                "ms",
				MarkdownDescription: "Milliseconds since 1970-01-01T00:00:00Z, a whole number (years 0001 to 9999).",
			},
		},
		Return: function.StringReturn{},
	}
}

func (rfc3339Function) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var ms int64
	if resp.Error = req.Arguments.Get(ctx, &ms); resp.Error != nil {
		return
	}
	if ms < minRFC3339Millis || ms > maxRFC3339Millis {
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("ms is %d, outside what RFC 3339 can write: Unix "+
			"milliseconds from %d (0001-01-01T00:00:00Z) to %d (9999-12-31T23:59:59.999Z). Pass milliseconds, not "+
			"microseconds or nanoseconds (a restore_time of today is 13 digits long)", ms, minRFC3339Millis, maxRFC3339Millis))
		return
	}
	resp.Error = resp.Result.Set(ctx, msTime(ms))
}

package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

func TestRestoreListModelFilter_values(t *testing.T) {
	str := types.StringValue
	null := types.StringNull()
	for _, tc := range []struct {
		name     string
		cfg      restoreListModel
		want     restore.HistoryFilter
		wantErrs []string // one per error: the parts of its detail, separated by NUL
	}{
		{name: "nothing", cfg: restoreListModel{null, null, null, null}},
		{name: "unknown values select everything",
			cfg: restoreListModel{types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()}},
		{name: "every filter",
			cfg: restoreListModel{str("t1"), str("failed"), str("2026-11-20T00:00:00Z"), str("2026-11-21T08:00:00+08:00")},
			want: restore.HistoryFilter{Target: "t1", Status: "Failed",
				From: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)}},
		{name: "bad status", cfg: restoreListModel{null, str("Done"), null, null},
			wantErrs: []string{`status = "Done"` + "\x00Running, Completed, Failed"}},
		{name: "bad time", cfg: restoreListModel{null, null, str("2026-11-20"), null},
			wantErrs: []string{`start_time = "2026-11-20"` + "\x00RFC 3339"}},
		{name: "end before start", cfg: restoreListModel{null, null, str("2026-11-21T00:00:00Z"), str("2026-11-20T00:00:00Z")},
			wantErrs: []string{`end_time = "2026-11-20T00:00:00Z" is before start_time`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := tc.cfg.filter()
			var details []string
			for _, d := range diags.Errors() {
				details = append(details, d.Detail())
			}
			if len(details) != len(tc.wantErrs) {
				t.Fatalf("errors %q, want %d matching %q", details, len(tc.wantErrs), tc.wantErrs)
			}
			for i, want := range tc.wantErrs {
				for _, part := range strings.Split(want, "\x00") {
					if !strings.Contains(details[i], part) {
						t.Errorf("error %q does not say %q", details[i], part)
					}
				}
			}
			if len(tc.wantErrs) == 0 && (got.Target != tc.want.Target || got.Status != tc.want.Status ||
				!got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To)) {
				t.Errorf("filter %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRestoreDisplayName_values(t *testing.T) {
	created := time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("+0800", 8*3600))
	for _, tc := range []struct {
		name string
		p    restore.PastRestore
		want string
	}{
		{"completed", restore.PastRestore{JobID: "j1", Target: "t1", Status: "Completed", Created: created},
			"restore j1 onto t1 (Completed, 2026-11-20T02:00:00Z)"},
		{"no creation time", restore.PastRestore{JobID: "j2", Target: "t2", Status: "Running"},
			"restore j2 onto t2 (Running, submitted at an unknown time)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := restoreDisplayName(tc.p); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestListErrorDiagnostics_sayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		summary string
		detail  string
	}{
		{"no task list", restore.ErrNoTaskList, "Task List Not Available", "404 APIGW.0101"},
		{"silent", restore.ErrSilentTaskList, "Task List Shows No Restores", "does not show restores"},
		{"other", errors.New("HTTP 500"), "Cannot List Past Restores", "HTTP 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := listErrorDiagnostics(tc.err)
			if len(diags) != 1 || diags[0].Summary() != tc.summary {
				t.Fatalf("diagnostics %v, want one %q", diags, tc.summary)
			}
			for _, want := range []string{tc.detail, "import it by its job id", "job_id"} {
				if !strings.Contains(diags[0].Detail(), want) {
					t.Errorf("detail %q does not say %q", diags[0].Detail(), want)
				}
			}
		})
	}
}

func TestImportJobID_sources(t *testing.T) {
	ctx := context.Background()
	var schemaResp resource.IdentitySchemaResponse
	(&restoreResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &schemaResp)
	identity := func(jobID string) *tfsdk.ResourceIdentity {
		typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"job_id": tftypes.String}}
		return &tfsdk.ResourceIdentity{Schema: schemaResp.IdentitySchema,
			Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"job_id": tftypes.NewValue(tftypes.String, jobID)})}
	}
	for _, tc := range []struct {
		name    string
		req     resource.ImportStateRequest
		want    string
		wantErr string
	}{
		{name: "import id", req: resource.ImportStateRequest{ID: "j1"}, want: "j1"},
		{name: "identity", req: resource.ImportStateRequest{Identity: identity("j2")}, want: "j2"},
		{name: "neither", req: resource.ImportStateRequest{}, wantErr: "neither was given"},
		{name: "an Unknown restore's id", req: resource.ImportStateRequest{Identity: identity("unconfirmed-t1-1")},
			wantErr: "job id was never known"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := importJobID(ctx, tc.req)
			if tc.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.wantErr) ||
					!strings.Contains(diags.Errors()[0].Detail(), "terraform query") {
					t.Fatalf("diagnostics %v, want an error saying %q and pointing at terraform query", diags, tc.wantErr)
				}
				return
			}
			if diags.HasError() || got != tc.want {
				t.Errorf("job id %q (%v), want %q", got, diags, tc.want)
			}
		})
	}
}

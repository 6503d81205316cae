package provider

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// The arguments' mapping to the rules' request: known values are passed on, null ones are left
// out, and unknown ones become placeholders that pass the presence rules, with their attribute
// named so that findings about them can be dropped.
func TestRulesRequest_knownUnknownNull(t *testing.T) {
	const placeholder = "(known after apply)"
	at := int64(1532001446987)
	yes, no := true, false
	// nulls is the configuration that sets nothing.
	nulls := func() restoreArgs {
		return restoreArgs{
			SourceInstanceID: types.StringNull(), TargetInstanceID: types.StringNull(), Type: types.StringNull(),
			BackupID: types.StringNull(), RestoreTime: types.Int64Null(), DatabaseName: types.MapNull(types.StringType),
			RestoreAllDatabase: types.BoolNull(), Region: types.StringNull(),
		}
	}
	with := func(edit func(*restoreArgs)) restoreArgs { a := nulls(); edit(&a); return a }
	names := func(elems map[string]attr.Value) types.Map { return types.MapValueMust(types.StringType, elems) }

	tests := []struct {
		name    string
		args    restoreArgs
		want    rules.Request
		unknown []string
		// placeholderTime: RestoreTime is set to a placeholder about an hour ago (not compared).
		placeholderTime bool
	}{
		{name: "all null", args: nulls()},
		{name: "known ids and backup", args: with(func(a *restoreArgs) {
			a.SourceInstanceID, a.TargetInstanceID = types.StringValue("src"), types.StringValue("dst")
			a.Type, a.BackupID = types.StringValue("backup"), types.StringValue("b1")
		}), want: rules.Request{SourceInstanceID: "src", TargetInstanceID: "dst", Type: "backup", BackupID: "b1"}},
		{name: "unknown source_instance_id", args: with(func(a *restoreArgs) { a.SourceInstanceID = types.StringUnknown() }),
			want: rules.Request{SourceInstanceID: placeholder}, unknown: []string{"source_instance_id"}},
		{name: "unknown target_instance_id", args: with(func(a *restoreArgs) { a.TargetInstanceID = types.StringUnknown() }),
			want: rules.Request{TargetInstanceID: placeholder}, unknown: []string{"target_instance_id"}},
		{name: "unknown backup_id", args: with(func(a *restoreArgs) { a.BackupID = types.StringUnknown() }),
			want: rules.Request{BackupID: placeholder}, unknown: []string{"backup_id"}},
		// An unknown type is left empty (inferred later), not a placeholder a rule would reject.
		{name: "unknown type", args: with(func(a *restoreArgs) { a.Type = types.StringUnknown() }),
			unknown: []string{"type"}},
		{name: "known type", args: with(func(a *restoreArgs) { a.Type = types.StringValue("timestamp") }),
			want: rules.Request{Type: "timestamp"}},
		{name: "known restore_time", args: with(func(a *restoreArgs) { a.RestoreTime = types.Int64Value(at) }),
			want: rules.Request{RestoreTime: &at}},
		{name: "unknown restore_time", args: with(func(a *restoreArgs) { a.RestoreTime = types.Int64Unknown() }),
			unknown: []string{"restore_time"}, placeholderTime: true},
		{name: "known database_name", args: with(func(a *restoreArgs) {
			a.DatabaseName = names(map[string]attr.Value{"A": types.StringValue("A1,A2"), "B": types.StringValue("")})
		}), want: rules.Request{DatabaseName: map[string]string{"A": "A1,A2", "B": ""}}},
		// {} is sent as the user wrote it (an empty map, not nil); the rules treat it as omitted.
		{name: "empty database_name", args: with(func(a *restoreArgs) { a.DatabaseName = names(map[string]attr.Value{}) }),
			want: rules.Request{DatabaseName: map[string]string{}}},
		{name: "unknown database_name", args: with(func(a *restoreArgs) { a.DatabaseName = types.MapUnknown(types.StringType) }),
			want: rules.Request{DatabaseName: map[string]string{}}, unknown: []string{"database_name"}},
		{name: "database_name with an unknown new name", args: with(func(a *restoreArgs) {
			a.DatabaseName = names(map[string]attr.Value{"A": types.StringValue("A1"), "B": types.StringUnknown()})
		}), want: rules.Request{DatabaseName: map[string]string{"A": "A1"}}, unknown: []string{"database_name"}},
		{name: "restore_all_database true", args: with(func(a *restoreArgs) { a.RestoreAllDatabase = types.BoolValue(true) }),
			want: rules.Request{RestoreAllDatabase: &yes}},
		// false is passed on as written: only the submission leaves it out.
		{name: "restore_all_database false", args: with(func(a *restoreArgs) { a.RestoreAllDatabase = types.BoolValue(false) }),
			want: rules.Request{RestoreAllDatabase: &no}},
		{name: "unknown restore_all_database", args: with(func(a *restoreArgs) { a.RestoreAllDatabase = types.BoolUnknown() }),
			unknown: []string{"restore_all_database"}},
		// region is not part of the rules' request: the pipeline compares it with the provider's.
		{name: "region is not mapped", args: with(func(a *restoreArgs) { a.Region = types.StringUnknown() })},
		{name: "everything unknown", args: restoreArgs{
			SourceInstanceID: types.StringUnknown(), TargetInstanceID: types.StringUnknown(), Type: types.StringUnknown(),
			BackupID: types.StringUnknown(), RestoreTime: types.Int64Unknown(), DatabaseName: types.MapUnknown(types.StringType),
			RestoreAllDatabase: types.BoolUnknown(), Region: types.StringUnknown(),
		}, want: rules.Request{SourceInstanceID: placeholder, TargetInstanceID: placeholder, BackupID: placeholder, DatabaseName: map[string]string{}},
			unknown:         []string{"backup_id", "database_name", "restore_all_database", "restore_time", "source_instance_id", "target_instance_id", "type"},
			placeholderTime: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := time.Now()
			got, unknown, diags := tc.args.rulesRequest(context.Background())
			if diags.HasError() {
				t.Fatalf("diagnostics: %v", diags)
			}
			if tc.placeholderTime {
				// The placeholder must pass the rules on restore_time (positive, not in the future).
				if got.RestoreTime == nil || *got.RestoreTime <= 0 || *got.RestoreTime > before.UnixMilli() {
					t.Errorf("restore_time placeholder = %v, want a past moment", got.RestoreTime)
				}
				got.RestoreTime = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %+v, want %+v", got, tc.want)
			}
			names := make([]string, 0, len(unknown))
			for k, v := range unknown {
				if v {
					names = append(names, k)
				}
			}
			sort.Strings(names)
			if len(names) != len(tc.unknown) || len(names) > 0 && !reflect.DeepEqual(names, tc.unknown) {
				t.Errorf("unknown attributes = %v, want %v", names, tc.unknown)
			}
		})
	}
}

// Findings become diagnostics on their attribute, with the rule on a line of its own; findings
// about values not known yet are dropped, and a finding without an attribute lands on the target.
func TestAddFindings_severityAttributeAndRule(t *testing.T) {
	findings := []rules.Finding{
		{Rule: "S3", Severity: rules.Error, Attribute: "backup_id", Summary: "Missing Backup ID", Detail: "backup_id is not set (rule S3)"},
		{Rule: "A3", Severity: rules.Warning, Attribute: "target_instance_id", Summary: "MySQL 8.0 Minor Versions Differ", Detail: "8.0.28 onto 8.0.30"},
		{Rule: "A15", Severity: rules.Error, Summary: "Database Quota", Detail: "too many databases"},
		{Rule: "A13", Severity: rules.Error, Attribute: "restore_time", Summary: "Outside the Restorable Ranges", Detail: "not restorable"},
	}
	var diags diag.Diagnostics
	addFindings(&diags, findings, map[string]bool{"restore_time": true})
	type row struct {
		warning               bool
		path, summary, detail string
	}
	var got []row
	for _, d := range diags {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		got = append(got, row{d.Severity() == diag.SeverityWarning, p, d.Summary(), d.Detail()})
	}
	want := []row{
		{false, "backup_id", "Missing Backup ID", "backup_id is not set\n\n(Rule S3 of the documented restore constraints.)"},
		{true, "target_instance_id", "MySQL 8.0 Minor Versions Differ", "8.0.28 onto 8.0.30\n\n(Rule A3 of the documented restore constraints.)"},
		{false, "target_instance_id", "Database Quota", "too many databases\n\n(Rule A15 of the documented restore constraints.)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics =\n%+v\nwant\n%+v", got, want)
	}
}

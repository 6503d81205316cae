package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// planEvidence's lists: what a SQL Server restore creates on the target (never a database the
// target keeps), and which of the previous restore's databases are dropped (only those the
// target has). Names compare without case, so a database is never wrongly counted as created.
func TestPlanEvidence_databases(t *testing.T) {
	at := time.Date(2026, 11, 30, 1, 2, 3, 456e6, time.UTC).UnixMilli()
	sqlserver := func(dbs ...string) *rules.Instance { return &rules.Instance{Engine: "SQLServer", Databases: dbs} }
	all := true
	tests := []struct {
		name    string
		names   map[string]string
		all     *bool
		target  *rules.Instance
		source  *rules.Instance
		dropped []string
		created []string
		drops   []string
	}{
		{name: "copies under new names", names: map[string]string{"sales": "sales_drill", "hr": "hr_drill,hr_2"},
			target: sqlserver("reporting"), created: []string{"hr_drill", "hr_2", "sales_drill"}},
		{name: "a kept name the target has is overwritten, not created", names: map[string]string{"sales": "", "hr": "hr_copy"},
			target: sqlserver("Sales"), created: []string{"hr_copy"}},
		{name: "the previous copies, dropped first, are created again", names: map[string]string{"sales": "sales_drill", "hr": "hr_old"},
			target: sqlserver("reporting", "sales_drill", "hr_old"), dropped: []string{"sales_drill", "hr_old", "gone"},
			created: []string{"hr_old", "sales_drill"}, drops: []string{"sales_drill", "hr_old"}},
		// SQL Server keeps the case a database was given: another case is another database.
		{name: "only a twin in another case: kept", names: map[string]string{"sales": "sales_drill"},
			target: sqlserver("Sales_Drill"), dropped: []string{"sales_drill"}, drops: []string{}},
		// What this restore does not create again is never dropped: a copy renamed since, or a
		// name the apply's last plan took for this resource's from another restore it deleted.
		{name: "a previous copy not created again stays", names: map[string]string{"sales": "sales_drill"},
			target: sqlserver("sales_drill", "sales_old", "y_copy"), dropped: []string{"sales_drill", "sales_old", "y_copy"},
			created: []string{"sales_drill"}, drops: []string{"sales_drill"}},
		// On a case-sensitive instance two names may differ only in case: the exact one goes.
		{name: "the exact name, not its other-case twin", names: map[string]string{"sales": "sales_drill"},
			target: sqlserver("sales_drill", "Sales_Drill"), dropped: []string{"sales_drill"},
			drops: []string{"sales_drill"}}, // Sales_Drill stays: sales_drill is not counted as created

		{name: "all databases of the source", target: sqlserver("hr"), source: sqlserver("sales", "hr"), created: []string{"sales"}},
		{name: "restore_all_database beside names", names: map[string]string{"hr": "hr_copy"}, all: &all,
			target: sqlserver(), source: sqlserver("sales", "hr"), created: []string{"hr_copy", "sales", "hr"}},
		{name: "MySQL creates nothing it could drop later", target: &rules.Instance{Engine: "MySQL", Databases: []string{"shop"}},
			source: &rules.Instance{Engine: "MySQL", Databases: []string{"shop", "users"}}, dropped: []string{"shop"}},
	}
	for _, tt := range tests {
		req := rules.Request{SourceInstanceID: "s", TargetInstanceID: "t", RestoreTime: &at, DatabaseName: tt.names, RestoreAllDatabase: tt.all}
		ev, err := planEvidence(context.Background(), nil, req, rules.Facts{Source: tt.source, Target: tt.target}, tt.dropped)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if ev.RestoredTo != "2026-11-30T01:02:03.456Z" {
			t.Errorf("%s: restored_to = %q", tt.name, ev.RestoredTo)
		}
		want := func(l []string) []string {
			if l == nil {
				return []string{}
			}
			return l
		}
		if !reflect.DeepEqual(ev.Created, want(tt.created)) || !reflect.DeepEqual(ev.Dropped, want(tt.drops)) {
			t.Errorf("%s: created %v, dropped %v; want %v and %v", tt.name, ev.Created, ev.Dropped, want(tt.created), want(tt.drops))
		}
	}
}

// deletedRestores hands over the previous restore only when one restore of the target was
// deleted: with two, which was the replaced resource's cannot be told.
func TestDeletedRestores_only(t *testing.T) {
	var d deletedRestores
	if got := d.only("t1"); got != nil {
		t.Errorf("nothing deleted: %v", got)
	}
	d.add("T1", []string{"a"}, "")
	if got := d.only(" t1 "); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("one deleted: %v", got)
	}
	d.add("t1", nil, "")
	if got := d.only("t1"); got != nil {
		t.Errorf("two deleted: %v, want none", got)
	}
}

// The previous restore of a resource that moves to another target created nothing there: the
// replacement drops nothing on the new target.
func TestPreviousCreated_anotherTarget(t *testing.T) {
	ctx := context.Background()
	r := &restoreResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	st := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	st.SetAttribute(ctx, path.Root("target_instance_id"), "instance-a")
	created, _ := types.ListValueFrom(ctx, types.StringType, []string{"x_copy"})
	st.SetAttribute(ctx, path.Root("created_databases"), created)
	for _, tc := range []struct {
		target string
		want   []string
	}{{"instance-t", nil}, {"INSTANCE-A", []string{"x_copy"}}, {"", []string{"x_copy"}}} { // "": not known yet
		var resp resource.ModifyPlanResponse
		got, _ := r.previousCreated(ctx, resource.ModifyPlanRequest{State: st}, &resp, tc.target)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("previous restore on instance-a, target %s: previous %v, want %v", tc.target, got, tc.want)
		}
	}
}

// A failed job created nothing the next restore of the resource may drop.
func TestRecordOutcome_failedCreatedNothing(t *testing.T) {
	ctx := context.Background()
	var m restoreModel
	m.CreatedDatabases, _ = types.ListValueFrom(ctx, types.StringType, []string{"dup"})
	recordOutcome(&m, restore.Result{Kind: restore.KindFailed, JobID: "j", FailReason: "the name exists"}, "t")
	if got, _ := knownStrings(ctx, m.CreatedDatabases); len(got) != 0 || m.CreatedDatabases.IsNull() {
		t.Errorf("a failed restore records created_databases %v (null %v), want an empty list", got, m.CreatedDatabases.IsNull())
	}
}

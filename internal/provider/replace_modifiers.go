package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Every argument of the restore resource forces a new restore when it changes, except for edits
// that ask for the same restore: writing a documented default (restore_all_database = false,
// database_name = {}), omitting an argument the provider fills in with the value it has (type,
// region); and right after an import, the state knows only what the job told (no source, no
// backup), so the configuration filling those in is adoption, not a change.

const replaceDescription = "Changing this runs a new restore (except when an imported resource adopts the value from its configuration)."

// privateState is the resource's private state as every typed plan-modifier request carries it.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// adopting says whether an imported resource is taking a value it did not know yet.
func adopting(ctx context.Context, stateIsNull bool, private privateState) bool {
	if !stateIsNull {
		return false
	}
	v, _ := private.GetKey(ctx, privateImported)
	return string(v) == `"1"`
}

// replaceUnless is the decision every argument makes: a change runs a new restore, unless the
// planned value asks for the same restore (same), or an imported resource adopts the value.
func replaceUnless(ctx context.Context, same, stateIsNull bool, private privateState) bool {
	return !same && !adopting(ctx, stateIsNull, private)
}

func replaceString() planmodifier.String {
	return replaceStringUnless(func(planmodifier.StringRequest) bool { return false })
}

// replaceComputedString is replaceString for an argument the provider fills in when it is
// omitted (`type` inferred from the arguments, `region` the provider's): omitted, its planned
// value is not known yet, and ModifyPlan fills it in; that alone is no new restore. Writing the
// value the state holds is no change at all; a different value still replaces.
func replaceComputedString() planmodifier.String {
	return replaceStringUnless(func(req planmodifier.StringRequest) bool {
		// Omitted: the provider fills in the same value it did before (checked in ModifyPlan).
		return req.ConfigValue.IsNull() && !req.StateValue.IsNull()
	})
}

func replaceStringUnless(same func(planmodifier.StringRequest) bool) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnless(ctx, same(req), req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func replaceInt64() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnless(ctx, false, req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

// replaceMap treats an empty map as the omitted one: `database_name = {}` restores every database
// like no database_name at all (the documented default), and `triggers = {}` triggers nothing.
func replaceMap() planmodifier.Map {
	return mapplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnless(ctx, emptyMap(req.PlanValue) && emptyMap(req.StateValue), req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func emptyMap(v types.Map) bool {
	return v.IsNull() || !v.IsUnknown() && len(v.Elements()) == 0
}

// replaceBool treats false as the omitted value: `restore_all_database = false` asks for what no
// restore_all_database asks for (the API's default).
func replaceBool() planmodifier.Bool {
	return boolplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.BoolRequest, resp *boolplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = replaceUnless(ctx, falseOrNull(req.PlanValue) && falseOrNull(req.StateValue), req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func falseOrNull(v types.Bool) bool {
	return v.IsNull() || !v.IsUnknown() && !v.ValueBool()
}

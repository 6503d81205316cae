package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// Every argument of the restore resource forces a new restore when it changes, with one
// exception: right after an import, the state knows only what the job told (no source, no
// backup), and the configuration filling those in is adoption, not a change.

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

func replaceString() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !adopting(ctx, req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func replaceInt64() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !adopting(ctx, req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func replaceMap() planmodifier.Map {
	return mapplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !adopting(ctx, req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

func replaceBool() planmodifier.Bool {
	return boolplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.BoolRequest, resp *boolplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !adopting(ctx, req.StateValue.IsNull(), req.Private)
	}, replaceDescription, replaceDescription)
}

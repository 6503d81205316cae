package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestKnownStrings_nullUnknownKnown(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    types.List
		want []string
	}{
		{"null", types.ListNull(types.StringType), nil},
		{"unknown", types.ListUnknown(types.StringType), nil},
		{"empty", types.ListValueMust(types.StringType, []attr.Value{}), []string{}},
		{"values", types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a"), types.StringValue("b")}), []string{"a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := knownStrings(context.Background(), tc.l)
			if diags.HasError() {
				t.Fatalf("diagnostics: %v", diags)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("knownStrings = %#v, want %#v", got, tc.want)
			}
		})
	}
}

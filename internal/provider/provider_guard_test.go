package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

func TestParseProtectedTags_cases(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []rules.ProtectedTag
		wantErr string
	}{
		{in: ""},
		{in: " , "},
		{in: "env=prod,tier=critical", want: []rules.ProtectedTag{
			{Key: "env", Value: "prod", From: envProtectedTags}, {Key: "tier", Value: "critical", From: envProtectedTags}}},
		{in: " env = prod ,", want: []rules.ProtectedTag{{Key: "env", Value: "prod", From: envProtectedTags}}},
		{in: "frozen=", want: []rules.ProtectedTag{{Key: "frozen", Value: "", From: envProtectedTags}}},
		{in: "a=b=c", want: []rules.ProtectedTag{{Key: "a", Value: "b=c", From: envProtectedTags}}},
		{in: "env=prod,critical", wantErr: `HWC_PROTECTED_TAGS="env=prod,critical": the item "critical" is not key=value`},
		{in: "=prod", wantErr: `the item "=prod" is not key=value`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseProtectedTags(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestParseProtectedIDs_cases(t *testing.T) {
	for in, want := range map[string][]string{
		"":            nil,
		"a":           {"a"},
		" a , ,b ,":   {"a", "b"},
		"id1,id2,id1": {"id1", "id2", "id1"},
	} {
		var got []string
		for _, p := range parseProtectedIDs(in) {
			if p.From != envProtectedInstanceIDs {
				t.Errorf("%q: from %q", in, p.From)
			}
			got = append(got, p.ID)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, want %v", in, got, want)
		}
	}
}

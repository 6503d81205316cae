package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runFunction calls a function's Run as the framework does, with one argument.
func runFunction(f function.Function, arg attr.Value, result attr.Value) function.RunResponse {
	resp := function.RunResponse{Result: function.NewResultData(result)}
	f.Run(context.Background(), function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{arg})}, &resp)
	return resp
}

func TestUnixMSFunction_run(t *testing.T) {
	cases := []struct {
		name, in string
		want     int64
	}{
		{"utc", "2026-12-02T06:30:00Z", 1796193000000},
		{"offset", "2026-12-02T14:30:00+08:00", 1796193000000},
		{"negative offset", "2026-12-02T01:30:00-05:00", 1796193000000},
		{"milliseconds", "2026-12-02T06:30:00.250Z", 1796193000250},
		{"finer than a millisecond is dropped", "2026-12-02T06:30:00.2509999Z", 1796193000250},
		{"lower case t and z", "2026-12-02t06:30:00z", 1796193000000},
		{"what timeadd returns", "2026-12-02T14:20:00+08:00", 1796192400000},
		{"epoch", "1970-01-01T00:00:00Z", 0},
		{"before the epoch", "1969-12-31T23:59:59.999Z", -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := runFunction(unixMSFunction{}, types.StringValue(c.in), types.Int64Unknown())
			if resp.Error != nil {
				t.Fatalf("unix_ms(%q): error %s", c.in, resp.Error.Text)
			}
			if got := resp.Result.Value(); !got.Equal(types.Int64Value(c.want)) {
				t.Errorf("unix_ms(%q) = %s, want %d", c.in, got, c.want)
			}
		})
	}
}

func TestUnixMSFunction_badInput(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string // parts of the error, in any order
	}{
		{"space instead of T, no offset", "2026-12-02 14:30", []string{`timestamp is "2026-12-02 14:30"`, `a space separates the date and the time`, `"T"`, `"2026-12-02T14:30:00+08:00"`}},
		{"no offset", "2026-12-02T14:30:00", []string{`it has no offset`, `"Z" for UTC`, `"+08:00"`}},
		{"offset without a colon", "2026-12-02T14:30:00+0800", []string{`offset lacks the colon`, `"+08:00", not "+0800"`}},
		{"date only", "2026-12-02", []string{`a date without a time of day`}},
		{"empty", "", []string{`timestamp is ""`, `it is empty`}},
		{"month out of range", "2026-13-02T14:30:00Z", []string{`out of range`, `month`}},
		{"not a time", "yesterday", []string{`timestamp is "yesterday"`, `RFC 3339`}},
		{"milliseconds as a string", "1796193000000", []string{`RFC 3339`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := runFunction(unixMSFunction{}, types.StringValue(c.in), types.Int64Unknown())
			if resp.Error == nil {
				t.Fatalf("unix_ms(%q) = %s, want an error", c.in, resp.Result.Value())
			}
			if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 0 {
				t.Errorf("unix_ms(%q): error names argument %v, want 0", c.in, resp.Error.FunctionArgument)
			}
			for _, w := range c.want {
				if !strings.Contains(resp.Error.Text, w) {
					t.Errorf("unix_ms(%q): error %q lacks %q", c.in, resp.Error.Text, w)
				}
			}
		})
	}
}

func TestRFC3339Function_run(t *testing.T) {
	cases := []struct {
		name string
		in   int64
		want string
	}{
		{"whole second", 1796193000000, "2026-12-02T06:30:00Z"},
		{"milliseconds", 1796193000250, "2026-12-02T06:30:00.25Z"},
		{"one millisecond", 1796193000001, "2026-12-02T06:30:00.001Z"},
		{"epoch", 0, "1970-01-01T00:00:00Z"},
		{"before the epoch", -1, "1969-12-31T23:59:59.999Z"},
		{"first", minRFC3339Millis, "0001-01-01T00:00:00Z"},
		{"last", maxRFC3339Millis, "9999-12-31T23:59:59.999Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := runFunction(rfc3339Function{}, types.Int64Value(c.in), types.StringUnknown())
			if resp.Error != nil {
				t.Fatalf("rfc3339(%d): error %s", c.in, resp.Error.Text)
			}
			if got := resp.Result.Value(); !got.Equal(types.StringValue(c.want)) {
				t.Errorf("rfc3339(%d) = %s, want %q", c.in, got, c.want)
			}
			// The way back: unix_ms reads what rfc3339 writes.
			back := runFunction(unixMSFunction{}, types.StringValue(c.want), types.Int64Unknown())
			if back.Error != nil || !back.Result.Value().Equal(types.Int64Value(c.in)) {
				t.Errorf("unix_ms(%q) = %v (error %v), want %d", c.want, back.Result.Value(), back.Error, c.in)
			}
		})
	}
}

func TestRFC3339Function_badInput(t *testing.T) {
	for name, in := range map[string]int64{
		"microseconds": 1796193000000000,
		"too early":    minRFC3339Millis - 1,
		"too late":     maxRFC3339Millis + 1,
	} {
		t.Run(name, func(t *testing.T) {
			resp := runFunction(rfc3339Function{}, types.Int64Value(in), types.StringUnknown())
			if resp.Error == nil {
				t.Fatalf("rfc3339(%d) = %s, want an error", in, resp.Result.Value())
			}
			if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 0 {
				t.Errorf("rfc3339(%d): error names argument %v, want 0", in, resp.Error.FunctionArgument)
			}
			for _, w := range []string{"ms is ", "milliseconds", "9999-12-31T23:59:59.999Z"} {
				if !strings.Contains(resp.Error.Text, w) {
					t.Errorf("rfc3339(%d): error %q lacks %q", in, resp.Error.Text, w)
				}
			}
		})
	}
}

// The function writes a point in time as the resource writes restored_to of a restore_time.
func TestRFC3339Function_matchesRestoredTo(t *testing.T) {
	for _, ms := range []int64{1796193000000, 1796193000250} {
		resp := runFunction(rfc3339Function{}, types.Int64Value(ms), types.StringUnknown())
		if got, want := resp.Result.Value(), types.StringValue(msTime(ms)); !got.Equal(want) {
			t.Errorf("rfc3339(%d) = %s, restored_to would be %s", ms, got, want)
		}
	}
}

// The definitions pass the framework's own checks (what GetProviderSchema runs).
func TestFunctions_definitions(t *testing.T) {
	for _, f := range (&hwcProvider{}).Functions(context.Background()) {
		fn := f()
		var meta function.MetadataResponse
		fn.Metadata(context.Background(), function.MetadataRequest{}, &meta)
		var def function.DefinitionResponse
		fn.Definition(context.Background(), function.DefinitionRequest{}, &def)
		var v function.DefinitionValidateResponse
		def.Definition.ValidateImplementation(context.Background(), function.DefinitionValidateRequest{FuncName: meta.Name}, &v)
		if meta.Name == "" || def.Diagnostics.HasError() || v.Diagnostics.HasError() || def.Definition.Summary == "" {
			t.Errorf("function %q: definition %+v, diagnostics %v %v", meta.Name, def.Definition, def.Diagnostics, v.Diagnostics)
		}
	}
}

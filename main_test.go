package main

import (
	rdebug "runtime/debug"
	"testing"
)

func TestProviderVersion_sources(t *testing.T) {
	built := func(v string) *rdebug.BuildInfo {
		return &rdebug.BuildInfo{Main: rdebug.Module{Path: "github.com/opendrill/terraform-provider-hwc", Version: v}}
	}
	for _, c := range []struct {
		name, ldflags string
		info          *rdebug.BuildInfo
		want          string
	}{
		{name: "a release (GoReleaser's ldflags win)", ldflags: "0.1.0", info: built("v0.1.0"), want: "0.1.0"},
		{name: "go install of a tag", ldflags: "dev", info: built("v0.1.0"), want: "0.1.0"},
		{name: "go build in a checkout", ldflags: "dev", info: built("v0.1.1-0.20261203082204-c5d2703abcde+dirty"), want: "0.1.1-0.20261203082204-c5d2703abcde+dirty"},
		{name: "no module version", ldflags: "dev", info: built("(devel)"), want: "dev"},
		{name: "no build information", ldflags: "dev", info: nil, want: "dev"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := providerVersion(c.ldflags, c.info); got != c.want {
				t.Errorf("providerVersion(%q, %+v) = %q, want %q", c.ldflags, c.info, got, c.want)
			}
		})
	}
}

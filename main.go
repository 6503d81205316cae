// Command terraform-provider-hwc serves the hwc provider over the Terraform plugin protocol.
package main

import (
	"flag"
	"log"
	rdebug "runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/opendrill/terraform-provider-hwc/internal/provider"
)

// version is set at release time through -ldflags "-X main.version=..." (.goreleaser.yml).
var version = "dev"

// providerVersion is the version the provider reports (in its User-Agent, among others): the
// release's, else the module version Go records in a binary built by `go install
// github.com/opendrill/terraform-provider-hwc@v0.1.0` (without the "v"), else "dev".
func providerVersion(ldflags string, info *rdebug.BuildInfo) string {
	if ldflags != "dev" || info == nil {
		return ldflags
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return strings.TrimPrefix(v, "v")
	}
	return ldflags
}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	info, _ := rdebug.ReadBuildInfo()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(provider.Address, provider.ProtocolServer(provider.New(providerVersion(version, info))), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

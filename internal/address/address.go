// Package address holds the provider's registry addresses, the one place they are written: the
// provider serves itself under Terraform (main.go through provider.Address), and the CLI
// configuration that serves a local build (package tfcli, and through it the scripts) overrides
// both. The README's install section shows the same two addresses (a test in package tfcli checks
// that it does).
package address

// Source is what a configuration writes in required_providers: each CLI puts its own registry's
// host in front of it.
const Source = "opendrill/hwc"

// The registries' hosts: Terraform expands Source to TerraformHost/Source, OpenTofu to
// OpenTofuHost/Source.
const (
	TerraformHost = "registry.terraform.io"
	OpenTofuHost  = "registry.opentofu.org"
)

// The provider's full addresses on each registry.
const (
	Terraform = TerraformHost + "/" + Source
	OpenTofu  = OpenTofuHost + "/" + Source
)

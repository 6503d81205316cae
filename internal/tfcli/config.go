package tfcli

import (
	"fmt"
	"os"

	"github.com/opendrill/terraform-provider-hwc/internal/address"
)

// ConfigName is the file name Builds gives the CLI configuration.
const ConfigName = "cli.tfrc"

// Config is a CLI configuration whose dev_overrides serve opendrill/hwc from pluginDir under
// both registries' names (package address): "opendrill/hwc" in required_providers means
// registry.terraform.io to Terraform and registry.opentofu.org to OpenTofu. Every other provider
// installs as usual.
func Config(pluginDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    %[2]q = %[1]q
    %[3]q = %[1]q
  }
  direct {}
}
`, pluginDir, address.Terraform, address.OpenTofu)
}

// WriteConfig writes Config(pluginDir) to file.
func WriteConfig(file, pluginDir string) error {
	return os.WriteFile(file, []byte(Config(pluginDir)), 0o600)
}

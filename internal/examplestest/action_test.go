package examplestest

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opendrill/terraform-provider-hwc/internal/provider"
)

// TestActionExamples_arguments checks the action examples without a CLI: OpenTofu and Terraform
// before 1.14 cannot validate `action` blocks, so the `config` block of each action is compared
// with the action's schema here (every argument known, every required one present).
func TestActionExamples_arguments(t *testing.T) {
	server := providerserver.NewProtocol6(provider.New("test")())()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root(t), "examples", "actions", "*", "*.tf"))
	if len(files) == 0 {
		t.Fatal("no example under examples/actions")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", f, diags.Error())
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			t.Fatalf("%s: the native syntax parser returned a %T body", f, file.Body)
		}
		for _, b := range body.Blocks {
			if b.Type != "action" || len(b.Labels) != 2 {
				continue
			}
			schema, ok := resp.ActionSchemas[b.Labels[0]]
			if !ok {
				t.Skipf("SKIPPED until the provider has it: %s uses action %s, which the provider does not define yet", f, b.Labels[0])
			}
			checkActionConfig(t, f, b, schema.Schema.Block)
		}
	}
}

func checkActionConfig(t *testing.T, file string, action *hclsyntax.Block, schema *tfprotov6.SchemaBlock) {
	t.Helper()
	var config *hclsyntax.Block
	for _, b := range action.Body.Blocks {
		if b.Type == "config" {
			config = b
		}
	}
	if config == nil {
		t.Errorf("%s: action %s.%s has no config block", file, action.Labels[0], action.Labels[1])
		return
	}
	known := map[string]bool{}
	var required []string
	for _, a := range schema.Attributes {
		known[a.Name] = true
		if a.Required {
			required = append(required, a.Name)
		}
	}
	for name := range config.Body.Attributes {
		if !known[name] {
			t.Errorf("%s: action %s has no argument %q", file, action.Labels[0], name)
		}
	}
	sort.Strings(required)
	for _, name := range required {
		if _, ok := config.Body.Attributes[name]; !ok {
			t.Errorf("%s: action %s.%s lacks the required argument %q", file, action.Labels[0], action.Labels[1], name)
		}
	}
}

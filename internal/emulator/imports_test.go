package emulator

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The emulator speaks the API with wire types of its own: its non-test files import nothing of
// the provider's client or restore logic, so a wrong JSON tag there cannot pass on both sides.
func TestEmulator_doesNotImportTheClient(t *testing.T) {
	forbidden := []string{
		"github.com/opendrill/terraform-provider-hwc/internal/service/rds",
		"github.com/opendrill/terraform-provider-hwc/internal/service/restore",
		"github.com/opendrill/terraform-provider-hwc/internal/service/lookup",
		"github.com/opendrill/terraform-provider-hwc/internal/provider",
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == bad {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}

package examplestest

import (
	"path/filepath"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// TestLoadSeed_example: the seed the emulator guide shows (examples/emulator/seed.json) loads, and an
// emulator starts from it.
func TestLoadSeed_example(t *testing.T) {
	seed, err := emulator.LoadSeed(filepath.Join(root(t), "examples", "emulator", "seed.json"))
	if err != nil {
		t.Fatalf("the documented seed does not load: %v", err)
	}
	if len(seed.Instances) == 0 || len(seed.Backups) == 0 {
		t.Fatalf("the documented seed has %d instances and %d backups; it should show both", len(seed.Instances), len(seed.Backups))
	}
	s, err := emulator.New(emulator.Options{Seed: seed})
	if err != nil {
		t.Fatalf("emulator.New with the documented seed: %v", err)
	}
	s.Close()
}

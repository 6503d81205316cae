package tfcli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// Binary is a program of this module that tests build.
type Binary struct {
	Name    string // the file name in the build directory
	Package string // the import path
}

// The provider (the file name dev_overrides look for) and the emulator.
var (
	Provider = Binary{Name: "terraform-provider-hwc", Package: modulePath}
	Emulator = Binary{Name: "rds-emulator", Package: modulePath + "/cmd/rds-emulator"}
)

// Build runs `go build` for each binary into dir, from the module root.
func Build(dir string, bins ...Binary) error {
	root, err := ModuleRoot()
	if err != nil {
		return err
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("tfcli: go is needed to build the provider: %w", err)
	}
	for _, b := range bins {
		cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, b.Name), b.Package)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", b.Package, err, out)
		}
	}
	return nil
}

// Builds builds binaries once per process into a temporary directory with a CLI configuration
// that serves the provider from it; the zero value is ready, Remove deletes the directory.
type Builds struct {
	Binaries []Binary // default: Provider only

	once sync.Once
	dir  string
	err  error
}

// Dir builds on first use and returns the directory holding the binaries.
func (b *Builds) Dir() (string, error) {
	b.once.Do(func() {
		bins := b.Binaries
		if len(bins) == 0 {
			bins = []Binary{Provider}
		}
		dir, err := os.MkdirTemp("", "hwc-tfcli-")
		if err != nil {
			b.err = err
			return
		}
		if err := Build(dir, bins...); err != nil {
			b.err = err
			_ = os.RemoveAll(dir)
			return
		}
		if err := WriteConfig(filepath.Join(dir, ConfigName), dir); err != nil {
			b.err = err
			_ = os.RemoveAll(dir)
			return
		}
		b.dir = dir
	})
	return b.dir, b.err
}

// Config builds on first use and returns the CLI configuration that serves the built provider.
func (b *Builds) Config() (string, error) {
	dir, err := b.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, ConfigName), nil
}

// Path returns the path of a built binary.
func (b *Builds) Path(bin Binary) (string, error) {
	dir, err := b.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, bin.Name), nil
}

// Remove deletes what was built (for TestMain, after the tests ran).
func (b *Builds) Remove() {
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}

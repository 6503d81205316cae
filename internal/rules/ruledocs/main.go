package main

import (
	"fmt"
	"os"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

func main() {
	if len(os.Args) < 3 || (os.Args[1] != "generate" && os.Args[1] != "check") {
		fmt.Fprintln(os.Stderr, "usage: ruledocs generate|check FILE...")
		os.Exit(2)
	}
	stale := false
	for _, path := range os.Args[2:] {
		old, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		doc, err := rules.UpdateRuleTables(string(old))
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		if doc == string(old) {
			continue
		}
		if os.Args[1] == "check" {
			fmt.Fprintf(os.Stderr, "%s: the rule tables differ from the rule catalogue: run `make docs` and commit the result\n", path)
			stale = true
			continue
		}
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			fail(err)
		}
		fmt.Printf("%s: rule tables regenerated from the rule catalogue\n", path)
	}
	if stale {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ruledocs:", err)
	os.Exit(1)
}

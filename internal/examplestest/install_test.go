package examplestest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// changelogHeading is a release's heading in CHANGELOG.md: "## 0.1.0 (Unreleased)" or
// "## 0.1.0 (December 3, 2026)".
var changelogHeading = regexp.MustCompile(`^## (\d+)\.(\d+)\.(\d+) \(([^)]+)\)$`)

// changelogSections are the sections a release may have, as the HashiCorp providers write them.
var changelogSections = map[string]bool{
	"BREAKING CHANGES:": true, "NOTES:": true, "FEATURES:": true, "ENHANCEMENTS:": true, "BUG FIXES:": true,
}

// versionConstraint is the constraint every example pins: "~> MAJOR.MINOR" of the newest release
// in CHANGELOG.md, the one place that says which version is current.
func versionConstraint(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(t), "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if m := changelogHeading.FindStringSubmatch(line); m != nil {
			return "~> " + m[1] + "." + m[2]
		}
	}
	t.Fatal("CHANGELOG.md has no release heading such as \"## 0.1.0 (Unreleased)\"")
	return ""
}

// TestChangelog_format: CHANGELOG.md starts with a release heading, and every release has only
// the usual sections, each with at least one entry.
func TestChangelog_format(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if !changelogHeading.MatchString(lines[0]) {
		t.Fatalf("CHANGELOG.md starts with %q, want a release heading such as \"## 0.1.0 (Unreleased)\"", lines[0])
	}
	section, entries := "", 0
	end := func() {
		if section != "" && entries == 0 {
			t.Errorf("CHANGELOG.md: section %s has no entry", section)
		}
	}
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "## "):
			end()
			section, entries = "", 0
			if !changelogHeading.MatchString(line) {
				t.Errorf("CHANGELOG.md: heading %q is not \"## X.Y.Z (date or Unreleased)\"", line)
			}
		case strings.HasSuffix(line, ":") && strings.ToUpper(line) == line:
			end()
			section, entries = line, 0
			if !changelogSections[line] {
				t.Errorf("CHANGELOG.md: unknown section %q", line)
			}
		case strings.HasPrefix(line, "* "):
			if section == "" {
				t.Errorf("CHANGELOG.md: entry outside a section: %q", line)
			}
			entries++
		}
	}
	end()
}

// requiredProvider finds the hwc entry of a required_providers block, in either layout.
var requiredProvider = regexp.MustCompile(`(?s)required_providers\s*\{\s*hwc\s*=\s*\{([^}]*)\}`)

// TestExamples_versionPinned: every example and every HCL block of the README and the doc
// templates that declares opendrill/hwc pins the current version (versionConstraint).
func TestExamples_versionPinned(t *testing.T) {
	want := versionConstraint(t)
	pin := regexp.MustCompile(`version\s*=\s*"` + regexp.QuoteMeta(want) + `"`)
	var files []string
	for _, dir := range []string{"examples", "templates"} {
		err := filepath.WalkDir(filepath.Join(root(t), dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tmpl")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	files = append(files, filepath.Join(root(t), "README.md"))
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root(t), f)
		for _, m := range requiredProvider.FindAllStringSubmatch(string(data), -1) {
			checked++
			if !pin.MatchString(m[1]) {
				t.Errorf("%s: required_providers declares hwc without version = %q: {%s}", rel, want, m[1])
			}
		}
	}
	if checked == 0 {
		t.Fatal("no required_providers block declares hwc")
	}
}

// frontMatter returns the YAML front matter of a doc page or template (between the --- lines).
func frontMatter(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.HasPrefix(s, "---\n") {
		return ""
	}
	fm, _, ok := strings.Cut(s[len("---\n"):], "\n---\n")
	if !ok {
		return ""
	}
	return fm
}

var subcategory = regexp.MustCompile(`(?m)^subcategory: "([^"]+)"$`)

// TestDocs_subcategory: every page but the provider's index has a subcategory, in its template
// (so generation keeps it) and in the generated page (a type without a template of its own gets
// tfplugindocs's default, whose subcategory is empty).
func TestDocs_subcategory(t *testing.T) {
	for _, dir := range []string{"templates", "docs"} {
		pages := 0
		err := filepath.WalkDir(filepath.Join(root(t), dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".md.tmpl")) {
				return err
			}
			rel, _ := filepath.Rel(root(t), p)
			if base := filepath.Base(p); base == "index.md" || base == "index.md.tmpl" {
				return nil
			}
			pages++
			if !subcategory.MatchString(frontMatter(t, p)) {
				t.Errorf("%s has no subcategory in its front matter (\"RDS\" for a type, \"Guides\" for a guide)", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if pages == 0 {
			t.Errorf("no page under %s/", dir)
		}
	}
}

// ruleID is a rule id as the guides cite it (S1-S12, A1-A17).
var ruleID = regexp.MustCompile(`\b[SA][0-9]{1,2}\b`)

// TestGuides_ruleIDs: every rule id a guide cites is in the rule catalogue (internal/rules), whose
// tests hold each rule's severity.
func TestGuides_ruleIDs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root(t), "templates", "guides", "*.md.tmpl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no guide templates: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ruleID.FindAllString(string(data), -1) {
			if _, ok := rules.LookupRule(id); !ok {
				t.Errorf("%s cites rule %s, which the catalogue does not have", filepath.Base(f), id)
			}
		}
	}
}

package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCatalogue_everyRuleOnce: every documented rule (S1-S12, A1-A18) is in the catalogue once, in
// order, with its documentation, and is checked: by a check of its own, or by the rule it
// names as CheckedAs.
func TestCatalogue_everyRuleOnce(t *testing.T) {
	var want []string
	for i := 1; i <= 12; i++ {
		want = append(want, "S"+strconv.Itoa(i))
	}
	for i := 1; i <= 18; i++ {
		want = append(want, "A"+strconv.Itoa(i))
	}
	got := Catalogue()
	if len(got) != len(want) {
		t.Fatalf("catalogue has %d rules, want %d", len(got), len(want))
	}
	for i, r := range got {
		if r.ID != want[i] {
			t.Errorf("rule %d is %s, want %s", i, r.ID, want[i])
		}
		if wantKind := map[byte]Kind{'S': StaticRule, 'A': APIRule}[r.ID[0]]; r.Kind != wantKind {
			t.Errorf("%s: kind %s, want %s", r.ID, r.Kind, wantKind)
		}
		if strings.TrimSpace(r.Checked) == "" || strings.TrimSpace(r.Remedy) == "" {
			t.Errorf("%s: documentation missing", r.ID)
		}
		switch {
		case r.CheckedAs != "":
			if other, ok := LookupRule(r.CheckedAs); !ok || other.api == nil && other.static == nil {
				t.Errorf("%s is checked as %q, which is not a checked rule", r.ID, r.CheckedAs)
			}
		case r.static == nil && r.api == nil:
			t.Errorf("%s has no check", r.ID)
		}
		if r.Kind == APIRule && r.static != nil {
			t.Errorf("%s is an API rule with a static check", r.ID)
		}
		if lr, ok := LookupRule(r.ID); !ok || lr.ID != r.ID {
			t.Errorf("LookupRule(%s) = %v, %v", r.ID, lr.ID, ok)
		}
	}
	if _, ok := LookupRule("A99"); ok {
		t.Error("LookupRule found a rule that does not exist")
	}
}

// TestCatalogue_everyFindingComesFromItsRule: each check reports only its own rule, so the catalogue says
// truthfully where each rule is checked.
func TestCatalogue_everyFindingComesFromItsRule(t *testing.T) {
	for _, c := range ruleCases {
		req, f := c.inputs()
		f = withoutDropped(f)
		for _, r := range catalogue {
			var col collector
			if r.static != nil {
				r.static(&col, req, testNow)
			}
			if r.api != nil {
				a := apiCheck{c: &col, req: req, f: f, mode: EffectiveType(req)}
				a.src, a.tgt = a.label(req.SourceInstanceID, f.Source), a.label(req.TargetInstanceID, f.Target)
				a.sameInstance = isSet(req.SourceInstanceID) && sameText(req.SourceInstanceID, req.TargetInstanceID)
				a.engine = a.commonEngine()
				r.api(&a)
			}
			for _, got := range col.list {
				if got.Rule != r.ID {
					t.Errorf("%s: the check of %s reported %s", c.name, r.ID, got.Rule)
				}
			}
		}
	}
}

// TestRuleTable_matchesTemplate: the resource page's template carries the tables the catalogue
// renders (make docs writes them; this fails when someone changes a rule and not the page).
func TestRuleTable_matchesTemplate(t *testing.T) {
	path := filepath.Join("..", "..", "templates", "resources", "rds_instance_restore.md.tmpl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := UpdateRuleTables(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if doc != string(b) {
		t.Errorf("%s: the rule tables differ from the rule catalogue; run `make docs`", path)
	}
	for _, r := range catalogue {
		if !regexp.MustCompile(`(?m)^\| ` + r.ID + ` \| `).MatchString(doc) {
			t.Errorf("the page has no row for %s", r.ID)
		}
	}
}

func TestUpdateRuleTables_rewrites(t *testing.T) {
	doc := "intro\n" + "<!-- rule table: api (generated from the rule catalogue; do not edit) -->\nstale\n<!-- end of rule table -->\noutro\n"
	got, err := UpdateRuleTables(doc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "stale") || !strings.Contains(got, "| A17 |") || strings.Contains(got, "| S1 |") ||
		!strings.HasPrefix(got, "intro\n") || !strings.HasSuffix(got, "<!-- end of rule table -->\noutro\n") {
		t.Errorf("UpdateRuleTables:\n%s", got)
	}
	if again, _ := UpdateRuleTables(got); again != got {
		t.Error("UpdateRuleTables is not idempotent")
	}
	if _, err := UpdateRuleTables("no markers"); err == nil {
		t.Error("a document without markers must be an error")
	}
	if _, err := UpdateRuleTables("<!-- rule table: static (generated from the rule catalogue; do not edit) -->\n"); err == nil {
		t.Error("a begin marker without an end must be an error")
	}
}

// TestSubmitted_engineKnown: what the provider sends once the engine is known.
func TestSubmitted_engineKnown(t *testing.T) {
	all := true
	req := Request{SourceInstanceID: "s", TargetInstanceID: "t", BackupID: "b", RestoreAllDatabase: &all, DatabaseName: map[string]string{}}
	for engine, wantAll := range map[string]bool{"MySQL": false, "PostgreSQL": false, "SQLServer": true, "": true} {
		got := Submitted(req, engine)
		if (got.RestoreAllDatabase != nil) != wantAll {
			t.Errorf("%q: restore_all_database sent = %v, want %v", engine, got.RestoreAllDatabase != nil, wantAll)
		}
		if got.DatabaseName != nil {
			t.Errorf("%q: an empty database_name must not be sent", engine)
		}
	}
	req.DatabaseName = map[string]string{"A": "A1"}
	if got := Submitted(req, "SQLServer"); len(got.DatabaseName) != 1 {
		t.Errorf("database_name dropped: %v", got.DatabaseName)
	}
}

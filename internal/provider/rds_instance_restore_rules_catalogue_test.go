package provider_test

// The rule catalogue against the end-to-end rule tables: every documented rule has, in the
// tables the acceptance tests run through the CLI, a configuration that breaks it (an error, or
// the warning a rule gives by design) and one that passes it cleanly. This test needs no CLI, so
// it runs with the unit tests: adding a rule to the catalogue without its end-to-end cases fails.

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

func TestRuleCatalogue_endToEndCases(t *testing.T) {
	breaking, clean := map[string]int{}, map[string]int{}
	for _, c := range allRuleCases() {
		id := ruleID(c.rule)
		if _, ok := rules.LookupRule(id); !ok {
			t.Errorf("rule case %q is for %s, which the catalogue does not have", c.rule, id)
		}
		for _, s := range c.fail {
			if s.err == nil {
				t.Errorf("%s: a failing step has no expected error", c.rule)
			}
			breaking[id]++
		}
		for _, s := range c.pass {
			if s.warn != nil {
				breaking[id]++
			} else {
				clean[id]++
			}
		}
	}
	for _, r := range rules.Catalogue() {
		if breaking[r.ID] == 0 || clean[r.ID] == 0 {
			t.Errorf("rule %s has %d end-to-end configurations that break it (an error or its warning) and %d that pass it cleanly; want at least one of each",
				r.ID, breaking[r.ID], clean[r.ID])
		}
	}
}

// allRuleCases are the end-to-end rule tables.
func allRuleCases() []ruleCase {
	return append(staticRuleCases(), apiRuleCases()...)
}

// ruleID is the rule a case is for: its name up to the first "_" ("A5_unknownTargetYear" is A5).
func ruleID(name string) string {
	id, _, _ := strings.Cut(name, "_")
	return id
}

// diagRecorder keeps the diagnostics the provider returned to the CLI for validation and plans:
// the CLI prints warnings but the testing framework does not expose them, so the rule tests read
// them here, as the provider sent them.
type diagRecorder struct {
	mu    sync.Mutex
	diags []*tfprotov6.Diagnostic
}

func (r *diagRecorder) add(ds []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.diags = append(r.diags, ds...)
}

func (r *diagRecorder) clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.diags = nil
}

// warnings returns each warning as "summary\ndetail".
func (r *diagRecorder) warnings() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, d := range r.diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			out = append(out, d.Summary+"\n"+d.Detail)
		}
	}
	return out
}

// recordingFactories serve the provider as acctest.ProviderFactories do, recording diagnostics.
func recordingFactories(rec *diagRecorder) map[string]func() (tfprotov6.ProviderServer, error) {
	out := map[string]func() (tfprotov6.ProviderServer, error){}
	for name, f := range acctest.ProviderFactories() {
		out[name] = func() (tfprotov6.ProviderServer, error) {
			s, err := f()
			return recordingServer{ProviderServer: s, rec: rec}, err
		}
	}
	return out
}

type recordingServer struct {
	tfprotov6.ProviderServer
	rec *diagRecorder
}

func (s recordingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateResourceConfig(ctx, req)
	if resp != nil {
		s.rec.add(resp.Diagnostics)
	}
	return resp, err
}

func (s recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.add(resp.Diagnostics)
	}
	return resp, err
}

// ruleWarning matches one warning as the provider sends it: the summary, then the phrases of the
// detail in order, then the rule mention.
func ruleWarning(rule, summary string, phrases ...string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)\A` + regexp.QuoteMeta(summary) + `\n`)
	for _, p := range phrases {
		b.WriteString(`.*?` + regexp.QuoteMeta(p))
	}
	b.WriteString(`.*?\(Rule ` + regexp.QuoteMeta(rule) + ` of the documented restore constraints\.\)\z`)
	return regexp.MustCompile(b.String())
}

// checkWarnings checks the warnings of one passing step: want (when set) must be among them, and
// without want no warning may name the case's rule.
func checkWarnings(t *testing.T, what string, rule string, want *regexp.Regexp, got []string) {
	t.Helper()
	if want != nil {
		for _, w := range got {
			if want.MatchString(w) {
				return
			}
		}
		t.Errorf("%s: no warning matches %s; warnings: %q", what, want, got)
		return
	}
	for _, w := range got {
		if strings.Contains(w, "(Rule "+ruleID(rule)+" of") {
			t.Errorf("%s passes rule %s cleanly, yet the provider warned: %q", what, ruleID(rule), w)
		}
	}
}

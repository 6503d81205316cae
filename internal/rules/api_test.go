package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCheckAPI_missingDataNeverFails is the rules' first principle (package doc): instances the API
// describes with no versions, sizes, zones, collations, database lists or quota give warnings
// at most, never an error.
func TestCheckAPI_missingDataNeverFails(t *testing.T) {
	names := map[string]string{"A": "a,A1", "D": "D1,d1", "E": ""}
	for _, engine := range []string{"SQLServer", "MySQL", "PostgreSQL", ""} {
		for _, mode := range []Request{
			{SourceInstanceID: "src", TargetInstanceID: "tgt", BackupID: "b1"},
			{SourceInstanceID: "src", TargetInstanceID: "tgt", RestoreTime: ms(testNow.Add(-time.Hour))},
		} {
			f := Facts{
				Source: &Instance{ID: "src", Engine: engine},
				Target: &Instance{ID: "tgt", Engine: engine},
				Backup: &Backup{ID: "b1"},
			}
			if engine == "SQLServer" || engine == "" {
				mode.DatabaseName = names
			}
			got := CheckAPI(mode, f)
			checkWellFormed(t, got)
			if HasErrors(got) {
				t.Errorf("engine %q, mode %q: unknown facts gave errors: %v", engine, EffectiveType(mode), ruleIDs(got))
			}
		}
	}
}

// TestCheckAPI_notFound: A1 alone when an instance is missing; no rule that needs it runs.
func TestCheckAPI_notFound(t *testing.T) {
	req := baseRequest()
	req.DatabaseName = map[string]string{"A": "A1"}

	f := baseFacts("sqlserver")
	f.Source, f.Target = nil, nil
	if got, want := ruleIDs(CheckAPI(req, f)), []string{"A1/error/source_instance_id", "A1/error/target_instance_id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("both missing: got %v, want %v", got, want)
	}

	f = baseFacts("sqlserver")
	f.Source = nil
	f.Target.Version = "2008_R2_SE" // would be an A5 error, if A5 ran
	f.Target.TimeZone = "UTC"       // would be an A6 error
	if got, want := ruleIDs(CheckAPI(req, f)), []string{"A1/error/source_instance_id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("source missing: got %v, want %v", got, want)
	}

	// An id not configured yet is S1's business, not A1's.
	req.SourceInstanceID = ""
	if got := CheckAPI(req, f); len(got) != 0 {
		t.Errorf("empty source id: got %v", ruleIDs(got))
	}
}

// TestCheckAPI_engineMismatchOnly: different engines give A2 and no version rule on top.
func TestCheckAPI_engineMismatchOnly(t *testing.T) {
	f := baseFacts("mysql")
	f.Target = postgresInstance("tgt", "12.6")
	req := baseRequest()
	req.RestoreAllDatabase = boolp(true)
	if got, want := ruleIDs(CheckAPI(req, f)), []string{"A2/error/target_instance_id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestCheckAPI_A17ByPhase: one busy target, three answers.
func TestCheckAPI_A17ByPhase(t *testing.T) {
	for phase, want := range map[Phase][]string{
		PhasePlan:   {"A17/warning/target_instance_id"},
		PhaseApply:  nil,
		PhaseServer: {"A17/error/target_instance_id"},
	} {
		f := baseFacts("sqlserver")
		f.Target.Status, f.Phase = "REBOOTING", phase
		if got := ruleIDs(CheckAPI(baseRequest(), f)); !reflect.DeepEqual(got, want) {
			t.Errorf("phase %d: got %v, want %v", phase, got, want)
		}
	}
}

// TestCheckAPI_A17StuckByPhase: a target that cannot become ACTIVE by itself is an error at
// every phase, naming the state.
func TestCheckAPI_A17StuckByPhase(t *testing.T) {
	for _, st := range StuckTargetStates() {
		for _, phase := range []Phase{PhasePlan, PhaseApply, PhaseServer} {
			f := baseFacts("sqlserver")
			f.Target.Status, f.Phase = st, phase
			got := CheckAPI(baseRequest(), f)
			if ids, want := ruleIDs(got), []string{"A17/error/target_instance_id"}; !reflect.DeepEqual(ids, want) {
				t.Errorf("%s, phase %d: got %v, want %v", st, phase, ids, want)
				continue
			}
			if !strings.Contains(got[0].Detail, "is "+st) {
				t.Errorf("%s: detail does not name the state: %s", st, got[0].Detail)
			}
		}
	}
}

// TestTargetStateStuck_table: the stuck states, whatever their case; transient ones are not.
func TestTargetStateStuck_table(t *testing.T) {
	for st, want := range map[string]bool{
		"FROZEN": true, "failed": true, "STORAGE FULL": true, "CREATE FAIL": true, " SHUTDOWN ": true,
		"ACTIVE": false, "BACKING UP": false, "RESTORING": false, "REBOOTING": false, "": false,
	} {
		if got := TargetStateStuck(st); got != want {
			t.Errorf("TargetStateStuck(%q) = %v, want %v", st, got, want)
		}
	}
}

func TestFirstError_andHasErrors(t *testing.T) {
	f := baseFacts("sqlserver")
	f.Target.Status, f.Phase = "REBOOTING", PhaseServer
	f.Backup.Status = "FAILED"
	got := Check(baseRequest(), f)
	first, ok := FirstError(got)
	if !ok || !HasErrors(got) || first.Rule != "A12" || first.APICode != CodeBackupUnusable {
		t.Errorf("FirstError = %+v, %v (findings %v)", first, ok, ruleIDs(got))
	}
	if _, ok := FirstError(nil); ok || HasErrors(nil) {
		t.Error("no findings must mean no error")
	}
}

func TestDescribeNames_lists(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, "no databases"},
		{[]string{"A"}, `"A"`},
		{[]string{"A", "B", "C"}, `"A", "B" and "C"`},
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}, `"a", "b", "c", "d", "e", "f", "g", "h", "i", "j" and 2 more`},
	}
	for _, tt := range tests {
		if got := describeNames(tt.in); got != tt.want {
			t.Errorf("describeNames(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestCheckProtected_freshRead: A18 on its own, as the provider runs it right before the
// submission: by id without a read of the instance, by tag on the instance read.
func TestCheckProtected_freshRead(t *testing.T) {
	p := Protection{
		Tags:        []ProtectedTag{{Key: "env", Value: "prod", From: "HWC_PROTECTED_TAGS"}},
		InstanceIDs: []ProtectedID{{ID: "prod-1", From: "the provider's protected_instance_ids"}},
	}
	cases := []struct {
		name   string
		target string
		in     *Instance
		want   string // "" = not protected, else a part of the detail
	}{
		{name: "id, no read", target: " PROD-1 ", want: "protected_instance_ids"},
		{name: "tag", target: "t", in: &Instance{ID: "t", Name: "db", Tags: map[string]string{"env": "prod"}}, want: `"t" (db) is protected: it carries the tag env = "prod", which HWC_PROTECTED_TAGS protects`},
		{name: "other value", target: "t", in: &Instance{ID: "t", Tags: map[string]string{"env": "Prod"}}},
		{name: "no tags", target: "t", in: &Instance{ID: "t"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckProtected(c.target, c.in, p)
			checkWellFormed(t, got)
			if c.want == "" {
				if len(got) != 0 {
					t.Fatalf("want nothing, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Rule != "A18" || !strings.Contains(got[0].Detail, c.want) {
				t.Fatalf("want A18 mentioning %q, got %+v", c.want, got)
			}
		})
	}
	if len(CheckProtected("prod-1", nil, Protection{})) != 0 || !(Protection{}).Empty() {
		t.Error("an empty protection protects nothing")
	}
}

package rules

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// testNow is the fixed "now" of every test, so restore_time checks are exact.
var testNow = time.Date(2025, 8, 20, 12, 0, 0, 0, time.UTC)

func ms(t time.Time) *int64 { v := t.UnixMilli(); return &v }
func i64(v int64) *int64    { return &v }
func boolp(v bool) *bool    { return &v }

// sqlServerInstance is a healthy SQL Server instance with a case-insensitive collation.
func sqlServerInstance(id string, dbs ...string) *Instance {
	return &Instance{
		ID: id, Name: id + "-name", Status: "ACTIVE", Region: "cn-north-4",
		Engine: "SQLServer", Version: "2017_SE", VolumeGB: 100,
		TimeZone: "China Standard Time", Collation: "Chinese_PRC_CI_AS",
		Databases: dbs, DatabasesQuota: 100,
	}
}

func mysqlInstance(id, complete string) *Instance {
	return &Instance{
		ID: id, Name: id + "-name", Status: "ACTIVE", Region: "cn-north-4",
		Engine: "MySQL", Version: complete[:3], CompleteVersion: complete, VolumeGB: 100,
		TimeZone: "UTC+08:00", LowerCaseTableNames: "1", Databases: []string{"app"},
	}
}

func postgresInstance(id, complete string) *Instance {
	return &Instance{
		ID: id, Name: id + "-name", Status: "ACTIVE", Region: "cn-north-4",
		Engine: "PostgreSQL", Version: strings.Split(complete, ".")[0], CompleteVersion: complete,
		VolumeGB: 100, TimeZone: "UTC", Databases: []string{"postgres"},
	}
}

// baseRequest restores backup b1 of "src" onto "tgt" (mode inferred: backup).
func baseRequest() Request {
	return Request{SourceInstanceID: "src", TargetInstanceID: "tgt", BackupID: "b1"}
}

// baseFacts returns a consistent world for engine "sqlserver", "mysql" or "postgres": every
// rule passes for baseRequest, with no warnings.
func baseFacts(engine string) Facts {
	f := Facts{Region: "cn-north-4", Phase: PhasePlan, Now: testNow,
		Backup:  &Backup{ID: "b1", InstanceID: "src", Status: "COMPLETED", SizeKB: 1024 * 1024},
		Windows: []Window{{Start: testNow.Add(-48 * time.Hour).UnixMilli(), End: testNow.Add(-10 * time.Minute).UnixMilli()}},
	}
	switch engine {
	case "sqlserver":
		f.Source = sqlServerInstance("src", "A", "B", "C", "D")
		f.Target = sqlServerInstance("tgt", "X")
		f.Backup.Databases = []string{"A", "B", "C", "D"}
	case "mysql":
		f.Source = mysqlInstance("src", "5.7.25")
		f.Target = mysqlInstance("tgt", "5.7.27")
	case "postgres":
		f.Source = postgresInstance("src", "12.6")
		f.Target = postgresInstance("tgt", "12.6")
	default:
		panic("unknown engine " + engine)
	}
	return f
}

// checkWellFormed asserts what every finding must carry, whatever the input.
func checkWellFormed(t testing.TB, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Rule == "" || f.Attribute == "" || f.Summary == "" || f.Detail == "" {
			t.Errorf("finding lacks a field: %+v", f)
		}
		if _, ok := ruleRank[f.Rule]; !ok {
			t.Errorf("unknown rule id %q in %+v", f.Rule, f)
		}
		if !strings.HasSuffix(f.Detail, "(rule "+f.Rule+")") {
			t.Errorf("detail does not name rule %s: %q", f.Rule, f.Detail)
		}
		if !isTitleCase(f.Summary) {
			t.Errorf("summary is not Title Case: %q", f.Summary)
		}
		switch f.Severity {
		case Error:
			if r, _ := LookupRule(f.Rule); r.Guard {
				if f.APICode != "" || f.HTTPStatus != 0 {
					t.Errorf("an error of the provider's guard %s with an API code: %+v", f.Rule, f)
				}
				continue
			}
			if f.APICode == "" || (f.HTTPStatus != 400 && f.HTTPStatus != 404 && f.HTTPStatus != 409) {
				t.Errorf("error without API code/status: %+v", f)
			}
		case Warning:
			if f.APICode != "" || f.HTTPStatus != 0 {
				t.Errorf("warning with an API code: %+v", f)
			}
		default:
			t.Errorf("bad severity %d", f.Severity)
		}
	}
	for i := 1; i < len(fs); i++ {
		if ruleRank[fs[i-1].Rule] > ruleRank[fs[i].Rule] {
			t.Errorf("findings not in rule order: %s before %s", fs[i-1].Rule, fs[i].Rule)
		}
	}
}

func isTitleCase(s string) bool {
	for _, w := range strings.Fields(s) {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

func ruleIDs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"/"+f.Severity.String()+"/"+f.Attribute)
	}
	return out
}

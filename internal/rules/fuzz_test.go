package rules

import (
	"reflect"
	"testing"
)

// FuzzCheckStatic feeds arbitrary database_name entries, types and restore times to every
// check. Whatever comes in: no panic, the same answer twice, and every finding well-formed (an
// Error always says which rule, which attribute, and why).
func FuzzCheckStatic(f *testing.F) {
	f.Add("backup", "A", "A,A1,A2", "D", "D1,d1", int64(1532001446987), false)
	f.Add("", "B", "B1,B2", "C", "B1,C1", int64(1532001446), true)
	f.Add("timestamp", "", " , ", "master", "tempdb_x,ok", int64(-1), true)
	f.Fuzz(func(t *testing.T, typ, k1, v1, k2, v2 string, restoreTime int64, hasTime bool) {
		req := Request{SourceInstanceID: "src", TargetInstanceID: "tgt", Type: typ, BackupID: "b1",
			DatabaseName: map[string]string{k1: v1, k2: v2}}
		if hasTime {
			req.RestoreTime = &restoreTime
			req.BackupID = ""
		}
		got := CheckStatic(req, testNow)
		checkWellFormed(t, got)
		if again := CheckStatic(req, testNow); !reflect.DeepEqual(got, again) {
			t.Fatalf("not deterministic:\n%v\n%v", ruleIDs(got), ruleIDs(again))
		}
		for _, engine := range []string{"sqlserver", "mysql"} {
			facts := baseFacts(engine)
			facts.Target.Databases = []string{k1, v2}
			checkWellFormed(t, Check(req, facts))
		}
	})
}

// FuzzCompareVersions: a total order's basic laws hold for any input.
func FuzzCompareVersions(f *testing.F) {
	f.Add("5.7.25", "5.7.27")
	f.Add("8.0.28-log", "8.0.100")
	f.Add("v1..2", "00001.0.x")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := CompareVersions(a, b), CompareVersions(b, a)
		if ab < -1 || ab > 1 {
			t.Fatalf("CompareVersions(%q, %q) = %d", a, b, ab)
		}
		if ab != -ba {
			t.Fatalf("not antisymmetric: (%q, %q) = %d, reversed %d", a, b, ab, ba)
		}
		if CompareVersions(a, a) != 0 {
			t.Fatalf("CompareVersions(%q, itself) != 0", a)
		}
	})
}

// FuzzSQLServerMove: allowed implies known, and a version the table knows restores onto itself.
func FuzzSQLServerMove(f *testing.F) {
	f.Add("2017_SE", "2019_EE")
	f.Add("2008_R2_SE", "2012 Enterprise Edition")
	f.Add("2008r2r2se", "SE 2017 sql")
	f.Fuzz(func(t *testing.T, from, to string) {
		allowed, known := SQLServerMove(from, to)
		if allowed && !known {
			t.Fatalf("SQLServerMove(%q, %q) allowed but unknown", from, to)
		}
		if _, known := SQLServerMove(from, from); known {
			if allowed, _ := SQLServerMove(from, from); !allowed {
				t.Fatalf("%q cannot restore onto itself", from)
			}
		}
		// The A5 rule on these versions yields well-formed findings.
		facts := baseFacts("sqlserver")
		facts.Source.Version, facts.Target.Version = from, to
		checkWellFormed(t, CheckAPI(baseRequest(), facts))
	})
}

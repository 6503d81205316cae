package rules

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// databaseNameSpec turns one fuzzed string into a database_name map of any size: entries split
// at ";", each "original=new names" at its first "=" (an entry without "=" maps to "").
func databaseNameSpec(spec string) map[string]string {
	m := map[string]string{}
	for i, entry := range strings.Split(spec, ";") {
		if i >= 12 {
			break
		}
		k, v, _ := strings.Cut(entry, "=")
		m[k] = v
	}
	return m
}

// FuzzDatabaseName parses arbitrary database_name maps, as users write them, and checks what the
// parsing promises and what the rules do with it: Renames keeps every key and yields trimmed,
// non-empty names without commas, in the order written; RestoredDatabases is sorted, free of
// duplicates, keeps the target's databases and adds each listed one under its final names; and
// the static and API checks are deterministic, never panic, and every finding is a well-formed
// diagnostic.
func FuzzDatabaseName(f *testing.F) {
	f.Add("sales=sales,sales_copy;hr=hr_2026", "A,B")
	f.Add("A=;B= , ,B1", "A")
	f.Add("=x;master=master_copy;tempdb=", "")
	f.Add("db=Db,DB,db;x=y", "Db,x")
	f.Add(" a =  b  ,\tc ;;", " a ")
	f.Add("ü=名前,naïve;"+strings.Repeat("n", 70)+"=ok", "ü")
	f.Add("k=a,,b,,,c", "a,b,c")
	f.Fuzz(func(t *testing.T, spec, targetDBs string) {
		m := databaseNameSpec(spec)
		renames := Renames(m)
		if len(renames) != len(m) {
			t.Fatalf("Renames(%q) has %d keys, want %d", m, len(renames), len(m))
		}
		for orig, names := range renames {
			if _, ok := m[orig]; !ok {
				t.Fatalf("Renames invented key %q", orig)
			}
			var want []string
			for _, item := range strings.Split(m[orig], ",") {
				if s := strings.TrimSpace(item); s != "" {
					want = append(want, s)
				}
			}
			if len(names) != len(want) || (len(want) > 0 && !reflect.DeepEqual(names, want)) {
				t.Fatalf("Renames(%q)[%q] = %q, want %q", m[orig], orig, names, want)
			}
			for _, n := range names {
				if n == "" || n != strings.TrimSpace(n) || strings.Contains(n, ",") {
					t.Fatalf("Renames gave the name %q", n)
				}
			}
		}

		existing := strings.Split(targetDBs, ",")
		restored := []string{"A", "B", "C"}
		got := RestoredDatabases("SQLServer", existing, restored, m)
		if !sort.StringsAreSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("RestoredDatabases = %q: not sorted and unique", got)
		}
		for _, e := range existing {
			if !slices.Contains(got, e) {
				t.Fatalf("RestoredDatabases dropped the target's database %q: %q", e, got)
			}
		}
		if len(m) > 0 {
			for orig, names := range renames {
				for _, n := range finalNames(orig, names) {
					if !slices.Contains(got, n) {
						t.Fatalf("RestoredDatabases lacks %q (from %q): %q", n, orig, got)
					}
				}
			}
		}
		if mysql := RestoredDatabases("MySQL", existing, restored, m); !reflect.DeepEqual(mysql, restored) {
			t.Fatalf("MySQL restores the whole instance: got %q, want %q", mysql, restored)
		}

		req := Request{SourceInstanceID: "src", TargetInstanceID: "tgt", BackupID: "b1", DatabaseName: m}
		static := CheckStatic(req, testNow)
		checkWellFormed(t, static)
		if again := CheckStatic(req, testNow); !reflect.DeepEqual(static, again) {
			t.Fatalf("CheckStatic not deterministic:\n%v\n%v", ruleIDs(static), ruleIDs(again))
		}
		for _, engine := range []string{"sqlserver", "mysql", "postgres"} {
			facts := baseFacts(engine)
			facts.Target.Databases = existing
			all := Check(req, facts)
			checkWellFormed(t, all)
			if again := Check(req, facts); !reflect.DeepEqual(all, again) {
				t.Fatalf("Check (%s) not deterministic:\n%v\n%v", engine, ruleIDs(all), ruleIDs(again))
			}
		}
	})
}

// FuzzCompareVersionsOrder: the order is transitive and equal versions are interchangeable, so
// sorting versions and the version rules (A3/A4) never give contradictory answers.
func FuzzCompareVersionsOrder(f *testing.F) {
	f.Add("5.7.25", "5.7.27", "5.7.100")
	f.Add("8.0", "8.0.0", "v8.0.0-log")
	f.Add("12.6", "12", "12.10")
	f.Add("", "0", "x")
	f.Add("00001.2", "1.02", "1.2.0.0.0")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, bc, ac := CompareVersions(a, b), CompareVersions(b, c), CompareVersions(a, c)
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
		if ab >= 0 && bc >= 0 && ac < 0 {
			t.Fatalf("not transitive: %q >= %q >= %q but %q < %q", a, b, c, a, c)
		}
		if ab == 0 && ac != bc {
			t.Fatalf("%q == %q, but against %q they compare %d and %d", a, b, c, ac, bc)
		}
	})
}

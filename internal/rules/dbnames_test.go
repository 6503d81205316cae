package rules

import (
	"reflect"
	"strings"
	"testing"
)

func TestRenames_cases(t *testing.T) {
	tests := []struct {
		in   map[string]string
		want map[string][]string
	}{
		{nil, nil},
		{map[string]string{}, map[string][]string{}},
		{map[string]string{"A": "A,A1,A2", "B": "B1,B2", "C": ""},
			map[string][]string{"A": {"A", "A1", "A2"}, "B": {"B1", "B2"}, "C": {}}},
		{map[string]string{"db1": " dbtest1 , dbtest2 ", "db2": "db2,,db02,", "db3": " , "},
			map[string][]string{"db1": {"dbtest1", "dbtest2"}, "db2": {"db2", "db02"}, "db3": {}}},
		{map[string]string{" k ": "x"}, map[string][]string{" k ": {"x"}}},
	}
	for _, tt := range tests {
		if got := Renames(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Renames(%v) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestRestoredDatabases_cases(t *testing.T) {
	tests := []struct {
		name               string
		engine             string
		existing, restored []string
		databaseName       map[string]string
		want               []string
	}{
		{"MySQL replaces the target's databases", "MySQL", []string{"old", "app"}, []string{"app", "shop"}, nil, []string{"app", "shop"}},
		{"PostgreSQL replaces too", "postgresql", []string{"x"}, []string{"postgres", "y"}, nil, []string{"postgres", "y"}},
		{"SQL Server adds everything", "SQLServer", []string{"X", "A"}, []string{"B", "A", "C"}, nil, []string{"A", "B", "C", "X"}},
		{"SQL Server empty map is not set", "SQLServer", []string{"X"}, []string{"A"}, map[string]string{}, []string{"A", "X"}},
		{"SQL Server renames listed keys only", "SQLServer", []string{"X"}, []string{"A", "B", "C", "D"},
			map[string]string{"A": "A,A1,A2", "B": "B1,B2", "C": ""}, []string{"A", "A1", "A2", "B1", "B2", "C", "X"}},
		{"SQL Server restore page request example", "sqlserver", nil, []string{"db1", "db2", "db3"},
			map[string]string{"db1": "dbtest1,dbtest2", "db2": "db2,db02", "db3": ""}, []string{"db02", "db2", "db3", "dbtest1", "dbtest2"}},
		{"nothing at all", "SQLServer", nil, nil, nil, []string{}},
	}
	for _, tt := range tests {
		got := RestoredDatabases(tt.engine, tt.existing, tt.restored, tt.databaseName)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNamesCaseInsensitive_cases(t *testing.T) {
	tests := []struct {
		name               string
		inst               *Instance
		insensitive, known bool
	}{
		{"nil", nil, false, false},
		{"SQL Server CI", &Instance{Engine: "SQLServer", Collation: "Chinese_PRC_CI_AS"}, true, true},
		{"SQL Server CI at the end", &Instance{Engine: "SQLServer", Collation: "Latin1_General_CI"}, true, true},
		{"SQL Server CS", &Instance{Engine: "SQLServer", Collation: "SQL_Latin1_General_CP1_CS_AS"}, false, true},
		{"SQL Server lower case", &Instance{Engine: "sqlserver", Collation: "latin1_general_100_ci_as_sc_utf8"}, true, true},
		{"SQL Server unknown collation", &Instance{Engine: "SQLServer"}, false, false},
		{"SQL Server letters inside a word", &Instance{Engine: "SQLServer", Collation: "Cyrillic_General_BIN"}, false, false},
		{"MySQL 0", &Instance{Engine: "MySQL", LowerCaseTableNames: "0"}, false, true},
		{"MySQL 1", &Instance{Engine: "MySQL", LowerCaseTableNames: "1"}, true, true},
		{"MySQL 2", &Instance{Engine: "MySQL", LowerCaseTableNames: "2"}, true, true},
		{"MySQL unknown", &Instance{Engine: "MySQL"}, false, false},
		{"MySQL ignores a collation", &Instance{Engine: "MySQL", Collation: "utf8mb4_0900_ai_ci"}, false, false},
		{"PostgreSQL", &Instance{Engine: "PostgreSQL"}, false, true},
		{"engine unknown, collation", &Instance{Collation: "Chinese_PRC_CS_AS"}, false, true},
		{"engine unknown, lower_case_table_names", &Instance{LowerCaseTableNames: "1"}, true, true},
		{"engine unknown, nothing", &Instance{}, false, false},
		{"other engine", &Instance{Engine: "MariaDB", LowerCaseTableNames: "1"}, false, false},
	}
	for _, tt := range tests {
		ins, known := NamesCaseInsensitive(tt.inst)
		if ins != tt.insensitive || known != tt.known {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, ins, known, tt.insensitive, tt.known)
		}
	}
}

// pageCorrect and pageWrong are the restore page's own examples (S10-S12).
var (
	pageCorrect = map[string]string{"A": "A,A1,A2", "B": "B1,B2", "C": ""}
	pageWrong   = map[string]string{"A": "A", "B": "B1,B2", "C": "B1,C1", "D": "D1,d1"}
)

func TestCheckStatic_pageWorkedExamples(t *testing.T) {
	withCollation := func(collation string) Facts {
		f := baseFacts("sqlserver")
		f.Source.Collation, f.Target.Collation = collation, collation
		return f
	}
	tests := []struct {
		name      string
		names     map[string]string
		collation string
		want      []string
	}{
		{"correct, case-insensitive", pageCorrect, "Chinese_PRC_CI_AS", nil},
		{"correct, case-sensitive", pageCorrect, "Chinese_PRC_CS_AS", nil},
		{"correct, case rule unknown", pageCorrect, "", nil},
		{"wrong, case-insensitive", pageWrong, "Chinese_PRC_CI_AS",
			[]string{"S10/error/database_name", "S11/error/database_name", "S12/error/database_name"}},
		{"wrong, case rule unknown", pageWrong, "",
			[]string{"S10/error/database_name", "S11/error/database_name", "S12/warning/database_name"}},
		{"wrong, case-sensitive", pageWrong, "Chinese_PRC_CS_AS",
			[]string{"S10/error/database_name", "S11/error/database_name"}},
	}
	for _, tt := range tests {
		req := baseRequest()
		req.DatabaseName = tt.names
		got := Check(req, withCollation(tt.collation))
		checkWellFormed(t, got)
		if ids := ruleIDs(got); !reflect.DeepEqual(ids, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, ids, tt.want)
			continue
		}
		// Each finding names the values of the document's reason for it.
		for _, f := range got {
			want := map[string][]string{"S10": {`"A"`}, "S11": {`"B1"`}, "S12": {`"D1"`, `"d1"`}}[f.Rule]
			for _, w := range want {
				if !strings.Contains(f.Detail, w) {
					t.Errorf("%s: %s detail does not mention %s: %s", tt.name, f.Rule, w, f.Detail)
				}
			}
		}
	}
}

// TestCheckStatic_nameRuleDetails: the messages of name rules point at the offending name and suggest a fix.
func TestCheckStatic_nameRuleDetails(t *testing.T) {
	got := CheckStatic(Request{SourceInstanceID: "s", TargetInstanceID: "t", BackupID: "b",
		DatabaseName: map[string]string{"A": "tempdb_2,ok,dé"}}, testNow)
	checkWellFormed(t, got)
	want := []string{"S8/error/database_name", "S9/error/database_name"}
	if ids := ruleIDs(got); !reflect.DeepEqual(ids, want) {
		t.Fatalf("got %v, want %v", ids, want)
	}
	if !strings.Contains(got[0].Detail, `"dé"`) || !strings.Contains(got[0].Detail, `'é'`) || !strings.Contains(got[0].Detail, `"d_"`) {
		t.Errorf("S8 detail: %s", got[0].Detail)
	}
	if !strings.Contains(got[1].Detail, `"tempdb_2"`) || !strings.Contains(got[1].Detail, `"tempdb"`) {
		t.Errorf("S9 detail: %s", got[1].Detail)
	}
}

// TestCheckAPI_sameInstanceNames: restoring SQL Server databases onto the original instance. New names
// must not be names on it; kept names overwrite (a warning).
func TestCheckAPI_sameInstanceNames(t *testing.T) {
	f := baseFacts("sqlserver")
	f.Target = f.Source
	req := baseRequest()
	req.TargetInstanceID = "src"
	req.DatabaseName = map[string]string{"A": "A_old", "B": "C", "D": ""}
	got := CheckAPI(req, f)
	checkWellFormed(t, got)
	want := []string{"A14/error/database_name", "A14/warning/database_name"}
	if ids := ruleIDs(got); !reflect.DeepEqual(ids, want) {
		t.Fatalf("got %v, want %v", ids, want)
	}
	if !strings.Contains(got[0].Detail, `"C"`) || !strings.Contains(got[0].Detail, "source and target instance") {
		t.Errorf("A14 error detail: %s", got[0].Detail)
	}
	if !strings.Contains(got[1].Detail, `"D"`) || !strings.Contains(got[1].Detail, "original instance") {
		t.Errorf("A14 warning detail: %s", got[1].Detail)
	}
}

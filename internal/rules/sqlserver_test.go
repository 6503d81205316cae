package rules

import "testing"

// table1 is Table 1 transcribed again, independently of sqlServerMoves and in the restore page's
// own words, with for each row disallowed neighbours: the nearest moves the table leaves out.
var table1 = []struct {
	from       string
	to         []string
	neighbours []string
}{
	{"2008 R2 Standard Edition",
		[]string{"2008 R2 Standard Edition", "2008 R2 Enterprise Edition", "2012 Standard Edition", "2012 Enterprise Edition", "2014 Standard Edition", "2014 Enterprise Edition", "2016 Standard Edition", "2016 Enterprise Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2008 R2 Web Edition", "2012 Web Edition", "2017 Web Edition"}},
	{"2012 Web Edition",
		[]string{"2012 Web Edition", "2012 Standard Edition", "2012 Enterprise Edition", "2014 Web Edition", "2014 Standard Edition", "2014 Enterprise Edition", "2016 Web Edition", "2016 Standard Edition", "2016 Enterprise Edition", "2017 Web Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2008 R2 Standard Edition", "2008 R2 Enterprise Edition"}},
	{"2012 Standard Edition",
		[]string{"2012 Standard Edition", "2012 Enterprise Edition", "2014 Standard Edition", "2014 Enterprise Edition", "2016 Standard Edition", "2016 Enterprise Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2012 Web Edition", "2014 Web Edition", "2008 R2 Standard Edition"}},
	{"2012 Enterprise Edition",
		[]string{"2012 Enterprise Edition", "2014 Enterprise Edition", "2016 Enterprise Edition", "2017 Enterprise Edition"},
		[]string{"2012 Standard Edition", "2017 Standard Edition", "2008 R2 Enterprise Edition"}},
	{"2014 Standard Edition",
		[]string{"2014 Standard Edition", "2014 Enterprise Edition", "2016 Standard Edition", "2016 Enterprise Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2012 Standard Edition", "2014 Web Edition", "2012 Enterprise Edition"}},
	{"2014 Enterprise Edition",
		[]string{"2014 Enterprise Edition", "2016 Enterprise Edition", "2017 Enterprise Edition"},
		[]string{"2014 Standard Edition", "2012 Enterprise Edition", "2016 Standard Edition"}},
	{"2016 Standard Edition",
		[]string{"2016 Standard Edition", "2016 Enterprise Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2014 Standard Edition", "2016 Web Edition", "2014 Enterprise Edition"}},
	{"2016 Enterprise Edition",
		[]string{"2016 Enterprise Edition", "2017 Enterprise Edition"},
		[]string{"2016 Standard Edition", "2014 Enterprise Edition", "2017 Standard Edition"}},
	{"2017 Web Edition",
		[]string{"2017 Web Edition", "2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2016 Web Edition", "2016 Enterprise Edition"}},
	{"2017 Standard Edition",
		[]string{"2017 Standard Edition", "2017 Enterprise Edition"},
		[]string{"2017 Web Edition", "2016 Standard Edition", "2016 Enterprise Edition"}},
	{"2017 Enterprise Edition",
		[]string{"2017 Enterprise Edition"},
		[]string{"2017 Standard Edition", "2017 Web Edition", "2016 Enterprise Edition"}},
}

// laterTable1 are the rows a later edition of Huawei's document adds (2019 and 2022 targets).
var laterTable1 = []struct {
	from       string
	to         []string
	neighbours []string
}{
	{"2017_SE", []string{"2017_SE", "2017_EE", "2019_SE", "2019_EE"}, []string{"2022_SE", "2019_WEB"}},
	{"2017_EE", []string{"2017_EE", "2019_EE"}, []string{"2019_SE", "2022_EE"}},
	{"2019_SE", []string{"2019_SE", "2019_EE", "2022_SE", "2022_EE"}, []string{"2017_SE", "2017_EE", "2019_WEB"}},
	{"2019_EE", []string{"2019_SE", "2019_EE", "2022_EE"}, []string{"2022_SE", "2017_EE"}},
	{"2022_SE", []string{"2022_SE", "2022_EE"}, []string{"2019_SE", "2019_EE"}},
	{"2022_EE", []string{"2022_SE", "2022_EE"}, []string{"2019_EE", "2017_EE"}},
}

func TestSQLServerMove_table1(t *testing.T) {
	if len(table1) != 11 {
		t.Fatalf("the restore page's Table 1 has 11 rows, the test %d", len(table1))
	}
	for _, rows := range [][]struct {
		from       string
		to         []string
		neighbours []string
	}{table1, laterTable1} {
		for _, row := range rows {
			for _, to := range row.to {
				if allowed, known := SQLServerMove(row.from, to); !allowed || !known {
					t.Errorf("SQLServerMove(%q, %q) = %v, %v; want allowed", row.from, to, allowed, known)
				}
			}
			for _, to := range row.neighbours {
				if allowed, known := SQLServerMove(row.from, to); allowed || !known {
					t.Errorf("SQLServerMove(%q, %q) = %v, %v; want known and refused", row.from, to, allowed, known)
				}
			}
		}
	}
}

func TestSQLServerMove_spellings(t *testing.T) {
	tests := []struct {
		from, to       string
		allowed, known bool
	}{
		{"2017_SE", "2017_EE", true, true},
		{"2017 SE", "2017 Enterprise", true, true},
		{"2017_Standard", "2017_Enterprise_Edition", true, true},
		{"2017se", "2017ee", true, true},
		{"SQL Server 2017 Standard Edition", "Microsoft SQL Server 2017 Enterprise", true, true},
		{"2008_R2_SE", "2012_SE", true, true},
		{"2008R2_SE", "2012_se", true, true},
		{"2008 R2 Standard", "2008R2EE", true, true},
		{"2008r2se", "2017_EE", true, true},
		{"2017_EE", "2017_SE", false, true},
		// Unknown: no source row, unparsable, or no document covers the target's year for the row.
		{"2008_R2_EE", "2012_EE", false, false},
		{"2008_R2_WEB", "2012_WEB", false, false},
		{"2008_SE", "2012_SE", false, false},
		{"2012 R2 SE", "2014_SE", false, false},
		{"2017_EX", "2017_EE", false, false},
		{"2017", "2017_EE", false, false},
		{"SE", "2017_EE", false, false},
		{"2017_SE_EE", "2017_EE", false, false},
		{"2017_SE", "", false, false},
		{"2017_WEB", "2019_SE", false, false},
		{"2012_SE", "2019_SE", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		allowed, known := SQLServerMove(tt.from, tt.to)
		if allowed != tt.allowed || known != tt.known {
			t.Errorf("SQLServerMove(%q, %q) = %v, %v; want %v, %v", tt.from, tt.to, allowed, known, tt.allowed, tt.known)
		}
	}
}

// TestSQLServerMove_tableData: the data itself parses, and every row lets a version restore onto
// itself.
func TestSQLServerMove_tableData(t *testing.T) {
	for _, r := range sqlServerMoves {
		if v, ok := parseSQLServerVersion(r.from); !ok || v.key() != r.from {
			t.Errorf("row %q does not parse to itself: %+v", r.from, v)
		}
		for _, to := range r.to {
			if v, ok := parseSQLServerVersion(to); !ok || v.key() != to {
				t.Errorf("target %q of row %q does not parse to itself", to, r.from)
			}
		}
		if allowed, known := SQLServerMove(r.from, r.from); !allowed || !known {
			t.Errorf("%s cannot restore onto itself", r.from)
		}
	}
}

// A target year that no document covers is unknown (A5 warns), not refused.
func TestSQLServerMove_beyondTheTables(t *testing.T) {
	for _, tc := range [][2]string{{"2017_SE", "2025_EE"}, {"2019_SE", "2025_SE"}, {"2016_SE", "2019_SE"}} {
		if _, known := SQLServerMove(tc[0], tc[1]); known {
			t.Errorf("SQLServerMove(%s, %s) is known; no table has that row", tc[0], tc[1])
		}
	}
	if allowed, known := SQLServerMove("2017_SE", "2019_EE"); !allowed || !known {
		t.Errorf("2017 SE -> 2019 EE: allowed=%v known=%v, want the later document's yes", allowed, known)
	}
}

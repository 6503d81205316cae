package rules

import "testing"

func TestCompareVersions_order(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"5.7.25", "5.7.27", -1},
		{"5.7.27", "5.7.100", -1},
		{"5.7.100", "5.7.25", 1},
		{"5.7", "5.7.0", 0},
		{"5.7.25", "5.7.25", 0},
		{"8.0.28", "5.7.44", 1},
		{"8.0.28-log", "8.0.28", 0},
		{"v8.0.28", "8.0.28", 0},
		{"5.7.25.beta", "5.7.25", 0},
		{"8.0.28.231003", "8.0.28.230302", 1},
		{"05.07.025", "5.7.25", 0},
		{"12", "12.6", -1},
		{"99999999999999999999999.1", "99999999999999999999998.9", 1},
		{"", "", 0},
		{"", "0.1", -1},
		{"latest", "0", 0},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestMysqlSeries_andPostgresMajor(t *testing.T) {
	tests := []struct {
		inst            Instance
		mysql, postgres string
	}{
		{Instance{Version: "5.7", CompleteVersion: "5.7.25"}, "5.7", "5.7"},
		{Instance{CompleteVersion: "8.0.28"}, "8.0", "8.0"},
		{Instance{Version: "12", CompleteVersion: "12.6"}, "12.6", "12"},
		{Instance{Version: "9.6", CompleteVersion: "9.6.3"}, "9.6", "9.6"},
		{Instance{Version: "9"}, "", ""},
		{Instance{}, "", ""},
	}
	for _, tt := range tests {
		inst := tt.inst
		if got := mysqlSeries(&inst); got != tt.mysql {
			t.Errorf("mysqlSeries(%+v) = %q, want %q", inst, got, tt.mysql)
		}
		if got := postgresMajor(&inst); got != tt.postgres {
			t.Errorf("postgresMajor(%+v) = %q, want %q", inst, got, tt.postgres)
		}
	}
}

func TestNormalizeEngine_cases(t *testing.T) {
	for in, want := range map[string]string{
		"MySQL": engineMySQL, "mysql": engineMySQL, "PostgreSQL": enginePostgreSQL, "postgres": enginePostgreSQL,
		"SQLServer": engineSQLServer, "sqlserver": engineSQLServer, "Microsoft SQL Server": engineSQLServer,
		"SQL_Server": engineSQLServer, "MariaDB": "mariadb", "": "",
	} {
		if got := normalizeEngine(in); got != want {
			t.Errorf("normalizeEngine(%q) = %q, want %q", in, got, want)
		}
	}
}

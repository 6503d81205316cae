package rules

import (
	"strings"
)

// Engines as normalizeEngine returns them.
const (
	engineMySQL      = "mysql"
	enginePostgreSQL = "postgresql"
	engineSQLServer  = "sqlserver"
)

// engineSeparators are dropped from an engine's name. One replacer serves every call: building
// one per call costs a lookup table each, and a plan checks every restore at once.
var engineSeparators = strings.NewReplacer(" ", "", "_", "", "-", "")

// normalizeEngine folds the spellings of datastore.type ("MySQL", "SQLServer", "Microsoft SQL
// Server", "postgres") to one lower-case name, so rules compare engines case-insensitively as
// rule A2 says (catalogue.go). An engine it does not know (MariaDB, ...) comes back lower-cased;
// "" stays "" (unknown).
func normalizeEngine(engine string) string {
	e := strings.ToLower(engine)
	e = engineSeparators.Replace(e)
	switch e {
	case "mysql":
		return engineMySQL
	case "postgresql", "postgres", "pg":
		return enginePostgreSQL
	case "sqlserver", "mssql", "microsoftsqlserver", "mssqlserver":
		return engineSQLServer
	}
	return e
}

// engineLabel is how messages name an engine.
func engineLabel(normalized string) string {
	switch normalized {
	case engineMySQL:
		return "MySQL"
	case enginePostgreSQL:
		return "PostgreSQL"
	case engineSQLServer:
		return "SQL Server"
	}
	return normalized
}

// CompareVersions orders dotted numeric versions: -1 when a < b, 0 when equal, +1 when a > b.
// Components compare as numbers of any length ("5.7.25" < "5.7.27" < "5.7.100"); a missing
// component counts as 0 ("5.7" == "5.7.0"). It tolerates decoration: a leading "v" is dropped,
// and parsing stops at the first component that does not start with a digit or that has
// something after its digits ("8.0.28-log" == "8.0.28", "5.7.25.beta" == "5.7.25").
func CompareVersions(a, b string) int {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := "0", "0"
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if c := compareDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// versionParts returns the numeric components of a version, leading zeros removed, as digit
// strings (so no version, however long, can overflow).
func versionParts(v string) []string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	var parts []string
	for _, comp := range strings.Split(v, ".") {
		n := 0
		for n < len(comp) && comp[n] >= '0' && comp[n] <= '9' {
			n++
		}
		if n == 0 {
			break
		}
		digits := strings.TrimLeft(comp[:n], "0")
		if digits == "" {
			digits = "0"
		}
		parts = append(parts, digits)
		if n < len(comp) {
			break // a suffix ends the version
		}
	}
	return parts
}

// compareDigits compares two digit strings without leading zeros as numbers.
func compareDigits(x, y string) int {
	switch {
	case len(x) != len(y):
		if len(x) < len(y) {
			return -1
		}
		return 1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// mysqlSeries is the major series of a MySQL instance ("5.7", "8.0"): from datastore.version
// when present, else from complete_version; "" when neither has two components.
func mysqlSeries(inst *Instance) string {
	for _, v := range []string{inst.Version, inst.CompleteVersion} {
		if p := versionParts(v); len(p) >= 2 {
			return p[0] + "." + p[1]
		}
	}
	return ""
}

// mysqlMinor is the third component of a complete version ("8.0.28" -> "28"), "" if absent.
func mysqlMinor(complete string) string {
	if p := versionParts(complete); len(p) >= 3 {
		return p[2]
	}
	return ""
}

// postgresMajor is the major version of a PostgreSQL instance: the first component from 10 on
// ("12.6" -> "12"), the first two before ("9.6.3" -> "9.6"). From datastore.version when present,
// else from complete_version; "" when unknown.
func postgresMajor(inst *Instance) string {
	for _, v := range []string{inst.Version, inst.CompleteVersion} {
		p := versionParts(v)
		switch {
		case len(p) == 0:
			continue
		case compareDigits(p[0], "10") < 0 && len(p) >= 2:
			return p[0] + "." + p[1]
		case compareDigits(p[0], "10") < 0:
			continue // "9" alone does not say which 9.x
		}
		return p[0]
	}
	return ""
}

package rules

import (
	"regexp"
	"strings"
)

// sqlServerMoves is Table 1: which SQL Server version and edition an instance may be restored
// onto. It is the one place the table lives; extend it here.
//
// Page rows are Table 1 of Huawei's "restore to an existing DB instance" page, the API this
// provider implements, and are authoritative. Later rows come from a later edition of that page
// (2019 and 2022). The two never disagree on a pair they both cover; where a page row exists,
// the page decides every target of a year its table covers (2008 R2-2017), and the later
// edition only adds targets of years the page does not know.
var sqlServerMoves = []struct {
	from  string
	to    []string
	later bool // from the later edition, not the page's Table 1
}{
	{from: "2008R2 SE", to: []string{"2008R2 SE", "2008R2 EE", "2012 SE", "2012 EE", "2014 SE", "2014 EE", "2016 SE", "2016 EE", "2017 SE", "2017 EE"}},
	{from: "2012 WEB", to: []string{"2012 WEB", "2012 SE", "2012 EE", "2014 WEB", "2014 SE", "2014 EE", "2016 WEB", "2016 SE", "2016 EE", "2017 WEB", "2017 SE", "2017 EE"}},
	{from: "2012 SE", to: []string{"2012 SE", "2012 EE", "2014 SE", "2014 EE", "2016 SE", "2016 EE", "2017 SE", "2017 EE"}},
	{from: "2012 EE", to: []string{"2012 EE", "2014 EE", "2016 EE", "2017 EE"}},
	{from: "2014 SE", to: []string{"2014 SE", "2014 EE", "2016 SE", "2016 EE", "2017 SE", "2017 EE"}},
	{from: "2014 EE", to: []string{"2014 EE", "2016 EE", "2017 EE"}},
	{from: "2016 SE", to: []string{"2016 SE", "2016 EE", "2017 SE", "2017 EE"}},
	{from: "2016 EE", to: []string{"2016 EE", "2017 EE"}},
	{from: "2017 WEB", to: []string{"2017 WEB", "2017 SE", "2017 EE"}},
	{from: "2017 SE", to: []string{"2017 SE", "2017 EE"}},
	{from: "2017 EE", to: []string{"2017 EE"}},

	{from: "2017 SE", to: []string{"2017 SE", "2017 EE", "2019 SE", "2019 EE"}, later: true},
	{from: "2017 EE", to: []string{"2017 EE", "2019 EE"}, later: true},
	{from: "2019 SE", to: []string{"2019 SE", "2019 EE", "2022 SE", "2022 EE"}, later: true},
	{from: "2019 EE", to: []string{"2019 SE", "2019 EE", "2022 EE"}, later: true},
	{from: "2022 SE", to: []string{"2022 SE", "2022 EE"}, later: true},
	{from: "2022 EE", to: []string{"2022 SE", "2022 EE"}, later: true},
}

// pageYears are the target years the page's Table 1 covers.
var pageYears = map[string]bool{"2008R2": true, "2012": true, "2014": true, "2016": true, "2017": true}

// laterYears are the target years the later edition's rows cover: a target year beyond them
// (a newer SQL Server) is unknown, not refused, so A5 only warns.
var laterYears = map[string]bool{"2017": true, "2019": true, "2022": true}

// moveRow is one source version's allowed targets, from the page or the later edition.
type moveRow map[string]bool

var pageMoves, laterMoves = func() (map[string]moveRow, map[string]moveRow) {
	page, later := map[string]moveRow{}, map[string]moveRow{}
	for _, r := range sqlServerMoves {
		rows := page
		if r.later {
			rows = later
		}
		row := moveRow{}
		for _, t := range r.to {
			row[t] = true
		}
		rows[r.from] = row
	}
	return page, later
}()

// SQLServerMove says whether an instance on SQL Server version `from` may be restored onto one
// on version `to` (Table 1, rule A5). Versions are datastore.version values in any common
// spelling: "2017_SE", "2017 SE", "2017_Standard", "2017 Standard Edition", "2008_R2_SE",
// "2008R2_SE", case-insensitive. known is false when either version cannot be parsed, when the
// source has no row, or when no edition that has the source's row covers the target's year
// (2017 Web onto 2019: the page stops at 2017 and the later edition has no 2017 Web row).
func SQLServerMove(from, to string) (allowed bool, known bool) {
	f, okF := parseSQLServerVersion(from)
	t, okT := parseSQLServerVersion(to)
	if !okF || !okT {
		return false, false
	}
	if row, ok := pageMoves[f.key()]; ok && pageYears[t.year] {
		return row[t.key()], true
	}
	if row, ok := laterMoves[f.key()]; ok && laterYears[t.year] {
		return row[t.key()], true
	}
	return false, false
}

// sqlServerVersion is a parsed datastore.version: year ("2008R2", "2017", ...) and edition
// ("WEB", "SE", "EE").
type sqlServerVersion struct{ year, edition string }

func (v sqlServerVersion) key() string { return v.year + " " + v.edition }

// String is how messages name a version: "2017 Standard Edition", "2008 R2 Enterprise Edition".
func (v sqlServerVersion) String() string {
	year := v.year
	if year == "2008R2" {
		year = "2008 R2"
	}
	return year + " " + map[string]string{"WEB": "Web", "SE": "Standard", "EE": "Enterprise"}[v.edition] + " Edition"
}

// sqlServerToken is one word of a version: a year (optionally glued to "R2" and an edition, as
// in "2008R2SE"), "R2", or an edition.
var sqlServerToken = regexp.MustCompile(`^(\d{4})?(r2)?(se|ee|web|standard|enterprise)?$`)

var sqlServerEditions = map[string]string{"se": "SE", "standard": "SE", "ee": "EE", "enterprise": "EE", "web": "WEB"}

// sqlServerNoise are words that may decorate a version without changing it.
var sqlServerNoise = map[string]bool{"sql": true, "server": true, "sqlserver": true, "microsoft": true, "mssql": true, "edition": true}

// parseSQLServerVersion reads a version in any of the spellings SQLServerMove accepts. It fails
// on anything it does not understand rather than guess: an unknown version only warns (A5).
func parseSQLServerVersion(s string) (sqlServerVersion, bool) {
	var year, edition string
	r2 := false
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	for _, w := range words {
		if sqlServerNoise[w] {
			continue
		}
		m := sqlServerToken.FindStringSubmatch(w)
		if m == nil {
			return sqlServerVersion{}, false
		}
		if m[1] != "" {
			if year != "" {
				return sqlServerVersion{}, false
			}
			year = m[1]
		}
		r2 = r2 || m[2] != ""
		if m[3] != "" {
			if edition != "" {
				return sqlServerVersion{}, false
			}
			edition = sqlServerEditions[m[3]]
		}
	}
	switch {
	case year == "" || edition == "":
		return sqlServerVersion{}, false
	case r2 && year != "2008":
		return sqlServerVersion{}, false // only 2008 had an R2
	case r2:
		year = "2008R2"
	}
	return sqlServerVersion{year: year, edition: edition}, true
}

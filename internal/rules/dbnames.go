package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDatabaseNameLen is the documented limit of a new database name (S8).
const maxDatabaseNameLen = 64

// reservedNameParts may not appear anywhere in a new name, in any case (S9). The document says
// "contain", so "master_copy" is refused too, not only "master".
var reservedNameParts = []string{"rdsadmin", "master", "msdb", "tempdb", "model", "resource"}

// Renames parses database_name: each original database maps to its list of new names, split at
// commas, whitespace trimmed, empty items dropped. An empty list means the value was "" (or held
// no names at all): the database is restored under its original name. Keys are kept verbatim.
// A nil map gives nil (database_name not set: every database is restored).
func Renames(m map[string]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := make(map[string][]string, len(m))
	for orig, list := range m {
		names := []string{}
		for _, item := range strings.Split(list, ",") {
			if name := strings.TrimSpace(item); name != "" {
				names = append(names, name)
			}
		}
		out[orig] = names
	}
	return out
}

// finalNames are the names one original database ends up under on the target: its new names,
// or the original name itself when the list is empty.
func finalNames(orig string, names []string) []string {
	if len(names) == 0 {
		return []string{orig}
	}
	return names
}

// RestoredDatabases is the target's database list once a restore has finished, for the emulator:
//   - MySQL and PostgreSQL restore the whole instance: the target's databases become the
//     restored set (restoredFromSource).
//   - SQL Server without database_name (nil or empty): the target keeps its databases and gains
//     every restored one (a database of the same name is overwritten).
//   - SQL Server with database_name: the target keeps its databases and gains the new names of
//     the listed keys only ("" keeps the original name).
//
// Names are compared exactly (the caller knows the collation; this function does not). The
// result is sorted and free of duplicates.
func RestoredDatabases(engine string, existingOnTarget, restoredFromSource []string, databaseName map[string]string) []string {
	var out []string
	switch {
	case normalizeEngine(engine) != engineSQLServer:
		out = append(out, restoredFromSource...)
	case len(databaseName) == 0:
		out = append(append(out, existingOnTarget...), restoredFromSource...)
	default:
		out = append(out, existingOnTarget...)
		for orig, names := range Renames(databaseName) {
			out = append(out, finalNames(orig, names)...)
		}
	}
	return sortedUnique(out)
}

func sortedUnique(in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// NamesCaseInsensitive says whether database names on the instance are compared without case,
// and whether that is known at all. SQL Server decides by collation (a "CI" part such as
// Chinese_PRC_CI_AS is case-insensitive, "CS" sensitive); MySQL by lower_case_table_names ("0"
// sensitive, any other value insensitive); PostgreSQL database names are case-sensitive. When the
// engine is unknown, whichever of the two settings is present decides.
func NamesCaseInsensitive(inst *Instance) (insensitive bool, known bool) {
	if inst == nil {
		return false, false
	}
	switch normalizeEngine(inst.Engine) {
	case engineSQLServer:
		return collationCaseInsensitive(inst.Collation)
	case engineMySQL:
		return lowerCaseTableNamesInsensitive(inst.LowerCaseTableNames)
	case enginePostgreSQL:
		return false, true
	case "":
		if inst.Collation != "" {
			return collationCaseInsensitive(inst.Collation)
		}
		return lowerCaseTableNamesInsensitive(inst.LowerCaseTableNames)
	}
	return false, false
}

// collationCaseInsensitive reads the CI/CS part of a SQL Server collation name. Parts are
// matched whole (split at "_"), so a name that happens to contain the letters does not count;
// a collation with both or neither is unknown.
func collationCaseInsensitive(collation string) (insensitive, known bool) {
	ci, cs := false, false
	for _, part := range strings.Split(strings.ToUpper(collation), "_") {
		ci = ci || part == "CI"
		cs = cs || part == "CS"
	}
	if ci == cs {
		return false, false
	}
	return ci, true
}

func lowerCaseTableNamesInsensitive(v string) (insensitive, known bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return false, false
	}
	return v != "0", true
}

// validNameChar: letters, digits, "_" and "-" only (S8).
func validNameChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
}

// sortedKeys walks a map in a fixed order so findings come out the same every time.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// S7: the shape of database_name. Problems the API may well tolerate (stray whitespace, empty
// list items, an empty map) are warnings; an empty original name cannot name any database and is
// an error.
func checkDatabaseNameShape(c *collector, req Request, _ time.Time) {
	m := req.DatabaseName
	if m == nil {
		return
	}
	if len(m) == 0 {
		c.warn("S7", AttrDatabaseName, "Empty Database Name Map",
			"database_name is set but has no entries: it maps original database names to comma-separated new names. An empty map is not sent, so every database is restored, as when database_name is omitted. Remove database_name to say so, or list the databases to restore.")
		return
	}
	renames := Renames(m)
	for _, orig := range sortedKeys(m) {
		list := m[orig]
		if !isSet(orig) {
			c.param("S7", AttrDatabaseName, "Empty Original Database Name",
				"database_name has the key %q (mapped to %q): each key must be the name of a database on the source instance. Replace the key with a database name.",
				orig, list)
		} else if orig != strings.TrimSpace(orig) {
			c.warn("S7", AttrDatabaseName, "Whitespace In Original Database Name",
				"database_name has the key %q with leading or trailing spaces: keys are sent as written, and the source may have no database of that exact name. Write the key as %q.",
				orig, strings.TrimSpace(orig))
		}
		if strings.TrimSpace(list) == "" {
			continue // "" keeps the original name.
		}
		for _, item := range strings.Split(list, ",") {
			if strings.TrimSpace(item) == "" || item != strings.TrimSpace(item) {
				c.warn("S7", AttrDatabaseName, "Malformed New Name List",
					"database_name[%q] is %q: it has an empty item or spaces around a name, which the API may not ignore. Write it as %q (comma-separated names, no spaces), or \"\" to keep the original name.",
					orig, list, strings.Join(renames[orig], ","))
				break
			}
		}
	}
}

// eachNewName calls f for every new name of database_name, keys sorted, names in list order.
func eachNewName(m map[string]string, f func(orig, name string)) {
	renames := Renames(m)
	for _, orig := range sortedKeys(renames) {
		for _, name := range renames[orig] {
			f(orig, name)
		}
	}
}

// S8: each new name is 1 to 64 letters, digits, "_" and "-".
func checkNewNameCharacters(c *collector, req Request, _ time.Time) {
	eachNewName(req.DatabaseName, func(orig, name string) {
		badChar := strings.IndexFunc(name, func(r rune) bool { return !validNameChar(r) })
		n := len([]rune(name))
		if n <= maxDatabaseNameLen && badChar < 0 {
			return
		}
		problem := fmt.Sprintf("is %d characters long", n)
		if badChar >= 0 {
			r, _ := utf8.DecodeRuneInString(name[badChar:])
			problem = fmt.Sprintf("contains %q", r)
		}
		c.param("S8", AttrDatabaseName, "Invalid New Database Name",
			"database_name[%q] lists the new name %q, which %s: a new name must be 1 to %d characters of letters, digits, \"_\" and \"-\". Rename it, for example to %q.",
			orig, name, problem, maxDatabaseNameLen, suggestName(name))
	})
}

// S9: no reserved word anywhere in a new name, in any case.
func checkNewNameReserved(c *collector, req Request, _ time.Time) {
	eachNewName(req.DatabaseName, func(orig, name string) {
		lower := strings.ToLower(name)
		for _, word := range reservedNameParts {
			if strings.Contains(lower, word) {
				c.param("S9", AttrDatabaseName, "Reserved Word In Database Name",
					"database_name[%q] lists the new name %q, which contains %q: new names must not contain rdsadmin, master, msdb, tempdb, model or resource, in any case. Choose a name without %q.",
					orig, name, word, word)
			}
		}
	})
}

// S10: a list made only of the original name renames the database to itself. The original may
// still appear beside other new names ("A":"A,A1,A2" is the document's correct example).
func checkRenamedToItself(c *collector, req Request, _ time.Time) {
	renames := Renames(req.DatabaseName)
	for _, orig := range sortedKeys(renames) {
		names := renames[orig]
		if len(names) == 0 {
			continue
		}
		onlyOriginal := true
		for _, n := range names {
			onlyOriginal = onlyOriginal && n == orig
		}
		if onlyOriginal {
			c.param("S10", AttrDatabaseName, "Database Renamed To Itself",
				"database_name[%q] is %q: a new name must differ from its original name %q, unless other new names are listed beside it. Use \"\" to restore %s under its own name, or give it a different new name such as %q.",
				orig, req.DatabaseName[orig], orig, orig, orig+"_restored")
		}
	}
}

// S11: every new name across the whole map is unique (exact comparison; names that differ only
// in case are S12, which needs the instance's case rule). A name repeated inside one value is
// said so, not as "under A and A".
func checkUniqueNewNames(c *collector, req Request, _ time.Time) {
	where := map[string][]string{}
	eachNewName(req.DatabaseName, func(orig, name string) { where[name] = append(where[name], orig) })
	for _, n := range sortedKeys(where) {
		origs := where[n]
		if len(origs) < 2 {
			continue
		}
		perKey := map[string]int{}
		for _, o := range origs {
			perKey[o]++
		}
		if len(perKey) == 1 {
			c.param("S11", AttrDatabaseName, "Duplicate New Database Name",
				"database_name[%q] is %q, which lists the new name %q %s: every new name must be unique across the whole map. Keep %q once.",
				origs[0], req.DatabaseName[origs[0]], n, times(len(origs)), n)
			continue
		}
		var parts []string
		for _, o := range sortedKeys(perKey) {
			parts = append(parts, fmt.Sprintf("%s under %q", times(perKey[o]), o))
		}
		c.param("S11", AttrDatabaseName, "Duplicate New Database Name",
			"The new database name %q appears %d times in database_name (%s): every new name must be unique across the whole map. Keep %q once and rename the others.",
			n, len(origs), strings.Join(parts, ", "), n)
	}
}

// times says how often: "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// suggestName turns an invalid name into a valid one for the message's example.
func suggestName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= maxDatabaseNameLen {
			break
		}
		if validNameChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "db1"
	}
	return b.String()
}

// caseConflicts groups the distinct names that are equal ignoring case but spelled differently
// (D1 and d1). Groups and their members are sorted.
func caseConflicts(names []string) [][]string {
	groups := map[string][]string{}
	for _, n := range sortedUnique(names) {
		k := strings.ToLower(n)
		groups[k] = append(groups[k], n)
	}
	var out [][]string
	for _, k := range sortedKeys(groups) {
		if len(groups[k]) > 1 {
			out = append(out, groups[k])
		}
	}
	return out
}

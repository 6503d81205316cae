package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// The SQL Server rules about single databases: S12 and A14 (names), A15 (quota), A16 (disk).

// nameRule is how database names compare on the instances: exactly, without case, or not known.
type nameRule struct{ insensitive, known bool }

// caseRule is the target's case rule: the names land there.
func (a *apiCheck) caseRule() nameRule {
	// The new names live on the target, so only the target's collation decides. The source's
	// is no proof (collations can differ), so an unknown target collation warns (S12).
	ins, ok := NamesCaseInsensitive(a.f.Target)
	return nameRule{ins, ok}
}

// find looks name up in list. same: the names are equal under the rule. maybe: they differ only
// in case and the rule is unknown, so they may be equal.
func (r nameRule) find(list []string, name string) (found string, same, maybe bool) {
	for _, x := range list {
		if x == name {
			return x, true, false
		}
	}
	for _, x := range list {
		if strings.EqualFold(x, name) {
			return x, r.known && r.insensitive, !r.known
		}
	}
	return "", false, false
}

// foldKey is the key two names share when they are the same database under the rule.
func (r nameRule) foldKey(name string) string {
	if r.known && r.insensitive {
		return strings.ToLower(name)
	}
	return name
}

// namesApply says whether the rules about database_name's names run: it is set, and the engine
// is SQL Server or not known (A10 reports database_name on another engine).
func (a *apiCheck) namesApply() bool {
	return a.req.DatabaseName != nil && (a.engine == engineSQLServer || a.engine == "")
}

// S12: new names that differ only in case conflict where names are case-insensitive.
func (a *apiCheck) caseConflicts() {
	if !a.namesApply() {
		return
	}
	rule := a.caseRule()
	renames := Renames(a.req.DatabaseName)
	var all []string
	for _, k := range sortedKeys(renames) {
		all = append(all, renames[k]...)
	}
	for _, group := range caseConflicts(all) {
		switch {
		case rule.known && rule.insensitive:
			a.c.param("S12", AttrDatabaseName, "Database Names Differ Only In Case",
				"database_name lists the new names %s, which differ only in case: database names on the target instance %s are case-insensitive, so they name the same database. Keep one spelling, or choose names that differ in more than case.",
				quoteList(group), a.tgt)
		case !rule.known:
			a.c.warn("S12", AttrDatabaseName, "Database Names Differ Only In Case",
				"database_name lists the new names %s, which differ only in case, and whether database names are case-insensitive on the target instance %s is unknown (its collation was not read). If they are, the names conflict and the API refuses the restore: choose names that differ in more than case.",
				quoteList(group), a.tgt)
		}
	}
}

// S10, the half CheckStatic cannot see: a list made only of case variants of the original name
// renames the database to itself where names are case-insensitive.
func (a *apiCheck) renamedToItselfIgnoringCase() {
	if !a.namesApply() {
		return
	}
	rule := a.caseRule()
	renames := Renames(a.req.DatabaseName)
	for _, k := range sortedKeys(renames) {
		names := renames[k]
		allOwn, allExact := len(names) > 0, true
		for _, n := range names {
			allOwn = allOwn && strings.EqualFold(n, k)
			allExact = allExact && n == k
		}
		if !allOwn || allExact || (rule.known && !rule.insensitive) {
			continue
		}
		if rule.known {
			a.c.param("S10", AttrDatabaseName, "Database Renamed To Itself",
				"database_name[%q] is %q: database names on the target instance %s are case-insensitive, so this is the original name %q again, and a new name must differ from its original name. Use \"\" to keep the name, or give it a different new name.",
				k, a.req.DatabaseName[k], a.tgt, k)
		} else {
			a.c.warn("S10", AttrDatabaseName, "Database Possibly Renamed To Itself",
				"database_name[%q] is %q, which differs from the original name %q only in case, and whether database names are case-insensitive on the target instance %s is unknown. If they are, this is the original name again, and a new name must differ from its original name: use \"\" to keep the name, or give it a different new name.",
				k, a.req.DatabaseName[k], k, a.tgt)
		}
	}
}

// A14: the keys of database_name, the new names, and the databases a restore under original
// names overwrites.
func (a *apiCheck) databaseNames() {
	if a.restoresAll() {
		a.overwrittenByAll()
	}
	if !a.namesApply() {
		return
	}
	rule := a.caseRule()
	renames := Renames(a.req.DatabaseName)
	keys := sortedKeys(renames)
	a.sourceDatabaseKeys(keys, rule)
	a.newNameCollisions(renames, keys, rule)
}

// restoresAll says whether the restore takes every database of the source under its original
// name: SQL Server without database_name (or with an empty one), or with restore_all_database.
func (a *apiCheck) restoresAll() bool {
	if a.engine != engineSQLServer {
		return false
	}
	all := a.req.RestoreAllDatabase != nil && *a.req.RestoreAllDatabase
	return all || len(a.req.DatabaseName) == 0
}

// restoredSet is the list of databases the restore takes from the source, and how messages name
// where it comes from: the backup's own list in backup mode, else the source's databases. nil
// when neither is known.
func (a *apiCheck) restoredSet() ([]string, string) {
	switch {
	case a.mode == TypeBackup && a.f.Backup != nil && a.f.Backup.Databases != nil:
		return a.f.Backup.Databases, fmt.Sprintf("the backup %q", a.req.BackupID)
	case a.f.Source != nil && a.f.Source.Databases != nil:
		return a.f.Source.Databases, "the source instance " + a.src
	}
	return nil, ""
}

// A14, restoring all databases: each one the target already has is overwritten. Worth a
// warning naming each, as `{ A = "" }` gets one.
func (a *apiCheck) overwrittenByAll() {
	t := a.f.Target
	restored, from := a.restoredSet()
	if t == nil || t.Databases == nil || restored == nil {
		return
	}
	rule := a.caseRule()
	var hit, keys []string // the target's names, and the restored databases that overwrite them
	for _, d := range restored {
		if found, same, maybe := rule.find(t.Databases, d); same || maybe {
			hit, keys = append(hit, found), append(keys, d)
		}
	}
	if len(hit) == 0 {
		return
	}
	attr, how := AttrTargetInstanceID, "Without database_name, every database of "+from+" is restored under its original name"
	switch {
	case a.req.RestoreAllDatabase != nil && *a.req.RestoreAllDatabase:
		attr, how = AttrRestoreAllDatabase, "restore_all_database = true restores every database of "+from+" under its original name"
	case a.req.DatabaseName != nil:
		attr, how = AttrDatabaseName, "database_name is empty, so every database of "+from+" is restored under its original name"
	}
	where := "the target instance " + a.tgt + " already has"
	if a.sameInstance {
		where = "this is the original instance " + a.tgt + ", which has"
	}
	noun := "a database"
	if len(hit) > 1 {
		noun = "the databases"
	}
	a.c.warn("A14", attr, "Databases Overwritten On Target",
		"%s, and %s %s %s: their data will be replaced by the restored data. To keep them, restore only the databases you need with database_name and give them new names (for example %s), or restore onto another target.",
		how, where, noun, describeNames(hit), fmt.Sprintf("{ %s = %q }", keys[0], suggestName(keys[0]+"_restored")))
}

// A14, keys: every key is a database the restore can take from the source. In backup mode the
// backup's own list decides; when only the source's current list is known in backup mode, a
// missing key is a warning, as the backup may hold a database dropped since.
func (a *apiCheck) sourceDatabaseKeys(keys []string, rule nameRule) {
	var list []string
	var from string
	authoritative := false
	switch {
	case a.mode == TypeBackup && a.f.Backup != nil && a.f.Backup.Databases != nil:
		list, from, authoritative = a.f.Backup.Databases, fmt.Sprintf("the backup %q", a.req.BackupID), true
	case a.f.Source != nil && a.f.Source.Databases != nil:
		list, from, authoritative = a.f.Source.Databases, "the source instance "+a.src, a.mode == TypeTimestamp
	case a.f.Source != nil:
		a.c.warn("A14", AttrDatabaseName, "Source Databases Unknown",
			"The databases of the source instance %s are unknown, so the keys of database_name (%s) could not be checked: each key must be a database of the source. Check the names before applying.",
			a.src, quoteList(keys))
		return
	default:
		return // A1 reports the missing source
	}
	for _, k := range keys {
		if !isSet(k) {
			continue // S7 reports it
		}
		found, same, maybe := rule.find(list, k)
		switch {
		case same:
		case maybe:
			a.c.warn("A14", AttrDatabaseName, "Source Database Differs In Case",
				"database_name has the key %q, but %s holds %q, which differs only in case, and whether names are case-insensitive is unknown: each key must be a database of the source. Write the key as %q.",
				k, from, found, found)
		case authoritative:
			a.c.fail("A14", AttrDatabaseName, "Unknown Source Database", CodeNoSuchDatabase, 400,
				"database_name has the key %q, but %s has no such database (it holds %s): each key must be a database of the source. Use one of those names as the key.",
				k, from, describeNames(list))
		default:
			a.c.warn("A14", AttrDatabaseName, "Unknown Source Database",
				"database_name has the key %q, but %s has no such database now (it holds %s): each key must be a database in the backup, whose own list is unknown. Check the key before applying.",
				k, from, describeNames(list))
		}
	}
}

// A14, names: a new name must not equal a database already on the source or the target. A new
// name that is the key itself (the document's "A":"A,A1,A2") or an empty list ("C":"") keeps
// the original name: that is allowed, but overwrites a database of that name on the target, so
// it is worth a warning when one is there.
func (a *apiCheck) newNameCollisions(renames map[string][]string, keys []string, rule nameRule) {
	var srcDBs, tgtDBs []string
	if a.f.Source != nil {
		srcDBs = a.f.Source.Databases
	}
	if a.f.Target != nil {
		tgtDBs = a.f.Target.Databases
	}
	for _, k := range keys {
		if !isSet(k) {
			continue
		}
		names := renames[k]
		kept := len(names) == 0
		for _, n := range names {
			if n == k || (strings.EqualFold(n, k) && !(rule.known && !rule.insensitive)) {
				kept = true
				continue
			}
			a.newNameCollision(k, n, rule, srcDBs, tgtDBs)
		}
		if found, same, maybe := rule.find(tgtDBs, k); kept && (same || maybe) && !a.restoresAll() {
			where := "the target instance " + a.tgt + " already has"
			if a.sameInstance {
				where = "this is the original instance " + a.tgt + ", which has"
			}
			a.c.warn("A14", AttrDatabaseName, "Database Overwritten On Target",
				"database_name restores %q under its original name, and %s a database %q: its data will be replaced by the restored data, or the API will refuse the restore. Give it a new name (for example %q) to keep both.",
				k, where, found, suggestName(k+"_restored"))
		}
	}
}

func (a *apiCheck) newNameCollision(k, n string, rule nameRule, srcDBs, tgtDBs []string) {
	type hit struct {
		where, found string
		maybe        bool
		target       bool // found on the target (where the previous restore's databases are)
	}
	var hits []hit
	if found, same, maybe := rule.find(srcDBs, n); same || maybe {
		where := "the source instance " + a.src
		if a.sameInstance {
			where = "the source and target instance " + a.src
		}
		hits = append(hits, hit{where, found, maybe, a.sameInstance})
	}
	if !a.sameInstance {
		if found, same, maybe := rule.find(tgtDBs, n); same || maybe {
			hits = append(hits, hit{"the target instance " + a.tgt, found, maybe, true})
		}
	}
	for _, h := range hits {
		if h.maybe {
			a.c.warn("A14", AttrDatabaseName, "New Database Name May Already Exist",
				"database_name[%q] lists the new name %q, and %s has a database %q, which differs only in case; whether names are case-insensitive is unknown. If they are, a new name must differ from every database on the source and the target instance: choose another name, such as %q.",
				k, n, h.where, h.found, suggestName(n+"_new"))
			continue
		}
		if h.target && a.previousMade(h.found) {
			a.c.fail("A14", AttrDatabaseName, "New Database Name Already Exists", CodeNameTaken, 400,
				"database_name[%q] lists the new name %q, but %s already has a database %q, which the previous restore of this resource created: a new name must differ from every database name on the source and the target instance. To run this copy again under the same names, set drop_previous_databases = true: the provider then drops the databases its previous restore created (and only those) right before submitting. Or choose another name, such as %q.",
				k, n, h.where, h.found, suggestName(n+"_new"))
			continue
		}
		a.c.fail("A14", AttrDatabaseName, "New Database Name Already Exists", CodeNameTaken, 400,
			"database_name[%q] lists the new name %q, but %s already has a database %q: a new name must differ from every database name on the source and the target instance. Choose another name, such as %q.",
			k, n, h.where, h.found, suggestName(n+"_new"))
	}
}

// A15: existing databases on the target plus the new ones must not exceed its quota, when the
// quota and the lists are known.
func (a *apiCheck) quota() {
	t := a.f.Target
	if a.engine != engineSQLServer || t == nil || t.DatabasesQuota <= 0 || t.Databases == nil {
		return
	}
	var restored []string
	attr := AttrDatabaseName
	if len(a.req.DatabaseName) > 0 {
		renames := Renames(a.req.DatabaseName)
		for _, k := range sortedKeys(renames) {
			restored = append(restored, finalNames(k, renames[k])...)
		}
	} else {
		attr = AttrTargetInstanceID
		switch {
		case a.mode == TypeBackup && a.f.Backup != nil && a.f.Backup.Databases != nil:
			restored = a.f.Backup.Databases
		case a.f.Source != nil && a.f.Source.Databases != nil:
			restored = a.f.Source.Databases
		default:
			return
		}
	}
	rule := a.caseRule()
	present := map[string]bool{}
	for _, d := range t.Databases {
		present[rule.foldKey(d)] = true
	}
	existing := len(present)
	var added []string
	for _, n := range restored {
		if k := rule.foldKey(n); !present[k] {
			present[k] = true
			added = append(added, n)
		}
	}
	if len(present) <= t.DatabasesQuota {
		return
	}
	a.c.param("A15", attr, "Database Quota Exceeded",
		"After the restore the target instance %s would hold %d databases (%d existing and %d new: %s), more than its database quota (rds_databases_quota) of %d: new and existing databases together must not exceed it. Restore fewer databases with database_name, or delete databases on the target first.",
		a.tgt, len(present), existing, len(added), describeNames(added), t.DatabasesQuota)
}

// A16: a backup larger than the target's disk will hardly fit. Only a warning: the backup is
// compressed, and database_name may restore only part of it.
func (a *apiCheck) diskSize() {
	b, t := a.f.Backup, a.f.Target
	if a.engine != engineSQLServer || a.mode != TypeBackup || b == nil || t == nil || b.SizeKB <= 0 || t.VolumeGB <= 0 {
		return
	}
	if b.SizeKB <= int64(t.VolumeGB)*1024*1024 {
		return
	}
	a.c.warn("A16", AttrTargetInstanceID, "Backup Larger Than Target Storage",
		"The backup %q holds %d KB (%.1f GB), more than the %d GB of storage of the target instance %s: the restored data must fit the target's disk. Expand the target's storage before applying, or restore fewer databases with database_name.",
		a.req.BackupID, b.SizeKB, float64(b.SizeKB)/(1024*1024), t.VolumeGB, a.tgt)
}

// describeNames lists database names for messages, at most ten.
func describeNames(names []string) string {
	switch {
	case len(names) == 0:
		return "no databases"
	case len(names) > 10:
		q := make([]string, 10)
		for i, n := range names[:10] {
			q[i] = strconv.Quote(n)
		}
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(names)-10)
	}
	return quoteList(names)
}

// previousMade says whether the previous restore of this resource created the database name on
// the target.
func (a *apiCheck) previousMade(name string) bool {
	if a.f.Previous == nil {
		return false
	}
	for _, d := range a.f.Previous.Databases {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

// withoutDropped returns the facts as the target will be when the restore is submitted: without
// the databases of the previous restore when they are dropped first. The instances are copied,
// never changed in place (the caller's source and target may be one instance).
func withoutDropped(f Facts) Facts {
	p, t := f.Previous, f.Target
	if p == nil || !p.Drop || t == nil || t.Databases == nil || len(p.Databases) == 0 {
		return f
	}
	drop := map[string]bool{}
	for _, d := range p.Databases {
		drop[d] = true
	}
	c := *t
	c.Databases = []string{}
	for _, d := range t.Databases {
		if !drop[d] {
			c.Databases = append(c.Databases, d)
		}
	}
	if f.Source == f.Target {
		f.Source = &c
	}
	f.Target = &c
	return f
}

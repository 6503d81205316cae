package rules

import (
	"fmt"
	"strings"
)

// CheckAPI runs the rules that need what the API says about the instances: the API checks of
// the catalogue (A1-A18, S12, and the case-insensitive half of S10), in its order. Following the
// package's principles (doc.go), it never fails on something the API would accept: a fact that is
// missing (an unknown version, an empty field, nil Databases, a zero quota) gives a Warning or
// is skipped. A rule whose instance was not found (nil Source or Target) is skipped after A1
// reports it.
func CheckAPI(req Request, f Facts) []Finding {
	var c collector
	f = withoutDropped(f)
	a := apiCheck{c: &c, req: req, f: f, mode: EffectiveType(req)}
	a.src = a.label(req.SourceInstanceID, f.Source)
	a.tgt = a.label(req.TargetInstanceID, f.Target)
	a.sameInstance = isSet(req.SourceInstanceID) && sameText(req.SourceInstanceID, req.TargetInstanceID)
	a.engine = a.commonEngine()
	for _, r := range catalogue {
		if r.api != nil {
			r.api(&a)
		}
	}
	return c.sorted()
}

// apiCheck carries what every API rule needs.
type apiCheck struct {
	c            *collector
	req          Request
	f            Facts
	mode         string // EffectiveType(req)
	src, tgt     string // how messages name the two instances
	sameInstance bool   // restore onto the original instance
	engine       string // the engine both instances run; "" when unknown or when they differ
}

// label names an instance in messages: its id, and its name when known.
func (a *apiCheck) label(id string, inst *Instance) string {
	if id == "" && inst != nil {
		id = inst.ID
	}
	if inst != nil && inst.Name != "" {
		return fmt.Sprintf("%q (%s)", id, inst.Name)
	}
	return fmt.Sprintf("%q", id)
}

// commonEngine is the engine the rules of one engine apply to: the one both instances run, or
// the only one known. Different engines give "" so that no engine-specific rule runs on top of
// the A2 error.
func (a *apiCheck) commonEngine() string {
	var s, t string
	if a.f.Source != nil {
		s = normalizeEngine(a.f.Source.Engine)
	}
	if a.f.Target != nil {
		t = normalizeEngine(a.f.Target.Engine)
	}
	switch {
	case s == "":
		return t
	case t == "" || s == t:
		return s
	}
	return ""
}

// A1: both instances exist. The API answers a missing original instance and a missing target
// with different codes.
func (a *apiCheck) existence() {
	where := "in the provider's project"
	if a.f.Region != "" {
		where = fmt.Sprintf("in the provider's project in region %q", a.f.Region)
	}
	if a.f.Source == nil && isSet(a.req.SourceInstanceID) {
		a.c.fail("A1", AttrSourceInstanceID, "Source Instance Not Found", CodeSourceNotFound, 404,
			"The source instance %s was not found %s: the instance whose data is restored must exist there. Check source_instance_id, and the provider's region and project.",
			a.src, where)
	}
	if a.f.Target == nil && isSet(a.req.TargetInstanceID) {
		a.c.fail("A1", AttrTargetInstanceID, "Target Instance Not Found", CodeTargetNotFound, 404,
			"The target instance %s was not found %s: the existing instance to restore onto must exist there. Check target_instance_id, and the provider's region and project.",
			a.tgt, where)
	}
}

// A2: both instances run the same engine. An unknown engine warns; the rules of one engine
// (A3-A7, A9) run only when both are known and equal (pairRuns).
func (a *apiCheck) sameEngine() {
	s, t := a.f.Source, a.f.Target
	if s == nil || t == nil {
		return // A1
	}
	se, te := normalizeEngine(s.Engine), normalizeEngine(t.Engine)
	switch {
	case se == "" || te == "":
		a.c.warn("A2", AttrTargetInstanceID, "Unknown DB Engine",
			"The DB engine of the source instance %s (%q) or of the target instance %s (%q) is unknown, so the rules that compare engines and versions were not checked. The target must run the same DB engine as the source; check it before applying.",
			a.src, s.Engine, a.tgt, t.Engine)
	case se != te:
		a.c.fail("A2", AttrTargetInstanceID, "Different DB Engines", CodeVersionMismatch, 400,
			"The source instance %s runs %s but the target instance %s runs %s: the target must run the same DB engine as the source. Choose a target running %s.",
			a.src, s.Engine, a.tgt, t.Engine, engineLabel(se))
	}
}

// pairRuns says whether both instances were read and both run engine: the rules that compare
// two instances of one engine apply.
func (a *apiCheck) pairRuns(engine string) bool {
	s, t := a.f.Source, a.f.Target
	if s == nil || t == nil {
		return false
	}
	se := normalizeEngine(s.Engine)
	return se == engine && normalizeEngine(t.Engine) == se
}

// A3: the MySQL target's version is at least the source's. The restore page says no more, so
// a later major series (5.7 onto 8.0) is allowed, with a warning that such a restore may not
// be supported; an older one is refused. For 8.0 a later edition of the page also wants the
// same minor version: only a warning, as the restore page allows any later version.
func (a *apiCheck) mysqlVersions() {
	if !a.pairRuns(engineMySQL) {
		return
	}
	s, t := a.f.Source, a.f.Target
	ss, ts := mysqlSeries(s), mysqlSeries(t)
	sv, tv := firstSet(s.CompleteVersion, ss), firstSet(t.CompleteVersion, ts)
	switch {
	case ss == "" || ts == "":
		a.c.warn("A3", AttrTargetInstanceID, "Unknown MySQL Version",
			"The MySQL version of the source instance %s (%q) or of the target instance %s (%q) is unknown: the target's version must be at least the source's. Check the versions before applying.",
			a.src, firstSet(s.CompleteVersion, s.Version), a.tgt, firstSet(t.CompleteVersion, t.Version))
	case ss != ts && CompareVersions(ts, ss) < 0:
		a.c.fail("A3", AttrTargetInstanceID, "Target MySQL Version Too Old", CodeVersionMismatch, 400,
			"The target instance %s runs MySQL %s, an older major version than the source instance %s (MySQL %s): the target's engine version must be at least the source's. Choose a target running MySQL %s or later.",
			a.tgt, tv, a.src, sv, sv)
	case ss != ts:
		a.c.warn("A3", AttrTargetInstanceID, "MySQL Major Versions Differ",
			"The source instance %s runs MySQL %s and the target instance %s runs MySQL %s, a later major version: the document only requires the target's version to be at least the source's, so the plan goes on, but a restore across major versions may not be supported and the API may refuse it. A target running MySQL %s or later in the %s series avoids the doubt.",
			a.src, sv, a.tgt, tv, sv, ss)
	case versionParts(s.CompleteVersion) == nil || versionParts(t.CompleteVersion) == nil:
		a.c.warn("A3", AttrTargetInstanceID, "Unknown MySQL Minor Version",
			"Both instances run MySQL %s, but the complete version of the source instance %s (%q) or of the target instance %s (%q) is unknown: the target must run the source's version or a later one. Check the versions before applying.",
			ss, a.src, s.CompleteVersion, a.tgt, t.CompleteVersion)
	case CompareVersions(tv, sv) < 0:
		a.c.fail("A3", AttrTargetInstanceID, "Target MySQL Version Too Old", CodeVersionMismatch, 400,
			"The target instance %s runs MySQL %s, older than the source instance %s (MySQL %s): the target's engine version must be at least the source's. Choose a target running MySQL %s or later in the %s series, or a source on an older version.",
			a.tgt, tv, a.src, sv, sv, ss)
	case ss == "8.0" && mysqlMinor(sv) != mysqlMinor(tv):
		a.c.warn("A3", AttrTargetInstanceID, "MySQL 8.0 Minor Versions Differ",
			"The source instance %s runs MySQL %s and the target instance %s runs MySQL %s: a later edition of Huawei's document says that for 8.0 the minor versions must match, though the restore API's own page allows a later version. The API may refuse the restore; a target on MySQL %s avoids the doubt.",
			a.src, sv, a.tgt, tv, sv)
	}
}

// A7: MySQL target storage at least the source's.
func (a *apiCheck) mysqlStorage() {
	if !a.pairRuns(engineMySQL) {
		return
	}
	s, t := a.f.Source, a.f.Target
	if s.VolumeGB <= 0 || t.VolumeGB <= 0 {
		a.c.warn("A7", AttrTargetInstanceID, "Unknown Storage Size",
			"The storage size of the source instance %s (%d GB) or of the target instance %s (%d GB) is unknown: for MySQL the target's total storage must be at least the source's. Check both sizes before applying.",
			a.src, s.VolumeGB, a.tgt, t.VolumeGB)
		return
	}
	if t.VolumeGB < s.VolumeGB {
		a.c.param("A7", AttrTargetInstanceID, "Target Storage Too Small",
			"The target instance %s has %d GB of storage, less than the source instance %s (%d GB): for MySQL the target's total storage must be at least the source's. Scale the target's storage up to %d GB or more, or choose a larger target.",
			a.tgt, t.VolumeGB, a.src, s.VolumeGB, s.VolumeGB)
	}
}

// A9: MySQL lower_case_table_names equal on both. The setting is not always readable, so an
// unknown value skips the rule silently (rule A9 allows skip or warn; a warning on every
// MySQL plan would teach users to ignore warnings).
func (a *apiCheck) mysqlCaseSetting() {
	if !a.pairRuns(engineMySQL) {
		return
	}
	sv, tv := strings.TrimSpace(a.f.Source.LowerCaseTableNames), strings.TrimSpace(a.f.Target.LowerCaseTableNames)
	if sv == "" || tv == "" || sv == tv {
		return
	}
	a.c.param("A9", AttrTargetInstanceID, "Case Sensitivity Settings Differ",
		"lower_case_table_names is %q on the source instance %s but %q on the target instance %s: for MySQL the case sensitivity setting must be the same on both, or the restore can fail. It is fixed when an instance is created: choose a target created with lower_case_table_names=%s.",
		sv, a.src, tv, a.tgt, sv)
}

// A4: PostgreSQL versions the same. A different major version is an error; the same major with
// a different minor is only a warning, as the document does not say whether "the same version"
// includes the minor.
func (a *apiCheck) postgresVersions() {
	if !a.pairRuns(enginePostgreSQL) {
		return
	}
	s, t := a.f.Source, a.f.Target
	sm, tm := postgresMajor(s), postgresMajor(t)
	sv, tv := firstSet(s.CompleteVersion, s.Version), firstSet(t.CompleteVersion, t.Version)
	switch {
	case sm == "" || tm == "":
		a.c.warn("A4", AttrTargetInstanceID, "Unknown PostgreSQL Version",
			"The PostgreSQL version of the source instance %s (%q) or of the target instance %s (%q) is unknown: for PostgreSQL the target must run the same version as the source. Check both versions before applying.",
			a.src, sv, a.tgt, tv)
	case sm != tm:
		a.c.fail("A4", AttrTargetInstanceID, "PostgreSQL Versions Differ", CodeVersionMismatch, 400,
			"The source instance %s runs PostgreSQL %s but the target instance %s runs PostgreSQL %s: for PostgreSQL the target's engine version must be the same as the source's. Choose a target running PostgreSQL %s.",
			a.src, sv, a.tgt, tv, sv)
	case s.CompleteVersion != "" && t.CompleteVersion != "" && CompareVersions(s.CompleteVersion, t.CompleteVersion) != 0:
		a.c.warn("A4", AttrTargetInstanceID, "PostgreSQL Minor Versions Differ",
			"The source instance %s runs PostgreSQL %s and the target instance %s runs PostgreSQL %s: the document wants the same engine version on both, and does not say whether the minor version counts. The API may refuse the restore; a target on PostgreSQL %s avoids the doubt.",
			a.src, s.CompleteVersion, a.tgt, t.CompleteVersion, s.CompleteVersion)
	}
}

// A5: the SQL Server move is in Table 1.
func (a *apiCheck) sqlServerVersions() {
	if !a.pairRuns(engineSQLServer) {
		return
	}
	sv, tv := a.f.Source.Version, a.f.Target.Version
	allowed, known := SQLServerMove(sv, tv)
	switch {
	case !known:
		a.c.warn("A5", AttrTargetInstanceID, "Unknown SQL Server Version Move",
			"Table 1 does not say whether SQL Server %q (source instance %s) may be restored onto SQL Server %q (target instance %s). The API may refuse it: check Huawei's current table, or choose a target on the same or a later version in the same or a higher edition.",
			sv, a.src, tv, a.tgt)
	case !allowed:
		from, _ := parseSQLServerVersion(sv)
		to, _ := parseSQLServerVersion(tv)
		a.c.fail("A5", AttrTargetInstanceID, "SQL Server Version Move Not Supported", CodeVersionMismatch, 400,
			"SQL Server %s (%q, source instance %s) cannot be restored onto SQL Server %s (%q, target instance %s): Table 1 of the document does not list this move. Choose a target running one of: %s.",
			from, sv, a.src, to, tv, a.tgt, strings.Join(allowedSQLServerTargets(from), ", "))
	}
}

// allowedSQLServerTargets lists, for messages, every version Table 1 lets `from` restore onto.
func allowedSQLServerTargets(from sqlServerVersion) []string {
	var out []string
	for _, r := range sqlServerMoves {
		if r.from != from.key() {
			continue
		}
		for _, to := range r.to {
			v, _ := parseSQLServerVersion(to)
			if allowed, _ := SQLServerMove(from.key(), to); allowed && !containsString(out, v.String()) {
				out = append(out, v.String())
			}
		}
	}
	return out
}

// A6: SQL Server time zones equal. The document warns of inconsistent data otherwise: data
// damage is an error. An unknown zone warns.
func (a *apiCheck) sqlServerTimeZones() {
	if !a.pairRuns(engineSQLServer) {
		return
	}
	sz, tz := strings.TrimSpace(a.f.Source.TimeZone), strings.TrimSpace(a.f.Target.TimeZone)
	switch {
	case sz == "" || tz == "":
		a.c.warn("A6", AttrTargetInstanceID, "Unknown Time Zone",
			"The time zone of the source instance %s (%q) or of the target instance %s (%q) is unknown: for SQL Server both must use the same time zone, or the restored data can be inconsistent. Check both before applying.",
			a.src, sz, a.tgt, tz)
	case !sameText(sz, tz):
		a.c.param("A6", AttrTargetInstanceID, "Time Zones Differ",
			"The source instance %s uses the time zone %q but the target instance %s uses %q: for SQL Server both instances must use the same time zone, or the restored data can be inconsistent. Choose a target in the time zone %q.",
			a.src, sz, a.tgt, tz, sz)
	}
}

// A8: no cross-region restore. Each instance is compared with the provider's region when that
// is known, else with each other.
func (a *apiCheck) region() {
	want := strings.TrimSpace(a.f.Region)
	if want != "" {
		for _, s := range []struct {
			attr, role, label string
			inst              *Instance
		}{{AttrSourceInstanceID, "source", a.src, a.f.Source}, {AttrTargetInstanceID, "target", a.tgt, a.f.Target}} {
			if s.inst == nil || !isSet(s.inst.Region) || sameText(s.inst.Region, want) {
				continue
			}
			a.c.param("A8", s.attr, "Instance In Another Region",
				"The %s instance %s is in region %q, but the provider works in region %q: cross-region restoration is not supported. Configure the provider for region %q, or choose an instance in %q.",
				s.role, s.label, s.inst.Region, want, s.inst.Region, want)
		}
		return
	}
	s, t := a.f.Source, a.f.Target
	if s == nil || t == nil || !isSet(s.Region) || !isSet(t.Region) || sameText(s.Region, t.Region) {
		return
	}
	a.c.param("A8", AttrTargetInstanceID, "Cross-Region Restore",
		"The source instance %s is in region %q but the target instance %s is in region %q: cross-region restoration is not supported. Choose a target in region %q.",
		a.src, s.Region, a.tgt, t.Region, s.Region)
}

// A10: database_name names databases to restore under new names, which only SQL Server can
// do: an error elsewhere (an empty map is not sent, so it is not refused). restore_all_database
// is accepted and ignored by the API outside SQL Server (the official provider sends it on every
// MySQL restore), so it only warns, and the provider does not send it (Submitted).
func (a *apiCheck) sqlServerOnlyArguments() {
	if a.engine == "" || a.engine == engineSQLServer {
		return
	}
	if len(a.req.DatabaseName) > 0 {
		a.c.param("A10", AttrDatabaseName, "Database Name Only For SQL Server",
			"database_name is set, but the instances run %s: database_name (restoring and renaming single databases) is available only for SQL Server. Remove database_name; %s restores the whole instance.",
			engineLabel(a.engine), engineLabel(a.engine))
	}
	if a.req.RestoreAllDatabase != nil {
		a.c.warn("A10", AttrRestoreAllDatabase, "Restore All Databases Has No Effect",
			"restore_all_database is set to %t, but the instances run %s: it is a SQL Server option and has no effect on %s, which restores the whole instance. The provider does not send it; remove it to silence this warning.",
			*a.req.RestoreAllDatabase, engineLabel(a.engine), engineLabel(a.engine))
	}
}

// Submitted is the request as the provider sends it once the engine is known: restore_all_database
// only for SQL Server (or an engine not known), and database_name only when it has entries (an
// empty map means every database, as when it is omitted).
func Submitted(req Request, engine string) Request {
	if e := normalizeEngine(engine); e != "" && e != engineSQLServer {
		req.RestoreAllDatabase = nil
	}
	if len(req.DatabaseName) == 0 {
		req.DatabaseName = nil
	}
	return req
}

// A11: restoring onto the original instance is supported only for MySQL and SQL Server.
func (a *apiCheck) originalInstance() {
	if !a.sameInstance || a.engine == "" || a.engine == engineMySQL || a.engine == engineSQLServer {
		return
	}
	a.c.param("A11", AttrTargetInstanceID, "Restore To Original Instance Not Supported",
		"target_instance_id is the source instance %s itself, which runs %s: restoring onto the original instance is supported only for MySQL and SQL Server. Choose another existing %s instance as the target.",
		a.src, engineLabel(a.engine), engineLabel(a.engine))
}

// A12: in backup mode the backup exists, belongs to the source, and is complete. A backup still
// being built is only a warning at plan time: it may be complete by apply time.
func (a *apiCheck) backup() {
	if a.mode != TypeBackup || !isSet(a.req.BackupID) {
		return
	}
	b := a.f.Backup
	if b == nil {
		a.c.fail("A12", AttrBackupID, "Backup Not Found", CodeBackupNotFound, 404,
			"The backup %q was not found for the source instance %s: backup mode restores an existing backup of the source. Check backup_id (list the source's backups), or use type = \"timestamp\".",
			a.req.BackupID, a.src)
		return
	}
	if isSet(b.InstanceID) && isSet(a.req.SourceInstanceID) && !sameText(b.InstanceID, a.req.SourceInstanceID) {
		a.c.fail("A12", AttrBackupID, "Backup Of Another Instance", CodeBackupNotFound, 404,
			"The backup %q belongs to the instance %q, not to the source instance %s: the backup must be one of the source's. Set source_instance_id to %q, or choose a backup of %s.",
			a.req.BackupID, b.InstanceID, a.src, b.InstanceID, a.src)
		return
	}
	status := strings.ToUpper(strings.TrimSpace(b.Status))
	switch {
	case status == "COMPLETED":
	case status == "":
		a.c.warn("A12", AttrBackupID, "Backup Status Unknown",
			"The status of the backup %q is unknown: only a COMPLETED backup can be restored. Check the backup before applying.",
			a.req.BackupID)
	case status == "BUILDING" && a.f.Phase == PhasePlan:
		a.c.warn("A12", AttrBackupID, "Backup Not Yet Completed",
			"The backup %q is %s: only a COMPLETED backup can be restored. It may be complete by the time the restore is applied; if not, the apply fails.",
			a.req.BackupID, b.Status)
	case status == "BUILDING":
		a.c.fail("A12", AttrBackupID, "Backup Not Yet Completed", CodeBackupInProgress, 409,
			"The backup %q is %s: only a COMPLETED backup can be restored. Wait until it is complete, or choose another backup.",
			a.req.BackupID, b.Status)
	default:
		a.c.fail("A12", AttrBackupID, "Backup Not Usable", CodeBackupUnusable, 400,
			"The backup %q is %s: only a COMPLETED backup can be restored. Choose a completed backup of the source instance %s.",
			a.req.BackupID, b.Status, a.src)
	}
}

// A13: in timestamp mode the time falls inside a restorable range. At plan time a time after
// the latest range is only a warning: the range grows as logs are backed up.
func (a *apiCheck) restoreTime() {
	rt := a.req.RestoreTime
	if a.mode != TypeTimestamp || rt == nil || *rt < secondsThreshold {
		return // S5 reports values that are not milliseconds
	}
	t := *rt
	ws := a.f.Windows
	if ws == nil {
		a.c.warn("A13", AttrRestoreTime, "Restorable Time Ranges Unknown",
			"The restorable time ranges of the source instance %s are unknown, so restore_time %d (%s) could not be checked: it must fall inside one of them. Check the source's restorable times before applying.",
			a.src, t, formatMillis(t))
		return
	}
	var latest int64
	for i, w := range ws {
		if t >= w.Start && t <= w.End {
			return
		}
		if i == 0 || w.End > latest {
			latest = w.End
		}
	}
	ranges := describeWindows(ws)
	if len(ws) > 0 && t > latest && a.f.Phase == PhasePlan {
		a.c.warn("A13", AttrRestoreTime, "Restore Time After Latest Restorable Time",
			"restore_time %d (%s) is after the latest restorable time of the source instance %s (ranges: %s): it must fall inside one of them. The range grows as logs are backed up, so it may be restorable by apply time; if not, the apply fails.",
			t, formatMillis(t), a.src, ranges)
		return
	}
	a.c.param("A13", AttrRestoreTime, "Restore Time Not Restorable",
		"restore_time %d (%s) is outside the restorable time ranges of the source instance %s (ranges: %s): the point in time must fall inside one of them. Choose a time inside a range, or restore a backup instead.",
		t, formatMillis(t), a.src, ranges)
}

// A17: the target accepts a restore only when ACTIVE. A target in a state it does not leave by
// itself (StuckTargetStates) is an error at every phase: waiting for it would only spend the
// timeout. Any other state is transient: at plan time it may be free by apply time (warning); at
// apply time the provider waits for it itself (nothing to report); the emulator, like the API,
// answers 409.
func (a *apiCheck) targetState() {
	t := a.f.Target
	if t == nil {
		return
	}
	st := strings.TrimSpace(t.Status)
	if st == "" || sameText(st, "ACTIVE") {
		return
	}
	if TargetStateStuck(st) {
		a.c.fail("A17", AttrTargetInstanceID, "Target Instance Cannot Become ACTIVE", CodeBusy, 409,
			"The target instance %s is %s, not ACTIVE, and an instance does not leave %s by itself: a restore needs the target ACTIVE, and waiting for it would only spend the create timeout. %s, then apply again.",
			a.tgt, st, st, stuckRemedy(st))
		return
	}
	switch a.f.Phase {
	case PhasePlan:
		a.c.warn("A17", AttrTargetInstanceID, "Target Instance Busy",
			"The target instance %s is %s, not ACTIVE: a restore needs the target in a state that accepts it. It may be ACTIVE by apply time, when the provider waits for it within the create timeout; if it stays %s, the apply fails.",
			a.tgt, st, st)
	case PhaseServer:
		a.c.fail("A17", AttrTargetInstanceID, "Target Instance Busy", CodeBusy, 409,
			"The target instance %s is %s, not ACTIVE: a restore needs the target in a state that accepts it. Wait until it is ACTIVE and retry.",
			a.tgt, st)
	}
}

// stuckTargetStates are the instance states a restore cannot wait out (rule A17): an instance
// leaves them only when someone acts. This is the one list: the restore runner's and the
// client's waits for a target (rds.WaitForStatus) stop on the same states.
var stuckTargetStates = []string{"FROZEN", "FAILED", "STORAGE FULL", "CREATE FAIL", "SHUTDOWN"}

// StuckTargetStates returns the instance states a restore cannot wait out (rule A17), in the
// order the documentation lists them.
func StuckTargetStates() []string { return append([]string(nil), stuckTargetStates...) }

// TargetStateStuck says whether an instance in status st stays there until someone acts
// (FROZEN, FAILED, STORAGE FULL, CREATE FAIL, SHUTDOWN; compared as the API's values are).
func TargetStateStuck(st string) bool {
	for _, s := range stuckTargetStates {
		if sameText(strings.TrimSpace(st), s) {
			return true
		}
	}
	return false
}

// stuckRemedy says what brings a target out of a state it does not leave by itself.
func stuckRemedy(st string) string {
	switch strings.ToUpper(strings.TrimSpace(st)) {
	case "FROZEN":
		return "Have it unfrozen (it is frozen by billing or by an administrator)"
	case "STORAGE FULL":
		return "Scale up its storage or remove data"
	case "SHUTDOWN":
		return "Start it"
	default:
		return "Repair or replace it (the console shows what went wrong), or choose another target"
	}
}

// describeWindows lists ranges for messages, at most five.
func describeWindows(ws []Window) string {
	if len(ws) == 0 {
		return "none"
	}
	var parts []string
	for i, w := range ws {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ws)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%d-%d (%s to %s)", w.Start, w.End, formatMillis(w.Start), formatMillis(w.End)))
	}
	return strings.Join(parts, ", ")
}

// SameID says whether two instance ids, or two regions, name the same thing, compared the way
// the rules compare them (without surrounding spaces or case). The provider uses it too, so that
// it never disagrees with the rules about whether a restore is onto the original instance, or in
// the provider's region.
func SameID(a, b string) bool { return sameText(a, b) }

// sameText compares ids, regions, zones and states as the API's values are compared: without
// surrounding spaces or case.
func sameText(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func firstSet(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

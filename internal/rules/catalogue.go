package rules

import "time"

// Kind says which table of the catalogue a rule belongs to: the static rules need only the
// configuration, the API rules need what the API says about the instances.
type Kind int

const (
	// StaticRule: S1-S12.
	StaticRule Kind = iota
	// APIRule: A1-A18.
	APIRule
)

func (k Kind) String() string {
	if k == APIRule {
		return "api"
	}
	return "static"
}

// Rule is one documented restore rule: its id, its kind, its documentation and its check, in
// one place. The resource page's rule tables are generated from Checked and Remedy (see
// RuleTable), so the page cannot drift from the code.
type Rule struct {
	ID   string
	Kind Kind
	// Checked says what the rule checks, and Remedy what to do when it fails (Markdown, one
	// line each: they are cells of a table).
	Checked, Remedy string
	// CheckedAs names the rule whose findings report this one, for a rule that cannot be
	// checked on its own (S6 needs the engine: A10 reports it).
	CheckedAs string
	// Guard: a rule of the provider's own, which the API does not have (A18): its errors carry
	// no API code, and the emulator never reports it.
	Guard bool

	// static runs with the configuration only (CheckStatic); api runs with the facts
	// (CheckAPI). A rule may have both halves (S10: a name list made only of the original name
	// is wrong anywhere; one made of case variants of it only where names are case-insensitive).
	static func(c *collector, req Request, now time.Time)
	api    func(a *apiCheck)
}

// Catalogue returns every documented rule in the catalogue's order (S1-S12, then A1-A18):
// the order checks run in, and findings are returned in.
func Catalogue() []Rule { return append([]Rule(nil), catalogue...) }

// LookupRule returns the rule with the given id.
func LookupRule(id string) (Rule, bool) {
	i, ok := ruleRank[id]
	if !ok {
		return Rule{}, false
	}
	return catalogue[i], true
}

var catalogue = []Rule{
	{ID: "S1", Kind: StaticRule, static: checkInstanceIDs,
		Checked: "`source_instance_id` and `target_instance_id` are set and not empty.",
		Remedy:  "Set both to instance IDs."},
	{ID: "S2", Kind: StaticRule, static: checkType,
		Checked: "`type`, when set, is `backup` or `timestamp`.",
		Remedy:  "Use one of the two, or leave `type` out: it is inferred."},
	{ID: "S3", Kind: StaticRule, static: checkBackupMode,
		Checked: "Backup mode (`type = \"backup\"`, or `backup_id` set): `backup_id` is given and `restore_time` is not.",
		Remedy:  "Set `backup_id` and remove `restore_time`."},
	{ID: "S4", Kind: StaticRule, static: checkTimestampMode,
		Checked: "Point-in-time mode: `restore_time` is given and `backup_id` is not; exactly one of the two is set. The API wants `type = \"timestamp\"`, which the provider always sends.",
		Remedy:  "Set exactly one of `backup_id` and `restore_time`."},
	{ID: "S5", Kind: StaticRule, static: checkRestoreTime,
		Checked: "`restore_time` is Unix time in **milliseconds**, UTC: positive and not in the future. A value below 10^11 looks like seconds and gets a hint with the value times 1000.",
		Remedy:  "Write milliseconds (e.g. `1532001446987`), or take `latest_restorable_time` from the `hwc_rds_restore_time_ranges` data source."},
	{ID: "S6", Kind: StaticRule, CheckedAs: "A10",
		Checked: "`database_name` and `restore_all_database` are SQL Server-only arguments (checked against the engine as A10).",
		Remedy:  "Leave them out for MySQL and PostgreSQL."},
	{ID: "S7", Kind: StaticRule, static: checkDatabaseNameShape,
		Checked: "`database_name` maps an original database name to a comma-separated list of new names; `\"\"` keeps the original name. A blank original name is an error; an empty map (not sent: every database is restored) or a malformed list (empty items, spaces) is warned about.",
		Remedy:  "Write `{ original = \"new1,new2\" }`, or `{ original = \"\" }` to restore under the original name."},
	{ID: "S8", Kind: StaticRule, static: checkNewNameCharacters,
		Checked: "Each new name is 1 to 64 letters, digits, `_` or `-`.",
		Remedy:  "Rename to fit; the message names the offending name."},
	{ID: "S9", Kind: StaticRule, static: checkNewNameReserved,
		Checked: "New names must not contain `rdsadmin`, `master`, `msdb`, `tempdb`, `model` or `resource`, in any letter case (so `sales_model` is refused too).",
		Remedy:  "Choose a name without these words."},
	{ID: "S10", Kind: StaticRule, static: checkRenamedToItself, api: (*apiCheck).renamedToItselfIgnoringCase,
		Checked: "A new name differs from its original name. `\"A\" = \"A,A1,A2\"` is fine (the original beside new copies), `\"A\" = \"A\"` is wrong, and so is `\"A\" = \"a\"` where names are case-insensitive.",
		Remedy:  "To restore under the original name, write `\"A\" = \"\"`."},
	{ID: "S11", Kind: StaticRule, static: checkUniqueNewNames,
		Checked: "All new names across the whole map are unique (`B = \"B1,B2\"` and `C = \"B1,C1\"` both make `B1`; so does `B = \"B1,B1\"`).",
		Remedy:  "Give every copy its own name."},
	{ID: "S12", Kind: StaticRule, api: (*apiCheck).caseConflicts,
		Checked: "Where database names are case-insensitive (SQL Server collations with `_CI_`), two new names that differ only in case (`D1`, `d1`) conflict. When the collation is unknown the provider warns.",
		Remedy:  "Use names that differ in more than case."},

	{ID: "A1", Kind: APIRule, api: (*apiCheck).existence,
		Checked: "The source and the target exist in the provider's project and region.",
		Remedy:  "Check the IDs (`hwc_rds_instances` lists them) and the provider's `region` / `project_id`."},
	{ID: "A2", Kind: APIRule, api: (*apiCheck).sameEngine,
		Checked: "Both instances run the same DB engine (compared case-insensitively).",
		Remedy:  "Restore onto an instance of the source's engine."},
	{ID: "A3", Kind: APIRule, api: (*apiCheck).mysqlVersions,
		Checked: "MySQL: the target's version is at least the source's (5.7.25 onto 5.7.27 is fine, the reverse is not). A later major version (5.7 onto 8.0) is \"at least equal\" too, so it is only warned about: a restore across major versions may not be supported. For 8.0 a different minor version is warned about (a later document requires it to match).",
		Remedy:  "Restore onto a target with an equal or later version, preferably of the source's major series."},
	{ID: "A4", Kind: APIRule, api: (*apiCheck).postgresVersions,
		Checked: "PostgreSQL: the versions are the same. A different major version is an error, a different minor version a warning.",
		Remedy:  "Restore onto a target of the same PostgreSQL version."},
	{ID: "A5", Kind: APIRule, api: (*apiCheck).sqlServerVersions,
		Checked: "SQL Server: the move from the source's version and edition to the target's is in Table 1: the same or a later version, in the same or a higher edition (Web < Standard < Enterprise; e.g. 2017 SE onto 2017 EE). A version the table does not know is warned about.",
		Remedy:  "Restore onto a target of the same or a later version and an equal or higher edition."},
	{ID: "A6", Kind: APIRule, api: (*apiCheck).sqlServerTimeZones,
		Checked: "SQL Server: both instances have the same time zone (otherwise data can end up inconsistent).",
		Remedy:  "Restore onto a target in the source's time zone."},
	{ID: "A7", Kind: APIRule, api: (*apiCheck).mysqlStorage,
		Checked: "MySQL: the target's storage is at least the source's.",
		Remedy:  "Scale the target's storage up to the source's size, or choose a larger target."},
	{ID: "A8", Kind: APIRule, api: (*apiCheck).region,
		Checked: "No cross-region restore: both instances are in the provider's region (and `region`, when set, is the provider's; regions compare without case).",
		Remedy:  "Use a provider configuration (alias) for the instances' region; copy data across regions another way."},
	{ID: "A9", Kind: APIRule, api: (*apiCheck).mysqlCaseSetting,
		Checked: "MySQL: `lower_case_table_names` is the same on both (skipped when it cannot be read).",
		Remedy:  "It is fixed when an instance is created: choose a target created with the source's setting."},
	{ID: "A10", Kind: APIRule, api: (*apiCheck).sqlServerOnlyArguments,
		Checked: "`database_name` (non-empty) is set only for SQL Server: other engines cannot restore single databases under new names. `restore_all_database` has no effect outside SQL Server: a warning, and the provider does not send it.",
		Remedy:  "Remove them for MySQL and PostgreSQL, which restore the whole instance."},
	{ID: "A11", Kind: APIRule, api: (*apiCheck).originalInstance,
		Checked: "Restoring onto the original instance (source = target) is supported for MySQL and SQL Server only.",
		Remedy:  "For PostgreSQL, restore onto another instance."},
	{ID: "A12", Kind: APIRule, api: (*apiCheck).backup,
		Checked: "Backup mode: the backup exists, belongs to the source (a backup found under the target instead is named as such), and is `COMPLETED`. A backup still `BUILDING` at plan time is a warning (it may be complete by apply time), an error at apply time.",
		Remedy:  "Use a completed backup of the source, e.g. `data.hwc_rds_backups.prod.latest_completed.id`."},
	{ID: "A13", Kind: APIRule, api: (*apiCheck).restoreTime,
		Checked: "Point-in-time mode: `restore_time` falls inside one of the source's restorable time ranges (there can be gaps between them). A time after the latest range is a warning at plan time: the range grows as logs are backed up.",
		Remedy:  "Pick a time inside a range (`hwc_rds_restore_time_ranges`), or restore a backup."},
	{ID: "A14", Kind: APIRule, api: (*apiCheck).databaseNames,
		Checked: "SQL Server: every original name in `database_name` is a database of the source (in backup mode, one listed in the backup); no new name exists already on the source or the target (case-insensitively where names are case-insensitive; a name the previous restore of this resource created says so). Restoring databases under their original names (no `database_name`, `restore_all_database = true`, or `{ A = \"\" }`) onto a target that has them is warned about, naming each: their data is replaced.",
		Remedy:  "Name databases the backup has (`hwc_rds_backups`, `hwc_rds_databases`), choose new names that are free on both instances, or set `drop_previous_databases = true` to re-run a copy drill."},
	{ID: "A15", Kind: APIRule, api: (*apiCheck).quota,
		Checked: "SQL Server: the target's databases plus the new ones do not exceed its database quota, where it is known.",
		Remedy:  "Restore fewer databases, or drop databases on the target first."},
	{ID: "A16", Kind: APIRule, api: (*apiCheck).diskSize,
		Checked: "SQL Server: a backup larger than the target's storage is warned about.",
		Remedy:  "Scale the target's storage up before applying."},
	{ID: "A17", Kind: APIRule, api: (*apiCheck).targetState,
		Checked: "The target accepts a restore only when it is `ACTIVE`. A target in a state it does not leave by itself (`FROZEN`, `FAILED`, `STORAGE FULL`, `CREATE FAIL`, `SHUTDOWN`) is an error at plan time that names the state, and the apply stops at once on it: waiting would only spend `timeouts.create`. A busy target (`BACKING UP`, `RESTORING`, ...) is a warning at plan time; at apply time the provider waits for it to become `ACTIVE`, within `timeouts.create`.",
		Remedy:  "For a busy target, nothing, usually (raise `timeouts.create` if it is busy for long). For a stuck one, bring it back to `ACTIVE` first: have it unfrozen, scale up its storage, start it, or choose another target."},
	{ID: "A18", Kind: APIRule, Guard: true, api: (*apiCheck).protectedTarget,
		Checked: "The guard for production: the target is not protected by the provider's configuration, that is, its id is not in `protected_instance_ids` (`HWC_PROTECTED_INSTANCE_IDS`) and it carries none of the tag key/value pairs of `protected_tags` (`HWC_PROTECTED_TAGS`). Checked at plan time and again, on a fresh read of the target, right before the submission (and before `drop_previous_databases` drops anything). The API itself has no such rule.",
		Remedy:  "Fix `target_instance_id` if it names the wrong instance. No resource or action argument turns the guard off: only the provider's settings do."},
}

// ruleRank is each rule's position in the catalogue. It is filled by init, not by an
// initializer, because the checks the catalogue refers to sort their findings by it.
var ruleRank = map[string]int{}

func init() {
	for i, r := range catalogue {
		ruleRank[r.ID] = i
	}
}

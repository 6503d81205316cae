package rules

import (
	"strings"
	"testing"
	"time"
)

// ruleCase is one failing or passing case of one documented rule. A failing case expects a
// finding of that rule with the given severity and attribute (and, when set, API code and
// status) whose Detail mentions every value in mentions; a passing case expects no finding of
// that rule at all.
type ruleCase struct {
	name     string
	rule     string // the rule id the finding carries
	fail     bool
	sev      Severity
	attr     string
	code     string
	status   int
	mentions []string
	engine   string // baseFacts engine; "" = sqlserver
	req      func(*Request)
	facts    func(*Facts)
}

var ruleCases = []ruleCase{
	// S1
	{name: "S1 source missing", rule: "S1", fail: true, sev: Error, attr: AttrSourceInstanceID, code: CodeParameter, status: 400,
		mentions: []string{`""`, "source_instance_id"}, req: func(r *Request) { r.SourceInstanceID = "" }},
	{name: "S1 target blank", rule: "S1", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{`"  "`, "target_instance_id"}, req: func(r *Request) { r.TargetInstanceID = "  " }},
	{name: "S1 both set", rule: "S1"},

	// S2
	{name: "S2 wrong case", rule: "S2", fail: true, sev: Error, attr: AttrType, code: CodeParameter, status: 400,
		mentions: []string{`"Backup"`, `Did you mean "backup"`}, req: func(r *Request) { r.Type = "Backup" }},
	{name: "S2 unknown type", rule: "S2", fail: true, sev: Error, attr: AttrType,
		mentions: []string{`"snapshot"`}, req: func(r *Request) { r.Type = "snapshot" }},
	{name: "S2 backup", rule: "S2", req: func(r *Request) { r.Type = TypeBackup }},
	{name: "S2 omitted", rule: "S2"},

	// S3
	{name: "S3 backup without backup_id", rule: "S3", fail: true, sev: Error, attr: AttrBackupID,
		mentions: []string{`type is "backup"`, "backup_id"},
		req:      func(r *Request) { r.Type, r.BackupID = TypeBackup, "" }},
	{name: "S3 backup with restore_time", rule: "S3", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{"1755680400000"},
		req:      func(r *Request) { r.Type, r.RestoreTime = TypeBackup, i64(1755680400000) }},
	{name: "S3 inferred backup mode", rule: "S3"},

	// S4
	{name: "S4 timestamp without restore_time", rule: "S4", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{`type is "timestamp"`}, req: func(r *Request) { r.Type, r.BackupID = TypeTimestamp, "" }},
	{name: "S4 timestamp with backup_id", rule: "S4", fail: true, sev: Error, attr: AttrBackupID,
		mentions: []string{`"b1"`}, req: func(r *Request) { r.Type, r.RestoreTime = TypeTimestamp, ms(testNow.Add(-time.Hour)) }},
	{name: "S4 both without type", rule: "S4", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{`"b1"`, "1755687600000"}, req: func(r *Request) { r.RestoreTime = ms(testNow.Add(-time.Hour)) }},
	{name: "S4 neither", rule: "S4", fail: true, sev: Error, attr: AttrBackupID,
		mentions: []string{"backup_id", "restore_time"}, req: func(r *Request) { r.BackupID = "" }},
	{name: "S4 timestamp", rule: "S4", req: func(r *Request) { r.Type, r.BackupID, r.RestoreTime = TypeTimestamp, "", ms(testNow.Add(-time.Hour)) }},
	{name: "S4 inferred timestamp", rule: "S4", req: func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) }},

	// S5
	{name: "S5 seconds", rule: "S5", fail: true, sev: Error, attr: AttrRestoreTime, code: CodeParameter, status: 400,
		mentions: []string{"1532001446", "Did you mean 1532001446000"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", i64(1532001446) }},
	{name: "S5 negative", rule: "S5", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{"-5"}, req: func(r *Request) { r.BackupID, r.RestoreTime = "", i64(-5) }},
	{name: "S5 future", rule: "S5", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{"1755702000000", "2025-08-20T15:00:00.000Z"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(3*time.Hour)) }},
	{name: "S5 past", rule: "S5", req: func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) }},
	{name: "S5 within skew", rule: "S5", req: func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(4*time.Minute)) }},

	// S6 (reported as A10: the catalogue's CheckedAs)
	{name: "S6 database_name on MySQL", rule: "A10", fail: true, sev: Error, attr: AttrDatabaseName, engine: "mysql",
		mentions: []string{"MySQL", "database_name"}, req: func(r *Request) { r.DatabaseName = map[string]string{"app": "app2"} }},
	{name: "S6 database_name on SQL Server", rule: "A10", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A1"} }},

	// S7
	{name: "S7 empty key", rule: "S7", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`key ""`, `"A1"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"": "A1"} }},
	{name: "S7 empty item", rule: "S7", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"A1,,A2"`, `"A1,A2"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A1,,A2"} }},
	{name: "S7 spaces", rule: "S7", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"A1, A2"`, `"A1,A2"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A1, A2"} }},
	{name: "S7 empty map", rule: "S7", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{"no entries", "An empty map is not sent, so every database is restored"}, req: func(r *Request) { r.DatabaseName = map[string]string{} }},
	{name: "S7 well formed", rule: "S7", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A1,A2", "B": ""} }},

	// S8
	{name: "S8 bad character", rule: "S8", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`"new db"`, `' '`, `"new_db"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "new db"} }},
	{name: "S8 too long", rule: "S8", fail: true, sev: Error, attr: AttrDatabaseName,
		mentions: []string{strings.Repeat("x", 65), "65 characters"},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"A": strings.Repeat("x", 65)} }},
	{name: "S8 64 characters", rule: "S8", req: func(r *Request) { r.DatabaseName = map[string]string{"A": strings.Repeat("x", 63) + "-"} }},
	{name: "S8 letters digits _ -", rule: "S8", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "New_db-1"} }},

	// S9
	{name: "S9 contains master", rule: "S9", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`"Old_MASTER_copy"`, `"master"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "Old_MASTER_copy"} }},
	{name: "S9 resource", rule: "S9", fail: true, sev: Error, attr: AttrDatabaseName,
		mentions: []string{`"hr_resources"`, `"resource"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "hr_resources"} }},
	{name: "S9 near miss", rule: "S9", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "mast,temp_db,modl_1,ms_db"} }},

	// S10
	{name: "S10 renamed to itself", rule: "S10", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`database_name["A"] is "A"`, `""`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A"} }},
	{name: "S10 case variant where insensitive", rule: "S10", fail: true, sev: Error, attr: AttrDatabaseName,
		mentions: []string{`"a"`, `"A"`, "case-insensitive"}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "a"} }},
	{name: "S10 case variant where unknown", rule: "S10", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"a"`, `"A"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "a"} },
		facts: func(f *Facts) { f.Source.Collation, f.Target.Collation = "", "" }},
	{name: "S10 original beside other names", rule: "S10", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A,A1,A2"} }},
	{name: "S10 case variant where sensitive", rule: "S10", req: func(r *Request) { r.DatabaseName = map[string]string{"A": "a"} },
		facts: func(f *Facts) { f.Target.Collation = "Latin1_General_CS_AS" }},

	// S11
	{name: "S11 duplicate", rule: "S11", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`"B1"`, `(once under "B", once under "C")`}, req: func(r *Request) { r.DatabaseName = map[string]string{"B": "B1,B2", "C": "B1,C1"} }},
	{name: "S11 repeated inside one value", rule: "S11", fail: true, sev: Error, attr: AttrDatabaseName,
		mentions: []string{`database_name["B"] is "B1,B1", which lists the new name "B1" twice`},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"B": "B1,B1"} }},
	{name: "S11 repeated inside one value and elsewhere", rule: "S11", fail: true, sev: Error, attr: AttrDatabaseName,
		mentions: []string{`"B1" appears 3 times in database_name (twice under "B", once under "C")`},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"B": "B1,B1", "C": "B1"} }},
	{name: "S11 unique", rule: "S11", req: func(r *Request) { r.DatabaseName = map[string]string{"B": "B1,B2", "C": "C1"} }},

	// S12
	{name: "S12 case-insensitive collation", rule: "S12", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{`"D1" and "d1"`, `"tgt"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"D": "D1,d1"} }},
	{name: "S12 collation unknown", rule: "S12", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"D1" and "d1"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"D": "D1,d1"} },
		facts: func(f *Facts) { f.Source.Collation, f.Target.Collation = "", "" }},
	// The target's collation decides; the source's is no proof, so an unknown target only warns.
	{name: "S12 target collation unknown warns", rule: "S12", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"D1" and "d1"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"D": "D1,d1"} },
		facts: func(f *Facts) { f.Target.Collation = "" }},
	{name: "S12 case-sensitive collation", rule: "S12", req: func(r *Request) { r.DatabaseName = map[string]string{"D": "D1,d1"} },
		facts: func(f *Facts) { f.Target.Collation = "SQL_Latin1_General_CP1_CS_AS" }},
	{name: "S12 distinct names", rule: "S12", req: func(r *Request) { r.DatabaseName = map[string]string{"D": "D1,D2"} }},

	// A1
	{name: "A1 source not found", rule: "A1", fail: true, sev: Error, attr: AttrSourceInstanceID, code: CodeSourceNotFound, status: 404,
		mentions: []string{`"src"`, `"cn-north-4"`}, facts: func(f *Facts) { f.Source = nil }},
	{name: "A1 target not found", rule: "A1", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeTargetNotFound, status: 404,
		mentions: []string{`"tgt"`}, facts: func(f *Facts) { f.Target = nil }},
	{name: "A1 both found", rule: "A1"},

	// A2
	{name: "A2 engines differ", rule: "A2", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeVersionMismatch, status: 400,
		mentions: []string{"SQLServer", "MySQL", `"tgt"`}, facts: func(f *Facts) { f.Target = mysqlInstance("tgt", "5.7.27") }},
	{name: "A2 engine unknown", rule: "A2", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`""`}, facts: func(f *Facts) { f.Target.Engine = "" }},
	{name: "A2 same engine, different spelling", rule: "A2", facts: func(f *Facts) { f.Target.Engine = "sqlserver" }},

	// A3
	{name: "A3 target older", rule: "A3", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeVersionMismatch, status: 400, engine: "mysql",
		mentions: []string{"5.7.27", "5.7.25", "Choose a target running MySQL 5.7.27 or later in the 5.7 series, or a source on an older version."},
		facts:    func(f *Facts) { f.Source, f.Target = mysqlInstance("src", "5.7.27"), mysqlInstance("tgt", "5.7.25") }},
	// The restore page only says "at least equal": a later major version is that, so only a warning.
	{name: "A3 later major version", rule: "A3", fail: true, sev: Warning, attr: AttrTargetInstanceID, engine: "mysql",
		mentions: []string{"5.7.25", "8.0.28", "a restore across major versions may not be supported"},
		facts:    func(f *Facts) { f.Target = mysqlInstance("tgt", "8.0.28") }},
	{name: "A3 older major version", rule: "A3", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeVersionMismatch, status: 400, engine: "mysql",
		mentions: []string{"8.0.28", "5.7.27", "an older major version"},
		facts:    func(f *Facts) { f.Source, f.Target = mysqlInstance("src", "8.0.28"), mysqlInstance("tgt", "5.7.27") }},
	{name: "A3 numeric not lexical", rule: "A3", fail: true, sev: Error, attr: AttrTargetInstanceID, engine: "mysql",
		mentions: []string{"5.7.100", "5.7.99"},
		facts:    func(f *Facts) { f.Source, f.Target = mysqlInstance("src", "5.7.100"), mysqlInstance("tgt", "5.7.99") }},
	{name: "A3 8.0 minor differs", rule: "A3", fail: true, sev: Warning, attr: AttrTargetInstanceID, engine: "mysql",
		mentions: []string{"8.0.25", "8.0.28"},
		facts:    func(f *Facts) { f.Source, f.Target = mysqlInstance("src", "8.0.25"), mysqlInstance("tgt", "8.0.28") }},
	{name: "A3 complete version unknown", rule: "A3", fail: true, sev: Warning, attr: AttrTargetInstanceID, engine: "mysql",
		mentions: []string{"5.7"}, facts: func(f *Facts) { f.Target.CompleteVersion = "" }},
	{name: "A3 5.7.25 to 5.7.27", rule: "A3", engine: "mysql"},
	{name: "A3 8.0 same minor", rule: "A3", engine: "mysql",
		facts: func(f *Facts) { f.Source, f.Target = mysqlInstance("src", "8.0.28"), mysqlInstance("tgt", "8.0.28") }},

	// A4
	{name: "A4 majors differ", rule: "A4", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeVersionMismatch, status: 400, engine: "postgres",
		mentions: []string{"12.6", "13.2"}, facts: func(f *Facts) { f.Target = postgresInstance("tgt", "13.2") }},
	{name: "A4 minors differ", rule: "A4", fail: true, sev: Warning, attr: AttrTargetInstanceID, engine: "postgres",
		mentions: []string{"12.6", "12.7"}, facts: func(f *Facts) { f.Target = postgresInstance("tgt", "12.7") }},
	{name: "A4 same version", rule: "A4", engine: "postgres"},

	// A5
	{name: "A5 edition downgrade", rule: "A5", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeVersionMismatch, status: 400,
		mentions: []string{"2017 Enterprise Edition", `"2017_SE"`, "2017 Standard Edition"},
		facts:    func(f *Facts) { f.Source.Version = "2017_EE" }},
	{name: "A5 version downgrade", rule: "A5", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{`"2016_SE"`, "2017 Standard Edition, 2017 Enterprise Edition"},
		facts:    func(f *Facts) { f.Target.Version = "2016_SE" }},
	{name: "A5 unknown version", rule: "A5", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`"2008_R2_EE"`, `"2017_SE"`}, facts: func(f *Facts) { f.Source.Version = "2008_R2_EE" }},
	{name: "A5 2017 SE to 2017 EE", rule: "A5", facts: func(f *Facts) { f.Target.Version = "2017_EE" }},
	{name: "A5 2017 SE to 2019 SE (later document)", rule: "A5", facts: func(f *Facts) { f.Target.Version = "2019_SE" }},

	// A6
	{name: "A6 time zones differ", rule: "A6", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeParameter, status: 400,
		mentions: []string{`"China Standard Time"`, `"UTC"`}, facts: func(f *Facts) { f.Target.TimeZone = "UTC" }},
	{name: "A6 time zone unknown", rule: "A6", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`"China Standard Time"`}, facts: func(f *Facts) { f.Target.TimeZone = "" }},
	{name: "A6 same zone", rule: "A6", facts: func(f *Facts) { f.Target.TimeZone = "china standard time" }},

	// A7
	{name: "A7 target smaller", rule: "A7", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeParameter, status: 400, engine: "mysql",
		mentions: []string{"50 GB", "100 GB"}, facts: func(f *Facts) { f.Target.VolumeGB = 50 }},
	{name: "A7 size unknown", rule: "A7", fail: true, sev: Warning, attr: AttrTargetInstanceID, engine: "mysql",
		mentions: []string{"0 GB"}, facts: func(f *Facts) { f.Source.VolumeGB = 0 }},
	{name: "A7 target equal", rule: "A7", engine: "mysql"},

	// A8
	{name: "A8 instances in different regions", rule: "A8", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeParameter, status: 400,
		mentions: []string{`"cn-north-4"`, `"ap-southeast-1"`},
		facts:    func(f *Facts) { f.Region, f.Target.Region = "", "ap-southeast-1" }},
	{name: "A8 source outside provider region", rule: "A8", fail: true, sev: Error, attr: AttrSourceInstanceID,
		mentions: []string{`"cn-north-4"`, `"cn-east-3"`}, facts: func(f *Facts) { f.Source.Region = "cn-east-3" }},
	{name: "A8 same region", rule: "A8"},
	{name: "A8 region unknown", rule: "A8", facts: func(f *Facts) { f.Region, f.Target.Region = "", "" }},

	// A9
	{name: "A9 case settings differ", rule: "A9", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeParameter, status: 400, engine: "mysql",
		mentions: []string{`"0"`, `"1"`, "lower_case_table_names"}, facts: func(f *Facts) { f.Source.LowerCaseTableNames = "0" }},
	{name: "A9 same", rule: "A9", engine: "mysql"},
	{name: "A9 unknown skipped", rule: "A9", engine: "mysql", facts: func(f *Facts) { f.Target.LowerCaseTableNames = "" }},

	// A10
	// The API accepts and ignores restore_all_database outside SQL Server: a warning.
	{name: "A10 restore_all_database on PostgreSQL", rule: "A10", fail: true, sev: Warning, attr: AttrRestoreAllDatabase, engine: "postgres",
		mentions: []string{"false", "PostgreSQL", "has no effect", "does not send it"}, req: func(r *Request) { r.RestoreAllDatabase = boolp(false) }},
	{name: "A10 database_name on PostgreSQL", rule: "A10", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400, engine: "postgres",
		mentions: []string{"PostgreSQL", "database_name"}, req: func(r *Request) { r.DatabaseName = map[string]string{"app": "app2"} }},
	{name: "A10 empty database_name on MySQL", rule: "A10", engine: "mysql", req: func(r *Request) { r.DatabaseName = map[string]string{} }},
	{name: "A10 SQL Server", rule: "A10", req: func(r *Request) {
		r.RestoreAllDatabase, r.DatabaseName = boolp(true), map[string]string{"A": "A1"}
	}},
	{name: "A10 MySQL without SQL Server arguments", rule: "A10", engine: "mysql"},

	// A11
	{name: "A11 PostgreSQL onto itself", rule: "A11", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeParameter, status: 400, engine: "postgres",
		mentions: []string{`"src"`, "PostgreSQL"},
		req:      func(r *Request) { r.TargetInstanceID = "src" }, facts: func(f *Facts) { f.Target = f.Source }},
	{name: "A11 MySQL onto itself", rule: "A11", engine: "mysql",
		req: func(r *Request) { r.TargetInstanceID = "src" }, facts: func(f *Facts) { f.Target = f.Source }},
	{name: "A11 SQL Server onto itself", rule: "A11",
		req: func(r *Request) { r.TargetInstanceID = "src" }, facts: func(f *Facts) { f.Target = f.Source }},

	// A12
	{name: "A12 backup not found", rule: "A12", fail: true, sev: Error, attr: AttrBackupID, code: CodeBackupNotFound, status: 404,
		mentions: []string{`"b1"`, `"src"`}, facts: func(f *Facts) { f.Backup = nil }},
	{name: "A12 backup of another instance", rule: "A12", fail: true, sev: Error, attr: AttrBackupID, code: CodeBackupNotFound, status: 404,
		mentions: []string{`"b1"`, `"other"`}, facts: func(f *Facts) { f.Backup.InstanceID = "other" }},
	{name: "A12 backup building at the server", rule: "A12", fail: true, sev: Error, attr: AttrBackupID, code: CodeBackupInProgress, status: 409,
		mentions: []string{`"b1"`, "BUILDING"}, facts: func(f *Facts) { f.Backup.Status, f.Phase = "BUILDING", PhaseServer }},
	{name: "A12 backup building at plan", rule: "A12", fail: true, sev: Warning, attr: AttrBackupID,
		mentions: []string{`"b1"`, "BUILDING"}, facts: func(f *Facts) { f.Backup.Status = "BUILDING" }},
	{name: "A12 backup failed", rule: "A12", fail: true, sev: Error, attr: AttrBackupID, code: CodeBackupUnusable, status: 400,
		mentions: []string{`"b1"`, "FAILED"}, facts: func(f *Facts) { f.Backup.Status = "FAILED" }},
	{name: "A12 completed", rule: "A12"},
	{name: "A12 not checked in timestamp mode", rule: "A12",
		req:   func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) },
		facts: func(f *Facts) { f.Backup = nil }},

	// A13
	{name: "A13 before the ranges", rule: "A13", fail: true, sev: Error, attr: AttrRestoreTime, code: CodeParameter, status: 400,
		mentions: []string{"1755505800000", "2025-08-18T08:30:00.000Z", "2025-08-18T12:00:00.000Z"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-51*time.Hour-30*time.Minute)) }},
	{name: "A13 after the latest range at apply", rule: "A13", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{"1755691020000"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-3*time.Minute)) },
		facts:    func(f *Facts) { f.Phase = PhaseApply }},
	{name: "A13 after the latest range at plan", rule: "A13", fail: true, sev: Warning, attr: AttrRestoreTime,
		mentions: []string{"1755691020000"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-3*time.Minute)) }},
	{name: "A13 ranges unknown", rule: "A13", fail: true, sev: Warning, attr: AttrRestoreTime,
		mentions: []string{"1755687600000", `"src"`},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) },
		facts:    func(f *Facts) { f.Windows = nil }},
	{name: "A13 no ranges", rule: "A13", fail: true, sev: Error, attr: AttrRestoreTime,
		mentions: []string{"none"},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) },
		facts:    func(f *Facts) { f.Windows = []Window{} }},
	{name: "A13 inside", rule: "A13", req: func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) }},
	{name: "A13 on the range's end", rule: "A13", req: func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-10*time.Minute)) }},

	// A14
	{name: "A14 key not in backup", rule: "A14", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeNoSuchDatabase, status: 400,
		mentions: []string{`"Z"`, `the backup "b1"`, `"A", "B", "C" and "D"`},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"Z": "Z1"} }},
	{name: "A14 key not on source in timestamp mode", rule: "A14", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeNoSuchDatabase, status: 400,
		mentions: []string{`"Z"`, `source instance "src"`},
		req: func(r *Request) {
			r.BackupID, r.RestoreTime, r.DatabaseName = "", ms(testNow.Add(-time.Hour)), map[string]string{"Z": "Z1"}
		}},
	{name: "A14 key checked against source when the backup's list is unknown", rule: "A14", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"Z"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"Z": "Z1"} },
		facts: func(f *Facts) { f.Backup.Databases = nil }},
	{name: "A14 new name exists on target", rule: "A14", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeNameTaken, status: 400,
		mentions: []string{`"x"`, `"X"`, `"tgt"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "x"} }},
	{name: "A14 new name is another source database", rule: "A14", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeNameTaken, status: 400,
		mentions: []string{`"B"`, `"src"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": "B"} }},
	{name: "A14 kept name overwrites target database", rule: "A14", fail: true, sev: Warning, attr: AttrDatabaseName,
		mentions: []string{`"A"`, `"tgt"`}, req: func(r *Request) { r.DatabaseName = map[string]string{"A": ""} },
		facts: func(f *Facts) { f.Target.Databases = []string{"A"} }},
	{name: "A14 all databases overwrite target databases", rule: "A14", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`every database of the backup "b1"`, `the databases "a" and "C"`, `{ A = "A_restored" }`, `"tgt"`},
		facts:    func(f *Facts) { f.Target.Databases = []string{"X", "a", "C"} }},
	{name: "A14 restore_all_database overwrites target databases", rule: "A14", fail: true, sev: Warning, attr: AttrRestoreAllDatabase,
		mentions: []string{"restore_all_database = true", `a database "B"`},
		req:      func(r *Request) { r.RestoreAllDatabase = boolp(true) },
		facts:    func(f *Facts) { f.Target.Databases = []string{"B"} }},
	{name: "A14 all databases in timestamp mode", rule: "A14", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`source instance "src"`, `a database "D"`},
		req:      func(r *Request) { r.BackupID, r.RestoreTime = "", ms(testNow.Add(-time.Hour)) },
		facts:    func(f *Facts) { f.Target.Databases = []string{"D"} }},
	{name: "A14 new name the previous restore made", rule: "A14", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeNameTaken, status: 400,
		mentions: []string{`"A_copy"`, "which the previous restore of this resource created", "drop_previous_databases = true"},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"A": "A_copy"} },
		facts: func(f *Facts) {
			f.Target.Databases = []string{"X", "A_copy"}
			f.Previous = &PreviousRestore{Databases: []string{"A_copy"}}
		}},
	{name: "A14 new name the previous restore made, dropped first", rule: "A14",
		req: func(r *Request) { r.DatabaseName = map[string]string{"A": "A_copy"} },
		facts: func(f *Facts) {
			f.Target.Databases = []string{"X", "A_copy"}
			f.Previous = &PreviousRestore{Databases: []string{"A_copy"}, Drop: true}
		}},
	{name: "A14 restore page's correct example", rule: "A14", req: func(r *Request) {
		r.DatabaseName = map[string]string{"A": "A,A1,A2", "B": "B1,B2", "C": ""}
	}},
	{name: "A14 key case variant where insensitive", rule: "A14", req: func(r *Request) { r.DatabaseName = map[string]string{"a": "A1"} }},

	// A15
	{name: "A15 quota exceeded", rule: "A15", fail: true, sev: Error, attr: AttrDatabaseName, code: CodeParameter, status: 400,
		mentions: []string{"quota (rds_databases_quota) of 3", "4 databases", `"A1", "A2" and "B"`},
		req:      func(r *Request) { r.DatabaseName = map[string]string{"A": "A1,A2", "B": ""} },
		facts:    func(f *Facts) { f.Target.DatabasesQuota = 3 }},
	{name: "A15 quota exceeded restoring all", rule: "A15", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"5 databases", "of 4"}, facts: func(f *Facts) { f.Target.DatabasesQuota = 4 }},
	{name: "A15 quota reached, not exceeded", rule: "A15", facts: func(f *Facts) { f.Target.DatabasesQuota = 5 }},
	{name: "A15 quota unknown", rule: "A15", facts: func(f *Facts) { f.Target.DatabasesQuota = 0 }},

	// A16
	{name: "A16 backup larger than target", rule: "A16", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`"b1"`, "10 GB", `"tgt"`},
		facts:    func(f *Facts) { f.Backup.SizeKB, f.Target.VolumeGB = 20*1024*1024, 10 }},
	{name: "A16 fits", rule: "A16"},

	// A17
	{name: "A17 busy at plan", rule: "A17", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{`"tgt"`, "BACKING UP"}, facts: func(f *Facts) { f.Target.Status = "BACKING UP" }},
	{name: "A17 busy at the server", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID, code: CodeBusy, status: 409,
		mentions: []string{`"tgt"`, "MODIFYING"}, facts: func(f *Facts) { f.Target.Status, f.Phase = "MODIFYING", PhaseServer }},
	{name: "A17 busy at apply (the provider waits)", rule: "A17", facts: func(f *Facts) { f.Target.Status, f.Phase = "MODIFYING", PhaseApply }},
	{name: "A17 active", rule: "A17"},
	{name: "A17 frozen at plan", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{`"tgt"`, "is FROZEN", "does not leave FROZEN by itself", "only spend the create timeout", "unfrozen"},
		facts:    func(f *Facts) { f.Target.Status = "FROZEN" }},
	{name: "A17 failed at plan", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"is FAILED", "choose another target"}, facts: func(f *Facts) { f.Target.Status = "FAILED" }},
	{name: "A17 storage full at plan", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"is STORAGE FULL", "Scale up its storage"}, facts: func(f *Facts) { f.Target.Status = "STORAGE FULL" }},
	{name: "A17 create fail at plan", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"is CREATE FAIL"}, facts: func(f *Facts) { f.Target.Status = "CREATE FAIL" }},
	{name: "A17 shutdown at plan (any case)", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"is shutdown", "Start it"}, facts: func(f *Facts) { f.Target.Status = "shutdown" }},
	{name: "A17 frozen at apply (no wait)", rule: "A17", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{"is FROZEN"}, facts: func(f *Facts) { f.Target.Status, f.Phase = "FROZEN", PhaseApply }},
	{name: "A17 rebooting at plan stays a warning", rule: "A17", fail: true, sev: Warning, attr: AttrTargetInstanceID,
		mentions: []string{"REBOOTING"}, facts: func(f *Facts) { f.Target.Status = "REBOOTING" }},

	// A18
	{name: "A18 protected by id", rule: "A18", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{`"TGT"`, "HWC_PROTECTED_INSTANCE_IDS", "never a restore target"},
		req:      func(r *Request) { r.TargetInstanceID = "TGT" },
		facts: func(f *Facts) {
			f.Protected.InstanceIDs = []ProtectedID{{ID: "tgt", From: "HWC_PROTECTED_INSTANCE_IDS"}}
		}},
	{name: "A18 protected by tag", rule: "A18", fail: true, sev: Error, attr: AttrTargetInstanceID,
		mentions: []string{`"tgt"`, `env = "prod"`, "protected_tags"},
		facts: func(f *Facts) {
			f.Target.Tags = map[string]string{"env": "prod", "team": "a"}
			f.Protected.Tags = []ProtectedTag{{Key: "tier", Value: "critical", From: "HWC_PROTECTED_TAGS"},
				{Key: "env", Value: "prod", From: "the provider's protected_tags"}}
		}},
	{name: "A18 same key, other value", rule: "A18", facts: func(f *Facts) {
		f.Target.Tags = map[string]string{"env": "staging"}
		f.Protected.Tags = []ProtectedTag{{Key: "env", Value: "prod", From: "HWC_PROTECTED_TAGS"}}
		f.Protected.InstanceIDs = []ProtectedID{{ID: "src", From: "HWC_PROTECTED_INSTANCE_IDS"}}
	}},
	{name: "A18 tags but nothing protected (the emulator)", rule: "A18", facts: func(f *Facts) {
		f.Target.Tags = map[string]string{"env": "prod"}
		f.Phase = PhaseServer
	}},
}

// inputs are the case's request and facts: the base ones (SQL Server unless the case names an
// engine), changed by the case.
func (c ruleCase) inputs() (Request, Facts) {
	engine := c.engine
	if engine == "" {
		engine = "sqlserver"
	}
	req, f := baseRequest(), baseFacts(engine)
	if c.req != nil {
		c.req(&req)
	}
	if c.facts != nil {
		c.facts(&f)
	}
	return req, f
}

// run evaluates a case the way the provider does: static rules with the fixed clock, then the
// API rules (CheckAPI) on the facts.
func (c ruleCase) run() []Finding {
	req, f := c.inputs()
	return Check(req, f)
}

func TestCheck_rules(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.name, func(t *testing.T) {
			got := c.run()
			checkWellFormed(t, got)
			var match *Finding
			for i, f := range got {
				if f.Rule == c.rule && (!c.fail || f.Severity == c.sev && f.Attribute == c.attr) {
					match = &got[i]
					break
				}
			}
			if !c.fail {
				if match != nil {
					t.Fatalf("want no %s finding, got %+v", c.rule, *match)
				}
				return
			}
			if match == nil {
				t.Fatalf("want %s %s on %s, got %v", c.rule, c.sev, c.attr, ruleIDs(got))
			}
			if c.code != "" && (match.APICode != c.code || match.HTTPStatus != c.status) {
				t.Errorf("API answer = %s %d, want %s %d", match.APICode, match.HTTPStatus, c.code, c.status)
			}
			for _, m := range c.mentions {
				if !strings.Contains(match.Detail, m) {
					t.Errorf("detail does not mention %q:\n%s", m, match.Detail)
				}
			}
		})
	}
}

// TestCheck_baselineClean: the base worlds pass every rule without a warning, so each case above
// shows exactly the effect of its one change.
func TestCheck_baselineClean(t *testing.T) {
	for _, engine := range []string{"sqlserver", "mysql", "postgres"} {
		if got := Check(baseRequest(), baseFacts(engine)); len(got) != 0 {
			t.Errorf("%s baseline: want no findings, got %v", engine, ruleIDs(got))
		}
	}
}

// TestCheck_everyRuleHasFailingAndPassingCases keeps the table honest as rules are added.
func TestCheck_everyRuleHasFailingAndPassingCases(t *testing.T) {
	fails, passes := map[string]int{}, map[string]int{}
	for _, c := range ruleCases {
		if c.fail {
			fails[c.rule]++
			if len(c.mentions) == 0 {
				t.Errorf("%s: a failing case must say which values its detail mentions", c.name)
			}
		} else {
			passes[c.rule]++
		}
	}
	for _, r := range catalogue {
		id, emitted := r.ID, r.ID
		if r.CheckedAs != "" {
			emitted = r.CheckedAs
		}
		if fails[emitted] == 0 || passes[emitted] == 0 {
			t.Errorf("rule %s: %d failing and %d passing cases, want at least one of each", id, fails[emitted], passes[emitted])
		}
	}
}

// TestCheckStatic_findingsStayStatic: CheckStatic reports only its own rules (never S6, S12 or an A rule).
func TestCheckStatic_findingsStayStatic(t *testing.T) {
	for _, c := range ruleCases {
		req := baseRequest()
		if c.req != nil {
			c.req(&req)
		}
		for _, f := range CheckStatic(req, testNow) {
			if f.Rule[0] != 'S' || f.Rule == "S6" || f.Rule == "S12" {
				t.Errorf("%s: CheckStatic reported %s", c.name, f.Rule)
			}
		}
	}
}

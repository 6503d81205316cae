package provider_test

// The API rules A1-A17 end to end: each one fails the plan (ModifyPlan reads the instances, the
// backup, the restore windows and the database lists from the emulator) with an error on the
// right attribute that names the values involved, and nothing is submitted. Rules that are
// warnings by design plan (and apply) successfully.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// Instances and backups the built-in seed lacks, added by the cases that need them.
const (
	mysqlSouthID         = "8b9c0d1e2f3a44b5c6d7e8f9a0b1c2d3in01" // MySQL 5.7.27 in cn-south-1 (A8)
	mysqlCaseSensitiveID = "9c0d1e2f3a4b45c6d7e8f9a0b1c2d3e4in01" // MySQL 5.7.27, lower_case_table_names 0 (A9)
	mysql8030ID          = "0d1e2f3a4b5c46d7e8f9a0b1c2d3e4f5in01" // MySQL 8.0.30, lower_case_table_names 0 (A3)
	mysql80CIID          = "1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6in01" // MySQL 8.0.28, lower_case_table_names 1 (A3)
	mysqlTargetBackupID  = "f5a6b7c8d9e04f1a2b3c4d5e6f7a8b9cbr01" // COMPLETED backup of the MySQL target (A12)
	mysqlBusyID          = "3a4b5c6d7e8f49a0b1c2d3e4f5a6b7c8in01" // MySQL 5.7.27, BACKING UP for good (A17)
	sqlserver2008R2EEID  = "1e2f3a4b5c6d47e8f9a0b1c2d3e4f5a6in04" // SQL Server 2008 R2 Enterprise: no row in Table 1 (A5)
	sqlserver2025ID      = "2f3a4b5c6d7e48f9a0b1c2d3e4f5a6b7in04" // SQL Server 2025 Enterprise: a year no table knows (A5)
	sqlserverSmallID     = "4b5c6d7e8f9a40b1c2d3e4f5a6b7c8d9in04" // SQL Server 2017 EE with 3 GB of storage (A16)
	mysqlLowerEngineID   = "5c6d7e8f9a0b41c2d3e4f5a6b7c8d9e0in01" // MySQL 5.7.27 whose datastore.type reads "mysql" (A2)
	pgWindowsID          = "6d7e8f9a0b1c42d3e4f5a6b7c8d9e0f1in03" // PostgreSQL 12.6 with two fixed restorable windows (A13)
	mysqlFailedBackupID  = "d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8abr01" // FAILED backup of the MySQL source (A12)
)

func TestAccRDSInstanceRestore_rulesAPI(t *testing.T) {
	t.Parallel()
	runRuleCases(t, apiRuleCases())
}

// apiRuleCases are the end-to-end cases of the API rules A1-A18.
func apiRuleCases() []ruleCase {
	mysqlSrc := label(emulator.MySQLSourceID, "mysql57-prod")
	mysqlTgt := label(emulator.MySQLTargetID, "mysql57-staging")
	pgSrc := label(emulator.PostgreSQLSourceID, "pg12-prod")
	sqlSrc := label(emulator.SQLServerSourceID, "sqlserver-prod")
	sqlTgt := label(emulator.SQLServerTargetID, "sqlserver-staging")
	missing := "0123456789abcdef0123456789abcdefin01"

	pgPair := []string{attr("source_instance_id", emulator.PostgreSQLSourceID), attr("target_instance_id", emulator.PostgreSQLTargetID)}
	pgBackup := attr("backup_id", emulator.PostgreSQLBackupID)
	ids := func(src, dst string) []string {
		return []string{attr("source_instance_id", src), attr("target_instance_id", dst)}
	}
	engineIs := func(engine, srcVersion, dstVersion string) []plancheck.PlanCheck {
		return []plancheck.PlanCheck{
			plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("engine"), knownvalue.StringExact(engine)),
			plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("source_engine_version"), knownvalue.StringExact(srcVersion)),
			plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("target_engine_version"), knownvalue.StringExact(dstVersion)),
		}
	}
	gap := time.Now().Add(-emulator.DemoRestoreGapStart - emulator.DemoRestoreGapLength/2).UnixMilli()
	tooOld := time.Now().Add(-emulator.DemoRestoreWindowSpan - 24*time.Hour).UnixMilli()
	millis := func(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }
	// pgWindowsID's windows, inclusive: [w1, w1+2h] and [w2, w2+2h], a hole of an hour between.
	w1 := time.Now().Add(-48 * time.Hour).Truncate(time.Hour).UnixMilli()
	w2 := w1 + 3*time.Hour.Milliseconds()
	twoHours := 2 * time.Hour.Milliseconds()
	windows := fmt.Sprintf("(ranges: %d-%d (%s to %s), %d-%d (%s to %s))",
		w1, w1+twoHours, millis(w1), millis(w1+twoHours), w2, w2+twoHours, millis(w2), millis(w2+twoHours))
	pgWindows := label(pgWindowsID, "pg12-windows")
	toPGTarget := func(ms int64) []string {
		return args(ids(pgWindowsID, emulator.PostgreSQLTargetID), restoreTime(ms))
	}

	return []ruleCase{
		{
			rule: "A1",
			fail: []ruleStep{
				{args: args(ids(missing, emulator.MySQLTargetID), mysqlBackup),
					err: ruleError("A1", "Source Instance Not Found", "source_instance_id",
						fmt.Sprintf(`The source instance %q was not found in the provider's project in region "cn-north-4"`, missing),
						`Check source_instance_id, and the provider's region and project.`)},
				{args: args(ids(emulator.MySQLSourceID, missing), mysqlBackup),
					err: ruleError("A1", "Target Instance Not Found", "target_instance_id",
						fmt.Sprintf(`The target instance %q was not found in the provider's project in region "cn-north-4"`, missing),
						`Check target_instance_id`)},
			},
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup), checks: engineIs("MySQL", "5.7.25", "5.7.27")}},
		},
		{
			rule: "A2",
			fail: []ruleStep{
				{args: args(ids(emulator.MySQLSourceID, emulator.PostgreSQLTargetID), mysqlBackup),
					err: ruleError("A2", "Different DB Engines", "target_instance_id",
						fmt.Sprintf(`The source instance %s runs MySQL but the target instance %s runs PostgreSQL: the target must run the same DB engine as the source. Choose a target running MySQL.`,
							mysqlSrc, label(emulator.PostgreSQLTargetID, "pg12-staging")))},
				{args: args(ids(emulator.SQLServerSourceID, emulator.MySQLTargetID), sqlserverBackup),
					err: ruleError("A2", "Different DB Engines", "target_instance_id",
						fmt.Sprintf(`The source instance %s runs SQLServer but the target instance %s runs MySQL`, sqlSrc, mysqlTgt))},
			},
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.MySQLTargetID, mysqlLowerEngineID, "mysql57-lower", func(in *emulator.SeedInstance) {
					in.Datastore.Type = "mysql"
				})
			},
			pass: []ruleStep{
				{args: args(pgPair, pgBackup), checks: engineIs("PostgreSQL", "12.6", "12.6")},
				// Engines compare case-insensitively.
				{args: args(ids(emulator.MySQLSourceID, mysqlLowerEngineID), mysqlBackup)},
			},
		},
		{
			rule: "A3",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.MySQL80ID, mysql8030ID, "mysql80-staging", func(in *emulator.SeedInstance) {
					in.Datastore.CompleteVersion = "8.0.30"
				})
				cloneInstance(s, emulator.MySQL80ID, mysql80CIID, "mysql80-ci", func(in *emulator.SeedInstance) {
					in.LowerCaseTableNames = "1"
				})
			},
			fail: []ruleStep{
				// An older major version is not "at least equal".
				{args: args(ids(emulator.MySQL80ID, emulator.MySQLTargetID), attr("backup_id", emulator.MySQL80BackupID)),
					err: ruleError("A3", "Target MySQL Version Too Old", "target_instance_id",
						fmt.Sprintf(`The target instance %s runs MySQL 5.7.27, an older major version than the source instance %s (MySQL 8.0.28): the target's engine version must be at least the source's.`,
							mysqlTgt, label(emulator.MySQL80ID, "mysql80-prod")))},
				{args: args(ids(emulator.MySQLSmallID, emulator.MySQLTargetID), restoreTime(hoursAgo(2))),
					err: ruleError("A3", "Target MySQL Version Too Old", "target_instance_id",
						fmt.Sprintf(`The target instance %s runs MySQL 5.7.27, older than the source instance %s (MySQL 5.7.29): the target's engine version must be at least the source's.`,
							mysqlTgt, label(emulator.MySQLSmallID, "mysql57-small")))},
			},
			pass: []ruleStep{
				{args: args(mysqlPair, mysqlBackup), checks: engineIs("MySQL", "5.7.25", "5.7.27")},
				// 8.0.28 onto 8.0.30: a later edition's "same minor version for 8.0" (rule A3 in
				// internal/rules/catalogue.go) is only a warning; the plan goes on and the API takes it.
				{args: args(ids(emulator.MySQL80ID, mysql8030ID), attr("backup_id", emulator.MySQL80BackupID)), apply: true,
					checks: engineIs("MySQL", "8.0.28", "8.0.30"),
					warn:   ruleWarning("A3", "MySQL 8.0 Minor Versions Differ", "runs MySQL 8.0.28 and the target instance", "runs MySQL 8.0.30")},
				// 5.7 onto 8.0: the API only says "at least equal", which a later major version
				// is (rule A3 in internal/rules/catalogue.go). A warning, and the API (the emulator)
				// takes it.
				{args: args(ids(emulator.MySQLSourceID, mysql80CIID), mysqlBackup), apply: true,
					checks: engineIs("MySQL", "5.7.25", "8.0.28"),
					warn: ruleWarning("A3", "MySQL Major Versions Differ",
						fmt.Sprintf(`The source instance %s runs MySQL 5.7.25 and the target instance %s runs MySQL 8.0.28, a later major version`, mysqlSrc, label(mysql80CIID, "mysql80-ci")),
						`a restore across major versions may not be supported`)},
			},
		},
		{
			rule: "A4",
			fail: []ruleStep{
				{args: args(ids(emulator.PostgreSQLSourceID, emulator.PostgreSQL14ID), pgBackup),
					err: ruleError("A4", "PostgreSQL Versions Differ", "target_instance_id",
						fmt.Sprintf(`The source instance %s runs PostgreSQL 12.6 but the target instance %s runs PostgreSQL 14.4: for PostgreSQL the target's engine version must be the same as the source's. Choose a target running PostgreSQL 12.6.`,
							pgSrc, label(emulator.PostgreSQL14ID, "pg14-prod")))},
			},
			pass: []ruleStep{{args: args(pgPair, pgBackup), apply: true}},
		},
		{
			rule: "A5",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.SQLServerSourceID, sqlserver2008R2EEID, "sqlserver-2008r2", func(in *emulator.SeedInstance) {
					in.Datastore.Version = "2008_R2_EE"
				})
			},
			fail: []ruleStep{
				{args: args(ids(emulator.SQLServerSourceID, emulator.SQLServer2014ID), sqlserverBackup),
					err: ruleError("A5", "SQL Server Version Move Not Supported", "target_instance_id",
						fmt.Sprintf(`SQL Server 2017 Standard Edition ("2017_SE", source instance %s) cannot be restored onto SQL Server 2014 Standard Edition ("2014_SE", target instance %s): Table 1 of the document does not list this move.`,
							sqlSrc, label(emulator.SQLServer2014ID, "sqlserver-legacy")),
						`Choose a target running one of: 2017 Standard Edition, 2017 Enterprise Edition`)},
			},
			pass: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup), checks: engineIs("SQLServer", "2017_SE", "2017_EE")},
				// 2008 R2 Enterprise has no row in Table 1 (internal/rules/sqlserver.go): a warning, and the API takes it.
				{args: args(ids(sqlserver2008R2EEID, emulator.SQLServerTargetID), restoreTime(hoursAgo(2))), apply: true,
					warn: ruleWarning("A5", "Unknown SQL Server Version Move", `Table 1 does not say whether SQL Server "2008_R2_EE"`)},
			},
		},
		{
			// SQL Server 2025 is a year no row of Table 1 covers (internal/rules/sqlserver.go): rule
			// A5 warns about a version the table does not know.
			rule: "A5_unknownTargetYear",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.SQLServerTargetID, sqlserver2025ID, "sqlserver-2025", func(in *emulator.SeedInstance) {
					in.Datastore.Version = "2025_EE"
				})
			},
			pass: []ruleStep{{args: args(ids(emulator.SQLServerSourceID, sqlserver2025ID), sqlserverBackup),
				warn: ruleWarning("A5", "Unknown SQL Server Version Move", `onto SQL Server "2025_EE"`)}},
		},
		{
			rule: "A6",
			fail: []ruleStep{
				{args: args(ids(emulator.SQLServerSourceID, emulator.SQLServerUTCID), sqlserverBackup),
					err: ruleError("A6", "Time Zones Differ", "target_instance_id",
						fmt.Sprintf(`The source instance %s uses the time zone "China Standard Time" but the target instance %s uses "UTC": for SQL Server both instances must use the same time zone`,
							sqlSrc, label(emulator.SQLServerUTCID, "sqlserver-utc")),
						`Choose a target in the time zone "China Standard Time".`)},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup)}},
		},
		{
			rule: "A7",
			fail: []ruleStep{
				{args: args(ids(emulator.MySQLSourceID, emulator.MySQLSmallID), mysqlBackup),
					err: ruleError("A7", "Target Storage Too Small", "target_instance_id",
						fmt.Sprintf(`The target instance %s has 40 GB of storage, less than the source instance %s (100 GB): for MySQL the target's total storage must be at least the source's.`,
							label(emulator.MySQLSmallID, "mysql57-small"), mysqlSrc),
						`Scale the target's storage up to 100 GB or more`)},
			},
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup)}},
		},
		{
			rule: "A8",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.MySQLTargetID, mysqlSouthID, "mysql57-south", func(in *emulator.SeedInstance) {
					in.Region = "cn-south-1"
				})
			},
			fail: []ruleStep{
				{args: args(ids(emulator.MySQLSourceID, mysqlSouthID), mysqlBackup),
					err: ruleError("A8", "Instance In Another Region", "target_instance_id",
						fmt.Sprintf(`The target instance %s is in region "cn-south-1", but the provider works in region "cn-north-4": cross-region restoration is not supported.`,
							label(mysqlSouthID, "mysql57-south")))},
				{args: args(ids(mysqlSouthID, emulator.MySQLTargetID), restoreTime(hoursAgo(2))),
					err: ruleError("A8", "Instance In Another Region", "source_instance_id",
						fmt.Sprintf(`The source instance %s is in region "cn-south-1", but the provider works in region "cn-north-4"`, label(mysqlSouthID, "mysql57-south")))},
				// The region argument asks for another region than the provider's: the same rule,
				// reported by the provider itself (without a "(Rule A8" mention).
				{args: args(mysqlPair, mysqlBackup, attr("region", "cn-south-1")),
					err: regexp.MustCompile(`(?s)` + diagPattern("Region Differs From the Provider's", "region",
						`region is "cn-south-1" but this provider works in "cn-north-4". Both instances must be in one region (a restore cannot cross regions)`))},
			},
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup, attr("region", "cn-north-4"))}},
		},
		{
			rule: "A9",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.MySQLTargetID, mysqlCaseSensitiveID, "mysql57-cs", func(in *emulator.SeedInstance) {
					in.LowerCaseTableNames = "0"
				})
			},
			fail: []ruleStep{
				{args: args(ids(emulator.MySQLSourceID, mysqlCaseSensitiveID), mysqlBackup),
					err: ruleError("A9", "Case Sensitivity Settings Differ", "target_instance_id",
						fmt.Sprintf(`lower_case_table_names is "1" on the source instance %s but "0" on the target instance %s: for MySQL the case sensitivity setting must be the same on both`,
							mysqlSrc, label(mysqlCaseSensitiveID, "mysql57-cs")),
						`choose a target created with lower_case_table_names=1.`)},
			},
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup)}},
		},
		{
			rule: "A10",
			fail: []ruleStep{
				{args: args(mysqlPair, mysqlBackup, `database_name = { shop = "shop_copy" }`),
					err: ruleError("A10", "Database Name Only For SQL Server", "database_name",
						`database_name is set, but the instances run MySQL: database_name (restoring and renaming single databases) is available only for SQL Server. Remove database_name; MySQL restores the whole instance.`)},
			},
			pass: []ruleStep{
				{args: args(sqlserverPair, restoreTime(hoursAgo(3)), "restore_all_database = true")},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { inventory = "inventory_2026" }`)},
				// An empty map is not sent, so it is not refused on MySQL (S7 warns about it).
				{args: args(mysqlPair, mysqlBackup, `database_name = {}`)},
				// The API accepts and ignores restore_all_database outside SQL Server: a warning,
				// and the provider does not send it (TestAccRDSInstanceRestore_sqlServerOnlyFieldsNotSent).
				{args: args(pgPair, pgBackup, "restore_all_database = true"), apply: true,
					warn: ruleWarning("A10", "Restore All Databases Has No Effect",
						`restore_all_database is set to true, but the instances run PostgreSQL: it is a SQL Server option and has no effect on PostgreSQL`, `The provider does not send it`)},
			},
		},
		{
			rule: "A11",
			fail: []ruleStep{
				{args: args(ids(emulator.PostgreSQLSourceID, emulator.PostgreSQLSourceID), pgBackup),
					err: ruleError("A11", "Restore To Original Instance Not Supported", "target_instance_id",
						fmt.Sprintf(`target_instance_id is the source instance %s itself, which runs PostgreSQL: restoring onto the original instance is supported only for MySQL and SQL Server.`, pgSrc),
						`Choose another existing PostgreSQL instance as the target.`)},
			},
			pass: []ruleStep{
				{args: args(ids(emulator.SQLServerSourceID, emulator.SQLServerSourceID), sqlserverBackup, `database_name = { sales = "sales_yesterday" }`)},
				{args: args(ids(emulator.MySQLSourceID, emulator.MySQLSourceID), mysqlBackup), apply: true},
			},
		},
		{
			rule: "A12",
			seed: func(s *emulator.Seed) {
				s.Backups = append(s.Backups, emulator.Backup{
					ID: mysqlFailedBackupID, InstanceID: emulator.MySQLSourceID, Name: "mysql57-prod-broken", Type: "manual",
					Status: "FAILED", BeginTime: time.Now().Add(-5 * time.Hour).UTC().Format("2006-01-02T15:04:05-0700"),
				}, emulator.Backup{
					ID: mysqlTargetBackupID, InstanceID: emulator.MySQLTargetID, Name: "mysql57-staging-auto", Type: "auto",
					Status: "COMPLETED", BeginTime: time.Now().Add(-6 * time.Hour).UTC().Format("2006-01-02T15:04:05-0700"),
					EndTime: time.Now().Add(-6*time.Hour + 5*time.Minute).UTC().Format("2006-01-02T15:04:05-0700"),
				})
			},
			fail: []ruleStep{
				{args: args(mysqlPair, attr("backup_id", "no-such-backup")),
					err: ruleError("A12", "Backup Not Found", "backup_id",
						fmt.Sprintf(`The backup "no-such-backup" was not found for the source instance %s: backup mode restores an existing backup of the source.`, mysqlSrc))},
				// A backup of a third instance: the API lists backups per instance, and only the
				// source and the target are looked at, so it is not found.
				{args: args(mysqlPair, attr("backup_id", emulator.MySQL80BackupID)),
					err: ruleError("A12", "Backup Not Found", "backup_id",
						fmt.Sprintf(`The backup %q was not found for the source instance %s`, emulator.MySQL80BackupID, mysqlSrc))},
				// A backup of the target, taken for the source's: named as such.
				{args: args(mysqlPair, attr("backup_id", mysqlTargetBackupID)),
					err: ruleError("A12", "Backup Of Another Instance", "backup_id",
						fmt.Sprintf(`The backup %q belongs to the instance %q, not to the source instance %s`, mysqlTargetBackupID, emulator.MySQLTargetID, mysqlSrc))},
				{args: args(mysqlPair, attr("backup_id", mysqlFailedBackupID)),
					err: ruleError("A12", "Backup Not Usable", "backup_id",
						fmt.Sprintf(`The backup %q is FAILED: only a COMPLETED backup can be restored. Choose a completed backup of the source instance %s.`, mysqlFailedBackupID, mysqlSrc))},
			},
			pass: []ruleStep{
				{args: args(mysqlPair, attr("backup_id", emulator.MySQLManualBackupID))},
				// A backup still being built may be complete by apply time: a warning at plan.
				{args: args(mysqlPair, attr("backup_id", emulator.MySQLBuildingBackupID)),
					warn: ruleWarning("A12", "Backup Not Yet Completed", fmt.Sprintf(`The backup %q is BUILDING`, emulator.MySQLBuildingBackupID))},
			},
		},
		{
			rule: "A13",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.PostgreSQLSourceID, pgWindowsID, "pg12-windows", func(in *emulator.SeedInstance) {
					in.RestoreTimeRelative = nil
					in.RestoreTime = []emulator.RestoreTimeRange{{StartTime: w1, EndTime: w1 + twoHours}, {StartTime: w2, EndTime: w2 + twoHours}}
				})
			},
			fail: []ruleStep{
				// Inside the one-hour hole in the MySQL source's log backups.
				{args: args(mysqlPair, restoreTime(gap)),
					err: ruleError("A13", "Restore Time Not Restorable", "restore_time",
						fmt.Sprintf(`restore_time %d (%s) is outside the restorable time ranges of the source instance %s`, gap, millis(gap), mysqlSrc),
						`Choose a time inside a range, or restore a backup instead.`)},
				{args: args(pgPair, restoreTime(tooOld)),
					err: ruleError("A13", "Restore Time Not Restorable", "restore_time",
						fmt.Sprintf(`restore_time %d (%s) is outside the restorable time ranges of the source instance %s`, tooOld, millis(tooOld), pgSrc))},
				// One millisecond before the first window, and one after the end of the first.
				{args: toPGTarget(w1 - 1),
					err: ruleError("A13", "Restore Time Not Restorable", "restore_time",
						fmt.Sprintf(`restore_time %d (%s) is outside the restorable time ranges of the source instance %s %s`, w1-1, millis(w1-1), pgWindows, windows))},
				{args: toPGTarget(w1 + twoHours + 1),
					err: ruleError("A13", "Restore Time Not Restorable", "restore_time",
						fmt.Sprintf(`restore_time %d (%s) is outside the restorable time ranges of the source instance %s %s`, w1+twoHours+1, millis(w1+twoHours+1), pgWindows, windows))},
			},
			pass: []ruleStep{
				{args: args(mysqlPair, restoreTime(hoursAgo(2))), apply: true},
				// After the latest restorable time: the range grows as logs are backed up, so it is
				// only a warning at plan time.
				{args: toPGTarget(w2 + twoHours + 1),
					warn: ruleWarning("A13", "Restore Time After Latest Restorable Time", fmt.Sprintf("restore_time %d", w2+twoHours+1), windows)},
				// Both ends of a window are inside it.
				{args: toPGTarget(w1)},
				{args: toPGTarget(w1 + twoHours)},
				{args: toPGTarget(w2), apply: true},
			},
		},
		{
			rule: "A14",
			fail: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { payroll = "payroll_copy" }`),
					err: ruleError("A14", "Unknown Source Database", "database_name",
						fmt.Sprintf(`database_name has the key "payroll", but the backup %q has no such database (it holds "sales", "hr" and "inventory"): each key must be a database of the source.`, emulator.SQLServerBackupID))},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "reporting" }`),
					err: ruleError("A14", "New Database Name Already Exists", "database_name",
						fmt.Sprintf(`database_name["sales"] lists the new name "reporting", but the target instance %s already has a database "reporting": a new name must differ from every database name on the source and the target instance.`, sqlTgt))},
				// Case-insensitive collation: REPORTING is reporting.
				{args: args(sqlserverPair, restoreTime(hoursAgo(2)), `database_name = { hr = "REPORTING" }`),
					err: ruleError("A14", "New Database Name Already Exists", "database_name",
						fmt.Sprintf(`database_name["hr"] lists the new name "REPORTING", but the target instance %s already has a database "reporting"`, sqlTgt))},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "inventory" }`),
					err: ruleError("A14", "New Database Name Already Exists", "database_name",
						fmt.Sprintf(`database_name["sales"] lists the new name "inventory", but the source instance %s already has a database "inventory"`, sqlSrc))},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "sales_copy", hr = "" }`), apply: true}},
		},
		{
			// Restoring databases under their original names onto a target that has them
			// overwrites them: a warning naming each, however the restore is written.
			rule: "A14_overwrite",
			seed: func(s *emulator.Seed) {
				editInstance(s, emulator.SQLServerTargetID, func(in *emulator.SeedInstance) {
					in.Databases = append(in.Databases, "sales", "hr")
				})
			},
			pass: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup), apply: true,
					warn: ruleWarning("A14", "Databases Overwritten On Target",
						fmt.Sprintf(`Without database_name, every database of the backup %q is restored under its original name, and the target instance %s already has the databases "sales" and "hr"`, emulator.SQLServerBackupID, sqlTgt),
						`their data will be replaced by the restored data`)},
				// The restore above brought "inventory" onto the target too.
				{args: args(sqlserverPair, restoreTime(hoursAgo(2)), "restore_all_database = true"),
					warn: ruleWarning("A14", "Databases Overwritten On Target",
						fmt.Sprintf(`restore_all_database = true restores every database of the source instance %s under its original name`, sqlSrc), `"sales", "hr" and "inventory"`)},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { hr = "" }`),
					warn: ruleWarning("A14", "Database Overwritten On Target", `database_name restores "hr" under its original name`)},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { hr = "hr_other" }`)},
			},
		},
		{
			rule: "A15",
			seed: func(s *emulator.Seed) {
				editInstance(s, emulator.SQLServerTargetID, func(in *emulator.SeedInstance) { in.DatabasesQuota = 2 })
			},
			fail: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "s1,s2" }`),
					err: ruleError("A15", "Database Quota Exceeded", "database_name",
						fmt.Sprintf(`After the restore the target instance %s would hold 3 databases (1 existing and 2 new: "s1" and "s2"), more than its database quota (rds_databases_quota) of 2`, sqlTgt),
						`Restore fewer databases with database_name, or delete databases on the target first.`)},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "s1" }`), apply: true}},
		},
		{
			// Without database_name every database of the backup is restored: the quota counts them
			// too, and the API refuses the restore. The plan must say so.
			rule: "A15_allDatabases",
			seed: func(s *emulator.Seed) {
				editInstance(s, emulator.SQLServerTargetID, func(in *emulator.SeedInstance) { in.DatabasesQuota = 2 })
			},
			fail: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup),
					err: ruleError("A15", "Database Quota Exceeded", "target_instance_id",
						fmt.Sprintf(`After the restore the target instance %s would hold 4 databases (1 existing and 3 new: "sales", "hr" and "inventory"), more than its database quota (rds_databases_quota) of 2`, sqlTgt))},
			},
		},
		{
			rule: "A16",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.SQLServerTargetID, sqlserverSmallID, "sqlserver-small", func(in *emulator.SeedInstance) {
					in.Volume.Size = 3
				})
			},
			pass: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup)},
				// The backup (4096000 KB, 3.9 GB) is larger than the target's 3 GB: a warning by
				// design (backups are compressed); the plan goes on and the API takes it.
				{args: args(ids(emulator.SQLServerSourceID, sqlserverSmallID), sqlserverBackup), apply: true,
					warn: ruleWarning("A16", "Backup Larger Than Target Storage",
						fmt.Sprintf(`The backup %q holds 4096000 KB (3.9 GB), more than the 3 GB of storage of the target instance %s`, emulator.SQLServerBackupID, label(sqlserverSmallID, "sqlserver-small")))},
			},
		},
		{
			rule: "A17",
			seed: func(s *emulator.Seed) {
				cloneInstance(s, emulator.MySQLTargetID, mysqlBusyID, "mysql57-busy", func(in *emulator.SeedInstance) {
					in.Status = "BACKING UP"
				})
			},
			pass: []ruleStep{
				{args: args(mysqlPair, mysqlBackup)},
				// Busy at plan time: a warning (it may be free by apply time); see
				// TestAccRDSInstanceRestore_busyTarget* for what apply does.
				{args: args(ids(emulator.MySQLSourceID, mysqlBusyID), mysqlBackup),
					warn: ruleWarning("A17", "Target Instance Busy", fmt.Sprintf(`The target instance %s is BACKING UP, not ACTIVE`, label(mysqlBusyID, "mysql57-busy")))},
			},
		},
		{
			// The guard for production: the built-in seed tags its -prod instances env=prod.
			rule: "A18",
			fail: []ruleStep{
				{args: args(ids(emulator.MySQLSourceID, emulator.MySQLSourceID), mysqlBackup), provider: []string{`  protected_tags = { env = "prod" }`},
					err: ruleError("A18", "Protected Target Instance", "target_instance_id",
						fmt.Sprintf(`The target instance %s is protected: it carries the tag env = "prod", which the provider's protected_tags protects.`, mysqlSrc),
						`never a restore target`)},
				{args: args(mysqlPair, mysqlBackup), provider: []string{fmt.Sprintf(`  protected_instance_ids = [%q]`, emulator.MySQLTargetID)},
					err: ruleError("A18", "Protected Target Instance", "target_instance_id",
						fmt.Sprintf(`The target instance %s is protected: its id is listed in the provider's protected_instance_ids.`, mysqlTgt))},
			},
			pass: []ruleStep{
				// mysql57-staging carries env=staging: not protected.
				{args: args(mysqlPair, mysqlBackup), provider: []string{`  protected_tags = { env = "prod", tier = "critical" }`}},
			},
		},
	}
}

// What the provider sends for the arguments A10 and S7 warn about: restore_all_database only to
// SQL Server, and database_name only when it has entries. Checked on the jobs the emulator ran.
func TestAccRDSInstanceRestore_sqlServerOnlyFieldsNotSent(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	config := env.ProviderBlock() + fmt.Sprintf(`
resource "hwc_rds_instance_restore" "pg" {
  source_instance_id   = %q
  target_instance_id   = %q
  backup_id            = %q
  restore_all_database = true
}

resource "hwc_rds_instance_restore" "sqlserver" {
  source_instance_id = %q
  target_instance_id = %q
  backup_id          = %q
  database_name      = {}
}
`, emulator.PostgreSQLSourceID, emulator.PostgreSQLTargetID, emulator.PostgreSQLBackupID,
		emulator.SQLServerSourceID, emulator.SQLServerTargetID, emulator.SQLServerBackupID)
	testSteps(t, resource.TestStep{
		Config: config,
		Check: func(*terraform.State) error {
			jobs := env.EmulatorState(t).Jobs
			if len(jobs) != 2 {
				return fmt.Errorf("jobs = %d, want 2", len(jobs))
			}
			for _, j := range jobs {
				switch j.InstanceID {
				case emulator.PostgreSQLTargetID:
					if j.RestoreAllDatabase != nil {
						return fmt.Errorf("restore_all_database was sent to PostgreSQL: %v", *j.RestoreAllDatabase)
					}
				case emulator.SQLServerTargetID:
					if j.DatabaseName != nil {
						return fmt.Errorf("an empty database_name was sent: %v", j.DatabaseName)
					}
				}
			}
			return nil
		},
	}, resource.TestStep{
		// The next plain apply changes nothing.
		Config:   config,
		PlanOnly: true,
	})
	requireSubmissions(t, env, 2)
}

// A14 and the previous restore of the same resource: a copy that runs again meets the databases
// its first run made. Without drop_previous_databases the plan is refused, saying those names
// are the previous restore's and what to set; with it, exactly those are dropped right before
// the restore, which then makes them again; and the next plain plan changes nothing.
func TestAccRDSInstanceRestore_ruleA14PreviousRestore(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	sqlTgt := label(emulator.SQLServerTargetID, "sqlserver-staging")
	copyConfig := func(run string, drop bool) string {
		return restoreConfig(env, sqlserverPair[0], sqlserverPair[1], sqlserverBackup,
			`database_name = { sales = "sales_copy" }`, fmt.Sprintf("triggers = { run = %q }", run),
			fmt.Sprintf("drop_previous_databases = %t", drop))
	}
	deletes := func() []string {
		var out []string
		for _, r := range env.Requests(t) {
			if r.Method == "DELETE" && strings.Contains(r.Path, "/database/") {
				out = append(out, r.Path[strings.LastIndex(r.Path, "/")+1:])
			}
		}
		return out
	}
	testSteps(t,
		resource.TestStep{
			Config: copyConfig("1", false),
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("created_databases", stringsExact("sales_copy")),
				checkState("dropped_databases", stringsExact()),
				checkState("restored_to", knownvalue.NotNull()),
			},
		},
		resource.TestStep{
			// Run again without the opt-in: refused at plan time, naming the previous restore.
			Config: copyConfig("2", false),
			ExpectError: ruleError("A14", "New Database Name Already Exists", "database_name",
				fmt.Sprintf(`database_name["sales"] lists the new name "sales_copy", but the target instance %s already has a database "sales_copy", which the previous restore of this resource created`, sqlTgt),
				`set drop_previous_databases = true`),
		},
		resource.TestStep{
			// With it: the plan announces nothing else than sales_copy; the apply drops it, then restores.
			PreConfig: func() {
				if d := deletes(); len(d) != 0 {
					t.Errorf("databases dropped before the opt-in: %v", d)
				}
			},
			Config: copyConfig("2", true),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionDestroyBeforeCreate),
				plancheck.ExpectUnknownValue(restoreAddr, tfjsonpath.New("dropped_databases")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				checkState("dropped_databases", stringsExact("sales_copy")),
				checkState("created_databases", stringsExact("sales_copy")),
				checkState("status", knownvalue.StringExact("Completed")),
			},
			Check: func(*terraform.State) error {
				if d := deletes(); len(d) != 1 || d[0] != "sales_copy" {
					return fmt.Errorf("DELETE requests for %v, want exactly sales_copy", d)
				}
				if dbs := env.EmulatorState(t).Databases(emulator.SQLServerTargetID); !slices.Contains(dbs, "sales_copy") || !slices.Contains(dbs, "reporting") {
					return fmt.Errorf("target databases %v, want reporting and sales_copy", dbs)
				}
				return nil
			},
		},
		resource.TestStep{
			// The next plain plan: nothing to do, nothing dropped.
			Config:   copyConfig("2", true),
			PlanOnly: true,
		},
	)
	requireSubmissions(t, env, 2)
	if d := deletes(); len(d) != 1 {
		t.Errorf("DELETE requests %v, want one", d)
	}
}

package emulator

import (
	"strings"
	"time"
)

// Demo credentials and project of the built-in seed. They are public on purpose: they only
// open the local emulator, never a real cloud account.
const (
	DemoAccessKey = "EMULATORDEMOACCESSKY"
	DemoSecretKey = "EmulatorDemoSecretKeyNotForRealUse00000"
	DemoProjectID = "0483b6b16e954cb88930a360d2c4e663"
	DemoRegion    = "cn-north-4"
)

// Instance ids of the built-in seed. The "pairs" are a source and a staging target that a
// restore between them passes every documented rule.
const (
	// MySQL pair: 5.7.25 production (100 GB) -> 5.7.27 staging (200 GB), both case-insensitive.
	MySQLSourceID = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
	MySQLTargetID = "5b1f7e2a9c3d4e8fa0b6c7d8e9f0a1b2in01"
	// MySQL 8.0.28, case-sensitive (lower_case_table_names 0): a wrong target for the 5.7 source.
	MySQL80ID = "7c2e4a6b8d0f41a3b5c7d9e1f3a5b7c9in01"
	// MySQL 5.7.29 with 40 GB: too small a target for the 5.7 source.
	MySQLSmallID = "9e8d7c6b5a4f43e2a1b0c9d8e7f6a5b4in01"

	// PostgreSQL pair: 12.6 -> 12.6; PostgreSQL14ID runs 14.4 (a version mismatch for the pair).
	PostgreSQLSourceID = "4a5b6c7d8e9f40a1b2c3d4e5f6a7b8c9in03"
	PostgreSQLTargetID = "6c7d8e9fa0b142c3d4e5f6a7b8c9d0e1in03"
	PostgreSQL14ID     = "8e9fa0b1c2d344e5f6a7b8c9d0e1f2a3in03"

	// SQL Server pair: 2017 Standard -> 2017 Enterprise, both "China Standard Time",
	// Chinese_PRC_CI_AS (case-insensitive names), database quota 100.
	SQLServerSourceID = "61879e6085bc44d1831b0ce62d988fd9in04"
	SQLServerTargetID = "d8e6ca5a624745bcb546a227aa3ae1cfin04"
	// SQL Server 2014 Standard with a case-sensitive collation.
	SQLServer2014ID = "2d3e4f5a6b7c48d9e0f1a2b3c4d5e6f7in04"
	// SQL Server 2019 Enterprise in time zone "UTC": a wrong target for the pair's source (A6).
	SQLServerUTCID = "3e4f5a6b7c8d49e0f1a2b3c4d5e6f7a8in04"
)

// Backup ids of the built-in seed.
const (
	MySQLBackupID         = "2f4ddb93-b901-4b08-93d8-1d2e472f30fe" // COMPLETED, auto, of MySQLSourceID
	MySQLManualBackupID   = "c3d4e5f6a7b84c9d8e0f1a2b3c4d5e6fbr01" // COMPLETED, manual, of MySQLSourceID
	MySQLBuildingBackupID = "e1f2a3b4c5d64e7f8a9b0c1d2e3f4a5bbr01" // BUILDING, of MySQLSourceID
	MySQL80BackupID       = "a1b2c3d4e5f64a7b8c9d0e1f2a3b4c5dbr01" // COMPLETED, of MySQL80ID
	PostgreSQLBackupID    = "b2c3d4e5f6a74b8c9d0e1f2a3b4c5d6ebr01" // COMPLETED, of PostgreSQLSourceID
	SQLServerBackupID     = "b021670e69ba4538b7b2ed07257306aebr04" // COMPLETED, of SQLServerSourceID: sales, hr, inventory
	SQLServer2014BackupID = "f6a7b8c9d0e14f2a3b4c5d6e7f8a9b0cbr04" // COMPLETED, of SQLServer2014ID: legacy
)

// The built-in seed's restorable windows run from DemoRestoreWindowSpan before the load time
// to DemoRestoreWindowLag before it: any time in the last few days but the last minutes is a
// valid point-in-time restore. MySQLSourceID's window has a one-hour gap DemoRestoreGapStart
// before the load time (log backups can have holes; a drill should notice).
const (
	DemoRestoreWindowSpan = 7 * 24 * time.Hour
	DemoRestoreWindowLag  = 5 * time.Minute
	DemoRestoreGapStart   = 72 * time.Hour
	DemoRestoreGapLength  = time.Hour
)

// DemoJobDuration is how long a restore job of the built-in seed runs.
const DemoJobDuration = 3 * time.Second

// DefaultSeed returns the built-in demo seed: MySQL 5.7 and 8.0, PostgreSQL 12 and 14 and SQL
// Server 2014/2017/2019 instances in cn-north-4, with backups and restore windows. Windows are
// relative (resolved against the emulator's clock when New loads the seed); backup times are
// set from the wall clock now, so they lie in the recent past.
func DefaultSeed() *Seed {
	now := time.Now().UTC()
	day := now.Truncate(24 * time.Hour)
	at := func(d time.Duration) string { return formatAPITime(day.Add(d)) }
	window := []RelativeWindow{{Start: Duration(-DemoRestoreWindowSpan), End: Duration(-DemoRestoreWindowLag)}}
	created := "2025-06-01T08:00:00+0000"

	mysql := func(id, name, version, complete string, sizeGB int, lctn string, dbs ...string) SeedInstance {
		return SeedInstance{
			Instance: Instance{
				ID: id, Name: name, Status: statusActive, Type: "Single", Region: DemoRegion,
				TimeZone: "UTC+08:00", EnterpriseProjectID: "0",
				Datastore: Datastore{Type: "MySQL", Version: version, CompleteVersion: complete},
				Volume:    Volume{Type: "CLOUDSSD", Size: sizeGB}, Created: created, Updated: created,
				Nodes: []Node{{ID: id[:32] + "no01", Name: name + "_node0", Role: "master", Status: statusActive}},
			},
			LowerCaseTableNames: lctn, Databases: dbs, RestoreTimeRelative: window,
		}
	}
	postgres := func(id, name, version, complete string, dbs ...string) SeedInstance {
		in := mysql(id, name, version, complete, 100, "", dbs...)
		in.Datastore.Type = "PostgreSQL"
		in.TimeZone = "UTC"
		in.Nodes[0].ID = id[:32] + "no03"
		return in
	}
	sqlserver := func(id, name, version, collation, tz string, sizeGB int, dbs ...string) SeedInstance {
		in := mysql(id, name, version, "", sizeGB, "", dbs...)
		in.Datastore.Type = "SQLServer"
		in.TimeZone = tz
		in.Collation = collation
		in.DatabasesQuota = 100
		in.Nodes[0].ID = id[:32] + "no04"
		return in
	}

	mysqlProd := mysql(MySQLSourceID, "mysql57-prod", "5.7", "5.7.25", 100, "1", "shop", "users", "orders")
	mysqlProd.Type = "Ha"
	mysqlProd.Nodes = append(mysqlProd.Nodes, Node{ID: MySQLSourceID[:32] + "no02", Name: "mysql57-prod_node1", Role: "slave", Status: statusActive})
	mysqlProd.RestoreTimeRelative = []RelativeWindow{
		{Start: Duration(-DemoRestoreWindowSpan), End: Duration(-DemoRestoreGapStart - DemoRestoreGapLength)},
		{Start: Duration(-DemoRestoreGapStart), End: Duration(-DemoRestoreWindowLag)},
	}

	backup := func(id, instanceID, name, typ, status, engine, version string, begin, end time.Duration, sizeKB int64, dbs ...string) Backup {
		b := Backup{
			ID: id, InstanceID: instanceID, Name: name, Type: typ, Status: status,
			BeginTime: at(begin), Size: sizeKB, Datastore: BackupDatastore{Type: engine, Version: version},
		}
		if end != 0 {
			b.EndTime = at(end)
		}
		for _, d := range dbs {
			b.Databases = append(b.Databases, BackupDatabase{Name: d})
		}
		return b
	}
	const h = time.Hour
	building := Backup{
		ID: MySQLBuildingBackupID, InstanceID: MySQLSourceID, Name: "mysql57-prod-manual-running",
		Type: "manual", Status: "BUILDING", BeginTime: formatAPITime(now.Add(-2 * time.Minute).Truncate(time.Second)),
		Size: 0, Datastore: BackupDatastore{Type: "MySQL", Version: "5.7"},
	}

	seed := &Seed{
		Region:      DemoRegion,
		ProjectID:   DemoProjectID,
		Credentials: []Credential{{AccessKey: DemoAccessKey, SecretKey: DemoSecretKey}},
		JobDuration: Duration(DemoJobDuration),
		Instances: []SeedInstance{
			mysqlProd,
			mysql(MySQLTargetID, "mysql57-staging", "5.7", "5.7.27", 200, "1", "shop_old"),
			mysql(MySQL80ID, "mysql80-prod", "8.0", "8.0.28", 100, "0", "analytics"),
			mysql(MySQLSmallID, "mysql57-small", "5.7", "5.7.29", 40, "1"),
			postgres(PostgreSQLSourceID, "pg12-prod", "12", "12.6", "app", "billing"),
			postgres(PostgreSQLTargetID, "pg12-staging", "12", "12.6", "app_old"),
			postgres(PostgreSQL14ID, "pg14-prod", "14", "14.4", "events"),
			sqlserver(SQLServerSourceID, "sqlserver-prod", "2017_SE", "Chinese_PRC_CI_AS", "China Standard Time", 200, "sales", "hr", "inventory"),
			sqlserver(SQLServerTargetID, "sqlserver-staging", "2017_EE", "Chinese_PRC_CI_AS", "China Standard Time", 200, "reporting"),
			sqlserver(SQLServer2014ID, "sqlserver-legacy", "2014_SE", "SQL_Latin1_General_CP1_CS_AS", "China Standard Time", 100, "legacy"),
			sqlserver(SQLServerUTCID, "sqlserver-utc", "2019_EE", "Chinese_PRC_CI_AS", "UTC", 200),
		},
		Backups: []Backup{
			backup(MySQLBackupID, MySQLSourceID, "mysql57-prod-auto", "auto", backupCompleted, "MySQL", "5.7", -23*h, -23*h+5*time.Minute, 2048000, "shop", "users", "orders"),
			backup(MySQLManualBackupID, MySQLSourceID, "mysql57-prod-before-migration", "manual", backupCompleted, "MySQL", "5.7", -34*h, -34*h+7*time.Minute, 1996000, "shop", "users"),
			building,
			backup(MySQL80BackupID, MySQL80ID, "mysql80-prod-auto", "auto", backupCompleted, "MySQL", "8.0", -23*h, -23*h+3*time.Minute, 512000, "analytics"),
			backup(PostgreSQLBackupID, PostgreSQLSourceID, "pg12-prod-auto", "auto", backupCompleted, "PostgreSQL", "12", -22*h, -22*h+4*time.Minute, 1024000, "app", "billing"),
			backup(SQLServerBackupID, SQLServerSourceID, "sqlserver-prod-auto", "auto", backupCompleted, "SQLServer", "2017_SE", -21*h, -21*h+9*time.Minute, 4096000, "sales", "hr", "inventory"),
			backup(SQLServer2014BackupID, SQLServer2014ID, "sqlserver-legacy-manual", "manual", backupCompleted, "SQLServer", "2014_SE", -45*h, -45*h+6*time.Minute, 256000, "legacy"),
		},
	}
	// Tags, so that a guard for production can be tried: "-prod" instances carry env=prod,
	// "-staging" ones env=staging; the others carry none (the listing shows an empty list).
	for i := range seed.Instances {
		in := &seed.Instances[i]
		switch {
		case strings.HasSuffix(in.Name, "-prod"):
			in.Tags = []Tag{{Key: "env", Value: "prod"}}
		case strings.HasSuffix(in.Name, "-staging"):
			in.Tags = []Tag{{Key: "env", Value: "staging"}}
		}
	}
	return seed
}

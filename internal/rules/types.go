package rules

import "time"

// Severity says whether a finding stops the restore or only informs.
type Severity int

const (
	// Error: the API would refuse the restore (or it would damage data); the plan fails.
	Error Severity = iota
	// Warning: the documents are ambiguous or a fact is unknown; the plan goes on.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Finding is one broken (or uncheckable) rule.
type Finding struct {
	Rule      string   // rule id, e.g. "S10", "A3"
	Severity  Severity // Error or Warning
	Attribute string   // the top-level argument it belongs to, e.g. "database_name", "restore_time", "target_instance_id"
	Summary   string   // short Title Case summary, e.g. "Database Renamed To Itself"
	Detail    string   // what is wrong, with the values involved, and what to do
	// APICode and HTTPStatus are what the real API answers for this violation (for the
	// emulator), e.g. "DBS.200037" and 400. Empty for warnings.
	APICode    string
	HTTPStatus int
}

// Restore modes.
const (
	TypeBackup    = "backup"
	TypeTimestamp = "timestamp"
)

// Request is the user's restore request, as configured (nil / "" = not set).
type Request struct {
	SourceInstanceID   string
	TargetInstanceID   string
	Type               string // "", "backup" or "timestamp"
	BackupID           string
	RestoreTime        *int64            // Unix milliseconds, UTC
	DatabaseName       map[string]string // nil when not set
	RestoreAllDatabase *bool
}

// Instance is what the rules need to know of a DB instance. Zero values mean "unknown".
type Instance struct {
	ID                  string
	Name                string
	Status              string
	Region              string
	Engine              string // datastore.type: MySQL, PostgreSQL, SQLServer (compare case-insensitively)
	Version             string // datastore.version: "5.7", "8.0", "12", "2017_SE", "2008_R2_SE"
	CompleteVersion     string // datastore.complete_version: "5.7.25" (MySQL, PostgreSQL)
	VolumeGB            int
	TimeZone            string
	LowerCaseTableNames string   // MySQL: "0" or "1"; "" unknown
	Collation           string   // SQL Server: e.g. "Chinese_PRC_CI_AS"; "" unknown
	Databases           []string // nil = unknown
	DatabasesQuota      int      // 0 = unknown
	// Tags are the instance's tags, key to value (nil = none or unknown); A18 reads them.
	Tags map[string]string
}

// Backup is what the rules need to know of a backup.
type Backup struct {
	ID         string
	InstanceID string
	Status     string   // BUILDING, COMPLETED, FAILED, DELETING
	SizeKB     int64    // 0 = unknown
	Databases  []string // SQL Server: the databases it holds; nil = unknown
}

// Window is one restorable time range of the source, Unix milliseconds, inclusive.
type Window struct {
	Start int64
	End   int64
}

// Phase says who is checking, which decides how a busy target (A17) is reported.
type Phase int

const (
	// PhasePlan: a busy target is a warning (it may be free by apply time).
	PhasePlan Phase = iota
	// PhaseApply: the provider waits for a busy target itself, so A17 is not reported.
	PhaseApply
	// PhaseServer: the emulator answers a busy target with 409.
	PhaseServer
)

// Facts are what the API told about the instances involved. A nil Source or Target means the
// instance was not found (A1); a nil Backup in backup mode means the backup was not found (A12);
// nil Windows in timestamp mode means the windows are unknown (A13 is skipped with a warning).
type Facts struct {
	Region  string // the region the provider works in; "" = unknown
	Source  *Instance
	Target  *Instance
	Backup  *Backup
	Windows []Window
	Phase   Phase
	Now     time.Time
	// Previous is what the previous restore of the same resource created on the target (nil:
	// none known; the emulator never knows one).
	Previous *PreviousRestore
	// Protected is the provider's guard for production (A18); empty in the emulator, which
	// restores onto a protected instance as the API does.
	Protected Protection
}

// PreviousRestore is what the previous restore of the same resource created on the target, from
// its state: a copy drill that runs again meets its own copies there.
type PreviousRestore struct {
	Databases []string // the databases it created on the target
	// Drop: they are dropped from the target right before this restore is submitted, so the
	// rules judge the target without them.
	Drop bool
}

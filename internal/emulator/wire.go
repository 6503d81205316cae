package emulator

// The emulator's wire types, written from the API's documentation and the official SDK's models,
// not shared with the client (doc.go says why): a wrong JSON tag on either side then shows up as a
// failing test instead of passing on both. Every reply type carries only fields the SDK models for
// that reply (replyfields_test.go holds them to lists transcribed from the SDK).
//
// Datastore, Volume, Node, Tag, Instance, Backup, BackupDatabase and RestoreTimeRange are also the
// seed format, which writes instances and backups the way the API returns them.

// Datastore is an instance's engine. CompleteVersion (e.g. 5.7.25) is given for MySQL and
// PostgreSQL only.
type Datastore struct {
	Type            string `json:"type"`
	Version         string `json:"version"`
	CompleteVersion string `json:"complete_version,omitempty"`
}

// Volume is an instance's storage; Size is in GB.
type Volume struct {
	Type string `json:"type"`
	Size int    `json:"size"`
}

// Node is one node of an instance.
type Node struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Role             string `json:"role"`
	Status           string `json:"status"`
	AvailabilityZone string `json:"availability_zone,omitempty"`
}

// Instance is one item of GET /v3/{project_id}/instances, with the fields this project needs of
// the SDK's InstanceResponse. The instance list has no collation and no
// lower_case_table_names: those facts live in SeedInstance and show where the real API shows
// them (the databases' character_set, the configurations reply).
type Instance struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	Status              string    `json:"status"`
	Type                string    `json:"type"`
	Region              string    `json:"region"`
	TimeZone            string    `json:"time_zone"`
	EnterpriseProjectID string    `json:"enterprise_project_id"`
	Datastore           Datastore `json:"datastore"`
	Volume              Volume    `json:"volume"`
	Created             string    `json:"created"`
	Updated             string    `json:"updated"`
	Nodes               []Node    `json:"nodes"`
	// Tags are the instance's tags (the SDK's TagResponse list); the listing always carries
	// the list, empty when there are none. Keys are unique per instance.
	Tags []Tag `json:"tags"`
}

// Tag is one instance tag (the SDK's TagResponse).
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type listInstancesReply struct {
	Instances  []Instance `json:"instances"`
	TotalCount int        `json:"total_count"`
}

// BackupDatabase names one database held by a backup.
type BackupDatabase struct {
	Name string `json:"name"`
}

// BackupDatastore is a backup's engine (the SDK's BackupDatastore has no complete_version).
type BackupDatastore struct {
	Type    string `json:"type"`
	Version string `json:"version"`
}

// Backup is one item of GET /v3/{project_id}/backups (the SDK's BackupForList). Size is in KB.
// Databases are listed by the API for SQL Server only; a seed may give them for any engine, as
// what a restore of the backup brings.
type Backup struct {
	ID         string           `json:"id"`
	InstanceID string           `json:"instance_id"`
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Status     string           `json:"status"`
	BeginTime  string           `json:"begin_time"`
	EndTime    string           `json:"end_time"`
	Size       int64            `json:"size"`
	Datastore  BackupDatastore  `json:"datastore"`
	Databases  []BackupDatabase `json:"databases,omitempty"`

	// Emulator-only facts of a manual backup taken through the API (never listed; kept in the
	// state so that a restart goes on): its description, when it stops BUILDING (RFC 3339 with
	// nanoseconds), and the fail reason it will then end with ("" = it completes). EndedAt is
	// when it stopped BUILDING, to the nanosecond (end_time keeps whole seconds only), so that
	// a measurement can take the moment its instance was freed from the state.
	Description       string `json:"description,omitempty"`
	CompletesAt       string `json:"completes_at,omitempty"`
	PlannedFailReason string `json:"planned_fail_reason,omitempty"`
	EndedAt           string `json:"ended_at,omitempty"`
}

// Backup status values the emulator sets itself.
const (
	backupBuilding  = "BUILDING"
	backupCompleted = "COMPLETED"
	backupFailed    = "FAILED"
)

// backupInfoWire is the "backup" of the manual backup's reply (the SDK's BackupInfo).
type backupInfoWire struct {
	ID          string           `json:"id"`
	InstanceID  string           `json:"instance_id"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Databases   []BackupDatabase `json:"databases,omitempty"`
	BeginTime   string           `json:"begin_time"`
	Status      string           `json:"status"`
	Type        string           `json:"type"`
}

// createBackupReply is the reply of POST /v3/{project_id}/backups (CreateManualBackupResponse).
type createBackupReply struct {
	Backup backupInfoWire `json:"backup"`
}

// deleteBackupReply is the (empty) reply of the backup deletion (DeleteManualBackupResponse).
type deleteBackupReply struct{}

type listBackupsReply struct {
	Backups    []Backup `json:"backups"`
	TotalCount int      `json:"total_count"`
}

// RestoreTimeRange is one restorable window, in Unix milliseconds (UTC).
type RestoreTimeRange struct {
	StartTime int64 `json:"start_time"`
	EndTime   int64 `json:"end_time"`
}

type restoreTimeReply struct {
	RestoreTime []RestoreTimeRange `json:"restore_time"`
}

// databaseWire is one item of the database listing: MySQL's DatabaseForCreation (name,
// character_set), SQL Server's SqlserverDatabaseForDetail (plus state), PostgreSQL's
// PgListDatabase (name, character_set and more).
type databaseWire struct {
	Name         string `json:"name"`
	CharacterSet string `json:"character_set"`
	State        string `json:"state,omitempty"`
}

type listDatabasesReply struct {
	Databases  []databaseWire `json:"databases"`
	TotalCount int            `json:"total_count"`
}

// configurationParameterWire is one parameter of the configurations reply.
type configurationParameterWire struct {
	Name            string `json:"name"`
	Value           string `json:"value"`
	RestartRequired bool   `json:"restart_required"`
	Readonly        bool   `json:"readonly"`
	ValueRange      string `json:"value_range"`
	Type            string `json:"type"`
	Description     string `json:"description"`
}

type configurationsReply struct {
	DatastoreVersionName    string                       `json:"datastore_version_name"`
	DatastoreName           string                       `json:"datastore_name"`
	Created                 string                       `json:"created"`
	Updated                 string                       `json:"updated"`
	ConfigurationParameters []configurationParameterWire `json:"configuration_parameters"`
}

// restoreReply is the restore call's reply (the SDK's RestoreExistInstanceResponse).
type restoreReply struct {
	JobID string `json:"job_id"`
}

type jobInstanceWire struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// jobWire is the "job" of GET /v3/{project_id}/jobs?id= (the SDK's GetJobInfoResponseBodyJob).
type jobWire struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	Created    string          `json:"created"`
	Ended      string          `json:"ended,omitempty"`
	Process    string          `json:"process"`
	Instance   jobInstanceWire `json:"instance"`
	Entities   map[string]any  `json:"entities"`
	FailReason string          `json:"fail_reason,omitempty"`
}

type jobReply struct {
	Job jobWire `json:"job"`
}

// projectWire is one IAM project (the SDK's ProjectResult).
type projectWire struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	ParentID string `json:"parent_id"`
	Enabled  bool   `json:"enabled"`
	IsDomain bool   `json:"is_domain"`
}

type listProjectsReply struct {
	Projects []projectWire `json:"projects"`
}

// domainWire is one account of GET /v3/auth/domains (the SDK's Domains).
type domainWire struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
}

type listDomainsReply struct {
	Domains []domainWire `json:"domains"`
}

// errorWire is the usual error reply; gateway errors (APIGW.*) add request_id.
type errorWire struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id,omitempty"`
}

package rds

// The types in this file are the wire shapes of the API as the client reads and writes them.
// The emulator keeps its own (internal/emulator/wire.go), so a wrong JSON tag on either side
// fails a test instead of passing on both.

// Datastore is an instance's or a backup's engine.
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

// Instance is one item of GET /v3/{project_id}/instances. It has no collation: SQL Server reports
// that as its databases' character_set.
type Instance struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	Status              string    `json:"status"`
	Type                string    `json:"type"`
	Region              string    `json:"region"`
	TimeZone            string    `json:"time_zone"`
	EnterpriseProjectID string    `json:"enterprise_project_id,omitempty"`
	Datastore           Datastore `json:"datastore"`
	Volume              Volume    `json:"volume"`
	Created             string    `json:"created,omitempty"`
	Updated             string    `json:"updated,omitempty"`
	Nodes               []Node    `json:"nodes,omitempty"`
	// Tags are the instance's tags (keys unique per instance); an empty list when it has none.
	Tags []Tag `json:"tags,omitempty"`
}

// Tag is one tag of an instance (the API's TagResponse).
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TagMap returns an instance's tags as a map (a repeated key keeps its last value).
func (in *Instance) TagMap() map[string]string {
	m := make(map[string]string, len(in.Tags))
	for _, t := range in.Tags {
		m[t.Key] = t.Value
	}
	return m
}

// Node is one node of an instance.
type Node struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Status string `json:"status"`
}

// ListInstancesResponse is the reply of GET /v3/{project_id}/instances.
type ListInstancesResponse struct {
	Instances  []Instance `json:"instances"`
	TotalCount int        `json:"total_count"`
}

// BackupDatabase names one database held by a SQL Server backup.
type BackupDatabase struct {
	Name string `json:"name"`
}

// Backup is one item of GET /v3/{project_id}/backups. Size is in KB.
type Backup struct {
	ID         string           `json:"id"`
	InstanceID string           `json:"instance_id"`
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Status     string           `json:"status"`
	BeginTime  string           `json:"begin_time"`
	EndTime    string           `json:"end_time"`
	Size       int64            `json:"size"`
	Datastore  Datastore        `json:"datastore"`
	Databases  []BackupDatabase `json:"databases,omitempty"`
}

// ListBackupsResponse is the reply of GET /v3/{project_id}/backups.
type ListBackupsResponse struct {
	Backups    []Backup `json:"backups"`
	TotalCount int      `json:"total_count"`
}

// RestoreTimeRange is one restorable window, in Unix milliseconds (UTC).
type RestoreTimeRange struct {
	StartTime int64 `json:"start_time"`
	EndTime   int64 `json:"end_time"`
}

// RestoreTimeResponse is the reply of GET /v3/{project_id}/instances/{id}/restore-time.
type RestoreTimeResponse struct {
	RestoreTime []RestoreTimeRange `json:"restore_time"`
}

// Database is one item of GET /v3/{project_id}/instances/{id}/database/detail.
type Database struct {
	Name         string `json:"name"`
	CharacterSet string `json:"character_set,omitempty"`
	State        string `json:"state,omitempty"`
}

// ListDatabasesResponse is the reply of the database detail listing.
type ListDatabasesResponse struct {
	Databases  []Database `json:"databases"`
	TotalCount int        `json:"total_count"`
}

// ConfigurationParameter is one parameter of an instance's configuration. Only its name and
// value are read: the reply lists every parameter of the instance, each with a type and a long
// description, and the lookup cache keeps a reply per instance for the whole command.
type ConfigurationParameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ConfigurationsResponse is the reply of GET /v3/{project_id}/instances/{id}/configurations.
type ConfigurationsResponse struct {
	DatastoreVersionName    string                   `json:"datastore_version_name,omitempty"`
	DatastoreName           string                   `json:"datastore_name,omitempty"`
	ConfigurationParameters []ConfigurationParameter `json:"configuration_parameters"`
}

// RestoreSource is the "source" object of the restore request. Pointer and omitempty fields are
// sent only when set: SQL Server-only fields must not reach other engines.
type RestoreSource struct {
	InstanceID         string            `json:"instance_id"`
	Type               string            `json:"type,omitempty"`
	BackupID           string            `json:"backup_id,omitempty"`
	RestoreTime        *int64            `json:"restore_time,omitempty"`
	DatabaseName       map[string]string `json:"database_name,omitempty"`
	RestoreAllDatabase *bool             `json:"restore_all_database,omitempty"`
}

// RestoreTarget is the "target" object of the restore request.
type RestoreTarget struct {
	InstanceID string `json:"instance_id"`
}

// RestoreRequest is the body of POST /v3.1/{project_id}/instances/recovery.
type RestoreRequest struct {
	Source RestoreSource `json:"source"`
	Target RestoreTarget `json:"target"`
}

// RestoreResponse is the reply of the restore call.
type RestoreResponse struct {
	JobID string `json:"job_id"`
}

// Job status values.
const (
	JobRunning   = "Running"
	JobCompleted = "Completed"
	JobFailed    = "Failed"
)

// JobInstance names the instance a job works on.
type JobInstance struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Job is the "job" object of GET /v3/{project_id}/jobs?id=.
type Job struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Status     string         `json:"status"`
	Created    string         `json:"created"`
	Ended      string         `json:"ended,omitempty"`
	Process    string         `json:"process"`
	Instance   JobInstance    `json:"instance"`
	Entities   map[string]any `json:"entities"`
	FailReason string         `json:"fail_reason,omitempty"`
}

// JobResponse is the reply of the job query.
type JobResponse struct {
	Job Job `json:"job"`
}

// Project is one IAM project.
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id,omitempty"`
	Enabled  bool   `json:"enabled"`
}

// ListProjectsResponse is the reply of GET /v3/projects.
type ListProjectsResponse struct {
	Projects []Project `json:"projects"`
}

// ErrorBody is the usual error reply: {"error_code": "DBS.200022", "error_msg": "..."}.
type ErrorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id,omitempty"`
}

// Instance status values that matter to a restore.
const (
	StatusActive    = "ACTIVE"
	StatusRestoring = "RESTORING"
)

// Backup status values.
const (
	BackupBuilding  = "BUILDING"
	BackupCompleted = "COMPLETED"
	BackupFailed    = "FAILED"
)

// CreateBackupRequest is the body of POST /v3/{project_id}/backups (a manual backup). Databases
// and BackupDatabaseIndividually are SQL Server's, sent only when set.
type CreateBackupRequest struct {
	InstanceID                 string           `json:"instance_id"`
	Name                       string           `json:"name"`
	Description                string           `json:"description,omitempty"`
	Databases                  []BackupDatabase `json:"databases,omitempty"`
	BackupDatabaseIndividually *bool            `json:"backup_database_individually,omitempty"`
}

// CreateBackupResponse is the reply of the manual backup: {"backup": {...}}.
type CreateBackupResponse struct {
	Backup Backup `json:"backup"`
}

package restore

import (
	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// The one mapping between the rules' types (internal/rules) and the API's wire types
// (internal/service/rds) on the client side: what the rules read about instances, backups and
// windows, and the restore body a checked request becomes. The emulator has its own (it is an
// independent implementation of the API).

// RulesInstance converts an API instance to what the rules read. Databases, Collation,
// LowerCaseTableNames and DatabasesQuota come from other calls (GatherFacts).
func RulesInstance(in *rds.Instance) *rules.Instance {
	return &rules.Instance{
		ID: in.ID, Name: in.Name, Status: in.Status, Region: in.Region,
		Engine: in.Datastore.Type, Version: in.Datastore.Version, CompleteVersion: in.Datastore.CompleteVersion,
		VolumeGB: in.Volume.Size, TimeZone: in.TimeZone, Tags: tagsOf(in),
	}
}

// tagsOf is an instance's tags as the rules read them (nil when it has none).
func tagsOf(in *rds.Instance) map[string]string {
	if len(in.Tags) == 0 {
		return nil
	}
	return in.TagMap()
}

// RulesBackup converts an API backup to what the rules read. Databases stays nil when the API
// lists none (only SQL Server backups list them): unknown, not empty.
func RulesBackup(b *rds.Backup) *rules.Backup {
	out := &rules.Backup{ID: b.ID, InstanceID: b.InstanceID, Status: b.Status, SizeKB: b.Size}
	if b.Databases != nil {
		out.Databases = make([]string, 0, len(b.Databases))
		for _, d := range b.Databases {
			out.Databases = append(out.Databases, d.Name)
		}
	}
	return out
}

// RulesWindows converts the API's restorable time ranges to the rules' windows.
func RulesWindows(ranges []rds.RestoreTimeRange) []rules.Window {
	out := make([]rules.Window, 0, len(ranges))
	for _, w := range ranges {
		out = append(out, rules.Window{Start: w.StartTime, End: w.EndTime})
	}
	return out
}

// databaseNames are the names of an instance's databases, in the API's order.
func databaseNames(dbs []rds.Database) []string {
	names := make([]string, 0, len(dbs))
	for _, d := range dbs {
		names = append(names, d.Name)
	}
	return names
}

// APIRequest is the body of the restore call for req onto an instance of engine. SQL Server-only
// fields are sent only when the user set them, and only to SQL Server (the official provider
// sends restore_all_database = true to every engine; rule A10); an empty database_name is not
// sent. type is always sent (rule S4).
func APIRequest(req rules.Request, engine string) rds.RestoreRequest {
	req = rules.Submitted(req, engine)
	body := rds.RestoreRequest{
		Source: rds.RestoreSource{
			InstanceID:         req.SourceInstanceID,
			Type:               rules.EffectiveType(req),
			RestoreAllDatabase: req.RestoreAllDatabase,
		},
		Target: rds.RestoreTarget{InstanceID: req.TargetInstanceID},
	}
	if body.Source.Type == rules.TypeBackup {
		body.Source.BackupID = req.BackupID
	} else {
		body.Source.RestoreTime = req.RestoreTime
	}
	if req.DatabaseName != nil {
		body.Source.DatabaseName = req.DatabaseName
	}
	return body
}

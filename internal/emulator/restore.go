package emulator

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// POST /v3.1/{project_id}/instances/recovery
func (s *Server) restoreV31(c *call) (int, any, *apiError) { return s.restore(c, "v3.1") }

// POST /v3/{project_id}/instances/recovery: the older form, without restore_all_database.
func (s *Server) restoreV3(c *call) (int, any, *apiError) { return s.restore(c, "v3") }

// restore checks the body against the API's schema, then validates the request with the rules
// package (the first Error finding is the answer; warnings are ignored, as the real API does
// not know them) and starts a job.
func (s *Server) restore(c *call, apiVersion string) (int, any, *apiError) {
	cleaned, apiErr := checkBody(c.body, restoreSchema(apiVersion), s.ignoreUnknownFields)
	if apiErr != nil {
		return 0, nil, apiErr
	}
	var body restoreRequestWire
	if err := json.Unmarshal(cleaned, &body); err != nil {
		return 0, nil, badParam("Invalid request body: " + err.Error())
	}
	src := body.Source
	// The restore API: in timestamp mode "type and restore_time are mandatory" (rule S4 in
	// internal/rules/catalogue.go); only backup mode may leave type out.
	if src.RestoreTime != nil && src.Type == "" {
		return 0, nil, badParam(`Invalid parameter: source.type is mandatory with source.restore_time; set it to "timestamp".`)
	}
	// restore_all_database is a SQL Server field. Outside SQL Server the real API accepts and
	// ignores it (the official provider sends true on every MySQL restore), so it is dropped
	// here before the rules see it.
	if source := s.instanceLocked(src.InstanceID); source != nil && !isSQLServer(source.Datastore.Type) {
		src.RestoreAllDatabase = nil
	}
	req := rules.Request{
		SourceInstanceID:   src.InstanceID,
		TargetInstanceID:   body.Target.InstanceID,
		Type:               src.Type,
		BackupID:           src.BackupID,
		RestoreTime:        src.RestoreTime,
		DatabaseName:       src.DatabaseName,
		RestoreAllDatabase: src.RestoreAllDatabase,
	}
	if f, bad := rules.FirstError(rules.CheckStatic(req, c.now)); bad {
		return 0, nil, findingError(f)
	}
	if f, bad := rules.FirstError(rules.CheckAPI(req, s.factsLocked(req, c))); bad {
		// A17 says "busy"; a target that will not become ACTIVE by itself has its own answer.
		if e := stuckTargetError(s.instanceLocked(req.TargetInstanceID)); f.Rule == "A17" && e != nil {
			return 0, nil, e
		}
		return 0, nil, findingError(f)
	}

	source := s.instanceLocked(req.SourceInstanceID)
	target := s.instanceLocked(req.TargetInstanceID)
	if source == nil || target == nil { // the rules report A1 first; this guards a rules change
		return 0, nil, instanceNotFound(req.SourceInstanceID + ", " + req.TargetInstanceID)
	}
	restoreType := rules.EffectiveType(req) // the rules accepted it, so it is decided
	restored := append([]string{}, source.Databases...)
	if restoreType == rules.TypeBackup {
		if b := s.backupLocked(req.BackupID); b != nil && len(b.Databases) > 0 {
			restored = restored[:0]
			for _, d := range b.Databases {
				restored = append(restored, d.Name)
			}
		}
	}
	j := &job{
		ID: newID(), TargetID: target.ID, SourceID: source.ID, APIVersion: apiVersion,
		RestoreType: restoreType, BackupID: req.BackupID, RestoreTime: req.RestoreTime,
		DatabaseName: req.DatabaseName, RestoreAllDatabase: req.RestoreAllDatabase, Restored: restored,
		Created: c.now, QueueDelay: s.jobQueueDelay, Duration: s.jobDuration, VisibleAfter: s.jobVisibleAfter,
		FailWith: s.faults.takeJobFailure(),
	}
	s.jobs = append(s.jobs, j)
	target.Updated = formatAPITime(c.now)
	s.settleLocked(c.now) // starts it unless it is queued; a zero-length job is done at once
	s.scheduleLocked(j, c.now)
	s.persistLocked()
	status := http.StatusAccepted
	if s.unconfirmed.RestoreStatus200 {
		status = http.StatusOK
	}
	return status, restoreReply{JobID: j.ID}, nil
}

// factsLocked gathers what the rules need from the emulator's state.
func (s *Server) factsLocked(req rules.Request, c *call) rules.Facts {
	facts := rules.Facts{Region: s.region, Phase: rules.PhaseServer, Now: c.now}
	if src := s.instanceLocked(req.SourceInstanceID); src != nil {
		ri := ruleInstance(src)
		facts.Source = &ri
		facts.Windows = []rules.Window{} // known, possibly empty
		for _, w := range src.RestoreTime {
			facts.Windows = append(facts.Windows, rules.Window{Start: w.StartTime, End: w.EndTime})
		}
	}
	if tgt := s.instanceLocked(req.TargetInstanceID); tgt != nil {
		ri := ruleInstance(tgt)
		// A queued job leaves its target ACTIVE, but the API has the job: the target is busy
		// for another restore all the same (-job-queue-delay).
		if tgt.Status == statusActive && len(s.runningJobsLocked(tgt.ID)) > 0 {
			ri.Status = statusRestoring
		}
		// The restore API's first constraint: SQL Server takes several restores of named databases
		// at once, so a target busy only with such restores is not busy for another one.
		if ri.Status == statusRestoring && s.acceptsConcurrentLocked(tgt, req) {
			ri.Status = statusActive
		}
		// Databases that running restores are creating are taken already.
		if ri.Databases != nil || isSQLServer(tgt.Datastore.Type) {
			ri.Databases = append(append([]string{}, ri.Databases...), s.pendingDatabasesLocked(tgt.ID)...)
		}
		facts.Target = &ri
	}
	if req.BackupID != "" {
		if b := s.backupLocked(req.BackupID); b != nil {
			rb := rules.Backup{ID: b.ID, InstanceID: b.InstanceID, Status: b.Status, SizeKB: b.Size}
			if isSQLServer(b.Datastore.Type) {
				rb.Databases = []string{}
				for _, d := range b.Databases {
					rb.Databases = append(rb.Databases, d.Name)
				}
			}
			facts.Backup = &rb
		}
	}
	return facts
}

// acceptsConcurrentLocked says whether a SQL Server target that is restoring can take req too:
// req restores named databases, and so does every restore running on it.
func (s *Server) acceptsConcurrentLocked(tgt *SeedInstance, req rules.Request) bool {
	if !isSQLServer(tgt.Datastore.Type) || len(req.DatabaseName) == 0 {
		return false
	}
	running := s.runningJobsLocked(tgt.ID)
	if len(running) == 0 {
		return false // RESTORING for another reason (e.g. the seed file says so)
	}
	for _, j := range running {
		if !j.usesDatabaseName() {
			return false
		}
	}
	return true
}

// ruleInstance is what the rules need to know of an instance.
func ruleInstance(in *SeedInstance) rules.Instance {
	ri := rules.Instance{
		ID: in.ID, Name: in.Name, Status: in.Status, Region: in.Region,
		Engine: in.Datastore.Type, Version: in.Datastore.Version, CompleteVersion: in.Datastore.CompleteVersion,
		VolumeGB: in.Volume.Size, TimeZone: in.TimeZone, DatabasesQuota: in.DatabasesQuota,
	}
	if isMySQL(in.Datastore.Type) {
		ri.LowerCaseTableNames = in.LowerCaseTableNames
	}
	if isSQLServer(in.Datastore.Type) {
		ri.Collation = characterSet(in) // what its databases report
	}
	if in.Databases != nil {
		ri.Databases = append([]string{}, in.Databases...)
	}
	return ri
}

// ruleIDs matches the project's rule references in a finding's text: the real API's messages
// know nothing of them.
var ruleIDs = regexp.MustCompile(`\s*\(rules? [AS]\d+[^)]*\)`)

// findingError turns a rule violation into the API's answer, without the project's rule ids. A
// finding without an API code (which the rules should not produce) is a plain parameter error
// rather than a crash.
func findingError(f rules.Finding) *apiError {
	e := &apiError{status: f.HTTPStatus, code: f.APICode, msg: strings.TrimSpace(ruleIDs.ReplaceAllString(f.Detail, ""))}
	if e.status == 0 {
		e.status = http.StatusBadRequest
	}
	if e.code == "" {
		e.code = codeBadParameter
	}
	if e.msg == "" {
		e.msg = ruleIDs.ReplaceAllString(f.Summary, "")
	}
	return e
}

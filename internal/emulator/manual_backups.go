package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DefaultBackupDuration is how long a manual backup is BUILDING when Options.BackupDuration is 0.
const DefaultBackupDuration = 2 * time.Second

// manualBackupSizeKB is the size a completed manual backup reports (the emulator holds no data).
const manualBackupSizeKB = 102400

// backupNamePattern is the API's rule for a manual backup's name: 4 to 64 characters, starting
// with a letter; letters, digits, "-" and "_" (rds-api.md, Manual backups).
var backupNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{3,63}$`)

// backupDescriptionForbidden are the characters the SDK's request model forbids in a description
// (at most 256 characters).
const backupDescriptionForbidden = `>!<"&'=`

// POST /v3/{project_id}/backups -> 200 {"backup": {...}}
// The backup is BUILDING and its instance BACKING UP for the backup duration, then the backup is
// COMPLETED (FAILED after a fail_next_backup fault) and the instance ACTIVE again. It holds the
// instance's databases as they were when it was taken (for SQL Server with "databases": those
// only), which is what a restore of it brings.
func (s *Server) createBackup(c *call) (int, any, *apiError) {
	cleaned, apiErr := checkBody(c.body, createBackupSchema, s.ignoreUnknownFields)
	if apiErr != nil {
		return 0, nil, apiErr
	}
	var body createBackupRequestWire
	if err := json.Unmarshal(cleaned, &body); err != nil {
		return 0, nil, badParam("Invalid request body: " + err.Error())
	}
	if !backupNamePattern.MatchString(body.Name) {
		return 0, nil, badParam(fmt.Sprintf("Invalid parameter: name %q must be 4 to 64 characters, start with a letter, and hold only letters, digits, \"-\" and \"_\".", body.Name))
	}
	if len([]rune(body.Description)) > 256 || strings.ContainsAny(body.Description, backupDescriptionForbidden) {
		return 0, nil, badParam(fmt.Sprintf("Invalid parameter: description must be at most 256 characters without any of %s.", backupDescriptionForbidden))
	}
	in := s.instanceLocked(body.InstanceID)
	if in == nil {
		return 0, nil, instanceNotFound(body.InstanceID)
	}
	sqlServer := isSQLServer(in.Datastore.Type)
	if !sqlServer && (body.Databases != nil || body.BackupDatabaseIndividually != nil) {
		return 0, nil, badParam(fmt.Sprintf("Invalid parameter: databases and backup_database_individually are for SQL Server only; instance %s is %s.", in.ID, in.Datastore.Type))
	}
	if e := stuckTargetError(in); e != nil {
		return 0, nil, e
	}
	if in.Status != statusActive || len(s.runningJobsLocked(in.ID)) > 0 {
		return 0, nil, &apiError{http.StatusConflict, codeBusy, fmt.Sprintf(
			"The DB instance %s is busy (%s): a backup can be taken only while it is ACTIVE with nothing running on it.", in.ID, s.busyReasonLocked(in))}
	}
	held := in.Databases
	if len(body.Databases) > 0 {
		held = nil
		for _, d := range body.Databases {
			if !slices.Contains(in.Databases, d.Name) {
				return 0, nil, &apiError{http.StatusBadRequest, codeNoSuchDatabase, fmt.Sprintf(
					"The database %s does not exist on DB instance %s.", d.Name, in.ID)}
			}
			held = append(held, d.Name)
		}
	}
	b := &Backup{
		ID: newID() + "br01", InstanceID: in.ID, Name: body.Name, Type: "manual", Status: backupBuilding,
		BeginTime: formatAPITime(c.now), Datastore: BackupDatastore{Type: in.Datastore.Type, Version: in.Datastore.Version},
		Description: body.Description, CompletesAt: c.now.Add(s.backupDuration).UTC().Format(time.RFC3339Nano),
		PlannedFailReason: s.faults.takeBackupFailure(),
	}
	for _, d := range held {
		b.Databases = append(b.Databases, BackupDatabase{Name: d})
	}
	s.backups = append(s.backups, b)
	in.Status = statusBackingUp
	in.Updated = formatAPITime(c.now)
	s.settleLocked(c.now) // a zero-length backup is done at once
	s.scheduleBackupLocked(b, c.now)
	s.persistLocked()
	info := backupInfoWire{
		ID: b.ID, InstanceID: b.InstanceID, Name: b.Name, Description: b.Description,
		BeginTime: b.BeginTime, Status: backupBuilding, Type: b.Type,
	}
	if sqlServer && len(body.Databases) > 0 {
		info.Databases = append([]BackupDatabase{}, body.Databases...)
	}
	return http.StatusOK, createBackupReply{Backup: info}, nil
}

// busyReasonLocked says what keeps an instance busy, for a message.
func (s *Server) busyReasonLocked(in *SeedInstance) string {
	if in.Status == statusActive {
		return "a restore job is queued on it"
	}
	return in.Status
}

// DELETE /v3/{project_id}/backups/{backup_id} -> 200 {}
// Only a manual backup can be deleted, and not while it is BUILDING or a running restore reads it.
func (s *Server) deleteBackup(c *call) (int, any, *apiError) {
	id := c.params["backup_id"]
	b := s.backupLocked(id)
	if b == nil {
		return 0, nil, &apiError{http.StatusNotFound, codeBackupNotFound, "The backup does not exist: " + id}
	}
	if b.Type != "manual" {
		return 0, nil, badParam(fmt.Sprintf("Invalid parameter: backup %s is an %s backup; only manual backups can be deleted.", id, b.Type))
	}
	if b.Status == backupBuilding {
		return 0, nil, &apiError{http.StatusConflict, codeBackupInProgress, fmt.Sprintf("The backup %s is still being built; delete it once it has ended.", id)}
	}
	for _, j := range s.jobs {
		if !j.Applied && j.BackupID == id {
			return 0, nil, &apiError{http.StatusConflict, codeBusy, fmt.Sprintf("The backup %s is being restored by job %s; delete it once the job has ended.", id, j.ID)}
		}
	}
	s.backups = slices.DeleteFunc(s.backups, func(x *Backup) bool { return x.ID == id })
	s.persistLocked()
	return http.StatusOK, deleteBackupReply{}, nil
}

// backupEnd is when a BUILDING manual backup ends; ok is false for a backup that never ends by
// itself (a seed's BUILDING backup without completes_at).
func backupEnd(b *Backup) (time.Time, bool) {
	if b.Status != backupBuilding || b.CompletesAt == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, b.CompletesAt)
	return t, err == nil
}

// settleBackupsLocked ends every manual backup due by now; it reports whether anything changed.
func (s *Server) settleBackupsLocked(now time.Time) bool {
	changed := false
	for _, b := range s.backups {
		end, ok := backupEnd(b)
		if !ok || now.Before(end) {
			continue
		}
		changed = true
		b.Status, b.EndTime, b.CompletesAt, b.EndedAt = backupCompleted, formatAPITime(end), "", end.UTC().Format(time.RFC3339Nano)
		b.Size = manualBackupSizeKB
		if b.PlannedFailReason != "" {
			b.Status, b.Size, b.PlannedFailReason = backupFailed, 0, ""
		}
		if t, ok := s.timers["backup:"+b.ID]; ok {
			t.Stop()
			delete(s.timers, "backup:"+b.ID)
		}
		if in := s.instanceLocked(b.InstanceID); in != nil && in.Status == statusBackingUp && !s.buildingLocked(in.ID) {
			in.Status = statusActive
			in.Updated = formatAPITime(end)
		}
	}
	return changed
}

// buildingLocked says whether a manual backup of the instance is still being built.
func (s *Server) buildingLocked(instanceID string) bool {
	for _, b := range s.backups {
		if _, ok := backupEnd(b); ok && b.InstanceID == instanceID {
			return true
		}
	}
	return false
}

// scheduleBackupLocked arms a timer that settles b when it ends (as scheduleLocked does for jobs).
func (s *Server) scheduleBackupLocked(b *Backup, now time.Time) {
	end, ok := backupEnd(b)
	if s.closed || !ok {
		return
	}
	key := "backup:" + b.ID
	s.timers[key] = time.AfterFunc(max(end.Sub(now)+10*time.Millisecond, 0), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed {
			return
		}
		delete(s.timers, key)
		s.settleLocked(s.clock())
	})
}

package emulator

import (
	"fmt"
	"net/http"
	"time"
)

// backupLocked finds a backup by id; nil when there is none.
func (s *Server) backupLocked(id string) *Backup {
	for _, b := range s.backups {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// backupView is a backup as the list call returns it: only SQL Server backups list their
// databases (the emulator keeps the others' lists to know what a restore brings).
func backupView(b *Backup) Backup {
	v := *b
	v.Description, v.CompletesAt, v.PlannedFailReason, v.EndedAt = "", "", "", ""
	if isSQLServer(b.Datastore.Type) {
		v.Databases = append([]BackupDatabase(nil), b.Databases...)
	} else {
		v.Databases = nil
	}
	return v
}

// GET /v3/{project_id}/backups?instance_id=&backup_id=&backup_type=&begin_time=&end_time=&offset=&limit=
// Backups are matched by instance_id without checking that the instance still exists: backups
// outlive a deleted instance. begin_time/end_time select backups that began in that range.
func (s *Server) listBackups(c *call) (int, any, *apiError) {
	q := c.query
	instanceID := q.Get("instance_id")
	if instanceID == "" {
		return 0, nil, badParam("Invalid parameter: instance_id is required")
	}
	offset, limit, err := offsetLimit(q)
	if err != nil {
		return 0, nil, err
	}
	if err := oneOf(q, "backup_type", "auto", "manual", "fragment", "incremental"); err != nil {
		return 0, nil, err
	}
	beginRaw, endRaw := q.Get("begin_time"), q.Get("end_time")
	if (beginRaw == "") != (endRaw == "") {
		return 0, nil, badParam("Invalid parameter: begin_time and end_time must be given together")
	}
	var from, to time.Time
	if beginRaw != "" {
		var e1, e2 error
		from, e1 = time.Parse(apiTimeLayout, beginRaw)
		to, e2 = time.Parse(apiTimeLayout, endRaw)
		if e1 != nil || e2 != nil {
			return 0, nil, badParam(fmt.Sprintf("Invalid parameter: begin_time=%q, end_time=%q must look like 2020-01-01T00:00:00+0800", beginRaw, endRaw))
		}
		if to.Before(from) {
			return 0, nil, badParam("Invalid parameter: end_time is before begin_time")
		}
	}
	backupID, typ := q.Get("backup_id"), q.Get("backup_type")
	matched := []Backup{}
	for _, b := range s.backups {
		if b.InstanceID != instanceID || (backupID != "" && b.ID != backupID) || (typ != "" && b.Type != typ) {
			continue
		}
		if beginRaw != "" {
			began, err := parseAPITime(b.BeginTime)
			if err != nil || began.Before(from) || began.After(to) {
				continue
			}
		}
		matched = append(matched, backupView(b))
	}
	return http.StatusOK, listBackupsReply{Backups: page(matched, offset, limit), TotalCount: len(matched)}, nil
}

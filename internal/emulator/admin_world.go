package emulator

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The admin endpoints that change the world, to rehearse "the next night" without a restart
// (doc.go, Admin endpoints).
const (
	AdminBackupsPath   = adminPrefix + "/backups"
	AdminInstancesPath = adminPrefix + "/instances" // + "/{id}"
)

// AdminBackup is the body of POST /_emulator/backups: a backup of an instance, as a night's
// automated backup would leave it. Only instance_id is required.
type AdminBackup struct {
	InstanceID string `json:"instance_id"`
	// ID defaults to a new id in the API's shape.
	ID string `json:"id,omitempty"`
	// Name defaults to "<instance name>-<type>-<end time>".
	Name string `json:"name,omitempty"`
	// Type is auto (the default), manual, fragment or incremental.
	Type string `json:"type,omitempty"`
	// Status is COMPLETED (the default), BUILDING, FAILED or DELETING. A BUILDING backup added
	// here stays BUILDING.
	Status string `json:"status,omitempty"`
	// BeginTime and EndTime are in the API's layout (2026-12-02T01:00:00+0000) or RFC 3339.
	// EndTime defaults to now (none for a BUILDING backup), BeginTime to five minutes before it.
	BeginTime string `json:"begin_time,omitempty"`
	EndTime   string `json:"end_time,omitempty"`
	// Size in KB; defaults to 102400.
	Size int64 `json:"size,omitempty"`
	// Databases are what a restore of the backup brings, as in the seed format
	// ([{"name": "db1"}]); they default to the instance's databases now.
	Databases []BackupDatabase `json:"databases,omitempty"`
}

// adminBackupLength is how long an added backup took when only one of its times is given.
const adminBackupLength = 5 * time.Minute

// AdminInstancePatch is the body of PATCH /_emulator/instances/{id}: each field given replaces
// the instance's; a field left out stays as it is.
type AdminInstancePatch struct {
	Status    *string   `json:"status,omitempty"`
	Tags      *[]Tag    `json:"tags,omitempty"`
	Databases *[]string `json:"databases,omitempty"`
	// RestoreTime and RestoreTimeRelative replace the restorable windows (together: both sets);
	// relative windows are offsets from the emulator's clock now, e.g. {"start": "-24h", "end": "0s"}
	// for a window that ends now.
	RestoreTime         *[]RestoreTimeRange `json:"restore_time,omitempty"`
	RestoreTimeRelative *[]RelativeWindow   `json:"restore_time_relative,omitempty"`
}

// adminBadRequest answers a validation error of an admin call.
func adminBadRequest(w http.ResponseWriter, err error) {
	adminJSON(w, http.StatusBadRequest, AdminError{Error: err.Error()})
}

// postBackup answers POST /_emulator/backups with the backup as the API lists it.
func (s *Server) postBackup(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		adminBadRequest(w, err)
		return
	}
	var in AdminBackup
	if err := strictJSON(data, &in); err != nil {
		adminBadRequest(w, fmt.Errorf("backup: %w", err))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	s.settleLocked(now)
	b, err := s.newAdminBackupLocked(in, now)
	if err != nil {
		adminBadRequest(w, fmt.Errorf("backup: %w", err))
		return
	}
	s.backups = append(s.backups, b)
	s.persistLocked()
	adminJSON(w, http.StatusOK, backupView(b))
}

func (s *Server) newAdminBackupLocked(in AdminBackup, now time.Time) (*Backup, error) {
	if in.InstanceID == "" {
		return nil, errors.New("instance_id is required")
	}
	inst := s.instanceLocked(in.InstanceID)
	if inst == nil {
		return nil, fmt.Errorf("instance_id %q: no such instance", in.InstanceID)
	}
	if in.ID == "" {
		in.ID = newID() + "br01"
	}
	if s.backupLocked(in.ID) != nil {
		return nil, fmt.Errorf("id %q: a backup with this id exists", in.ID)
	}
	if in.Type == "" {
		in.Type = "auto"
	}
	if !slices.Contains([]string{"auto", "manual", "fragment", "incremental"}, in.Type) {
		return nil, fmt.Errorf("type %q: want auto, manual, fragment or incremental", in.Type)
	}
	if in.Status == "" {
		in.Status = backupCompleted
	}
	if !slices.Contains([]string{backupBuilding, backupCompleted, backupFailed, "DELETING"}, in.Status) {
		return nil, fmt.Errorf("status %q: want COMPLETED, BUILDING, FAILED or DELETING", in.Status)
	}
	if in.Size < 0 {
		return nil, errors.New("size must not be negative")
	}
	if in.Size == 0 && in.Status == backupCompleted {
		in.Size = manualBackupSizeKB
	}
	begin, end, err := adminBackupTimes(in, now)
	if err != nil {
		return nil, err
	}
	for i, d := range in.Databases {
		if strings.TrimSpace(d.Name) == "" {
			return nil, fmt.Errorf("databases[%d]: name is required", i)
		}
	}
	if in.Databases == nil {
		for _, d := range inst.Databases {
			in.Databases = append(in.Databases, BackupDatabase{Name: d})
		}
	}
	b := &Backup{
		ID: in.ID, InstanceID: inst.ID, Type: in.Type, Status: in.Status, BeginTime: formatAPITime(begin),
		Size: in.Size, Datastore: BackupDatastore{Type: inst.Datastore.Type, Version: inst.Datastore.Version},
		Databases: in.Databases, Name: in.Name,
	}
	if !end.IsZero() {
		b.EndTime = formatAPITime(end)
	}
	if b.Name == "" {
		b.Name = fmt.Sprintf("%s-%s-%s", inst.Name, in.Type, begin.UTC().Format("20060102150405"))
	}
	return b, nil
}

// adminBackupTimes reads and defaults an added backup's times: end now (none while BUILDING),
// begin five minutes before the end.
func adminBackupTimes(in AdminBackup, now time.Time) (begin, end time.Time, err error) {
	parse := func(name, v string) (time.Time, error) {
		t, err := parseAPITime(v)
		if err != nil {
			return t, fmt.Errorf("%s %q: want 2006-01-02T15:04:05+0000 or RFC 3339", name, v)
		}
		return t, nil
	}
	if in.EndTime != "" {
		if end, err = parse("end_time", in.EndTime); err != nil {
			return
		}
		if in.Status == backupBuilding {
			err = errors.New("end_time: a BUILDING backup has no end time yet")
			return
		}
	} else if in.Status != backupBuilding {
		end = now
	}
	if in.BeginTime != "" {
		if begin, err = parse("begin_time", in.BeginTime); err != nil {
			return
		}
	} else if !end.IsZero() {
		begin = end.Add(-adminBackupLength)
	} else {
		begin = now
	}
	if !end.IsZero() && end.Before(begin) {
		err = fmt.Errorf("end_time %s is before begin_time %s", formatAPITime(end), formatAPITime(begin))
	}
	return
}

// patchInstance answers PATCH /_emulator/instances/{id} with the instance in the seed format.
func (s *Server) patchInstance(w http.ResponseWriter, r *http.Request, id string) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		adminBadRequest(w, err)
		return
	}
	var patch AdminInstancePatch
	if err := strictJSON(data, &patch); err != nil {
		adminBadRequest(w, fmt.Errorf("instance patch: %w", err))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	s.settleLocked(now)
	in := s.instanceLocked(id)
	if in == nil {
		adminJSON(w, http.StatusNotFound, AdminError{Error: fmt.Sprintf("no such instance: %s", id)})
		return
	}
	if err := checkInstancePatch(patch); err != nil {
		adminBadRequest(w, fmt.Errorf("instance %s: %w", id, err))
		return
	}
	if patch.Status != nil {
		in.Status = *patch.Status
	}
	if patch.Tags != nil {
		in.Tags = append([]Tag{}, *patch.Tags...)
	}
	if patch.Databases != nil {
		in.Databases = append([]string{}, *patch.Databases...)
	}
	if patch.RestoreTime != nil || patch.RestoreTimeRelative != nil {
		windows := []RestoreTimeRange{}
		if patch.RestoreTime != nil {
			windows = append(windows, *patch.RestoreTime...)
		}
		if patch.RestoreTimeRelative != nil {
			for _, rw := range *patch.RestoreTimeRelative {
				windows = append(windows, RestoreTimeRange{
					StartTime: now.Add(time.Duration(rw.Start)).UnixMilli(),
					EndTime:   now.Add(time.Duration(rw.End)).UnixMilli(),
				})
			}
		}
		in.RestoreTime = windows
	}
	in.Updated = formatAPITime(now)
	s.persistLocked()
	out := *in
	out.Tags = append([]Tag{}, in.Tags...)
	out.Databases = append([]string{}, in.Databases...)
	out.RestoreTime = append([]RestoreTimeRange{}, in.RestoreTime...)
	adminJSON(w, http.StatusOK, out)
}

// checkInstancePatch refuses what the API could not show: an undocumented status, bad tags,
// an empty or repeated database name, a window that ends before it starts.
func checkInstancePatch(p AdminInstancePatch) error {
	var errs []error
	if p.Status != nil {
		if err := checkInstanceStatus(*p.Status); err != nil {
			errs = append(errs, err)
		}
	}
	if p.Tags != nil {
		if err := checkTags(*p.Tags); err != nil {
			errs = append(errs, err)
		}
	}
	if p.Databases != nil {
		seen := map[string]bool{}
		for i, d := range *p.Databases {
			switch {
			case strings.TrimSpace(d) == "":
				errs = append(errs, fmt.Errorf("databases[%d]: a name is required", i))
			case seen[d]:
				errs = append(errs, fmt.Errorf("databases[%d]: %q is given twice", i, d))
			}
			seen[d] = true
		}
	}
	if p.RestoreTime != nil {
		for i, w := range *p.RestoreTime {
			if w.EndTime < w.StartTime {
				errs = append(errs, fmt.Errorf("restore_time[%d]: end_time %d is before start_time %d", i, w.EndTime, w.StartTime))
			}
		}
	}
	if p.RestoreTimeRelative != nil {
		for i, w := range *p.RestoreTimeRelative {
			if w.End < w.Start {
				errs = append(errs, fmt.Errorf("restore_time_relative[%d]: end %s is before start %s", i, time.Duration(w.End), time.Duration(w.Start)))
			}
			if w.End > 0 {
				errs = append(errs, fmt.Errorf("restore_time_relative[%d]: end %s is in the future; a restorable window ends at the latest now (\"0s\")", i, time.Duration(w.End)))
			}
		}
	}
	if p == (AdminInstancePatch{}) {
		errs = append(errs, errors.New("nothing to change: give status, tags, databases, restore_time or restore_time_relative"))
	}
	return errors.Join(errs...)
}

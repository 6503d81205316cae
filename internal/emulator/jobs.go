package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// jobRetention is how long a job can be queried: the real API forgets jobs after about a month.
const jobRetention = 30 * 24 * time.Hour

// Job status values, as the job query and the task list write them.
const (
	jobRunning   = "Running"
	jobCompleted = "Completed"
	jobFailed    = "Failed"
)

// jobName is the name restore jobs carry (the real name is unconfirmed; clients must not rely on it).
const jobName = "RestoreInstance"

// job is one accepted restore. Its status is computed from the clock, never ticked: a job is
// Running from Created until Created+QueueDelay+Duration (queued at "0%" for QueueDelay, then
// running), then Completed (or Failed when a fail_next_job fault was pending when it was
// accepted). Its effects on the target (RESTORING when it starts, its databases when it ends)
// are applied once each, by settleLocked, the first time the emulator looks after they are
// due; so a restarted emulator (-state) continues a job exactly where the clock says it is.
type job struct {
	ID                 string
	TargetID           string
	SourceID           string
	APIVersion         string // "v3" or "v3.1"
	RestoreType        string // "backup" or "timestamp"
	BackupID           string
	RestoreTime        *int64
	DatabaseName       map[string]string
	RestoreAllDatabase *bool
	Restored           []string // the databases the restore brings (backup's or source's), fixed when accepted
	Created            time.Time
	QueueDelay         time.Duration // queued (target still ACTIVE) this long before it runs
	Duration           time.Duration // how long it runs once it has started
	VisibleAfter       time.Duration
	FailWith           string // the fail_reason it will end with; "" = it completes
	Started            bool   // the target has been made RESTORING for it
	Applied            bool   // its effect on the target is done
}

// start is when the job leaves the queue and the target turns RESTORING.
func (j *job) start() time.Time { return j.Created.Add(j.QueueDelay) }

func (j *job) end() time.Time { return j.start().Add(j.Duration) }

func (j *job) status(now time.Time) string {
	switch {
	case now.Before(j.end()):
		return jobRunning
	case j.FailWith != "":
		return jobFailed
	default:
		return jobCompleted
	}
}

// progress is the integer percentage: 0 while queued, then linear in the time run, 0..99.
func (j *job) progress(now time.Time) int {
	if now.Before(j.start()) {
		return 0
	}
	if j.Duration <= 0 {
		return 99
	}
	p := int(now.Sub(j.start()) * 100 / j.Duration)
	return max(0, min(p, 99))
}

// view is the job as GET /v3/{project_id}/jobs?id= returns it.
func (j *job) view(now time.Time, targetName string) jobWire {
	v := jobWire{
		ID: j.ID, Name: jobName, Status: j.status(now), Created: formatAPITime(j.Created),
		Instance: jobInstanceWire{ID: j.TargetID, Name: targetName}, Entities: map[string]any{},
	}
	if v.Status == jobRunning {
		v.Process = fmt.Sprintf("%d%%", j.progress(now))
	} else {
		v.Ended = formatAPITime(j.end())
	}
	if v.Status == jobFailed {
		v.FailReason = j.FailWith
	}
	return v
}

// usesDatabaseName says whether the job restores named SQL Server databases (which may run
// concurrently on one target).
func (j *job) usesDatabaseName() bool { return len(j.DatabaseName) > 0 }

func (s *Server) jobLocked(id string) *job {
	for _, j := range s.jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

// GET /v3/{project_id}/jobs?id=
func (s *Server) getJob(c *call) (int, any, *apiError) {
	id := c.query.Get("id")
	if id == "" {
		return 0, nil, badParam("Invalid parameter: id is required")
	}
	j := s.jobLocked(id)
	// A job is invisible for a moment after it is accepted, and forgotten after a month.
	if j == nil || c.now.Before(j.Created.Add(j.VisibleAfter)) || c.now.After(j.Created.Add(jobRetention)) {
		return 0, nil, &apiError{http.StatusBadRequest, codeJobNotFound, "The job does not exist: " + id}
	}
	name := ""
	if in := s.instanceLocked(j.TargetID); in != nil {
		name = in.Name
	}
	return http.StatusOK, jobReply{Job: j.view(c.now, name)}, nil
}

// runningJobsLocked lists the jobs on target whose effect is still to come.
func (s *Server) runningJobsLocked(targetID string) []*job {
	var out []*job
	for _, j := range s.jobs {
		if !j.Applied && j.TargetID == targetID {
			out = append(out, j)
		}
	}
	return out
}

// pendingDatabasesLocked are the new database names that running SQL Server restores onto
// target are creating: they already count as taken (A14) and toward the quota (A15).
func (s *Server) pendingDatabasesLocked(targetID string) []string {
	var out []string
	for _, j := range s.runningJobsLocked(targetID) {
		if j.usesDatabaseName() {
			out = append(out, j.sqlServerNames()...)
		}
	}
	return out
}

// splitNewNames reads one value of database_name: comma-separated new names, "" (or only
// blanks) for "keep the original name".
func splitNewNames(original, value string) []string {
	var names []string
	for _, n := range strings.Split(value, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return []string{original}
	}
	return names
}

// sqlServerNames are the databases a SQL Server restore brings onto the target, as the restore API
// defines database_name and restore_all_database:
//   - no database_name: every database of the backup (or, for a point in time, of the source)
//     under its own name, whatever restore_all_database says;
//   - database_name: each named database under its new names ("" keeps the name); with
//     restore_all_database true, every other database of the backup too, under its own name.
func (j *job) sqlServerNames() []string {
	if len(j.DatabaseName) == 0 {
		return append([]string{}, j.Restored...)
	}
	originals := make([]string, 0, len(j.DatabaseName))
	for k := range j.DatabaseName {
		originals = append(originals, k)
	}
	sort.Strings(originals)
	var out []string
	for _, k := range originals {
		out = append(out, splitNewNames(k, j.DatabaseName[k])...)
	}
	if j.RestoreAllDatabase != nil && *j.RestoreAllDatabase {
		for _, d := range j.Restored {
			if _, named := j.DatabaseName[d]; !named {
				out = append(out, d)
			}
		}
	}
	return out
}

// restoredDatabases is what the target holds after j completes. MySQL and PostgreSQL: exactly
// the databases restored (the target's own are replaced). SQL Server: its own databases plus
// the restored ones (one of the same name is overwritten).
func (j *job) restoredDatabases(engine string, existing []string) []string {
	var out []string
	if isSQLServer(engine) {
		out = append(append(out, existing...), j.sqlServerNames()...)
	} else {
		out = append(out, j.Restored...)
	}
	seen := map[string]bool{}
	unique := out[:0]
	for _, n := range out {
		if !seen[n] {
			seen[n] = true
			unique = append(unique, n)
		}
	}
	sort.Strings(unique)
	return unique
}

// settleLocked ends the manual backups due by now (manual_backups.go), starts every queued job
// whose queue delay has passed (its target turns RESTORING), then applies the effect of every
// job that has ended by now, in the order they ended, and persists the state when anything
// changed.
func (s *Server) settleLocked(now time.Time) {
	changed := s.settleBackupsLocked(now)
	for _, j := range s.jobs {
		if !j.Started && !j.Applied && !now.Before(j.start()) {
			s.startLocked(j)
			changed = true
		}
	}
	var due []*job
	for _, j := range s.jobs {
		if !j.Applied && !now.Before(j.end()) {
			due = append(due, j)
		}
	}
	if len(due) == 0 {
		if changed {
			s.persistLocked()
		}
		return
	}
	sort.SliceStable(due, func(a, b int) bool { return due[a].end().Before(due[b].end()) })
	for _, j := range due {
		s.applyLocked(j)
	}
	s.persistLocked()
}

// startLocked takes j out of the queue: its target is RESTORING from now until no job of it runs.
func (s *Server) startLocked(j *job) {
	j.Started = true
	if target := s.instanceLocked(j.TargetID); target != nil {
		target.Status = statusRestoring
		target.Updated = formatAPITime(j.start())
	}
}

// applyLocked finishes a job: a completed restore replaces the target's databases (MySQL,
// PostgreSQL) or adds the restored ones under their new names (SQL Server); a failed one
// changes nothing. The target is ACTIVE again once no other restore runs on it.
func (s *Server) applyLocked(j *job) {
	j.Applied = true
	if t, ok := s.timers[j.ID]; ok {
		t.Stop()
		delete(s.timers, j.ID)
	}
	target := s.instanceLocked(j.TargetID)
	if target == nil {
		return
	}
	if j.FailWith == "" {
		target.Databases = j.restoredDatabases(target.Datastore.Type, target.Databases)
	}
	if len(s.runningJobsLocked(target.ID)) == 0 && target.Status == statusRestoring {
		target.Status = statusActive
	}
	target.Updated = formatAPITime(j.end())
}

// scheduleLocked arms a timer that settles j when it ends, so the state (and the -state file)
// moves on even when no request comes. Correctness never depends on it: every request settles
// first. With an injected clock the timer may fire early or late; it then does nothing harmful.
// A queued job's timer fires when it starts, and arms the next one for its end.
func (s *Server) scheduleLocked(j *job, now time.Time) {
	if s.closed || j.Applied {
		return
	}
	next := j.end()
	if !j.Started {
		next = j.start()
	}
	wait := next.Sub(now) + 10*time.Millisecond
	s.timers[j.ID] = time.AfterFunc(max(wait, 0), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed {
			return
		}
		delete(s.timers, j.ID)
		now := s.clock()
		s.settleLocked(now)
		if _, armed := s.timers[j.ID]; !armed && j.Started && !j.Applied && now.Before(j.end()) {
			s.scheduleLocked(j, now)
		}
	})
}

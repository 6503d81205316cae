package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// State is the emulator's world in the seed format plus its jobs: the reply of
// GET /_emulator/state and the content of the -state file. Credentials appear with their access
// keys only: neither the dump nor the file ever holds a secret key (a restart takes the secrets
// from the seed again).
type State struct {
	Seed
	Jobs []JobRecord `json:"jobs"`
}

// JobRecord is one restore job ever accepted. id, status, instance_id and fail_reason are the
// contract the tests rely on (doc.go, Admin endpoints); the rest lets a restarted emulator
// continue the job.
type JobRecord struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	InstanceID string `json:"instance_id"` // the target
	FailReason string `json:"fail_reason"` // set once the job has Failed
	Name       string `json:"name"`
	Process    string `json:"process"`
	Created    string `json:"created"`
	Ended      string `json:"ended,omitempty"`

	SourceInstanceID   string            `json:"source_instance_id"`
	APIVersion         string            `json:"api_version"`
	RestoreType        string            `json:"restore_type"`
	BackupID           string            `json:"backup_id,omitempty"`
	RestoreTime        *int64            `json:"restore_time,omitempty"`
	DatabaseName       map[string]string `json:"database_name,omitempty"`
	RestoreAllDatabase *bool             `json:"restore_all_database,omitempty"`
	RestoredDatabases  []string          `json:"restored_databases"`
	StartedAt          string            `json:"started_at"`            // RFC 3339 with nanoseconds: "created" drops them
	QueueDelay         Duration          `json:"queue_delay,omitempty"` // queued this long before it ran
	Duration           Duration          `json:"duration"`
	VisibleAfter       Duration          `json:"visible_after"`
	PlannedFailReason  string            `json:"planned_fail_reason,omitempty"` // from a fail_next_job fault
	Started            bool              `json:"started"`                       // out of the queue: the target was made RESTORING
	Applied            bool              `json:"applied"`                       // its effect on the target is done
}

// snapshotLocked builds the State at now (job status and process computed at that moment).
func (s *Server) snapshotLocked(now time.Time) State {
	st := State{Seed: Seed{
		Region: s.region, ProjectID: s.projectID, DomainID: s.domainID, DomainName: s.domainName,
		JobDuration: Duration(s.jobDuration),
		Instances:   []SeedInstance{}, Backups: []Backup{},
	}, Jobs: []JobRecord{}}
	for ak := range s.secrets {
		st.Credentials = append(st.Credentials, Credential{AccessKey: ak})
	}
	sortCredentials(st.Credentials)
	for _, in := range s.instances {
		c := *in
		c.Databases = append([]string{}, in.Databases...)
		c.RestoreTime = append([]RestoreTimeRange{}, in.RestoreTime...)
		c.Nodes = append([]Node(nil), in.Nodes...)
		c.Tags = append([]Tag(nil), in.Tags...)
		st.Instances = append(st.Instances, c)
	}
	for _, b := range s.backups {
		c := *b
		c.Databases = append([]BackupDatabase(nil), b.Databases...)
		st.Backups = append(st.Backups, c)
	}
	for _, j := range s.jobs {
		st.Jobs = append(st.Jobs, j.record(now))
	}
	return st
}

func (j *job) record(now time.Time) JobRecord {
	v := j.view(now, "")
	return JobRecord{
		ID: j.ID, Status: v.Status, InstanceID: j.TargetID, FailReason: v.FailReason,
		Name: v.Name, Process: v.Process, Created: v.Created, Ended: v.Ended,
		SourceInstanceID: j.SourceID, APIVersion: j.APIVersion, RestoreType: j.RestoreType,
		BackupID: j.BackupID, RestoreTime: j.RestoreTime, DatabaseName: j.DatabaseName,
		RestoreAllDatabase: j.RestoreAllDatabase, RestoredDatabases: append([]string{}, j.Restored...),
		StartedAt: j.Created.UTC().Format(time.RFC3339Nano), QueueDelay: Duration(j.QueueDelay), Duration: Duration(j.Duration),
		VisibleAfter: Duration(j.VisibleAfter), PlannedFailReason: j.FailWith, Started: j.Started, Applied: j.Applied,
	}
}

func jobFromRecord(r JobRecord) (*job, error) {
	created, err := time.Parse(time.RFC3339Nano, r.StartedAt)
	if err != nil {
		return nil, fmt.Errorf("job %s: started_at %q: %w", r.ID, r.StartedAt, err)
	}
	if r.ID == "" || r.InstanceID == "" {
		return nil, errors.New("a job needs id and instance_id")
	}
	return &job{
		ID: r.ID, TargetID: r.InstanceID, SourceID: r.SourceInstanceID, APIVersion: r.APIVersion,
		RestoreType: r.RestoreType, BackupID: r.BackupID, RestoreTime: r.RestoreTime,
		DatabaseName: r.DatabaseName, RestoreAllDatabase: r.RestoreAllDatabase, Restored: r.RestoredDatabases,
		Created: created, QueueDelay: time.Duration(r.QueueDelay), Duration: time.Duration(r.Duration),
		VisibleAfter: time.Duration(r.VisibleAfter), FailWith: r.PlannedFailReason, Started: r.Started, Applied: r.Applied,
	}, nil
}

// persistLocked writes the state file, atomically (a temporary file renamed over it) so that a
// crash mid-write leaves the previous state. Errors are logged: the emulator keeps serving.
func (s *Server) persistLocked() {
	if s.statePath == "" {
		return
	}
	data, err := json.MarshalIndent(s.snapshotLocked(s.clock()), "", "  ")
	if err != nil {
		s.logger.Printf("emulator: encode state: %v", err)
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.statePath), filepath.Base(s.statePath)+".tmp*")
	if err != nil {
		s.logger.Printf("emulator: write state: %v", err)
		return
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		_ = os.Remove(tmp.Name())
		s.logger.Printf("emulator: write state: %v", errors.Join(werr, cerr))
		return
	}
	if err := os.Rename(tmp.Name(), s.statePath); err != nil {
		_ = os.Remove(tmp.Name())
		s.logger.Printf("emulator: write state: %v", err)
	}
}

// loadStateFile replaces the seed's world with the one in the state file, when there is one.
func (s *Server) loadStateFile() error {
	data, err := os.ReadFile(s.statePath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: read state: %w", err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("emulator: state %s: %w", s.statePath, err)
	}
	// The file has no secrets: borrow the seed's credentials so the checks pass.
	st.Credentials = []Credential{{AccessKey: "state", SecretKey: "state"}}
	if err := st.Seed.normalize(); err != nil {
		return fmt.Errorf("emulator: state %s: %w", s.statePath, err)
	}
	var jobs []*job
	for _, r := range st.Jobs {
		j, err := jobFromRecord(r)
		if err != nil {
			return fmt.Errorf("emulator: state %s: %w", s.statePath, err)
		}
		jobs = append(jobs, j)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadSeedLocked(&st.Seed)
	s.jobs = jobs
	return nil
}

func sortCredentials(cs []Credential) {
	sort.Slice(cs, func(a, b int) bool { return cs[a].AccessKey < cs[b].AccessKey })
}

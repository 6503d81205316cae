package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Seed is the emulator's starting world, in the JSON format of doc.go (Seed format): instances and
// backups are written the way the API returns them, plus a few emulator-only fields. The state
// dump (GET /_emulator/state) and the -state file use the same format with "jobs" added.
type Seed struct {
	Region    string `json:"region"`
	ProjectID string `json:"project_id"`
	// Credentials are the access keys the emulated gateway accepts.
	Credentials []Credential `json:"credentials"`
	// JobDuration is how long a restore job runs, as a Go duration string ("3s"). Zero: 3s.
	// Options.JobDuration, when set, wins.
	JobDuration Duration       `json:"job_duration,omitempty"`
	Instances   []SeedInstance `json:"instances"`
	Backups     []Backup       `json:"backups"`
	// DomainID and DomainName are the account's, as IAM's GET /v3/auth/domains lists it.
	// Empty: 24 zeros and the project id's first 8 digits, and "hwc-demo".
	DomainID   string `json:"domain_id,omitempty"`
	DomainName string `json:"domain_name,omitempty"`
}

// Credential is one AK/SK pair. String and GoString never show the secret key.
type Credential struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key,omitempty"`
}

func (c Credential) String() string {
	return fmt.Sprintf("Credential{AccessKey: %q, SecretKey: <redacted>}", c.AccessKey)
}

// GoString matches String for %#v.
func (c Credential) GoString() string { return c.String() }

// SeedInstance is an instance as GET /v3/{project_id}/instances returns it, plus the facts the
// emulator keeps that the list reply does not carry.
type SeedInstance struct {
	Instance
	// Collation is an SQL Server instance's collation (e.g. Chinese_PRC_CI_AS). The real API
	// shows it only as the character_set of the instance's databases; so does the emulator.
	// Empty: Chinese_PRC_CI_AS.
	Collation string `json:"collation,omitempty"`
	// LowerCaseTableNames is MySQL's case-sensitivity setting ("0" or "1"), served through the
	// configurations call. Empty: "1", the MySQL default.
	LowerCaseTableNames string `json:"lower_case_table_names,omitempty"`
	// Databases are the names of the databases on the instance.
	Databases []string `json:"databases"`
	// DatabasesQuota is SQL Server's rds_databases_quota (0 = not modelled).
	DatabasesQuota int `json:"databases_quota,omitempty"`
	// RestoreTime are the restorable windows (Unix milliseconds, UTC).
	RestoreTime []RestoreTimeRange `json:"restore_time,omitempty"`
	// RestoreTimeRelative are windows relative to the emulator's clock when the seed is loaded
	// (e.g. {"start":"-168h","end":"-5m"}). A seed file cannot know "now", but a point-in-time
	// demo needs a window ending shortly before it: these are resolved into RestoreTime at load.
	RestoreTimeRelative []RelativeWindow `json:"restore_time_relative,omitempty"`
}

// RelativeWindow is a restorable window as offsets from the load time (negative = in the past).
type RelativeWindow struct {
	Start Duration `json:"start"`
	End   Duration `json:"end"`
}

// Duration is a time.Duration written in JSON as a Go duration string ("3s", "-168h"). A bare
// JSON number is read as seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads "3s" or 3 (seconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*d = 0
			return nil
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("duration must be a string like \"3s\" or a number of seconds: %w", err)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}

// LoadSeed reads and checks a seed file.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed: %w", err)
	}
	var s Seed
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	if err := s.normalize(); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	return &s, nil
}

// clone deep-copies the seed so the emulator never changes the caller's value.
func (s *Seed) clone() (*Seed, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var c Seed
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// normalize fills defaults and rejects a seed the emulator could not serve consistently.
func (s *Seed) normalize() error {
	var errs []error
	if s.Region == "" {
		errs = append(errs, errors.New("region is required"))
	}
	if s.ProjectID == "" {
		errs = append(errs, errors.New("project_id is required"))
	}
	if s.DomainID == "" && len(s.ProjectID) >= 8 {
		s.DomainID = strings.Repeat("0", 24) + s.ProjectID[:8]
	}
	if s.DomainName == "" {
		s.DomainName = "hwc-demo"
	}
	if len(s.Credentials) == 0 {
		errs = append(errs, errors.New("credentials: at least one access_key/secret_key pair is required"))
	}
	for i, c := range s.Credentials {
		if c.AccessKey == "" || c.SecretKey == "" {
			errs = append(errs, fmt.Errorf("credentials[%d]: access_key and secret_key are required", i))
		}
	}
	if s.JobDuration < 0 {
		errs = append(errs, errors.New("job_duration must not be negative"))
	}
	seen := map[string]bool{}
	for i := range s.Instances {
		in := &s.Instances[i]
		if in.ID == "" {
			errs = append(errs, fmt.Errorf("instances[%d]: id is required", i))
			continue
		}
		if seen[in.ID] {
			errs = append(errs, fmt.Errorf("instances[%d]: duplicate id %s", i, in.ID))
		}
		seen[in.ID] = true
		if in.Datastore.Type == "" {
			errs = append(errs, fmt.Errorf("instance %s: datastore.type is required", in.ID))
		}
		if in.Name == "" {
			in.Name = in.ID
		}
		if in.Status == "" {
			in.Status = statusActive
		}
		if err := checkInstanceStatus(in.Status); err != nil {
			errs = append(errs, fmt.Errorf("instance %s: %w", in.ID, err))
		}
		if in.Region == "" {
			in.Region = s.Region
		}
		if in.Type == "" {
			in.Type = "Single"
		}
		if in.TimeZone == "" {
			in.TimeZone = "UTC"
		}
		if isMySQL(in.Datastore.Type) && in.LowerCaseTableNames == "" {
			in.LowerCaseTableNames = "1"
		}
		if err := checkTags(in.Tags); err != nil {
			errs = append(errs, fmt.Errorf("instance %s: %w", in.ID, err))
		}
		for _, w := range in.RestoreTime {
			if w.EndTime < w.StartTime {
				errs = append(errs, fmt.Errorf("instance %s: restore_time window ends before it starts", in.ID))
			}
		}
	}
	seenBackup := map[string]bool{}
	for i := range s.Backups {
		b := &s.Backups[i]
		if b.ID == "" || b.InstanceID == "" {
			errs = append(errs, fmt.Errorf("backups[%d]: id and instance_id are required", i))
			continue
		}
		if seenBackup[b.ID] {
			errs = append(errs, fmt.Errorf("backups[%d]: duplicate id %s", i, b.ID))
		}
		seenBackup[b.ID] = true
		if b.Status == "" {
			b.Status = backupCompleted
		}
		if b.Type == "" {
			b.Type = "manual"
		}
		if b.Name == "" {
			b.Name = b.ID
		}
		// A backup's engine is its instance's unless the seed says otherwise (an orphaned
		// backup of a deleted instance has to say it).
		if b.Datastore.Type == "" {
			for _, in := range s.Instances {
				if in.ID == b.InstanceID {
					b.Datastore = BackupDatastore{Type: in.Datastore.Type, Version: in.Datastore.Version}
				}
			}
		}
		for _, f := range []struct{ name, v string }{{"begin_time", b.BeginTime}, {"end_time", b.EndTime}} {
			if f.v != "" {
				if _, err := parseAPITime(f.v); err != nil {
					errs = append(errs, fmt.Errorf("backup %s: %s %q: want 2006-01-02T15:04:05+0000", b.ID, f.name, f.v))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// resolveRelativeWindows turns restore_time_relative into absolute restore_time at load time.
func (s *Seed) resolveRelativeWindows(now time.Time) {
	for i := range s.Instances {
		in := &s.Instances[i]
		for _, w := range in.RestoreTimeRelative {
			in.RestoreTime = append(in.RestoreTime, RestoreTimeRange{
				StartTime: now.Add(time.Duration(w.Start)).UnixMilli(),
				EndTime:   now.Add(time.Duration(w.End)).UnixMilli(),
			})
		}
		in.RestoreTimeRelative = nil
	}
}

// apiTimeLayout is how the API writes times: 2018-08-06T10:41:14+0000.
const apiTimeLayout = "2006-01-02T15:04:05-0700"

func formatAPITime(t time.Time) string { return t.UTC().Format(apiTimeLayout) }

// parseAPITime reads the API's layout, and RFC 3339 for hand-written seeds.
func parseAPITime(s string) (time.Time, error) {
	if t, err := time.Parse(apiTimeLayout, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// checkTags refuses tags the API could not hold: an empty key, or a key given twice.
func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for i, t := range tags {
		if strings.TrimSpace(t.Key) == "" {
			return fmt.Errorf("tags[%d]: key is required", i)
		}
		if seen[t.Key] {
			return fmt.Errorf("tags[%d]: key %q is given twice (keys are unique per instance)", i, t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func isMySQL(engine string) bool     { return strings.EqualFold(engine, "MySQL") }
func isSQLServer(engine string) bool { return strings.EqualFold(engine, "SQLServer") }

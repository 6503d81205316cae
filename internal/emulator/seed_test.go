package emulator

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// docSeed is the seed format as doc.go (Seed format) shows it.
const docSeed = `{"region": "cn-north-4", "project_id": "p1", "credentials": [{"access_key": "AK1", "secret_key": "SK1"}],
 "job_duration": "3s",
 "instances": [{"id": "i1", "name": "db-1", "status": "ACTIVE", "region": "cn-north-4", "type": "Single",
    "datastore": {"type": "MySQL", "version": "5.7", "complete_version": "5.7.25"},
    "volume": {"type": "CLOUDSSD", "size": 100}, "time_zone": "UTC+08:00",
    "lower_case_table_names": "1", "collation": "Chinese_PRC_CI_AS",
    "tags": [{"key": "env", "value": "prod"}],
    "databases": ["db1"], "databases_quota": 100,
    "restore_time": [{"start_time": 1764000000000, "end_time": 1764100000000}]}],
 "backups": [{"id": "b1", "instance_id": "i1", "name": "bk", "type": "auto", "status": "COMPLETED",
    "begin_time": "2026-11-20T01:00:00+0000", "end_time": "2026-11-20T01:05:00+0000",
    "size": 2048, "datastore": {"type": "MySQL", "version": "5.7"}, "databases": [{"name": "db1"}]}]}`

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadSeed_docFormat(t *testing.T) {
	s, err := LoadSeed(writeFile(t, docSeed))
	if err != nil {
		t.Fatal(err)
	}
	in := s.Instances[0]
	if s.Region != "cn-north-4" || s.ProjectID != "p1" || s.Credentials[0].SecretKey != "SK1" ||
		time.Duration(s.JobDuration) != 3*time.Second || in.ID != "i1" || in.Datastore.CompleteVersion != "5.7.25" ||
		in.Volume.Size != 100 || in.LowerCaseTableNames != "1" || in.Collation != "Chinese_PRC_CI_AS" ||
		in.Databases[0] != "db1" || in.Tags[0] != (Tag{Key: "env", Value: "prod"}) || in.DatabasesQuota != 100 || in.RestoreTime[0].EndTime != 1764100000000 {
		t.Fatalf("seed %+v", s)
	}
	if b := s.Backups[0]; b.ID != "b1" || b.Size != 2048 || b.Databases[0].Name != "db1" || b.BeginTime != "2026-11-20T01:00:00+0000" {
		t.Fatalf("backup %+v", b)
	}

	// It serves: the job duration comes from the seed, the credentials open it.
	clock := &fakeClock{t: time.Date(2025, 11, 25, 0, 0, 0, 0, time.UTC)}
	srv, ts := NewTestServer(t, Options{Seed: s, Clock: clock.Now})
	e := &env{t: t, srv: srv, ts: ts, clock: clock}
	e.creds.AccessKey, e.creds.SecretKey = "AK1", "SK1"
	var r rds.ListInstancesResponse
	e.get("/v3/p1/instances", &r)
	if r.TotalCount != 1 || r.Instances[0].Name != "db-1" {
		t.Fatalf("instances %+v", r)
	}
	if srv.jobDuration != 3*time.Second {
		t.Errorf("job duration %v, want the seed's 3s", srv.jobDuration)
	}
}

func TestLoadSeed_rejects(t *testing.T) {
	cases := map[string]string{
		"not json":           `{`,
		"no region":          `{"project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}]}`,
		"no project":         `{"region":"r","credentials":[{"access_key":"a","secret_key":"s"}]}`,
		"no credentials":     `{"region":"r","project_id":"p"}`,
		"no secret":          `{"region":"r","project_id":"p","credentials":[{"access_key":"a"}]}`,
		"instance id":        `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"datastore":{"type":"MySQL"}}]}`,
		"duplicate instance": `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"id":"i","datastore":{"type":"MySQL"}},{"id":"i","datastore":{"type":"MySQL"}}]}`,
		"no engine":          `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"id":"i"}]}`,
		"backup time":        `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"backups":[{"id":"b","instance_id":"i","begin_time":"yesterday"}]}`,
		"unknown status":     `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"id":"i","status":"FROZE","datastore":{"type":"MySQL"}}]}`,
		"tag without key":    `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"id":"i","tags":[{"key":"","value":"x"}],"datastore":{"type":"MySQL"}}]}`,
		"tag key twice":      `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"instances":[{"id":"i","tags":[{"key":"env","value":"a"},{"key":"env","value":"b"}],"datastore":{"type":"MySQL"}}]}`,
		"bad duration":       `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"job_duration":"soon"}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadSeed(writeFile(t, content)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := LoadSeed(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestLoadSeed_defaultsAndRelativeWindows(t *testing.T) {
	s, err := LoadSeed(writeFile(t, `{"region":"r","project_id":"p","credentials":[{"access_key":"a","secret_key":"s"}],"job_duration":2,
		"instances":[{"id":"i","datastore":{"type":"MySQL","version":"8.0"},"restore_time_relative":[{"start":"-24h","end":"-1m"}]}],
		"backups":[{"id":"b","instance_id":"i"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	in, b := s.Instances[0], s.Backups[0]
	if in.Status != "ACTIVE" || in.Region != "r" || in.Type != "Single" || in.LowerCaseTableNames != "1" || in.Name != "i" {
		t.Errorf("instance defaults %+v", in)
	}
	if b.Status != "COMPLETED" || b.Datastore.Type != "MySQL" || b.Datastore.Version != "8.0" {
		t.Errorf("backup defaults %+v", b)
	}
	if time.Duration(s.JobDuration) != 2*time.Second {
		t.Errorf("job_duration as a number of seconds: %v", time.Duration(s.JobDuration))
	}
	clock := &fakeClock{t: testStart}
	srv, err := New(Options{Seed: s, Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.mu.Lock()
	got := srv.instances[0].RestoreTime
	srv.mu.Unlock()
	want := []RestoreTimeRange{{StartTime: testStart.Add(-24 * time.Hour).UnixMilli(), EndTime: testStart.Add(-time.Minute).UnixMilli()}}
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("windows %+v, want %+v", got, want)
	}
	if len(s.Instances[0].RestoreTime) != 0 {
		t.Error("New changed the caller's seed")
	}
}

func TestDefaultSeed_loads(t *testing.T) {
	s := DefaultSeed()
	if err := s.normalize(); err != nil {
		t.Fatal(err)
	}
	if s.Region != DemoRegion || s.ProjectID != DemoProjectID || s.Credentials[0].AccessKey != DemoAccessKey || s.Credentials[0].SecretKey != DemoSecretKey {
		t.Fatalf("demo identity %+v", s)
	}
	instanceID := regexp.MustCompile(`^[0-9a-f]{32}in0[134]$`)
	instances := map[string]SeedInstance{}
	engines := map[string]int{}
	for _, in := range s.Instances {
		if !instanceID.MatchString(in.ID) {
			t.Errorf("instance id %q is not 32 hex + in01/in03/in04", in.ID)
		}
		instances[in.ID] = in
		engines[in.Datastore.Type]++
		if len(in.RestoreTimeRelative) == 0 {
			t.Errorf("%s has no restore window", in.Name)
		}
	}
	if engines["MySQL"] < 2 || engines["PostgreSQL"] < 2 || engines["SQLServer"] < 2 {
		t.Errorf("engines %v", engines)
	}
	for _, id := range []string{MySQLSourceID, MySQLTargetID, MySQL80ID, MySQLSmallID, PostgreSQLSourceID, PostgreSQLTargetID,
		PostgreSQL14ID, SQLServerSourceID, SQLServerTargetID, SQLServer2014ID, SQLServerUTCID} {
		if _, ok := instances[id]; !ok {
			t.Errorf("constant %s names no instance", id)
		}
	}
	building := 0
	for _, b := range s.Backups {
		in, ok := instances[b.InstanceID]
		if !ok {
			t.Errorf("backup %s of unknown instance %s", b.ID, b.InstanceID)
		}
		if isSQLServer(in.Datastore.Type) && len(b.Databases) == 0 {
			t.Errorf("SQL Server backup %s lists no databases", b.ID)
		}
		if b.Status == "BUILDING" {
			building++
		}
		if began, err := parseAPITime(b.BeginTime); err != nil || began.After(time.Now()) {
			t.Errorf("backup %s begins %q", b.ID, b.BeginTime)
		}
	}
	if building != 1 {
		t.Errorf("%d BUILDING backups, want 1", building)
	}
	for _, in := range s.Instances {
		if isSQLServer(in.Datastore.Type) && (in.Collation == "" || in.DatabasesQuota == 0) {
			t.Errorf("SQL Server %s without collation or quota", in.Name)
		}
	}
	if instances[SQLServerSourceID].TimeZone != "China Standard Time" {
		t.Error("SQL Server source time zone")
	}
}

func TestCredential_neverPrintsSecret(t *testing.T) {
	c := Credential{AccessKey: "AK", SecretKey: "very-secret"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		if strings.Contains(s, "very-secret") {
			t.Errorf("printed %q", s)
		}
	}
}

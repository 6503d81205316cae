package emulator

// An independent client: it signs requests with its own minimal implementation of the
// published algorithm (not the project's signer), with the header set of Huawei's demo,
// content-type;host;x-sdk-date, decodes replies into its own types, and runs on the real clock.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// indepEscape: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, uppercase hex.
func indepEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// indepCanonical builds the canonical request over content-type;host;x-sdk-date.
func indepCanonical(method, path string, query url.Values, contentType, host, date string, body []byte) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = indepEscape(s)
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	var keys []string
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vs := append([]string{}, query[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, indepEscape(k)+"="+indepEscape(v))
		}
	}
	bodyHash := sha256.Sum256(body)
	return strings.Join([]string{
		method, uri, strings.Join(pairs, "&"),
		"content-type:" + contentType + "\nhost:" + host + "\nx-sdk-date:" + date + "\n",
		"content-type;host;x-sdk-date",
		hex.EncodeToString(bodyHash[:]),
	}, "\n")
}

func indepSignature(canonical, date, secret string) string {
	sum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// The independent signer reproduces Huawei's published demo vector (the third vector of
// internal/service/signer's tests) before it is trusted.
func TestIndependentSigner_demoVector(t *testing.T) {
	q, _ := url.ParseQuery("limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
	canonical := indepCanonical("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", q,
		"application/json", "service.region.example.com", "20191115T033655Z", nil)
	sum := sha256.Sum256([]byte(canonical))
	if got := hex.EncodeToString(sum[:]); got != "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a" {
		t.Fatalf("canonical sha256 %s\n%s", got, canonical)
	}
	if got := indepSignature(canonical, "20191115T033655Z", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"); got != "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe" {
		t.Fatalf("signature %s", got)
	}
}

type indepClient struct {
	t      *testing.T
	base   *url.URL
	ak, sk string
	http   *http.Client
}

func (c *indepClient) do(method, pathAndQuery string, body []byte, out any) (int, map[string]any) {
	c.t.Helper()
	u, err := c.base.Parse(pathAndQuery)
	if err != nil {
		c.t.Fatal(err)
	}
	date := time.Now().UTC().Format("20060102T150405Z")
	const ct = "application/json"
	canonical := indepCanonical(method, u.Path, u.Query(), ct, u.Host, date, body)
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Sdk-Date", date)
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host;x-sdk-date, Signature=%s",
		c.ak, indepSignature(canonical, date, c.sk)))
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e map[string]any
		_ = json.Unmarshal(data, &e)
		return resp.StatusCode, e
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, pathAndQuery, err, data)
		}
	}
	return resp.StatusCode, nil
}

func TestServer_independentClient(t *testing.T) {
	_, ts := NewTestServer(t, Options{JobDuration: 300 * time.Millisecond, JobVisibleAfter: 100 * time.Millisecond})
	base, _ := url.Parse(ts.URL)
	c := &indepClient{t: t, base: base, ak: DemoAccessKey, sk: DemoSecretKey, http: ts.Client()}

	// IAM: the project of the region.
	var projects struct {
		Projects []struct{ ID, Name string } `json:"projects"`
	}
	if st, _ := c.do("GET", "/v3/projects?name="+DemoRegion, nil, &projects); st != 200 || len(projects.Projects) != 1 ||
		projects.Projects[0].ID != DemoProjectID || projects.Projects[0].Name != DemoRegion {
		t.Fatalf("projects: %d %+v", st, projects)
	}
	prefix := "/v3/" + DemoProjectID

	// Instances, filtered and paged.
	var list struct {
		Instances []struct {
			ID, Name, Status string
			TimeZone         string `json:"time_zone"`
			Datastore        struct{ Type, Version string }
		} `json:"instances"`
		TotalCount int `json:"total_count"`
	}
	if st, e := c.do("GET", prefix+"/instances?datastore_type=SQLServer&limit=2&offset=0", nil, &list); st != 200 {
		t.Fatalf("instances: %d %v", st, e)
	}
	if list.TotalCount != 4 || len(list.Instances) != 2 {
		t.Fatalf("SQL Server instances: total %d, page %d", list.TotalCount, len(list.Instances))
	}
	for _, in := range list.Instances {
		if in.Datastore.Type != "SQLServer" {
			t.Errorf("instance %+v", in)
		}
	}
	// An SQL Server instance's collation shows as its databases' character_set, as on the real API.
	var sqlDBs struct {
		Databases []struct {
			Name         string
			CharacterSet string `json:"character_set"`
			State        string
		} `json:"databases"`
	}
	c.do("GET", prefix+"/instances/"+SQLServerSourceID+"/database/detail?page=1&limit=100", nil, &sqlDBs)
	if len(sqlDBs.Databases) == 0 {
		t.Fatal("SQL Server source lists no databases")
	}
	for _, d := range sqlDBs.Databases {
		if d.CharacterSet != "Chinese_PRC_CI_AS" || d.State != "Running" {
			t.Errorf("SQL Server database %+v", d)
		}
	}

	// Restore windows end a few minutes before now.
	var windows struct {
		RestoreTime []struct {
			Start int64 `json:"start_time"`
			End   int64 `json:"end_time"`
		} `json:"restore_time"`
	}
	c.do("GET", prefix+"/instances/"+PostgreSQLSourceID+"/restore-time", nil, &windows)
	if len(windows.RestoreTime) != 1 {
		t.Fatalf("windows %+v", windows)
	}
	end := time.UnixMilli(windows.RestoreTime[0].End)
	if d := time.Since(end); d < 4*time.Minute || d > 6*time.Minute {
		t.Errorf("window ends %v before now, want about 5m", d)
	}

	// A point-in-time restore of the PostgreSQL pair, then the job until it completes.
	at := time.Now().Add(-time.Hour).UnixMilli()
	body := []byte(fmt.Sprintf(`{"source":{"instance_id":%q,"type":"timestamp","restore_time":%d},"target":{"instance_id":%q}}`,
		PostgreSQLSourceID, at, PostgreSQLTargetID))
	var accepted struct {
		JobID string `json:"job_id"`
	}
	if st, e := c.do("POST", "/v3.1/"+DemoProjectID+"/instances/recovery", body, &accepted); st != 202 || len(accepted.JobID) != 32 {
		t.Fatalf("restore: %d %v %+v", st, e, accepted)
	}
	var job struct {
		Job struct{ ID, Status, Process, Created, Ended string } `json:"job"`
	}
	st, e := c.do("GET", prefix+"/jobs?id="+accepted.JobID, nil, &job)
	if st != 400 || e["error_code"] != "DBS.200543" {
		t.Fatalf("fresh job: %d %v, want 400 DBS.200543", st, e)
	}
	deadline := time.Now().Add(5 * time.Second)
	for job.Job.Status != "Completed" {
		if time.Now().After(deadline) {
			t.Fatalf("job not completed in time: %+v", job.Job)
		}
		time.Sleep(20 * time.Millisecond)
		if st, _ := c.do("GET", prefix+"/jobs?id="+accepted.JobID, nil, &job); st == 200 && job.Job.Status == "Running" &&
			!strings.HasSuffix(job.Job.Process, "%") {
			t.Fatalf("running job without a percentage: %+v", job.Job)
		}
	}
	if job.Job.Ended == "" || job.Job.ID != accepted.JobID {
		t.Errorf("completed job %+v", job.Job)
	}

	// The target now holds the source's databases.
	var dbs struct {
		Databases []struct{ Name string } `json:"databases"`
	}
	c.do("GET", prefix+"/instances/"+PostgreSQLTargetID+"/database/detail?page=1&limit=10", nil, &dbs)
	var names []string
	for _, d := range dbs.Databases {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "app,billing" {
		t.Errorf("target databases %v, want app,billing", names)
	}

	// A wrong secret is refused the same way.
	c.sk = "not-the-secret"
	if st, e := c.do("GET", prefix+"/instances", nil, nil); st != 401 || e["error_code"] != "APIGW.0301" {
		t.Errorf("bad secret: %d %v", st, e)
	}
}

package rds

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestListAllInstances_followsOffsetPaging(t *testing.T) {
	const total = 250
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path != "/v3/"+testProject+"/instances" {
			t.Errorf("path %s", r.URL.Path)
		}
		if r.URL.Query().Get("datastore_type") != "MySQL" {
			t.Errorf("filter lost: %s", r.URL.RawQuery)
		}
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if lim < 1 || lim > 100 {
			t.Errorf("limit %d", lim)
		}
		var page []Instance
		for i := off; i < min(off+lim, total); i++ {
			page = append(page, Instance{ID: fmt.Sprintf("i%03d", i)})
		}
		writeJSON(w, 200, ListInstancesResponse{Instances: page, TotalCount: total})
	})
	c := newTestClient(t, api.URL)
	all, err := c.ListAllInstances(context.Background(), ListInstancesOptions{DatastoreType: "MySQL"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != total || all[0].ID != "i000" || all[total-1].ID != "i249" || api.count.Load() != 3 {
		t.Fatalf("%d instances in %d requests", len(all), api.count.Load())
	}
}

func TestListAllInstances_stopsOnEmptyPage(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		// A server that claims more than it returns must not make the client loop forever.
		writeJSON(w, 200, ListBackupsResponse{Backups: nil, TotalCount: 1000})
	})
	c := newTestClient(t, api.URL)
	all, err := c.ListAllBackups(context.Background(), ListBackupsOptions{InstanceID: "i1"})
	if err != nil || len(all) != 0 || api.count.Load() != 1 {
		t.Fatalf("%d backups, %d requests, err %v", len(all), api.count.Load(), err)
	}
}

func TestListAllBackups_followsOffsetPaging(t *testing.T) {
	const total = 130
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		q := r.URL.Query()
		if q.Get("instance_id") != "i1" || q.Get("begin_time") != "2020-01-01T00:00:00+0800" || q.Get("end_time") == "" {
			t.Errorf("query %s", r.URL.RawQuery)
		}
		off, _ := strconv.Atoi(q.Get("offset"))
		lim, _ := strconv.Atoi(q.Get("limit"))
		var page []Backup
		for i := off; i < min(off+lim, total); i++ {
			page = append(page, Backup{ID: fmt.Sprintf("b%03d", i), InstanceID: "i1"})
		}
		writeJSON(w, 200, ListBackupsResponse{Backups: page, TotalCount: total})
	})
	c := newTestClient(t, api.URL)
	all, err := c.ListAllBackups(context.Background(), ListBackupsOptions{
		InstanceID: "i1", BeginTime: "2020-01-01T00:00:00+0800", EndTime: "2020-02-01T00:00:00+0800",
	})
	if err != nil || len(all) != total || all[129].ID != "b129" || api.count.Load() != 2 {
		t.Fatalf("%d backups in %d requests, err %v", len(all), api.count.Load(), err)
	}
	if _, err := c.ListBackups(context.Background(), ListBackupsOptions{InstanceID: "i1", BeginTime: "x"}); err == nil {
		t.Fatal("begin_time without end_time must be refused")
	}
}

func TestListAllDatabases_followsPages(t *testing.T) {
	const total = 205
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path != "/v3/"+testProject+"/instances/i1/database/detail" {
			t.Errorf("path %s", r.URL.Path)
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if page < 1 {
			t.Errorf("page %d", page)
		}
		var dbs []Database
		for i := (page - 1) * lim; i < min(page*lim, total); i++ {
			dbs = append(dbs, Database{Name: fmt.Sprintf("db%03d", i)})
		}
		writeJSON(w, 200, ListDatabasesResponse{Databases: dbs, TotalCount: total})
	})
	c := newTestClient(t, api.URL)
	all, err := c.ListAllDatabases(context.Background(), "i1")
	if err != nil || len(all) != total || all[204].Name != "db204" || api.count.Load() != 3 {
		t.Fatalf("%d databases in %d requests, err %v", len(all), api.count.Load(), err)
	}
}

func TestGetInstance_andBackupNotFound(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/instances"):
			// A server that ignores the id filter: only an exact match counts.
			writeJSON(w, 200, ListInstancesResponse{Instances: []Instance{{ID: "other", Status: "ACTIVE"}}, TotalCount: 1})
		case strings.HasSuffix(r.URL.Path, "/backups"):
			writeJSON(w, 200, ListBackupsResponse{Backups: []Backup{{ID: "b-other"}}, TotalCount: 1})
		}
	})
	c := newTestClient(t, api.URL)
	_, err := c.GetInstance(context.Background(), "missing")
	e, ok := err.(*Error)
	if !ok || !e.NotFound() || e.StatusCode != 404 || e.Code != "DBS.200002" {
		t.Fatalf("got %#v", err)
	}
	if in, err := c.GetInstance(context.Background(), "other"); err != nil || in.ID != "other" {
		t.Fatalf("%+v %v", in, err)
	}
	_, err = c.GetBackup(context.Background(), "i1", "b-missing")
	if !IsNotFound(err) || !IsCode(err, "DBS.201010") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.GetInstance(context.Background(), ""); err == nil {
		t.Fatal("an empty id must not list every instance")
	}
}

func TestBuildURL_pathSegmentsAndQueryAreEscaped(t *testing.T) {
	var rawPath, rawQuery string
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		rawPath, rawQuery = r.URL.EscapedPath(), r.URL.RawQuery
		writeJSON(w, 200, RestoreTimeResponse{RestoreTime: []RestoreTimeRange{{StartTime: 1, EndTime: 2}}})
	})
	c := newTestClient(t, api.URL)
	got, err := c.ListRestoreTimes(context.Background(), "a b/c?d", "2026-01-02 x")
	if err != nil || len(got) != 1 || got[0].EndTime != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if rawPath != "/v3/"+testProject+"/instances/a%20b%2Fc%3Fd/restore-time" {
		t.Fatalf("path %s", rawPath)
	}
	if rawQuery != "date=2026-01-02%20x" {
		t.Fatalf("query %s", rawQuery)
	}
}

func TestBuildURL_endpointWithPathPrefix(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path != "/rds/v3/"+testProject+"/instances/i1/configurations" {
			t.Errorf("path %s", r.URL.Path)
		}
		writeJSON(w, 200, ConfigurationsResponse{ConfigurationParameters: []ConfigurationParameter{{Name: "lower_case_table_names", Value: "1"}}})
	})
	c := newTestClient(t, api.URL+"/rds/")
	cfg, err := c.GetConfigurations(context.Background(), "i1")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := cfg.Parameter("lower_case_table_names"); !ok || v != "1" {
		t.Fatalf("%q %v", v, ok)
	}
	if _, ok := cfg.Parameter("absent"); ok {
		t.Fatal("absent parameter")
	}
}

func TestProjectID_lookup(t *testing.T) {
	for _, tc := range []struct {
		name     string
		projects []Project
		want     string
		errHas   string
	}{
		{"one", []Project{{ID: "p-north", Name: "cn-north-4"}, {ID: "p-sub", Name: "cn-north-4_sub"}}, "p-north", ""},
		{"none", nil, "", "no project named"},
		{"several", []Project{{ID: "p1", Name: "cn-north-4"}, {ID: "p2", Name: "cn-north-4"}}, "", "2 projects"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var iamCalls, rdsCalls int
			api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				mu.Lock()
				defer mu.Unlock()
				if r.URL.Path == "/v3/projects" {
					iamCalls++
					if r.URL.Query().Get("name") != "cn-north-4" || r.Header.Get("X-Project-Id") != "" {
						t.Errorf("IAM request %s %v", r.URL.RawQuery, r.Header)
					}
					writeJSON(w, 200, ListProjectsResponse{Projects: tc.projects})
					return
				}
				rdsCalls++
				if r.URL.Path != "/v3/"+tc.want+"/jobs" || r.Header.Get("X-Project-Id") != tc.want {
					t.Errorf("RDS request %s with X-Project-Id %q", r.URL.Path, r.Header.Get("X-Project-Id"))
				}
				jobReply(w, "j1", JobRunning, "1%")
			})
			c := newTestClient(t, api.URL, func(cfg *Config) { cfg.ProjectID = "" })
			// Lazily looked up by the first project-scoped call, once for concurrent callers.
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Add(1)
				go func() { defer wg.Done(); _, errs[i] = c.GetJob(context.Background(), "j1") }()
			}
			wg.Wait()
			for _, err := range errs {
				if tc.errHas == "" && err != nil {
					t.Fatal(err)
				}
				if tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)) {
					t.Fatalf("want %q, got %v", tc.errHas, err)
				}
			}
			if c.ProjectID() != tc.want {
				t.Fatalf("project %q", c.ProjectID())
			}
			if tc.errHas == "" && (iamCalls != 1 || rdsCalls != 4) {
				t.Fatalf("%d IAM calls, %d RDS calls", iamCalls, rdsCalls)
			}
			if tc.errHas != "" && rdsCalls != 0 {
				t.Fatal("no RDS call without a project")
			}
		})
	}
}

func TestNewClient_validates(t *testing.T) {
	for _, cfg := range []Config{
		{Endpoint: "", Credentials: testCreds},
		{Endpoint: "rds.example.com", Credentials: testCreds},
		{Endpoint: "https://rds.example.com?x=1", Credentials: testCreds},
		{Endpoint: "https://rds.example.com", Credentials: testCreds, IAMEndpoint: "::"},
		{Endpoint: "https://rds.example.com"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		} else if strings.Contains(err.Error(), testCreds.SecretKey) {
			t.Errorf("error shows the secret: %v", err)
		}
	}
	c, err := NewClient(Config{Endpoint: "https://rds.example.com/", Credentials: testCreds, Region: "r1"})
	if err != nil || c.Region() != "r1" || c.ProjectID() != "" {
		t.Fatal(c, err)
	}
	if err := c.EnsureProjectID(context.Background()); err == nil || !strings.Contains(err.Error(), "IAM endpoint") {
		t.Fatalf("want a clear error without an IAM endpoint, got %v", err)
	}
}

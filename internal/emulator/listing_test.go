package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

func TestListInstances_pagesAndFilters(t *testing.T) {
	e := newEnv(t, nil)
	all := len(DefaultSeed().Instances)
	cases := []struct {
		query      string
		total, got int
		first      string
	}{
		{"", all, all, MySQLSourceID},
		{"?limit=2", all, 2, MySQLSourceID},
		{"?offset=2&limit=2", all, 2, MySQL80ID},
		{"?offset=100", all, 0, ""},
		{"?id=" + SQLServerTargetID, 1, 1, SQLServerTargetID},
		{"?name=pg12-staging", 1, 1, PostgreSQLTargetID},
		{"?datastore_type=PostgreSQL", 3, 3, PostgreSQLSourceID},
		{"?datastore_type=sqlserver&limit=1&offset=3", 4, 1, SQLServerUTCID},
		{"?type=Ha", 1, 1, MySQLSourceID},
		{"?type=Single&datastore_type=MySQL", 3, 3, MySQLTargetID},
		{"?id=nosuch", 0, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var r rds.ListInstancesResponse
			e.get(p("/v3/{p}/instances"+tc.query), &r)
			if r.TotalCount != tc.total || len(r.Instances) != tc.got {
				t.Fatalf("total %d, page %d; want %d, %d", r.TotalCount, len(r.Instances), tc.total, tc.got)
			}
			if tc.first != "" && r.Instances[0].ID != tc.first {
				t.Errorf("first %s, want %s", r.Instances[0].ID, tc.first)
			}
		})
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?limit=x", "?offset=-1", "?type=Cluster", "?datastore_type=Oracle"} {
		t.Run("bad "+q, func(t *testing.T) {
			status, data := e.request(http.MethodGet, p("/v3/{p}/instances"+q), nil)
			wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
		})
	}

	sqlserver := e.instance(SQLServerSourceID)
	if sqlserver.TimeZone != "China Standard Time" ||
		sqlserver.Datastore.Version != "2017_SE" || sqlserver.Datastore.CompleteVersion != "" {
		t.Errorf("SQL Server instance %+v", sqlserver)
	}
	mysql := e.instance(MySQLSourceID)
	if mysql.Datastore.CompleteVersion != "5.7.25" || mysql.Volume.Size != 100 ||
		mysql.Region != DemoRegion || len(mysql.Nodes) != 2 {
		t.Errorf("MySQL instance %+v", mysql)
	}
}

func TestListBackups_pagesAndFilters(t *testing.T) {
	e := newEnv(t, nil)
	list := func(q string) rds.ListBackupsResponse {
		var r rds.ListBackupsResponse
		e.get(p("/v3/{p}/backups"+q), &r)
		return r
	}
	if r := list("?instance_id=" + MySQLSourceID); r.TotalCount != 3 {
		t.Errorf("MySQL source backups %d, want 3", r.TotalCount)
	}
	if r := list("?instance_id=" + MySQLSourceID + "&backup_type=manual&limit=1"); r.TotalCount != 2 || len(r.Backups) != 1 {
		t.Errorf("manual backups %+v", r)
	}
	r := list("?instance_id=" + MySQLSourceID + "&backup_id=" + MySQLBackupID)
	if r.TotalCount != 1 || r.Backups[0].Status != rds.BackupCompleted || r.Backups[0].Databases != nil {
		t.Errorf("MySQL backup %+v (databases are listed for SQL Server only)", r)
	}
	if r := list("?instance_id=" + MySQLSourceID + "&backup_id=" + MySQLBuildingBackupID); r.Backups[0].Status != "BUILDING" {
		t.Errorf("building backup %+v", r)
	}
	r = list("?instance_id=" + SQLServerSourceID)
	if r.TotalCount != 1 || len(r.Backups[0].Databases) != 3 || r.Backups[0].Datastore.Type != "SQLServer" {
		t.Errorf("SQL Server backup %+v", r)
	}
	if r := list("?instance_id=nosuch"); r.TotalCount != 0 || r.Backups == nil {
		t.Errorf("backups of an unknown instance %+v", r)
	}
	// begin_time/end_time select by when the backup began.
	began, _ := parseAPITime(list("?instance_id=" + MySQLSourceID + "&backup_id=" + MySQLBackupID).Backups[0].BeginTime)
	from := began.Add(-time.Minute).In(time.FixedZone("", 8*3600)).Format(apiTimeLayout)
	to := began.Add(time.Minute).Format(apiTimeLayout)
	if r := list("?instance_id=" + MySQLSourceID + "&begin_time=" + url.QueryEscape(from) + "&end_time=" + url.QueryEscape(to)); r.TotalCount != 1 || r.Backups[0].ID != MySQLBackupID {
		t.Errorf("time range %s..%s: %+v", from, to, r)
	}
	for _, q := range []string{"", "?instance_id=" + MySQLSourceID + "&begin_time=2020-01-01T00:00:00%2B0800",
		"?instance_id=" + MySQLSourceID + "&backup_type=full", "?instance_id=" + MySQLSourceID + "&limit=500",
		"?instance_id=" + MySQLSourceID + "&begin_time=yesterday&end_time=today"} {
		status, data := e.request(http.MethodGet, p("/v3/{p}/backups"+q), nil)
		wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	}
}

func TestRestoreTime_windows(t *testing.T) {
	e := newEnv(t, nil)
	var r rds.RestoreTimeResponse
	e.get(p("/v3/{p}/instances/"+MySQLSourceID+"/restore-time"), &r)
	want := []rds.RestoreTimeRange{
		{StartTime: testStart.Add(-DemoRestoreWindowSpan).UnixMilli(), EndTime: testStart.Add(-DemoRestoreGapStart - DemoRestoreGapLength).UnixMilli()},
		{StartTime: testStart.Add(-DemoRestoreGapStart).UnixMilli(), EndTime: testStart.Add(-DemoRestoreWindowLag).UnixMilli()},
	}
	if !slices.Equal(r.RestoreTime, want) {
		t.Fatalf("windows %+v, want %+v (relative to the clock at load)", r.RestoreTime, want)
	}
	// One day (UTC): windows are cut to it.
	day := testStart.Truncate(24 * time.Hour)
	e.get(p("/v3/{p}/instances/"+PostgreSQLSourceID+"/restore-time?date="+day.Format("2006-01-02")), &r)
	if len(r.RestoreTime) != 1 || r.RestoreTime[0].StartTime != day.UnixMilli() || r.RestoreTime[0].EndTime != testStart.Add(-DemoRestoreWindowLag).UnixMilli() {
		t.Errorf("today's windows %+v", r.RestoreTime)
	}
	e.get(p("/v3/{p}/instances/"+PostgreSQLSourceID+"/restore-time?date=2020-01-01"), &r)
	if r.RestoreTime == nil || len(r.RestoreTime) != 0 {
		t.Errorf("windows of 2020-01-01 %+v, want an empty list", r.RestoreTime)
	}
	status, data := e.request(http.MethodGet, p("/v3/{p}/instances/"+PostgreSQLSourceID+"/restore-time?date=01/01/2020"), nil)
	wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	status, data = e.request(http.MethodGet, p("/v3/{p}/instances/nosuch/restore-time"), nil)
	wantError(t, status, data, http.StatusNotFound, "DBS.200002")
}

func TestListDatabases_andConfigurations(t *testing.T) {
	e := newEnv(t, nil)
	var dbs rds.ListDatabasesResponse
	e.get(p("/v3/{p}/instances/"+SQLServerSourceID+"/database/detail?page=2&limit=2"), &dbs)
	if dbs.TotalCount != 3 || len(dbs.Databases) != 1 || dbs.Databases[0].Name != "inventory" ||
		dbs.Databases[0].State != "Running" || dbs.Databases[0].CharacterSet != "Chinese_PRC_CI_AS" {
		t.Errorf("SQL Server databases page 2: %+v", dbs)
	}
	dbs = rds.ListDatabasesResponse{}
	e.get(p("/v3/{p}/instances/"+MySQLSourceID+"/database/detail?page=1&limit=100"), &dbs)
	if dbs.TotalCount != 3 || dbs.Databases[0].State != "" || dbs.Databases[0].CharacterSet != "utf8mb4" {
		t.Errorf("MySQL databases: %+v", dbs)
	}
	for _, q := range []string{"?page=0&limit=10", "?page=1&limit=0", "?page=1&limit=101"} {
		status, data := e.request(http.MethodGet, p("/v3/{p}/instances/"+MySQLSourceID+"/database/detail"+q), nil)
		wantError(t, status, data, http.StatusBadRequest, "DBS.200001")
	}

	param := func(id, name string) (string, bool) {
		var r rds.ConfigurationsResponse
		e.get(p("/v3/{p}/instances/"+id+"/configurations"), &r)
		for _, c := range r.ConfigurationParameters {
			if c.Name == name {
				return c.Value, true
			}
		}
		return "", false
	}
	if v, ok := param(MySQLSourceID, "lower_case_table_names"); v != "1" || !ok {
		t.Errorf("MySQL 5.7 lower_case_table_names %q %v", v, ok)
	}
	if v, _ := param(MySQL80ID, "lower_case_table_names"); v != "0" {
		t.Errorf("MySQL 8.0 lower_case_table_names %q", v)
	}
	if v, ok := param(SQLServerTargetID, "rds_databases_quota"); v != "100" || !ok {
		t.Errorf("SQL Server rds_databases_quota %q %v", v, ok)
	}
	if _, ok := param(PostgreSQLSourceID, "lower_case_table_names"); ok {
		t.Error("PostgreSQL lists lower_case_table_names")
	}
	status, data := e.request(http.MethodGet, p("/v3/{p}/instances/nosuch/configurations"), nil)
	wantError(t, status, data, http.StatusNotFound, "DBS.200002")
}

func TestListProjects_projects(t *testing.T) {
	e := newEnv(t, nil)
	var r rds.ListProjectsResponse
	e.get("/v3/projects?name="+DemoRegion, &r)
	if len(r.Projects) != 1 || r.Projects[0].ID != DemoProjectID || r.Projects[0].Name != DemoRegion || !r.Projects[0].Enabled {
		t.Errorf("projects %+v", r)
	}
	e.get("/v3/projects?name=ap-southeast-1", &r)
	if r.Projects == nil || len(r.Projects) != 0 {
		t.Errorf("projects of another region %+v, want []", r)
	}
}

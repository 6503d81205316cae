package emulator

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// name and id match exactly, or fuzzily when the value starts with "*".
func TestMatchesIDOrName_instanceNameAndIDFilters(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ query, want string }{
		{"name=mysql57-prod", "mysql57-prod"},
		{"name=mysql57", ""}, // exact: a part of a name matches nothing
		{"name=" + url.QueryEscape("*prod"), "mysql57-prod,mysql80-prod,pg12-prod,pg14-prod,sqlserver-prod"},
		{"name=" + url.QueryEscape("*staging") + "&datastore_type=MySQL", "mysql57-staging"},
		{"name=" + url.QueryEscape("*PG1"), "pg12-prod,pg12-staging,pg14-prod"},
		{"id=" + SQLServerTargetID, "sqlserver-staging"},
		{"id=" + SQLServerTargetID[:10], ""},
		{"id=" + url.QueryEscape("*ae1cfin04"), "sqlserver-staging"},
		{"id=" + url.QueryEscape("*d8e6ca5a624745bcb546a227aa3ae1cf"), "mysql57-prod,sqlserver-staging"},
	} {
		var r rds.ListInstancesResponse
		e.get(p("/v3/{p}/instances?"+tc.query), &r)
		var names []string
		for _, in := range r.Instances {
			names = append(names, in.Name)
		}
		sort.Strings(names)
		if got := strings.Join(names, ","); got != tc.want || r.TotalCount != len(names) {
			t.Errorf("instances?%s = %s (total %d), want %s", tc.query, got, r.TotalCount, tc.want)
		}
	}
}

func TestOffsetLimit_listingQueryBounds(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ path, param string }{
		{"/v3/{p}/instances?limit=0", "limit"},
		{"/v3/{p}/instances?limit=101", "limit"},
		{"/v3/{p}/instances?offset=-1", "offset"},
		{"/v3/{p}/backups?instance_id=" + MySQLSourceID + "&limit=101", "limit"},
		{"/v3/{p}/backups?instance_id=" + MySQLSourceID + "&offset=-1", "offset"},
		{"/v3/{p}/backups?instance_id=" + MySQLSourceID + "&begin_time=2020-01-01T00:00:00%2B0800", "end_time"},
		{"/v3/{p}/backups?instance_id=" + MySQLSourceID + "&end_time=2020-01-01T00:00:00%2B0800", "begin_time"},
		{"/v3/{p}/instances/" + MySQLSourceID + "/database/detail?page=0&limit=10", "page"},
		{"/v3/{p}/instances/" + MySQLSourceID + "/database/detail?page=1&limit=101", "limit"},
	} {
		status, data := e.request(http.MethodGet, p(tc.path), nil)
		eb := wantError(t, status, data, http.StatusBadRequest, codeBadParameter)
		if !strings.Contains(eb.ErrorMsg, tc.param) {
			t.Errorf("%s: error_msg %q does not name %s", tc.path, eb.ErrorMsg, tc.param)
		}
	}
	for _, path := range []string{"/v3/{p}/instances?limit=1", "/v3/{p}/instances?limit=100&offset=0"} {
		if status, data := e.request(http.MethodGet, p(path), nil); status != http.StatusOK {
			t.Errorf("%s = %d %s", path, status, data)
		}
	}
}

// IAM's account listing, which Huawei's official provider reads while it configures.
func TestListDomains_authDomains(t *testing.T) {
	e := newEnv(t, nil)
	var r struct {
		Domains []struct{ ID, Name string } `json:"domains"`
	}
	e.get("/v3/auth/domains", &r)
	if len(r.Domains) != 1 || r.Domains[0].ID == "" || r.Domains[0].Name == "" {
		t.Fatalf("domains %+v", r)
	}
	var projects struct {
		Projects []struct {
			ID       string
			DomainID string `json:"domain_id"`
		} `json:"projects"`
	}
	e.get("/v3/projects?name="+DemoRegion, &projects)
	if len(projects.Projects) != 1 || projects.Projects[0].DomainID != r.Domains[0].ID {
		t.Errorf("the project's domain_id %+v is not the account's %s", projects, r.Domains[0].ID)
	}
}

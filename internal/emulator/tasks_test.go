package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// taskList reads the task list with the given query and decodes it into the emulator's own
// wire type; the raw reply is returned too.
func (e *env) taskList(query string) (listTasksWire, []byte) {
	e.t.Helper()
	status, data := e.request(http.MethodGet, p("/v3/{p}/tasklist?"+query), nil)
	if status != http.StatusOK {
		e.t.Fatalf("tasklist?%s = %d %s", query, status, data)
	}
	var r listTasksWire
	if err := json.Unmarshal(data, &r); err != nil {
		e.t.Fatal(err)
	}
	return r, data
}

func TestListTasks_showsEveryRestoreJobByItsJobID(t *testing.T) {
	e := newEnv(t, nil)
	first := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(11 * time.Second) // the first one completes
	e.fault(map[string]string{"fail_next_job": "disk on fire"})
	second := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(11 * time.Second)
	third := e.mustRestore(backupRestore(PostgreSQLSourceID, PostgreSQLTargetID, PostgreSQLBackupID))
	e.clock.Advance(5 * time.Second)

	all, raw := e.taskList("")
	if all.TotalCount != 3 || len(all.Tasks) != 3 {
		t.Fatalf("total %d, %d tasks: %s", all.TotalCount, len(all.Tasks), raw)
	}
	byID := map[string]taskWire{}
	for _, tk := range all.Tasks {
		byID[tk.ID] = tk
	}
	want := map[string]struct{ status, target, failReason, process string }{
		first:  {"Completed", MySQLTargetID, "", ""},
		second: {"Failed", MySQLTargetID, "disk on fire", ""},
		third:  {"Running", PostgreSQLTargetID, "", "50%"},
	}
	for id, w := range want {
		tk, ok := byID[id]
		if !ok {
			t.Fatalf("job %s is not in the task list: %s", id, raw)
		}
		if tk.Status != w.status || tk.InstanceID != w.target || tk.FailReason != w.failReason || tk.Process != w.process {
			t.Errorf("task %s = %+v, want %+v", id, tk, w)
		}
		if tk.Name != jobName || tk.InstanceName == "" || tk.InstanceStatus == "" {
			t.Errorf("task %s lacks name or instance facts: %+v", id, tk)
		}
		if _, err := time.Parse("2006-01-02T15:04:05-0700", tk.CreateTime); err != nil {
			t.Errorf("create_time %q: %v", tk.CreateTime, err)
		}
		if _, err := time.Parse("2006-01-02T15:04:05-0700", tk.EndTime); err != nil {
			t.Errorf("end_time %q: %v", tk.EndTime, err)
		}
	}
	if all.Tasks[0].ID != third {
		t.Errorf("newest task first: got %s", all.Tasks[0].ID)
	}
	if byID[first].CreateTime != testStart.Format("2006-01-02T15:04:05+0000") ||
		byID[first].EndTime != testStart.Add(10*time.Second).Format("2006-01-02T15:04:05+0000") {
		t.Errorf("first task times %s .. %s", byID[first].CreateTime, byID[first].EndTime)
	}
	if len(all.Actions) != 1 || all.Actions[0] != jobName {
		t.Errorf("actions %v", all.Actions)
	}

	ms := func(d time.Duration) string { return fmt.Sprint(testStart.Add(d).UnixMilli()) }
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"instance_id=" + MySQLTargetID, []string{second, first}},
		{"instance_id=" + PostgreSQLTargetID, []string{third}},
		{"status=Failed", []string{second}},
		{"status=Completed&instance_id=" + MySQLTargetID, []string{first}},
		{"id=" + second, []string{second}},
		{"name=" + jobName + "&status=Running", []string{third}},
		{"name=SomethingElse", nil},
		{"order_id=x", nil},
		{"start_time=" + ms(time.Second) + "&end_time=" + ms(30*time.Second), []string{third, second}},
		{"start_time=" + ms(0) + "&end_time=" + ms(0), []string{first}},
		{"limit=1", []string{third}},
		{"offset=1&limit=1", []string{second}},
		{"offset=5", nil},
	} {
		got, raw := e.taskList(tc.query)
		var ids []string
		for _, tk := range got.Tasks {
			ids = append(ids, tk.ID)
		}
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("tasklist?%s = %v, want %v (%s)", tc.query, ids, tc.want, raw)
		}
	}
	if got, _ := e.taskList("limit=1"); got.TotalCount != 3 {
		t.Errorf("total_count counts every match, not the page: %d", got.TotalCount)
	}

	// For as long as the job query answers: a job older than the retention is gone from both.
	e.clock.Advance(jobRetention)
	if got, raw := e.taskList(""); got.TotalCount != 0 {
		t.Errorf("a task older than the job retention is still listed: %s", raw)
	}
}

func TestListTasks_defaultPageIsTen(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.JobDuration = time.Millisecond })
	for range 12 {
		e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
		e.clock.Advance(time.Second)
	}
	got, _ := e.taskList("")
	if len(got.Tasks) != 10 || got.TotalCount != 12 {
		t.Fatalf("%d tasks of %d; the task list's documented default limit is 10", len(got.Tasks), got.TotalCount)
	}
	if got, _ := e.taskList("limit=50&offset=10"); len(got.Tasks) != 2 {
		t.Fatalf("second page: %d tasks", len(got.Tasks))
	}
}

func TestListTasks_refusesBadQueries(t *testing.T) {
	e := newEnv(t, nil)
	for _, q := range []string{
		"limit=0", "limit=51", "limit=x", "offset=-1", "status=Done",
		"start_time=1", "end_time=1", "start_time=x&end_time=y", "start_time=10&end_time=5",
	} {
		status, data := e.request(http.MethodGet, p("/v3/{p}/tasklist?"+q), nil)
		eb := wantError(t, status, data, http.StatusBadRequest, codeBadParameter)
		param := strings.SplitN(q, "=", 2)[0]
		if !strings.Contains(eb.ErrorMsg, param) {
			t.Errorf("tasklist?%s: the message does not name %s: %s", q, param, eb.ErrorMsg)
		}
	}
}

func TestListTasks_switches(t *testing.T) {
	missing := newEnv(t, func(o *Options) { o.Unconfirmed.TaskListMissing = true })
	status, data := missing.request(http.MethodGet, p("/v3/{p}/tasklist"), nil)
	wantError(t, status, data, http.StatusNotFound, codeNoSuchAPI)

	hidden := newEnv(t, func(o *Options) { o.Unconfirmed.TaskListWithoutRestores = true })
	id := hidden.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	if got, raw := hidden.taskList(""); got.TotalCount != 0 || len(got.Tasks) != 0 || strings.Contains(string(raw), id) {
		t.Fatalf("the task list shows a restore although it must not: %s", raw)
	}
	if j := hidden.job(id); j.ID != id {
		t.Fatalf("the job query still answers: %+v", j)
	}
}

func TestDeleteDatabase_deletes(t *testing.T) {
	e := newEnv(t, nil)
	path := func(in, db string) string { return p("/v3/{p}/instances/" + in + "/database/" + db) }

	status, data := e.request(http.MethodDelete, path(MySQLSourceID, "users"), nil)
	if status != http.StatusOK || strings.TrimSpace(string(data)) != `{"resp":"successful"}` {
		t.Fatalf("delete = %d %s", status, data)
	}
	if got := strings.Join(e.databases(MySQLSourceID), ","); got != "shop,orders" {
		t.Fatalf("databases after the delete: %s", got)
	}
	status, data = e.request(http.MethodDelete, path(MySQLSourceID, "users"), nil)
	eb := wantError(t, status, data, http.StatusBadRequest, codeNoSuchDatabase)
	if !strings.Contains(eb.ErrorMsg, "users") {
		t.Errorf("message does not name the database: %s", eb.ErrorMsg)
	}
	status, data = e.request(http.MethodDelete, path("nosuchinstancein01", "users"), nil)
	wantError(t, status, data, http.StatusNotFound, codeNotFound)

	// SQL Server takes {"is_force_delete": ...}; anything else in the body is refused.
	status, data = e.request(http.MethodDelete, path(SQLServerTargetID, "reporting"), `{"is_force_delete": true}`)
	if status != http.StatusOK {
		t.Fatalf("SQL Server delete with is_force_delete = %d %s", status, data)
	}
	status, data = e.request(http.MethodDelete, path(SQLServerSourceID, "hr"), `{"force": true}`)
	eb = wantError(t, status, data, http.StatusBadRequest, codeBadParameter)
	if !strings.Contains(eb.ErrorMsg, "force") {
		t.Errorf("message does not name the unknown field: %s", eb.ErrorMsg)
	}

	// While a restore runs the target refuses every deletion; afterwards it takes them again.
	e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	status, data = e.request(http.MethodDelete, path(MySQLTargetID, "shop_old"), nil)
	wantError(t, status, data, http.StatusConflict, codeBusy)
	e.clock.Advance(11 * time.Second)
	status, data = e.request(http.MethodDelete, path(MySQLTargetID, "shop"), nil)
	if status != http.StatusOK {
		t.Fatalf("delete after the restore = %d %s", status, data)
	}
	if got := strings.Join(e.databases(MySQLTargetID), ","); got != "orders,users" { // the backup brought shop, orders, users
		t.Fatalf("target databases: %s", got)
	}
}

func TestDeleteDatabase_beingRestoredIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	req := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	req.Source.DatabaseName = map[string]string{"sales": "sales_drill"}
	e.mustRestore(req)
	status, data := e.request(http.MethodDelete, p("/v3/{p}/instances/"+SQLServerTargetID+"/database/sales_drill"), nil)
	eb := wantError(t, status, data, http.StatusConflict, codeBusy)
	if !strings.Contains(eb.ErrorMsg, "sales_drill") {
		t.Errorf("message does not name the database: %s", eb.ErrorMsg)
	}
}

// A job too new for the job query is in the task list already: a client that lost the restore's
// reply can find it there.
func TestListTasks_showsAJobBeforeTheJobQueryDoes(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.JobVisibleAfter = 5 * time.Second })
	id := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	status, data := e.request(http.MethodGet, p("/v3/{p}/jobs?id="+id), nil)
	wantError(t, status, data, http.StatusBadRequest, codeJobNotFound)
	got, raw := e.taskList("instance_id=" + MySQLTargetID)
	if len(got.Tasks) != 1 || got.Tasks[0].ID != id || got.Tasks[0].Status != "Running" {
		t.Fatalf("task list %s", raw)
	}
}

package emulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// sdkModels are the reply models of Huawei's official Go SDK (huaweicloud-sdk-go-v3,
// services/rds/v3/model and services/iam/v3/model), transcribed field by field: facts, kept as
// test data. Each field maps to the model of its value ("" for a scalar or a list of scalars,
// "*" for a free-form object). A field the SDK does not model is not sent by the real API, so a
// reply carrying one fails TestCheckFields_repliesHoldOnlySDKFields.
var sdkModels = map[string]map[string]string{
	"ListInstancesResponse": {"instances": "InstanceResponse", "total_count": ""},
	"InstanceResponse": {
		"id": "", "status": "", "enable_ssl": "", "private_ips": "", "private_dns_names": "", "public_ips": "",
		"type": "", "created": "", "updated": "", "db_user_name": "", "switch_strategy": "", "read_only_by_user": "",
		"maintenance_window": "", "nodes": "NodeResponse", "related_instance": "*", "name": "", "datastore": "Datastore",
		"ha": "*", "port": "", "backup_strategy": "*", "enterprise_project_id": "", "disk_encryption_id": "",
		"flavor_ref": "", "cpu": "", "mem": "", "volume": "Volume", "region": "", "vpc_id": "", "subnet_id": "",
		"security_group_id": "", "charge_info": "*", "time_zone": "", "tags": "TagResponse", "backup_used_space": "",
		"storage_used_space": "", "order_id": "", "associated_with_ddm": "", "alias": "", "max_iops": "",
		"expiration_time": "",
	},
	"TagResponse":  {"key": "", "value": ""},
	"NodeResponse": {"id": "", "name": "", "role": "", "status": "", "availability_zone": ""},
	"Datastore":    {"type": "", "version": "", "complete_version": ""},
	"Volume":       {"type": "", "size": ""},

	"ListBackupsResponse": {"backups": "BackupForList", "total_count": ""},
	"BackupForList": {
		"id": "", "instance_id": "", "name": "", "databases": "BackupDatabase", "begin_time": "", "end_time": "",
		"status": "", "type": "", "size": "", "datastore": "BackupDatastore", "associated_with_ddm": "",
	},
	"BackupDatabase": {"name": ""},

	"CreateManualBackupResponse": {"backup": "BackupInfo"},
	"BackupInfo": {
		"id": "", "instance_id": "", "name": "", "description": "", "databases": "BackupDatabase", "begin_time": "",
		"status": "", "type": "",
	},
	"DeleteManualBackupResponse": {},
	"BackupDatastore":            {"type": "", "version": ""},

	"ListRestoreTimesResponse":          {"restore_time": "GetRestoreTimeResponseRestoreTime"},
	"GetRestoreTimeResponseRestoreTime": {"start_time": "", "end_time": ""},

	"ListJobInfoResponse": {"job": "GetJobInfoResponseBodyJob"},
	"GetJobInfoResponseBodyJob": {
		"id": "", "name": "", "status": "", "created": "", "ended": "", "process": "",
		"instance": "GetTaskDetailListRspJobsInstance", "entities": "*", "fail_reason": "",
	},
	"GetTaskDetailListRspJobsInstance": {"id": "", "name": ""},

	"RestoreExistInstanceResponse": {"job_id": ""},

	"ListTasksResponse": {"total_count": "", "actions": "", "tasks": "Task"},
	"Task": {
		"id": "", "name": "", "instance_id": "", "instance_name": "", "instance_status": "", "order_id": "",
		"process": "", "fail_reason": "", "create_time": "", "end_time": "", "status": "",
	},

	"ListDatabasesResponse":           {"databases": "DatabaseForCreation", "total_count": ""},
	"DatabaseForCreation":             {"name": "", "character_set": ""},
	"ListSqlserverDatabasesResponse":  {"databases": "SqlserverDatabaseForDetail", "total_count": ""},
	"SqlserverDatabaseForDetail":      {"name": "", "character_set": "", "state": ""},
	"ListPostgresqlDatabasesResponse": {"databases": "PgListDatabase", "total_count": ""},
	"PgListDatabase":                  {"name": "", "owner": "", "character_set": "", "collate_set": "", "size": ""},

	"ShowInstanceConfigurationResponse": {
		"datastore_version_name": "", "datastore_name": "", "created": "", "updated": "",
		"configuration_parameters": "ConfigurationParameter",
	},
	"ConfigurationParameter": {
		"name": "", "value": "", "restart_required": "", "readonly": "", "value_range": "", "type": "", "description": "",
	},

	"DeleteDatabaseResponse": {"resp": ""},

	// IAM.
	"KeystoneListProjectsResponse": {"projects": "ProjectResult", "links": "*"},
	"ProjectResult": {
		"is_domain": "", "description": "", "links": "*", "enabled": "", "id": "", "parent_id": "", "domain_id": "", "name": "",
	},
	"KeystoneListAuthDomainsResponse": {"domains": "Domains", "links": "*"},
	"Domains":                         {"enabled": "", "id": "", "name": "", "links": "*", "description": ""},

	// The documented error body (not an SDK model: the SDK parses it by hand).
	"ErrorBody": {"error_code": "", "error_msg": "", "request_id": ""},
}

// checkFields reports every field of v (decoded JSON) that the model does not know, as paths.
func checkFields(v any, model, path string) []string {
	if model == "" || model == "*" {
		return nil
	}
	fields, ok := sdkModels[model]
	if !ok {
		return []string{path + ": no model " + model + " in the test data"}
	}
	var bad []string
	switch x := v.(type) {
	case []any:
		for i, el := range x {
			bad = append(bad, checkFields(el, model, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			child, known := fields[k]
			if !known {
				bad = append(bad, path+"."+k+" (not in "+model+")")
				continue
			}
			bad = append(bad, checkFields(x[k], child, path+"."+k)...)
		}
	default:
		bad = append(bad, fmt.Sprintf("%s: %T where %s is an object", path, v, model))
	}
	return bad
}

func TestCheckFields_repliesHoldOnlySDKFields(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Throttle = 1000 })
	e.fault(map[string]string{"fail_next_job": "disk full"})
	failed := e.mustRestore(backupRestore(MySQLSourceID, MySQLTargetID, MySQLBackupID))
	e.clock.Advance(11 * time.Second)
	sqlReq := backupRestore(SQLServerSourceID, SQLServerTargetID, SQLServerBackupID)
	sqlReq.Source.DatabaseName = map[string]string{"sales": "sales_copy"}
	running := e.mustRestore(sqlReq)
	e.clock.Advance(5 * time.Second)

	type reply struct {
		method, path, body string
		model              string
		want               int
		wantFields         []string // fields the reply must have (the ones this project reads)
	}
	inst := func(id, rest string) string { return "/v3/{p}/instances/" + id + rest }
	replies := []reply{
		{"GET", "/v3/{p}/instances", "", "ListInstancesResponse", 200, []string{"instances", "total_count"}},
		{"GET", "/v3/{p}/backups?instance_id=" + SQLServerSourceID, "", "ListBackupsResponse", 200, []string{"backups", "total_count"}},
		{"GET", "/v3/{p}/backups?instance_id=" + MySQLSourceID, "", "ListBackupsResponse", 200, []string{"backups", "total_count"}},
		{"GET", inst(MySQLSourceID, "/restore-time"), "", "ListRestoreTimesResponse", 200, []string{"restore_time"}},
		{"GET", "/v3/{p}/jobs?id=" + failed, "", "ListJobInfoResponse", 200, []string{"job"}},
		{"GET", "/v3/{p}/jobs?id=" + running, "", "ListJobInfoResponse", 200, []string{"job"}},
		{"GET", "/v3/{p}/tasklist?limit=50", "", "ListTasksResponse", 200, []string{"tasks", "total_count"}},
		{"GET", inst(MySQLSourceID, "/database/detail?page=1&limit=100"), "", "ListDatabasesResponse", 200, []string{"databases", "total_count"}},
		{"GET", inst(SQLServerTargetID, "/database/detail?page=1&limit=100"), "", "ListSqlserverDatabasesResponse", 200, []string{"databases", "total_count"}},
		{"GET", inst(PostgreSQLSourceID, "/database/detail?page=1&limit=100"), "", "ListPostgresqlDatabasesResponse", 200, []string{"databases", "total_count"}},
		{"GET", inst(MySQLSourceID, "/configurations"), "", "ShowInstanceConfigurationResponse", 200, []string{"configuration_parameters"}},
		{"GET", inst(SQLServerSourceID, "/configurations"), "", "ShowInstanceConfigurationResponse", 200, []string{"configuration_parameters"}},
		{"GET", inst(PostgreSQLSourceID, "/configurations"), "", "ShowInstanceConfigurationResponse", 200, []string{"configuration_parameters"}},
		{"DELETE", inst(PostgreSQLSourceID, "/database/billing"), "", "DeleteDatabaseResponse", 200, []string{"resp"}},
		{"POST", "/v3.1/{p}/instances/recovery", restoreBody(fmt.Sprintf(`"instance_id": %q, "backup_id": %q`, MySQLSourceID, MySQLBackupID)),
			"RestoreExistInstanceResponse", 202, []string{"job_id"}},
		{"POST", "/v3/{p}/backups", fmt.Sprintf(`{"instance_id": %q, "name": "manual-1", "description": "d"}`, PostgreSQLTargetID),
			"CreateManualBackupResponse", 200, []string{"backup"}},
		{"POST", "/v3/{p}/backups", fmt.Sprintf(`{"instance_id": %q, "name": "manual-2", "databases": [{"name": "legacy"}]}`, SQLServer2014ID),
			"CreateManualBackupResponse", 200, []string{"backup"}},
		{"GET", "/v3/{p}/backups?instance_id=" + PostgreSQLTargetID, "", "ListBackupsResponse", 200, []string{"backups", "total_count"}},
		{"DELETE", "/v3/{p}/backups/" + SQLServer2014BackupID, "", "DeleteManualBackupResponse", 200, nil},
		{"GET", "/v3/projects?name=" + DemoRegion, "", "KeystoneListProjectsResponse", 200, []string{"projects"}},
		{"GET", "/v3/auth/domains", "", "KeystoneListAuthDomainsResponse", 200, []string{"domains"}},
		{"GET", "/v3/{p}/jobs?id=nosuchjob", "", "ErrorBody", 400, []string{"error_code", "error_msg"}},
		{"GET", "/v3/{p}/nosuchapi", "", "ErrorBody", 404, []string{"error_code", "error_msg", "request_id"}},
	}
	for _, r := range replies {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			var body any
			if r.body != "" {
				body = r.body
			}
			status, data := e.request(r.method, p(r.path), body)
			if status != r.want {
				t.Fatalf("%d %s, want %d", status, data, r.want)
			}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			if bad := checkFields(v, r.model, "reply"); len(bad) > 0 {
				t.Errorf("fields the SDK's %s does not model:\n  %s\nreply: %s", r.model, strings.Join(bad, "\n  "), data)
			}
			obj, _ := v.(map[string]any)
			for _, f := range r.wantFields {
				if _, ok := obj[f]; !ok {
					t.Errorf("reply lacks %s: %s", f, data)
				}
			}
		})
	}
}

// The checker itself: an emulator-only field fails it, at any depth.
func TestCheckFields_catchesUnknownFields(t *testing.T) {
	var v any
	_ = json.Unmarshal([]byte(`{"instances":[{"id":"x","collation":"Chinese_PRC_CI_AS","datastore":{"type":"SQLServer","edition":"EE"}}],"total_count":1}`), &v)
	got := checkFields(v, "ListInstancesResponse", "reply")
	want := []string{"reply.instances[0].collation (not in InstanceResponse)", "reply.instances[0].datastore.edition (not in Datastore)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

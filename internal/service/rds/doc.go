// Package rds is a typed client for the Huawei Cloud RDS API calls this provider needs:
// restore to an existing instance (v3.1), jobs, the task list, instances, backups, restore time
// ranges, databases, instance configurations and the IAM project lookup. The provider never
// builds a URL or parses a reply itself: it calls this package.
//
// This comment is the one place that writes down the facts about the API the client relies
// on. Where a fact could not be confirmed it says so (UNCONFIRMED): the client is written so
// that such a fact can be wrong without breaking a user (it tolerates both shapes, or warns).
// The emulator (internal/emulator) keeps its own, independent copy of the same facts on
// purpose; the documented restore rules are the catalogue in internal/rules/catalogue.go.
//
// # Endpoints and identifiers
//
// RDS is https://rds.{region}.{domain} and IAM https://iam.{region}.{domain}, domain
// myhuaweicloud.com by default (other clouds running the same API use another suffix; both can be
// overridden). A project id is one per region, looked up with GET {iam}/v3/projects?name={region}
// -> {"projects": [{"id", "name"}]}; zero or several matches is an error (projects.go). Instance
// ids look like 32 hex digits plus "in01" (or in03, in04); backup ids like a UUID or 32 hex digits
// plus "br01" (or br04).
//
// # Calls
//
//	POST   /v3.1/{project_id}/instances/recovery           restore (restore.go, types.go RestoreRequest)
//	GET    /v3/{project_id}/jobs?id={job_id}               one job (jobs.go)
//	GET    /v3/{project_id}/tasklist                       every asynchronous task (tasks.go)
//	GET    /v3/{project_id}/instances                      instances (instances.go)
//	GET    /v3/{project_id}/backups?instance_id=           backups of one instance (backups.go)
//	POST   /v3/{project_id}/backups                        manual backup (backups.go)
//	DELETE /v3/{project_id}/backups/{backup_id}            delete a manual backup (backups.go)
//	GET    /v3/{project_id}/instances/{id}/restore-time    restorable windows (backups.go)
//	GET    /v3/{project_id}/instances/{id}/database/detail databases (databases.go)
//	GET    /v3/{project_id}/instances/{id}/configurations  parameters (databases.go)
//	DELETE /v3/{project_id}/instances/{id}/database/{name} drop a database (databases.go)
//
// Restore. The body is {"source": {...}, "target": {"instance_id"}}; source holds instance_id
// (required), type ("backup" or "timestamp"; mandatory in timestamp mode, and always sent),
// backup_id, restore_time (int64 Unix milliseconds, UTC), database_name (a map from an original
// name to a comma-separated list of new names, SQL Server only) and restore_all_database (bool,
// SQL Server only, v3.1 only). The older POST /v3/{project_id}/instances/recovery takes the same
// body without restore_all_database. Success is {"job_id": "..."}, status 202 in one document and
// 200 in another (UNCONFIRMED which): any 2xx is success. The official provider sends
// restore_all_database true to every engine and the API accepts it outside SQL Server; this
// client sends SQL Server-only fields only when the user set them.
//
// Jobs. {"job": {id, name, status (Running | Completed | Failed), created, ended (optional),
// process ("60%" while running, else ""), instance {id, name}, entities, fail_reason}}. A new job
// id cannot be queried for a few seconds, and a job older than about a month no longer can: both
// answer 400 DBS.200543, which is "not yet" or "too old", never "the restore disappeared"
// (CodeJobNotFound). The restore job's name is UNCONFIRMED: nothing depends on it.
//
// Task list. Query offset, limit (1..50, default 10), id, instance_id, order_id, name, status,
// start_time and end_time (UTC, one requires the other) -> {"tasks": [...], "total_count", "actions"};
// each task has id, name, instance_id, instance_name, instance_status, order_id, process,
// fail_reason, create_time, end_time and status. UNCONFIRMED: that a restore is listed there with
// its job id as id. A cloud without the task list (404 APIGW.0101) or without restores in it
// still works: the task list only helps to settle a lost reply and to see a job's end.
//
// Instances. Query id, name (exact, or fuzzy when the value starts with "*"), type
// (Single | Ha | Replica), datastore_type, offset (from 0) and limit (1..100, default 100) ->
// {"instances": [...], "total_count": N}; a listing longer than one page is read page by page
// (pages.go). datastore.type is MySQL, PostgreSQL or SQLServer (compared case-insensitively);
// datastore.complete_version (e.g. 5.7.25) is given for MySQL and PostgreSQL only; the SQL
// Server edition is in datastore.version (2012_WEB, 2017_SE, 2019_EE, ...). volume.size is in
// GB. tags is [{"key", "value"}] (keys unique; an empty list when none). status is one of BUILD, ACTIVE, FAILED, FROZEN, MODIFYING, REBOOTING, RESTORING, BACKING
// UP, STORAGE FULL and a few more; a restore needs the target ACTIVE (StatusActive). time_zone
// is "UTC" or "UTC+08:00" for MySQL and PostgreSQL, a Windows zone name for SQL Server. The
// instance has no collation and no lower_case_table_names field: an SQL Server instance's
// collation is the character_set of its databases, and MySQL's lower_case_table_names is a
// parameter of the configurations reply (where it may be absent: unknown).
//
// Backups. Query instance_id (required), backup_id, backup_type, offset, limit (<= 100),
// begin_time and end_time together -> {"backups": [...], "total_count": N}; each backup has id,
// instance_id, name, type, status (BUILDING | COMPLETED | FAILED | DELETING), size (KB),
// begin_time, end_time, datastore and, for SQL Server only, databases [{"name"}].
//
// Manual backups. POST {"instance_id", "name", "description"?, "databases"? and
// "backup_database_individually"? (SQL Server)} -> 200 {"backup": {id, instance_id, name,
// description, databases, begin_time, status, type}}. name: 4 to 64 characters, starting with a
// letter; letters, digits, "-" and "_"; not unique, so a name with a token of its own lets a lost
// reply be settled by listing the instance's backups. The backup is BUILDING (the instance BACKING
// UP), then COMPLETED or FAILED; waited for by listing with backup_id. DELETE answers 200.
//
// Restore time ranges: date=yyyy-mm-dd (optional, UTC) -> {"restore_time": [{"start_time",
// "end_time"}]} in Unix milliseconds, UTC.
//
// Databases: page (from 1) and limit (1..100) -> {"databases": [...], "total_count": N}; items
// have name and character_set (SQL Server also state). The database quota
// (rds_databases_quota) has no documented call (UNCONFIRMED): it is read as a configurations
// parameter when listed. Dropping answers {"resp": "successful"}.
//
// # Times
//
// The API writes times as "2018-08-06T10:41:14+0000" (TimeLayout; the task list writes the same
// with another offset such as +0800) and takes begin_time and end_time of the backup listing in
// that layout; ParseTime reads it, and RFC 3339 as well. Restore times and windows are Unix
// milliseconds. The request signature's X-Sdk-Date has its own layout (signer.DateFormat).
//
// # Errors
//
// The body is {"error_code": "DBS.200022", "error_msg": "..."} (gateway errors add request_id);
// some newer endpoints write {"errCode", "externalMessage"}, and IAM a Keystone-style
// {"error": {"code", "message"}}: parseError reads all three (errors.go). The codes the client
// and its callers act on are named in errors.go, each with the reason; the codes the API
// answers for a broken restore rule are on the rules (internal/rules/findings.go). Gateway
// codes: APIGW.0301 (401) a bad signature or an expired token (five bad signatures in a row
// lock the access key for five minutes), APIGW.0307 (401) the token must be renewed, APIGW.0101
// (404) no such API, APIGW.0308 (429) throttled. Every 401 ends with the caller's
// Config.AuthHint, which names where the credentials come from.
//
// # Throttling
//
// RDS allows 60 calls a minute per user (8,000 a minute per API overall). Over it: 429 with
// APIGW.0308. Whether Retry-After is sent is UNCONFIRMED: it is honoured when present, else the
// client backs off with jitter (retry.go). Limiter keeps a whole provider process inside the
// per-user budget (limiter.go).
//
// # Signing
//
// Requests are signed with AK/SK, SDK-HMAC-SHA256 (package internal/service/signer, whose
// comment has the algorithm and whose tests hold its test vectors); temporary credentials add
// X-Security-Token, and the project travels as X-Project-Id. A request dated more than 15
// minutes off the gateway's clock is refused.
package rds

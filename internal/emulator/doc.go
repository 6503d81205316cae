// Package emulator is a local stand-in for the Huawei Cloud RDS API and the IAM project lookup
// and account listing: the same paths, query parameters, reply shapes, status codes and error
// bodies, AK/SK signature checks, restore jobs that take time and really change the target,
// per-key throttling, and admin endpoints under /_emulator/ for tests.
//
// It is an independent implementation of the API, written from Huawei's API documentation and the
// official SDK's models, and it keeps its own copy of every API fact on purpose: its wire types
// (wire.go, request.go), its paths (routes.go), its error codes (replies.go), the API's time layout
// (apiTimeLayout in seed.go), paging (paging.go) and its context-aware sleep (sleepCtx in
// server.go). It imports nothing of the provider's client (internal/service/rds,
// internal/service/restore; imports_test.go enforces it), so a fact the client gets wrong (a JSON
// tag, a path, a layout) fails a test instead of passing on both sides. The client's copy of the
// same facts is the package doc of internal/service/rds. Replies carry only fields the SDK models
// (replyfields_test.go holds them to the SDK's field lists). Request bodies are checked against a
// schema: an unknown field, a wrong JSON type or a missing required field is 400 DBS.200001 naming
// the field (Options.IgnoreUnknownFields lets unknown fields through). Restores are validated by
// the project's rules package, the code the provider runs at plan time, so the emulator refuses
// what the real API refuses, with the API's codes (each rule's APICode,
// internal/rules/findings.go); the rule ids are left out of error_msg, as no real reply names them.
//
// # API
//
//	POST /v3.1/{project_id}/instances/recovery          restore (202 {"job_id": "<32 hex>"})
//	POST /v3/{project_id}/instances/recovery            the older form (no restore_all_database)
//	GET  /v3/{project_id}/jobs?id=
//	GET  /v3/{project_id}/tasklist                      offset, limit (1..50), id, instance_id, order_id,
//	                                                    name, status, start_time+end_time (ms)
//	GET  /v3/{project_id}/instances                     id, name (exact, or fuzzy with a leading "*"),
//	                                                    type, datastore_type, offset, limit
//	GET  /v3/{project_id}/backups                       instance_id (required), backup_id, backup_type,
//	                                                    begin_time+end_time, offset, limit
//	POST /v3/{project_id}/backups                       manual backup: {instance_id, name, description?,
//	                                                    databases?, backup_database_individually?}
//	                                                    -> 200 {"backup": {...}}
//	DELETE /v3/{project_id}/backups/{backup_id}         a manual backup -> 200 {}
//	GET  /v3/{project_id}/instances/{id}/restore-time   date=yyyy-mm-dd (UTC, optional)
//	GET  /v3/{project_id}/instances/{id}/database/detail  page (from 1), limit (1..100)
//	DELETE /v3/{project_id}/instances/{id}/database/{db_name}  {"resp": "successful"}
//	GET  /v3/{project_id}/instances/{id}/configurations
//	GET  /v3/projects?name={region}                     IAM
//	GET  /v3/auth/domains                               IAM: the seed's account
//
// Every API request must carry a valid SDK-HMAC-SHA256 signature over any header set that
// includes x-sdk-date, dated within 15 minutes of the emulator's clock; otherwise 401
// APIGW.0301. An unknown path (or a known path with another method) is 404 APIGW.0101.
//
// # Modelling choices
//
//   - A project id in the path other than the seed's is 400 DBS.200001 (the API exists; its
//     parameter is wrong).
//   - An unknown instance on the per-instance GET calls is 404 DBS.200002. Listing backups does
//     not check the instance (backups outlive a deleted instance): no match is an empty list.
//   - Jobs are computed from the clock: Running with process "0%".."99%" (linear), then Completed
//     (or Failed after a fail_next_job fault) once the job duration has passed; ended = created +
//     queue delay + duration. With Options.JobQueueDelay (-job-queue-delay) a job first sits
//     queued that long: Running at "0%", listed by the task list, its target still ACTIVE but
//     busy for another restore (409 DBS.200011, as the API has the job); then the target turns
//     RESTORING and the duration runs. A new job answers 400 DBS.200543 for Options.JobVisibleAfter, and again once it
//     is 30 days old. The target is RESTORING while any of its jobs runs and refuses other
//     restores with 409 DBS.200011, except that a SQL Server target busy only with restores that
//     use database_name takes more of them; names being created count as taken (DBS.201035) and
//     are listed by database/detail with state "Creating". A failed job leaves the databases as
//     they were. Restore jobs are named "RestoreInstance" (the real name is unconfirmed).
//   - An instance's status is one the API documents (states.go; a seed or an admin call with
//     another is refused). A restore onto a target that is not ACTIVE is refused: 409
//     DBS.200011 (busy) for the transient states (BACKING UP, MODIFYING, ...); for the states an
//     instance does not leave by itself, 400 DBS.201014 (FROZEN), 400 DBS.200086 (FAILED,
//     CREATE FAIL, SHUTDOWN) and 409 DBS.200316 (STORAGE FULL): the documents give two codes for
//     "status does not allow the operation" without saying which state gets which, so both occur.
//   - A finished restore sets the target's databases: MySQL and PostgreSQL take the backup's
//     list (or the source's, for point in time, as it was when the restore was accepted); SQL
//     Server keeps its databases and adds the restored ones: without database_name every
//     database under its own name; with it the named ones under their new names, and with
//     restore_all_database true every other database of the backup as well.
//   - A manual backup (POST backups) is BUILDING, its instance BACKING UP (busy: a restore onto
//     it or another backup is 409 DBS.200011), for Options.BackupDuration (-backup-duration,
//     default 2 s); then COMPLETED (FAILED after a fail_next_backup fault), with an end time and
//     a size, and the instance ACTIVE. It holds the instance's databases as they were (for SQL
//     Server with "databases", those only): restoring it undoes what came after. The name is 4
//     to 64 characters, starting with a letter, of letters, digits, "-" and "_" (else 400
//     DBS.200001); databases and backup_database_individually are SQL Server's. Only a manual
//     backup can be deleted (an automated one is 400 DBS.200001), not while BUILDING (409
//     DBS.201205) nor while a restore reads it (409 DBS.200011); an unknown one is 404 DBS.201010.
//   - restore_all_database outside SQL Server is accepted and ignored (the real API does so).
//     In timestamp mode type is mandatory.
//   - Every restore job is a task of the task list (its id is the job id) for as long as the
//     job query answers. Options.Unconfirmed chooses the answers the API's documents do not
//     confirm: restore reply 200 instead of 202, 429 without Retry-After, the task list missing
//     (404 APIGW.0101) or without restores; Options.JobVisibleAfter is the fifth.
//   - An SQL Server instance's collation (a seed fact) shows only as its databases'
//     character_set; the instance list has no collation and no lower_case_table_names.
//   - Backups list "databases" for SQL Server only; a seed may give them for other engines too,
//     and the emulator then uses them as what a restore of that backup brings.
//   - configurations lists lower_case_table_names for MySQL and, as an emulator model,
//     rds_databases_quota for SQL Server (when the seed gives databases_quota).
//   - Sending restore_all_database to /v3/ is 400 DBS.200001 (an unknown field there), so a
//     client that believes it had an effect finds out.
//   - Throttling (Options.Throttle > 0) is a sliding one-minute window per access key, counting
//     the requests let through: 429 APIGW.0308 with Retry-After in whole seconds (unless
//     Unconfirmed.NoRetryAfter).
//
// # Seed format
//
// JSON; instances and backups are written the way the API returns them, plus emulator-only
// fields (see Seed, SeedInstance):
//
//	{"region": "cn-north-4", "project_id": "...", "credentials": [{"access_key": "...", "secret_key": "..."}],
//	 "job_duration": "3s",
//	 "instances": [{"id": "...", "name": "...", "status": "ACTIVE", "region": "cn-north-4", "type": "Single",
//	    "datastore": {"type": "MySQL", "version": "5.7", "complete_version": "5.7.25"},
//	    "volume": {"type": "CLOUDSSD", "size": 100}, "time_zone": "UTC+08:00",
//	    "lower_case_table_names": "1", "collation": "Chinese_PRC_CI_AS",  (both seed-only facts)
//	    "tags": [{"key": "env", "value": "prod"}],
//	    "databases": ["db1"], "databases_quota": 100,
//	    "restore_time": [{"start_time": 1764000000000, "end_time": 1764100000000}],
//	    "restore_time_relative": [{"start": "-168h", "end": "-5m"}]}],
//	 "backups": [{"id": "...", "instance_id": "...", "name": "...", "type": "auto", "status": "COMPLETED",
//	    "begin_time": "2026-11-20T01:00:00+0000", "end_time": "2026-11-20T01:05:00+0000",
//	    "size": 2048, "datastore": {"type": "MySQL", "version": "5.7"}, "databases": [{"name": "db1"}]}]}
//
// restore_time_relative windows are offsets from the emulator's clock when the seed is loaded
// and are added to restore_time then, so a seed file can offer a window ending just before
// "now". tags are listed on every instance as the API does (an empty list when none; keys unique
// per instance); the built-in seed tags its "-prod" instances env=prod and its "-staging" ones
// env=staging. Defaults: status ACTIVE, region the seed's, type Single, time_zone UTC,
// lower_case_table_names "1" (MySQL); a backup's status COMPLETED, type manual, datastore its
// instance's. A manual backup being built keeps description, completes_at and
// planned_fail_reason in the state (never listed), so a restart goes on with it; once it has
// ended, ended_at (RFC 3339, nanoseconds; never listed) says when.
//
// # Admin endpoints (unsigned; the contract tests rely on)
//
//	GET    /_emulator/health    200 {"status": "ok", "version": "..."} once it serves (readiness)
//	GET    /_emulator/requests  JSON array: method, path, query (raw), status, error_code, time
//	                            (RFC 3339, nanoseconds), plus access_key, fault, effect_status
//	DELETE /_emulator/requests  clear the log
//	GET    /_emulator/state     the seed format (secret keys left out) plus "jobs": id, status,
//	                            instance_id (the target), fail_reason, and what a restart needs
//	POST   /_emulator/faults    a Fault object or an array of them (see Fault); 200, or 400
//	GET    /_emulator/faults    the faults still pending
//	DELETE /_emulator/faults    clear them all, fail_next_job and fail_next_backup included
//	POST   /_emulator/backups   add a backup (AdminBackup): {"instance_id": "..."} plus optional
//	                            id, name, type (auto), status (COMPLETED), begin_time, end_time
//	                            (now; begin 5 minutes before), size, databases ([{"name": ...}],
//	                            default the instance's now); 200 with the backup as listed
//	PATCH  /_emulator/instances/{id}  change the instance (AdminInstancePatch): any of status,
//	                            tags, databases, restore_time, restore_time_relative (windows
//	                            from now, e.g. {"start": "-24h", "end": "0s"}: ending now); each
//	                            given replaces; 200 with the instance in the seed format
//
// Admin validation errors are 400 {"error": "..."} naming the field; an unknown instance in the
// PATCH path is 404.
//
// A faulted request is still logged: with the injected status and error code for a status
// fault, with status 0 when the connection was dropped (before or after; effect_status then
// tells the status the request had inside the emulator).
//
// # Persistence
//
// With Options.StatePath the state (instances, backups, jobs, windows) is written after each
// change, atomically, without secret keys, and read back at start: a restart in the middle of
// a job continues it. The credentials always come from the seed.
package emulator

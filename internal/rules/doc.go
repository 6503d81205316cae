// Package rules holds every documented rule of "restore to an existing DB instance" (Huawei's
// page for POST /v3.1/{project_id}/instances/recovery, the API this provider implements) as
// plain functions over plain types: no Terraform, no network. The provider runs them at plan
// time (and at apply time for ids that were unknown at plan), and the emulator runs the same
// rules to reject what the real API rejects, so the two can never disagree.
//
// Every rule (S1-S12 static, A1-A18 API) is one entry of the catalogue (catalogue.go): its id,
// its documentation, from which the resource page's rule tables are generated, and its check.
// A comment anywhere in the repository that names a rule ("rule S12", "A14") means that entry.
// The SQL Server version table of rule A5 is data in sqlserver.go; the page's worked examples of
// database_name are test cases (dbnames_test.go).
//
// Principles every rule follows:
//   - A plan is never rejected for something the API would accept. Where the documents are
//     ambiguous, or a fact is missing (an unknown version, a field the API does not send), the
//     rule warns instead of failing.
//   - A rule that cannot be checked at plan time (an id another resource creates) is checked at
//     apply time, just before the API is called, with the same message (Phase).
//   - Every finding names the attribute, the rule and the values that broke it, and says what
//     to do.
package rules

package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Attribute names: the top-level arguments of the restore resource that a finding can point at.
const (
	AttrSourceInstanceID   = "source_instance_id"
	AttrTargetInstanceID   = "target_instance_id"
	AttrType               = "type"
	AttrBackupID           = "backup_id"
	AttrRestoreTime        = "restore_time"
	AttrDatabaseName       = "database_name"
	AttrRestoreAllDatabase = "restore_all_database"
	// AttrDropPreviousDatabases is the resource's opt-in to drop the databases its previous
	// restore created before restoring again (named by A14's messages).
	AttrDropPreviousDatabases = "drop_previous_databases"
)

// API error codes the real service answers for the violations these rules describe (the API's
// documented codes; the client's own catalogue of the codes it acts on is in
// internal/service/rds/errors.go). The emulator answers with the same code and HTTP status, so
// a test that passes against it should fail the same way against the cloud.
const (
	CodeParameter        = "DBS.200001" // 400: any parameter error without a more specific code
	CodeTargetNotFound   = "DBS.200002" // 404: the (target) instance does not exist
	CodeSourceNotFound   = "DBS.200013" // 404: the original instance does not exist
	CodeBusy             = "DBS.200011" // 409: the instance is busy
	CodeVersionMismatch  = "DBS.200037" // 400: engine or versions inconsistent
	CodeBackupNotFound   = "DBS.201010" // 404: no such backup
	CodeBackupUnusable   = "DBS.201203" // 400: backup file missing (failed, deleting, ...)
	CodeBackupInProgress = "DBS.201205" // 409: backup still being built
	CodeNameTaken        = "DBS.201035" // 400: new name equals an original or target database name
	CodeNoSuchDatabase   = "DBS.280128" // 400: no such database
)

// Check runs every rule: CheckStatic (with f.Now, or the wall clock when f.Now is zero) and
// then CheckAPI. It is what the emulator needs to answer a restore request in one call.
func Check(req Request, f Facts) []Finding {
	now := f.Now
	if now.IsZero() {
		now = time.Now()
	}
	// CheckAPI can add static rules that need facts (S10 on a case-insensitive instance), so the
	// two lists are merged back into rule order.
	c := collector{list: append(CheckStatic(req, now), CheckAPI(req, f)...)}
	return c.sorted()
}

// HasErrors reports whether any finding is an Error (the plan, or the API call, must fail).
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// FirstError returns the first Error finding, which the emulator turns into its answer.
func FirstError(fs []Finding) (Finding, bool) {
	for _, f := range fs {
		if f.Severity == Error {
			return f, true
		}
	}
	return Finding{}, false
}

// collector gathers findings while the rules run and returns them in rule order.
type collector struct{ list []Finding }

// fail records an Error. Every error carries the API's code and status so the emulator can
// answer exactly as the cloud would.
func (c *collector) fail(rule, attr, summary, code string, status int, format string, args ...any) {
	c.list = append(c.list, Finding{
		Rule: rule, Severity: Error, Attribute: attr, Summary: summary,
		Detail:  fmt.Sprintf(format, args...) + " (rule " + rule + ")",
		APICode: code, HTTPStatus: status,
	})
}

// param records an Error the API answers as a plain parameter error (DBS.200001, 400).
func (c *collector) param(rule, attr, summary, format string, args ...any) {
	c.fail(rule, attr, summary, CodeParameter, 400, format, args...)
}

// warn records a Warning: the API may accept it, or a fact needed to decide is unknown.
func (c *collector) warn(rule, attr, summary, format string, args ...any) {
	c.list = append(c.list, Finding{
		Rule: rule, Severity: Warning, Attribute: attr, Summary: summary,
		Detail: fmt.Sprintf(format, args...) + " (rule " + rule + ")",
	})
}

// sorted returns the findings ordered by rule id (stable: within a rule, the order the checks
// produced them in, which always walks map keys sorted).
func (c *collector) sorted() []Finding {
	sort.SliceStable(c.list, func(i, j int) bool {
		return ruleRank[c.list[i].Rule] < ruleRank[c.list[j].Rule]
	})
	return c.list
}

// quoteList renders names for a message: "A", "B" and "C".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

package provider_test

// End-to-end tests of the documented restore rules (the catalogue in internal/rules/catalogue.go):
// for every rule id, a
// configuration that breaks it and one that passes, through the CLI against the emulator. The
// rules package's unit tests cover each rule's logic; these show that each one reaches the user
// as an error on the right attribute, with the values involved and the rule id, before anything
// is submitted. This file holds the shared table runner and the static rules S1-S12.

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// ruleCase is one rule of the table: configurations that break it (each must fail before anything
// is submitted) and configurations that pass it (each must plan, some are applied).
type ruleCase struct {
	rule string // rule id, e.g. "S10"
	// seed changes the built-in seed for this rule (nil: the built-in seed as it is).
	seed func(*emulator.Seed)
	fail []ruleStep
	pass []ruleStep
}

// ruleStep is one configuration of a rule case.
type ruleStep struct {
	args []string // arguments of hwc_rds_instance_restore.test
	// err must match the error of a failing step (build it with ruleError).
	err *regexp.Regexp
	// static: the rule needs only the configuration, so the step must fail without a single API
	// request (the emulator's request log is cleared before it and checked after it).
	static bool
	// apply: apply a passing step instead of only planning it (the restore is then submitted once).
	apply bool
	// checks run on the plan of a passing step.
	checks []plancheck.PlanCheck
	// warn, on a passing step, is the warning the rule gives by design (build it with
	// ruleWarning): the step breaks the rule without failing. A passing step without it must
	// give no warning of the case's rule at all.
	warn *regexp.Regexp
	// provider: extra lines of the provider block (e.g. the guard's protected_tags).
	provider []string
}

// ruleConfig is a step's configuration.
func ruleConfig(env *acctest.Env, s ruleStep) string {
	return env.ProviderBlock(s.provider...) + "resource \"hwc_rds_instance_restore\" \"test\" {\n  " +
		strings.Join(s.args, "\n  ") + "\n}\n"
}

// ruleError matches one error diagnostic as the CLI prints it: the summary, the attribute it
// points at (the CLI quotes that attribute's line of the configuration; an attribute that is not
// in the configuration is written "(absent) name", and the CLI then quotes the resource's first
// line), the phrases of the detail in order (the values involved), and the "(Rule X" mention the
// provider appends. Whitespace in a phrase matches any whitespace, as the CLI wraps long lines.
func ruleError(rule, summary, attribute string, phrases ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + ruleErrorPattern(rule, summary, attribute, phrases...))
}

// ruleErrors matches several errors, in the order the CLI prints them.
func ruleErrors(patterns ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.Join(patterns, `.*?`))
}

func ruleErrorPattern(rule, summary, attribute string, phrases ...string) string {
	return diagPattern(summary, attribute, phrases...) + `.*?\(Rule\s+` + regexp.QuoteMeta(rule) + `\s+of`
}

// diagPattern is ruleErrorPattern without the rule mention.
func diagPattern(summary, attribute string, phrases ...string) string {
	var b strings.Builder
	b.WriteString(`Error: ` + loose(summary) + `\s+with hwc_rds_instance_restore\.test,\s+on [^\n]* line \d+, in resource "hwc_rds_instance_restore" "test":\s+\d+:\s+`)
	if strings.HasPrefix(attribute, "(absent) ") {
		b.WriteString(`resource "hwc_rds_instance_restore" "test" \{`)
	} else {
		b.WriteString(regexp.QuoteMeta(attribute) + `\s*=`)
	}
	for _, p := range phrases {
		b.WriteString(`.*?` + loose(p))
	}
	return b.String()
}

// loose quotes s for a regexp in which each run of whitespace matches any run of whitespace.
func loose(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`)
}

// label is how the rules' messages name an instance: its id, quoted, and its name.
func label(id, name string) string { return fmt.Sprintf("%q (%s)", id, name) }

// runRuleCases runs each case as a parallel subtest with its own emulator: the failing steps
// first (PlanOnly, each expecting its error, with zero submissions after each), then the passing
// steps (planned, or applied).
func runRuleCases(t *testing.T, cases []ruleCase) {
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			var seed *emulator.Seed
			if c.seed != nil {
				seed = emulator.DefaultSeed()
				c.seed(seed)
			}
			env := acctest.New(t, acctest.Options{Seed: seed})
			env.RequireEmulator(t)
			rec := &diagRecorder{}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: recordingFactories(rec),
				Steps:                    ruleSteps(t, env, rec, c),
			})
			if n, want := env.RestoreSubmissions(t), appliedSteps(c); n != want {
				t.Errorf("restore submissions = %d, want %d (one per applied passing configuration)", n, want)
			}
		})
	}
}

func appliedSteps(c ruleCase) int {
	n := 0
	for _, s := range c.pass {
		if s.apply {
			n++
		}
	}
	return n
}

// ruleSteps turns a case into test steps. Each step's PreConfig checks what the previous step
// left in the emulator: no submission after a failing step, no request at all after a static one.
func ruleSteps(t *testing.T, env *acctest.Env, rec *diagRecorder, c ruleCase) []resource.TestStep {
	var steps []resource.TestStep
	var after func() // the check of the previous step, run before the next one (or at the end)
	submitted := 0
	add := func(step resource.TestStep, check func()) {
		prev := after
		pre := step.PreConfig
		step.PreConfig = func() {
			if prev != nil {
				prev()
			}
			rec.clear() // each step's check sees its own diagnostics only
			if pre != nil {
				pre()
			}
		}
		steps = append(steps, step)
		after = check
	}
	for i, s := range c.fail {
		if s.err == nil {
			t.Fatalf("%s: failing step %d has no expected error", c.rule, i+1)
		}
		step := resource.TestStep{
			Config:      ruleConfig(env, s),
			PlanOnly:    true,
			ExpectError: s.err,
		}
		if s.static {
			step.PreConfig = func() { env.ClearRequests(t) }
		}
		add(step, func() {
			if n := env.RestoreSubmissions(t); n != 0 {
				t.Errorf("%s failing configuration %d: restore submissions = %d, want 0", c.rule, i+1, n)
			}
			if !s.static {
				return
			}
			if reqs := env.Requests(t); len(reqs) != 0 {
				t.Errorf("%s failing configuration %d is a static rule, yet the emulator saw %d API requests: %+v",
					c.rule, i+1, len(reqs), reqs)
			}
		})
	}
	for i, s := range c.pass {
		step := resource.TestStep{Config: ruleConfig(env, s)}
		if s.apply {
			submitted++
			want := submitted
			step.ConfigPlanChecks.PreApply = s.checks
			step.Check = expectSubmissions(t, env, want)
			// Then take it out of the configuration (Delete only forgets it), so that the next
			// configuration is a create again.
			add(step, func() {
				checkWarnings(t, fmt.Sprintf("%s passing configuration %d", c.rule, i+1), c.rule, s.warn, rec.warnings())
			})
			add(resource.TestStep{Config: env.ProviderBlock()}, nil)
			continue
		}
		step.PlanOnly = true
		step.ExpectNonEmptyPlan = true
		step.ConfigPlanChecks.PostApplyPreRefresh = append([]plancheck.PlanCheck{
			plancheck.ExpectResourceAction(restoreAddr, plancheck.ResourceActionCreate),
		}, s.checks...)
		want := submitted
		add(step, func() {
			if n := env.RestoreSubmissions(t); n != want {
				t.Errorf("%s passing configuration %d (plan only): restore submissions = %d, want %d", c.rule, i+1, n, want)
			}
			checkWarnings(t, fmt.Sprintf("%s passing configuration %d", c.rule, i+1), c.rule, s.warn, rec.warnings())
		})
	}
	// The last step's check runs in a final step that changes nothing.
	if after != nil {
		add(resource.TestStep{Config: env.ProviderBlock(), PlanOnly: true}, nil)
	}
	return steps
}

// Arguments shared by the cases.
var (
	mysqlPair = []string{
		attr("source_instance_id", emulator.MySQLSourceID), attr("target_instance_id", emulator.MySQLTargetID),
	}
	sqlserverPair = []string{
		attr("source_instance_id", emulator.SQLServerSourceID), attr("target_instance_id", emulator.SQLServerTargetID),
	}
	mysqlBackup     = attr("backup_id", emulator.MySQLBackupID)
	sqlserverBackup = attr("backup_id", emulator.SQLServerBackupID)
)

func args(groups ...any) []string {
	var out []string
	for _, g := range groups {
		switch v := g.(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		default:
			panic(fmt.Sprintf("args: %T", g))
		}
	}
	return out
}

func restoreTime(ms int64) string { return fmt.Sprintf("restore_time = %d", ms) }

// hoursAgo is a point in time inside every restorable window of the built-in seed.
func hoursAgo(h int) int64 { return time.Now().Add(-time.Duration(h) * time.Hour).UnixMilli() }

func planType(want string) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(restoreAddr, tfjsonpath.New("type"), knownvalue.StringExact(want))
}

// Extra SQL Server instances for S12, next to the built-in pair: the same version, edition and
// time zone as the pair's target, but with a case-sensitive collation, or none that can be read;
// and a copy of the pair's source whose collation cannot be read either.
const (
	sqlserverCaseSensitiveID     = "5f6a7b8c9d0e41f2a3b4c5d6e7f8a9b0in04"
	sqlserverNoCollationID       = "6a7b8c9d0e1f42a3b4c5d6e7f8a9b0c1in04"
	sqlserverNoCollationSourceID = "7b8c9d0e1f2a43b4c5d6e7f8a9b0c1d2in04"
)

func s12Seed(s *emulator.Seed) {
	cloneInstance(s, emulator.SQLServerTargetID, sqlserverCaseSensitiveID, "sqlserver-cs", func(in *emulator.SeedInstance) {
		in.Collation = "SQL_Latin1_General_CP1_CS_AS"
	})
	// The collation is read from the databases' character_set: a target without databases
	// leaves it unknown to the provider (the emulator knows it is case-sensitive).
	cloneInstance(s, emulator.SQLServerTargetID, sqlserverNoCollationID, "sqlserver-nocoll", func(in *emulator.SeedInstance) {
		in.Collation = "SQL_Latin1_General_CP1_CS_AS"
		in.Databases = nil
	})
	cloneInstance(s, emulator.SQLServerSourceID, sqlserverNoCollationSourceID, "sqlserver-prod-nocoll", func(in *emulator.SeedInstance) {
		in.Collation = ""
	})
}

// cloneInstance adds a copy of the seed instance `from` under a new id and name, changed by edit.
func cloneInstance(s *emulator.Seed, from, id, name string, edit func(*emulator.SeedInstance)) {
	for _, in := range s.Instances {
		if in.ID != from {
			continue
		}
		c := in
		c.ID, c.Name = id, name
		c.Databases = append([]string(nil), in.Databases...)
		c.Nodes = nil
		for i, n := range in.Nodes {
			n.ID = fmt.Sprintf("%s%02d", id[:32], i)
			n.Name = fmt.Sprintf("%s_node%d", name, i)
			c.Nodes = append(c.Nodes, n)
		}
		if edit != nil {
			edit(&c)
		}
		s.Instances = append(s.Instances, c)
		return
	}
	panic("cloneInstance: no seed instance " + from)
}

// editInstance changes a seed instance in place.
func editInstance(s *emulator.Seed, id string, edit func(*emulator.SeedInstance)) {
	for i := range s.Instances {
		if s.Instances[i].ID == id {
			edit(&s.Instances[i])
			return
		}
	}
	panic("editInstance: no seed instance " + id)
}

func TestAccRDSInstanceRestore_rulesStatic(t *testing.T) {
	t.Parallel()
	runRuleCases(t, staticRuleCases())
}

// staticRuleCases are the end-to-end cases of the static rules S1-S12.
func staticRuleCases() []ruleCase {
	future := time.Now().Add(2 * time.Hour).UnixMilli()
	seconds := time.Now().Add(-2 * time.Hour).Unix()
	sqlTarget := label(emulator.SQLServerTargetID, "sqlserver-staging")
	long := strings.Repeat("a", 65)
	return []ruleCase{
		{
			rule: "S1",
			fail: []ruleStep{
				{static: true, args: args(attr("source_instance_id", ""), attr("target_instance_id", emulator.MySQLTargetID), mysqlBackup),
					err: ruleError("S1", "Missing Source Instance ID", "source_instance_id",
						`source_instance_id is "": the instance whose backup or point in time is restored is required and must not be empty.`,
						`Set it to the id of the original DB instance.`)},
				{static: true, args: args(attr("source_instance_id", emulator.MySQLSourceID), attr("target_instance_id", " "), mysqlBackup),
					err: ruleError("S1", "Missing Target Instance ID", "target_instance_id",
						`target_instance_id is " ": the existing instance to restore onto is required and must not be empty.`)},
			},
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup)}},
		},
		{
			rule: "S2",
			fail: []ruleStep{
				{static: true, args: args(mysqlPair, mysqlBackup, attr("type", "Backup")),
					err: ruleError("S2", "Invalid Restore Type", "type",
						`type is "Backup": the restore mode must be "backup" or "timestamp"`, `Did you mean "backup"?`)},
				{static: true, args: args(mysqlPair, mysqlBackup, attr("type", "full")),
					err: ruleError("S2", "Invalid Restore Type", "type", `type is "full": the restore mode must be "backup" or "timestamp"`)},
			},
			pass: []ruleStep{
				{args: args(mysqlPair, mysqlBackup, attr("type", "backup")), checks: []plancheck.PlanCheck{planType("backup")}},
				{args: args(mysqlPair, restoreTime(hoursAgo(2)), attr("type", "timestamp")), checks: []plancheck.PlanCheck{planType("timestamp")}},
			},
		},
		{
			rule: "S3",
			fail: []ruleStep{
				{static: true, args: args(mysqlPair, attr("type", "backup")),
					err: ruleError("S3", "Missing Backup ID", "(absent) backup_id",
						`type is "backup" but backup_id is "": backup mode requires the id of the backup to restore.`)},
				{static: true, args: args(mysqlPair, attr("type", "backup"), mysqlBackup, restoreTime(1532001446987)),
					err: ruleError("S3", "Restore Time Not Allowed In Backup Mode", "restore_time",
						`type is "backup" but restore_time is set to 1532001446987: in backup mode restore_time must not be set.`)},
			},
			// type omitted with backup_id: backup mode, inferred.
			pass: []ruleStep{{args: args(mysqlPair, mysqlBackup), checks: []plancheck.PlanCheck{planType("backup")}, apply: true}},
		},
		{
			rule: "S4",
			fail: []ruleStep{
				{static: true, args: args(mysqlPair, mysqlBackup, restoreTime(1532001446987)),
					err: ruleError("S4", "Conflicting Restore Mode", "restore_time",
						fmt.Sprintf(`Both backup_id (%q) and restore_time (1532001446987) are set, and type is omitted: exactly one of backup_id and restore_time is allowed.`, emulator.MySQLBackupID))},
				{static: true, args: mysqlPair,
					err: ruleError("S4", "Missing Restore Source", "(absent) backup_id",
						`Neither backup_id nor restore_time is set: exactly one of backup_id and restore_time is required.`)},
				{static: true, args: args(mysqlPair, attr("type", "timestamp"), mysqlBackup),
					err: ruleError("S4", "Backup ID Not Allowed In Timestamp Mode", "backup_id",
						fmt.Sprintf(`type is "timestamp" but backup_id is set to %q: in timestamp mode backup_id must not be set.`, emulator.MySQLBackupID))},
				{static: true, args: args(mysqlPair, attr("type", "timestamp")),
					err: ruleError("S4", "Missing Restore Time", "(absent) restore_time",
						`type is "timestamp" but restore_time is not set: timestamp mode requires the point in time to restore`)},
			},
			// restore_time alone: timestamp mode, and type = "timestamp" is sent.
			pass: []ruleStep{{args: args(mysqlPair, restoreTime(hoursAgo(2))), checks: []plancheck.PlanCheck{planType("timestamp")}, apply: true}},
		},
		{
			rule: "S5",
			fail: []ruleStep{
				{static: true, args: args(mysqlPair, restoreTime(seconds)),
					err: ruleError("S5", "Restore Time Looks Like Seconds", "restore_time",
						fmt.Sprintf(`restore_time is %d, which as Unix milliseconds is 1970-`, seconds),
						fmt.Sprintf(`restore_time is in milliseconds, not seconds. Did you mean %d (`, seconds*1000))},
				{static: true, args: args(mysqlPair, restoreTime(future)),
					err: ruleError("S5", "Restore Time In The Future", "restore_time",
						fmt.Sprintf(`restore_time is %d (%s), later than now`, future, time.UnixMilli(future).UTC().Format("2006-01-02T15:04:05.000Z")),
						`a point in time can only be restored once it has passed.`)},
				{static: true, args: args(mysqlPair, restoreTime(-1)),
					err: ruleError("S5", "Invalid Restore Time", "restore_time",
						`restore_time is -1: it must be a positive Unix time in milliseconds (UTC), such as 1532001446987.`)},
			},
			pass: []ruleStep{{args: args(mysqlPair, restoreTime(hoursAgo(2)))}},
		},
		{
			// S6 is checked against the engine, as rule A10 (its CheckedAs in
			// internal/rules/catalogue.go): the error names A10.
			rule: "S6",
			fail: []ruleStep{
				{args: args(mysqlPair, mysqlBackup, `database_name = { shop = "" }`),
					err: ruleError("A10", "Database Name Only For SQL Server", "database_name",
						`database_name is set, but the instances run MySQL: database_name (restoring and renaming single databases) is available only for SQL Server.`)},
			},
			pass: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup, "restore_all_database = true")},
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { hr = "hr_copy" }`)},
				// The API accepts and ignores restore_all_database outside SQL Server: a warning.
				{args: args(mysqlPair, mysqlBackup, "restore_all_database = false"),
					warn: ruleWarning("A10", "Restore All Databases Has No Effect",
						`restore_all_database is set to false, but the instances run MySQL: it is a SQL Server option and has no effect on MySQL`)},
			},
		},
		{
			rule: "S7",
			fail: []ruleStep{
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { "" = "x1" }`),
					err: ruleError("S7", "Empty Original Database Name", "database_name",
						`database_name has the key "" (mapped to "x1"): each key must be the name of a database on the source instance.`)},
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { " " = "" }`),
					err: ruleError("S7", "Empty Original Database Name", "database_name", `database_name has the key " " (mapped to "")`)},
			},
			pass: []ruleStep{
				// "" keeps the original name; a comma-separated list renames.
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "", hr = "hr1,hr2" }`), apply: true},
				// An empty map is warned about and not sent: every database is restored
				// (TestAccRDSInstanceRestore_sqlServerOnlyFieldsNotSent checks what is sent).
				{args: args(sqlserverPair, sqlserverBackup, `database_name = {}`),
					warn: ruleWarning("S7", "Empty Database Name Map", "An empty map is not sent, so every database is restored")},
			},
		},
		{
			rule: "S8",
			fail: []ruleStep{
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "sales.copy" }`),
					err: ruleError("S8", "Invalid New Database Name", "database_name",
						`database_name["sales"] lists the new name "sales.copy", which contains '.': a new name must be 1 to 64 characters of letters, digits, "_" and "-".`,
						`Rename it, for example to "sales_copy".`)},
				{static: true, args: args(sqlserverPair, sqlserverBackup, fmt.Sprintf(`database_name = { hr = "%s" }`, long)),
					err: ruleError("S8", "Invalid New Database Name", "database_name",
						fmt.Sprintf(`database_name["hr"] lists the new name %q, which is 65 characters long`, long))},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup,
				fmt.Sprintf(`database_name = { sales = "Sales-2026_copy", hr = "%s" }`, long[:64]))}},
		},
		{
			rule: "S9",
			fail: []ruleStep{
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "Master_copy" }`),
					err: ruleError("S9", "Reserved Word In Database Name", "database_name",
						`database_name["sales"] lists the new name "Master_copy", which contains "master": new names must not contain rdsadmin, master, msdb, tempdb, model or resource, in any case.`)},
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { hr = "hr_TEMPDB" }`),
					err: ruleError("S9", "Reserved Word In Database Name", "database_name",
						`database_name["hr"] lists the new name "hr_TEMPDB", which contains "tempdb"`)},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "sales_mastr", hr = "hr_temp_db" }`)}},
		},
		{
			rule: "S10",
			fail: []ruleStep{
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "sales" }`),
					err: ruleError("S10", "Database Renamed To Itself", "database_name",
						`database_name["sales"] is "sales": a new name must differ from its original name "sales", unless other new names are listed beside it.`,
						`Use "" to restore sales under its own name`)},
				// The half that needs the target's collation: case-insensitive names make SALES sales.
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "SALES" }`),
					err: ruleError("S10", "Database Renamed To Itself", "database_name",
						fmt.Sprintf(`database_name["sales"] is "SALES": database names on the target instance %s are case-insensitive, so this is the original name "sales" again`, sqlTarget))},
			},
			// The API's correct example (S10 in internal/rules/catalogue.go): the original name beside
			// other new names.
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "sales,sales1,sales2", hr = "" }`)}},
		},
		{
			rule: "S11",
			fail: []ruleStep{
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "b1,b2", hr = "b1,h1" }`),
					err: ruleError("S11", "Duplicate New Database Name", "database_name",
						`The new database name "b1" appears 2 times in database_name (once under "hr", once under "sales"): every new name must be unique across the whole map.`)},
				// A name repeated inside one value is said so.
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "b1,b1" }`),
					err: ruleError("S11", "Duplicate New Database Name", "database_name",
						`database_name["sales"] is "b1,b1", which lists the new name "b1" twice: every new name must be unique across the whole map. Keep "b1" once.`)},
				// The API's wrong example (S10 and S11 in internal/rules/catalogue.go): A renamed to itself
				// and B1 twice.
				{static: true, args: args(sqlserverPair, sqlserverBackup, `database_name = { A = "A", B = "B1,B2", C = "B1,C1", D = "D1,d1" }`),
					err: ruleErrors(
						ruleErrorPattern("S10", "Database Renamed To Itself", "database_name", `database_name["A"] is "A"`),
						ruleErrorPattern("S11", "Duplicate New Database Name", "database_name", `The new database name "B1" appears 2 times`))},
			},
			pass: []ruleStep{{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "b1,b2", hr = "h1" }`)}},
		},
		{
			rule: "S12",
			seed: s12Seed,
			fail: []ruleStep{
				{args: args(sqlserverPair, sqlserverBackup, `database_name = { sales = "d1", hr = "D1" }`),
					err: ruleError("S12", "Database Names Differ Only In Case", "database_name",
						fmt.Sprintf(`database_name lists the new names "D1" and "d1", which differ only in case: database names on the target instance %s are case-insensitive, so they name the same database.`, sqlTarget))},
			},
			pass: []ruleStep{
				// Case-sensitive collation: D1 and d1 are two databases.
				{args: args(attr("source_instance_id", emulator.SQLServerSourceID), attr("target_instance_id", sqlserverCaseSensitiveID),
					sqlserverBackup, `database_name = { sales = "d1", hr = "D1" }`)},
				// No collation known on either instance: a warning by design; the plan goes on and
				// the API takes the restore.
				{args: args(attr("source_instance_id", sqlserverNoCollationSourceID), attr("target_instance_id", sqlserverNoCollationID),
					restoreTime(hoursAgo(2)), `database_name = { sales = "d1", hr = "D1" }`), apply: true,
					warn: ruleWarning("S12", "Database Names Differ Only In Case", `database_name lists the new names "D1" and "d1", which differ only in case, and whether database names are case-insensitive on the target instance`)},
			},
		},
		{
			// The target's collation cannot be read but the source's can: the names land on the
			// target, whose case rule is unknown, so rule S12 warns (internal/rules/catalogue.go; the source's
			// collation is no proof of the target's).
			rule: "S12_targetCollationUnknown",
			seed: s12Seed,
			pass: []ruleStep{
				{args: args(attr("source_instance_id", emulator.SQLServerSourceID), attr("target_instance_id", sqlserverNoCollationID),
					sqlserverBackup, `database_name = { sales = "d1", hr = "D1" }`),
					warn: ruleWarning("S12", "Database Names Differ Only In Case", `database_name lists the new names "D1" and "d1", which differ only in case`)},
			},
		},
	}
}

// onlyRuleError matches output that holds this one error diagnostic and nothing else: no
// "Missing Provider Setting" beside it, so the provider was never configured.
func onlyRuleError(rule, summary, attribute string, phrases ...string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)\A[^\n]*\s+` + ruleErrorPattern(rule, summary, attribute, phrases...) +
		`\s+the\s+documented\s+restore\s+constraints\.\)\s*\z`)
}

// Static rules need no credentials and no API: with a provider block that has no keys at all,
// the rules still fail the plan, during validation: the only error is the rule's (the provider
// is never configured, so no "Missing Provider Setting"), and the emulator the endpoints point
// at sees no request.
func TestAccRDSInstanceRestore_rulesStaticWithoutCredentials(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	provider := fmt.Sprintf("provider \"hwc\" {\n  region = %q\n  endpoints = {\n    rds = %q\n    iam = %q\n  }\n}\n",
		emulator.DemoRegion, env.URL, env.URL)
	config := func(args ...string) string {
		return provider + "resource \"hwc_rds_instance_restore\" \"test\" {\n  " + strings.Join(args, "\n  ") + "\n}\n"
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      config(mysqlPair[0], mysqlPair[1], mysqlBackup, restoreTime(1532001446987)),
				PlanOnly:    true,
				ExpectError: onlyRuleError("S4", "Conflicting Restore Mode", "restore_time", `exactly one of backup_id and restore_time is allowed`),
			},
			{
				Config:      config(mysqlPair[0], mysqlPair[1], restoreTime(1532001446)),
				PlanOnly:    true,
				ExpectError: onlyRuleError("S5", "Restore Time Looks Like Seconds", "restore_time", `Did you mean 1532001446000 (2018-07-19T11:57:26.000Z)?`),
			},
			{
				Config:      config(sqlserverPair[0], sqlserverPair[1], sqlserverBackup, `database_name = { sales = "B1,B2", hr = "B1" }`),
				PlanOnly:    true,
				ExpectError: onlyRuleError("S11", "Duplicate New Database Name", "database_name", `The new database name "B1" appears 2 times`),
			},
		},
	})
	if reqs := env.Requests(t); len(reqs) != 0 {
		t.Errorf("static rules made %d API requests, want none: %+v", len(reqs), reqs)
	}
}

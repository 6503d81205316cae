package provider_test

// The installed CLIs (Terraform 1.11, OpenTofu 1.10) cannot run actions, so these tests drive the
// provider server over the plugin protocol as Terraform 1.14 would: GetProviderSchema,
// ConfigureProvider, ValidateActionConfig, PlanAction and InvokeAction, reading the event stream.

import (
	"context"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opendrill/terraform-provider-hwc/internal/acctest"
	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/provider"
)

const restoreActionType = "hwc_rds_instance_restore"

// actionHarness is one provider server, as Terraform holds it for a run.
type actionHarness struct {
	t            *testing.T
	server       tfprotov6.ProviderServerWithActions
	actionType   tftypes.Object
	providerType tftypes.Object
}

// newActionHarness starts the provider server and reads its schema; the provider is not
// configured yet (as during `terraform validate`).
func newActionHarness(t *testing.T) *actionHarness {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatalf("provider server: %v", err)
	}
	withActions, ok := server.(tfprotov6.ProviderServerWithActions)
	if !ok {
		t.Fatalf("provider server %T does not serve actions", server)
	}
	h := &actionHarness{t: t, server: withActions}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	h.requireNoErrors("GetProviderSchema", resp.Diagnostics)
	as, ok := resp.ActionSchemas[restoreActionType]
	if !ok || as.Schema == nil {
		t.Fatalf("GetProviderSchema: no action %s (have %v)", restoreActionType, mapKeys(resp.ActionSchemas))
	}
	if h.actionType, ok = as.Schema.ValueType().(tftypes.Object); !ok {
		t.Fatalf("action schema type is %T, want an object", as.Schema.ValueType())
	}
	for name, want := range map[string]bool{"source_instance_id": true, "target_instance_id": true, "timeout": false, "backup_id": false} {
		attr := findAttribute(as.Schema, name)
		if attr == nil || attr.Required != want || attr.Computed || attr.Description == "" {
			t.Errorf("action attribute %s = %+v, want required=%v, not computed, with a description", name, attr, want)
		}
	}
	if h.providerType, ok = resp.Provider.ValueType().(tftypes.Object); !ok {
		t.Fatalf("provider schema type is %T, want an object", resp.Provider.ValueType())
	}
	return h
}

// configure sends ConfigureProvider for the emulator, as a provider block would.
func (h *actionHarness) configure(env *acctest.Env) {
	h.t.Helper()
	env.RequireEmulator(h.t)
	cfg := objectOf(h.providerType, map[string]tftypes.Value{
		"region":     tftypes.NewValue(tftypes.String, emulator.DemoRegion),
		"project_id": tftypes.NewValue(tftypes.String, emulator.DemoProjectID),
		"access_key": tftypes.NewValue(tftypes.String, emulator.DemoAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, emulator.DemoSecretKey),
		"endpoints": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
			"rds": tftypes.NewValue(tftypes.String, env.URL),
			"iam": tftypes.NewValue(tftypes.String, env.URL),
		}),
	})
	resp, err := h.server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0", Config: h.dynamic(h.providerType, cfg),
	})
	if err != nil {
		h.t.Fatalf("ConfigureProvider: %v", err)
	}
	h.requireNoErrors("ConfigureProvider", resp.Diagnostics)
}

// config is an action configuration from the given attributes; the others are null.
func (h *actionHarness) config(attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	return h.dynamic(h.actionType, objectOf(h.actionType, attrs))
}

func (h *actionHarness) validate(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: restoreActionType, Config: cfg,
	})
	if err != nil {
		h.t.Fatalf("ValidateActionConfig: %v", err)
	}
	return resp.Diagnostics
}

func (h *actionHarness) plan(cfg *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	h.t.Helper()
	resp, err := h.server.PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
		ActionType: restoreActionType, Config: cfg,
		ClientCapabilities: &tfprotov6.PlanActionClientCapabilities{DeferralAllowed: false},
	})
	if err != nil {
		h.t.Fatalf("PlanAction: %v", err)
	}
	if resp.Deferred != nil {
		h.t.Errorf("PlanAction deferred: %+v", resp.Deferred)
	}
	return resp.Diagnostics
}

// actionEvent is one event of the InvokeAction stream, with when it arrived.
type actionEvent struct {
	At        time.Time
	Progress  string                  // a progress event's message
	Completed bool                    // the final event
	Diags     []*tfprotov6.Diagnostic // the completed event's diagnostics
}

// invoke runs the action and reads its whole event stream.
func (h *actionHarness) invoke(cfg *tfprotov6.DynamicValue) []actionEvent {
	h.t.Helper()
	stream, err := h.server.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: restoreActionType, Config: cfg,
	})
	if err != nil {
		h.t.Fatalf("InvokeAction: %v", err)
	}
	var events []actionEvent
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			events = append(events, actionEvent{At: time.Now(), Progress: e.Message})
			h.t.Logf("progress: %s", e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			events = append(events, actionEvent{At: time.Now(), Completed: true, Diags: e.Diagnostics})
		default:
			h.t.Fatalf("InvokeAction: unexpected event %T", ev.Type)
		}
	}
	if n := len(events); n == 0 || !events[n-1].Completed {
		h.t.Fatalf("InvokeAction: the stream did not end with a completed event: %+v", events)
	}
	for _, e := range events[:len(events)-1] {
		if e.Completed {
			h.t.Fatalf("InvokeAction: more than one completed event: %+v", events)
		}
	}
	return events
}

func (h *actionHarness) dynamic(typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	h.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		h.t.Fatalf("DynamicValue: %v", err)
	}
	return &dv
}

func (h *actionHarness) requireNoErrors(call string, diags []*tfprotov6.Diagnostic) {
	h.t.Helper()
	if errs := errorDiags(diags); len(errs) > 0 {
		h.t.Fatalf("%s: unexpected errors:\n%s", call, renderDiags(errs))
	}
}

// objectOf builds a value of an object type from some attributes, the rest null.
func objectOf(typ tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func findAttribute(s *tfprotov6.Schema, name string) *tfprotov6.SchemaAttribute {
	for _, a := range s.Block.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func errorDiags(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d)
		}
	}
	return out
}

func renderDiags(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("  [" + d.Severity.String() + "] " + d.Summary + ": " + d.Detail)
		if d.Attribute != nil {
			b.WriteString(" (at " + d.Attribute.String() + ")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// expectOneError checks that diags hold exactly one error, with this summary, on this attribute
// ("" for none), whose detail matches every pattern.
func expectOneError(t *testing.T, call string, diags []*tfprotov6.Diagnostic, summary, attribute string, detail ...string) {
	t.Helper()
	errs := errorDiags(diags)
	if len(errs) != 1 {
		t.Fatalf("%s: want exactly one error %q, got:\n%s", call, summary, renderDiags(diags))
	}
	d := errs[0]
	if d.Summary != summary {
		t.Errorf("%s: error summary = %q, want %q\n%s", call, d.Summary, summary, renderDiags(diags))
	}
	want := tftypes.NewAttributePath()
	if attribute != "" {
		want = want.WithAttributeName(attribute)
	}
	if (attribute == "" && d.Attribute != nil && len(d.Attribute.Steps()) > 0) || (attribute != "" && (d.Attribute == nil || !d.Attribute.Equal(want))) {
		t.Errorf("%s: error on %v, want %q", call, d.Attribute, attribute)
	}
	for _, p := range detail {
		if !regexp.MustCompile(p).MatchString(d.Detail) {
			t.Errorf("%s: error detail does not match %q:\n%s", call, p, d.Detail)
		}
	}
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// mysqlBackupRestore is the built-in seed's MySQL 5.7 backup onto the staging MySQL 5.7 instance.
func mysqlBackupRestore(extra map[string]tftypes.Value) map[string]tftypes.Value {
	attrs := map[string]tftypes.Value{
		"source_instance_id": tfString(emulator.MySQLSourceID),
		"target_instance_id": tfString(emulator.MySQLTargetID),
		"backup_id":          tfString(emulator.MySQLBackupID),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return attrs
}

// A restore through the action: checked, submitted once, its progress streamed while the job
// runs, completed without errors, and the target holds the backup's databases.
func TestAccRDSInstanceRestoreAction_progress(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: 4 * time.Second})
	env.RequireEmulator(t)
	h := newActionHarness(t)
	h.configure(env)
	cfg := h.config(mysqlBackupRestore(map[string]tftypes.Value{"timeout": tfString("10m")}))

	h.requireNoErrors("ValidateActionConfig", h.validate(cfg))
	h.requireNoErrors("PlanAction", h.plan(cfg))
	if n := env.RestoreSubmissions(t); n != 0 {
		t.Fatalf("planning submitted %d restores", n)
	}

	events := h.invoke(cfg)
	done := events[len(events)-1]
	h.requireNoErrors("InvokeAction", done.Diags)
	if len(done.Diags) > 0 {
		t.Errorf("InvokeAction: unexpected diagnostics:\n%s", renderDiags(done.Diags))
	}

	running := regexp.MustCompile(`^Restore job [0-9a-f]{32}: Running, \d+%$`)
	var runningAt []time.Time
	var messages []string
	for _, e := range events[:len(events)-1] {
		messages = append(messages, e.Progress)
		if running.MatchString(e.Progress) {
			runningAt = append(runningAt, e.At)
		}
	}
	if len(runningAt) == 0 {
		t.Fatalf("no progress event with the job's status and percentage; got:\n%s", strings.Join(messages, "\n"))
	}
	// Streamed while the job ran, not all at the end: the first percentage came well before the end.
	if gap := done.At.Sub(runningAt[0]); gap < time.Second {
		t.Errorf("the first running progress event came only %s before the completed event", gap)
	}
	for _, want := range []string{
		`^Checks passed: restoring backup ` + emulator.MySQLBackupID + ` of ` + emulator.MySQLSourceID + ` \(MySQL\) onto ` + emulator.MySQLTargetID + `$`,
		`^Restore submitted: job [0-9a-f]{32} onto ` + emulator.MySQLTargetID + `$`,
		`^Restore job [0-9a-f]{32}: Completed$`,
		`^Restore job [0-9a-f]{32} completed; target ` + emulator.MySQLTargetID + ` is ACTIVE$`,
	} {
		if !slices.ContainsFunc(messages, regexp.MustCompile(want).MatchString) {
			t.Errorf("no progress event matching %s; got:\n%s", want, strings.Join(messages, "\n"))
		}
	}

	requireSubmissions(t, env, 1)
	state := env.EmulatorState(t)
	if dbs := state.Databases(emulator.MySQLTargetID); !slices.Contains(dbs, "shop") || slices.Contains(dbs, "shop_old") {
		t.Errorf("target databases after the restore = %v, want the backup's (shop, users, orders)", dbs)
	}
}

// A job that fails is an error carrying the API's fail_reason; the restore was submitted once.
func TestAccRDSInstanceRestoreAction_failingJob(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	env.Fault(t, map[string]any{"fail_next_job": "disk quota exceeded on the target"})
	h := newActionHarness(t)
	h.configure(env)
	cfg := h.config(mysqlBackupRestore(nil))

	events := h.invoke(cfg)
	expectOneError(t, "InvokeAction", events[len(events)-1].Diags, "Restore Job Failed", "",
		`^The restore job [0-9a-f]{32} onto `+emulator.MySQLTargetID+` failed: disk quota exceeded on the target\n`)
	var failed bool
	for _, e := range events {
		failed = failed || regexp.MustCompile(`^Restore job [0-9a-f]{32}: Failed$`).MatchString(e.Progress)
	}
	if !failed {
		t.Errorf("no progress event reported the job Failed")
	}
	requireSubmissions(t, env, 1)
}

// A documented rule that the API would refuse (A2: a PostgreSQL backup onto a MySQL instance)
// stops the plan, and, should Terraform invoke anyway, the invocation, before anything is sent.
func TestAccRDSInstanceRestoreAction_ruleViolation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	h := newActionHarness(t)
	h.configure(env)
	cfg := h.config(map[string]tftypes.Value{
		"source_instance_id": tfString(emulator.PostgreSQLSourceID),
		"target_instance_id": tfString(emulator.MySQLTargetID),
		"backup_id":          tfString(emulator.PostgreSQLBackupID),
	})
	// Static rules pass: only the API knows the engines.
	h.requireNoErrors("ValidateActionConfig", h.validate(cfg))

	detail := []string{
		`The source instance "` + emulator.PostgreSQLSourceID + `" \(pg12-prod\) runs PostgreSQL but the target instance "` +
			emulator.MySQLTargetID + `" \(mysql57-staging\) runs MySQL`,
		`\(Rule A2 of the documented restore constraints\.\)`,
	}
	expectOneError(t, "PlanAction", h.plan(cfg), "Different DB Engines", "target_instance_id", detail...)

	events := h.invoke(cfg)
	expectOneError(t, "InvokeAction", events[len(events)-1].Diags, "Different DB Engines", "target_instance_id", detail...)
	if len(events) != 1 {
		t.Errorf("InvokeAction sent progress events for a restore that was refused: %+v", events[:len(events)-1])
	}
	requireSubmissions(t, env, 0)
}

// Validation needs no provider configuration: the static rules and the timeout are checked there.
// A plan with a value not known yet checks nothing and calls nothing.
func TestAccRDSInstanceRestoreAction_validate(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{})
	env.RequireEmulator(t)
	h := newActionHarness(t) // not configured

	expectOneError(t, "ValidateActionConfig", h.validate(h.config(mysqlBackupRestore(map[string]tftypes.Value{
		"timeout": tfString("soon"),
	}))), "Invalid Timeout", "timeout", `^timeout is "soon"; it must be a positive duration`)
	expectOneError(t, "ValidateActionConfig", h.validate(h.config(mysqlBackupRestore(map[string]tftypes.Value{
		"timeout": tfString("-5m"),
	}))), "Invalid Timeout", "timeout", `^timeout is "-5m"`)

	// The same static rules as the resource: both a backup and a point in time is S4.
	expectOneError(t, "ValidateActionConfig", h.validate(h.config(mysqlBackupRestore(map[string]tftypes.Value{
		"restore_time": tftypes.NewValue(tftypes.Number, time.Now().Add(-time.Hour).UnixMilli()),
	}))), "Conflicting Restore Mode", "restore_time", `\(Rule S4 of the documented restore constraints\.\)`)

	h.configure(env)
	before := len(env.Requests(t))
	unknownTarget := h.config(mysqlBackupRestore(map[string]tftypes.Value{
		"target_instance_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	}))
	h.requireNoErrors("ValidateActionConfig", h.validate(unknownTarget))
	if diags := h.plan(unknownTarget); len(diags) > 0 {
		t.Errorf("PlanAction with an unknown target: want no diagnostics, got:\n%s", renderDiags(diags))
	}
	if after := len(env.Requests(t)); after != before {
		t.Errorf("PlanAction with an unknown target made %d API calls", after-before)
	}
}

// When timeout runs out after the submission, the error says the job may still run, names it,
// and nothing is submitted again.
func TestAccRDSInstanceRestoreAction_timeout(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, acctest.Options{JobDuration: time.Minute})
	env.RequireEmulator(t)
	h := newActionHarness(t)
	h.configure(env)
	events := h.invoke(h.config(mysqlBackupRestore(map[string]tftypes.Value{"timeout": tfString("5s")})))
	expectOneError(t, "InvokeAction", events[len(events)-1].Diags, "Restore Did Not Finish", "",
		`^The restore was submitted \(job [0-9a-f]{32} onto `+emulator.MySQLTargetID+`\) but the action's timeout \(5s\) ran out while waiting`,
		`a second invocation submits a new restore`)
	requireSubmissions(t, env, 1)
}

// The CLI stops reading the event stream (Ctrl-C) while progress still comes, then ends the RPC:
// Invoke returns at once, though the framework's progress channel has no reader any more (a send
// on it never returns). Not parallel: it looks for Invoke among all goroutines of the test binary.
func TestAccRDSInstanceRestoreAction_readerGone(t *testing.T) {
	env := acctest.New(t, acctest.Options{JobDuration: 3 * time.Second})
	env.RequireEmulator(t)
	h := newActionHarness(t)
	h.configure(env)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := h.server.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{
		ActionType: restoreActionType, Config: h.config(mysqlBackupRestore(map[string]tftypes.Value{"timeout": tfString("10m")})),
	})
	if err != nil {
		t.Fatalf("InvokeAction: %v", err)
	}
	running := false
	for ev := range stream.Events {
		if p, ok := ev.Type.(tfprotov6.ProgressInvokeActionEventType); ok && strings.Contains(p.Message, ": Running") {
			running = true
			break // the reader is gone; the job's end and the last steps are still to be reported
		}
	}
	if !running {
		t.Fatal("the stream ended before the job was reported running")
	}
	time.Sleep(3 * time.Second) // the job ends meanwhile: its events find no reader
	if !invokeRunning() {
		t.Fatal("Invoke returned before the RPC ended: the test proves nothing (its events were not blocked)")
	}
	cancel()
	deadline := time.Now().Add(2 * time.Second)
	for invokeRunning() {
		if time.Now().After(deadline) {
			t.Fatal("Invoke still runs 2 s after the RPC ended: a progress event blocks it")
		}
		time.Sleep(50 * time.Millisecond)
	}
	requireSubmissions(t, env, 1)
}

// invokeRunning says whether a goroutine of this binary is inside the action's Invoke.
func invokeRunning() bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Contains(string(buf[:n]), "(*restoreAction).Invoke(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

package provider

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// Every outcome of a restore, as the resource and the action report it: the severity, summary
// and detail of what the user is told, and (for the resource, when the API took the restore)
// what the state records.
func TestOutcomeDiagnostics_everyKind(t *testing.T) {
	const target = "d8e6ca5a624745bcb546a227aa3ae1cfin01"
	const job = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	submitted := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	completed := submitted.Add(7 * time.Minute)
	resourceSurface := surface{deadline: "timeouts.create", setting: "timeouts.create", again: "apply again"}
	actionSurface := surface{action: true, deadline: "the action's timeout (60m)", setting: "timeout", again: "invoke the action again"}
	with := func(s surface, edit func(*surface)) surface { edit(&s); return s }
	taken := func(kind restore.Kind, edit func(*restore.Result)) restore.Result {
		r := restore.Result{Kind: kind, JobID: job, SubmittedAt: submitted, CompletedAt: completed}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	notSubmitted := func(err error) restore.Result { return restore.Result{Kind: restore.KindNotSubmitted, Err: err} }
	busy := errors.New("target is RESTORING")

	// state is what the resource saves: status, id, job_id, fail_reason, completed_at.
	type state struct{ status, id, jobID, failReason, completedAt string }
	done := completed.Format(time.RFC3339)
	tests := []struct {
		name     string
		res      restore.Result
		s        surface
		severity diag.Severity // 0: no diagnostic at all
		summary  string
		detail   []string // each must be in the detail
		notIn    []string // none may be in the detail
		saved    *state   // nil: the API did not take it, nothing is saved
	}{
		{name: "completed", res: taken(restore.KindCompleted, nil), s: resourceSurface,
			saved: &state{statusCompleted, job, job, "", done}},
		{name: "completed/action", res: taken(restore.KindCompleted, nil), s: actionSurface},
		{name: "running", res: taken(restore.KindRunning, nil), s: resourceSurface,
			saved: &state{statusRunning, job, job, "", ""}},
		{name: "completed unconfirmed", res: taken(restore.KindCompleted, func(r *restore.Result) { r.JobID = ""; r.Unconfirmed = true }),
			s: resourceSurface, severity: diag.SeverityWarning, summary: "Restore Taken, Job ID Unknown",
			detail: []string{"The reply to the restore was lost", "the target " + target, ` status is "Unknown".`},
			saved:  &state{statusUnknown, "unconfirmed-" + target + "-" + strconv.FormatInt(submitted.UnixMilli(), 10), "", "", done}},
		{name: "completed unconfirmed/action", res: taken(restore.KindCompleted, func(r *restore.Result) { r.JobID = ""; r.Unconfirmed = true }),
			s: actionSurface, severity: diag.SeverityWarning, summary: "Restore Taken, Job ID Unknown",
			detail: []string{"The reply to the restore was lost"}, notIn: []string{`status is "Unknown"`}},
		{name: "adopted", res: taken(restore.KindAdopted, func(r *restore.Result) { r.Adopted = true }), s: resourceSurface,
			severity: diag.SeverityWarning, summary: "Earlier Restore Taken Over",
			detail: []string{"restore job " + job + " onto " + target, "Nothing was submitted this time."},
			saved:  &state{statusCompleted, job, job, "", done}},
		{name: "failed", res: taken(restore.KindFailed, func(r *restore.Result) { r.FailReason = "disk full" }), s: resourceSurface,
			severity: diag.SeverityError, summary: "Restore Job Failed",
			detail: []string{"The restore job " + job + " onto " + target + " failed: disk full", `saved with status "Failed"`, "the next apply runs the restore again"},
			saved:  &state{statusFailed, job, job, "disk full", done}},
		{name: "failed without a reason", res: taken(restore.KindFailed, nil), s: resourceSurface,
			severity: diag.SeverityError, summary: "Restore Job Failed", detail: []string{"failed: the API gave no fail_reason"},
			saved: &state{statusFailed, job, job, "", done}},
		{name: "failed adopted", res: taken(restore.KindFailed, func(r *restore.Result) { r.FailReason = "disk full"; r.Adopted = true }),
			s: resourceSurface, severity: diag.SeverityError, summary: "Restore Job Failed",
			detail: []string{"submitted by an earlier apply that stopped before it ended", "failed: disk full. Nothing was submitted this time."},
			saved:  &state{statusFailed, job, job, "disk full", done}},
		{name: "failed/action", res: taken(restore.KindFailed, func(r *restore.Result) { r.FailReason = "disk full" }), s: actionSurface,
			severity: diag.SeverityError, summary: "Restore Job Failed",
			detail: []string{"failed: disk full", "Fix the cause, then invoke the action again."}, notIn: []string{"tainted"}},
		{name: "interrupted", res: taken(restore.KindInterrupted, nil), s: resourceSurface,
			severity: diag.SeverityWarning, summary: "Stopped Waiting for the Restore",
			detail: []string{"job " + job + " onto " + target + " was running", `saved with status "Running"`, "Nothing will be submitted again."},
			saved:  &state{statusRunning, job, job, "", ""}},
		{name: "interrupted/action", res: taken(restore.KindInterrupted, nil), s: actionSurface,
			severity: diag.SeverityError, summary: "Stopped Waiting for the Restore",
			detail: []string{"The job continues on the server", "Do not invoke the action again before it has ended"}},
		{name: "timed out", res: taken(restore.KindTimedOut, func(r *restore.Result) { r.Err = errors.New("job still Running") }),
			s: with(resourceSurface, func(s *surface) { s.expired = true }), severity: diag.SeverityError, summary: "Restore Did Not Finish",
			detail: []string{"(job " + job + " onto " + target + ") but timeouts.create ran out while waiting: job still Running",
				`status "Running" and job_id ` + job, "takes job " + job + " over instead of restoring again", "untaint", "Raise timeouts.create"},
			saved: &state{statusRunning, job, job, "", ""}},
		{name: "timed out unconfirmed", res: taken(restore.KindTimedOut, func(r *restore.Result) {
			r.JobID, r.Unconfirmed, r.Err = "", true, errors.New("target still RESTORING")
		}),
			s: with(resourceSurface, func(s *surface) { s.expired = true }), severity: diag.SeverityError, summary: "Restore Did Not Finish",
			detail: []string{"The reply to the restore was lost", "the target " + target, `saved with status "Unknown"`, "tainted",
				"does not restore again", "untaint", "state rm", "Raise timeouts.create"},
			notIn: []string{"takes job", "(id unknown)"},
			saved: &state{statusUnknown, "unconfirmed-" + target + "-" + strconv.FormatInt(submitted.UnixMilli(), 10), "", "", ""}},
		{name: "interrupted unconfirmed", res: taken(restore.KindInterrupted, func(r *restore.Result) { r.JobID, r.Unconfirmed = "", true }),
			s: resourceSurface, severity: diag.SeverityWarning, summary: "Stopped Waiting for the Restore",
			detail: []string{"onto " + target + " was running", `saved with status "Unknown"`, "nothing will be submitted again"},
			notIn:  []string{"takes job", "(id unknown)"},
			saved:  &state{statusUnknown, "unconfirmed-" + target + "-" + strconv.FormatInt(submitted.UnixMilli(), 10), "", "", ""}},
		{name: "timed out by an outage", res: taken(restore.KindTimedOut, func(r *restore.Result) { r.Err = errors.New("connection refused") }),
			s: resourceSurface, severity: diag.SeverityError, summary: "Restore Did Not Finish",
			detail: []string{"but connection refused"}, notIn: []string{"ran out"},
			saved: &state{statusRunning, job, job, "", ""}},
		{name: "timed out/action", res: taken(restore.KindTimedOut, func(r *restore.Result) { r.Err = errors.New("job still Running") }),
			s: with(actionSurface, func(s *surface) { s.expired = true }), severity: diag.SeverityError, summary: "Restore Did Not Finish",
			detail: []string{"but the action's timeout (60m) ran out while waiting", "a second invocation submits a new restore"}},
		{name: "not submitted twice", res: notSubmitted(restore.ErrNotTakenTwice), s: resourceSurface,
			severity: diag.SeverityError, summary: "Restore Not Submitted",
			detail: []string{restore.ErrNotTakenTwice.Error(), "Nothing was restored onto " + target, "then apply again."}},
		{name: "lost, not taken", res: notSubmitted(restore.ErrLostNotTaken), s: actionSurface,
			severity: diag.SeverityError, summary: "Restore Not Submitted",
			detail: []string{restore.ErrLostNotTaken.Error(), "Nothing was restored onto " + target + "; invoke the action again to run it."}},
		{name: "not submitted, interrupted", res: notSubmitted(busy), s: with(resourceSurface, func(s *surface) { s.interrupted = true }),
			severity: diag.SeverityError, summary: "Restore Not Submitted",
			detail: []string{"The run was interrupted before the restore onto " + target + " was submitted."}},
		{name: "not submitted, deadline", res: notSubmitted(busy), s: with(actionSurface, func(s *surface) { s.expired = true }),
			severity: diag.SeverityError, summary: "Restore Not Submitted",
			detail: []string{"The action's timeout (60m) ran out before the restore could be submitted: target is RESTORING",
				"Raise timeout, or invoke the action again when the target is ACTIVE."}},
		{name: "not submitted, deadline of the resource", res: notSubmitted(busy), s: with(resourceSurface, func(s *surface) { s.expired = true }),
			severity: diag.SeverityError, summary: "Restore Not Submitted",
			detail: []string{"timeouts.create ran out before the restore could be submitted", "Raise timeouts.create, or apply again"}},
		{name: "refused", res: notSubmitted(errors.New("DBS.200001: bad request")), s: resourceSurface,
			severity: diag.SeverityError, summary: "Restore Not Submitted", detail: []string{"DBS.200001: bad request\n\nNothing was submitted."}},
		{name: "unknowable", res: restore.Result{Kind: restore.KindUnknowable, Err: errors.New("the reply was lost")}, s: resourceSurface,
			severity: diag.SeverityError, summary: "Restore Outcome Unknown", detail: []string{"the reply was lost\n\nTarget: " + target + "."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := outcomeDiagnostics(tc.res, tc.s, target)
			if tc.severity == 0 {
				if len(diags) != 0 {
					t.Fatalf("diagnostics = %v, want none", diags)
				}
			} else {
				if len(diags) != 1 {
					t.Fatalf("diagnostics = %v, want one", diags)
				}
				d := diags[0]
				if d.Severity() != tc.severity || d.Summary() != tc.summary {
					t.Errorf("diagnostic = %v %q, want %v %q", d.Severity(), d.Summary(), tc.severity, tc.summary)
				}
				for _, want := range tc.detail {
					if !strings.Contains(d.Detail(), want) {
						t.Errorf("detail lacks %q:\n%s", want, d.Detail())
					}
				}
				for _, not := range tc.notIn {
					if strings.Contains(d.Detail(), not) {
						t.Errorf("detail has %q:\n%s", not, d.Detail())
					}
				}
			}
			if !tc.s.action && tc.res.Taken() != (tc.saved != nil) {
				t.Errorf("Taken() = %v for %s: the resource saves a state exactly when the API took the restore", tc.res.Taken(), tc.res.Kind)
			}
			if tc.saved == nil {
				return
			}
			var m restoreModel
			recordOutcome(&m, tc.res, target)
			got := state{m.Status.ValueString(), m.ID.ValueString(), m.JobID.ValueString(), m.FailReason.ValueString(), m.CompletedAt.ValueString()}
			if got != *tc.saved {
				t.Errorf("saved %+v, want %+v", got, *tc.saved)
			}
			if m.SubmittedAt.ValueString() != submitted.Format(time.RFC3339) {
				t.Errorf("submitted_at = %s, want %s", m.SubmittedAt.ValueString(), submitted.Format(time.RFC3339))
			}
		})
	}
}

// A backup taken before a restore that was then not submitted is named in a warning; taken or
// without a backup, nothing is said.
func TestBackupLeftNotice(t *testing.T) {
	notTaken := restore.Result{Kind: restore.KindNotSubmitted, Err: errors.New("refused")}
	taken := restore.Result{Kind: restore.KindCompleted, JobID: "job"}
	for _, tc := range []struct {
		name  string
		res   restore.Result
		steps *submitSteps
		want  bool
	}{
		{"backup, not submitted", notTaken, &submitSteps{backupID: "bk-1"}, true},
		{"backup, submitted", taken, &submitSteps{backupID: "bk-1"}, false},
		{"no backup", notTaken, &submitSteps{}, false},
		{"backup, outcome unknown", restore.Result{Kind: restore.KindUnknowable, Err: errors.New("lost")}, &submitSteps{backupID: "bk-1"}, true},
	} {
		d := backupLeftNotice(tc.res, tc.steps, "t1")
		if got := d.WarningsCount() == 1 && strings.Contains(d[0].Detail(), "bk-1") && strings.Contains(d[0].Detail(), "t1"); got != tc.want {
			t.Errorf("%s: %v, want a warning naming the backup: %v", tc.name, d, tc.want)
		}
	}
}

package provider

// The one restore pipeline of the resource and the action: the same checks before a submission
// (check), the same execution (execute), and one mapping of every outcome to diagnostics
// (outcomeDiagnostics), so that both say the same thing about the same outcome.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

// check runs every check a restore needs before it is submitted: the region, the static rules,
// then the API rules on what GatherFacts reads. It returns the request and what was learnt, and
// false when an error was reported or when a value is not known yet (nothing can be submitted
// then; the checks run again once the values are known). again says how to try again.
func (pd *providerData) check(ctx context.Context, args restoreArgs, phase rules.Phase, again string, diags *diag.Diagnostics) (rules.Request, restoreFacts, bool) {
	rreq, _, s, ok := pd.checkWith(ctx, args, phase, again, nil, diags)
	return rreq, s, ok
}

// checkWith is check with what the previous restore of the same resource created (nil: none),
// and it also returns the facts the API rules judged.
func (pd *providerData) checkWith(ctx context.Context, args restoreArgs, phase rules.Phase, again string, prev *rules.PreviousRestore, diags *diag.Diagnostics) (rules.Request, rules.Facts, restoreFacts, bool) {
	rreq, unknown, d := args.rulesRequest(ctx)
	diags.Append(d...)
	if diags.HasError() || len(unknown) > 0 {
		return rreq, rules.Facts{}, restoreFacts{}, false
	}
	region := pd.client.Region()
	if isKnownValue(args.Region) && !rules.SameID(args.Region.ValueString(), region) {
		diags.AddAttributeError(path.Root("region"), "Region Differs From the Provider's",
			fmt.Sprintf("region is %q but this provider works in %q. Both instances must be in one region (a restore "+
				"cannot cross regions); to restore in %q, use a provider block (alias) configured for that region."+
				"\n\n(Rule A8 of the documented restore constraints.)",
				args.Region.ValueString(), region, args.Region.ValueString()))
		return rreq, rules.Facts{}, restoreFacts{}, false
	}
	static := rules.CheckStatic(rreq, time.Now())
	if phase == rules.PhasePlan {
		// ValidateConfig showed the static warnings already; its errors about values it could
		// not know yet are new here.
		static = onlyErrors(static)
	}
	addFindings(diags, static, nil)
	if diags.HasError() {
		return rreq, rules.Facts{}, restoreFacts{}, false
	}
	facts, err := restore.GatherFacts(ctx, pd.lookups, region, rreq, phase, time.Now())
	if err != nil {
		diags.AddError("Cannot Check the Restore Against the API",
			fmt.Sprintf("Reading the instances and backups this restore involves failed: %s\n\nNothing was submitted. "+
				"Check the provider's credentials and endpoint, then %s.", err, again))
		return rreq, rules.Facts{}, restoreFacts{}, false
	}
	facts.Previous = prev
	facts.Protected = pd.protection
	addFindings(diags, rules.CheckAPI(rreq, facts), nil)
	if diags.HasError() {
		return rreq, rules.Facts{}, restoreFacts{}, false
	}
	return rreq, facts, factsSummary(facts), true
}

func onlyErrors(findings []rules.Finding) []rules.Finding {
	var out []rules.Finding
	for _, f := range findings {
		if f.Severity != rules.Warning {
			out = append(out, f)
		}
	}
	return out
}

// submitSteps is what runs right before a submission, in this order: the guard for production
// on a fresh read of the target (always: rule A18), the backup of the target (backupFirst), then
// the caller's own step (then: the resource's drop_previous_databases). Any error stops the
// restore before anything else runs: a protected target is neither backed up nor dropped from.
type submitSteps struct {
	backupFirst bool
	// backupSeed identifies this restore in the backup's name (restore.BackupName).
	backupSeed string
	then       func(context.Context) error
	// backupID is set once the backup before the restore is COMPLETED.
	backupID string
}

// executeWith submits the checked restore once and waits for it, reporting each step to
// progress. It is the one place right before the submission: what runs there is steps
// (restore.Hooks.BeforeSubmit); steps.backupID tells the backup taken, if any.
func (pd *providerData) executeWith(ctx context.Context, rreq rules.Request, engine string, progress func(string), steps *submitSteps) restore.Result {
	target := rreq.TargetInstanceID
	before := func(runCtx context.Context) error {
		if err := pd.guardTarget(runCtx, target); err != nil {
			return err
		}
		if steps.backupFirst {
			name := restore.BackupName(steps.backupSeed, time.Now())
			progress(fmt.Sprintf("Taking a manual backup %s of target %s before the restore", name, target))
			b, err := restore.BackupFirst{Client: pd.client, Target: target, Name: name,
				Description: "Taken by the hwc provider right before a restore onto this instance",
				OnProgress:  progress}.Take(runCtx)
			if err != nil {
				return err
			}
			steps.backupID = b.ID
			pd.lookups.Forget(target)
		}
		if steps.then != nil {
			return steps.then(runCtx)
		}
		return nil
	}
	res, _ := pd.runner.Run(ctx, restore.APIRequest(rreq, engine), concurrentRestore(engine, rreq), restore.Hooks{
		BeforeSubmit: before,
		OnSubmitted: func(jobID string, _ time.Time) {
			if jobID == "" {
				progress(fmt.Sprintf("Restore taken by the API (target %s went RESTORING), but its reply with the job id "+
					"was lost; waiting for %s to be ACTIVE", target, target))
				return
			}
			progress(fmt.Sprintf("Restore submitted: job %s onto %s", jobID, target))
		},
		OnSettling: func(err error) {
			progress(fmt.Sprintf("The reply to the restore was lost (%v); looking for its job in the task list of %s", err, target))
		},
		OnProgress: func(job rds.Job) {
			if job.Process != "" {
				progress(fmt.Sprintf("Restore job %s: %s, %s", job.ID, job.Status, job.Process))
			} else {
				progress(fmt.Sprintf("Restore job %s: %s", job.ID, job.Status))
			}
		},
		OnTargetBusy: func(status string) {
			progress(fmt.Sprintf("Waiting for target %s to be ACTIVE (it is %s)", target, status))
		},
	})
	return res
}

// backupLeftNotice names the backup backup_target_first took when the restore after it was not
// submitted (refused, interrupted, a failed step after it): the error says nothing was
// submitted, and without it the backup's id would be found only in the logs.
func backupLeftNotice(res restore.Result, steps *submitSteps, target string) diag.Diagnostics {
	var diags diag.Diagnostics
	if steps == nil || steps.backupID == "" {
		return diags
	}
	switch res.Kind {
	case restore.KindNotSubmitted:
		diags.AddWarning("Backup of the Target Taken, Restore Not Submitted",
			fmt.Sprintf("backup_target_first took manual backup %s of %s, and then the restore was not submitted (see the "+
				"error). The backup stays: it is an ordinary manual backup of the target as it was, and the next run takes "+
				"a new one. Delete it when it is not needed.", steps.backupID, target))
	case restore.KindUnknowable:
		diags.AddWarning("Backup of the Target Taken Before the Restore",
			fmt.Sprintf("backup_target_first took manual backup %s of %s right before the restore, whose outcome is unknown "+
				"(see the error). If the restore was taken, restoring backup %s onto %s undoes it.",
				steps.backupID, target, steps.backupID, target))
	}
	return diags
}

// surface is who reports an outcome: the resource (which keeps state) or the action (which
// does not), and how it names its deadline and trying again.
type surface struct {
	action   bool
	deadline string // e.g. "timeouts.create", "the action's timeout (60m)"
	setting  string // the argument that sets the deadline
	again    string // how to try again, e.g. "apply again"
	// update: the resource's Update, taking over a job an earlier apply left unsettled (the
	// object is not tainted by a failed update).
	update bool
	// interrupted: the user cancelled (Ctrl-C); expired: the deadline ran out.
	interrupted, expired bool
}

// outcomeDiagnostics is the one mapping from an outcome to what the user is told.
func outcomeDiagnostics(res restore.Result, s surface, target string) diag.Diagnostics {
	var diags diag.Diagnostics
	job := pick(res.JobID, "(id unknown)")
	switch res.Kind {
	case restore.KindNotSubmitted:
		var protected *protectedError
		var backup *restore.BackupError
		switch {
		case errors.As(res.Err, &protected):
			diags.AddAttributeError(path.Root("target_instance_id"), protected.finding.Summary,
				fmt.Sprintf("Checked again right before the submission: %v\n\nNothing was backed up, dropped or submitted."+
					"\n\n(Rule %s of the documented restore constraints.)", protected, protected.finding.Rule))
		case errors.As(res.Err, &backup):
			summary := "Backup of the Target Failed, Nothing Restored"
			if backup.Unknown {
				summary = "Backup of the Target Unknown, Nothing Restored"
			}
			diags.AddError(summary, fmt.Sprintf("backup_target_first is true, so the provider takes a manual backup of "+
				"the target before restoring onto it, and %v.\n\nNothing was restored onto %s. Fix the cause, then %s.",
				backup, target, s.again))
		case errors.Is(res.Err, restore.ErrNotTakenTwice):
			diags.AddError("Restore Not Submitted", fmt.Sprintf("%v\n\nNothing was restored onto %s. Check the "+
				"endpoint and the API's health, then %s.", res.Err, target, s.again))
		case errors.Is(res.Err, restore.ErrLostNotTaken):
			diags.AddError("Restore Not Submitted", fmt.Sprintf("%v\n\nNothing was restored onto %s; %s to run it.",
				res.Err, target, s.again))
		case s.interrupted:
			diags.AddError("Restore Not Submitted", fmt.Sprintf("The run was interrupted before the restore onto %s "+
				"was submitted. Nothing was submitted.", target))
		case s.expired:
			diags.AddError("Restore Not Submitted", fmt.Sprintf("%s ran out before the restore could be "+
				"submitted: %v\n\nNothing was submitted. Raise %s, or %s when the target is ACTIVE.",
				sentenceStart(s.deadline), res.Err, s.setting, s.again))
		default:
			diags.AddError("Restore Not Submitted", fmt.Sprintf("%v\n\nNothing was submitted.", res.Err))
		}
	case restore.KindUnknowable:
		diags.AddError("Restore Outcome Unknown", fmt.Sprintf("%v\n\nTarget: %s.\n\n%s", res.Err, target, listHint))
	case restore.KindCompleted, restore.KindAdopted, restore.KindRunning:
		if res.Unconfirmed {
			extra := " status is \"Unknown\"."
			if s.action {
				extra = ""
			}
			diags.AddWarning("Restore Taken, Job ID Unknown",
				fmt.Sprintf("The reply to the restore was lost. The provider did not send it again; the target %s "+
					"showed that the API took it (it went RESTORING) and is ACTIVE again now, but no task list named its job, "+
					"so the job's own outcome cannot be read.%s Check the target's data before relying on it.", target, extra))
		}
		if res.Kind == restore.KindAdopted {
			diags.AddWarning("Earlier Restore Taken Over",
				fmt.Sprintf("The apply that submitted restore job %s onto %s stopped before the job ended. That job has "+
					"completed, and this resource now records it. Nothing was submitted this time.", job, target))
		}
	case restore.KindFailed:
		what := fmt.Sprintf("The restore job %s onto %s failed: %s", job, target, pick(res.FailReason, "the API gave no fail_reason"))
		if res.Adopted {
			what = fmt.Sprintf("The restore job %s onto %s, submitted by an earlier apply that stopped before it ended, "+
				"failed: %s. Nothing was submitted this time.", job, target, pick(res.FailReason, "the API gave no fail_reason"))
		}
		then := "The resource is saved with status \"Failed\" (fail_reason); the next apply runs the restore " +
			"again. Fix the cause first."
		if s.action {
			then = "Fix the cause, then invoke the action again."
		}
		diags.AddError("Restore Job Failed", what+"\n\n"+then)
	case restore.KindInterrupted:
		if s.action {
			diags.AddError("Stopped Waiting for the Restore",
				fmt.Sprintf("The run was interrupted while the restore job %s onto %s was running. The job continues on "+
					"the server. Do not invoke the action again before it has ended: a second restore would overwrite the "+
					"target again.", job, target))
		} else if res.Unconfirmed {
			diags.AddWarning("Stopped Waiting for the Restore",
				fmt.Sprintf("The run was interrupted while the restore onto %s was running: its reply was lost, and the "+
					"target showed that the API took it (it went RESTORING), but no task list names its job. It continues "+
					"on the server; the resource is saved with status \"Unknown\", and nothing will be submitted again. "+
					"Check the target's data once it is ACTIVE again.", target))
		} else {
			diags.AddWarning("Stopped Waiting for the Restore",
				fmt.Sprintf("The run was interrupted while the restore job %s onto %s was running. The job continues on "+
					"the server; the resource is saved with status \"Running\". The next apply takes job %s over: it "+
					"waits for the job if it still runs and records its outcome (a failed job fails that apply). "+
					"Nothing will be submitted again.", job, target, job))
		}
	case restore.KindTimedOut:
		why := fmt.Sprintf("%v", res.Err)
		if s.expired {
			why = fmt.Sprintf("%s ran out while waiting: %v", s.deadline, res.Err)
		}
		if s.action {
			diags.AddError("Restore Did Not Finish",
				fmt.Sprintf("The restore was submitted (job %s onto %s) but %s\n\nThe job may still be running on the "+
					"server. Check the target before invoking the action again: a second invocation submits a new restore.",
					job, target, why))
		} else if s.update {
			diags.AddError("Restore Did Not Finish",
				fmt.Sprintf("Restore job %s onto %s, taken over from an earlier apply, did not end in time: %s\n\nThe "+
					"resource keeps status \"Running\"; the next apply takes job %s over again. Raise %s if the restore "+
					"needs longer.", job, target, why, job, s.setting))
		} else if res.Unconfirmed {
			diags.AddError("Restore Did Not Finish",
				fmt.Sprintf("The reply to the restore was lost. The provider did not send it again: the target %s showed "+
					"that the API took it (it went RESTORING), but no task list names its job, and %s\n\nThe resource is "+
					"saved with status \"Unknown\", and the CLI marks it tainted. The next apply does not restore again "+
					"while the state holds it: its plan stops with an error. Once the target is ACTIVE again, check its "+
					"data: to keep this restore as the resource's, run the CLI's `untaint` on the resource; to restore "+
					"again on purpose, `state rm` it and apply. Raise %s if the restore needs longer.",
					target, why, s.setting))
		} else {
			diags.AddError("Restore Did Not Finish",
				fmt.Sprintf("The restore was submitted (job %s onto %s) but %s\n\nThe resource is saved with status "+
					"\"Running\" and job_id %s, and the CLI marks it tainted. The next plain apply takes job %s over "+
					"instead of restoring again: it waits for the job if it still runs and records its outcome (a failed "+
					"job fails that apply). Under create_before_destroy the replacement is created before the old object "+
					"is handed over, so that apply stops before submitting anything: run the CLI's `untaint` on this "+
					"resource first (or, once such an apply has stopped, `state rm` it and `import` job %s), and the "+
					"apply takes the job over in place. Raise %s if the restore needs longer.",
					job, target, why, job, job, job, s.setting))
		}
	}
	return diags
}

// sentenceStart capitalizes a phrase that opens a sentence ("the action's timeout"), leaving an
// attribute name ("timeouts.create") as it is written.
func sentenceStart(phrase string) string {
	if strings.HasPrefix(phrase, "the ") {
		return "The " + phrase[len("the "):]
	}
	return phrase
}

// restoreKey identifies what a restore asks for: every argument that makes a new restore, with
// the documented defaults written or not alike (restore_all_database false, database_name {},
// type inferred) and triggers. Two configurations with one key ask for the same restore.
func restoreKey(ctx context.Context, args restoreArgs, triggers types.Map) string {
	rreq, _, _ := args.rulesRequest(ctx)
	k := struct {
		Source, Target, Type, Backup string
		Time                         int64
		DBs                          map[string]string
		All                          bool
		Triggers                     []string
	}{Source: rreq.SourceInstanceID, Target: rreq.TargetInstanceID, Type: rules.EffectiveType(rreq)}
	if k.Type == rules.TypeBackup {
		k.Backup = rreq.BackupID
	} else if rreq.RestoreTime != nil {
		k.Time = *rreq.RestoreTime
	}
	if len(rreq.DatabaseName) > 0 {
		k.DBs = rreq.DatabaseName
	}
	k.All = rreq.RestoreAllDatabase != nil && *rreq.RestoreAllDatabase
	if isKnownValue(triggers) {
		for key, v := range triggers.Elements() {
			s, _ := v.(types.String)
			k.Triggers = append(k.Triggers, key+"="+s.ValueString())
		}
		sort.Strings(k.Triggers)
	}
	b, _ := json.Marshal(k)
	return string(b)
}

// progressLogger reports the resource's progress in the provider's log, each line masked.
func (pd *providerData) progressLogger(ctx context.Context, target string) func(string) {
	return func(msg string) {
		tflog.Info(pd.logContext(ctx), "restore progress", map[string]any{"target_instance_id": target, "message": strings.TrimSpace(msg)})
	}
}

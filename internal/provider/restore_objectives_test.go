package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
)

func TestSetObjectives_cases(t *testing.T) {
	null := types.Int64Null()
	n := types.Int64Value
	cases := []struct {
		name                               string
		status, submitted, restored, ended types.String
		wantPoint, wantTime                types.Int64
	}{
		{"completed", types.StringValue(statusCompleted), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T02:00:00Z"), types.StringValue("2026-12-02T06:42:30Z"), n(16200), n(750)},
		{"completed, status as the API writes it in another case", types.StringValue("COMPLETED"),
			types.StringValue("2026-12-02T06:30:00Z"), types.StringValue("2026-12-02T06:29:00Z"),
			types.StringValue("2026-12-02T06:30:05Z"), n(60), n(5)},
		{"completed, restored_to in milliseconds is truncated to whole seconds", types.StringValue(statusCompleted),
			types.StringValue("2026-12-02T06:30:00Z"), types.StringValue("2026-12-02T06:19:59.5Z"),
			types.StringValue("2026-12-02T06:30:00Z"), n(600), n(0)},
		{"completed, restored_to with an offset", types.StringValue(statusCompleted), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T14:00:00+08:00"), types.StringValue("2026-12-02T06:31:00Z"), n(1800), n(60)},
		{"failed: neither is proven", types.StringValue(statusFailed), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T02:00:00Z"), types.StringValue("2026-12-02T06:40:00Z"), null, null},
		{"running", types.StringValue(statusRunning), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T02:00:00Z"), types.StringValue(""), null, null},
		{"job id lost (Unknown), even with an end", types.StringValue(statusUnknown), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T02:00:00Z"), types.StringValue("2026-12-02T06:40:00Z"), null, null},
		{"restored_to unknown at apply", types.StringValue(statusCompleted), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringUnknown(), types.StringValue("2026-12-02T06:40:00Z"), null, n(600)},
		{"restored_to empty (a backup without an end time)", types.StringValue(statusCompleted),
			types.StringValue("2026-12-02T06:30:00Z"), types.StringValue(""), types.StringValue("2026-12-02T06:40:00Z"), null, n(600)},
		{"import: restored_to null, job times known", types.StringValue(statusCompleted),
			types.StringValue("2026-12-02T06:30:00Z"), types.StringNull(), types.StringValue("2026-12-02T06:31:01Z"), null, n(61)},
		{"import of a job without a created time", types.StringValue(statusCompleted), types.StringValue(""),
			types.StringNull(), types.StringValue("2026-12-02T06:31:01Z"), null, null},
		{"completed without completed_at", types.StringValue(statusCompleted), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T06:00:00Z"), types.StringValue(""), n(1800), null},
		{"clocks apart: a negative difference is 0", types.StringValue(statusCompleted), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T06:30:00.4Z"), types.StringValue("2026-12-02T06:29:58Z"), n(0), n(0)},
		{"status unknown in a plan", types.StringUnknown(), types.StringValue("2026-12-02T06:30:00Z"),
			types.StringValue("2026-12-02T06:00:00Z"), types.StringValue("2026-12-02T06:40:00Z"), null, null},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := restoreModel{Status: c.status, SubmittedAt: c.submitted, CompletedAt: c.ended}
			m.RestoredTo = c.restored
			// What was there before never survives: the numbers are derived again each time.
			m.RecoveryPointAgeSeconds, m.RecoveryTimeSeconds = types.Int64Unknown(), types.Int64Value(-1)
			setObjectives(&m)
			if !m.RecoveryPointAgeSeconds.Equal(c.wantPoint) {
				t.Errorf("recovery_point_age_seconds = %s, want %s", m.RecoveryPointAgeSeconds, c.wantPoint)
			}
			if !m.RecoveryTimeSeconds.Equal(c.wantTime) {
				t.Errorf("recovery_time_seconds = %s, want %s", m.RecoveryTimeSeconds, c.wantTime)
			}
		})
	}
}

// Every way the resource records an outcome derives the objectives: a job that completed or was
// taken over, a refresh that sees the job end, and an import.
func TestSetObjectives_calledOnEveryOutcome(t *testing.T) {
	submitted := time.Date(2026, 12, 2, 6, 30, 0, 0, time.UTC)
	withPoint := func() restoreModel {
		var m restoreModel
		m.RestoredTo = types.StringValue("2026-12-02T06:00:00Z")
		return m
	}
	outcome := func(kind restore.Kind) restoreModel {
		m := withPoint()
		recordOutcome(&m, restore.Result{Kind: kind, JobID: "job-1", SubmittedAt: submitted,
			CompletedAt: submitted.Add(90 * time.Second), FailReason: "x"}, "target-1")
		return m
	}
	job := func(status, ended string) restoreModel {
		m := withPoint()
		m.SubmittedAt = types.StringValue("")
		applyJob(&m, &rds.Job{ID: "job-1", Status: status, Created: "2026-12-02T06:30:00+0000", Ended: ended})
		return m
	}
	n := types.Int64Value
	null := types.Int64Null()
	cases := []struct {
		name            string
		m               restoreModel
		wantPoint, want types.Int64
	}{
		{"completed", outcome(restore.KindCompleted), n(1800), n(90)},
		{"taken over", outcome(restore.KindAdopted), n(1800), n(90)},
		{"failed", outcome(restore.KindFailed), null, null},
		{"timed out", outcome(restore.KindTimedOut), null, null},
		{"refresh: completed", job(rds.JobCompleted, "2026-12-02T06:31:30+0000"), n(1800), n(90)},
		{"refresh: running", job(rds.JobRunning, ""), null, null},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !c.m.RecoveryPointAgeSeconds.Equal(c.wantPoint) || !c.m.RecoveryTimeSeconds.Equal(c.want) {
				t.Errorf("objectives = %s, %s; want %s, %s", c.m.RecoveryPointAgeSeconds, c.m.RecoveryTimeSeconds, c.wantPoint, c.want)
			}
		})
	}
}

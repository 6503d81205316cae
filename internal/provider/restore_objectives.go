package provider

import (
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// restoreObjectives are the two numbers a drill proves, derived from the times the resource
// records (setObjectives), so that a postcondition or a check block can hold them to objectives:
// the configuration language cannot subtract two timestamps.
type restoreObjectives struct {
	RecoveryPointAgeSeconds types.Int64 `tfsdk:"recovery_point_age_seconds"`
	RecoveryTimeSeconds     types.Int64 `tfsdk:"recovery_time_seconds"`
}

// Descriptions of the objectives.
const (
	descRecoveryPointAgeSeconds = "How old the restored data was when the restore was submitted, in whole seconds: " +
		"`submitted_at` minus `restored_to`, the recovery point a drill proves (never below 0). Set once the job is `Completed` " +
		"(also after a takeover of an earlier apply's job); null while it runs, when it failed (a failed restore " +
		"recovered nothing), and when `restored_to` is not known (an imported restore)."
	descRecoveryTimeSeconds = "How long the restore took, in whole seconds: `completed_at` minus `submitted_at`, the " +
		"recovery time a drill proves (never below 0; `submitted_at` is this machine's clock, `completed_at` the API's). Set once the job is `Completed` (also after a takeover, and after an import); " +
		"null while it runs and when it failed: a job that failed proves no recovery time, however long it ran."
)

// setObjectives derives recovery_point_age_seconds and recovery_time_seconds from the model's
// status, submitted_at, restored_to and completed_at. Only a Completed job proves anything; a
// number whose times are not both known stays null. Differences are truncated to whole seconds
// (restored_to may carry milliseconds, the other times do not). submitted_at is this machine's
// clock when the API took the restore, completed_at and a backup's end the API's: a difference
// that clocks a little apart make negative is 0.
func setObjectives(m *restoreModel) {
	m.RecoveryPointAgeSeconds = types.Int64Null()
	m.RecoveryTimeSeconds = types.Int64Null()
	if !strings.EqualFold(m.Status.ValueString(), statusCompleted) {
		return
	}
	submitted, ok := knownStateTime(m.SubmittedAt)
	if !ok {
		return
	}
	if point, ok := knownStateTime(m.RestoredTo); ok {
		m.RecoveryPointAgeSeconds = types.Int64Value(wholeSeconds(submitted.Sub(point)))
	}
	if completed, ok := knownStateTime(m.CompletedAt); ok {
		m.RecoveryTimeSeconds = types.Int64Value(wholeSeconds(completed.Sub(submitted)))
	}
}

// knownStateTime reads a recorded time; ok is false when it is null, unknown or empty.
func knownStateTime(v types.String) (time.Time, bool) {
	if !isKnownValue(v) || v.ValueString() == "" {
		return time.Time{}, false
	}
	t, err := parseStateTime(v.ValueString())
	return t, err == nil
}

// wholeSeconds is d in whole seconds, truncated; 0 when d is negative.
func wholeSeconds(d time.Duration) int64 {
	return int64(max(d, 0) / time.Second)
}

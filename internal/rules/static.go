package rules

import (
	"fmt"
	"strings"
	"time"
)

// restoreTimeSkew: the user's clock, the provider's and the API's differ a little, so a
// restore_time a few minutes ahead of "now" is more likely skew than a mistake (S5).
const restoreTimeSkew = 5 * time.Minute

// secondsThreshold: 10^11 milliseconds is 1973-03-03, long before any RDS backup, while 10^11
// seconds is the year 5138. A restore_time below it was almost certainly written in seconds (S5).
const secondsThreshold = int64(1e11)

// CheckStatic runs the rules that need only the configuration: every rule of the catalogue
// with a static check (S1-S5, S7-S11). S6 needs the engine (checked by CheckAPI as A10) and S12
// needs the instance's case rule (CheckAPI). now is the current time for S5; a zero now skips
// the "not in the future" check.
func CheckStatic(req Request, now time.Time) []Finding {
	var c collector
	for _, r := range catalogue {
		if r.static != nil {
			r.static(&c, req, now)
		}
	}
	return c.sorted()
}

// EffectiveType is the restore mode the request means: "backup", "timestamp", or "" when it
// cannot be decided (an invalid type, or type omitted with both or neither of backup_id and
// restore_time). A valid explicit type wins even when the other fields disagree with it (S3/S4
// report that); an omitted type is inferred the way the API documents it.
func EffectiveType(req Request) string {
	switch req.Type {
	case TypeBackup, TypeTimestamp:
		return req.Type
	case "":
		hasBackup, hasTime := isSet(req.BackupID), req.RestoreTime != nil
		switch {
		case hasBackup && !hasTime:
			return TypeBackup
		case hasTime && !hasBackup:
			return TypeTimestamp
		}
	}
	return ""
}

// isSet treats a blank string as not set: the API cannot use an id made of spaces either.
func isSet(s string) bool { return strings.TrimSpace(s) != "" }

// S1: both instance ids are required.
func checkInstanceIDs(c *collector, req Request, _ time.Time) {
	if !isSet(req.SourceInstanceID) {
		c.param("S1", AttrSourceInstanceID, "Missing Source Instance ID",
			"source_instance_id is %q: the instance whose backup or point in time is restored is required and must not be empty. Set it to the id of the original DB instance.",
			req.SourceInstanceID)
	}
	if !isSet(req.TargetInstanceID) {
		c.param("S1", AttrTargetInstanceID, "Missing Target Instance ID",
			"target_instance_id is %q: the existing instance to restore onto is required and must not be empty. Set it to the id of the DB instance that receives the data.",
			req.TargetInstanceID)
	}
}

// S2: the type, when set, is one of the two modes.
func checkType(c *collector, req Request, _ time.Time) {
	switch req.Type {
	case "", TypeBackup, TypeTimestamp:
		return
	}
	hint := ""
	if t := strings.ToLower(strings.TrimSpace(req.Type)); t == TypeBackup || t == TypeTimestamp {
		hint = fmt.Sprintf(" Did you mean %q?", t)
	}
	c.param("S2", AttrType, "Invalid Restore Type",
		"type is %q: the restore mode must be \"backup\" or \"timestamp\" (or omitted when backup_id is set).%s",
		req.Type, hint)
}

// S3: in backup mode, backup_id is set and restore_time is not.
func checkBackupMode(c *collector, req Request, _ time.Time) {
	if req.Type != TypeBackup {
		return
	}
	if !isSet(req.BackupID) {
		c.param("S3", AttrBackupID, "Missing Backup ID",
			"type is \"backup\" but backup_id is %q: backup mode requires the id of the backup to restore. Set backup_id, or use type = \"timestamp\" with restore_time.",
			req.BackupID)
	}
	if req.RestoreTime != nil {
		c.param("S3", AttrRestoreTime, "Restore Time Not Allowed In Backup Mode",
			"type is \"backup\" but restore_time is set to %d: in backup mode restore_time must not be set. Remove restore_time, or use type = \"timestamp\" without backup_id.",
			*req.RestoreTime)
	}
}

// S4: in timestamp mode, restore_time is set and backup_id is not; whatever the type, exactly
// one of the two is set.
func checkTimestampMode(c *collector, req Request, _ time.Time) {
	hasBackup, hasTime := isSet(req.BackupID), req.RestoreTime != nil
	switch req.Type {
	case TypeBackup:
		return // S3
	case TypeTimestamp:
		if !hasTime {
			c.param("S4", AttrRestoreTime, "Missing Restore Time",
				"type is \"timestamp\" but restore_time is not set: timestamp mode requires the point in time to restore (Unix milliseconds, UTC). Set restore_time, or use type = \"backup\" with backup_id.")
		}
		if hasBackup {
			c.param("S4", AttrBackupID, "Backup ID Not Allowed In Timestamp Mode",
				"type is \"timestamp\" but backup_id is set to %q: in timestamp mode backup_id must not be set. Remove backup_id, or use type = \"backup\" without restore_time.",
				req.BackupID)
		}
		return
	}
	// Omitted type (or one S2 refuses, which cannot be trusted): backup_id alone means backup
	// mode, restore_time alone timestamp mode (the provider then sends type=timestamp, which the
	// API requires). Both or neither leaves the mode undecidable.
	switch {
	case hasBackup && hasTime:
		c.param("S4", AttrRestoreTime, "Conflicting Restore Mode",
			"Both backup_id (%q) and restore_time (%d) are set, and type is omitted: exactly one of backup_id and restore_time is allowed. Keep backup_id to restore a backup, or restore_time (with type = \"timestamp\") to restore a point in time.",
			req.BackupID, *req.RestoreTime)
	case !hasBackup && !hasTime:
		c.param("S4", AttrBackupID, "Missing Restore Source",
			"Neither backup_id nor restore_time is set: exactly one of backup_id and restore_time is required. Set backup_id to restore a backup, or restore_time (Unix milliseconds, UTC) to restore a point in time.")
	}
}

// S5: restore_time is Unix milliseconds, UTC: positive, not in the future, and not a value in
// seconds by mistake. A value below 10^11 is an error, not a warning: as milliseconds it lies in
// 1970-1973, which no restorable time range can contain, so the API could never accept it.
func checkRestoreTime(c *collector, req Request, now time.Time) {
	rt := req.RestoreTime
	if rt == nil {
		return
	}
	v := *rt
	switch {
	case v <= 0:
		c.param("S5", AttrRestoreTime, "Invalid Restore Time",
			"restore_time is %d: it must be a positive Unix time in milliseconds (UTC), such as 1532001446987. Set it to a time inside the source's restorable time ranges.", v)
	case v < secondsThreshold:
		hint := ""
		if now.IsZero() || v*1000 <= now.Add(restoreTimeSkew).UnixMilli() {
			hint = fmt.Sprintf(" Did you mean %d (%s)?", v*1000, formatMillis(v*1000))
		}
		c.param("S5", AttrRestoreTime, "Restore Time Looks Like Seconds",
			"restore_time is %d, which as Unix milliseconds is %s, long before any backup: restore_time is in milliseconds, not seconds.%s Multiply a time in seconds by 1000.",
			v, formatMillis(v), hint)
	case !now.IsZero() && v > now.Add(restoreTimeSkew).UnixMilli():
		c.param("S5", AttrRestoreTime, "Restore Time In The Future",
			"restore_time is %d (%s), later than now (%s): a point in time can only be restored once it has passed. Choose a time in the past, inside the source's restorable time ranges.",
			v, formatMillis(v), now.UTC().Format(time.RFC3339))
	}
}

// formatMillis renders Unix milliseconds as RFC 3339 UTC for messages; a value out of the
// printable range (years past 9999) is described instead of being printed wrong.
func formatMillis(ms int64) string {
	const maxMillis = 253402300799999 // 9999-12-31T23:59:59.999Z
	if ms < 0 || ms > maxMillis {
		return "a time beyond the year 9999"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

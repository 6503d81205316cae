package rds

import "time"

// The API's time formats (package doc, Times): the one place the client spells them.
const (
	// TimeLayout is how the API writes times ("2018-08-06T10:41:14+0000": jobs' created and
	// ended, backups' begin_time and end_time, tasks' create_time and end_time) and how the
	// backup listing takes begin_time and end_time.
	TimeLayout = "2006-01-02T15:04:05-0700"
	// DateLayout is the restore-time call's date parameter (yyyy-mm-dd, UTC).
	DateLayout = "2006-01-02"
)

// timeLayouts are what ParseTime accepts: TimeLayout, RFC 3339, and TimeLayout with a "Z" for
// UTC, which some replies write.
var timeLayouts = []string{TimeLayout, time.RFC3339, "2006-01-02T15:04:05Z0700"}

// ParseTime reads a time as the API writes it (any of timeLayouts); ok is false for anything
// else, the empty string included.
func ParseTime(s string) (t time.Time, ok bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatTime writes t in TimeLayout, keeping its offset (the backup listing's begin_time and
// end_time).
func FormatTime(t time.Time) string { return t.Format(TimeLayout) }

// FormatMillis renders Unix milliseconds (restore times and windows) as RFC 3339 in UTC with
// the milliseconds kept, so the string names exactly the same instant as the number (a range
// starting at .987 must not read as if it started at .000, a moment outside it).
func FormatMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

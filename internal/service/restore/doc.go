// Package restore runs one restore to an existing DB instance against the API: it gathers the
// facts the documented rules need, waits for a busy target (but not behind a restore it did not
// submit: ForeignRestores), submits exactly once, finds out what happened when a submission's
// reply was lost (adopting only the one task the submission explains, Candidate, and resending
// only on positive proof that it was not taken), and waits for the job and the target. Right
// before the submission it can take a manual backup of the target (BackupFirst, backupfirst.go:
// the undo of a drill), submitted exactly once by the same principles. It also lists past
// restores from the task list (PastRestores, for the list resource). It knows nothing of
// Terraform; the resource, the action and the list resource drive it.
package restore

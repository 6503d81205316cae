// Package restore runs one restore to an existing DB instance against the API: it gathers the
// facts the documented rules need, waits for a busy target, submits exactly once, finds out what
// happened when a submission's reply was lost, and waits for the job and the target. Right before
// the submission it can take a manual backup of the target (BackupFirst, backupfirst.go: the undo
// of a drill), submitted exactly once by the same principles. It knows nothing of Terraform; the
// resource and the action both drive it.
package restore

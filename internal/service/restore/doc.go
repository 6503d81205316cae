// Package restore runs one restore to an existing DB instance against the API: it gathers the
// facts the documented rules need, waits for a busy target, submits exactly once, finds out what
// happened when a submission's reply was lost, and waits for the job and the target. It also
// lists past restores from the task list (history.go), for the list resource. It knows nothing
// of Terraform; the resource, the action and the list resource drive it.
package restore

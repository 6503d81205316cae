package restore

import "time"

// ClockSlack is how far the API's clock may be from this machine's when a task's create_time
// (the API's clock) is compared with the moment a submission was sent (this machine's). A server
// clock behind ours dates the task of a submission before the moment we sent it, one ahead after
// the moment its reply was lost; machines kept by NTP are within a second of each other, and a
// minute leaves room for a poorly kept one. A submission's job dated further off is not taken for
// it: the settling then does not know which task is its job, and says so rather than guess (see
// maxServerSkew for how far back it still looks).
const ClockSlack = time.Minute

// maxServerSkew bounds how far the API's clock can be behind this machine's at all: the gateway
// refuses a request whose signed date is more than 15 minutes off its clock (rds package doc,
// Signing), so a submission that was accepted was dated within 15 minutes of the server's time.
// The settling lists the target's tasks that far back: a restore task there that no submission
// explains (older than ClockSlack allows) could be this submission's under a badly skewed clock,
// so it forbids concluding "not taken".
const maxServerSkew = 15 * time.Minute

// Candidate returns the restore task that a submission whose reply was lost made, when the task
// list proves which one it is: among tasks (the restore tasks on the submission's target), the
// only restore task not owned (a job the caller already knows as its own: Runner.Owns, or nil)
// and created inside the submission's window, from ClockSlack before sentAt (the moment just
// before the request was written, on this machine's clock) to ClockSlack after lostAt (the moment
// its reply was given up on; a caller that does not know it passes sentAt plus the request
// timeout, rds.DefaultRequestTimeout unless configured). A task whose create_time is unknown
// could be it too. No such task, or two or more (a restore by someone else in the same minute),
// is false: the caller must not adopt any of them, and says the outcome is unknown.
//
// This is the one rule for adopting a task for a lost submission: the runner's settling and
// the resource's Read of a restore whose job id is unknown both use it.
func Candidate(tasks []Task, sentAt, lostAt time.Time, owned func(jobID string) bool) (Task, bool) {
	in, _ := sortCandidates(tasks, sentAt, lostAt, owned)
	if len(in) != 1 {
		return Task{}, false
	}
	return in[0], true
}

// sortCandidates splits the unowned restore tasks into those the submission's window explains
// (in: any one of them could be its job) and those it does not (outside: restores by someone
// else, or this submission's under a clock further off than ClockSlack).
func sortCandidates(tasks []Task, sentAt, lostAt time.Time, owned func(jobID string) bool) (in, outside []Task) {
	if lostAt.Before(sentAt) {
		lostAt = sentAt
	}
	from, to := sentAt.Add(-ClockSlack), lostAt.Add(ClockSlack)
	for _, t := range tasks {
		if !t.Restore || t.ID == "" || (owned != nil && owned(t.ID)) {
			continue
		}
		if t.Created.IsZero() || !t.Created.Before(from) && !t.Created.After(to) {
			in = append(in, t)
		} else {
			outside = append(outside, t)
		}
	}
	return in, outside
}

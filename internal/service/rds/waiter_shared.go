package rds

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// The shared watcher: when a process waits for many restore jobs at once (a drill of twenty or
// fifty databases in one apply), polling every job on its own schedule costs about five calls
// per job, and the API's budget (60 calls a minute per user) is shared by all of them and by the
// submissions still queued. But one instance listing shows up to a hundred targets' status, and a
// target is RESTORING exactly while its restore runs. So while a crowd of jobs is waited for, each
// job's wait follows its target through listings shared by all (one listing every few seconds
// serves every job), and reads the job itself only when its target has left RESTORING (to learn
// Completed or Failed, and fail_reason). A job whose target the listings do not explain (not
// listed, never seen RESTORING, or ACTIVE while the job still runs) goes back to being polled
// on its own, and a job still RESTORING long after it started is read now and then, so that a
// target kept busy by someone else cannot hide its end.
//
// One job of the crowd, the pilot (the first to join), keeps being polled on its own schedule,
// which follows its `process` and sees its end within half a second. Restores submitted together
// tend to end together: when the pilot's job ends, or a listing shows a target leave RESTORING,
// the listings come at their shortest interval for as long as the jobs submitted after that one
// were submitted after it.
//
// The task list (GET /v3/{project_id}/tasklist) does better still where it shows restores: one
// call shows every job of the crowd with its own status and fail_reason, so a job whose task
// reads Completed or Failed ends its wait without a call of its own (the pilot's too), and the
// task's instance_status stands in for the listing after the job: the very task list that
// showed the end answers the wait for ACTIVE. Its polls follow what each task's `process` says
// of the job's end (see dueGap) instead of a fixed interval, and go as priority requests, for
// which the limiter keeps a reserve of the minute: a drill's submissions fill the gateway's
// minute at once, and a job that ends within it must still be seen. The listings of instances
// stay the fallback: the watcher switches to them for good when the task list is missing (404
// APIGW.0101), or when it stays silent about jobs submitted long enough ago to show there
// (taskSilentAfter, twice), as a cloud whose task list leaves restores out would. A job the task
// list does not show while it shows others is polled on its own after taskSilentAfter.
//
// After its job, a restore waits for its target to be ACTIVE again through the next listing too
// (WaitForInstanceShared), so the twenty targets of jobs that end together cost one listing,
// not twenty reads.

// Watcher tuning.
const (
	// crowdEnter is how many concurrent job waits (with a Target) make a crowd; below it every
	// job is polled on its own schedule (about five calls per job, the end seen within 0.5 s).
	// The crowd ends when at most one job remains and nobody waits for a target's status.
	crowdEnter = 4
	// The listing interval: an eighth of the age of the oldest job waited for (the end of a job
	// is seen within ~12% of its length), between 1 s and 8 s, and never more often than a
	// quarter of the client's budget allows (a listing every 4 s at 60 calls a minute, 2 s at
	// 120): the listings share the budget with the submissions still queued.
	listingMinInterval = time.Second
	listingMaxInterval = 8 * time.Second
	listingBudgetShare = 4
	// maxDense bounds a stretch of listings at the shortest interval.
	maxDense = time.Minute
	// maxListingPages bounds one listing (500 instances); targets past it are polled alone.
	maxListingPages = 5
	// crowdBackstop is when a job still RESTORING is first read anyway; then at twice its age.
	crowdBackstop = 2 * time.Minute
	// maxListingFailures in a row make a job stop relying on the listings.
	maxListingFailures = 3
	// taskSilentAfter is how long after its submission a job must show in the task list: a new
	// job is invisible for a few seconds at most. taskSilentRounds task lists in a row that show
	// none of the jobs older than that switch the watcher to instance listings.
	taskSilentAfter  = 15 * time.Second
	taskSilentRounds = 2
	// taskBudgetShare replaces listingBudgetShare while the task list serves and the listings are
	// dense (jobs ending): one call then covers every job, so it may come twice as often (every
	// 2 s at 60 calls a minute) and the last end of a crowd is seen within about 2 s.
	taskBudgetShare = 2
	// While the task list serves, the polls follow each job's expected end (from its `process`,
	// see jobWatch.estimate) rather than a fixed interval: the next poll goes endMargin after
	// the earliest end that may come next (task lists are priority requests: the limiter keeps
	// a reserve for them, so queued submissions cannot hold them back), and while an end is due (between its
	// earliest and latest estimate, and dueSlack after) every dueGap, or longer when one task
	// list takes more pages than the budget allows at that pace. The last end of a crowd is
	// then seen within dueGap. With nothing due, a poll at most every estBackstop, which also
	// refreshes the estimates. A job whose estimate has passed (its process is not linear)
	// brings back the fixed interval.
	dueGap      = 2500 * time.Millisecond
	dueSlack    = 3 * time.Second
	endMargin   = 200 * time.Millisecond
	estBackstop = 30 * time.Second
	// taskWindowBefore widens the task list's creation-time filter before the oldest job waited
	// for (clocks differ; a job's create_time may precede the moment its submission returned).
	taskWindowBefore = 5 * time.Minute
)

// Watcher is a Client whose job waits share instance listings while many run at once. One
// Watcher serves a whole provider process (the restore runner's client); it is safe for
// concurrent use. Everything but WaitForJob is the Client's own.
type Watcher struct {
	*Client
	w *watcher
}

// NewWatcher wraps c.
func NewWatcher(c *Client) *Watcher {
	return &Watcher{Client: c, w: &watcher{c: c, jobs: map[*jobWatch]struct{}{}, kick: make(chan struct{}, 1),
		minInterval: listingMinInterval, maxInterval: listingMaxInterval, backstop: crowdBackstop, taskSilent: taskSilentAfter,
		dueGap: dueGap, dueSlack: dueSlack, endMargin: endMargin, estBackstop: estBackstop}}
}

// WaitForJob is Client.WaitForJob, except that while a crowd of jobs with a Target is waited for
// at once, this job is followed through the shared listings (see the top of this file).
func (w *Watcher) WaitForJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	if opts.Target == "" {
		return w.Client.WaitForJob(ctx, jobID, opts)
	}
	submitted := opts.SubmittedAt
	if submitted.IsZero() {
		submitted = time.Now()
	}
	j := w.w.join(jobID, opts.Target, submitted)
	job, err := w.Client.waitForJob(ctx, jobID, opts, j)
	j.leave(err == nil || job != nil && strings.EqualFold(job.Status, JobFailed))
	return job, err
}

// WaitForInstanceShared waits until an instance has the status want, through the listings that
// a crowd of job waits shares: it costs no call of its own. ok is false when there is no crowd
// (or the listings cannot show the instance): the caller then reads the instance itself.
func (w *Watcher) WaitForInstanceShared(ctx context.Context, id, want string) (in *Instance, ok bool, err error) {
	ww := w.w
	// The task list that showed the job's end showed the target's status at that moment too.
	if l := ww.takeEndSeen(id); l != nil {
		if got, ok := l.byID[id]; ok && HasStatus(&got, want) {
			return &got, true, nil
		}
	}
	if !ww.enterStatusWait() {
		return nil, false, nil
	}
	defer ww.leaveStatusWait()
	for ww.crowded() {
		l, err := ww.await(ctx)
		if err != nil {
			return nil, false, err
		}
		if l.err != nil {
			return nil, false, nil
		}
		got, found := l.byID[id]
		if !found {
			return nil, false, nil
		}
		if HasStatus(&got, want) {
			return &got, true, nil
		}
	}
	return nil, false, nil
}

// WatcherStats are the shared watcher's counters, for benchmarks.
type WatcherStats struct {
	Listings, Pages int64
	// TaskLists of Listings were task lists; TasksOff says the watcher gave the task list up.
	TaskLists int64
	TasksOff  bool
}

// WatcherStats returns the shared listings made so far.
func (w *Watcher) WatcherStats() WatcherStats {
	w.w.mu.Lock()
	defer w.w.mu.Unlock()
	return WatcherStats{Listings: w.w.stats.listings, Pages: w.w.stats.pages, TaskLists: w.w.stats.taskLists, TasksOff: w.w.tasksOff}
}

// watcher is the shared state behind a Watcher.
type watcher struct {
	c *Client

	mu            sync.Mutex
	jobs          map[*jobWatch]struct{}
	statusWaiters int
	crowd         bool
	pilot         *jobWatch
	next          *sharedListing // the listing waiters are waiting for; nil when nobody waits
	running       bool           // the poll loop runs
	cancel        context.CancelFunc
	kick          chan struct{} // wakes the loop to look at its schedule again
	denseUntil    time.Time     // listings at the shortest interval until then
	last          time.Time     // when the last listing was sent
	stats         struct{ listings, pages, taskLists int64 }
	tasksOff      bool // the task list is missing or silent about restores: list instances
	silentRounds  int  // task lists in a row that showed none of the jobs old enough to show
	// tasksServing: the last task list showed some of the jobs (their ends come from it).
	tasksServing bool
	// typLower, typUpper bound the length of the jobs with an estimate (medians), for the jobs
	// not yet estimated: restores of one drill tend to last alike. Zero: none estimated.
	typLower, typUpper time.Duration
	lastPages          int // pages of the last task list
	// endSeen is, per target, the task list that showed its job's end (and so the target's
	// status after it): the wait for ACTIVE that follows needs no listing of its own.
	endSeen map[string]*sharedListing
	// The constants above; tests scale them down.
	minInterval, maxInterval, backstop, taskSilent time.Duration
	dueGap, dueSlack, endMargin, estBackstop       time.Duration
}

// sharedListing is one listing of the instances, delivered to everyone waiting for it.
type sharedListing struct {
	done     chan struct{}
	sent     time.Time
	byID     map[string]Instance
	complete bool
	err      error
	// viaTasks: this was a task list; tasks holds its tasks by id (byID then holds each task's
	// instance_status, which is all a status wait needs).
	viaTasks bool
	tasks    map[string]Task
}

// jobWatch is one job's membership of the crowd.
type jobWatch struct {
	w             *watcher
	jobID         string
	target        string
	submitted     time.Time
	usable        bool // the listings explain this job's target
	seenRestoring bool
	notExplained  int // listings that showed the target not RESTORING before it ever was
	failures      int
	backstop      time.Time
	// From the task list: the job was seen ended; the earliest and latest moment its end may
	// come, as its process so far says (zero: not estimated).
	seenEnded    bool
	lower, upper time.Time
}

func (w *watcher) join(jobID, target string, submitted time.Time) *jobWatch {
	j := &jobWatch{w: w, jobID: jobID, target: target, submitted: submitted, usable: true, backstop: submitted.Add(w.backstop)}
	w.mu.Lock()
	defer w.mu.Unlock()
	// Two jobs at once on one target (SQL Server database restores): its status cannot tell
	// which of them ended, so both are polled on their own.
	for o := range w.jobs {
		if o.target == target {
			o.usable, j.usable = false, false
		}
	}
	w.jobs[j] = struct{}{}
	delete(w.endSeen, target) // an earlier job's end says nothing about this one
	if w.pilot == nil {
		w.pilot = j
	}
	w.updateCrowdLocked()
	return j
}

// leave ends a job's membership; ended says its job was seen to end.
func (j *jobWatch) leave(ended bool) {
	w := j.w
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.jobs, j)
	if w.pilot == j {
		w.pilot = nil
		if ended {
			w.denseAfterLocked(j, time.Now())
		}
	}
	w.updateCrowdLocked()
	w.stopIfIdleLocked()
}

func (w *watcher) updateCrowdLocked() {
	switch {
	case len(w.jobs) >= crowdEnter:
		w.crowd = true
	case len(w.jobs) <= 1 && w.statusWaiters == 0:
		w.crowd = false
	}
}

// stopIfIdleLocked stops a listing in flight when nobody is left to use it (Ctrl-C, or the last
// restore done).
func (w *watcher) stopIfIdleLocked() {
	if len(w.jobs) == 0 && w.statusWaiters == 0 && w.cancel != nil {
		w.cancel()
	}
}

// denseAfterLocked notes that ended's job ended at now: the jobs submitted after it may end soon
// after it, so the listings come at the shortest interval for that long.
func (w *watcher) denseAfterLocked(ended *jobWatch, now time.Time) {
	latest := ended.submitted
	for j := range w.jobs {
		if j.submitted.After(latest) {
			latest = j.submitted
		}
	}
	until := now.Add(min(latest.Sub(ended.submitted), maxDense) + w.minInterval)
	if until.After(w.denseUntil) {
		w.denseUntil = until
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
}

// takeEndSeen returns (and forgets) the task list that showed the end of target's job.
func (w *watcher) takeEndSeen(target string) *sharedListing {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.endSeen[target]
	delete(w.endSeen, target)
	return l
}

func (w *watcher) enterStatusWait() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.crowd {
		return false
	}
	w.statusWaiters++
	return true
}

func (w *watcher) leaveStatusWait() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.statusWaiters--
	w.updateCrowdLocked()
	w.stopIfIdleLocked()
}

// active says whether this job should wait through the listings now (the pilot only until the
// task list is given up: while it serves, it sees the pilot's end as soon as the pilot's own
// polls would, and a job it does not show is polled alone after taskSilent anyway).
func (j *jobWatch) active() bool {
	j.w.mu.Lock()
	defer j.w.mu.Unlock()
	return j.usable && j.w.crowd && (j.w.pilot != j || !j.w.tasksOff)
}

// crowded reports whether the watcher is in crowd mode.
func (w *watcher) crowded() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.crowd
}

// await returns the next listing sent after the call, starting the poll loop when needed.
func (w *watcher) await(ctx context.Context) (*sharedListing, error) {
	w.mu.Lock()
	if w.next == nil {
		w.next = &sharedListing{done: make(chan struct{})}
	}
	l := w.next
	if !w.running {
		w.running = true
		lctx, cancel := context.WithCancel(context.Background())
		w.cancel = cancel
		go w.loop(lctx)
	}
	w.mu.Unlock()
	select {
	case <-l.done:
		return l, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// nextPoll is when the next listing is due.
func (w *watcher) nextPoll(now time.Time) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tasksServing && !w.tasksOff {
		if at, ok := w.taskScheduleLocked(now); ok {
			return at
		}
	}
	return w.last.Add(w.intervalLocked(now))
}

// taskScheduleLocked is the schedule that follows the jobs' expected ends; ok is false when a
// job has no estimate, or has outlived it (the fixed interval then).
func (w *watcher) taskScheduleLocked(now time.Time) (at time.Time, ok bool) {
	var first time.Time
	due, running := false, false
	for j := range w.jobs {
		if j.seenEnded {
			continue
		}
		running = true
		lo, hi := j.lower, j.upper
		if hi.IsZero() {
			if w.typUpper == 0 {
				return time.Time{}, false
			}
			lo, hi = j.submitted.Add(w.typLower), j.submitted.Add(w.typUpper)
		}
		switch {
		case now.After(hi.Add(w.dueSlack)):
			return time.Time{}, false
		case !now.Before(lo):
			due = true
		case first.IsZero() || lo.Before(first):
			first = lo
		}
	}
	if !running {
		return time.Time{}, false
	}
	// Someone waits for a target's status after its job's end: the task list shows it, so it
	// comes at the due pace until that wait is answered.
	if due || w.statusWaiters > 0 {
		gap := w.dueGap
		if rpm := w.c.limiter.configuredRate(); rpm > 0 {
			gap = max(gap, time.Duration(float64(w.lastPages)*float64(time.Minute)/rpm))
		}
		return w.last.Add(gap), true
	}
	at = first.Add(w.endMargin)
	if limit := w.last.Add(w.estBackstop); at.After(limit) {
		at = limit
	}
	return maxTime(at, w.last.Add(w.minInterval)), true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// intervalLocked is the fixed pause between listings now (see the constants).
func (w *watcher) intervalLocked(now time.Time) time.Duration {
	oldest := now
	for j := range w.jobs {
		if j.submitted.Before(oldest) {
			oldest = j.submitted
		}
	}
	d := min(max(now.Sub(oldest)/8, w.minInterval), w.maxInterval)
	if now.Before(w.denseUntil) {
		d = w.minInterval
	}
	if rpm := w.c.limiter.configuredRate(); rpm > 0 {
		share := float64(listingBudgetShare)
		if !w.tasksOff && now.Before(w.denseUntil) {
			share = taskBudgetShare
		}
		d = max(d, time.Duration(share*float64(time.Minute)/rpm))
	}
	return d
}

// loop sends a listing at each interval while someone waits for one, and stops when nobody
// does, or when its context ends (everyone is gone). Stopping and the check for waiters happen
// under one lock, so a waiter that arrives meanwhile starts a new loop.
func (w *watcher) loop(ctx context.Context) {
	for {
		// Sleep until the next listing is due; a kick (a job ended) recomputes the time.
		for {
			at := w.nextPoll(time.Now())
			t := time.NewTimer(time.Until(at))
			select {
			case <-ctx.Done():
			case <-t.C:
			case <-w.kick:
				t.Stop()
				continue
			}
			t.Stop()
			break
		}
		w.mu.Lock()
		l := w.next
		if l == nil || ctx.Err() != nil {
			w.running, w.cancel = false, nil
			if l != nil {
				// Only a status wait can be left once every job is gone: it then reads the
				// instance itself.
				w.next = nil
				l.err = ctx.Err()
				close(l.done)
			}
			w.mu.Unlock()
			return
		}
		w.next = nil
		w.mu.Unlock()
		w.list(ctx, l)
		close(l.done)
	}
}

// list fills l with one task list, or one listing of the instances when the task list does not
// serve (up to maxListingPages pages either way).
func (w *watcher) list(ctx context.Context, l *sharedListing) {
	l.sent = time.Now()
	l.byID = map[string]Instance{}
	w.mu.Lock()
	useTasks := !w.tasksOff
	w.mu.Unlock()
	// A task list is a priority request whatever the schedule: one call sees every job, and
	// the first one after the submissions is what the expected ends are estimated from.
	if useTasks && w.listTasks(WithPriority(ctx), l) {
		return
	}
	pages, complete, err := ListInstancePages(ctx, w.c, ListInstancesOptions{}, maxListingPages, func(page []Instance) {
		for _, in := range page {
			l.byID[in.ID] = in
		}
	})
	l.err, l.complete = err, complete
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last = l.sent
	w.stats.listings++
	w.stats.pages += int64(pages)
	if l.err != nil {
		return
	}
	// A watched target that left RESTORING: the jobs submitted after it may end soon too.
	for j := range w.jobs {
		if in, ok := l.byID[j.target]; ok && j.seenRestoring && !strings.EqualFold(in.Status, StatusRestoring) {
			w.denseAfterLocked(j, l.sent)
		}
	}
}

// waitTurn waits, through the shared listings, until this job is worth a poll of its own:
// its target left RESTORING (left is true), it is due for a backstop read, or the listings
// stopped explaining it (then j.usable is false). It returns at once when the crowd has
// dispersed (or this job became the pilot), so that the job is read now and then polled on its
// own schedule.
func (j *jobWatch) waitTurn(ctx context.Context) (left bool, ended *Job, err error) {
	for j.active() {
		l, err := j.w.await(ctx)
		if err != nil {
			return false, nil, err
		}
		if l.err != nil {
			if ctx.Err() != nil {
				return false, nil, ctx.Err()
			}
			j.failures++
			if !isTransient(l.err) || j.failures >= maxListingFailures {
				j.disable()
				return false, nil, nil
			}
			continue
		}
		j.failures = 0
		if l.viaTasks {
			// The job's own status: no backstop needed while it shows Running.
			t, ok := l.tasks[j.jobID]
			switch {
			case !ok && l.sent.Sub(j.submitted) >= 3*j.w.taskSilent:
				j.disable() // the task list does not show this job: poll it alone
				return false, nil, nil
			case ok && !strings.EqualFold(t.Status, JobRunning):
				return true, taskJob(t), nil
			}
			continue
		}
		in, ok := l.byID[j.target]
		switch {
		case !ok:
			j.disable()
			return false, nil, nil
		case strings.EqualFold(in.Status, StatusRestoring):
			j.setSeenRestoring()
			if now := time.Now(); now.After(j.backstop) {
				j.backstop = now.Add(now.Sub(j.submitted))
				return false, nil, nil
			}
		default:
			// Left RESTORING (or never seen so): the job decides.
			if !j.seenRestoring {
				j.notExplained++
			}
			return true, nil, nil
		}
	}
	return false, nil, nil
}

func (j *jobWatch) setSeenRestoring() {
	j.w.mu.Lock()
	defer j.w.mu.Unlock()
	j.seenRestoring = true
}

// stillRunning is told that the job is still running, read because its target was seen out
// of RESTORING (left) or for another reason: when the target left RESTORING while the job runs
// on (or was twice seen never entering it), the listings do not explain this job.
func (j *jobWatch) stillRunning(left bool) {
	if !left {
		return // a backstop read, or the crowd dispersed
	}
	if j.seenRestoring || j.notExplained >= 2 {
		j.disable()
	}
}

func (j *jobWatch) disable() {
	j.w.mu.Lock()
	defer j.w.mu.Unlock()
	j.usable = false
}

// listTasks fills l with the task list; false means it does not serve (missing, or silent about
// restores): l is untouched and the caller lists instances instead.
func (w *watcher) listTasks(ctx context.Context, l *sharedListing) bool {
	w.mu.Lock()
	oldest := l.sent
	for j := range w.jobs {
		if j.submitted.Before(oldest) {
			oldest = j.submitted
		}
	}
	w.mu.Unlock()
	opts := ListTasksOptions{StartTime: oldest.Add(-taskWindowBefore), EndTime: l.sent.Add(time.Minute), Limit: maxTaskPageSize}
	tasks := map[string]Task{}
	var order []Task // as listed: newest first
	pages, _, err := w.c.taskPages(ctx, opts, maxListingPages, func(page []Task) {
		for _, t := range page {
			tasks[t.ID] = t
		}
		order = append(order, page...)
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil && IsCode(err, CodeNoSuchAPI) {
		w.tasksOff = true
		return false
	}
	w.last = l.sent
	w.stats.listings++
	w.stats.taskLists++
	w.stats.pages += int64(pages)
	w.lastPages = pages
	l.viaTasks = true
	if err != nil {
		l.err = err
		return true
	}
	// Silent: none of the jobs old enough to show is there.
	old, shown := 0, 0
	for j := range w.jobs {
		if l.sent.Sub(j.submitted) < w.taskSilent {
			continue
		}
		old++
		if _, ok := tasks[j.jobID]; ok {
			shown++
		}
	}
	w.tasksServing = len(tasks) > 0 && w.showsAnyLocked(tasks)
	w.estimateLocked(tasks, l.sent)
	if old > 0 && shown == 0 {
		w.silentRounds++
		if w.silentRounds >= taskSilentRounds {
			w.tasksOff = true
		}
	} else if shown > 0 {
		w.silentRounds = 0
	}
	l.tasks = tasks
	// Newest first: the first task of a target carries its current status.
	for _, t := range order {
		if _, seen := l.byID[t.InstanceID]; !seen && t.InstanceID != "" && t.InstanceStatus != "" {
			l.byID[t.InstanceID] = Instance{ID: t.InstanceID, Name: t.InstanceName, Status: t.InstanceStatus}
		}
	}
	l.complete = true
	// A watched job that ended: the jobs submitted after it may end soon too.
	for j := range w.jobs {
		if t, ok := tasks[j.jobID]; ok && !strings.EqualFold(t.Status, JobRunning) {
			if w.endSeen == nil {
				w.endSeen = map[string]*sharedListing{}
			}
			w.endSeen[j.target] = l
			w.denseAfterLocked(j, l.sent)
		}
	}
	return true
}

// taskJob is the job as its task shows it.
func taskJob(t Task) *Job {
	return &Job{ID: t.ID, Name: t.Name, Status: t.Status, Created: t.CreateTime, Ended: t.EndTime, Process: t.Process,
		Instance: JobInstance{ID: t.InstanceID, Name: t.InstanceName}, FailReason: t.FailReason}
}

func (w *watcher) showsAnyLocked(tasks map[string]Task) bool {
	for j := range w.jobs {
		if _, ok := tasks[j.jobID]; ok {
			return true
		}
	}
	return false
}

// estimateLocked updates each job's estimated end from its task (see jobWatch.estimate), and
// the typical bounds from all of them.
func (w *watcher) estimateLocked(tasks map[string]Task, sent time.Time) {
	var lows, highs []time.Duration
	for j := range w.jobs {
		if t, ok := tasks[j.jobID]; ok {
			j.estimate(t, sent)
		}
		if !j.upper.IsZero() {
			lows, highs = append(lows, j.lower.Sub(j.submitted)), append(highs, j.upper.Sub(j.submitted))
		}
	}
	if len(highs) > 0 {
		w.typLower, w.typUpper = medianDuration(lows), medianDuration(highs)
	}
}

// estimate narrows the job's end from one task: a process of p% (whole percents, as RDS shows
// it) at e after the submission means the job lasts more than e*100/(p+1) and at most e*100/p.
// Each task list narrows the bounds further. The submission's time stands for the job's start,
// which is a little earlier: the bounds err early, toward a poll too many, not an end seen late.
// A process of 0% says nothing: a job that waits in a queue sits at 0%, so it would push the
// lower bound far past an end that comes soon after the job starts. Where the bounds disagree
// (a process that is not linear), the earlier one wins, for the same reason.
func (j *jobWatch) estimate(t Task, sent time.Time) {
	if strings.EqualFold(t.Status, JobCompleted) || strings.EqualFold(t.Status, JobFailed) {
		j.seenEnded = true
		return
	}
	p, e := parseProcess(t.Process), sent.Sub(j.submitted)
	if !strings.EqualFold(t.Status, JobRunning) || p <= 0 || p >= 100 || e <= 0 {
		return
	}
	if lo := j.submitted.Add(time.Duration(float64(e) * 100 / (p + 1))); lo.After(j.lower) {
		j.lower = lo
	}
	if hi := j.submitted.Add(time.Duration(float64(e) * 100 / p)); j.upper.IsZero() || hi.Before(j.upper) {
		j.upper = hi
	}
	if j.upper.Before(j.lower) {
		j.lower = j.upper
	}
}

func medianDuration(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

package rds

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// The watcher, one per provider process. A restore alone polls its own job (waiter.go). When
// several are waited for at once, one task list (GET /v3/{project_id}/tasklist) shows every job's
// status, process, fail_reason and instance status: one shared poller reads it when the earliest
// of their schedules (progress.delay) asks, at most every crowdGap, and hands each end to its wait
// by job id, with the target's status. Where the task list is missing (404 APIGW.0101) or silent,
// it lists the instances: a target out of RESTORING sends its wait to read its job. What it
// cannot explain polls alone. A busy target's job is watched the same way (WaitForBlockingJob).

// Watcher tuning.
const (
	// crowdGap is the shortest pause between two shared polls: the last end of a crowd is seen
	// within it (plus a request), under the three-second goal.
	crowdGap = 2500 * time.Millisecond
	// maxSharedPages bounds one shared poll (250 tasks or 500 instances).
	maxSharedPages = 5
	// taskSilentAfter: a job this old shows in the task list. Two task lists that show none of
	// those (and none shown between) switch to instance listings for good; a job missing from a
	// task list that shows others polls alone after three times that.
	taskSilentAfter = 15 * time.Second
	// crowdBackstop: a job whose target stays RESTORING this long since its own last read is
	// read again (someone else's restore may keep the target busy after ours ended).
	crowdBackstop = 2 * time.Minute
	// taskWindowBefore widens the task list's filter before the oldest job (clocks differ).
	taskWindowBefore = 5 * time.Minute
	// maxSharedAge: an adopted job older than this polls alone (the task list's window).
	maxSharedAge = time.Hour
)

// Watcher is a Client whose job waits share one poller while several run at once; one serves a
// provider process (the restore runner's client); safe for concurrent use.
type Watcher struct {
	*Client

	mu        sync.Mutex
	members   map[*member]bool // every wait with a Target; true while the poller watches it
	running   bool             // the poller runs
	cancel    context.CancelFunc
	kick      chan struct{}     // a member joined: the poller looks at its schedule again
	last      time.Time         // when the last shared poll was sent
	pages     int               // pages of the last shared poll
	tasksOff  bool              // the task list is missing or silent: list instances
	silent    int               // task lists in a row that showed none of the jobs old enough
	failures  int               // shared polls in a row that failed
	endStatus map[string]string // per target, its status in the poll that saw its job end
	// The constants above; tests scale them down.
	gap, taskSilent, backstop time.Duration
}

// member is one job wait.
type member struct {
	jobID, target string
	submitted     time.Time
	opts          WaitOptions // with defaults
	ch            chan *Job   // the poller's word: the job's end (from a task), or nil: read it
	p             progress
	next          time.Time // when its schedule wants the next look
	alone         bool      // polls on its own from now on
	signaled      bool      // the poller's last word sent it to read its job
	backstop      bool      // ... as a backstop
	lastRead      time.Time // the last read of its own (its submission before)
	lastKey       string    // status|process last reported to OnProgress
}

// NewWatcher wraps c.
func NewWatcher(c *Client) *Watcher {
	return &Watcher{Client: c, members: map[*member]bool{}, kick: make(chan struct{}, 1), endStatus: map[string]string{},
		gap: crowdGap, taskSilent: taskSilentAfter, backstop: crowdBackstop}
}

// WaitForJob is Client.WaitForJob, except that a job with a Target is watched by the shared
// poller while other jobs are waited for too.
func (w *Watcher) WaitForJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	if opts.Target == "" {
		return w.Client.WaitForJob(ctx, jobID, opts)
	}
	return w.Client.waitForJob(ctx, jobID, opts, w)
}

// WaitForInstanceShared answers a wait for a target's status right after its job from the shared
// poll that saw the job's end; ok is false when it did not show want (the caller reads it).
func (w *Watcher) WaitForInstanceShared(_ context.Context, id, want string) (in *Instance, ok bool, err error) {
	w.mu.Lock()
	st, seen := w.endStatus[id]
	delete(w.endStatus, id)
	w.mu.Unlock()
	if !seen || !strings.EqualFold(st, want) {
		return nil, false, nil
	}
	return &Instance{ID: id, Status: st}, true, nil
}

// WaitForBlockingJob waits for the job the task list shows running on instance id (someone
// else's restore), so that its end is seen as soon as ours would be; false when the task list
// shows none: the caller then polls the instance (which it reads next either way).
func (w *Watcher) WaitForBlockingJob(ctx context.Context, id string) bool {
	tasks, err := w.ListTasks(WithPriority(ctx), ListTasksOptions{InstanceID: id, Status: JobRunning})
	if err != nil {
		return false
	}
	for _, t := range tasks {
		if strings.EqualFold(t.Status, JobRunning) && t.InstanceID == id {
			_, err := w.WaitForJob(ctx, t.ID, WaitOptions{Target: id})
			var failed *JobFailedError
			return err == nil || errors.As(err, &failed)
		}
	}
	return false
}

func (w *Watcher) register(m *member) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.members[m] = false
	delete(w.endStatus, m.target) // an earlier job's end says nothing about this one
}

func (w *Watcher) unregister(m *member) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.members, m)
	if len(w.members) == 0 && w.cancel != nil {
		w.cancel() // nobody left to use a poll in flight (Ctrl-C, or the last restore done)
	}
}

// join hands m to the shared poller when others wait too, its next look due at next; false
// means m polls on its own for now. The poller's last word was acted on (or its read failed).
func (w *Watcher) join(m *member, next time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	m.signaled, m.backstop = false, false
	if m.alone || len(w.members) < 2 {
		return false
	}
	w.members[m], m.next = true, next
	if !w.running {
		var ctx context.Context
		ctx, w.cancel = context.WithCancel(context.Background())
		w.running = true
		go w.loop(ctx)
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
	return true
}

// stillRunning: m read its job and found it running. Sent by the poller, after a backstop it
// goes back to it; else the shared poll did not explain it, and it polls alone (the status that
// sent it says nothing of the job's end). A job whose submission the wait did not see counts
// from its create_time (the task list's window reaches it), and polls alone past maxSharedAge.
func (w *Watcher) stillRunning(m *member, job *Job) {
	w.mu.Lock()
	defer w.mu.Unlock()
	m.lastRead = time.Now()
	if t, ok := ParseTime(job.Created); ok && m.opts.SubmittedAt.IsZero() {
		m.submitted = t
		m.alone = m.alone || time.Since(t) > maxSharedAge
	}
	m.alone = m.alone || m.signaled && !m.backstop
	delete(w.endStatus, m.target)
}

// signalLocked gives m the poller's word and takes it off the poller.
func (w *Watcher) signalLocked(m *member, job *Job) {
	w.members[m], m.signaled = false, true
	m.ch <- job
}

// loop polls while the poller watches someone, then stops.
func (w *Watcher) loop(ctx context.Context) {
	for {
		w.mu.Lock()
		at, watching := w.nextLocked()
		if !watching {
			w.running, w.cancel = false, nil
			w.mu.Unlock()
			return
		}
		if ctx.Err() != nil { // everyone left, and someone came back
			ctx, w.cancel = context.WithCancel(context.Background())
		}
		w.mu.Unlock()
		t := time.NewTimer(time.Until(at))
		select {
		case <-ctx.Done():
			t.Stop()
			continue
		case <-w.kick:
			t.Stop()
			continue
		case <-t.C:
		}
		w.poll(ctx)
	}
}

// nextLocked is when the next shared poll is due: when the earliest schedule of the jobs watched
// asks, at least crowdGap (or a budget's share per page) after the last one. Instance listings
// show no progress: they come at a quarter of the oldest job's age, up to DefaultMaxInterval.
func (w *Watcher) nextLocked() (at time.Time, watching bool) {
	gap := w.gap
	if rpm := w.limiter.limit; rpm > 0 {
		gap = max(gap, time.Duration(w.pages)*time.Minute/time.Duration(rpm))
	}
	for m, watched := range w.members {
		if watched && (!watching || m.next.Before(at)) {
			at, watching = m.next, true
		}
	}
	if w.tasksOff {
		at = w.last.Add(min(max(time.Since(w.oldestLocked())/4, gap), DefaultMaxInterval))
	}
	if next := w.last.Add(gap); next.After(at) {
		at = next
	}
	return at, watching
}

// oldestLocked is the submission of the oldest job watched (now when none is).
func (w *Watcher) oldestLocked() time.Time {
	oldest := time.Now()
	for m, watched := range w.members {
		if watched && m.submitted.Before(oldest) {
			oldest = m.submitted
		}
	}
	return oldest
}

// poll makes one shared poll: the task list, or the instances where it does not serve.
func (w *Watcher) poll(ctx context.Context) {
	w.mu.Lock()
	sent, viaTask, oldest := time.Now(), !w.tasksOff, w.oldestLocked()
	w.mu.Unlock()
	// A shared poll is a priority request: it sees the ends of every job watched.
	ctx = WithPriority(ctx)
	tasks, seen, byID, pages, err := map[string]Task{}, map[string]time.Time{}, map[string]Instance{}, 0, error(nil)
	if viaTask {
		opts := ListTasksOptions{StartTime: oldest.Add(-taskWindowBefore), EndTime: sent.Add(time.Minute), Limit: maxTaskPageSize}
		pages, _, err = w.taskPages(ctx, opts, maxSharedPages, func(page []Task) {
			// Seen at its page's reply, never before the server's sample: no end expected early.
			for _, t := range page {
				tasks[t.ID], seen[t.ID] = t, time.Now()
			}
		})
		if IsCode(err, CodeNoSuchAPI) {
			w.mu.Lock()
			w.tasksOff = true
			w.mu.Unlock()
			viaTask = false
		}
	}
	if !viaTask {
		pages, _, err = ListInstancePages(ctx, w.Client, ListInstancesOptions{}, maxSharedPages, func(page []Instance) {
			for _, in := range page {
				byID[in.ID] = in
			}
		})
	}
	var notes []func() // OnProgress calls, made after the lock is let go
	w.mu.Lock()
	w.last, w.pages = sent, pages
	switch {
	case err != nil && ctx.Err() != nil:
	case err != nil:
		// The poll failed (after the client's retries). Three in a row: every job polls alone.
		if w.failures++; w.failures >= 3 {
			for m, watched := range w.members {
				if watched {
					m.alone = true
					w.signalLocked(m, nil)
				}
			}
		}
	case viaTask:
		w.failures, notes = 0, w.fanOutTasksLocked(tasks, seen)
	default:
		w.failures = 0
		w.fanOutInstancesLocked(byID, sent)
	}
	w.mu.Unlock()
	for _, note := range notes {
		note()
	}
}

// fanOutTasksLocked hands each job watched its end, or notes its progress (the OnProgress calls
// it returns, for the jobs still running).
func (w *Watcher) fanOutTasksLocked(tasks map[string]Task, seenAt map[string]time.Time) (notes []func()) {
	old, shown, now := 0, 0, time.Now()
	for m, watched := range w.members {
		if !watched {
			continue
		}
		t, ok := tasks[m.jobID]
		if now.Sub(m.submitted) >= w.taskSilent {
			old++
			if ok {
				shown++
			}
		}
		switch {
		case !ok && len(tasks) > 0 && now.Sub(m.submitted) >= 3*w.taskSilent:
			m.alone = true // the task list shows others, not this one
			w.signalLocked(m, nil)
		case !ok:
			m.next = now.Add(w.gap)
		default:
			job := taskJob(t)
			if ended, _ := jobEnd(m.jobID, job); ended {
				w.endStatus[m.target] = t.InstanceStatus
				w.signalLocked(m, job)
				continue
			}
			if key := t.Status + "|" + t.Process; key != m.lastKey && m.opts.OnProgress != nil {
				m.lastKey, notes = key, append(notes, func() { m.opts.OnProgress(*job) })
			}
			m.p.observe(seenAt[m.jobID], job)
			m.next = now.Add(m.p.delay(now, m.opts, w.gap))
		}
	}
	if old > 0 && shown == 0 {
		if w.silent++; w.silent >= 2 {
			w.tasksOff = true
		}
	} else if shown > 0 {
		w.silent = 0
	}
	return notes
}

// fanOutInstancesLocked sends each job watched whose target left RESTORING (or stayed there past
// the backstop) to read its job, and to poll alone the jobs a listing cannot explain.
func (w *Watcher) fanOutInstancesLocked(byID map[string]Instance, sent time.Time) {
	perTarget := map[string]int{}
	for m := range w.members {
		perTarget[m.target]++
	}
	for m, watched := range w.members {
		if !watched {
			continue
		}
		in, ok := byID[m.target]
		switch {
		case !ok || perTarget[m.target] > 1:
			m.alone = true // not listed, or its status cannot tell which of two jobs ended
			w.signalLocked(m, nil)
		case !strings.EqualFold(in.Status, StatusRestoring):
			w.endStatus[m.target] = in.Status
			w.signalLocked(m, nil)
		case sent.Sub(m.lastRead) >= w.backstop:
			m.backstop = true
			w.signalLocked(m, nil)
		}
	}
}

// taskJob is the job as its task shows it.
func taskJob(t Task) *Job {
	return &Job{ID: t.ID, Name: t.Name, Status: t.Status, Created: t.CreateTime, Ended: t.EndTime, Process: t.Process,
		Instance: JobInstance{ID: t.InstanceID, Name: t.InstanceName}, FailReason: t.FailReason}
}

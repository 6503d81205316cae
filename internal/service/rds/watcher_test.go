package rds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// crowdAPI serves restore jobs and their targets the way RDS does: a target is RESTORING from
// its job's start until its end, then ACTIVE; the job is Running with a linear process, then
// Completed (or Failed). It counts listings and job reads.
type crowdAPI struct {
	mu       sync.Mutex
	jobs     map[string]*crowdJob // by job id
	extra    []Instance           // instances with no job
	listings atomic.Int64
	jobReads atomic.Int64
	// sharedStatus counts the waits for ACTIVE after a job that a shared listing answered.
	sharedStatus atomic.Int64
	// restoringAfterEnd keeps a target RESTORING this long after its job ended (someone else's
	// restore, or an API that updates the status late).
	restoringAfterEnd time.Duration
	// neverRestoring: targets stay ACTIVE while their job runs (a status the listing cannot use).
	neverRestoring bool
	lastPoll       map[string]time.Time
	// taskList is how GET /tasklist answers: "" 404 APIGW.0101 (missing), "serve" every job as a
	// task, "silent" no restores at all.
	taskList  string
	taskReads atomic.Int64
}

type crowdJob struct {
	id, target string
	start      time.Time
	queued     time.Duration // at 0%, its target still ACTIVE, this long before it runs
	d          time.Duration
	failWith   string
	seen       time.Time // when its wait returned (runCrowd)
}

// statusLocked is the target's status at now: RESTORING while a job runs onto it (and
// restoringAfterEnd after).
func (a *crowdAPI) statusLocked(target string, now time.Time) string {
	for _, j := range a.jobs {
		run := j.start.Add(j.queued)
		if j.target == target && !a.neverRestoring && !now.Before(run) && now.Before(run.Add(j.d+a.restoringAfterEnd)) {
			return StatusRestoring
		}
	}
	return StatusActive
}

func newCrowdAPI() *crowdAPI {
	return &crowdAPI{jobs: map[string]*crowdJob{}, lastPoll: map[string]time.Time{}}
}

func (a *crowdAPI) add(id, target string, d time.Duration, failWith string) *crowdJob {
	a.mu.Lock()
	defer a.mu.Unlock()
	j := &crowdJob{id: id, target: target, start: time.Now(), d: d, failWith: failWith}
	a.jobs[id] = j
	return j
}

func (a *crowdAPI) handle(t testing.TB) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		now := time.Now()
		a.mu.Lock()
		defer a.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/instances"):
			a.listings.Add(1)
			var all []Instance
			for _, j := range a.jobs {
				all = append(all, Instance{ID: j.target, Status: a.statusLocked(j.target, now)})
			}
			all = append(all, a.extra...)
			sort.Slice(all, func(x, y int) bool { return all[x].ID < all[y].ID })
			writeJSON(w, 200, ListInstancesResponse{Instances: all, TotalCount: len(all)})
		case strings.HasSuffix(r.URL.Path, "/tasklist"):
			if a.taskList == "" {
				apiError(w, 404, CodeNoSuchAPI, "Incorrect IAM authentication information")
				return
			}
			a.taskReads.Add(1)
			tasks := []Task{}
			from, _ := strconv.ParseInt(r.URL.Query().Get("start_time"), 10, 64)
			for _, j := range a.jobs {
				if a.taskList != "serve" {
					break
				}
				if j.start.UnixMilli() < from {
					continue // the task list's window is on creation
				}
				t := Task{ID: j.id, Name: "RestoreExistInstance", InstanceID: j.target, InstanceStatus: a.statusLocked(j.target, now), Status: JobCompleted,
					CreateTime: FormatTime(j.start)}
				switch el := now.Sub(j.start.Add(j.queued)); {
				case el < j.d:
					t.Status, t.Process = JobRunning, fmt.Sprintf("%d%%", max(int(el*100/j.d), 0))
				case j.failWith != "":
					t.Status, t.FailReason = JobFailed, j.failWith
				}
				tasks = append(tasks, t)
			}
			sort.Slice(tasks, func(x, y int) bool { return tasks[x].ID < tasks[y].ID })
			writeJSON(w, 200, ListTasksResponse{Tasks: tasks, TotalCount: len(tasks)})
		case strings.HasSuffix(r.URL.Path, "/jobs"):
			a.jobReads.Add(1)
			id := r.URL.Query().Get("id")
			j := a.jobs[id]
			if j == nil {
				apiError(w, 400, "DBS.200543", "The job does not exist")
				return
			}
			a.lastPoll[id] = now
			switch el := now.Sub(j.start.Add(j.queued)); {
			case el < j.d:
				writeJSON(w, 200, JobResponse{Job: Job{ID: id, Status: JobRunning, Created: FormatTime(j.start),
					Process: fmt.Sprintf("%d%%", max(int(el*100/j.d), 0)), Entities: map[string]any{}}})
			case j.failWith != "":
				writeJSON(w, 200, JobResponse{Job: Job{ID: id, Status: JobFailed, FailReason: j.failWith}})
			default:
				jobReply(w, id, JobCompleted, "")
			}
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
	}
}

// taskListCrowd is a crowd API whose task list shows every job, and a scaled Watcher on it.
func taskListCrowd(t *testing.T) (*crowdAPI, *Watcher) {
	a := newCrowdAPI()
	a.taskList = "serve"
	return a, scaledWatcher(t, newFakeAPI(t, a.handle(t)).URL)
}

// scaledWatcher is a Watcher whose listing intervals are 1/20 of the real ones.
func scaledWatcher(t *testing.T, url string) *Watcher {
	return scale(NewWatcher(newTestClient(t, url)))
}

func scale(w *Watcher) *Watcher {
	w.gap, w.taskSilent, w.backstop = 125*time.Millisecond, 750*time.Millisecond, 6*time.Second
	return w
}

var crowdWait = WaitOptions{MinInterval: 20 * time.Millisecond, MaxInterval: 500 * time.Millisecond, NotFoundGrace: 5 * time.Second}

// runCrowd waits for n jobs of duration d at once through w and returns their errors.
func runCrowd(t testing.TB, a *crowdAPI, w *Watcher, n int, d time.Duration, failEvery int) []error {
	return runQueuedCrowd(t, a, w, n, 0, d, failEvery)
}

// runQueuedCrowd is runCrowd for jobs that sit queued for queued first.
func runQueuedCrowd(t testing.TB, a *crowdAPI, w *Watcher, n int, queued, d time.Duration, failEvery int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		fail := ""
		if failEvery > 0 && i%failEvery == 0 {
			fail = "disk full"
		}
		j := a.add(fmt.Sprintf("job-%02d", i), fmt.Sprintf("target-%02d", i), d, fail)
		a.mu.Lock()
		j.queued = queued
		a.mu.Unlock()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			opts := crowdWait
			opts.SubmittedAt, opts.Target = j.start, j.target
			job, err := w.WaitForJob(context.Background(), j.id, opts)
			a.mu.Lock()
			j.seen = time.Now()
			a.mu.Unlock()
			if err == nil && (job == nil || job.Status != JobCompleted) {
				err = fmt.Errorf("job %s: %+v", j.id, job)
			}
			if err == nil {
				// A shared answer stands for a read of the target now: it must be right now.
				_, ok, err2 := w.WaitForInstanceShared(context.Background(), j.target, StatusActive)
				a.mu.Lock()
				st := a.statusLocked(j.target, time.Now())
				a.mu.Unlock()
				if err2 != nil || ok && st != StatusActive {
					err = fmt.Errorf("after job %s: shared answer ACTIVE (%v, %v) while the target is %s", j.id, ok, err2, st)
				}
				if ok {
					a.sharedStatus.Add(1)
				}
			}
			errs[i] = err
		}(i)
		time.Sleep(5 * time.Millisecond) // submissions come one after another
	}
	wg.Wait()
	return errs
}

// Twenty jobs at once where the task list is missing: one instance listing serves them all,
// each job is read about once (to learn that it Completed), and every end is seen.
func TestWatcher_crowdSharesListings(t *testing.T) {
	a := newCrowdAPI()
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	d := 1500 * time.Millisecond
	for i, err := range runCrowd(t, a, w, 20, d, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	reads, listings := a.jobReads.Load(), a.listings.Load()
	t.Logf("20 jobs of %v: %d job reads, %d listings", d, reads, listings)
	// Solo, each job costs ~4 reads (80 in all). In a crowd: the first few jobs poll alone
	// before the crowd forms, then about one read per job.
	if reads > 20+12 {
		t.Errorf("%d job reads for 20 jobs, want about one each", reads)
	}
	// The targets of jobs that end together are seen ACTIVE again through the listings too.
	if n := a.sharedStatus.Load(); n < 15 {
		t.Errorf("%d of 20 waits for ACTIVE after the job were answered by a shared listing", n)
	}
	// The listings cost less than the reads they replace (about three per job).
	if listings+reads >= 20*4 {
		t.Errorf("%d listings + %d reads: no saving over polling each job alone", listings, reads)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, j := range a.jobs {
		if a.lastPoll[id].Before(j.start.Add(j.d)) {
			t.Errorf("%s: its last read came before its end", id)
		}
	}
}

// A failed job in a crowd still reports its reason.
func TestWatcher_crowdReportsFailures(t *testing.T) {
	a := newCrowdAPI()
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	errs := runCrowd(t, a, w, 6, 600*time.Millisecond, 3)
	for i, err := range errs {
		var jf *JobFailedError
		if i%3 == 0 {
			if !errors.As(err, &jf) || jf.FailReason != "disk full" {
				t.Errorf("job %d: %v, want its fail_reason", i, err)
			}
		} else if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
}

// A target that stays RESTORING after its job ended (someone else restores it right after) does
// not hide the end for ever: the backstop reads the job.
func TestWatcher_crowdBackstop(t *testing.T) {
	a := newCrowdAPI()
	a.restoringAfterEnd = time.Hour
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	w.backstop = 700 * time.Millisecond
	// Without the backstop this would wait for ever (the test's own timeout).
	for i, err := range runCrowd(t, a, w, 5, 300*time.Millisecond, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
}

// Targets that never show RESTORING: the listing cannot tell when the jobs end, so each job goes
// back to being polled on its own, and all complete.
func TestWatcher_crowdFallsBackWhenListingsDoNotExplain(t *testing.T) {
	a := newCrowdAPI()
	a.neverRestoring = true
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	for i, err := range runCrowd(t, a, w, 5, 800*time.Millisecond, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	// Each job is read more than once: it was polled on its own schedule.
	if reads := a.jobReads.Load(); reads <= 5 {
		t.Errorf("%d job reads for 5 jobs", reads)
	}
}

// A job waited for alone is polled on its own (no listing at all).
func TestWatcher_alonePollsItsJob(t *testing.T) {
	a, w := taskListCrowd(t)
	for i, err := range runCrowd(t, a, w, 1, 500*time.Millisecond, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if n := a.listings.Load() + a.taskReads.Load(); n != 0 {
		t.Errorf("%d listings for one job, want none", n)
	}
}

// Cancelling every wait (Ctrl-C) returns at once and stops the shared poll loop.
func TestWatcher_crowdCancel(t *testing.T) {
	a := newCrowdAPI()
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var returned atomic.Int64
	for i := 0; i < 6; i++ {
		j := a.add(fmt.Sprintf("job-%d", i), fmt.Sprintf("t-%d", i), time.Hour, "")
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := crowdWait
			opts.SubmittedAt, opts.Target = j.start, j.target
			_, err := w.WaitForJob(ctx, j.id, opts)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want cancelled", err)
			}
			returned.Add(1)
		}()
	}
	for a.listings.Load() < 2 { // the crowd is waiting through the listings
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if n := returned.Load(); n != 6 {
		t.Fatalf("%d waits returned", n)
	}
	// The poller stops once nobody waits.
	for {
		w.mu.Lock()
		running, n := w.running, len(w.members)
		w.mu.Unlock()
		if !running {
			if n != 0 {
				t.Errorf("%d waits still registered", n)
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two jobs on one target at once (SQL Server database restores) while the task list is missing:
// the target's status cannot say which ended, so both poll alone, and every job completes.
func TestWatcher_sharedTargetPollsAlone(t *testing.T) {
	a := newCrowdAPI()
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	var wg sync.WaitGroup
	// The two on "same" end 600 ms apart: the first end turns the target ACTIVE only for a
	// listing that reads "ACTIVE" as the end of both.
	for i, target := range []string{"a", "b", "same", "same"} {
		j := a.add(fmt.Sprintf("job-%d", i), target, time.Duration(600+300*i)*time.Millisecond, "")
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := crowdWait
			opts.SubmittedAt, opts.Target = j.start, j.target
			if job, err := w.WaitForJob(context.Background(), j.id, opts); err != nil || job.Status != JobCompleted {
				t.Errorf("%s: %+v %v", j.id, job, err)
			}
			if early := time.Until(j.start.Add(j.d)); early > 0 {
				t.Errorf("%s: its wait returned %v before its job ended", j.id, early)
			}
		}()
	}
	wg.Wait()
}

// A target busy with a job that is not ours: the task list names it, and its end is seen as
// soon as a restore's own end would be.
func TestWatcher_waitsForTheBlockingJob(t *testing.T) {
	a, w := taskListCrowd(t)
	j := a.add("theirs", "busy", 1200*time.Millisecond, "")
	if !w.WaitForBlockingJob(context.Background(), "busy") {
		t.Fatal("the blocking job was not waited for")
	}
	if lag := time.Since(j.start.Add(j.d)); lag < 0 || lag > 600*time.Millisecond {
		t.Fatalf("the blocking job's end was seen %v after it", lag)
	}
	if w.WaitForBlockingJob(context.Background(), "idle") {
		t.Fatal("an instance without a running task had a blocking job")
	}
}

// The task list shows every job of the crowd: one call per poll watches them all, a job whose
// task ended needs no read of its own (only the pilot polls), the targets' status after the job
// comes from the same calls, and a failure's reason comes from its task.
func TestWatcher_crowdWatchesThroughTaskList(t *testing.T) {
	a, w := taskListCrowd(t)
	const n = 20
	errs := runCrowd(t, a, w, n, 1500*time.Millisecond, 7)
	for i, err := range errs {
		var jf *JobFailedError
		if i%7 == 0 {
			if !errors.As(err, &jf) || jf.FailReason != "disk full" {
				t.Errorf("job %d: %v, want its fail_reason from the task list", i, err)
			}
		} else if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	reads, tasks, listings := a.jobReads.Load(), a.taskReads.Load(), a.listings.Load()
	t.Logf("%d jobs: %d job reads, %d task lists, %d instance listings", n, reads, tasks, listings)
	if listings != 0 || w.tasksOff {
		t.Errorf("%d instance listings (tasks off: %v), want none while the task list serves", listings, w.tasksOff)
	}
	// The first job polls alone until a second one comes; the rest end through the task list
	// without a read.
	if reads > 4 {
		t.Errorf("%d job reads for %d jobs, want only those of the jobs polled alone", reads, n)
	}
	if tasks == 0 || tasks+reads >= n*2 {
		t.Errorf("%d task lists + %d job reads: no saving", tasks, reads)
	}
	if got := a.sharedStatus.Load(); got < n-4 { // 3 of them fail: no wait for ACTIVE

		t.Errorf("%d of %d waits for ACTIVE after the job were answered by the task list", got, n)
	}
}

// A task list that never shows restores (or is missing): the watcher gives it up and follows the
// crowd through instance listings, and every job completes.
func TestWatcher_crowdTaskListFallback(t *testing.T) {
	for _, mode := range []string{"silent", ""} {
		t.Run("tasklist="+mode, func(t *testing.T) {
			a := newCrowdAPI()
			a.taskList = mode
			api := newFakeAPI(t, a.handle(t))
			w := scaledWatcher(t, api.URL)
			for i, err := range runCrowd(t, a, w, 8, 2500*time.Millisecond, 0) {
				if err != nil {
					t.Errorf("job %d: %v", i, err)
				}
			}
			if !w.tasksOff {
				t.Errorf("the watcher still relies on a task list that is %q", mode)
			}
			if a.listings.Load() == 0 {
				t.Errorf("no instance listing: the fallback did not take over")
			}
		})
	}
}

// Jobs that sit queued (their targets ACTIVE) and whose targets stay RESTORING a while after
// their ends, with and without a task list: a listing that sent a wait to read a job still
// running says nothing of that job's end, so no wait is told ACTIVE while its target is RESTORING.
func TestWatcher_queuedJobsTargetStatusFromTheirEnd(t *testing.T) {
	for _, taskList := range []string{"", "serve"} {
		t.Run("task list "+taskList, func(t *testing.T) {
			a := newCrowdAPI()
			a.taskList, a.restoringAfterEnd = taskList, 300*time.Millisecond
			api := newFakeAPI(t, a.handle(t))
			w := scaledWatcher(t, api.URL)
			for i, err := range runQueuedCrowd(t, a, w, 5, 400*time.Millisecond, 800*time.Millisecond, 0) {
				if err != nil {
					t.Errorf("job %d: %v", i, err)
				}
			}
		})
	}
}

// A job whose submission the wait did not see (adopted from an earlier run, or someone else's
// that blocks a target) and that was created long ago: the shared task list's window reaches
// back to its creation, so its end is seen by the shared poll, not after a wait alone.
func TestWatcher_oldJobWithinTheTaskListWindow(t *testing.T) {
	a, w := taskListCrowd(t)
	old := a.add("job-old", "target-old", time.Second, "")
	a.mu.Lock()
	old.start, old.queued = old.start.Add(-20*time.Minute), 20*time.Minute // runs from now
	a.mu.Unlock()
	var lag time.Duration
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		opts := crowdWait
		opts.Target = old.target // no SubmittedAt: not submitted by this wait
		if _, err := w.WaitForJob(context.Background(), old.id, opts); err != nil {
			t.Error(err)
		}
		lag = time.Since(old.start.Add(old.queued + old.d))
	}()
	for i, err := range runCrowd(t, a, w, 3, 2*time.Second, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	wg.Wait()
	if lag > 1500*time.Millisecond { // polled alone, it was seen after 3 x taskSilent (2.25 s)
		t.Errorf("the old job's end was seen %v late", lag)
	}
	if w.tasksOff {
		t.Error("the watcher gave up the task list")
	}
}

// The progress a shared poll reports goes out after the watcher's lock is let go: a report that
// is slow, or that calls back into the watcher as this one does, does not hang the crowd.
func TestWatcher_progressOutsideTheLock(t *testing.T) {
	a, w := taskListCrowd(t)
	const n = 5
	var reports atomic.Int64
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		j := a.add(fmt.Sprintf("job-%02d", i), fmt.Sprintf("target-%02d", i), 1500*time.Millisecond, "")
		opts := crowdWait
		opts.SubmittedAt, opts.Target = j.start, j.target
		opts.OnProgress = func(Job) {
			reports.Add(1)
			_, _, _ = w.WaitForInstanceShared(context.Background(), "elsewhere", StatusActive) // takes the lock
		}
		go func() {
			_, err := w.WaitForJob(context.Background(), j.id, opts)
			errs <- err
		}()
	}
	timeout := time.After(20 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case err := <-errs:
			if err != nil {
				t.Errorf("wait: %v", err)
			}
		case <-timeout:
			t.Fatalf("%d of %d waits still hang after 20 s (progress reported under the lock?)", n-i, n)
		}
	}
	if tasks := a.taskReads.Load(); tasks == 0 || reports.Load() == 0 {
		t.Errorf("%d task lists, %d progress reports: the shared poll reported nothing", tasks, reports.Load())
	}
}

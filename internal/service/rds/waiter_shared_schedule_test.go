package rds

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A task's process bounds its job's end: p% at e after the submission means an end after
// e*100/(p+1) and by e*100/p; later tasks narrow the bounds; an ended task marks the job.
func TestJobWatch_estimate(t *testing.T) {
	sub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name         string
		tasks        []Task
		at           []time.Duration // when each task was listed, after the submission
		lower, upper time.Duration   // 0: not estimated
		ended        bool
	}{
		{"no process yet", []Task{{Status: JobRunning}}, []time.Duration{2 * time.Second}, 0, 0, false},
		{"0% says nothing (a queued job sits at 0%)", []Task{{Status: JobRunning, Process: "0%"}}, []time.Duration{time.Second},
			0, 0, false},
		{"queued at 0%, then 50% at 40 s", []Task{{Status: JobRunning, Process: "0%"}, {Status: JobRunning, Process: "50%"}},
			[]time.Duration{3 * time.Second, 40 * time.Second}, 40 * time.Second * 100 / 51, 80 * time.Second, false},
		{"bounds that disagree keep the earlier", []Task{{Status: JobRunning, Process: "10%"}, {Status: JobRunning, Process: "90%"}},
			[]time.Duration{2 * time.Second, 10 * time.Second}, 10 * time.Second * 100 / 90, 10 * time.Second * 100 / 90, false},
		{"a status that is not an end (Pending)", []Task{{Status: "Pending"}}, []time.Duration{time.Second}, 0, 0, false},
		{"25% at 5 s", []Task{{Status: JobRunning, Process: "25%"}}, []time.Duration{5 * time.Second},
			5 * time.Second * 100 / 26, 20 * time.Second, false},
		{"two tasks narrow the bounds", []Task{{Status: JobRunning, Process: "10%"}, {Status: JobRunning, Process: "50%"}},
			[]time.Duration{2100 * time.Millisecond, 10 * time.Second}, 10 * time.Second * 100 / 51,
			20 * time.Second, false},
		{"ended", []Task{{Status: JobRunning, Process: "50%"}, {Status: JobCompleted}},
			[]time.Duration{10 * time.Second, 20 * time.Second}, 10 * time.Second * 100 / 51, 20 * time.Second, true},
		{"failed counts as ended", []Task{{Status: JobFailed, FailReason: "disk full"}}, []time.Duration{time.Second}, 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := &jobWatch{submitted: sub}
			for i, task := range c.tasks {
				j.estimate(task, sub.Add(c.at[i]))
			}
			var lo, hi time.Duration
			if !j.lower.IsZero() {
				lo = j.lower.Sub(sub)
			}
			if !j.upper.IsZero() {
				hi = j.upper.Sub(sub)
			}
			if lo.Round(time.Millisecond) != c.lower.Round(time.Millisecond) || hi.Round(time.Millisecond) != c.upper.Round(time.Millisecond) ||
				j.seenEnded != c.ended {
				t.Errorf("bounds %v..%v ended %v, want %v..%v ended %v", lo, hi, j.seenEnded, c.lower, c.upper, c.ended)
			}
		})
	}
}

// The schedule of the task list while it serves: the next poll goes just after the earliest
// end that may come, every dueGap while an end is due, at most
// estBackstop apart when nothing is due, and back to the fixed interval when a job has no
// estimate or outlived it.
func TestWatcher_taskSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC)
	last := now.Add(-time.Second)
	est := func(sub, lo, hi time.Duration) *jobWatch {
		j := &jobWatch{submitted: now.Add(sub)}
		if hi > 0 {
			j.lower, j.upper = j.submitted.Add(lo), j.submitted.Add(hi)
		}
		return j
	}
	cases := []struct {
		name    string
		jobs    []*jobWatch
		typ     [2]time.Duration
		pages   int
		ok      bool
		at      time.Time
		waiters int // waits for a target's status after its job's end
	}{
		{"next end in 10 s", []*jobWatch{est(-10*time.Second, 20*time.Second, 21*time.Second), est(-5*time.Second, 20*time.Second, 21*time.Second)},
			[2]time.Duration{}, 1, true, now.Add(10*time.Second + endMargin), 0},
		{"an end due now", []*jobWatch{est(-20*time.Second, 19*time.Second, 21*time.Second)}, [2]time.Duration{}, 1, true, last.Add(dueGap), 0},
		{"two pages at 60 a minute still fit dueGap", []*jobWatch{est(-20*time.Second, 19*time.Second, 21*time.Second)}, [2]time.Duration{}, 2, true,
			last.Add(dueGap), 0},
		{"four pages stretch the gap", []*jobWatch{est(-20*time.Second, 19*time.Second, 21*time.Second)}, [2]time.Duration{}, 4, true,
			last.Add(4 * time.Second), 0},
		{"far ends: the backstop", []*jobWatch{est(-time.Second, 10*time.Minute, 11*time.Minute)}, [2]time.Duration{}, 1, true,
			last.Add(estBackstop), 0},
		{"a job without estimate, none typical", []*jobWatch{est(-time.Second, 0, 0), est(-10*time.Second, 20*time.Second, 21*time.Second)},
			[2]time.Duration{}, 1, false, time.Time{}, 0},
		{"a job without estimate takes the typical one", []*jobWatch{est(-time.Second, 0, 0)},
			[2]time.Duration{20 * time.Second, 21 * time.Second}, 1, true, now.Add(19*time.Second + endMargin), 0},
		{"a job past its estimate", []*jobWatch{est(-30*time.Second, 20*time.Second, 21*time.Second)}, [2]time.Duration{}, 1, false, time.Time{}, 0},
		{"ended jobs do not count", []*jobWatch{{seenEnded: true}}, [2]time.Duration{}, 1, false, time.Time{}, 0},
		{"a wait for a target's status keeps the due pace", []*jobWatch{est(-time.Second, 10*time.Minute, 11*time.Minute)},
			[2]time.Duration{}, 1, true, last.Add(dueGap), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := NewWatcher(&Client{limiter: NewLimiter(60)}).w
			w.last, w.lastPages, w.typLower, w.typUpper = last, c.pages, c.typ[0], c.typ[1]
			w.statusWaiters = c.waiters
			for _, j := range c.jobs {
				w.jobs[j] = struct{}{}
			}
			at, ok := w.taskScheduleLocked(now)
			if ok != c.ok || ok && !at.Equal(c.at) {
				t.Errorf("got %v at +%v, want %v at +%v", ok, at.Sub(now), c.ok, c.at.Sub(now))
			}
		})
	}
}

// With the task list serving, the crowd's polls follow the jobs' expected ends: every end is
// seen within about dueGap of it (scaled down here), with few task lists in all, and the
// pilot too ends through them.
func TestWatcher_crowdPollsAtExpectedEnds(t *testing.T) {
	a := newCrowdAPI()
	a.taskList = "serve"
	api := newFakeAPI(t, a.handle(t))
	w := scaledWatcher(t, api.URL)
	const n = 12
	const d = 2 * time.Second
	for i, err := range runCrowd(t, a, w, n, d, 0) {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	var lags []time.Duration
	for _, j := range a.jobs {
		lags = append(lags, j.seen.Sub(j.start.Add(j.d)))
	}
	worst := slices.Max(lags)
	tasks, reads := a.taskReads.Load(), a.jobReads.Load()
	t.Logf("%d jobs of %v: worst lag %v, %d task lists, %d job reads", n, d, worst, tasks, reads)
	// dueGap is 125ms here; the margin is for a loaded machine under -race.
	if worst > 600*time.Millisecond {
		t.Errorf("worst lag %v, want about dueGap (%v)", worst, w.w.dueGap)
	}
	// The fixed interval (50-400ms, rising with age) would list about 15 times over 2.2 s.
	if tasks > 12 {
		t.Errorf("%d task lists for %d jobs of %v: the schedule does not follow the expected ends", tasks, n, d)
	}
}

// The task list that showed a job's end answers the wait for its target's ACTIVE after it, once;
// a new job on that target forgets it (its end is another one).
func TestWatcher_statusAfterEndFromTheSameTaskList(t *testing.T) {
	w := NewWatcher(newTestClient(t, "http://127.0.0.1:1"))
	seen := func() {
		w.w.mu.Lock()
		w.w.endSeen = map[string]*sharedListing{"t1": {byID: map[string]Instance{"t1": {ID: "t1", Status: StatusActive}}}}
		w.w.mu.Unlock()
	}
	ctx := context.Background()
	seen()
	if in, ok, err := w.WaitForInstanceShared(ctx, "t1", StatusActive); err != nil || !ok || in.Status != StatusActive {
		t.Fatalf("got %v %v %v, want ACTIVE from the task list that showed the end", in, ok, err)
	}
	// Used once: no crowd now, so the caller reads the instance itself.
	if _, ok, _ := w.WaitForInstanceShared(ctx, "t1", StatusActive); ok {
		t.Error("the same task list answered twice")
	}
	seen()
	j := w.w.join("job-2", "t1", time.Now())
	defer j.leave(false)
	if _, ok, _ := w.WaitForInstanceShared(ctx, "t1", StatusActive); ok {
		t.Error("an earlier job's end answered for a new job on the target")
	}
	// A status other than the one waited for is no answer.
	w.w.mu.Lock()
	w.w.endSeen = map[string]*sharedListing{"t2": {byID: map[string]Instance{"t2": {ID: "t2", Status: StatusRestoring}}}}
	w.w.mu.Unlock()
	if _, ok, _ := w.WaitForInstanceShared(ctx, "t2", StatusActive); ok {
		t.Error("a target still RESTORING answered a wait for ACTIVE")
	}
}

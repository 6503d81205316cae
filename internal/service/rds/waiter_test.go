package rds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jobServer serves one job whose life is driven by the wall clock from its creation: invisible
// (DBS.200543) for visibleAfter, then Running with a linear process for duration, then final.
type jobServer struct {
	created      time.Time
	visibleAfter time.Duration
	duration     time.Duration
	failWith     string
	neverEnds    bool
	flaky        int // this many 503s once the job is visible
	mu           sync.Mutex
	polls        int
}

func (s *jobServer) handle(t *testing.T) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.URL.Path != "/v3/"+testProject+"/jobs" || r.URL.Query().Get("id") != "job1" {
			t.Errorf("unexpected %s %s", r.Method, r.URL.RequestURI())
		}
		s.mu.Lock()
		s.polls++
		flaky := s.flaky > 0 && time.Since(s.created) >= s.visibleAfter
		if flaky {
			s.flaky--
		}
		s.mu.Unlock()
		el := time.Since(s.created)
		switch {
		case el < s.visibleAfter:
			apiError(w, 400, "DBS.200543", "The job does not exist: job1")
		case flaky:
			apiError(w, 503, "", "")
		case s.neverEnds || el < s.duration:
			p := min(99, int(el*100/s.duration))
			jobReply(w, "job1", JobRunning, fmt.Sprintf("%d%%", p))
		case s.failWith != "":
			writeJSON(w, 200, JobResponse{Job: Job{ID: "job1", Status: JobFailed, FailReason: s.failWith}})
		default:
			jobReply(w, "job1", JobCompleted, "")
		}
	}
}

func (s *jobServer) pollCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

var fastWait = WaitOptions{MinInterval: 20 * time.Millisecond, MaxInterval: 200 * time.Millisecond, NotFoundGrace: 5 * time.Second}

func TestWaitForJob_completes(t *testing.T) {
	js := &jobServer{created: time.Now(), duration: 800 * time.Millisecond}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL)
	var seen []string
	opts := fastWait
	opts.OnProgress = func(j Job) { seen = append(seen, j.Status+" "+j.Process) }
	job, err := c.WaitForJob(context.Background(), "job1", opts)
	lag := time.Since(js.created.Add(js.duration))
	if err != nil || job.Status != JobCompleted {
		t.Fatalf("job %+v err %v", job, err)
	}
	if lag > 300*time.Millisecond {
		t.Fatalf("noticed the end %v late", lag)
	}
	if len(seen) < 2 || seen[0] == seen[1] || seen[len(seen)-1] != "Completed " {
		t.Fatalf("progress callbacks %v", seen)
	}
	t.Logf("%d polls, lag %v, progress seen %v", js.pollCount(), lag, seen)
}

func TestWaitForJob_failedCarriesReason(t *testing.T) {
	js := &jobServer{created: time.Now(), duration: 100 * time.Millisecond, failWith: "the backup file does not exist"}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL)
	job, err := c.WaitForJob(context.Background(), "job1", fastWait)
	var jf *JobFailedError
	if !errors.As(err, &jf) || jf.FailReason != "the backup file does not exist" || jf.JobID != "job1" {
		t.Fatalf("got %v", err)
	}
	if job == nil || job.Status != JobFailed {
		t.Fatalf("the failed job should come back too: %+v", job)
	}
}

func TestWaitForJob_toleratesNotYetQueryable(t *testing.T) {
	js := &jobServer{created: time.Now(), visibleAfter: 300 * time.Millisecond, duration: 500 * time.Millisecond}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL)
	job, err := c.WaitForJob(context.Background(), "job1", fastWait)
	if err != nil || job.Status != JobCompleted {
		t.Fatalf("job %+v err %v", job, err)
	}
}

func TestWaitForJob_notQueryablePastGrace(t *testing.T) {
	js := &jobServer{created: time.Now(), visibleAfter: time.Hour}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL)
	opts := fastWait
	opts.NotFoundGrace = 150 * time.Millisecond
	start := time.Now()
	_, err := c.WaitForJob(context.Background(), "job1", opts)
	if !IsJobNotFound(err) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	// A job first seen long after submission (Read of an old job) gets no grace at all.
	opts.SubmittedAt = time.Now().Add(-time.Hour)
	before := js.pollCount()
	if _, err := c.WaitForJob(context.Background(), "job1", opts); !IsJobNotFound(err) || js.pollCount()-before != 1 {
		t.Fatalf("err %v after %d polls", err, js.pollCount()-before)
	}
}

func TestWaitForJob_toleratesTransientErrors(t *testing.T) {
	js := &jobServer{created: time.Now(), duration: 400 * time.Millisecond, flaky: 3}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	job, err := c.WaitForJob(context.Background(), "job1", fastWait)
	if err != nil || job.Status != JobCompleted {
		t.Fatalf("job %+v err %v", job, err)
	}
}

func TestWaitForJob_cancellation(t *testing.T) {
	js := &jobServer{created: time.Now(), duration: time.Hour, neverEnds: true}
	api := newFakeAPI(t, js.handle(t))
	c := newTestClient(t, api.URL)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt time.Time
	time.AfterFunc(300*time.Millisecond, func() { cancelledAt = time.Now(); cancel() })
	// Default intervals: the waiter is in a long sleep when the cancel comes.
	job, err := c.WaitForJob(ctx, "job1", WaitOptions{})
	back := time.Since(cancelledAt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if back > 100*time.Millisecond {
		t.Fatalf("returned %v after the cancel", back)
	}
	if job == nil || job.Status != JobRunning {
		t.Fatalf("the last job seen should come back: %+v", job)
	}
}

// WaitForStatus through the client: the instance read, a failed state, a missing instance.
func TestWaitForStatus_client(t *testing.T) {
	start := time.Now()
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		id := r.URL.Query().Get("id")
		status := "RESTORING"
		switch {
		case id == "broken":
			status = "FAILED"
		case id == "gone":
			writeJSON(w, 200, ListInstancesResponse{})
			return
		case time.Since(start) > 300*time.Millisecond:
			status = "ACTIVE"
		}
		writeJSON(w, 200, ListInstancesResponse{Instances: []Instance{{ID: id, Status: status}}, TotalCount: 1})
	})
	c := newTestClient(t, api.URL)
	wait := func(ctx context.Context, id, want string, interval time.Duration) (*Instance, error) {
		return WaitForStatus(ctx, c, id, want, InstanceWait{MaxInterval: interval, StopOnFailed: true})
	}
	in, err := wait(context.Background(), "i1", "active", 100*time.Millisecond)
	if err != nil || in.Status != "ACTIVE" {
		t.Fatalf("%+v %v", in, err)
	}
	if el := time.Since(start); el > 600*time.Millisecond {
		t.Fatalf("took %v", el)
	}
	if _, err := wait(context.Background(), "broken", "ACTIVE", 0); err == nil {
		t.Fatal("a FAILED instance should end the wait")
	}
	if _, err := wait(context.Background(), "gone", "ACTIVE", 0); !IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := wait(ctx, "i1", "BUILD", time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

// A job API that stays down: the wait goes on until ctx's deadline (many more failures than any
// fixed cap), then returns the deadline; and while it is down, a fallback that knows the end
// (the task list) ends the wait with the fallback's verdict.
func TestWaitForJob_survivesAnUnreachableJobAPI(t *testing.T) {
	var polls atomic.Int32
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		polls.Add(1)
		apiError(w, 503, "", "")
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	opts := WaitOptions{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	if _, err := c.WaitForJob(ctx, "job1", opts); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if n := polls.Load(); n <= 6 {
		t.Fatalf("%d polls: the wait gave up before the deadline", n)
	}

	for _, tc := range []struct {
		status string
		failed bool
	}{{JobCompleted, false}, {JobFailed, true}} {
		asked := 0
		opts.Fallback = func(context.Context) *Job {
			if asked++; asked < 3 {
				return nil // does not know yet
			}
			return &Job{ID: "job1", Status: tc.status, FailReason: "disk full"}
		}
		job, err := c.WaitForJob(context.Background(), "job1", opts)
		var failed *JobFailedError
		if job == nil || job.Status != tc.status || errors.As(err, &failed) != tc.failed || (!tc.failed && err != nil) {
			t.Fatalf("%s: job %+v err %v", tc.status, job, err)
		}
		if tc.failed && failed.FailReason != "disk full" {
			t.Fatalf("fail reason %q", failed.FailReason)
		}
	}
}

package restore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// fakeClient scripts the API's answers to a restore.
type fakeClient struct {
	mu          sync.Mutex
	submissions atomic.Int32
	restoreErrs []error  // answers to successive submissions; nil = accepted
	statuses    []string // successive target statuses; the last one repeats
	jobErr      error
	running     atomic.Int32 // restores waiting for their job right now
	maxRunning  atomic.Int32
	reads       []time.Time // when the target was read
}

func (f *fakeClient) Restore(context.Context, rds.RestoreRequest) (*rds.RestoreResponse, error) {
	n := int(f.submissions.Add(1))
	f.mu.Lock()
	defer f.mu.Unlock()
	if n <= len(f.restoreErrs) && f.restoreErrs[n-1] != nil {
		return nil, f.restoreErrs[n-1]
	}
	return &rds.RestoreResponse{JobID: "job"}, nil
}

func (f *fakeClient) GetInstance(_ context.Context, id string) (*rds.Instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads = append(f.reads, time.Now())
	status := rds.StatusActive
	if len(f.statuses) > 0 {
		status = f.statuses[0]
		if len(f.statuses) > 1 {
			f.statuses = f.statuses[1:]
		}
	}
	return &rds.Instance{ID: id, Status: status}, nil
}

func (f *fakeClient) WaitForJob(_ context.Context, jobID string, _ rds.WaitOptions) (*rds.Job, error) {
	n := f.running.Add(1)
	for {
		m := f.maxRunning.Load()
		if n <= m || f.maxRunning.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	f.running.Add(-1)
	if f.jobErr != nil {
		return &rds.Job{ID: jobID, Status: rds.JobFailed}, f.jobErr
	}
	return &rds.Job{ID: jobID, Status: rds.JobCompleted, Ended: "2026-11-26T10:00:00+0000"}, nil
}

func runner(c Client) *Runner {
	return &Runner{Client: c, Locks: NewTargetLocks(), BusyPollMin: time.Millisecond, BusyPollMax: 2 * time.Millisecond}
}

func request(target string) rds.RestoreRequest {
	return rds.RestoreRequest{Source: rds.RestoreSource{InstanceID: "src", Type: "backup", BackupID: "b"},
		Target: rds.RestoreTarget{InstanceID: target}}
}

func TestRunner_submitsOnceAndWaits(t *testing.T) {
	f := &fakeClient{}
	var submittedID string
	res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{
		OnSubmitted: func(id string, _ time.Time) { submittedID = id },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.JobID != "job" || submittedID != "job" || f.submissions.Load() != 1 {
		t.Fatalf("res=%+v submitted=%q submissions=%d", res, submittedID, f.submissions.Load())
	}
	if res.CompletedAt.IsZero() || res.CompletedAt.Year() != 2026 {
		t.Errorf("completed at = %v, want the job's end", res.CompletedAt)
	}
}

func TestRunner_waitsForBusyTarget(t *testing.T) {
	f := &fakeClient{statuses: []string{"BACKING UP", "BACKING UP", rds.StatusActive}}
	busy := 0
	if _, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{OnTargetBusy: func(string) { busy++ }}); err != nil {
		t.Fatal(err)
	}
	if f.submissions.Load() != 1 {
		t.Errorf("submissions = %d, want 1", f.submissions.Load())
	}
}

// Before the submission the pauses between reads of a busy target stop growing at TargetPollMax
// (not BusyPollMax): nothing announces the end of a backup, and it is seen at the next read.
func TestRunner_busyTargetReadPauses(t *testing.T) {
	busyFor := func(n int, status string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = status
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		statuses []string
	}{
		{"backing up", append(busyFor(12, "BACKING UP"), rds.StatusActive)},
		{"modifying, then backing up", append(append(busyFor(6, "MODIFYING"), busyFor(6, "BACKING UP")...), rds.StatusActive)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{statuses: tc.statuses}
			// Uncapped, the pauses would grow 1, 2, 4, ... 512 ms, then 1 s: about 3 s in all.
			r := &Runner{Client: f, Locks: NewTargetLocks(), BusyPollMin: time.Millisecond, BusyPollMax: time.Second,
				TargetPollMax: 4 * time.Millisecond}
			var submitted time.Time
			if _, err := r.Run(context.Background(), request("t1"), false, Hooks{
				OnSubmitted: func(string, time.Time) { submitted = time.Now() },
			}); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			var longest time.Duration
			n := 0
			for i := 1; i < len(f.reads) && f.reads[i].Before(submitted); i++ {
				longest, n = max(longest, f.reads[i].Sub(f.reads[i-1])), i+1
			}
			if n != len(tc.statuses) {
				t.Fatalf("%d reads before the submission, want %d", n, len(tc.statuses))
			}
			if longest >= 500*time.Millisecond {
				t.Errorf("longest pause between two reads of the busy target %s: it grew towards BusyPollMax", longest)
			}
		})
	}
}

// The cap of the pauses before the submission: TargetPollMax while the wait is young, a tenth of
// the wait once that is longer, never beyond BusyPollMax.
func TestRunner_targetPause(t *testing.T) {
	r := &Runner{}
	for _, tc := range []struct{ waited, want time.Duration }{
		{0, DefaultTargetPollMax},
		{20 * time.Second, DefaultTargetPollMax},
		{time.Minute, 6 * time.Second},
		{time.Hour, 15 * time.Second},
	} {
		if got := r.targetPause(tc.waited); got != tc.want {
			t.Errorf("targetPause(%s) = %s, want %s", tc.waited, got, tc.want)
		}
	}
}

func TestRunner_targetPollMax(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		targetPollMax, busyPollMax time.Duration
		want                       time.Duration
	}{
		{"default", 0, 0, DefaultTargetPollMax},
		{"set", 500 * time.Millisecond, 0, 500 * time.Millisecond},
		{"never beyond BusyPollMax", 0, time.Second, time.Second},
		{"BusyPollMax above it", 0, time.Minute, DefaultTargetPollMax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Runner{TargetPollMax: tc.targetPollMax, BusyPollMax: tc.busyPollMax}
			if got := r.targetPollMax(); got != tc.want {
				t.Errorf("targetPollMax() = %s, want %s", got, tc.want)
			}
		})
	}
}

// A 409 is a refusal: the restore was not taken, so it is waited for and sent again.
// A refusal that says the restore was not taken (busy: 409 DBS.200011; "instance not ready",
// DBS.280036, which the API documents as retryable: rds.CodeInstanceNotReady) is waited out and
// the restore sent again, after a pause (1 ms, then 2 ms with this runner's bounds), never in a
// tight loop.
func TestRunner_retriesRefusalsNotTaken(t *testing.T) {
	busy := &rds.Error{StatusCode: 409, Code: "DBS.200011"}
	notReady := &rds.Error{StatusCode: 500, Code: "DBS.280036"}
	for _, tc := range []struct {
		name        string
		errs        []error
		submissions int32
		minPause    time.Duration
	}{
		{"busy", []error{busy}, 2, 0},
		{"not ready twice", []error{notReady, notReady}, 3, 3 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{restoreErrs: tc.errs}
			start := time.Now()
			res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{})
			if err != nil || res.JobID != "job" || f.submissions.Load() != tc.submissions {
				t.Fatalf("res=%+v err=%v submissions=%d, want %d (the refused ones, then one taken)", res, err, f.submissions.Load(), tc.submissions)
			}
			if time.Since(start) < tc.minPause {
				t.Errorf("resent without pausing")
			}
		})
	}
}

func TestRunner_definiteRefusalIsNotRetried(t *testing.T) {
	f := &fakeClient{restoreErrs: []error{&rds.Error{StatusCode: 400, Code: "DBS.200037", Message: "versions inconsistent"}}}
	_, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{})
	var rerr *Error
	if !errors.As(err, &rerr) || rerr.Stage != StageSubmit || rerr.Submitted {
		t.Fatalf("err = %v", err)
	}
	if f.submissions.Load() != 1 {
		t.Errorf("submissions = %d, want 1", f.submissions.Load())
	}
}

// The reply was lost after sending: the target says RESTORING, so the restore was taken.
func TestRunner_lostReplyTargetRestoring(t *testing.T) {
	f := &fakeClient{
		restoreErrs: []error{rds.ErrOutcomeUnknown},
		statuses:    []string{rds.StatusActive, rds.StatusRestoring, rds.StatusRestoring, rds.StatusActive},
	}
	called := false
	res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{OnSubmitted: func(string, time.Time) { called = true }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Unconfirmed || !called || f.submissions.Load() != 1 {
		t.Fatalf("res=%+v hook=%v submissions=%d", res, called, f.submissions.Load())
	}
}

// The reply was lost and the target cannot tell: stop, say so, never send again.
func TestRunner_lostReplyUnknowable(t *testing.T) {
	f := &fakeClient{restoreErrs: []error{rds.ErrOutcomeUnknown}}
	_, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{})
	if !errors.Is(err, ErrOutcomeUnknowable) {
		t.Fatalf("err = %v, want ErrOutcomeUnknowable", err)
	}
	if f.submissions.Load() != 1 {
		t.Errorf("submissions = %d, want 1", f.submissions.Load())
	}
}

func TestRunner_failedJobIsSubmittedError(t *testing.T) {
	f := &fakeClient{jobErr: &rds.JobFailedError{JobID: "job", FailReason: "disk full"}}
	res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{})
	var rerr *Error
	var failed *rds.JobFailedError
	if !errors.As(err, &rerr) || !rerr.Submitted || !errors.As(err, &failed) || res.JobID != "job" {
		t.Fatalf("res=%+v err=%v", res, err)
	}
}

// Restores onto one target never overlap; SQL Server database restores may.
func TestRunner_serializesPerTarget(t *testing.T) {
	for _, tc := range []struct {
		concurrent bool
		wantMax    int32
	}{{false, 1}, {true, 4}} {
		f := &fakeClient{}
		r := runner(f)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.Run(context.Background(), request("same"), tc.concurrent, Hooks{}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if tc.concurrent && f.maxRunning.Load() < 2 {
			t.Errorf("concurrent restores never overlapped")
		}
		if !tc.concurrent && f.maxRunning.Load() != 1 {
			t.Errorf("max restores at once onto one target = %d, want 1", f.maxRunning.Load())
		}
	}
}

func TestRunner_cancelledWhileWaitingForTarget(t *testing.T) {
	f := &fakeClient{statuses: []string{"BACKING UP"}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := runner(f).Run(ctx, request("t1"), false, Hooks{})
	if !errors.Is(err, context.DeadlineExceeded) || f.submissions.Load() != 0 {
		t.Fatalf("err=%v submissions=%d", err, f.submissions.Load())
	}
}

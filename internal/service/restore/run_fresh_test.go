package restore

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// countingClient counts the target reads of a fakeClient and records what the waiter was told.
type countingClient struct {
	*fakeClient
	gets atomic.Int32
	opts rds.WaitOptions
}

func (c *countingClient) GetInstance(ctx context.Context, id string) (*rds.Instance, error) {
	c.gets.Add(1)
	return c.fakeClient.GetInstance(ctx, id)
}

func (c *countingClient) WaitForJob(ctx context.Context, jobID string, opts rds.WaitOptions) (*rds.Job, error) {
	c.opts = opts
	return c.fakeClient.WaitForJob(ctx, jobID, opts)
}

// listingReader serves one instance listing for the lookup cache.
type listingReader struct {
	lookup.Reader
	instances []rds.Instance
}

func (l listingReader) ListInstances(context.Context, rds.ListInstancesOptions) (*rds.ListInstancesResponse, error) {
	return &rds.ListInstancesResponse{Instances: l.instances, TotalCount: len(l.instances)}, nil
}

func cacheWith(t *testing.T, id, status string) *lookup.Cache {
	t.Helper()
	c := lookup.New(listingReader{instances: []rds.Instance{{ID: id, Status: status}}})
	if _, err := c.Instance(context.Background(), id); err != nil { // what the plan-time checks do
		t.Fatal(err)
	}
	return c
}

// A target this process read ACTIVE moments ago is not read again before the submission: the
// only target read is the one after the job (ACTIVE again). The waiter learns when the restore
// was accepted and onto which target.
func TestRunner_skipsTheTargetReadWhenFresh(t *testing.T) {
	c := &countingClient{fakeClient: &fakeClient{}}
	r := runner(c)
	r.Lookups = cacheWith(t, "t1", rds.StatusActive)
	before := time.Now()
	if _, err := r.Run(context.Background(), request("t1"), false, Hooks{}); err != nil {
		t.Fatal(err)
	}
	if got := c.gets.Load(); got != 1 {
		t.Errorf("target reads = %d, want 1 (after the job only)", got)
	}
	if c.opts.Target != "t1" || c.opts.SubmittedAt.Before(before) {
		t.Errorf("wait options = %+v, want the target and the time the restore was accepted", c.opts)
	}
	if _, ok := r.Lookups.Fresh("t1", time.Hour); ok {
		t.Error("the restore changed the target: the cache must have forgotten it")
	}
}

// The shortcut is only a guess: when the target turned busy since, the refusal is definite, the
// runner reads the target, waits for it and submits again. Two submissions, one accepted.
func TestRunner_freshButBusyWaitsAndResubmits(t *testing.T) {
	c := &countingClient{fakeClient: &fakeClient{
		restoreErrs: []error{&rds.Error{StatusCode: 409, Code: "DBS.200011", Message: "busy"}},
		statuses:    []string{"BACKING UP", rds.StatusActive},
	}}
	r := runner(c)
	r.Lookups = cacheWith(t, "t1", rds.StatusActive)
	res, err := r.Run(context.Background(), request("t1"), false, Hooks{})
	if err != nil || res.JobID != "job" {
		t.Fatalf("res %+v err %v", res, err)
	}
	if got := c.submissions.Load(); got != 2 {
		t.Errorf("submissions = %d, want 2 (refused busy, then accepted)", got)
	}
	if got := c.gets.Load(); got < 2 {
		t.Errorf("target reads = %d, want the wait before the second submission and the one after the job", got)
	}
}

// A target the checks saw busy is read (and waited for) before submitting, as without a cache.
func TestRunner_readsATargetSeenBusy(t *testing.T) {
	c := &countingClient{fakeClient: &fakeClient{statuses: []string{"BACKING UP", rds.StatusActive}}}
	r := runner(c)
	r.Lookups = cacheWith(t, "t1", "BACKING UP")
	if _, err := r.Run(context.Background(), request("t1"), false, Hooks{}); err != nil {
		t.Fatal(err)
	}
	if got := c.gets.Load(); got < 3 {
		t.Errorf("target reads = %d, want the busy read, the ACTIVE read and the one after the job", got)
	}
	if got := c.submissions.Load(); got != 1 {
		t.Errorf("submissions = %d, want 1", got)
	}
}

package restore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// siblingClient serves two SQL Server restores onto one target, databases "a" and "b", sent at
// once: "a" never reaches the API (its reply is lost, nothing taken); "b" is taken as job-B,
// listed in the task list at once, and its reply comes late (bLost false) or never (bLost true).
// A second submission of either is accepted as a job of its own.
type siblingClient struct {
	*fakeClient
	tasks  *fakeTasks
	bLost  bool
	aLate  time.Duration // a's reply is lost this long after b is taken
	bTaken chan struct{}
	mu     sync.Mutex
	perDB  map[string]int
}

func (c *siblingClient) Restore(_ context.Context, req rds.RestoreRequest) (*rds.RestoreResponse, error) {
	c.fakeClient.submissions.Add(1)
	db := req.Source.DatabaseName["db"]
	c.mu.Lock()
	c.perDB[db]++
	again := c.perDB[db] > 1
	c.mu.Unlock()
	switch {
	case again:
		return &rds.RestoreResponse{JobID: "job-" + db + "-again"}, nil
	case db == "a":
		<-c.bTaken // sent while b is on its way
		time.Sleep(c.aLate)
		return nil, errLost
	default:
		c.tasks.mu.Lock()
		c.tasks.tasks = append(c.tasks.tasks, Task{ID: "job-B", Status: rds.JobRunning, Created: time.Now(), Restore: true})
		c.tasks.mu.Unlock()
		close(c.bTaken)
		time.Sleep(15 * time.Millisecond) // a's settling looks at the task list meanwhile
		if c.bLost {
			return nil, errLost
		}
		return &rds.RestoreResponse{JobID: "job-B"}, nil
	}
}

func databaseRestore(db string) rds.RestoreRequest {
	r := request("t1")
	r.Source.DatabaseName = map[string]string{"db": db}
	return r
}

// Two restores onto one SQL Server instance at once, one of them lost: the job of the other,
// listed before its reply names it, is never taken for the lost one's, and a restore the API
// took is never sent again. (Found by a cold review: "a" reported Completed with job-B, and with
// both replies lost "b" was sent twice.)
func TestRunner_settlingBesideASiblingSubmission(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bLost bool
		aLate time.Duration
	}{
		{"the sibling's reply comes late", false, 0},
		{"the sibling's reply is lost too", true, 0},
		// b settles first, unknowable (a has no answer yet): its job stays unclaimable for a.
		{"the sibling's reply is lost first", true, 35 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tasks := &fakeTasks{listsRestores: true}
			c := &siblingClient{fakeClient: &fakeClient{}, tasks: tasks, bLost: tc.bLost, aLate: tc.aLate, bTaken: make(chan struct{}), perDB: map[string]int{}}
			r := settlingRunner(c, tasks)
			var wg sync.WaitGroup
			var resA, resB Result
			wg.Add(2)
			go func() { defer wg.Done(); resA, _ = r.Run(context.Background(), databaseRestore("a"), true, Hooks{}) }()
			go func() { defer wg.Done(); resB, _ = r.Run(context.Background(), databaseRestore("b"), true, Hooks{}) }()
			wg.Wait()
			t.Logf("a: %s %q; b: %s %q; submissions per database %v", resA.Kind, resA.JobID, resB.Kind, resB.JobID, c.perDB)
			if resA.JobID == "job-B" {
				t.Errorf("restore a (never taken) took b's job: %+v", resA)
			}
			if c.perDB["b"] != 1 {
				t.Errorf("restore b, taken at its first submission, was sent %d times", c.perDB["b"])
			}
			if !tc.bLost && (resB.Kind != KindCompleted || resB.JobID != "job-B") {
				t.Errorf("restore b: %+v, want completed with job-B", resB)
			}
			if resB.Taken() && resB.JobID != "job-B" && !resB.Unconfirmed {
				t.Errorf("restore b: job %q, want job-B", resB.JobID)
			}
		})
	}
}

package lookup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// fakeReader counts calls and serves a fixed world.
type fakeReader struct {
	instances  []rds.Instance
	listCalls  atomic.Int32
	getCalls   atomic.Int32
	backupCall atomic.Int32
	backupErr  error
	delay      time.Duration
}

func (f *fakeReader) ListInstances(_ context.Context, o rds.ListInstancesOptions) (*rds.ListInstancesResponse, error) {
	f.listCalls.Add(1)
	time.Sleep(f.delay)
	end := min(o.Offset+o.Limit, len(f.instances))
	return &rds.ListInstancesResponse{Instances: f.instances[o.Offset:end], TotalCount: len(f.instances)}, nil
}

func (f *fakeReader) GetInstance(_ context.Context, id string) (*rds.Instance, error) {
	f.getCalls.Add(1)
	return nil, &rds.Error{StatusCode: 404, Code: "DBS.200002", Message: "not found " + id}
}

func (f *fakeReader) GetBackup(_ context.Context, instanceID, backupID string) (*rds.Backup, error) {
	f.backupCall.Add(1)
	if f.backupErr != nil {
		return nil, f.backupErr
	}
	return &rds.Backup{ID: backupID, InstanceID: instanceID, Status: rds.BackupCompleted}, nil
}

func (f *fakeReader) ListRestoreTimes(context.Context, string, string) ([]rds.RestoreTimeRange, error) {
	return nil, nil
}
func (f *fakeReader) ListAllDatabases(context.Context, string) ([]rds.Database, error) {
	return nil, nil
}
func (f *fakeReader) GetConfigurations(context.Context, string) (*rds.ConfigurationsResponse, error) {
	return &rds.ConfigurationsResponse{}, nil
}

func world(n int) []rds.Instance {
	out := make([]rds.Instance, n)
	for i := range out {
		out[i] = rds.Instance{ID: fmt.Sprintf("inst-%03d", i), Status: rds.StatusActive}
	}
	return out
}

// A plan of 100 restores reads each instance once: 100 concurrent lookups, 250 instances, 3 pages.
func TestCache_instanceLookupsShareOneListing(t *testing.T) {
	f := &fakeReader{instances: world(250), delay: 10 * time.Millisecond}
	c := New(f)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in, err := c.Instance(context.Background(), fmt.Sprintf("inst-%03d", i*2))
			if err != nil || in.ID != fmt.Sprintf("inst-%03d", i*2) {
				t.Errorf("lookup %d: %v %v", i, in, err)
			}
		}(i)
	}
	wg.Wait()
	if got := f.listCalls.Load(); got != 3 {
		t.Errorf("listing pages = %d, want 3", got)
	}
	if got := f.getCalls.Load(); got != 0 {
		t.Errorf("single reads = %d, want 0", got)
	}
}

// An id the listing does not have is read alone, once, and "not found" is kept.
func TestCache_missingInstanceReadOnceAndKept(t *testing.T) {
	f := &fakeReader{instances: world(3)}
	c := New(f)
	for i := 0; i < 3; i++ {
		_, err := c.Instance(context.Background(), "nope")
		var apiErr *rds.Error
		if !errors.As(err, &apiErr) || !apiErr.NotFound() {
			t.Fatalf("err = %v, want not found", err)
		}
	}
	if got := f.getCalls.Load(); got != 1 {
		t.Errorf("single reads = %d, want 1", got)
	}
}

// Throttling and server errors are not answers: the next caller tries again.
func TestCache_transientErrorsAreNotKept(t *testing.T) {
	f := &fakeReader{backupErr: &rds.Error{StatusCode: 429, Code: "APIGW.0308"}}
	c := New(f)
	if _, err := c.Backup(context.Background(), "i", "b"); err == nil {
		t.Fatal("want the throttling error")
	}
	f.backupErr = nil
	if _, err := c.Backup(context.Background(), "i", "b"); err != nil {
		t.Fatalf("second try: %v", err)
	}
	if _, err := c.Backup(context.Background(), "i", "b"); err != nil {
		t.Fatal(err)
	}
	if got := f.backupCall.Load(); got != 2 {
		t.Errorf("backup reads = %d, want 2 (one failed, one kept)", got)
	}
}

func TestForget_dropsAnInstance(t *testing.T) {
	f := &fakeReader{instances: world(2)}
	c := New(f)
	if _, err := c.Instance(context.Background(), "inst-001"); err != nil {
		t.Fatal(err)
	}
	c.Forget("inst-001")
	// Forgotten: read afresh (the fake's single read answers not found, which shows it was asked).
	if _, err := c.Instance(context.Background(), "inst-001"); err == nil {
		t.Fatal("want a fresh single read after Forget")
	}
	if got := f.getCalls.Load(); got != 1 {
		t.Errorf("single reads = %d, want 1", got)
	}
}

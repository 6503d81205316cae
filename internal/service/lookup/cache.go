package lookup

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// maxListedPages bounds the one-time instance listing (100 instances a page): past it,
// instances are read one by one.
const maxListedPages = 5

// Reader is the part of the RDS client the cache reads through.
type Reader interface {
	ListInstances(ctx context.Context, opts rds.ListInstancesOptions) (*rds.ListInstancesResponse, error)
	GetInstance(ctx context.Context, id string) (*rds.Instance, error)
	GetBackup(ctx context.Context, instanceID, backupID string) (*rds.Backup, error)
	ListRestoreTimes(ctx context.Context, instanceID, date string) ([]rds.RestoreTimeRange, error)
	ListAllDatabases(ctx context.Context, instanceID string) ([]rds.Database, error)
	GetConfigurations(ctx context.Context, instanceID string) (*rds.ConfigurationsResponse, error)
}

// Cache memoizes reads by key.
type Cache struct {
	r       Reader
	mu      sync.Mutex
	entries map[string]*entry
	// readAt is, per instance id, when the reading kept for it was requested (see Fresh).
	readAt map[string]time.Time
}

type entry struct {
	done  chan struct{}
	value any
	err   error
}

// New returns an empty cache reading through r.
func New(r Reader) *Cache {
	return &Cache{r: r, entries: map[string]*entry{}, readAt: map[string]time.Time{}}
}

// do returns the kept answer for key, or runs fetch once for all concurrent callers.
func (c *Cache) do(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	for {
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok {
			e = &entry{done: make(chan struct{})}
			c.entries[key] = e
			c.mu.Unlock()
			e.value, e.err = fetch(ctx)
			if e.err != nil && !keepable(e.err) {
				c.mu.Lock()
				delete(c.entries, key)
				c.mu.Unlock()
			}
			close(e.done)
			return e.value, e.err
		}
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil && !keepable(e.err) {
			continue // the fetch we waited for failed transiently: try ourselves
		}
		return e.value, e.err
	}
}

// keepable says whether an error is an answer (not found, refused) rather than a passing failure.
func keepable(err error) bool {
	var apiErr *rds.Error
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429
}

// Forget drops everything kept about an instance (after a restore changed it).
func (c *Cache) Forget(instanceID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range []string{"instance:" + instanceID, "databases:" + instanceID, "windows:" + instanceID} {
		delete(c.entries, k)
	}
	delete(c.readAt, instanceID)
	// The listing's copy is stale too: drop it so the next lookup reads the instance afresh.
	if e, ok := c.entries["instances"]; ok {
		select {
		case <-e.done:
			if l, ok := e.value.(*instanceListing); ok && e.err == nil {
				l.mu.Lock()
				delete(l.byID, instanceID)
				l.mu.Unlock()
			}
		default:
		}
	}
}

// instanceListing reads up to maxListedPages pages of instances once, so that plans over many
// targets cost a page per hundred instances instead of a request per instance.
type instanceListing struct {
	mu       sync.Mutex
	byID     map[string]rds.Instance
	complete bool // every instance of the project is in byID
}

func (c *Cache) listing(ctx context.Context) (*instanceListing, error) {
	v, err := c.do(ctx, "instances", func(ctx context.Context) (any, error) {
		l := &instanceListing{byID: map[string]rds.Instance{}}
		sent := time.Now()
		defer func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			l.mu.Lock()
			defer l.mu.Unlock()
			for id := range l.byID {
				c.readAt[id] = sent
			}
		}()
		_, complete, err := rds.ListInstancePages(ctx, c.r, rds.ListInstancesOptions{}, maxListedPages, func(page []rds.Instance) {
			for _, in := range page {
				l.byID[in.ID] = in
			}
		})
		if err != nil {
			return nil, err
		}
		l.complete = complete
		return l, nil
	})
	if err != nil {
		return nil, err
	}
	return cached[*instanceListing](v)
}

// Instance returns an instance by id; not found is an *rds.Error with NotFound() true.
func (c *Cache) Instance(ctx context.Context, id string) (*rds.Instance, error) {
	v, err := c.do(ctx, "instance:"+id, func(ctx context.Context) (any, error) {
		if l, err := c.listing(ctx); err == nil {
			l.mu.Lock()
			in, ok := l.byID[id]
			l.mu.Unlock()
			if ok {
				return &in, nil
			}
		}
		// Not in the listing (created since, or past the listing's bound): read it alone.
		sent := time.Now()
		in, err := c.r.GetInstance(ctx, id)
		if err == nil {
			c.mu.Lock()
			c.readAt[id] = sent
			c.mu.Unlock()
		}
		return in, err
	})
	if err != nil {
		return nil, err
	}
	return cached[*rds.Instance](v)
}

// Backup returns one backup of an instance.
func (c *Cache) Backup(ctx context.Context, instanceID, backupID string) (*rds.Backup, error) {
	key := instanceID + "/" + backupID
	v, err := c.do(ctx, "backup:"+key, func(ctx context.Context) (any, error) {
		return c.r.GetBackup(ctx, instanceID, backupID)
	})
	if err != nil {
		return nil, err
	}
	return cached[*rds.Backup](v)
}

// RestoreWindows returns an instance's restorable time ranges.
func (c *Cache) RestoreWindows(ctx context.Context, instanceID string) ([]rds.RestoreTimeRange, error) {
	v, err := c.do(ctx, "windows:"+instanceID, func(ctx context.Context) (any, error) {
		return c.r.ListRestoreTimes(ctx, instanceID, "")
	})
	if err != nil {
		return nil, err
	}
	return cached[[]rds.RestoreTimeRange](v)
}

// Databases returns the databases on an instance.
func (c *Cache) Databases(ctx context.Context, instanceID string) ([]rds.Database, error) {
	v, err := c.do(ctx, "databases:"+instanceID, func(ctx context.Context) (any, error) {
		return c.r.ListAllDatabases(ctx, instanceID)
	})
	if err != nil {
		return nil, err
	}
	return cached[[]rds.Database](v)
}

// Configurations returns an instance's configuration parameters.
func (c *Cache) Configurations(ctx context.Context, instanceID string) (*rds.ConfigurationsResponse, error) {
	v, err := c.do(ctx, "configurations:"+instanceID, func(ctx context.Context) (any, error) {
		return c.r.GetConfigurations(ctx, instanceID)
	})
	if err != nil {
		return nil, err
	}
	return cached[*rds.ConfigurationsResponse](v)
}

// Fresh returns the instance kept for id when it was read no longer than maxAge ago (counted
// from when the request was sent), without any API call; false when there is no such reading.
// The restore runner uses it to skip its own read of a target that this process's plan-time
// checks read moments before: a target that turned busy since refuses the restore (a definite
// refusal, which the runner waits out), so the shortcut costs nothing in safety.
func (c *Cache) Fresh(id string, maxAge time.Duration) (*rds.Instance, bool) {
	c.mu.Lock()
	at, ok := c.readAt[id]
	e := c.entries["instance:"+id]
	c.mu.Unlock()
	if !ok || e == nil || time.Since(at) > maxAge {
		return nil, false
	}
	select {
	case <-e.done:
	default:
		return nil, false
	}
	in, _ := e.value.(*rds.Instance)
	if e.err != nil || in == nil {
		return nil, false
	}
	cp := *in
	return &cp, true
}

// cached converts what do returned back to the type of the function it ran; a mismatch is a
// programming error, reported as an error rather than a panic.
func cached[T any](v any) (T, error) {
	t, ok := v.(T)
	if !ok {
		return t, fmt.Errorf("lookup: cached value is %T, want %T", v, t)
	}
	return t, nil
}

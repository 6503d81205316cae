package restore

import (
	"context"
	"sync"
)

// TargetLocks serializes restores onto one target within one provider process: two restores
// of one target in the same apply would otherwise race, and the loser would get a 409 or, worse,
// overwrite the winner's data right after it finished. SQL Server database restores are the
// exception the API documents (several at once onto one instance), so they take no lock.
type TargetLocks struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

// NewTargetLocks returns an empty set of locks.
func NewTargetLocks() *TargetLocks {
	return &TargetLocks{locks: map[string]chan struct{}{}}
}

// Lock takes the lock of a target, or gives up when ctx ends. The returned func releases it.
func (l *TargetLocks) Lock(ctx context.Context, targetID string) (func(), error) {
	l.mu.Lock()
	ch, ok := l.locks[targetID]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[targetID] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ch }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

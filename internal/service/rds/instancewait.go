package rds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// InstanceGetter reads one instance (*Client.GetInstance, or a test's fake).
type InstanceGetter interface {
	GetInstance(ctx context.Context, id string) (*Instance, error)
}

// InstanceWait tunes WaitForStatus. The zero value polls from DefaultMinInterval up to
// DefaultInstanceInterval and ends at the first failed read.
type InstanceWait struct {
	// MinInterval is the first pause between two reads; each pause doubles it, up to
	// MaxInterval.
	MinInterval, MaxInterval time.Duration
	// MaxPause, when set, replaces MaxInterval by a cap that depends on how long the wait has
	// lasted.
	MaxPause func(waited time.Duration) time.Duration
	// OnOther, when set, is told each status read that is not the one waited for.
	OnOther func(status string)
	// TransientFailures is how many reads in a row may fail with a transient error (after the
	// client's own retries) before the wait gives up; 0: the first failed read ends it.
	TransientFailures int
	// StopOnFailed ends the wait at once when the instance is in a state it does not leave by
	// itself (rules.StuckTargetStates: FROZEN, FAILED, STORAGE FULL, CREATE FAIL, SHUTDOWN):
	// waiting for another status would only run into the timeout. The error is a
	// *StuckInstanceError.
	StopOnFailed bool
	// Stop, when set, is asked about every status read that is not the one waited for; an error
	// from it ends the wait at once with that error (e.g. the restore runner's refusal to wait
	// behind a restore it did not submit).
	Stop func(in *Instance) error
	// Blocking, when set, is called while the instance is not want: it waits for the job that
	// keeps the instance busy (Watcher.WaitForBlockingJob) and says whether it did, and the
	// instance is then read again at once. Once it finds no job, it is not asked again.
	Blocking func(ctx context.Context, id string) bool
}

// StuckInstanceError ends a wait for an instance that is in a state it does not leave by itself
// (rule A17's list, rules.StuckTargetStates).
type StuckInstanceError struct {
	ID, Status, Want string
}

func (e *StuckInstanceError) Error() string {
	return fmt.Sprintf("RDS instance %s is %s, a state it does not leave by itself (rule A17): waiting for it to be %s "+
		"would only spend the timeout, so the wait stopped at once. Bring it back to %s first (unfreeze it, scale up its "+
		"storage, start it or repair it, as its state calls for), or choose another instance", e.ID, e.Status, e.Want, e.Want)
}

// HasStatus says whether in has the status want. Statuses are compared case-insensitively:
// the API writes them in capitals, and a status waited for is often written otherwise.
func HasStatus(in *Instance, want string) bool {
	return in != nil && strings.EqualFold(in.Status, want)
}

// WaitForStatus reads an instance until its status is want and returns it: at once, then after
// pauses growing from MinInterval to MaxInterval. It is the one loop that waits for an
// instance's status (the restore runner's waits for the target, and the client's). An instance
// that does not exist ends the wait at once with its error (IsNotFound), and so does any other
// failed read beyond TransientFailures; ctx ending ends it with ctx's error wrapped.
func WaitForStatus(ctx context.Context, g InstanceGetter, id, want string, opts InstanceWait) (*Instance, error) {
	if opts.MinInterval <= 0 {
		opts.MinInterval = DefaultMinInterval
	}
	if opts.MaxInterval <= 0 {
		opts.MaxInterval = DefaultInstanceInterval
	}
	pause := min(opts.MinInterval, opts.MaxInterval)
	transient, blocked, start := 0, false, time.Now()
	for {
		in, err := g.GetInstance(ctx, id)
		switch {
		case err == nil:
			transient = 0
			if HasStatus(in, want) {
				return in, nil
			}
			if opts.StopOnFailed && rules.TargetStateStuck(in.Status) {
				return in, &StuckInstanceError{ID: id, Status: in.Status, Want: want}
			}
			if opts.Stop != nil {
				if err := opts.Stop(in); err != nil {
					return in, err
				}
			}
			if opts.OnOther != nil {
				opts.OnOther(in.Status)
			}
			// At most one wait for a blocking job between two pauses.
			if opts.Blocking != nil && !blocked {
				if blocked = opts.Blocking(ctx, id); blocked {
					pause = min(opts.MinInterval, opts.MaxInterval)
					continue
				}
				opts.Blocking = nil
			}
		case ctx.Err() == nil && transient < opts.TransientFailures && isTransient(err):
			transient++
		default:
			return nil, err
		}
		blocked = false
		if err := Sleep(ctx, pause); err != nil {
			if in != nil {
				return nil, fmt.Errorf("instance %s is %s, still not %s: %w", id, in.Status, want, err)
			}
			return nil, fmt.Errorf("instance %s is still not %s: %w", id, want, err)
		}
		limit := opts.MaxInterval
		if opts.MaxPause != nil {
			limit = opts.MaxPause(time.Since(start))
		}
		pause = min(pause*2, limit)
	}
}

// DefaultInstanceInterval is WaitForStatus's MaxInterval when none is given.
const DefaultInstanceInterval = 5 * time.Second

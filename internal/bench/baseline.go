package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Baseline simulates how the official provider's restore resource waits: no plan-time reads;
// submit; wait 10 s; then poll the job every 10 s; on a 429 back off for minutes (modelled as
// 60 s, doubling up to 4 min, the way a retry-after-minutes SDK policy behaves); and
// cancellation is ignored (its wait runs under a context that Ctrl-C does not end). A submission
// refused as busy (rds.IsBusy: another operation runs on the target) is retried the way its
// retry-with-wait helper does: read the target after 10 s, then every 10 s until it is ACTIVE,
// and submit again 10 s later. It runs the same restores, all at once, against its own emulator
// with the same seed and gateway, and is measured from that emulator's log the same way as the
// provider.
type Baseline struct {
	FirstDelay   time.Duration // 10 s: before the first job poll, and before the first read of a busy target
	PollInterval time.Duration // 10 s: between polls and reads, and from a busy target's ACTIVE to the next submission
	BackoffFirst time.Duration // 60 s
	BackoffMax   time.Duration // 4 min
	// InterruptAfterSubmit: a Ctrl-C this long after the first submission, which the official
	// provider does not act on; Result.Interrupt is how long it still keeps the CLI waiting.
	InterruptAfterSubmit time.Duration
}

// DefaultBaseline is the model of the official provider.
func DefaultBaseline() Baseline {
	return Baseline{FirstDelay: 10 * time.Second, PollInterval: 10 * time.Second,
		BackoffFirst: time.Minute, BackoffMax: 4 * time.Minute}
}

// BaselineResult is what the simulation measured on its side.
type BaselineResult struct {
	Wall      time.Duration
	Interrupt time.Duration
	Failed    int
}

// Run runs one restore per target from source's backup, all at once, and returns when every
// wait has ended.
func (b Baseline) Run(ctx context.Context, em *Emulator, source, backup string, targets []string) (BaselineResult, error) {
	var res BaselineResult
	c, err := rds.NewClient(rds.Config{
		Endpoint: em.URL, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
		MaxRetries:  0, // the loop below is the retry policy
	})
	if err != nil {
		return res, err
	}
	start := time.Now()
	var (
		mu        sync.Mutex
		firstPOST time.Time
		lastEnd   time.Time
		wg        sync.WaitGroup
	)
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := b.one(ctx, c, source, backup, t, func(at time.Time) {
				mu.Lock()
				if firstPOST.IsZero() || at.Before(firstPOST) {
					firstPOST = at
				}
				mu.Unlock()
			})
			mu.Lock()
			defer mu.Unlock()
			if now := time.Now(); now.After(lastEnd) {
				lastEnd = now
			}
			if err != nil {
				res.Failed++
			}
		}()
	}
	wg.Wait()
	res.Wall = lastEnd.Sub(start)
	if b.InterruptAfterSubmit > 0 && !firstPOST.IsZero() {
		res.Interrupt = max(0, lastEnd.Sub(firstPOST.Add(b.InterruptAfterSubmit)))
	}
	return res, ctx.Err()
}

func (b Baseline) one(ctx context.Context, c *rds.Client, source, backup, target string, submitted func(time.Time)) error {
	backoff := b.BackoffFirst
	throttled := func(err error) bool {
		if e, ok := asAPIError(err); ok && e.Throttled() {
			if rds.Sleep(ctx, backoff) != nil {
				return false
			}
			backoff = min(2*backoff, b.BackoffMax)
			return true
		}
		return false
	}
	var jobID string
	for {
		resp, err := c.Restore(ctx, rds.RestoreRequest{
			Source: rds.RestoreSource{InstanceID: source, Type: "backup", BackupID: backup},
			Target: rds.RestoreTarget{InstanceID: target},
		})
		if err == nil {
			jobID = resp.JobID
			break
		}
		if throttled(err) {
			continue
		}
		if !rds.IsBusy(err) {
			return err
		}
		if err := b.waitActive(ctx, c, target, throttled); err != nil {
			return err
		}
		if err := rds.Sleep(ctx, b.PollInterval); err != nil {
			return err
		}
	}
	submitted(time.Now())
	return b.poll(ctx, throttled, func() (bool, error) {
		job, err := c.GetJob(ctx, jobID)
		switch {
		case err == nil && job.Status == rds.JobFailed:
			return true, fmt.Errorf("job %s failed: %s", jobID, job.FailReason)
		case err == nil:
			return job.Status == rds.JobCompleted, nil
		case rds.IsJobNotFound(err):
			return false, nil
		}
		return false, err
	})
}

// waitActive reads a busy target after FirstDelay, then every PollInterval, until it is ACTIVE.
func (b Baseline) waitActive(ctx context.Context, c *rds.Client, target string, throttled func(error) bool) error {
	return b.poll(ctx, throttled, func() (bool, error) {
		in, err := c.GetInstance(ctx, target)
		return err == nil && rds.HasStatus(in, rds.StatusActive), err
	})
}

// poll is the official provider's wait: check after FirstDelay, then every PollInterval, until
// check says done (with its error) or fails; a throttled check goes again at once.
func (b Baseline) poll(ctx context.Context, throttled func(error) bool, check func() (bool, error)) error {
	if err := rds.Sleep(ctx, b.FirstDelay); err != nil {
		return err
	}
	for {
		done, err := check()
		switch {
		case done:
			return err
		case err != nil && throttled(err):
			continue
		case err != nil:
			return err
		}
		if err := rds.Sleep(ctx, b.PollInterval); err != nil {
			return err
		}
	}
}

func asAPIError(err error) (*rds.Error, bool) {
	var e *rds.Error
	ok := errors.As(err, &e)
	return e, ok
}

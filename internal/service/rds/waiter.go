package rds

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// WaitOptions tune WaitForJob. Zero values take the defaults.
type WaitOptions struct {
	// NotFoundGrace is how long after submission DBS.200543 ("job does not exist") is taken to
	// mean "not queryable yet" (default 60s). After it, the error is returned.
	NotFoundGrace time.Duration
	// MinInterval and MaxInterval bound the delay between polls (defaults 250ms and 10s).
	MinInterval, MaxInterval time.Duration
	// OnProgress, when set, is called with the job each time its status or process changes.
	OnProgress func(Job)
	// SubmittedAt is when the restore was accepted; NotFoundGrace counts from it. Zero means
	// "when WaitForJob was called". When it is set, the job is taken to have started then (at 0%):
	// the first poll waits until the job can be queried (firstPollDelay), and a single percentage
	// is enough to extrapolate from (see anchoredDelay). Leave it zero for a job that was not
	// just submitted (a refresh of an old job).
	SubmittedAt time.Time
	// Target is the instance the job restores onto. When set, the client's shared watcher may
	// follow the job through instance listings while many jobs are waited for at once (one
	// listing shows a hundred targets), and poll the job itself only when its target changes.
	Target string
	// Fallback, when set, is asked for the job's end while the job itself cannot be queried
	// (5xx, time-outs, 429 after the client's own retries): another source such as the task
	// list may still answer. It returns nil when it does not know; its errors are ignored.
	Fallback func(ctx context.Context) *Job
}

// Waiter defaults.
const (
	DefaultNotFoundGrace = 60 * time.Second
	DefaultMinInterval   = 250 * time.Millisecond
	DefaultMaxInterval   = 10 * time.Second
)

// maxWindowInterval bounds the poll interval inside the window where the job may end, and so
// the detection lag there (plus one request). The end of a job is known to within its last
// percent or so (0.6 s of a one-minute job, 6 s of a ten-minute one), and where in it the job
// really ends depends on where the last poll before it fell within a percent: a fixed schedule
// meets the same phase every time for jobs of one length. 0.4 s keeps even the worst phase
// under the goal's median (0.5 s), at about one poll more than 0.6 s on a ten-minute job
// (BenchmarkWaiterSchedule); a window narrower than this gets a single poll, at its end.
const maxWindowInterval = 400 * time.Millisecond

// extrapolationLimit bounds a sleep to this many times the span the rate was measured over. A
// linear job never needs the bound (Earliest is optimistic); a job that speeds up is overslept by
// at most a fraction of the wait so far. Simulated on linear jobs, 4 costs about 0.3 polls per
// 60 s job against no limit at all.
const extrapolationLimit = 4

// maxTransientFailures is how many reads of an instance in a row may fail with a transient error
// (after the client's own retries) before WaitForInstanceStatus gives up. A job wait has no such
// cap: the job runs on while its status cannot be read, so it is waited for until the deadline.
const maxTransientFailures = 5

func (o WaitOptions) withDefaults() WaitOptions {
	if o.NotFoundGrace <= 0 {
		o.NotFoundGrace = DefaultNotFoundGrace
	}
	if o.MinInterval <= 0 {
		o.MinInterval = DefaultMinInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = DefaultMaxInterval
	}
	if o.MaxInterval < o.MinInterval {
		o.MaxInterval = o.MinInterval
	}
	return o
}

// WaitForJob polls a job until it is Completed (the job is returned) or Failed (the job and a
// *JobFailedError carrying fail_reason are returned), or ctx ends (the last job seen, if any, and
// an error wrapping ctx.Err(); the in-flight poll is cancelled too, so this is prompt).
//
// The goal is to notice the end of a job within about half a second while spending few calls:
// the API's budget is 60 calls a minute per user, shared by every restore of an apply. The
// schedule (nextPollDelay) follows the job's `process` percentage: it extrapolates the end from
// the observed rate, sleeps until the earliest moment the job can end, and polls densely only
// inside the window where it may end. See nextPollDelay. With SubmittedAt set, the first poll
// waits until the job can be queried (firstPollDelay after the submission).
func (c *Client) WaitForJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	return c.waitForJob(ctx, jobID, opts, nil)
}

// waitForJob is WaitForJob; with j set (a Watcher's wait) it waits through the shared listings
// whenever j is part of a crowd, and polls the job on its own schedule otherwise.
func (c *Client) waitForJob(ctx context.Context, jobID string, opts WaitOptions, j *jobWatch) (*Job, error) {
	opts = opts.withDefaults()
	submitted := opts.SubmittedAt
	if submitted.IsZero() {
		submitted = time.Now()
	}
	var (
		obs       []observation
		last      *Job
		lastKey   string
		transient int
		delay     time.Duration
	)
	if !opts.SubmittedAt.IsZero() {
		// A job just accepted cannot be queried for a moment (DBS.200543): do not ask at once.
		if err := sleepUntil(ctx, opts.SubmittedAt.Add(firstPollDelay(opts))); err != nil {
			return nil, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
		}
	}
	for {
		// Wait for the next poll: through the shared listings while in a crowd (until the
		// target leaves RESTORING), else on this job's own schedule.
		leftRestoring := false
		var ended *Job // the job's end as the shared task list showed it
		if j != nil && j.active() {
			left, e, err := j.waitTurn(ctx)
			if err != nil {
				return last, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
			}
			leftRestoring, ended = left, e
		} else if err := Sleep(ctx, delay); err != nil {
			return last, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
		}

		sent := time.Now()
		var (
			job *Job
			err error
		)
		if ended != nil {
			job = ended
		} else {
			job, err = c.GetJob(ctx, jobID)
		}
		got := time.Now()
		// The server sampled the job somewhere between send and reply; the middle is the best guess.
		at := sent.Add(got.Sub(sent) / 2)
		switch {
		case err == nil:
			transient = 0
			last = job
			if key := job.Status + "|" + job.Process; key != lastKey {
				lastKey = key
				if opts.OnProgress != nil {
					opts.OnProgress(*job)
				}
			}
			switch {
			case strings.EqualFold(job.Status, JobCompleted):
				return job, nil
			case strings.EqualFold(job.Status, JobFailed):
				return job, &JobFailedError{JobID: jobID, FailReason: job.FailReason}
			}
			obs = append(obs, observation{At: at, Found: true, Progress: parseProcess(job.Process)})
			if j != nil {
				j.stillRunning(leftRestoring)
			}
		case ctx.Err() != nil:
			return last, fmt.Errorf("waiting for RDS job %s: %w", jobID, ctx.Err())
		case IsJobNotFound(err) && last == nil && got.Sub(submitted) < opts.NotFoundGrace:
			// A new job is not queryable for a few seconds: "not yet", within the grace.
			obs = append(obs, observation{At: at, Found: false, Progress: -1})
		case isTransient(err):
			// The job API is unreachable for now; the job is not. Poll on (backing off) until
			// ctx's deadline, and ask the fallback whether the job has ended meanwhile.
			transient++
			obs = append(obs, observation{At: at, Found: last != nil, Progress: -1})
			if opts.Fallback != nil {
				if fb := opts.Fallback(ctx); fb != nil {
					switch {
					case strings.EqualFold(fb.Status, JobCompleted):
						return fb, nil
					case strings.EqualFold(fb.Status, JobFailed):
						return fb, &JobFailedError{JobID: jobID, FailReason: fb.FailReason}
					}
				}
			}
		default:
			if IsJobNotFound(err) && last == nil {
				return nil, fmt.Errorf("RDS job %s could still not be queried %s after submission: %w",
					jobID, got.Sub(submitted).Round(time.Second), err)
			}
			return last, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
		}
		delay = nextPollDelay(obs, time.Now(), opts)
		if transient > 0 {
			delay = max(delay, doubled(opts.MinInterval, transient, opts.MaxInterval))
		}
	}
}

// isTransient reports failures worth another poll later: throttling, the retryable server errors
// and network trouble (the client already retried them; the job keeps running meanwhile).
func isTransient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.retryableRead()
	}
	return IsTransport(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// parseProcess reads "60%" (or "60", "60.5%") as 60; anything else as -1 (unknown).
func parseProcess(s string) float64 {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return -1
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	return min(v, 100)
}

// observation is one poll of a running (or not yet visible) job.
type observation struct {
	At       time.Time
	Found    bool    // false while the job answered DBS.200543
	Progress float64 // the integer percentage, -1 when unknown
}

// estimate brackets the job's end, assuming progress grows linearly and `process` is the floor
// of the true percentage (true x satisfies p <= x < p+1 at each observation).
type estimate struct {
	Earliest time.Time // the job cannot end before this
	Latest   time.Time // nor after this (before Earliest when the job broke the linear model)
	Anchor   time.Time // the observation the rate is measured from
	Seen     time.Time // the last observation
}

// estimateEnd computes the bracket from the observations, or reports false when there is no
// progress to extrapolate yet. The rate is measured from the last sighting of the first observed
// value (not the first sighting: a queued job sits at its first value before it moves, and
// measuring from the earlier moment would underestimate the rate and oversleep the end) to the
// latest observation. When progress goes backwards (a job with several phases), only the
// observations since the drop are used.
func estimateEnd(obs []observation) (estimate, bool) {
	var seg []observation
	for _, o := range obs {
		if !o.Found || o.Progress < 0 {
			continue
		}
		if len(seg) > 0 && o.Progress < seg[len(seg)-1].Progress {
			seg = seg[:0]
		}
		seg = append(seg, o)
	}
	if len(seg) < 2 {
		return estimate{}, false
	}
	pa := seg[0].Progress
	a := 0
	for a+1 < len(seg) && seg[a+1].Progress == pa {
		a++
	}
	s := len(seg) - 1
	pl := seg[s].Progress
	if pl <= pa {
		return estimate{}, false
	}
	f := s
	for f > 0 && seg[f-1].Progress == pl {
		f--
	}
	ta, tf, ts := seg[a].At, seg[f].At, seg[s].At
	if !tf.After(ta) || !ts.After(ta) {
		return estimate{}, false // a clock that did not move: no rate to measure
	}
	// Rate bounds, in percent per second:
	//   x(ta) >= pa and x(ts) < pl+1  =>  rate < (pl+1-pa)/(ts-ta)
	//   x(ta) < pa+1 and x(tf) >= pl  =>  rate > (pl-pa-1)/(tf-ta)
	hi := (pl + 1 - pa) / ts.Sub(ta).Seconds()
	lo := (pl - pa - 1) / tf.Sub(ta).Seconds()
	if lo <= 0 {
		// One percent of movement cannot bound the rate from below; take half the point
		// estimate instead, so Latest (where dense polling gives way to back-off) stays finite.
		lo = (pl - pa) / tf.Sub(ta).Seconds() / 2
	}
	// End bounds: x(ts) < pl+1 leaves more than 99-pl to go, at most at rate hi; x(tf) >= pl
	// leaves at most 100-pl to go, at least at rate lo. Both come from fixed observations, so a
	// job that stalls (say at 99%) sees Latest stay put while Earliest follows the latest poll:
	// once past Latest the schedule backs off instead of polling densely forever.
	return estimate{
		Anchor:   ta,
		Seen:     ts,
		Earliest: ts.Add(seconds(max(99-pl, 0) / hi)),
		Latest:   tf.Add(seconds((100 - pl) / lo)),
	}, true
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// nextPollDelay is the whole polling schedule, as a pure function of what was observed so far,
// the current time and the options (so it is tested and benchmarked with a fake clock).
//
//   - No estimate yet (no `process`, or no movement seen): when SubmittedAt is known, the
//     submission anchors the one percentage seen (anchoredDelay) and the next poll goes towards
//     the earliest end that allows, capped at 4x the time since the submission and MaxInterval.
//     Otherwise back off geometrically from MinInterval, counted from the first percentage seen:
//     0.25s, 0.5s, 1s, 2s, ... up to MaxInterval. A short job is caught early; a long one soon
//     has two distinct percentages to extrapolate from. While the job is not queryable yet
//     (DBS.200543) the back-off starts at 4x MinInterval (1s, 2s, 4s, ...): that phase lasts
//     seconds, sub-second polls are wasted.
//   - Before the bracket [Earliest, Latest]: sleep until the first moment a poll can see the
//     end usefully: 0.4 s into the bracket, or its end when it is narrower than that, but never
//     longer than 4x the span the rate was measured over (nor less than MinInterval). Earliest
//     is the optimistic end, so a linear job is never overslept by more than that 0.4 s; the
//     span cap limits how far a job that speeds up can be overslept, at the price of a poll or
//     two on long jobs.
//   - Inside the bracket: poll every 0.4 s, or at its end when that is sooner (at least
//     MinInterval). The job ends somewhere in there, so the detection lag stays under 0.4 s plus
//     one request.
//   - Past the bracket (the job stalls, e.g. at 99%, or Latest is unknown): back off from
//     MinInterval in proportion to how long the job is overdue (half of it, up to MaxInterval), so
//     a stalled job costs a few polls a minute and its end is still seen within a fraction of the
//     stall.
//
// Every observation re-estimates the bracket.
func nextPollDelay(obs []observation, now time.Time, opts WaitOptions) time.Duration {
	o := opts.withDefaults()
	clamp := func(d time.Duration) time.Duration { return min(max(d, o.MinInterval), o.MaxInterval) }
	if len(obs) == 0 {
		return 0
	}
	e, ok := estimateEnd(obs)
	if !ok {
		if d, ok := anchoredDelay(obs, now, o); ok {
			return d
		}
		// Count from the first sighting of a percentage: once the job shows progress (it may
		// first be invisible for seconds), a second value soon is worth two quick polls, as a
		// short job can be nearly done by then.
		first := -1
		for i, ob := range obs {
			if ob.Found && ob.Progress >= 0 {
				first = i
				break
			}
		}
		if first < 0 && !obs[len(obs)-1].Found {
			// Not queryable yet (DBS.200543): that lasts a second or more after submission, so
			// sub-second polls would be wasted; start the back-off at 4x MinInterval.
			return clamp(doubled(4*o.MinInterval, len(obs)-1, o.MaxInterval))
		}
		return clamp(doubled(o.MinInterval, len(obs)-1-max(first, 0), o.MaxInterval))
	}
	window := max(maxWindowInterval, o.MinInterval)
	if now.Before(e.Earliest) {
		// The first poll that can see the end: one interval into the bracket, or its end when
		// the bracket is narrower than that.
		target := e.Earliest.Add(min(window, e.Latest.Sub(e.Earliest)))
		d := target.Sub(now)
		limit := max(o.MaxInterval, extrapolationLimit*e.Seen.Sub(e.Anchor))
		return max(min(d, limit), o.MinInterval)
	}
	if !now.After(e.Latest) {
		return min(max(e.Latest.Sub(now), o.MinInterval), window)
	}
	return clamp(now.Sub(e.Latest) / 2)
}

// firstPollDelay is how long after the submission the first poll goes out: 8x MinInterval (2 s
// by default). A new job cannot be queried for a second or more (DBS.200543), and its first
// percentage is worth more a little later: 2% of a one-minute job seen after 1 s bounds its
// rate to within 50%, 3% after 2 s to within 33%. Jobs shorter than that are rare and seen
// within it.
func firstPollDelay(opts WaitOptions) time.Duration {
	return 8 * opts.withDefaults().MinInterval
}

// anchorLimit bounds a sleep extrapolated from the submission (anchoredDelay) to this many times
// the time since it, and MaxInterval: a job that queued before it moved is overslept by at most
// MaxInterval, as with the plain back-off. Simulated on linear jobs (BenchmarkWaiterSchedule), 8
// saves about 0.4 polls per 60 s job against 4 and puts the median lag at 0.27 s instead of 0.4.
const anchorLimit = 8

// anchoredDelay extrapolates from the submission when the observations alone cannot (one
// percentage seen so far, perhaps several times). At SubmittedAt the job had done at least 0%,
// and at its last sighting less than p+1: so its rate is below (p+1)/(elapsed), and it cannot
// end before last + (99-p)/rate. That bound holds for a linear job whenever it really started;
// a job that queued first and then runs faster is protected by sleeping at most anchorLimit
// times the elapsed time, and never more than MaxInterval, before looking again. It saves the
// quick second and third polls a job would otherwise need to show a second percentage.
func anchoredDelay(obs []observation, now time.Time, o WaitOptions) (time.Duration, bool) {
	if o.SubmittedAt.IsZero() {
		return 0, false
	}
	var last *observation
	for i := range obs {
		if obs[i].Found && obs[i].Progress >= 0 {
			last = &obs[i]
		}
	}
	if last == nil || !last.At.After(o.SubmittedAt) {
		return 0, false
	}
	span := last.At.Sub(o.SubmittedAt)
	hi := (last.Progress + 1) / span.Seconds()
	earliest := last.At.Add(seconds(max(99-last.Progress, 0) / hi))
	d := earliest.Sub(now)
	limit := min(o.MaxInterval, anchorLimit*span)
	return max(min(d, limit), o.MinInterval), true
}

// doubled is base*2^n, stopping at ceiling (and never overflowing).
func doubled(base time.Duration, n int, ceiling time.Duration) time.Duration {
	d := base
	for ; n > 0 && d < ceiling; n-- {
		d *= 2
	}
	return d
}

// DefaultInstanceInterval is WaitForInstanceStatus's interval when none is given.
const DefaultInstanceInterval = 5 * time.Second

// WaitForInstanceStatus polls an instance until its status is want (case-insensitive) and returns
// it. It polls at once, then after 0.25s, 0.5s, 1s, ... up to interval (<= 0: 5s): after a
// restore the target usually turns ACTIVE within a second or two of the job's end, and a
// slower change is not worth more than one call per interval. It returns an error at once when
// the instance does not exist or is in a failed state, and when ctx ends. It is WaitForStatus
// with those settings.
func (c *Client) WaitForInstanceStatus(ctx context.Context, id string, want string, interval time.Duration) (*Instance, error) {
	return WaitForStatus(ctx, c, id, want, InstanceWait{
		MinInterval: DefaultMinInterval, MaxInterval: interval,
		TransientFailures: maxTransientFailures, StopOnFailed: true,
	})
}

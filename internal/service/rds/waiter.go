package rds

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// WaitOptions tune WaitForJob. Zero values take the defaults.
type WaitOptions struct {
	// NotFoundGrace: how long after submission DBS.200543 means "not queryable yet" (60s).
	NotFoundGrace time.Duration
	// MinInterval and MaxInterval bound the delay between polls (defaults 250ms and 10s; see
	// progress.delay for the pauses towards a job's end).
	MinInterval, MaxInterval time.Duration
	// OnProgress, when set, is called with the job whenever its status or process changes.
	OnProgress func(Job)
	// SubmittedAt is when the restore was accepted: the job's start (0%), NotFoundGrace counts
	// from it, the first poll waits firstPollDelay after it. Zero for an adopted job: its
	// create_time stands for its start, and the first poll goes at once.
	SubmittedAt time.Time
	// Target is the instance the job restores onto (a Watcher's shared poller needs it).
	Target string
	// Fallback, when set, is asked for the job's end while the job cannot be queried (5xx,
	// time-outs, 429 after the client's retries); nil when it does not know.
	Fallback func(ctx context.Context) *Job
}

// Waiter defaults.
const (
	DefaultNotFoundGrace = 60 * time.Second
	DefaultMinInterval   = 250 * time.Millisecond
	DefaultMaxInterval   = 10 * time.Second
)

// endPoll is the pause between polls once the job may have ended; a bracket of up to two of them
// is polled once, at its end: the lag of a restore alone stays under a second (the goal), for a
// poll or two per job.
const endPoll = 500 * time.Millisecond

// firstPollDelay is when the first poll goes after the submission, 8x MinInterval (2 s; tests
// that shorten the intervals shorten it too): a new job cannot be queried for a second or so
// (DBS.200543), and 3% of a one-minute job seen after 2 s puts its end within a third.
func firstPollDelay(o WaitOptions) time.Duration { return 8 * o.withDefaults().MinInterval }

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
	o.MaxInterval = max(o.MaxInterval, o.MinInterval)
	return o
}

// progress is what the polls showed of a running job: the ground of its schedule (delay).
type progress struct {
	start     time.Time // when the job started (its submission or create_time); zero: unknown
	guessed   bool      // start is create_time, which counts the job's time in a queue too
	from      time.Time // when the wait began
	pct       float64   // the last percentage seen; -1: none yet
	firstSeen time.Time // when pct was first seen
	seen      time.Time // when pct was last seen
}

// observe records a poll (at: when the server sampled the job) that showed the job running.
func (p *progress) observe(at time.Time, job *Job) {
	if p.start.IsZero() {
		p.start, _ = ParseTime(job.Created)
		p.guessed = true
	}
	v := parseProcess(job.Process)
	if v <= 0 {
		// Still queued (0%, or no percentage yet): the run that the percentages measure
		// starts later.
		p.start, p.guessed = at, false
	}
	if v != p.pct {
		p.pct, p.firstSeen = v, at
	}
	p.seen = at
}

// delay is the pause before the next poll. `process` is the floor of the job's percentage x, and
// a job runs about linearly from its start, so a percentage p first seen at tf and last seen at
// ts brackets its end: not before start + (ts-start)*100/(p+1), not after start +
// (tf-start)*100/p. Before the bracket, sleep until it opens; inside it, poll every endPoll (a
// quarter of the bracket, if longer); past it (a job stalled at 99%), back off by half the time
// overdue. A bracket no wider than two endPolls (the lag stays under a second), or than gap (the
// shortest pause before the next look: a crowd's), is polled once, at its end. Without a
// percentage (none yet, or 0%: queued), back off by a quarter of the wait so far.
//
// Pauses lie between MinInterval and MaxInterval, except towards or in the bracket: up to twice
// the job's age, so that a job that ends sooner than its percentages said is seen by three times
// its age at the poll before (a 60 s job costs 4 polls); with a start guessed from create_time
// (it may hide a queue), up to MaxInterval.
func (p progress) delay(now time.Time, o WaitOptions, gap time.Duration) time.Duration {
	clamp := func(d time.Duration) time.Duration { return min(max(d, o.MinInterval), o.MaxInterval) }
	if p.start.IsZero() || p.pct <= 0 || p.pct >= 100 || !p.firstSeen.After(p.start) {
		return clamp(now.Sub(p.from) / 4)
	}
	scale := func(t time.Time, f float64) time.Time {
		return p.start.Add(time.Duration(float64(t.Sub(p.start)) * f))
	}
	earliest, latest := scale(p.seen, 100/(p.pct+1)), scale(p.firstSeen, 100/p.pct)
	if now.After(latest) {
		return clamp(now.Sub(latest) / 2)
	}
	d := min(latest.Sub(now), max(endPoll, latest.Sub(earliest)/4))
	switch {
	case latest.Sub(earliest) <= max(2*endPoll, gap):
		d = latest.Sub(now)
	case now.Before(earliest):
		d = earliest.Sub(now)
	}
	limit := max(o.MaxInterval, 2*now.Sub(p.start))
	if p.guessed {
		limit = o.MaxInterval
	}
	return max(min(d, limit), o.MinInterval)
}

// WaitForJob polls a job until it is Completed (the job is returned) or Failed (the job and a
// *JobFailedError carrying fail_reason), or ctx ends (the last job seen and an error wrapping
// ctx.Err(), at once). The schedule follows the job's `process` (progress.delay): a 60 s job
// costs four polls, and its end is seen within a second.
func (c *Client) WaitForJob(ctx context.Context, jobID string, opts WaitOptions) (*Job, error) {
	return c.waitForJob(ctx, jobID, opts, nil)
}

// waitForJob is WaitForJob; with w set, the job is handed to w's shared poller whenever w has a
// crowd of jobs to watch (see watcher.go), and polled here otherwise.
func (c *Client) waitForJob(ctx context.Context, jobID string, opts WaitOptions, w *Watcher) (*Job, error) {
	opts = opts.withDefaults()
	now := time.Now()
	submitted := opts.SubmittedAt
	if submitted.IsZero() {
		submitted = now
	}
	m := &member{jobID: jobID, target: opts.Target, submitted: submitted, lastRead: submitted, opts: opts,
		ch: make(chan *Job, 1), p: progress{start: opts.SubmittedAt, from: now, pct: -1}}
	if w != nil {
		w.register(m)
		defer w.unregister(m)
	}
	var last *Job
	wrap := func(last *Job, err error) (*Job, error) {
		return last, fmt.Errorf("waiting for RDS job %s: %w", jobID, err)
	}
	delay, transient := time.Duration(0), 0
	if !opts.SubmittedAt.IsZero() {
		delay = time.Until(opts.SubmittedAt.Add(firstPollDelay(opts)))
	}
	for {
		var job *Job
		var err error
		rctx := ctx
		// A job whose submission the wait did not see is read here first (see stillRunning).
		if w != nil && (last != nil || !opts.SubmittedAt.IsZero()) && w.join(m, time.Now().Add(delay)) {
			// The shared poller says when the job ended (the task list's word), or when to read
			// it here (nil): a read that sees its end, a priority one.
			rctx = WithPriority(ctx)
			select {
			case job = <-m.ch:
			case <-ctx.Done():
				select {
				case job = <-m.ch: // an end that came with the cancellation is still known
				default:
					return wrap(last, ctx.Err())
				}
			}
		} else if err := Sleep(ctx, delay); err != nil {
			return wrap(last, err)
		}
		if job == nil {
			job, err = c.GetJob(rctx, jobID)
		}
		got := time.Now()
		switch {
		case err == nil:
			transient = 0
			if key := job.Status + "|" + job.Process; key != m.lastKey && opts.OnProgress != nil {
				m.lastKey = key
				opts.OnProgress(*job)
			}
			last = job
			if ended, err := jobEnd(jobID, job); ended {
				return job, err
			}
			m.p.observe(got, job) // at the reply, never before the server's sample: no early end

			if w != nil {
				w.stillRunning(m, job)
			}
		case ctx.Err() != nil:
			return wrap(last, ctx.Err())
		case IsJobNotFound(err) && last == nil && got.Sub(submitted) < opts.NotFoundGrace:
			// A new job is not queryable for a few seconds: "not yet", within the grace.
		case isTransient(err):
			// The job API is unreachable for now; the job is not. Poll on (backing off) until
			// ctx's deadline, and ask the fallback whether the job has ended meanwhile.
			transient++
			if opts.Fallback != nil {
				if fb := opts.Fallback(ctx); fb != nil {
					if ended, err := jobEnd(jobID, fb); ended {
						return fb, err
					}
				}
			}
		default:
			if IsJobNotFound(err) && last == nil {
				return nil, fmt.Errorf("RDS job %s could still not be queried %s after submission: %w",
					jobID, got.Sub(submitted).Round(time.Second), err)
			}
			return wrap(last, err)
		}
		delay = m.p.delay(time.Now(), opts, opts.MinInterval)
		if transient > 0 {
			delay = max(delay, min(opts.MinInterval<<min(transient, 16), opts.MaxInterval)) // doubling
		}
	}
}

// jobEnd says whether job has ended, and the error WaitForJob returns for it.
func jobEnd(jobID string, job *Job) (bool, error) {
	if strings.EqualFold(job.Status, JobFailed) {
		return true, &JobFailedError{JobID: jobID, FailReason: job.FailReason}
	}
	return strings.EqualFold(job.Status, JobCompleted), nil
}

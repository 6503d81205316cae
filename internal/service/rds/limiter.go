package rds

import (
	"context"
	"sync"
	"time"
)

// Limiter is the request budget of a provider process: its Clients share one (Config.Limiter),
// and each HTTP attempt, retries included, takes one send. RDS allows about 60 calls a minute
// per user in a sliding minute; the Limiter is one sliding window of the same kind, so a plan's
// reads go out at once and no minute of this process holds more. Three rules on top:
//   - Priority first: submissions (the calls that are not idempotent) and the requests made
//     with WithPriority (the reads that see a job's end) go before the others when short. A
//     restore submitted late ends late; a plan-time read can wait.
//   - The last sends of each window (watchReserve) are kept for WithPriority reads.
//   - A 429 stops everyone until its Retry-After (Penalize): the gateway counts the other
//     processes on the key too. With a limit, at most maxInFlight requests are on their way at
//     once; after a 429 one, until a request sent after it gets through (the plan walk's burst
//     leaves the gateway's minute a call at a time).
//
// The zero value and a nil *Limiter are unlimited; Penalize still pauses a zero value.
type Limiter struct {
	mu          sync.Mutex
	limit       int           // sends per span; 0: unlimited
	span        time.Duration // windowSpan; tests shorten it
	sent        []time.Time   // send times within the last span, ascending
	pausedUntil time.Time
	priority    int           // priority requests waiting for room
	inFlight    int           // requests sent and not answered yet
	throttledAt time.Time     // the last 429, until a request sent after it got through
	changed     chan struct{} // closed when the priority requests waiting change or a reply comes
}

// maxInFlight: requests on their way at once, so that one 429 comes with at most this many.
const maxInFlight = 8

// windowSpan is the gateway's counting period plus a margin for the latency (it varies).
const windowSpan = time.Minute + 500*time.Millisecond

// NewLimiter returns a limiter of requestsPerMinute (<= 0: unlimited).
func NewLimiter(requestsPerMinute int) *Limiter {
	return &Limiter{limit: max(requestsPerMinute, 0), span: windowSpan}
}

// watchReserve is the share of each window only WithPriority reads may use: one in thirty (2 of
// 60 a minute, none under 30). A crowd's submissions and checks fill each throttled minute at
// its start; without it, a job ending in that minute is seen a minute late.
const watchReserve = 30

// A request's priority: ordinary, a submission, or a read with WithPriority.
const ordinary, submission, watch = 0, 1, 2

type priorityKey struct{}

// WithPriority marks the requests made with ctx as reads that see a job's end (see Limiter).
func WithPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, watch)
}

func withSubmission(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, max(priorityOf(ctx), submission))
}

func priorityOf(ctx context.Context) int {
	v, _ := ctx.Value(priorityKey{}).(int)
	return v
}

// Wait blocks until the caller may send one request, or ctx ends (its error is returned); the
// caller calls done once the reply came (or never will), saying whether the gateway let it
// through (a reply that is not a throttling one), after Penalize for a throttling one.
func (l *Limiter) Wait(ctx context.Context) (done func(through bool), err error) {
	if l == nil {
		return func(bool) {}, ctx.Err()
	}
	prio := priorityOf(ctx)
	if prio > ordinary {
		l.addPriority(1)
		defer l.addPriority(-1)
	}
	for {
		l.mu.Lock()
		now := time.Now()
		at, yield := l.nextLocked(now, prio)
		if !yield && !at.After(now) {
			if l.limit > 0 {
				l.sent = append(l.sent, now)
			}
			l.inFlight++
			l.mu.Unlock()
			return func(through bool) {
				l.mu.Lock()
				l.inFlight--
				if through && now.After(l.throttledAt) {
					l.throttledAt = time.Time{}
				}
				l.wakeLocked()
				l.mu.Unlock()
			}, nil
		}
		if !yield {
			l.mu.Unlock()
			if err := Sleep(ctx, time.Until(at)); err != nil {
				return nil, err
			}
			continue
		}
		// Wait until a priority request stops waiting (sent or cancelled), or a reply comes.
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		}
	}
}

func (l *Limiter) addPriority(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.priority += n
	l.wakeLocked()
}

func (l *Limiter) wakeLocked() {
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
}

// nextLocked is when a request may go (the pause's end, or when the window has room), and
// whether it must wait for a reply or, an ordinary request, for waiting priority ones to go.
func (l *Limiter) nextLocked(now time.Time, prio int) (at time.Time, yield bool) {
	at = l.pausedUntil
	if l.inFlight > 0 && !l.throttledAt.IsZero() || l.limit > 0 && l.inFlight >= maxInFlight {
		return at, true
	}
	if l.limit == 0 {
		return at, false
	}
	cut := 0
	for cut < len(l.sent) && !l.sent[cut].After(now.Add(-l.span)) {
		cut++
	}
	l.sent = l.sent[cut:]
	room := l.limit
	if prio != watch {
		room -= l.limit / watchReserve
	}
	if len(l.sent) >= room {
		if free := l.sent[len(l.sent)-room].Add(l.span); free.After(at) {
			at = free
		}
	}
	return at, prio == ordinary && l.priority > 0
}

// Penalize records a throttling reply: nobody sends for d, then one at a time (see Limiter).
func (l *Limiter) Penalize(d time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttledAt = time.Now()
	if until := l.throttledAt.Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
}

// Sleep waits d or until ctx ends (Ctrl-C is noticed at once). Every wait of the client and of
// the restore runner goes through it.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

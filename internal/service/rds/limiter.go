package rds

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is the client-side request budget of a whole provider process. RDS allows about 60
// calls a minute per user; many resources planning and applying at once share that budget, so
// every Client of a process should be given the same Limiter (Config.Limiter). Each HTTP attempt,
// retries included, takes one token.
//
// It adapts to the gateway: Penalize (called on every 429) pauses everyone for a while and lowers
// the rate (multiplicative decrease); each request that is not throttled raises it back a little
// (additive increase) up to the configured budget. That way a budget set a bit too high, or shared
// with another tool using the same keys, settles below the gateway's threshold instead of bouncing
// off it, and nobody sleeps for minutes.
//
// Two rules apply at once. A token bucket at the per-second average (with a burst) spaces the
// requests out. And a sliding window, like the gateway's own count, never lets more than the
// budget be sent in any minute: a token bucket alone allows a minute's budget plus its burst, so
// a process that keeps the gateway busy for minutes would earn a 429 every time its bucket had
// refilled. With the window the burst can be generous (a plan's reads go out at once, and the
// polls of a lone restore are never held back) without ever exceeding the budget.
//
// The zero value and a nil *Limiter are unlimited and never pause.
type Limiter struct {
	mu          sync.Mutex
	rl          *rate.Limiter // nil: unlimited
	configured  float64       // requests per minute asked for
	current     float64       // requests per minute in force (<= configured)
	pausedUntil time.Time
	// slots are the send times granted within the last windowSpan (some may lie in the future:
	// callers sleeping until their turn), in ascending order.
	slots []time.Time
	span  time.Duration // windowSpan; tests shorten it
}

// windowSpan is the gateway's counting period plus a margin for the time between a slot and the
// request's arrival (network latency varies from one request to the next).
const windowSpan = time.Minute + 500*time.Millisecond

// minRateFraction bounds the adaptive decrease: never below a quarter of the configured budget,
// so a burst of 429s cannot starve the process.
const minRateFraction = 0.25

// NewLimiter returns a limiter for requestsPerMinute (<= 0: unlimited, but Penalize still pauses).
// The burst is a quarter of a minute's budget (at least 1, at most 30): the reads a plan of a few
// restores does at once, and the polls of a restore's wait, go out without queueing, while a
// gateway counting per second sees no spike larger than that. The window keeps the minute within
// budget whatever the burst.
func NewLimiter(requestsPerMinute int) *Limiter {
	burst := requestsPerMinute / 4
	burst = max(1, min(burst, 30))
	return NewLimiterWithBurst(requestsPerMinute, burst)
}

// NewLimiterWithBurst is NewLimiter with an explicit burst.
func NewLimiterWithBurst(requestsPerMinute, burst int) *Limiter {
	l := &Limiter{span: windowSpan}
	if requestsPerMinute > 0 {
		l.configured = float64(requestsPerMinute)
		l.current = l.configured
		l.rl = rate.NewLimiter(perSecond(l.current), max(1, burst))
	}
	return l
}

func perSecond(perMinute float64) rate.Limit { return rate.Limit(perMinute / 60) }

// Wait blocks until the caller may send one request, or ctx ends (its error is returned at once).
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	if err := sleepUntil(ctx, l.pause()); err != nil {
		return err
	}
	l.mu.Lock()
	rl := l.rl
	l.mu.Unlock()
	if rl != nil {
		if err := rl.Wait(ctx); err != nil {
			// rate.Limiter refuses at once when the wait would pass ctx's deadline; report that
			// as the deadline it is.
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if err := l.waitWindow(ctx); err != nil {
			return err
		}
	}
	// A 429 seen by someone else while we waited for the token counts for us too; the token
	// already taken is kept, so this is one more pause, not one more token.
	return sleepUntil(ctx, l.pause())
}

// waitWindow takes a send slot in the sliding window: now when fewer than the budget were granted
// in the last minute, else when the oldest slot that keeps it full leaves the window. Slots are
// granted in arrival order under the lock, so waiters are served first come, first served.
func (l *Limiter) waitWindow(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	cut := 0
	for cut < len(l.slots) && !l.slots[cut].After(now.Add(-l.span)) {
		cut++
	}
	l.slots = l.slots[cut:]
	slot := now
	if limit := max(1, int(l.current)); len(l.slots) >= limit {
		slot = l.slots[len(l.slots)-limit].Add(l.span)
	}
	if n := len(l.slots); n > 0 && slot.Before(l.slots[n-1]) {
		slot = l.slots[n-1]
	}
	l.slots = append(l.slots, slot)
	l.mu.Unlock()
	if err := sleepUntil(ctx, slot); err != nil {
		l.mu.Lock()
		// Give the slot back: a cancelled caller sends nothing.
		for i := len(l.slots) - 1; i >= 0; i-- {
			if l.slots[i].Equal(slot) {
				l.slots = append(l.slots[:i], l.slots[i+1:]...)
				break
			}
		}
		l.mu.Unlock()
		return err
	}
	return nil
}

func (l *Limiter) pause() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

// Penalize records a throttling reply: nobody sends for d, and the rate drops by 30%. Replies
// that arrive while an earlier one's pause is still in force were sent before anyone knew (a
// burst that met a full gateway, e.g. a new provider process whose previous one spent the
// minute's budget): they extend the pause but lower the rate only once, as one congestion
// event, not once per request of the burst.
func (l *Limiter) Penalize(d time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	sameEvent := now.Before(l.pausedUntil)
	if until := now.Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	if l.rl != nil && !sameEvent {
		l.current = max(l.current*0.7, l.configured*minRateFraction)
		l.rl.SetLimit(perSecond(l.current))
	}
}

// Reward records a request that was not throttled: the rate climbs back by 5% of the budget.
func (l *Limiter) Reward() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rl != nil && l.current < l.configured {
		l.current = min(l.configured, l.current+l.configured*0.05)
		l.rl.SetLimit(perSecond(l.current))
	}
}

// configuredRate is the budget asked for, in requests per minute (0 when unlimited).
func (l *Limiter) configuredRate() float64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.configured
}

// RequestsPerMinute is the rate in force now (0 when unlimited).
func (l *Limiter) RequestsPerMinute() float64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// sleepUntil waits until t or until ctx ends, whichever is first.
func sleepUntil(ctx context.Context, t time.Time) error {
	return Sleep(ctx, time.Until(t))
}

// Sleep waits d or until ctx ends. It uses a timer rather than time.Sleep so that cancellation
// (Ctrl-C in Terraform) is noticed at once. Every wait of the client and of the restore runner
// goes through it.
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

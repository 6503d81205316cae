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
// The zero value and a nil *Limiter are unlimited and never pause.
type Limiter struct {
	mu          sync.Mutex
	rl          *rate.Limiter // nil: unlimited
	configured  float64       // requests per minute asked for
	current     float64       // requests per minute in force (<= configured)
	pausedUntil time.Time
}

// minRateFraction bounds the adaptive decrease: never below a quarter of the configured budget,
// so a burst of 429s cannot starve the process.
const minRateFraction = 0.25

// NewLimiter returns a limiter for requestsPerMinute (<= 0: unlimited, but Penalize still pauses).
// The burst is a tenth of a minute's budget (at least 1, at most 20): enough for the handful of
// reads a plan does at once, small enough that a gateway counting per second or per minute does
// not see a spike.
func NewLimiter(requestsPerMinute int) *Limiter {
	burst := requestsPerMinute / 10
	burst = max(1, min(burst, 20))
	return NewLimiterWithBurst(requestsPerMinute, burst)
}

// NewLimiterWithBurst is NewLimiter with an explicit burst.
func NewLimiterWithBurst(requestsPerMinute, burst int) *Limiter {
	l := &Limiter{}
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
	}
	// A 429 seen by someone else while we waited for the token counts for us too; the token
	// already taken is kept, so this is one more pause, not one more token.
	return sleepUntil(ctx, l.pause())
}

func (l *Limiter) pause() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

// Penalize records a throttling reply: nobody sends for d, and the rate drops by 30%.
func (l *Limiter) Penalize(d time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := time.Now().Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	if l.rl != nil {
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
	return sleep(ctx, time.Until(t))
}

// sleep waits d or until ctx ends. It uses a timer rather than time.Sleep so that cancellation
// (Ctrl-C in Terraform) is noticed at once.
func sleep(ctx context.Context, d time.Duration) error {
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

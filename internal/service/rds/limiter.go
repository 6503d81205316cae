package rds

import (
	"context"
	"slices"
	"sort"
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
// The burst is the whole minute's budget (at least 1, at most maxBurst): the gateway counts calls
// per minute, not per second, so a plan of fifty restores may send its reads at once, and the
// submissions that follow go out together when the minute slides. Restores submitted together
// end together, and one task list then sees all their ends; spread over the minute, the same
// restores would end one by one, each end needing a poll of its own to be seen soon. The window
// keeps the minute within budget whatever the burst.
func NewLimiter(requestsPerMinute int) *Limiter {
	return NewLimiterWithBurst(requestsPerMinute, max(1, min(requestsPerMinute, maxBurst)))
}

// maxBurst bounds the burst of a large budget (600 a minute: a tenth of it at once).
const maxBurst = 60

// Priority requests: the reads that notice the due end of a job (the shared watcher's task
// lists). Every other request may fill the minute's window only up to the budget less a reserve
// (a twelfth of it: 5 calls at 60 a minute), which the priority ones may use too. Without it, the
// submissions of a drill spend the whole minute at once, and the jobs that end within it (a
// 20 s restore does) are seen only when the minute slides, up to a minute late. A priority
// request also skips the token bucket (it is one request, not a stream).
const reserveFraction = 12

type priorityKey struct{}

// WithPriority marks the requests made with ctx as priority requests (see reserveFraction).
func WithPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, true)
}

func isPriority(ctx context.Context) bool {
	v, _ := ctx.Value(priorityKey{}).(bool)
	return v
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
	prio := isPriority(ctx)
	if rl != nil && prio {
		if err := l.waitPriority(ctx); err != nil {
			return err
		}
	} else if rl != nil {
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
	l.dropOldLocked(now)
	slot := now
	limit := max(1, int(l.current))
	limit = max(1, limit-limit/reserveFraction)
	if len(l.slots) >= limit {
		slot = l.slots[len(l.slots)-limit].Add(l.span)
	}
	if n := len(l.slots); n > 0 && slot.Before(l.slots[n-1]) {
		slot = l.slots[n-1]
	}
	l.slots = append(l.slots, slot)
	l.mu.Unlock()
	return l.sleepOnSlot(ctx, slot)
}

// waitPriority takes the earliest send slot that keeps every minute-long window around it within
// the whole budget (the reserve included), ahead of other requests waiting for later slots.
func (l *Limiter) waitPriority(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	l.dropOldLocked(now)
	limit := max(1, int(l.current))
	slot := now
	for _, cand := range l.candidatesLocked(now) {
		if l.fitsLocked(cand, limit) {
			slot = cand
			break
		}
	}
	i := sort.Search(len(l.slots), func(i int) bool { return l.slots[i].After(slot) })
	l.slots = slices.Insert(l.slots, i, slot)
	l.mu.Unlock()
	return l.sleepOnSlot(ctx, slot)
}

func (l *Limiter) dropOldLocked(now time.Time) {
	cut := 0
	for cut < len(l.slots) && !l.slots[cut].After(now.Add(-l.span)) {
		cut++
	}
	l.slots = l.slots[cut:]
}

// candidatesLocked are the moments from now on at which a window may gain room: now, and each
// moment a slot leaves the window.
func (l *Limiter) candidatesLocked(now time.Time) []time.Time {
	out := []time.Time{now}
	for _, s := range l.slots {
		if c := s.Add(l.span); c.After(now) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Before(out[b]) })
	return out
}

// fitsLocked says whether one more slot at t keeps every window that holds t within limit: the
// window ending at t, and those ending at each later slot less than a span after t.
func (l *Limiter) fitsLocked(t time.Time, limit int) bool {
	count := func(end time.Time) int {
		n := 0
		for _, s := range l.slots {
			if s.After(end.Add(-l.span)) && !s.After(end) {
				n++
			}
		}
		return n
	}
	if count(t)+1 > limit {
		return false
	}
	for _, s := range l.slots {
		if s.After(t) && s.Before(t.Add(l.span)) && count(s)+1 > limit {
			return false
		}
	}
	return true
}

// Seed records requests sent before this limiter existed (by another provider process of the
// same command against the same account), so that the window counts them as the gateway does.
func (l *Limiter) Seed(sent []time.Time) {
	if l == nil || len(sent) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for _, t := range sent {
		if t.After(now.Add(-l.span)) && !t.After(now) {
			i := sort.Search(len(l.slots), func(i int) bool { return l.slots[i].After(t) })
			l.slots = slices.Insert(l.slots, i, t)
		}
	}
}

// Sent returns the send times of the requests within the last minute (for Seed elsewhere).
func (l *Limiter) Sent() []time.Time {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	var out []time.Time
	for _, t := range l.slots {
		if t.After(now.Add(-l.span)) && !t.After(now) {
			out = append(out, t)
		}
	}
	return out
}

// sleepOnSlot sleeps until slot, giving it back when ctx ends first.
func (l *Limiter) sleepOnSlot(ctx context.Context, slot time.Time) error {
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

package emulator

import (
	"sync"
	"time"
)

// throttleWindow is the gateway's flow-control period: the documented budget is per minute.
const throttleWindow = time.Minute

// throttle is a sliding one-minute window per access key: a request is let through when fewer
// than limit requests of that key were let through in the minute before it. Refused requests
// do not count, so a client that backs off as told by Retry-After gets through on time.
type throttle struct {
	limit int // requests per minute per key; 0 = off

	mu     sync.Mutex
	recent map[string][]time.Time // per key, the times of the requests let through, oldest first
}

func newThrottle(limit int) *throttle {
	return &throttle{limit: limit, recent: map[string][]time.Time{}}
}

// allow records a request of key at now and says whether it is within budget; when it is not,
// retryAfter is how long until the oldest counted request leaves the window.
func (t *throttle) allow(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if t.limit <= 0 {
		return true, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	times := t.recent[key]
	cut := 0
	for cut < len(times) && !times[cut].After(now.Add(-throttleWindow)) {
		cut++
	}
	times = times[cut:]
	if len(times) >= t.limit {
		t.recent[key] = times
		return false, times[0].Add(throttleWindow).Sub(now)
	}
	t.recent[key] = append(times, now)
	return true, 0
}

// retryAfterSeconds rounds a wait up to whole seconds, at least one (Retry-After has no fractions).
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

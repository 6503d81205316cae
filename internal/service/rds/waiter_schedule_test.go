package rds

import (
	"fmt"
	"testing"
	"time"
)

// The schedule on simulated linear jobs (a fake clock, 50ms per request): a job just submitted
// is first polled firstPollDelay after it, its end is seen within two endPolls (plus the
// request), at a handful of polls, also when it sat queued at 0% first; a job that stalls at
// 99% is polled ever more rarely.
func TestProgressDelay_linearJobs(t *testing.T) {
	const latency = 50 * time.Millisecond
	o := WaitOptions{}.withDefaults()
	for _, tc := range []struct {
		d        time.Duration
		queued   time.Duration // at 0% this long before it runs
		maxPolls int
		maxLag   time.Duration
	}{
		{5 * time.Second, 0, 3, 2 * endPoll},
		{20 * time.Second, 0, 4, 2 * endPoll},
		{time.Minute, 0, 5, 2 * endPoll},
		{time.Minute, 2 * time.Second, 8, 2 * endPoll},
		{10 * time.Minute, 0, 20, 2 * endPoll},
		{10 * time.Minute, 30 * time.Second, 28, 2 * endPoll},
	} {
		t.Run(fmt.Sprint(tc.d, " queued ", tc.queued), func(t *testing.T) {
			submitted := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			start := submitted.Add(tc.queued)
			p := progress{start: submitted, from: submitted, pct: -1}
			now, polls := submitted.Add(firstPollDelay(o)), 0
			for ; polls < 100; polls++ {
				at := now.Add(latency / 2)
				if !at.Before(start.Add(tc.d)) {
					break
				}
				pct := max(int(at.Sub(start)*100/tc.d), 0)
				p.observe(at, &Job{Process: fmt.Sprintf("%d%%", pct)})
				now = now.Add(latency)
				now = now.Add(p.delay(now, o))
			}
			lag := now.Add(latency / 2).Sub(start.Add(tc.d))
			t.Logf("%d polls, end seen %v late", polls+1, lag)
			if polls+1 > tc.maxPolls || lag > tc.maxLag+latency {
				t.Fatalf("%d polls, end seen %v late; want at most %d polls and %v", polls+1, lag, tc.maxPolls, tc.maxLag+latency)
			}
		})
	}
	// Stalled at 99% since 60 s into a 60 s estimate: the pauses grow.
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p := progress{start: start, from: start, pct: 99, firstSeen: start.Add(59 * time.Second), seen: start.Add(3 * time.Minute)}
	if d := p.delay(start.Add(3*time.Minute), o); d < 5*time.Second {
		t.Fatalf("a job stalled for two minutes is polled again after %v", d)
	}
}

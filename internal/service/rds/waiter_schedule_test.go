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
		{5 * time.Second, 0, 2, 2 * endPoll},
		{20 * time.Second, 0, 3, 2 * endPoll},
		{time.Minute, 0, 4, 2 * endPoll},
		{time.Minute, 2 * time.Second, 7, 2 * endPoll},
		// 1% of ten minutes is 6 s: a bracket that wide is polled every quarter of it.
		{10 * time.Minute, 0, 17, 6 * time.Second / 4},
		{10 * time.Minute, 30 * time.Second, 20, 6 * time.Second / 4},
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
				now = now.Add(p.delay(now, o, o.MinInterval))
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
	if d := p.delay(start.Add(3*time.Minute), o, o.MinInterval); d < 5*time.Second {
		t.Fatalf("a job stalled for two minutes is polled again after %v", d)
	}
}

// A job whose percentages promise a minute but which ends sooner (progress is not always linear)
// is seen at the latest three times its age at the poll before: the price of sleeping towards
// the promised end in few polls.
func TestProgressDelay_jobEndsSoonerThanItsPercentages(t *testing.T) {
	const latency = 50 * time.Millisecond
	o := WaitOptions{}.withDefaults()
	for _, end := range []time.Duration{3 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second} {
		t.Run(end.String(), func(t *testing.T) {
			submitted := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			p := progress{start: submitted, from: submitted, pct: -1}
			now, last := submitted.Add(firstPollDelay(o)), submitted
			for now.Add(latency / 2).Before(submitted.Add(end)) {
				at := now.Add(latency / 2)
				p.observe(at, &Job{Process: fmt.Sprintf("%d%%", int(at.Sub(submitted)*100/time.Minute))})
				last = at
				now = now.Add(latency)
				now = now.Add(p.delay(now, o, o.MinInterval))
			}
			seen := now.Add(latency / 2).Sub(submitted)
			if bound := max(3*last.Sub(submitted), firstPollDelay(o)+o.MaxInterval) + 2*latency; seen > bound {
				t.Fatalf("ended at %v, seen at %v; want by %v (three times the age at the poll before)", end, seen, bound)
			}
			t.Logf("ended at %v, seen at %v", end, seen)
		})
	}
}

// An adopted job's start is its create_time, which counts a queue too. One that sat ten
// minutes queued and is now 40% into a 60 s run ends 36 s later: it is seen within MaxInterval
// of that, not after the ten-minute-old start's estimate.
func TestProgressDelay_adoptedJobThatQueued(t *testing.T) {
	o := WaitOptions{}.withDefaults()
	created := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	runStart := created.Add(10 * time.Minute)
	end := runStart.Add(time.Minute)
	now := runStart.Add(24 * time.Second)
	p := progress{from: now, pct: -1}
	polls := 0
	for ; now.Before(end); polls++ {
		p.observe(now, &Job{Created: FormatTime(created), Process: fmt.Sprintf("%d%%", int(now.Sub(runStart)*100/time.Minute))})
		now = now.Add(p.delay(now, o, o.MinInterval))
	}
	if lag := now.Sub(end); lag > o.MaxInterval {
		t.Fatalf("ended 36 s after adoption, seen %v later (%d polls)", lag, polls)
	}
}

// A job that sits queued showing no percentage at all (not 0%) and then runs 60 s: its run is
// counted from the last poll that showed none, so its end is not overslept by the queue.
func TestProgressDelay_queuedWithoutPercentage(t *testing.T) {
	o := WaitOptions{}.withDefaults()
	submitted := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, queued := range []time.Duration{time.Minute, 5 * time.Minute} {
		runStart, end := submitted.Add(queued), submitted.Add(queued+time.Minute)
		p := progress{start: submitted, from: submitted, pct: -1}
		now := submitted.Add(firstPollDelay(o))
		for now.Before(end) {
			process := ""
			if !now.Before(runStart) {
				process = fmt.Sprintf("%d%%", int(now.Sub(runStart)*100/time.Minute))
			}
			p.observe(now, &Job{Process: process})
			now = now.Add(p.delay(now, o, o.MinInterval))
		}
		if lag := now.Sub(end); lag > o.MaxInterval {
			t.Errorf("queued %v: the end was seen %v late", queued, lag)
		}
	}
}

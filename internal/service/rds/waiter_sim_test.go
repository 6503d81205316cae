package rds

import (
	"sort"
	"time"
)

// simJob is a job on a fake clock, reporting `process` the way the API (and the emulator) does:
// the floor of a linear percentage, 0..99 while running, then Completed.
type simJob struct {
	Start        time.Time
	Duration     time.Duration
	VisibleAfter time.Duration // DBS.200543 before Start+VisibleAfter
}

func (j simJob) End() time.Time { return j.Start.Add(j.Duration) }

// observe returns what a poll sampled at t sees.
func (j simJob) observe(t time.Time) (found, done bool, progress float64) {
	if t.Before(j.Start.Add(j.VisibleAfter)) {
		return false, false, -1
	}
	if !t.Before(j.End()) {
		return true, true, -1
	}
	p := int(t.Sub(j.Start) * 100 / j.Duration)
	return true, false, float64(max(0, min(p, 99)))
}

type simResult struct {
	Polls int
	Lag   time.Duration // from the job's end to the reply that showed it
}

// simulateWait runs the schedule against j from waitStart, each poll taking latency (the server
// samples the job halfway), exactly as WaitForJob drives nextPollDelay.
func simulateWait(j simJob, waitStart time.Time, latency time.Duration, opts WaitOptions) simResult {
	now := waitStart
	if !opts.SubmittedAt.IsZero() {
		// WaitForJob's first poll waits for the job to be queryable.
		if first := opts.SubmittedAt.Add(firstPollDelay(opts)); first.After(now) {
			now = first
		}
	}
	var obs []observation
	for polls := 1; ; polls++ {
		at := now.Add(latency / 2)
		found, done, p := j.observe(at)
		reply := now.Add(latency)
		if done || polls > 100000 {
			return simResult{Polls: polls, Lag: reply.Sub(j.End())}
		}
		obs = append(obs, observation{At: at, Found: found, Progress: p})
		now = reply.Add(nextPollDelay(obs, reply, opts))
	}
}

// simStats runs n jobs of one duration whose start is spread over the first second before the
// wait begins (the restore's reply takes a moment), and summarizes polls and lag.
// submittedAtWaitStart, as WaitOptions.SubmittedAt of simulateMany, stands for "the wait starts
// as the submission's reply arrives", which is how the restore runner calls WaitForJob.
var submittedAtWaitStart = time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)

type simStats struct {
	MeanPolls, MaxPolls float64
	MedianLag, WorstLag time.Duration
}

func simulateMany(d time.Duration, n int, visibleAfter, latency time.Duration, opts WaitOptions) simStats {
	return simulateSpread(d, n, time.Second, visibleAfter, latency, opts)
}

// simulateSpread is simulateMany with the jobs' starts spread over spread before the wait.
func simulateSpread(d time.Duration, n int, spread, visibleAfter, latency time.Duration, opts WaitOptions) simStats {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if opts.SubmittedAt.Equal(submittedAtWaitStart) {
		// The runner's case: the wait starts as the restore's reply arrives.
		opts.SubmittedAt = base
	}
	var lags []time.Duration
	var st simStats
	total := 0
	for i := 0; i < n; i++ {
		offset := time.Duration(i) * spread / time.Duration(n) // job started this long before the wait
		j := simJob{Start: base.Add(-offset), Duration: d, VisibleAfter: visibleAfter}
		r := simulateWait(j, base, latency, opts)
		total += r.Polls
		st.MaxPolls = max(st.MaxPolls, float64(r.Polls))
		lags = append(lags, r.Lag)
	}
	sort.Slice(lags, func(a, b int) bool { return lags[a] < lags[b] })
	st.MeanPolls = float64(total) / float64(n)
	st.MedianLag = lags[len(lags)/2]
	st.WorstLag = lags[len(lags)-1]
	return st
}

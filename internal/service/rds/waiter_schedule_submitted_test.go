package rds

import (
	"math"
	"testing"
	"time"
)

// The runner's case (SubmittedAt known): the lag goal holds across durations, with fewer polls
// than a wait that knows nothing of the job's start. Jobs that start within 100 ms of the
// submission (the emulator's, and the usual case) meet the schedule at almost the same phase
// every time: the goal must hold for them too, not only on average over phases.
func TestNextPollDelay_submittedMeetsLagGoalWithFewerPolls(t *testing.T) {
	for _, d := range []time.Duration{5 * time.Second, 17 * time.Second, 60 * time.Second, 61 * time.Second, 90 * time.Second, 4 * time.Minute, 10 * time.Minute} {
		sub := simulateMany(d, 100, time.Second, 30*time.Millisecond, WaitOptions{SubmittedAt: submittedAtWaitStart})
		ref := simulateMany(d, 100, time.Second, 30*time.Millisecond, WaitOptions{})
		tight := simulateSpread(d, 100, 100*time.Millisecond, time.Second, 30*time.Millisecond, WaitOptions{SubmittedAt: submittedAtWaitStart})
		if tight.MedianLag > 500*time.Millisecond || tight.WorstLag > 1500*time.Millisecond || tight.WorstLag < 0 {
			t.Errorf("%v, jobs starting with the submission: %+v", d, tight)
		}
		t.Logf("%v: %.2f polls (refresh %.2f), lag median %v worst %v", d, sub.MeanPolls, ref.MeanPolls, sub.MedianLag, sub.WorstLag)
		if sub.MedianLag > 500*time.Millisecond || sub.WorstLag > 1500*time.Millisecond || sub.WorstLag < 0 {
			t.Errorf("%v: %+v", d, sub)
		}
		if sub.MeanPolls > ref.MeanPolls+0.5 {
			t.Errorf("%v: %.2f polls with the submission known, %.2f without", d, sub.MeanPolls, ref.MeanPolls)
		}
		if lim := 8 + 4*math.Log2(d.Seconds()); sub.MaxPolls > lim {
			t.Errorf("%v: %.0f polls > %.0f", d, sub.MaxPolls, lim)
		}
	}
}

// The submission anchors one percentage: the second poll is not a quick re-poll but waits
// towards the end the rate allows (at most anchorLimit times the time since the submission,
// and MaxInterval).
func TestAnchoredDelay_fromOnePercentage(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := WaitOptions{SubmittedAt: base}
	obs := []observation{{At: base.Add(time.Second), Found: true, Progress: 2}}
	if d := nextPollDelay(obs, base.Add(time.Second), opts); d != anchorLimit*time.Second {
		t.Fatalf("2%% after 1 s: next poll in %v, want %v (anchorLimit x the elapsed time)", d, anchorLimit*time.Second)
	}
	// 50% after 1 s: the job may end at 1 + 49/51 s; poll just then, not at the cap.
	obs = []observation{{At: base.Add(time.Second), Found: true, Progress: 50}}
	if d := nextPollDelay(obs, base.Add(time.Second), opts); d < 900*time.Millisecond || d > time.Second {
		t.Fatalf("50%% after 1 s: next poll in %v, want just under 1 s", d)
	}
	// Long after the submission the cap is MaxInterval.
	obs = []observation{{At: base.Add(time.Minute), Found: true, Progress: 0}}
	if d := nextPollDelay(obs, base.Add(time.Minute), opts); d != DefaultMaxInterval {
		t.Fatalf("0%% after a minute: next poll in %v, want %v", d, DefaultMaxInterval)
	}
	// Without SubmittedAt nothing changes: back off from MinInterval for a second percentage.
	obs = []observation{{At: base.Add(time.Second), Found: true, Progress: 2}}
	if d := nextPollDelay(obs, base.Add(time.Second), WaitOptions{}); d != DefaultMinInterval {
		t.Fatalf("without SubmittedAt: %v", d)
	}
}

// The first poll that can see the end is not at the start of the bracket but one window
// interval into it, or at its end when the bracket is narrower than that.
func TestAnchoredDelay_firstPollIntoTheBracket(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		obs  []observation
	}{
		// A one-minute job: 10% at 6 s, 98% at 58.8 s; the bracket is ~0.6 s wide.
		{"wide", []observation{{At: base.Add(6 * time.Second), Found: true, Progress: 10}, {At: base.Add(58800 * time.Millisecond), Found: true, Progress: 98}}},
		// A ten-second job: 10% at 1 s, 90% at 9 s; the bracket is ~0.2 s wide.
		{"narrow", []observation{{At: base.Add(time.Second), Found: true, Progress: 10}, {At: base.Add(9 * time.Second), Found: true, Progress: 90}}},
	} {
		e, ok := estimateEnd(c.obs)
		if !ok {
			t.Fatal("no estimate")
		}
		now := c.obs[len(c.obs)-1].At
		want := e.Earliest.Add(maxWindowInterval)
		if e.Latest.Before(want) {
			want = e.Latest
		}
		if got := now.Add(nextPollDelay(c.obs, now, WaitOptions{})); got.Sub(want).Abs() > time.Millisecond {
			t.Errorf("%s: next poll at %v, want %v (bracket [%v, %v])", c.name, got.Sub(base), want.Sub(base),
				e.Earliest.Sub(base), e.Latest.Sub(base))
		}
	}
}

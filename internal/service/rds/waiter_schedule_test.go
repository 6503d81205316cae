package rds

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// The one-restore goal in internal/bench/goals.go: notice a job's end within 0.5 s median, 1.5 s worst, with few polls.
func TestNextPollDelay_sixtySecondJob(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, vis := range []time.Duration{0, time.Second, 3 * time.Second} {
		for i := 0; i < 50; i++ {
			offset := time.Duration(i) * 20 * time.Millisecond
			j := simJob{Start: base.Add(-offset), Duration: 60 * time.Second, VisibleAfter: vis}
			r := simulateWait(j, base, 20*time.Millisecond, WaitOptions{})
			if r.Polls > 12 || r.Lag < 0 || r.Lag > time.Second {
				t.Fatalf("visible after %v, started %v early: %d polls, lag %v", vis, offset, r.Polls, r.Lag)
			}
		}
	}
	st := simulateMany(60*time.Second, 200, 0, 20*time.Millisecond, WaitOptions{})
	t.Logf("60 s job: %.1f polls on average (max %.0f), lag median %v worst %v", st.MeanPolls, st.MaxPolls, st.MedianLag, st.WorstLag)
	if st.MeanPolls > 9 || st.MedianLag > 500*time.Millisecond {
		t.Fatalf("%+v", st)
	}
}

func TestNextPollDelay_meetsLagGoalAcrossDurations(t *testing.T) {
	for _, d := range []time.Duration{5 * time.Second, 17 * time.Second, 60 * time.Second, 4 * time.Minute, 10 * time.Minute} {
		st := simulateMany(d, 100, time.Second, 30*time.Millisecond, WaitOptions{})
		if st.MedianLag > 500*time.Millisecond || st.WorstLag > 1500*time.Millisecond || st.WorstLag < 0 {
			t.Errorf("%v: %+v", d, st)
		}
		if lim := 8 + 4*math.Log2(d.Seconds()); st.MaxPolls > lim {
			t.Errorf("%v: %.0f polls > %.0f", d, st.MaxPolls, lim)
		}
	}
}

// A job stuck at 99% for five minutes must not be polled every 250 ms all that time, and its
// end must still be seen within a fraction of the stall.
func TestNextPollDelay_stalledJobBacksOff(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := base.Add(60*time.Second + 5*time.Minute)
	observe := func(at time.Time) (bool, float64) {
		if !at.Before(end) {
			return true, -1
		}
		return false, float64(min(99, int(at.Sub(base)*100/(60*time.Second))))
	}
	now, polls := base, 0
	var obs []observation
	for {
		polls++
		done, p := observe(now)
		if done {
			break
		}
		obs = append(obs, observation{At: now, Found: true, Progress: p})
		now = now.Add(nextPollDelay(obs, now, WaitOptions{}))
	}
	lag := now.Sub(end)
	t.Logf("stalled job: %d polls, lag %v", polls, lag)
	if polls > 60 || lag > 10*time.Second {
		t.Fatalf("%d polls, lag %v", polls, lag)
	}
}

// A job that never reports `process` is polled with a geometric back-off up to MaxInterval.
func TestNextPollDelay_withoutProgress(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var obs []observation
	now := base
	var delays []time.Duration
	for i := 0; i < 8; i++ {
		obs = append(obs, observation{At: now, Found: true, Progress: -1})
		d := nextPollDelay(obs, now, WaitOptions{})
		delays = append(delays, d)
		now = now.Add(d)
	}
	want := "[250ms 500ms 1s 2s 4s 8s 10s 10s]"
	if got := fmt.Sprint(delays); got != want {
		t.Fatalf("got %s want %s", got, want)
	}
}

func TestNextPollDelay_whileNotQueryable(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var obs []observation
	var delays []time.Duration
	now := base
	for i := 0; i < 5; i++ {
		obs = append(obs, observation{At: now, Found: false, Progress: -1})
		d := nextPollDelay(obs, now, WaitOptions{})
		delays = append(delays, d)
		now = now.Add(d)
	}
	if got, want := fmt.Sprint(delays), "[1s 2s 4s 8s 10s]"; got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	// Once a percentage shows up, the back-off restarts from MinInterval to get a second one.
	obs = append(obs, observation{At: now, Found: true, Progress: 40})
	if d := nextPollDelay(obs, now, WaitOptions{}); d != DefaultMinInterval {
		t.Fatalf("first percentage: %v", d)
	}
}

// For any linear job, the bracket contains the true end.
func TestEstimateEnd_bracketsTheEnd(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range []time.Duration{3 * time.Second, 61 * time.Second, 997 * time.Second} {
		j := simJob{Start: base, Duration: d}
		step := d / 37
		var obs []observation
		for at := base.Add(time.Millisecond); at.Before(j.End()); at = at.Add(step) {
			_, _, p := j.observe(at)
			obs = append(obs, observation{At: at, Found: true, Progress: p})
			e, ok := estimateEnd(obs)
			if !ok {
				continue
			}
			if e.Earliest.After(j.End()) || e.Latest.Before(j.End()) {
				t.Fatalf("%v job, %d observations: [%v, %v] misses the end %v", d, len(obs),
					e.Earliest.Sub(base), e.Latest.Sub(base), d)
			}
		}
	}
}

func TestNextPollDelay_respectsBounds(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := WaitOptions{MinInterval: 100 * time.Millisecond, MaxInterval: 2 * time.Second}
	obs := []observation{{At: base, Found: true, Progress: 10}, {At: base.Add(time.Second), Found: true, Progress: 20}}
	// Far from the end: sleeps towards it, bounded by 4x the measured span (not by MaxInterval).
	if d := nextPollDelay(obs, base.Add(time.Second), opts); d != 4*time.Second {
		t.Fatalf("got %v", d)
	}
	// Never below MinInterval.
	obs = append(obs, observation{At: base.Add(9 * time.Second), Found: true, Progress: 99})
	if d := nextPollDelay(obs, base.Add(9*time.Second), opts); d < opts.MinInterval {
		t.Fatalf("got %v", d)
	}
	if d := nextPollDelay(nil, base, opts); d != 0 {
		t.Fatalf("first poll must be immediate, got %v", d)
	}
	if got := parseProcess(" 60% "); got != 60 {
		t.Fatal(got)
	}
	for _, bad := range []string{"", "%", "abc", "-5%", "NaN"} {
		if parseProcess(bad) != -1 {
			t.Fatalf("%q", bad)
		}
	}
}

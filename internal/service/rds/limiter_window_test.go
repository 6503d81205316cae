package rds

import (
	"context"
	"testing"
	"time"
)

// The sliding window holds a whole burst to the budget: 3 requests per (shortened) minute with a
// burst of 100 lets 3 through at once and the 4th only when the first leaves the window.
func TestLimiter_windowCapsTheMinute(t *testing.T) {
	l := NewLimiterWithBurst(3, 100)
	l.span = 300 * time.Millisecond
	start := time.Now()
	for i := 0; i < 3; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el > 150*time.Millisecond {
		t.Fatalf("the first 3 (within budget) waited %v", el)
	}
	for i := 0; i < 3; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 290*time.Millisecond {
		t.Fatalf("6 requests against 3 per 300ms took only %v", el)
	}
}

// A caller that gives up while waiting for a slot returns it, so the next caller is not held
// back by a request that was never sent.
func TestLimiter_windowCancelledSlotIsReturned(t *testing.T) {
	l := NewLimiterWithBurst(1, 100)
	l.span = 400 * time.Millisecond
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx); err == nil {
		t.Fatal("a second request within the window should have waited past the deadline")
	}
	l.mu.Lock()
	n := len(l.slots)
	l.mu.Unlock()
	if n != 1 {
		t.Fatalf("slots after a cancelled wait: %d, want 1", n)
	}
}

// The AIMD rate applies to the window too: after a 429 the minute's budget shrinks.
func TestLimiter_windowFollowsPenalty(t *testing.T) {
	l := NewLimiterWithBurst(10, 100)
	l.span = 300 * time.Millisecond
	l.Penalize(0) // 10 -> 7 per window
	start := time.Now()
	for i := 0; i < 8; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 290*time.Millisecond {
		t.Fatalf("8 requests against 7 per 300ms took only %v", el)
	}
}

// A burst of 429s (requests already in flight when the first came back) is one congestion event:
// the pause grows, the rate drops once.
func TestLimiter_burstOf429sLowersTheRateOnce(t *testing.T) {
	l := NewLimiter(60)
	for i := 0; i < 5; i++ {
		l.Penalize(time.Minute)
	}
	if got := l.RequestsPerMinute(); got != 42 {
		t.Fatalf("rate after one burst of 429s: %v, want 42 (one 30%% decrease)", got)
	}
}

// Ordinary requests leave a twelfth of the window to priority ones (the reads that notice a due
// end): at 24 a minute, 22 go at once, the 23rd waits for the window; a priority request goes at
// once, and so does a second one; a third waits too.
func TestLimiter_reserveIsLeftToPriority(t *testing.T) {
	l := NewLimiterWithBurst(24, 100)
	l.span = 400 * time.Millisecond
	start := time.Now()
	for i := 0; i < 22; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el > 150*time.Millisecond {
		t.Fatalf("22 ordinary requests within budget less the reserve waited %v", el)
	}
	done := make(chan time.Duration, 1)
	go func() {
		_ = l.Wait(context.Background()) // the 23rd ordinary request
		done <- time.Since(start)
	}()
	time.Sleep(20 * time.Millisecond)
	prio := WithPriority(context.Background())
	for i := 0; i < 2; i++ {
		if err := l.Wait(prio); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el > 200*time.Millisecond {
		t.Fatalf("two priority requests within the reserve waited until %v", el)
	}
	if el := <-done; el < 390*time.Millisecond {
		t.Fatalf("the 23rd ordinary request went at %v, before the window slid", el)
	}
	if err := l.Wait(prio); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 390*time.Millisecond {
		t.Fatalf("a priority request past the whole budget went at %v", el)
	}
}

// Requests another process of the command sent (Seed) count in the window as the gateway counts
// them, and Sent returns what this one sent.
func TestLimiter_seedCountsEarlierRequests(t *testing.T) {
	l := NewLimiterWithBurst(3, 100)
	l.span = 300 * time.Millisecond
	now := time.Now()
	l.Seed([]time.Time{now.Add(-time.Hour), now.Add(-100 * time.Millisecond), now.Add(-50 * time.Millisecond)})
	start := time.Now()
	for i := 0; i < 2; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// One seeded request older than the window is not counted; the two recent ones are, so
	// the second request waits until the first of them leaves (about 200ms from now).
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("two requests after two seeded ones against 3 per 300ms took only %v", el)
	}
	if got := len(l.Sent()); got != 3 {
		t.Fatalf("Sent: %d requests within the window, want 3", got)
	}
}

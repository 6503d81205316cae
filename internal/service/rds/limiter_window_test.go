package rds

import (
	"context"
	"testing"
	"time"
)

// The sliding window holds a whole burst to the budget: 3 requests per (shortened) minute with a
// burst of 100 lets 3 through at once and the 4th only when the first leaves the window.
func TestLimiterWindowCapsTheMinute(t *testing.T) {
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
func TestLimiterWindowCancelledSlotIsReturned(t *testing.T) {
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
func TestLimiterWindowFollowsPenalty(t *testing.T) {
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
func TestLimiterBurstOf429sLowersTheRateOnce(t *testing.T) {
	l := NewLimiter(60)
	for i := 0; i < 5; i++ {
		l.Penalize(time.Minute)
	}
	if got := l.RequestsPerMinute(); got != 42 {
		t.Fatalf("rate after one burst of 429s: %v, want 42 (one 30%% decrease)", got)
	}
}

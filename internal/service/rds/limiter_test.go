package rds

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestLimiter_sharedAcrossClients(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		jobReply(w, "j", JobRunning, "1%")
	})
	// 1200/min = 20/s with a burst of 1: 10 requests need at least 9/20 s = 450ms.
	shared := NewLimiterWithBurst(1200, 1)
	a := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	b := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	if a.Limiter() != b.Limiter() {
		t.Fatal("limiter not shared")
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range []*Client{a, b} {
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.GetJob(context.Background(), "j"); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	if el := time.Since(start); el < 430*time.Millisecond {
		t.Fatalf("10 requests through a shared 20/s limiter took only %v", el)
	}

	// Control: the same load on two unlimited clients is not slowed down.
	c1, c2 := newTestClient(t, api.URL), newTestClient(t, api.URL)
	start = time.Now()
	for _, c := range []*Client{c1, c2} {
		for i := 0; i < 5; i++ {
			if _, err := c.GetJob(context.Background(), "j"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if el := time.Since(start); el > 400*time.Millisecond {
		t.Fatalf("unlimited clients took %v", el)
	}
}

func TestNewClient_makesLimiterFromBudget(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.RequestsPerMinute = 60 })
	if got := c.Limiter().RequestsPerMinute(); got != 60 {
		t.Fatalf("rate %v", got)
	}
}

func TestPenalize_pausesEveryoneAndAdapts(t *testing.T) {
	l := NewLimiterWithBurst(6000, 100)
	l.Penalize(200 * time.Millisecond)
	if got := l.RequestsPerMinute(); got != 4200 {
		t.Fatalf("rate after a 429: %v", got)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = l.Wait(context.Background()) }()
	}
	wg.Wait()
	if el := time.Since(start); el < 180*time.Millisecond {
		t.Fatalf("penalty not applied to everyone: %v", el)
	}
	for i := 0; i < 100; i++ {
		l.Reward()
	}
	if got := l.RequestsPerMinute(); got != 6000 {
		t.Fatalf("rate did not recover: %v", got)
	}
	for i := 0; i < 50; i++ {
		l.Penalize(0)
	}
	if got := l.RequestsPerMinute(); got != 1500 {
		t.Fatalf("rate fell below a quarter of the budget: %v", got)
	}
}

func TestLimiter_waitHonoursContext(t *testing.T) {
	l := NewLimiter(0)
	l.Penalize(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	var nilLimiter *Limiter
	if err := nilLimiter.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	nilLimiter.Penalize(time.Second)
	nilLimiter.Reward()
}

func TestLimiter_throttleSlowsTheSharedLimiter(t *testing.T) {
	var mu sync.Mutex
	n := 0
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			apiError(w, 429, "APIGW.0308", "throttled")
			return
		}
		jobReply(w, "j", JobRunning, "1%")
	})
	shared := NewLimiter(600)
	a := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	if _, err := a.GetJob(context.Background(), "j"); err != nil {
		t.Fatal(err)
	}
	if got := shared.RequestsPerMinute(); got >= 600 {
		t.Fatalf("a 429 should lower the shared rate, got %v", got)
	}
}

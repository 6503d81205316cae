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
	// 4 requests per 300ms, shared: the 10 requests of two clients need three windows.
	shared := NewLimiter(4)
	shared.span = 300 * time.Millisecond
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
	if el := time.Since(start); el < 580*time.Millisecond {
		t.Fatalf("10 requests through a shared limiter of 4 per 300ms took only %v", el)
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
	if got := c.Limiter().limit; got != 60 {
		t.Fatalf("rate %v", got)
	}
}

// The window lets the whole budget go at once, and no more within one span.
func TestLimiter_windowCapsTheSpan(t *testing.T) {
	l := NewLimiter(3)
	l.span = 300 * time.Millisecond
	start := time.Now()
	var at []time.Duration
	for i := 0; i < 5; i++ {
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done(false)
		at = append(at, time.Since(start))
	}
	if at[2] > 50*time.Millisecond || at[3] < 290*time.Millisecond || at[4] < 290*time.Millisecond {
		t.Fatalf("send times %v: want three at once, then the rest a span later", at)
	}
}

func TestPenalize_pausesEveryone(t *testing.T) {
	l := NewLimiter(6000)
	l.Penalize(200 * time.Millisecond)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if done, err := l.Wait(context.Background()); err == nil {
				done(false)
			}
		}()
	}
	wg.Wait()
	if el := time.Since(start); el < 180*time.Millisecond {
		t.Fatalf("penalty not applied to everyone: %v", el)
	}
}

// When the window is full, a priority request (a submission) waiting for room goes before the
// ordinary ones that waited longer; when there is room, nobody waits.
func TestLimiter_priorityFirstWhenShort(t *testing.T) {
	l := NewLimiter(2)
	l.span = 300 * time.Millisecond
	for i := 0; i < 2; i++ {
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done(false)
	}
	order := make(chan string, 3)
	var wg sync.WaitGroup
	wait := func(ctx context.Context, name string) {
		defer wg.Done()
		done, err := l.Wait(ctx)
		if err != nil {
			t.Error(err)
			return
		}
		done(false)
		order <- name
	}
	wg.Add(3)
	go wait(context.Background(), "read1")
	go wait(context.Background(), "read2")
	time.Sleep(30 * time.Millisecond)
	go wait(WithPriority(context.Background()), "submission")
	wg.Wait()
	close(order)
	if first := <-order; first != "submission" {
		t.Fatalf("%s went first, want the submission", first)
	}
}

func TestLimiter_waitHonoursContext(t *testing.T) {
	l := NewLimiter(0)
	l.Penalize(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	var nilLimiter *Limiter
	done, err := nilLimiter.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done(false)
	nilLimiter.Penalize(time.Second)
}

// A 429 pauses every client sharing the limiter.
func TestLimiter_throttlePausesTheSharedLimiter(t *testing.T) {
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
	b := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	if _, err := a.GetJob(context.Background(), "j"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetJob(context.Background(), "j"); err != nil {
		t.Fatal(err)
	}
	if shared.pausedUntil.IsZero() {
		t.Fatal("a 429 did not pause the shared limiter")
	}
}

// At most maxInFlight requests are on their way at once; the next goes when a reply comes.
func TestLimiter_boundsRequestsInFlight(t *testing.T) {
	l := NewLimiter(600)
	var dones []func(bool)
	for i := 0; i < maxInFlight; i++ {
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		dones = append(dones, done)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("request %d went with %d on their way: %v", maxInFlight+1, maxInFlight, err)
	}
	go dones[0](false)
	done, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done(false)
}

// After a 429 one request at a time goes, until a request sent after the 429 gets through: each
// process told to come back at the same second then tries one request, not maxInFlight.
func TestLimiter_oneAtATimeAfterThrottle(t *testing.T) {
	blocked := func(l *Limiter) bool {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		done, err := l.Wait(ctx)
		if err == nil {
			done(false)
		}
		return errors.Is(err, context.DeadlineExceeded)
	}
	for _, tc := range []struct {
		name string
		// earlier: the reply to a request sent before the 429 (nil: it never comes); probe: the
		// reply to the first request sent after the pause (nil: still on its way).
		earlier, probe *bool
		wantBlocked    bool
	}{
		{"earlier request still on its way: no probe yet", nil, nil, true},
		{"probe on its way: the next waits", ptr(false), nil, true},
		{"probe got through: up to maxInFlight again", ptr(false), ptr(false), false},
		{"probe throttled too: still one at a time", ptr(false), ptr(true), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLimiter(600)
			earlier, err := l.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			l.Penalize(10 * time.Millisecond)
			if tc.earlier == nil {
				if !blocked(l) {
					t.Fatal("a request went while one sent before the 429 was on its way")
				}
				return
			}
			earlier(*tc.earlier)
			probe, err := l.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.probe != nil {
				probe(*tc.probe)
				if *tc.probe {
					l.Penalize(0)
					next, err := l.Wait(context.Background()) // the next probe, on its way
					if err != nil {
						t.Fatal(err)
					}
					defer next(false)
				}
			}
			if got := blocked(l); got != tc.wantBlocked {
				t.Fatalf("next request blocked: %v, want %v", got, tc.wantBlocked)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// After a 429 a submission goes when told; reads come back up to readRetrySpread later, at a
// moment drawn once per pause (processes told the same second do not all read in it).
func TestLimiter_readsSpreadAfterThrottle(t *testing.T) {
	seen := map[time.Duration]bool{}
	for i := 0; i < 20; i++ {
		l := NewLimiter(600)
		l.Penalize(time.Second)
		now := time.Now()
		sub, _ := l.nextLocked(now, true)
		read, _ := l.nextLocked(now, false)
		if !sub.Equal(l.pausedUntil) || read.Before(sub) || read.Sub(sub) >= readRetrySpread {
			t.Fatalf("submission at %v, read at %v after the pause's end %v", sub, read, l.pausedUntil)
		}
		seen[read.Sub(sub)] = true
	}
	if len(seen) < 2 {
		t.Fatal("every pause held reads back by the same time")
	}
}

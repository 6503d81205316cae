package rds

import (
	"context"
	"errors"
	"fmt"
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

// When the window is full, a submission or a watch read waiting for room goes before the
// ordinary reads that waited longer; when there is room, nobody waits.
func TestLimiter_priorityFirstWhenShort(t *testing.T) {
	for name, ctx := range map[string]context.Context{
		"submission": withSubmission(context.Background()),
		"watch":      WithPriority(context.Background()),
	} {
		t.Run(name, func(t *testing.T) {
			l := NewLimiter(2)
			l.span = 300 * time.Millisecond
			for i := 0; i < 2; i++ {
				done, err := l.Wait(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				done(true)
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
				done(true)
				order <- name
			}
			wg.Add(3)
			go wait(context.Background(), "read1")
			go wait(context.Background(), "read2")
			time.Sleep(30 * time.Millisecond)
			go wait(ctx, name)
			wg.Wait()
			close(order)
			if first := <-order; first != name {
				t.Fatalf("%s went first, want the %s", first, name)
			}
		})
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
			w.Header().Set("Retry-After", "1")
			apiError(w, 429, "APIGW.0308", "throttled")
			return
		}
		jobReply(w, "j", JobRunning, "1%")
	})
	shared := NewLimiter(600)
	a := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	b := newTestClient(t, api.URL, func(cfg *Config) { cfg.Limiter = shared })
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := a.GetJob(context.Background(), "j"); err != nil {
			t.Error(err)
		}
	}()
	for {
		mu.Lock()
		throttled := n >= 1
		mu.Unlock()
		if throttled {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for { // a's 429 (Retry-After: 1) has been answered and recorded
		shared.mu.Lock()
		paused := !shared.pausedUntil.IsZero()
		shared.mu.Unlock()
		if paused {
			break
		}
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	if _, err := b.GetJob(context.Background(), "j"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if el := time.Since(start); el < 800*time.Millisecond {
		t.Fatalf("b's read went %v after a's 429 said Retry-After: 1: the shared limiter was not paused", el)
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

// The last sends of each window are kept for the reads that see a job's end (WithPriority):
// ordinary requests and submissions stop short of them.
func TestLimiter_reserveForWatchReads(t *testing.T) {
	ctxs := map[string]context.Context{
		"ordinary":   context.Background(),
		"submission": withSubmission(context.Background()),
		"watch":      WithPriority(context.Background()),
	}
	for _, tc := range []struct {
		limit int
		kind  string
		want  int // sends within one span
	}{
		{60, "ordinary", 58},
		{60, "submission", 58},
		{60, "watch", 60},
		{120, "submission", 116},
		{20, "ordinary", 20}, // under 30 a minute: no reserve
	} {
		t.Run(fmt.Sprint(tc.limit, " ", tc.kind), func(t *testing.T) {
			l := NewLimiter(tc.limit)
			sent := 0
			for ; sent < tc.limit+1; sent++ {
				ctx, cancel := context.WithTimeout(ctxs[tc.kind], 20*time.Millisecond)
				done, err := l.Wait(ctx)
				cancel()
				if err != nil {
					break
				}
				done(false)
			}
			if sent != tc.want {
				t.Fatalf("%d sends went within a span, want %d", sent, tc.want)
			}
			if tc.kind != "watch" && tc.want < tc.limit {
				ctx, cancel := context.WithTimeout(ctxs["watch"], 20*time.Millisecond)
				defer cancel()
				if _, err := l.Wait(ctx); err != nil {
					t.Fatalf("a watch read could not use the reserve: %v", err)
				}
			}
		})
	}
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
		// earlier: the reply to a request sent before the 429 ("": it never comes); probe: what
		// became of the first request sent after the pause ("": still on its way).
		earlier, probe string
		wantBlocked    bool
	}{
		{"earlier request still on its way: no probe yet", "", "", true},
		{"probe on its way: the next waits", "through", "", true},
		{"probe got through: up to maxInFlight again", "through", "through", false},
		{"probe throttled too: still one at a time", "through", "throttled", true},
		{"probe got no reply (transport error): still one at a time", "through", "no reply", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLimiter(600)
			earlier, err := l.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			l.Penalize(10 * time.Millisecond)
			if tc.earlier == "" {
				if !blocked(l) {
					t.Fatal("a request went while one sent before the 429 was on its way")
				}
				return
			}
			earlier(true) // through, but sent before the 429: it says nothing of the gateway now
			probe, err := l.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			switch tc.probe {
			case "through":
				probe(true)
			case "no reply", "throttled":
				if tc.probe == "throttled" {
					l.Penalize(0) // as the client does: the pause before done
				}
				probe(false)
				next, err := l.Wait(context.Background()) // the next probe, on its way
				if err != nil {
					t.Fatal(err)
				}
				defer next(false)
			}
			if got := blocked(l); got != tc.wantBlocked {
				t.Fatalf("next request blocked: %v, want %v", got, tc.wantBlocked)
			}
		})
	}
}

// An unlimited limiter (requests_per_minute = 0) keeps no send times: a long run does not grow it.
func TestLimiter_unlimitedKeepsNoHistory(t *testing.T) {
	l := NewLimiter(0)
	for i := 0; i < 1000; i++ {
		done, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done(true)
	}
	if len(l.sent) != 0 {
		t.Fatalf("%d send times kept", len(l.sent))
	}
}

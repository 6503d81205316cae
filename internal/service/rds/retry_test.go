package rds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var testRestore = RestoreRequest{
	Source: RestoreSource{InstanceID: "src00000000000000000000000000000in01", Type: "backup", BackupID: "b1"},
	Target: RestoreTarget{InstanceID: "tgt00000000000000000000000000000in01"},
}

func jobReply(w http.ResponseWriter, id, status, process string) {
	writeJSON(w, 200, JobResponse{Job: Job{ID: id, Status: status, Process: process, Entities: map[string]any{}}})
}

func TestClient_retryOn429HonoursRetryAfter(t *testing.T) {
	var n atomic.Int64
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			apiError(w, 429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit")
			return
		}
		jobReply(w, "j1", JobRunning, "10%")
	})
	c := newTestClient(t, api.URL)
	start := time.Now()
	job, err := c.GetJob(context.Background(), "j1")
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 950*time.Millisecond {
		t.Fatalf("Retry-After: 1 not honoured, retried after %v", el)
	}
	if job.Process != "10%" || api.count.Load() != 2 {
		t.Fatalf("job %+v after %d requests", job, api.count.Load())
	}
	if s := c.Stats(); s.Requests != 2 || s.Throttled != 1 || s.Retries != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestClient_retryOnRetryableServerCodes(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
	}{{500, "DBS.280036"}, {500, "DBS.111205"}, {502, ""}, {503, ""}, {504, ""}} {
		var n atomic.Int64
		api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if n.Add(1) <= 2 {
				if tc.code == "" {
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte("<html>upstream trouble</html>"))
					return
				}
				apiError(w, tc.status, tc.code, "try later")
				return
			}
			jobReply(w, "j1", JobCompleted, "")
		})
		c := newTestClient(t, api.URL)
		if _, err := c.GetJob(context.Background(), "j1"); err != nil {
			t.Fatalf("%d %s: %v", tc.status, tc.code, err)
		}
		if api.count.Load() != 3 {
			t.Fatalf("%d %s: %d requests, want 3", tc.status, tc.code, api.count.Load())
		}
	}
}

func TestClient_noRetryOnDefiniteErrors(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		apiError(w, 500, "DBS.108000", "internal error")
	})
	c := newTestClient(t, api.URL)
	_, err := c.GetJob(context.Background(), "j1")
	if !IsCode(err, "DBS.108000") || api.count.Load() != 1 {
		t.Fatalf("err %v after %d requests", err, api.count.Load())
	}
}

func TestClient_retriesExhausted(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		apiError(w, 503, "", "")
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.GetJob(context.Background(), "j1")
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 503 || api.count.Load() != 3 {
		t.Fatalf("err %v after %d requests", err, api.count.Load())
	}
	c0 := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 0 })
	before := api.count.Load()
	_, _ = c0.GetJob(context.Background(), "j1")
	if api.count.Load()-before != 1 {
		t.Fatal("MaxRetries 0 must send once")
	}
}

func TestClient_getRetriedAfterConnectionClosed(t *testing.T) {
	var n atomic.Int64
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) <= 2 {
			hijackClose(t, w)
			return
		}
		jobReply(w, "j1", JobRunning, "50%")
	})
	c := newTestClient(t, api.URL)
	job, err := c.GetJob(context.Background(), "j1")
	if err != nil || job.Process != "50%" {
		t.Fatalf("job %+v err %v", job, err)
	}
	if api.count.Load() != 3 {
		t.Fatalf("%d requests, want 3", api.count.Load())
	}
}

func TestClient_getRetriedAfterTimeout(t *testing.T) {
	var n atomic.Int64
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			time.Sleep(300 * time.Millisecond)
		}
		jobReply(w, "j1", JobRunning, "5%")
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond} })
	if _, err := c.GetJob(context.Background(), "j1"); err != nil {
		t.Fatal(err)
	}
	if api.count.Load() != 2 {
		t.Fatalf("%d requests, want 2", api.count.Load())
	}
}

func TestRestore_notRetriedWhenConnectionDropsAfterSend(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		// The request arrived whole (and, on a real server, may have been acted on); then the
		// connection breaks without a reply.
		if !strings.Contains(string(body), testRestore.Target.InstanceID) {
			t.Errorf("body %s", body)
		}
		hijackClose(t, w)
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = 5 })
	_, err := c.Restore(context.Background(), testRestore)
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("want ErrOutcomeUnknown, got %v", err)
	}
	if api.count.Load() != 1 {
		t.Fatalf("the restore was sent %d times; a second restore destroys data", api.count.Load())
	}
	if s := c.Stats(); s.OutcomeUnknown != 1 || s.Retries != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRestore_notRetriedOnTimeoutAfterSend(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		time.Sleep(300 * time.Millisecond)
		writeJSON(w, 202, RestoreResponse{JobID: "late"})
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond} })
	_, err := c.Restore(context.Background(), testRestore)
	if !errors.Is(err, ErrOutcomeUnknown) || api.count.Load() != 1 {
		t.Fatalf("err %v after %d requests", err, api.count.Load())
	}
}

func TestRestore_retriedOn429(t *testing.T) {
	var n atomic.Int64
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Method != "POST" || r.URL.Path != "/v3.1/"+testProject+"/instances/recovery" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if n.Add(1) == 1 {
			apiError(w, 429, "APIGW.0308", "The throttling threshold has been reached")
			return
		}
		writeJSON(w, 202, RestoreResponse{JobID: "ff80808157127d9301571bf8160c001d"})
	})
	c := newTestClient(t, api.URL)
	resp, err := c.Restore(context.Background(), testRestore)
	if err != nil || resp.JobID != "ff80808157127d9301571bf8160c001d" {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	if api.count.Load() != 2 {
		t.Fatalf("%d requests, want 2", api.count.Load())
	}
}

func TestRestore_definiteRefusalIsNotUnknown(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		apiError(w, 500, "DBS.280036", "instance not ready")
	})
	c := newTestClient(t, api.URL)
	_, err := c.Restore(context.Background(), testRestore)
	if errors.Is(err, ErrOutcomeUnknown) || !IsCode(err, "DBS.280036") || api.count.Load() != 1 {
		t.Fatalf("err %v after %d requests", err, api.count.Load())
	}
}

func TestRestore_gateway5xxIsUnknown(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.WriteHeader(504)
		_, _ = w.Write([]byte("<html>Gateway Timeout</html>"))
	})
	c := newTestClient(t, api.URL)
	_, err := c.Restore(context.Background(), testRestore)
	var e *Error
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &e) || e.StatusCode != 504 || api.count.Load() != 1 {
		t.Fatalf("err %v after %d requests", err, api.count.Load())
	}
}

func TestRestore_retriedWhenConnectionRefused(t *testing.T) {
	// A port with nothing listening: the request provably never left.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err = c.Restore(context.Background(), testRestore)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("want a plain connection error, got %v", err)
	}
	if s := c.Stats(); s.Requests != 3 || s.Retries != 2 {
		t.Fatalf("stats %+v: a refused connection should be retried", s)
	}
	if !strings.Contains(err.Error(), "not sent") {
		t.Fatalf("message should say the request was not sent: %v", err)
	}
}

func TestRestore_replyWithoutJobIDIsUnknown(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		writeJSON(w, 200, map[string]string{})
	})
	c := newTestClient(t, api.URL)
	if _, err := c.Restore(context.Background(), testRestore); !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("got %v", err)
	}
}

func TestRestore_sendsOnlyWhatIsSet(t *testing.T) {
	var got string
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		got = string(body)
		if r.Header.Get("X-Project-Id") != testProject || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", r.Header)
		}
		writeJSON(w, 202, RestoreResponse{JobID: "j"})
	})
	c := newTestClient(t, api.URL)
	if _, err := c.Restore(context.Background(), testRestore); err != nil {
		t.Fatal(err)
	}
	for _, absent := range []string{"restore_all_database", "database_name", "restore_time"} {
		if strings.Contains(got, absent) {
			t.Errorf("body %s carries %s", got, absent)
		}
	}
}

func TestClient_cancellationDuringBackoffReturnsQuickly(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		apiError(w, 503, "", "")
	})
	c := newTestClient(t, api.URL, func(cfg *Config) {
		cfg.BackoffBase, cfg.BackoffMax, cfg.MaxRetries = 20*time.Second, 20*time.Second, 5
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetJob(ctx, "j1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	// The first backoff may be drawn small (full jitter) and a second attempt made; either way
	// the wait ends within moments of the cancel.
	if el := time.Since(start); el > time.Second {
		t.Fatalf("returned %v after the start", el)
	}
}

func TestClient_retryAfterBeyondDeadlineGivesUpAtOnce(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "30")
		apiError(w, 429, "APIGW.0308", "throttled")
	})
	c := newTestClient(t, api.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GetJob(ctx, "j1")
	if !IsThrottled(err) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestParseRetryAfter_forms(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "3": 3 * time.Second, "0": 0, "-1": 0, "junk": 0, "100000": maxRetryAfter,
		now.Add(7 * time.Second).Format(http.TimeFormat): 7 * time.Second,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("%q: %v want %v", in, got, want)
		}
	}
}

func TestBackoff_bounds(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	for n := 0; n < 40; n++ {
		ceiling := min(time.Second, 100*time.Millisecond<<min(n, 20))
		for i := 0; i < 50; i++ {
			if d := c.backoff(n, 0); d < 0 || d > ceiling {
				t.Fatalf("attempt %d: %v outside [0, %v]", n, d, ceiling)
			}
		}
	}
	if d := c.backoff(0, 5*time.Second); d != 5*time.Second {
		t.Fatalf("Retry-After should win: %v", d)
	}
}

// Every 5xx on the restore POST leaves its fate unknown (never resent here), except the one
// documented refusal DBS.280036; a 4xx RDS error is a definite refusal. The RDS error stays
// readable through the wrapper so that callers can name the code.
func TestRestore_serverErrorFate(t *testing.T) {
	for _, tc := range []struct {
		status  int
		code    string
		unknown bool
	}{
		{500, "DBS.111205", true},
		{500, "DBS.108000", true},
		{502, "APIGW.0201", true},
		{503, "", true},
		{504, "", true},
		{500, "DBS.280036", false},
		{400, "DBS.200037", false},
		{409, "DBS.200011", false},
	} {
		api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			apiError(w, tc.status, tc.code, "injected")
		})
		c := newTestClient(t, api.URL)
		_, err := c.Restore(context.Background(), testRestore)
		var e *Error
		if errors.Is(err, ErrOutcomeUnknown) != tc.unknown || !errors.As(err, &e) || e.StatusCode != tc.status {
			t.Errorf("%d %s: err %v, want unknown=%v", tc.status, tc.code, err, tc.unknown)
		}
		if api.count.Load() != 1 {
			t.Errorf("%d %s: %d requests, want 1 (never resent by the client)", tc.status, tc.code, api.count.Load())
		}
	}
}

// A 429 without Retry-After is waited out for at least half of BackoffMax each time (the
// gateway's window is a minute), not for the short exponential steps of other retries.
func TestClient_throttledWithoutRetryAfterWaitsHalfBackoffMax(t *testing.T) {
	var n atomic.Int64
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) <= 2 {
			apiError(w, http.StatusTooManyRequests, CodeThrottled, "The throttling threshold has been reached")
			return
		}
		writeJSON(w, 200, ListInstancesResponse{})
	})
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.BackoffMax = 200 * time.Millisecond })
	start := time.Now()
	if _, err := c.ListInstances(context.Background(), ListInstancesOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("two throttled attempts were retried after %v in all; want at least 2 x 100ms", d)
	}
}

// Reads told by Retry-After when to come back spread over readRetrySpread after it (other
// processes on the key were told the same moment); a submission comes back when told.
func TestClient_retryAfterSpreadsReadsNotSubmissions(t *testing.T) {
	var mu sync.Mutex
	// Each caller's retry is measured from its own 429: on a loaded machine the callers start
	// at different moments, so the last 429 of all is no reference for the first retry.
	told := map[string]time.Time{}
	var retries []time.Duration // each retry after its caller's 429
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		key := r.Method + r.URL.RawQuery + r.Header.Get("X-Test-Caller")
		mu.Lock()
		at, seen := told[key]
		if seen {
			retries = append(retries, time.Since(at))
		} else {
			told[key] = time.Now()
		}
		mu.Unlock()
		if !seen {
			w.Header().Set("Retry-After", "1")
			apiError(w, 429, "APIGW.0308", "The throttling threshold has been reached")
			return
		}
		if r.Method == http.MethodPost {
			writeJSON(w, 202, RestoreResponse{JobID: "ff80808157127d9301571bf8160c001d"})
			return
		}
		jobReply(w, r.URL.Query().Get("id"), JobRunning, "10%")
	})
	run := func(n int, call func(c *Client, i int) error) (lo, hi time.Duration) {
		mu.Lock()
		retries = nil
		mu.Unlock()
		c := newTestClient(t, api.URL)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := call(c, i); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return slices.Min(retries), slices.Max(retries)
	}
	lo, hi := run(8, func(c *Client, i int) error {
		_, err := c.GetJob(context.Background(), fmt.Sprintf("job-%d", i))
		return err
	})
	if lo < 900*time.Millisecond || hi > time.Second+readRetrySpread+2*time.Second || hi-lo < 200*time.Millisecond {
		t.Errorf("8 reads retried between %v and %v, want spread over [1s, 1s+%v]", lo, hi, readRetrySpread)
	}
	lo, hi = run(1, func(c *Client, _ int) error { _, err := c.Restore(context.Background(), testRestore); return err })
	if lo < 900*time.Millisecond || hi > 2*time.Second {
		t.Errorf("a submission retried at %v, want when told (1s)", hi)
	}
}

// A 429 pauses the whole process before anything else goes: no request waiting for a reply
// slips out between the 429 and its pause, and the last attempt's 429 pauses it too.
func TestClient_throttlePausesBeforeAnotherRequestGoes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		retries  int
		inFlight int // requests throttled at once; a further one waits for their replies
	}{
		// Also: the replies of a full set in flight wake a request waiting for a slot, which
		// must find the pause set (retry.go: Penalize before done). No test here can force
		// that interleaving; the order is in the code.
		{"the last attempt's 429", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			var mu sync.Mutex
			var arrived []time.Time
			var throttledAt time.Time
			api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				mu.Lock()
				arrived = append(arrived, time.Now())
				first := len(arrived) <= tc.inFlight
				mu.Unlock()
				if first {
					<-release
					mu.Lock()
					throttledAt = time.Now()
					mu.Unlock()
					w.Header().Set("Retry-After", "1")
					apiError(w, 429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit")
					return
				}
				jobReply(w, "j1", JobRunning, "10%")
			})
			c := newTestClient(t, api.URL, func(cfg *Config) { cfg.MaxRetries = tc.retries; cfg.RequestsPerMinute = 6000 })
			var wg sync.WaitGroup
			for i := 0; i < tc.inFlight; i++ {
				wg.Add(1)
				go func() { defer wg.Done(); _, _ = c.GetJob(context.Background(), "j1") }()
			}
			for api.count.Load() < int64(tc.inFlight) {
				time.Sleep(time.Millisecond)
			}
			if tc.inFlight > 1 {
				wg.Add(1)
				go func() { defer wg.Done(); _, _ = c.GetJob(context.Background(), "j1") }() // waits for a slot
				time.Sleep(50 * time.Millisecond)
			}
			close(release)
			if tc.inFlight == 1 {
				wg.Wait()
				if _, err := c.GetJob(context.Background(), "j1"); err != nil {
					t.Fatal(err)
				}
			}
			wg.Wait()
			mu.Lock()
			defer mu.Unlock()
			for i, at := range arrived[tc.inFlight:] {
				if d := at.Sub(throttledAt); d < 900*time.Millisecond {
					t.Fatalf("request %d went %v after the 429 that said Retry-After: 1", tc.inFlight+i+1, d)
				}
			}
		})
	}
}

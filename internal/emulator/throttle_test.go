package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

func TestThrottle_limitsPerKey(t *testing.T) {
	seed := DefaultSeed()
	seed.Credentials = append(seed.Credentials, Credential{AccessKey: "SECONDKEY", SecretKey: "second-secret"})
	e := newEnv(t, func(o *Options) { o.Throttle = 3; o.Seed = seed })
	path := p("/v3/{p}/instances?limit=1")
	for i := 0; i < 3; i++ {
		e.clock.Advance(10 * time.Second) // requests at +10s, +20s, +30s
		if status, data := e.request(http.MethodGet, path, nil); status != http.StatusOK {
			t.Fatalf("request %d = %d %s", i, status, data)
		}
	}
	resp, data := e.send(e.newSigned(http.MethodGet, path, nil))
	eb := wantError(t, resp.StatusCode, data, http.StatusTooManyRequests, "APIGW.0308")
	const msg = "The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 minute"
	if eb.ErrorMsg != msg {
		t.Errorf("error_msg %q", eb.ErrorMsg)
	}
	// The oldest counted request (+10s) leaves the window at +70s: 40 s from now (+30s).
	if got := resp.Header.Get("Retry-After"); got != "40" {
		t.Errorf("Retry-After %q, want 40", got)
	}

	// Another key has its own budget.
	other := *e
	other.creds = signer.Credentials{AccessKey: "SECONDKEY", SecretKey: "second-secret"}
	if status, data := other.request(http.MethodGet, path, nil); status != http.StatusOK {
		t.Fatalf("second key = %d %s", status, data)
	}

	// Refused requests do not count: once the oldest leaves the window, one more gets through.
	e.clock.Advance(40 * time.Second)
	if status, data := e.request(http.MethodGet, path, nil); status != http.StatusOK {
		t.Fatalf("after Retry-After = %d %s", status, data)
	}
	status, data := e.request(http.MethodGet, path, nil)
	wantError(t, status, data, http.StatusTooManyRequests, "APIGW.0308")

	recs := e.requests()
	if last := recs[len(recs)-1]; last.Status != 429 || last.ErrorCode != "APIGW.0308" || last.AccessKey != DemoAccessKey {
		t.Errorf("logged %+v", last)
	}
}

func TestThrottle_off(t *testing.T) {
	e := newEnv(t, nil)
	for i := 0; i < 100; i++ {
		if status, data := e.request(http.MethodGet, p("/v3/projects"), nil); status != http.StatusOK {
			t.Fatalf("request %d = %d %s", i, status, data)
		}
	}
}

func TestRetryAfterSeconds_roundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 59 * time.Second: 59} {
		if got := retryAfterSeconds(d); got != want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", d, got, want)
		}
	}
}

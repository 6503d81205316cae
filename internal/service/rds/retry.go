package rds

// The request loop is written here rather than with go-retryablehttp because the rule that matters
// most is about the restore POST, and it needs facts retryablehttp's CheckRetry hook does not get:
// whether the request was ever written to a connection (from net/http/httptrace), whether a 5xx
// came from RDS itself or from a gateway that may have forwarded the request, and the shared
// Limiter's penalty on a 429. Signing also has to happen per attempt (a fresh X-Sdk-Date after a
// long backoff). The loop is short enough that owning it is clearer than bending a library.
//
// Policy:
//   - Reads (every GET) are retried up to MaxRetries times on: 429 / APIGW.0308; HTTP 500 with
//     DBS.280036 or DBS.111205; 502, 503, 504; connection errors and timeouts.
//   - The restore POST is retried only when it provably never reached RDS: the connection could
//     not be made (nothing was written: dial error, connection refused, TLS failure) or the
//     gateway throttled it (429 / APIGW.0308: the gateway refuses before forwarding). Anything
//     else after the request was written (reset, EOF, timeout, any 5xx but DBS.280036, an
//     unreadable 2xx) returns ErrOutcomeUnknown and is never resent here: a second restore onto
//     the same target would wipe out whatever was written after the first; the restore runner
//     settles such a submission through the task list. A 4xx RDS error (DBS.*) and DBS.280036
//     ("instance not ready", documented retryable) are definite refusals, returned as is.
//   - Waits use full-jitter exponential backoff between BackoffBase and BackoffMax, or Retry-After
//     when the gateway sends it (whichever is longer; a read then up to readRetrySpread later,
//     so that processes on one key told the same moment do not collide again), and end at once
//     when ctx ends. A wait that
//     would outlast ctx's deadline is not started: the last error is returned instead.
//   - Every attempt takes a send from the shared Limiter (a submission before waiting reads); a
//     429 pauses the Limiter, so every caller in the process waits, not just this one.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// call describes one API operation.
type call struct {
	service string // "RDS" or "IAM", for messages
	method  string
	base    *url.URL
	path    apiPath
	query   url.Values
	body    any // sent as JSON when non-nil
	// idempotent calls may be resent after a failure that might have reached the server.
	// Every call is, except the restore.
	idempotent bool
	// project calls carry X-Project-Id and have {project_id} in their path.
	project bool
}

// maxBody bounds how much of a reply is read: the largest legitimate reply (100 instances) is far
// smaller, and a misbehaving proxy must not make the provider buffer gigabytes.
const maxBody = 16 << 20

// readRetrySpread spreads the reads told by Retry-After when to come back (see Client.do).
const readRetrySpread = 1500 * time.Millisecond

// maxRetryAfter caps a gateway's Retry-After, so a bogus value cannot park the provider for hours.
const maxRetryAfter = 5 * time.Minute

// attempt is what one HTTP exchange produced.
type attempt struct {
	status   int
	header   http.Header
	body     []byte
	err      error // transport error, or error reading the body
	written  bool  // the request headers were (at least partly) handed to a connection
	duration time.Duration
}

// do runs cl with retries and decodes a 2xx JSON reply into out (when non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	ctx = WithMasking(ctx, c.creds)
	var body []byte
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("%s API %s %s: encoding the request: %w", cl.service, cl.method, cl.path.template(), err)
		}
	}
	projectID := ""
	if cl.project {
		if err := c.EnsureProjectID(ctx); err != nil {
			return err
		}
		projectID = c.ProjectID()
	}
	u, err := buildURL(cl.base, cl.path.escaped(projectID), signer.CanonicalQuery(cl.query))
	if err != nil {
		return fmt.Errorf("%s API %s %s: building the URL: %w", cl.service, cl.method, cl.path.template(), err)
	}

	// A submission goes before waiting reads (see Limiter).
	lctx := ctx
	if !cl.idempotent {
		lctx = withSubmission(ctx)
	}
	for n := 0; ; n++ {
		done, err := c.limiter.Wait(lctx)
		if err != nil {
			return c.opError(cl, "waiting for the client-side rate limiter", err)
		}
		if n > 0 {
			c.stats.retries.Add(1)
		}
		a := c.send(ctx, cl, u, body, projectID)
		logAttempt(ctx, cl, u, n+1, a, body)

		apiErr, retryable, unknown, err := c.classify(ctx, cl, a, out)
		throttled := apiErr != nil && apiErr.Throttled()
		var retryAfter, wait time.Duration
		if err != nil {
			if apiErr != nil {
				retryAfter = parseRetryAfter(a.header.Get("Retry-After"), time.Now())
			}
			wait = c.backoff(n, retryAfter)
		}
		if throttled {
			if retryAfter == 0 {
				// Whether the gateway sends Retry-After is unconfirmed. Without it the one fact
				// is its one-minute window: wait between half of BackoffMax and all of it, so
				// that the retries outlast a window instead of all landing in the same one.
				wait = max(wait, c.backoffMax/2+time.Duration(rand.Int64N(int64(c.backoffMax/2)+1)))
			}
			// At least the base: an immediate resend into a throttled gateway is a wasted call.
			// The pause holds the whole process, on the last attempt too, and starts before done
			// wakes the requests waiting for a reply.
			wait = max(wait, c.backoffBase)
			c.limiter.Penalize(wait)
		}
		done(a.status != 0 && !throttled)
		if err == nil {
			return nil
		}
		if unknown {
			c.stats.outcomeUnknown.Add(1)
		}
		if !retryable || n >= c.maxRetries {
			return err
		}
		if throttled && retryAfter > 0 && cl.method == http.MethodGet {
			// Every process on the key that was throttled in the same moment was told the
			// same moment to come back, and the gateway's minute frees one call at a time:
			// a read comes back up to readRetrySpread later, a submission when told.
			wait += time.Duration(rand.Int64N(int64(readRetrySpread)))
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("%w (not retried: the next attempt would start after the deadline)", err)
		}
		logRetry(ctx, cl, n+1, wait, err)
		if serr := Sleep(ctx, wait); serr != nil {
			return c.opError(cl, "waiting to retry after: "+err.Error(), serr)
		}
	}
}

// send makes one signed HTTP attempt.
func (c *Client) send(ctx context.Context, cl call, u *url.URL, body []byte, projectID string) attempt {
	var a attempt
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), bytes.NewReader(body))
	if err != nil {
		a.err = err
		return a
	}
	if body == nil {
		req.Body, req.GetBody, req.ContentLength = nil, nil, 0
	}
	if !cl.idempotent {
		// Without GetBody the transport cannot send the body again on its own: HTTP/2 replays a
		// request whose stream the server reset after reading it (PROTOCOL_ERROR), and a 307 or
		// 308 redirect resends it. A restore the server may have taken is settled, never resent
		// behind this code's back.
		req.GetBody = nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if cl.project && projectID != "" {
		req.Header.Set("X-Project-Id", projectID)
	}
	signer.Sign(req, body, c.creds, c.now())

	trace := &httptrace.ClientTrace{WroteHeaders: func() { a.written = true }}
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))

	c.stats.requests.Add(1)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		a.err, a.duration = err, time.Since(start)
		return a
	}
	defer resp.Body.Close()
	a.status, a.header = resp.StatusCode, resp.Header
	a.body, a.err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	a.duration = time.Since(start)
	return a
}

// classify turns an attempt into nil (success, out decoded) or an error, and says whether the
// error may be retried and whether it leaves a restore's outcome unknown.
func (c *Client) classify(ctx context.Context, cl call, a attempt, out any) (apiErr *Error, retryable, unknown bool, err error) {
	path := cl.path.template()
	switch {
	case a.status == 0: // no reply at all
		if ctx.Err() != nil {
			// Cancelled or past the deadline mid-request. A restore already written may have
			// been taken.
			if !cl.idempotent && a.written {
				return nil, false, true, fmt.Errorf("%s API %s %s: %w: %w", cl.service, cl.method, path, ErrOutcomeUnknown, ctx.Err())
			}
			return nil, false, false, c.opError(cl, "", ctx.Err())
		}
		cause := describeTransportError(a.err)
		terr := &transportError{err: a.err}
		if cl.idempotent {
			return nil, true, false, fmt.Errorf("%s API %s %s: %s: %w", cl.service, cl.method, path, cause, terr)
		}
		if !a.written || isDialError(a.err) {
			// Never left this machine: safe to send again.
			return nil, true, false, fmt.Errorf("%s API %s %s: %s (the request was not sent): %w", cl.service, cl.method, path, cause, terr)
		}
		return nil, false, true, fmt.Errorf("%s API %s %s: %s after the request was sent: %w: %w", cl.service, cl.method, path, cause, ErrOutcomeUnknown, terr)

	case a.status >= 200 && a.status < 300:
		if a.err != nil { // the reply broke off
			if cl.idempotent {
				return nil, true, false, fmt.Errorf("%s API %s %s: reading the reply: %w", cl.service, cl.method, path, &transportError{err: a.err})
			}
			return nil, false, true, fmt.Errorf("%s API %s %s: HTTP %d but the reply could not be read: %w: %w", cl.service, cl.method, path, a.status, ErrOutcomeUnknown, a.err)
		}
		if out == nil || len(bytes.TrimSpace(a.body)) == 0 && a.status == http.StatusNoContent {
			return nil, false, false, nil
		}
		if derr := json.Unmarshal(a.body, out); derr != nil {
			shown := snippet([]byte(redact(string(a.body), c.creds))) // redacted before it is cut short
			if cl.idempotent {
				return nil, false, false, fmt.Errorf("%s API %s %s: HTTP %d with a reply that is not the expected JSON (%s): %w", cl.service, cl.method, path, a.status, shown, derr)
			}
			return nil, false, true, fmt.Errorf("%s API %s %s: HTTP %d with a reply that is not the expected JSON (%s): %w: %w", cl.service, cl.method, path, a.status, shown, ErrOutcomeUnknown, derr)
		}
		return nil, false, false, nil

	default:
		// A server or proxy that echoes the request back must not put credentials into an
		// error message that ends up in a Terraform diagnostic: redacted before it is cut short,
		// so that no part of a secret is left at the cut.
		apiErr = parseError(a.status, a.header, []byte(redact(string(a.body), c.creds)), cl.method, path)
		apiErr.service = cl.service
		if a.status == http.StatusUnauthorized {
			apiErr.hint = c.authHint
		}
		if apiErr.Throttled() {
			c.stats.throttled.Add(1)
			// The gateway refuses before forwarding: retryable even for the restore.
			return apiErr, true, false, apiErr
		}
		if cl.idempotent {
			return apiErr, apiErr.retryableRead(), false, apiErr
		}
		if a.status >= 500 && !strings.EqualFold(apiErr.Code, CodeInstanceNotReady) {
			// A gateway or proxy error page may come after the request was forwarded and taken;
			// and RDS's own 5xx (DBS.111205 "service timeout", DBS.108000) is the service
			// failing mid-way, which does not prove the restore was not taken either. Only
			// DBS.280036 is documented as a refusal to retry ("instance not ready").
			return apiErr, false, true, fmt.Errorf("%w: %w", ErrOutcomeUnknown, apiErr)
		}
		return apiErr, false, false, apiErr
	}
}

// opError wraps a context or limiter error with the operation it interrupted.
func (c *Client) opError(cl call, what string, err error) error {
	if what == "" {
		return fmt.Errorf("%s API %s %s: %w", cl.service, cl.method, cl.path.template(), err)
	}
	return fmt.Errorf("%s API %s %s: %s: %w", cl.service, cl.method, cl.path.template(), what, err)
}

// backoff is full jitter: uniform in [0, min(BackoffMax, BackoffBase*2^n)], or Retry-After when
// that is longer.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	ceiling := c.backoffMax
	if n < 30 {
		if d := c.backoffBase << n; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	d := time.Duration(rand.Int64N(int64(ceiling) + 1))
	return max(d, retryAfter)
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date; 0 when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// isDialError reports an error from establishing the connection, before anything was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var tlsErr *tls.CertificateVerificationError
	return errors.As(err, &tlsErr)
}

// describeTransportError names a transport failure in words, without the URL (it is in the
// message already) and without any header.
func describeTransportError(err error) string {
	var ne net.Error
	switch {
	case isDialError(err):
		return "could not connect"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed"
	default:
		return "connection error"
	}
}

// transportError marks a failure of the connection (no usable reply), so callers such as the job
// waiter can tell "the network hiccupped" from "the API said no".
type transportError struct{ err error }

func (e *transportError) Error() string {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(e.err, &unknownAuthority) || errors.As(e.err, &hostname) || errors.As(e.err, &invalid) {
		// Say what to do: the fix is the endpoint's certificate, or, for a test endpoint only,
		// turning verification off on purpose.
		return e.err.Error() + " (the endpoint's TLS certificate is not trusted; for a test endpoint such as a local " +
			"emulator set insecure = true or HW_INSECURE=true, never for the real cloud)"
	}
	return e.err.Error()
}
func (e *transportError) Unwrap() error { return e.err }

// IsTransport reports whether err is (or wraps) a connection failure: no reply was received.
func IsTransport(err error) bool {
	var te *transportError
	return errors.As(err, &te)
}

package rds

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Config configures a Client. Only Endpoint and Credentials are always needed; Region and
// IAMEndpoint are needed when ProjectID is empty (it is then looked up through IAM).
type Config struct {
	Endpoint    string // RDS base URL, e.g. https://rds.cn-north-4.myhuaweicloud.com (no trailing slash needed)
	IAMEndpoint string // IAM base URL, e.g. https://iam.cn-north-4.myhuaweicloud.com
	Region      string
	ProjectID   string // may be empty: then LookupProjectID / EnsureProjectID (done lazily by every call)
	Credentials signer.Credentials
	Insecure    bool // skip TLS verification (off by default)
	// MaxRetries is how many times a retryable failure is retried (0 means none; negative is 0).
	// The provider passes its own default.
	MaxRetries int
	// RequestsPerMinute is the client-side budget, used only when Limiter is nil (0 = unlimited).
	RequestsPerMinute int
	// Limiter is shared by everything a provider process does; NewClient creates one from
	// RequestsPerMinute when nil.
	Limiter    *Limiter
	HTTPClient *http.Client // optional (tests); its Timeout, if any, applies per attempt
	UserAgent  string
	// AuthHint ends the message of every request the gateway refused as unauthenticated (HTTP
	// 401: a wrong key, a bad signature, an expired token), saying where the credentials come
	// from: only the caller knows its own argument and variable names. Empty adds nothing.
	AuthHint string
	Now      func() time.Time // optional clock for signing
	// BackoffBase and BackoffMax bound the full-jitter exponential backoff between retries
	// (defaults 500ms and 30s; tests make them tiny).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// RequestTimeout bounds one HTTP attempt when HTTPClient is nil (default 60s). A read that
	// times out is retried; a restore that times out after being sent is ErrOutcomeUnknown.
	RequestTimeout time.Duration
}

// Defaults for optional Config fields.
const (
	DefaultBackoffBase    = 500 * time.Millisecond
	DefaultBackoffMax     = 30 * time.Second
	DefaultRequestTimeout = 60 * time.Second
	defaultUserAgent      = "terraform-provider-hwc"
)

// Client calls the RDS API (and IAM for the project lookup). It is safe for concurrent use.
type Client struct {
	rdsBase     *url.URL
	iamBase     *url.URL // nil when not configured
	region      string
	creds       signer.Credentials
	maxRetries  int
	limiter     *Limiter
	http        *http.Client
	userAgent   string
	authHint    string
	now         func() time.Time
	backoffBase time.Duration
	backoffMax  time.Duration

	projectMu sync.Mutex // serializes the IAM lookup so concurrent calls do it once
	projectID atomic.Pointer[string]

	stats struct {
		requests, throttled, retries, outcomeUnknown atomic.Int64
	}
}

// Stats are counters over the client's life, for benchmarks and tests.
type Stats struct {
	Requests       int64 // HTTP attempts sent (retries included)
	Throttled      int64 // replies that were 429 / APIGW.0308
	Retries        int64 // attempts that were retries of an earlier one
	OutcomeUnknown int64 // restores whose fate could not be known (ErrOutcomeUnknown)
}

// NewClient checks cfg and builds a Client. It does no network I/O.
func NewClient(cfg Config) (*Client, error) {
	rdsBase, err := parseBase("endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	var iamBase *url.URL
	if cfg.IAMEndpoint != "" {
		if iamBase, err = parseBase("IAM endpoint", cfg.IAMEndpoint); err != nil {
			return nil, err
		}
	}
	if cfg.Credentials.AccessKey == "" || cfg.Credentials.SecretKey == "" {
		return nil, errors.New("RDS client: an access key and a secret key are required")
	}
	c := &Client{
		rdsBase:     rdsBase,
		iamBase:     iamBase,
		region:      cfg.Region,
		creds:       cfg.Credentials,
		maxRetries:  max(cfg.MaxRetries, 0),
		limiter:     cfg.Limiter,
		http:        cfg.HTTPClient,
		userAgent:   cfg.UserAgent,
		authHint:    cfg.AuthHint,
		now:         cfg.Now,
		backoffBase: cfg.BackoffBase,
		backoffMax:  cfg.BackoffMax,
	}
	if c.limiter == nil {
		c.limiter = NewLimiter(cfg.RequestsPerMinute)
	}
	if c.http == nil {
		c.http = newHTTPClient(cfg)
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.backoffBase <= 0 {
		c.backoffBase = DefaultBackoffBase
	}
	if c.backoffMax <= 0 {
		c.backoffMax = DefaultBackoffMax
	}
	if c.backoffMax < c.backoffBase {
		c.backoffMax = c.backoffBase
	}
	if cfg.ProjectID != "" {
		id := cfg.ProjectID
		c.projectID.Store(&id)
	}
	return c, nil
}

func newHTTPClient(cfg Config) *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: start from Go's defaults that matter here
		base = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	tr := base.Clone()
	if cfg.Insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it (insecure = true)
	}
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

func parseBase(what, raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, fmt.Errorf("RDS client: the %s is empty", what)
	}
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil {
		return nil, fmt.Errorf("RDS client: the %s %q is not a URL: %w", what, raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("RDS client: the %s %q must be an http(s) URL such as https://rds.cn-north-4.myhuaweicloud.com", what, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("RDS client: the %s %q must not have a query or fragment", what, raw)
	}
	return u, nil
}

// ProjectID is the project id in use ("" until configured or looked up).
func (c *Client) ProjectID() string {
	if p := c.projectID.Load(); p != nil {
		return *p
	}
	return ""
}

// Region is the configured region.
func (c *Client) Region() string { return c.region }

// Limiter is the limiter this client takes tokens from (to share it with another client).
func (c *Client) Limiter() *Limiter { return c.limiter }

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:       c.stats.requests.Load(),
		Throttled:      c.stats.throttled.Load(),
		Retries:        c.stats.retries.Load(),
		OutcomeUnknown: c.stats.outcomeUnknown.Load(),
	}
}

// projectSegment stands for the project id in a path; it is replaced when the request is built,
// and kept as written in error messages and logs so they match the paths of the package doc.
const projectSegment = "{project_id}"

// apiPath is a request path as segments (unescaped). Each segment is percent-encoded exactly
// the way the signer canonicalizes it, so what is sent is what is signed.
type apiPath []string

// template renders the path with {project_id} left in place, for messages.
func (p apiPath) template() string { return "/" + strings.Join(p, "/") }

// escaped renders the path for the wire with projectID substituted.
func (p apiPath) escaped(projectID string) string {
	parts := make([]string, len(p))
	for i, s := range p {
		if s == projectSegment {
			s = projectID
		}
		parts[i] = signer.Escape(s)
	}
	return "/" + strings.Join(parts, "/")
}

// buildURL joins a base URL (which may carry a path prefix) with an escaped path and a query.
func buildURL(base *url.URL, escapedPath, rawQuery string) (*url.URL, error) {
	u, err := url.Parse(base.String() + escapedPath)
	if err != nil {
		return nil, err
	}
	u.RawQuery = rawQuery
	return u, nil
}

package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// Options configure a Server. The zero value serves the built-in seed with 3 s jobs that are
// visible at once, no throttling and no persistence.
type Options struct {
	// Seed is the starting world; nil loads DefaultSeed().
	Seed *Seed
	// JobDuration is how long a restore job runs; 0 takes the seed's job_duration, else 3 s.
	JobDuration time.Duration
	// JobQueueDelay is how long an accepted restore job sits queued before it runs: the job
	// query and the task list answer Running with process "0%", and the target stays ACTIVE
	// (yet refuses another restore as busy, 409 DBS.200011: the API has the job); then the
	// target turns RESTORING and JobDuration runs. 0 = none (the target is RESTORING at once).
	JobQueueDelay time.Duration
	// BackupDuration is how long a manual backup (POST /v3/{project_id}/backups) is BUILDING,
	// its instance BACKING UP; 0 = DefaultBackupDuration (2 s).
	BackupDuration time.Duration
	// JobVisibleAfter is how long a new job id answers 400 DBS.200543 ("job does not exist"),
	// as the real API does for several seconds. 0 means none (handy in tests); the binary's
	// -job-visible-after flag defaults to 1s.
	JobVisibleAfter time.Duration
	// Throttle is the budget in requests per minute per access key; 0 = off.
	Throttle int
	// StatePath, when set, is a JSON file the state is written to after each change and read
	// from at start when it exists, so a restarted emulator continues its jobs.
	StatePath string
	// Clock is the emulator's time (jobs, windows, signature dates, throttling); nil = time.Now.
	Clock func() time.Time
	// Unconfirmed chooses how the emulator answers where the API's documents leave the real
	// API's behaviour unconfirmed (doc.go); the zero value is the default behaviour.
	Unconfirmed Unconfirmed
	// IgnoreUnknownFields makes unknown fields of request bodies ignored instead of refused
	// (400 DBS.200001), for users whose real cloud ignores them.
	IgnoreUnknownFields bool
	// Version is what GET /_emulator/health reports; "" = "dev".
	Version string
	// Logger receives one line per API request (method, path, status, code: never a header)
	// and persistence errors; nil = discard.
	Logger *log.Logger
}

// Unconfirmed are switches for what the API's documents do not confirm about the real API, so
// that a test suite can prove a client works either way. JobVisibleAfter (how long a new job
// answers DBS.200543) is the fifth such choice and lives in Options itself.
type Unconfirmed struct {
	// RestoreStatus200 makes the restore call answer 200 instead of 202.
	RestoreStatus200 bool `json:"restore_status_200,omitempty"`
	// NoRetryAfter leaves the Retry-After header out of 429 replies.
	NoRetryAfter bool `json:"no_retry_after,omitempty"`
	// TaskListMissing makes GET /v3/{project_id}/tasklist answer 404 APIGW.0101 (no such API).
	TaskListMissing bool `json:"task_list_missing,omitempty"`
	// TaskListWithoutRestores makes the task list leave restore jobs out.
	TaskListWithoutRestores bool `json:"task_list_without_restores,omitempty"`
}

// maxBodyBytes bounds what the emulator reads of a request body.
const maxBodyBytes = 1 << 20

// Server is the emulator; it implements http.Handler.
type Server struct {
	clock               func() time.Time
	logger              *log.Logger
	secrets             map[string]string // access key -> secret key
	jobDuration         time.Duration
	jobVisibleAfter     time.Duration
	jobQueueDelay       time.Duration
	backupDuration      time.Duration
	statePath           string
	unconfirmed         Unconfirmed
	ignoreUnknownFields bool
	version             string

	requests requestLog
	faults   faultBook
	throttle *throttle

	// mu guards everything below; API handlers run with it held.
	mu         sync.Mutex
	region     string
	projectID  string
	domainID   string
	domainName string
	instances  []*SeedInstance
	backups    []*Backup
	jobs       []*job
	timers     map[string]*time.Timer // per unfinished job: settles it when it ends
	closed     bool
}

// New builds a Server from opts. With opts.StatePath set and the file present, the state in it
// replaces the seed's instances, backups and jobs (the seed still supplies the credentials).
func New(opts Options) (*Server, error) {
	if opts.JobDuration < 0 || opts.JobVisibleAfter < 0 || opts.JobQueueDelay < 0 || opts.BackupDuration < 0 || opts.Throttle < 0 {
		return nil, errors.New("emulator: JobDuration, JobVisibleAfter, JobQueueDelay, BackupDuration and Throttle must not be negative")
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	seed := opts.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	seed, err := seed.clone()
	if err != nil {
		return nil, fmt.Errorf("emulator: copy seed: %w", err)
	}
	if err := seed.normalize(); err != nil {
		return nil, fmt.Errorf("emulator: seed: %w", err)
	}
	now := clock()
	seed.resolveRelativeWindows(now)

	s := &Server{
		clock:               clock,
		logger:              logger,
		secrets:             map[string]string{},
		jobDuration:         opts.JobDuration,
		jobVisibleAfter:     opts.JobVisibleAfter,
		jobQueueDelay:       opts.JobQueueDelay,
		backupDuration:      opts.BackupDuration,
		statePath:           opts.StatePath,
		unconfirmed:         opts.Unconfirmed,
		ignoreUnknownFields: opts.IgnoreUnknownFields,
		version:             opts.Version,
		throttle:            newThrottle(opts.Throttle),
		timers:              map[string]*time.Timer{},
	}
	if s.jobDuration == 0 {
		s.jobDuration = time.Duration(seed.JobDuration)
	}
	if s.jobDuration == 0 {
		s.jobDuration = DemoJobDuration
	}
	if s.version == "" {
		s.version = "dev"
	}
	if s.backupDuration == 0 {
		s.backupDuration = DefaultBackupDuration
	}
	for _, c := range seed.Credentials {
		s.secrets[c.AccessKey] = c.SecretKey
	}
	s.loadSeedLocked(seed)
	if s.statePath != "" {
		if err := s.loadStateFile(); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleLocked(now)
	for _, j := range s.jobs {
		s.scheduleLocked(j, now)
	}
	for _, b := range s.backups {
		s.scheduleBackupLocked(b, now)
	}
	s.persistLocked() // so the file exists from the start
	return s, nil
}

func (s *Server) loadSeedLocked(seed *Seed) {
	s.region, s.projectID = seed.Region, seed.ProjectID
	s.domainID, s.domainName = seed.DomainID, seed.DomainName
	s.instances, s.backups, s.jobs = nil, nil, nil
	for i := range seed.Instances {
		in := seed.Instances[i]
		s.instances = append(s.instances, &in)
	}
	for i := range seed.Backups {
		b := seed.Backups[i]
		s.backups = append(s.backups, &b)
	}
}

// Close stops the background timers. The Server still answers afterwards (jobs are computed
// from the clock), but nothing happens in the background any more.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for id, t := range s.timers {
		t.Stop()
		delete(s.timers, id)
	}
}

// ServeHTTP answers the admin endpoints under /_emulator/ and the emulated API everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == adminPrefix || strings.HasPrefix(r.URL.Path, adminPrefix+"/") {
		s.serveAdmin(w, r)
		return
	}
	s.serveAPI(w, r)
}

// serveAPI runs one API request: faults, routing, signature, throttling, project, handler.
// The reply is buffered so that it can be logged, and thrown away by a "drop after" fault.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	arrival := s.clock()
	rec := RequestRecord{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Time: formatLogTime(arrival)}
	requestID := newID()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		// The client went away while sending: nothing can be answered.
		rec.Fault = "client-abort"
		s.logRequest(rec)
		return
	}

	fault, faulted := s.faults.take(r.Method, r.URL.Path)
	if faulted && fault.DelayMS > 0 {
		rec.Fault = "delay"
		if !sleepCtx(r.Context(), time.Duration(fault.DelayMS)*time.Millisecond) {
			s.logRequest(rec) // status 0: the client gave up during the delay
			return
		}
	}
	if faulted && fault.Drop == dropBefore {
		rec.Fault = "drop-before"
		s.logRequest(rec) // status 0: no reply was sent
		dropConnection(w)
		return
	}
	resp := newResponse()
	resp.header.Set("X-Request-Id", requestID)
	if faulted && fault.Status != 0 && !fault.Taken {
		rec.Fault = "status"
		resp.fail(&apiError{fault.Status, fault.ErrorCode, fault.ErrorMsg}, requestID)
	} else {
		s.handleAPI(r, body, requestID, resp, &rec)
	}
	if faulted && fault.Status != 0 && fault.Taken {
		resp = takenThenFailed(fault, resp, requestID, &rec)
	}
	if faulted && fault.Drop == dropAfter {
		rec.Fault = "drop-after"
		rec.EffectStatus = resp.status
		s.logRequest(rec) // status 0: the request took effect but its reply was never sent
		dropConnection(w)
		return
	}
	rec.Status, rec.ErrorCode = resp.status, resp.code
	s.logRequest(rec)
	resp.writeTo(w)
}

// handleAPI fills resp with the API's answer to r.
func (s *Server) handleAPI(r *http.Request, body []byte, requestID string, resp *response, rec *RequestRecord) {
	rt, params, ok := matchRoute(r.Method, r.URL.Path)
	if !ok {
		resp.fail(&apiError{http.StatusNotFound, codeNoSuchAPI, msgNoSuchAPI}, requestID)
		return
	}
	accessKey, err := signer.Verify(r, body, s.secretFor, s.clock())
	rec.AccessKey = accessKey
	if err != nil {
		// The signer's errors never carry the secret or the Authorization value.
		resp.fail(&apiError{http.StatusUnauthorized, codeAuthFailed, msgAuthFailedStart + err.Error()}, requestID)
		return
	}
	if ok, wait := s.throttle.allow(accessKey, s.clock()); !ok {
		if !s.unconfirmed.NoRetryAfter {
			resp.header.Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		}
		resp.fail(&apiError{http.StatusTooManyRequests, codeThrottled, fmt.Sprintf(
			"The throttling threshold has been reached: policy user over ratelimit,limit:%d,time:1 minute", s.throttle.limit)}, requestID)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// Modelling choice: a project id that is not the seed's is a bad parameter (400
	// DBS.200001), not a missing API: the path is a valid API, its parameter is wrong.
	if p, has := params["project_id"]; has && p != s.projectID {
		resp.fail(badParam(fmt.Sprintf("Invalid parameter: project_id %q is not a project of this account in %s; "+
			"look it up with GET /v3/projects?name=%s", p, s.region, s.region)), requestID)
		return
	}
	c := &call{query: r.URL.Query(), body: body, params: params, now: s.clock()}
	s.settleLocked(c.now)
	status, reply, apiErr := rt.handle(s, c)
	if apiErr != nil {
		resp.fail(apiErr, requestID)
		return
	}
	resp.json(status, reply)
}

func (s *Server) secretFor(accessKey string) (string, bool) {
	sk, ok := s.secrets[accessKey]
	return sk, ok
}

func (s *Server) logRequest(rec RequestRecord) {
	s.requests.add(rec)
	line := fmt.Sprintf("%s %s -> %d", rec.Method, rec.Path, rec.Status)
	if rec.ErrorCode != "" {
		line += " " + rec.ErrorCode
	}
	if rec.Fault != "" {
		line += " (fault: " + rec.Fault + ")"
	}
	s.logger.Print(line)
}

// dropConnection closes the connection without a reply. Hijacking works for HTTP/1; elsewhere
// (HTTP/2) aborting the handler resets the stream, which a client sees the same way.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// sleepCtx waits d, or less when ctx ends first; it reports whether the whole wait passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// newID returns 32 random hex digits, the shape of the API's job and request ids.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("emulator: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

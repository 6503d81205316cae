package rds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The error codes the client and its callers act on, each with the reason; this is the one
// catalogue of them (the package doc lists the gateway's codes; the codes the API answers for
// a broken restore rule are the rules' APICode, internal/rules/findings.go). A code not named
// here is shown to the user as the API wrote it and not acted on.
const (
	// CodeThrottled is the gateway's "throttling threshold reached" (HTTP 429): retried after
	// Retry-After or a jittered back-off, and the Limiter slows down.
	CodeThrottled = "APIGW.0308"
	// CodeNoSuchAPI is the gateway's 404 for a path it does not know. It means a wrong endpoint
	// (or a cloud without the task list), not a missing resource, so it is deliberately NOT a
	// NotFound().
	CodeNoSuchAPI = "APIGW.0101"
	// CodeInstanceNotReady (HTTP 500) is documented as retryable: a read is retried, and a
	// refused restore was not taken, so it is sent again after a pause.
	CodeInstanceNotReady = "DBS.280036"
	// CodeServiceTimeout (HTTP 500) is the service's own timeout; retryable for reads.
	CodeServiceTimeout = "DBS.111205"
	// CodeJobNotFound (HTTP 400) is answered both for a job id that is not queryable yet (the
	// first seconds after submission) and for one that is too old (about a month). Neither means
	// "the restore disappeared", so it is deliberately NOT a NotFound(); see IsJobNotFound.
	CodeJobNotFound = "DBS.200543"

	// CodeInstanceNotFound (HTTP 404) is the usual "no such instance", and what GetInstance
	// synthesizes when the listing has no such id. It is NotFound(): rule A1 speaks for it.
	CodeInstanceNotFound = "DBS.200002"
	// CodeBackupNotFound (HTTP 404) is no such backup, and what GetBackup synthesizes when the
	// listing has no such backup. It is NotFound(): rule A12 speaks for it.
	CodeBackupNotFound = "DBS.201010"
	// CodeNoSuchDatabase (HTTP 400) is the API's answer for a database the instance does not
	// have: dropping a database that is already gone has done its job.
	CodeNoSuchDatabase = "DBS.280128"
)

// notFoundCodes mean "this instance or backup does not exist" (HTTP 404), whatever the status
// of the reply that carries them: NotFound() is true for them.
var notFoundCodes = map[string]bool{
	CodeInstanceNotFound: true, "DBS.200045": true, "DBS.201028": true, "DBS.290005": true, // the instance
	"DBS.200013":       true, // the original (source) instance of a restore
	CodeBackupNotFound: true, // the backup
}

// busyCodes mean "the instance is busy, or in a state that does not allow the operation, right
// now" (HTTP 409; DBS.200086 and DBS.201014 are 400). A restore refused with one of them was
// not taken: the runner waits for the target and sends it again (IsBusy).
var busyCodes = []string{
	"DBS.200011", "DBS.200019", "DBS.200047", "DBS.201202", "DBS.212006", // busy (409)
	"DBS.200086", "DBS.201014", // the status does not allow the operation (400)
}

// Error is a refusal from the API (or one the client synthesizes in its shape, e.g. a lookup by id
// that found nothing). It carries what the API said and never any header or credential, so it is
// safe to show to a user and to log.
type Error struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	Method     string
	// Path is the request path with the project id shown as {project_id}, so messages are stable
	// and match the paths of the package doc.
	Path string

	// service names the API in the message ("RDS" unless the call went to IAM).
	service string
	// hint ends the message: for a 401, the client's Config.AuthHint.
	hint string
}

// Error renders `RDS API GET /v3/{project_id}/jobs: HTTP 400 DBS.200543: job does not exist (request id ...)`,
// followed by the hint when there is one.
func (e *Error) Error() string {
	var b strings.Builder
	svc := e.service
	if svc == "" {
		svc = "RDS"
	}
	fmt.Fprintf(&b, "%s API %s %s: HTTP %d", svc, e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.hint != "" {
		b.WriteString(". ")
		b.WriteString(e.hint)
	}
	return b.String()
}

// NotFound reports whether the error means the addressed instance or backup does not exist: an
// HTTP 404 (other than the gateway's "no such API") or one of the documented not-found codes.
// A job that cannot be queried (DBS.200543) is not included: see IsJobNotFound.
func (e *Error) NotFound() bool {
	if e == nil {
		return false
	}
	if notFoundCodes[e.Code] {
		return true
	}
	return e.StatusCode == http.StatusNotFound && !strings.HasPrefix(e.Code, "APIGW.")
}

// Throttled reports a 429 or the gateway's throttling code.
func (e *Error) Throttled() bool {
	return e != nil && (e.StatusCode == http.StatusTooManyRequests || e.Code == CodeThrottled)
}

// retryableRead reports whether a read that got this error may simply be sent again.
func (e *Error) retryableRead() bool {
	if e.Throttled() {
		return true
	}
	switch e.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusInternalServerError:
		return e.Code == CodeInstanceNotReady || e.Code == CodeServiceTimeout
	}
	return false
}

// IsCode reports whether err is (or wraps) an *Error with one of the given codes.
func IsCode(err error, codes ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if strings.EqualFold(e.Code, c) {
			return true
		}
	}
	return false
}

// IsThrottled reports whether err is (or wraps) a throttling refusal.
func IsThrottled(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Throttled()
}

// IsNotFound reports whether err is (or wraps) an *Error whose NotFound() is true.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.NotFound()
}

// IsBusy reports whether err is (or wraps) a refusal because the instance is busy or in a state
// that does not allow the operation right now (busyCodes): the request was not taken.
func IsBusy(err error) bool { return IsCode(err, busyCodes...) }

// IsJobNotFound reports DBS.200543: the job is not queryable (too new or too old).
func IsJobNotFound(err error) bool { return IsCode(err, CodeJobNotFound) }

// ErrOutcomeUnknown means a non-idempotent request (the restore) may have reached the server but
// no usable reply came back: the connection broke or timed out after the request was written, a
// gateway answered 502/503/504 without an RDS error code (it may have forwarded the request), or a
// 2xx reply could not be read. The restore may or may not have been accepted; the caller has to
// find out from the target (is it RESTORING? is there a new job?) and must not simply resubmit,
// because a second restore destroys whatever was written after the first one.
// Errors returned with it wrap it (errors.Is) together with the underlying cause.
var ErrOutcomeUnknown = errors.New("the request may have reached the server but no reply was received, so whether it was accepted is unknown")

// JobFailedError is returned by WaitForJob when the job ends Failed.
type JobFailedError struct {
	JobID      string
	FailReason string
}

func (e *JobFailedError) Error() string {
	reason := e.FailReason
	if reason == "" {
		reason = "the API gave no fail_reason"
	}
	return fmt.Sprintf("RDS job %s failed: %s", e.JobID, reason)
}

// errorBody covers every error shape seen from RDS, its gateway and IAM:
//
//	{"error_code": "DBS.200022", "error_msg": "...", "request_id": "..."}   (RDS, gateway)
//	{"errCode": "DBS.xxx", "externalMessage": "..."}                        (newer endpoints)
//	{"error": {"code": 404, "message": "...", "title": "..."}}               (IAM, Keystone style)
type errorBody struct {
	ErrorCode       string          `json:"error_code"`
	ErrorMsg        string          `json:"error_msg"`
	ErrCode         string          `json:"errCode"`
	ExternalMessage string          `json:"externalMessage"`
	RequestID       string          `json:"request_id"`
	Nested          json.RawMessage `json:"error"`
}

type keystoneError struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Title   string          `json:"title"`
}

// maxSnippet bounds how much of an unparseable body goes into a message: enough to recognize an
// HTML error page or a proxy's text, not enough to flood a diagnostic.
const maxSnippet = 200

// parseError builds an *Error from a non-2xx reply. It never fails: an unknown body becomes a
// short snippet, and an empty one (or a blank message) the HTTP status text, so the message is
// never empty.
func parseError(status int, header http.Header, body []byte, method, path string) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.Code = firstNonEmpty(eb.ErrorCode, eb.ErrCode)
		e.Message = firstNonEmpty(eb.ErrorMsg, eb.ExternalMessage)
		e.RequestID = eb.RequestID
		if e.Code == "" && e.Message == "" && len(eb.Nested) > 0 {
			var ke keystoneError
			if json.Unmarshal(eb.Nested, &ke) == nil {
				e.Message = firstNonEmpty(ke.Message, ke.Title)
			} else {
				// {"error": "some text"}
				var s string
				if json.Unmarshal(eb.Nested, &s) == nil {
					e.Message = s
				}
			}
		}
	}
	if strings.TrimSpace(e.Message) == "" {
		e.Message = "" // a blank error_msg says nothing
	}
	if e.Code == "" && e.Message == "" {
		e.Message = snippet(body)
	}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(status))
	}
	if e.Message == "" {
		// A status net/http has no text for (say 599) and nothing in the body: still a message.
		e.Message = "the reply carried no error message"
	}
	if e.RequestID == "" {
		e.RequestID = header.Get("X-Request-Id")
	}
	return e
}

// snippet is a short, single-line, trimmed excerpt of a body that is not an API error.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) <= maxSnippet {
		return s
	}
	cut := maxSnippet
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// isTransient reports failures worth another poll later (the client retried them already).
func isTransient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.retryableRead()
	}
	return IsTransport(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

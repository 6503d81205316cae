package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// Fault is one entry posted to POST /_emulator/faults (see doc.go, Admin endpoints). It applies to
// the next Count API requests whose method is Method and whose path matches Path, where "*"
// matches exactly one path segment. Effects, in order: wait DelayMS, then either answer
// Status/ErrorCode/ErrorMsg instead of the API, or drop the connection ("before": the request
// has no effect; "after": it takes effect, then the connection closes without a reply). A fault
// with only DelayMS lets the request through normally after the wait.
//
// {"fail_next_job":"reason"} (alone, or beside a request fault) makes the next restore job that
// is accepted end Failed with that fail_reason; posting it n times fails the next n jobs.
// {"fail_next_backup":"reason"} does the same for the next manual backup: it ends FAILED.
type Fault struct {
	Method      string `json:"method,omitempty"` // "" or "*": any method
	Path        string `json:"path,omitempty"`
	Count       int    `json:"count,omitempty"` // 0 means 1
	Status      int    `json:"status,omitempty"`
	ErrorCode   string `json:"error_code,omitempty"`
	ErrorMsg    string `json:"error_msg,omitempty"`
	DelayMS     int    `json:"delay_ms,omitempty"`
	Drop        string `json:"drop,omitempty"` // "", "before" or "after"
	FailNextJob string `json:"fail_next_job,omitempty"`
	// FailNextBackup makes the next manual backup taken end FAILED (the reason is for the
	// emulator's state only: the backup listing has no field for it).
	FailNextBackup string `json:"fail_next_backup,omitempty"`
	// Taken, with Status: the request takes effect first, then Status is answered instead of
	// its reply (a server that timed out after doing the work, a gateway that lost the reply).
	Taken bool `json:"taken,omitempty"`
}

// Drop modes.
const (
	dropBefore = "before"
	dropAfter  = "after"
)

// isRequestFault says whether the entry targets requests (as opposed to only fail_next_job).
func (f *Fault) isRequestFault() bool {
	return f.Method != "" || f.Path != "" || f.Status != 0 || f.DelayMS != 0 || f.Drop != "" ||
		f.ErrorCode != "" || f.ErrorMsg != "" || f.Count != 0 || f.Taken
}

// normalize checks a posted fault and fills its defaults.
func (f *Fault) normalize() error {
	if !f.isRequestFault() {
		if f.FailNextJob == "" && f.FailNextBackup == "" {
			return errors.New("a fault needs a path with an effect (status, delay_ms or drop), or fail_next_job, or fail_next_backup")
		}
		return nil
	}
	var errs []error
	if f.Path == "" {
		errs = append(errs, errors.New("path is required (\"*\" matches one segment)"))
	} else if !strings.HasPrefix(f.Path, "/") {
		f.Path = "/" + f.Path
	}
	// Faults match the path only; a query written into the pattern is dropped, not silently
	// turned into a pattern that never matches.
	if i := strings.IndexByte(f.Path, '?'); i >= 0 {
		f.Path = f.Path[:i]
	}
	f.Method = strings.ToUpper(f.Method)
	if f.Method == "*" {
		f.Method = "" // any method
	}
	if f.Count < 0 {
		errs = append(errs, errors.New("count must not be negative"))
	}
	if f.Count == 0 {
		f.Count = 1
	}
	if f.DelayMS < 0 {
		errs = append(errs, errors.New("delay_ms must not be negative"))
	}
	switch f.Drop {
	case "", dropBefore, dropAfter:
	default:
		errs = append(errs, fmt.Errorf("drop must be %q or %q, not %q", dropBefore, dropAfter, f.Drop))
	}
	if f.Drop != "" && f.Status != 0 {
		errs = append(errs, errors.New("drop and status exclude each other: a dropped connection has no reply"))
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		errs = append(errs, fmt.Errorf("status %d is not an HTTP status", f.Status))
	}
	if (f.ErrorCode != "" || f.ErrorMsg != "") && f.Status == 0 {
		errs = append(errs, errors.New("error_code and error_msg need a status"))
	}
	if f.Taken && f.Status == 0 {
		errs = append(errs, errors.New("taken needs a status: it is the reply that replaces the request's own"))
	}
	if f.Status == 0 && f.Drop == "" && f.DelayMS == 0 {
		errs = append(errs, errors.New("a fault needs an effect: status, delay_ms or drop"))
	}
	if f.Status != 0 && f.ErrorCode == "" {
		f.ErrorCode = defaultFaultCode(f.Status)
	}
	if f.Status != 0 && f.ErrorMsg == "" {
		f.ErrorMsg = "fault injected by the emulator"
	}
	return errors.Join(errs...)
}

// defaultFaultCode picks the code the real API would pair with a status.
func defaultFaultCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return codeAuthFailed
	case status == http.StatusNotFound:
		return codeNoSuchAPI
	case status == http.StatusTooManyRequests:
		return codeThrottled
	case status >= 500:
		return codeServerError
	default:
		return codeBadParameter
	}
}

func (f *Fault) matches(method, path string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	return pathMatches(f.Path, path)
}

// pathMatches compares segment by segment; "*" matches exactly one segment and a trailing "/"
// on either side is ignored.
func pathMatches(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// faultBook holds the faults still to apply.
type faultBook struct {
	mu          sync.Mutex
	faults      []*Fault // in the order posted; each has Count > 0
	failNextJob []string // reasons for the next jobs to fail, first first
	// failNextBackup are the reasons for the next manual backups to fail, first first.
	failNextBackup []string
}

func (b *faultBook) add(f Fault) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if f.FailNextJob != "" {
		b.failNextJob = append(b.failNextJob, f.FailNextJob)
	}
	if f.FailNextBackup != "" {
		b.failNextBackup = append(b.failNextBackup, f.FailNextBackup)
	}
	if f.isRequestFault() {
		f.FailNextJob, f.FailNextBackup = "", ""
		b.faults = append(b.faults, &f)
	}
}

// take returns the first fault that matches the request and uses up one of its count.
func (b *faultBook) take(method, path string) (Fault, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, f := range b.faults {
		if !f.matches(method, path) {
			continue
		}
		f.Count--
		applied := *f
		if f.Count <= 0 {
			b.faults = append(b.faults[:i], b.faults[i+1:]...)
		}
		return applied, true
	}
	return Fault{}, false
}

// takeJobFailure returns the fail_reason for the job being accepted now, "" for none.
func (b *faultBook) takeJobFailure() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.failNextJob) == 0 {
		return ""
	}
	r := b.failNextJob[0]
	b.failNextJob = b.failNextJob[1:]
	return r
}

// takeBackupFailure returns the fail reason for the manual backup being taken now, "" for none.
func (b *faultBook) takeBackupFailure() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.failNextBackup) == 0 {
		return ""
	}
	r := b.failNextBackup[0]
	b.failNextBackup = b.failNextBackup[1:]
	return r
}

func (b *faultBook) clear() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.faults) + len(b.failNextJob) + len(b.failNextBackup)
	b.faults, b.failNextJob, b.failNextBackup = nil, nil, nil
	return n
}

// faultList is the reply of GET /_emulator/faults.
type faultList struct {
	Faults         []Fault  `json:"faults"`
	FailNextJob    []string `json:"fail_next_job"`
	FailNextBackup []string `json:"fail_next_backup"`
}

func (b *faultBook) list() faultList {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := faultList{Faults: []Fault{}, FailNextJob: append([]string{}, b.failNextJob...), FailNextBackup: append([]string{}, b.failNextBackup...)}
	for _, f := range b.faults {
		l.Faults = append(l.Faults, *f)
	}
	return l
}

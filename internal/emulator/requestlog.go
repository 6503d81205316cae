package emulator

import (
	"sync"
	"time"
)

// RequestRecord is one API request as GET /_emulator/requests shows it. It never holds a
// header: Authorization, X-Auth-Token and X-Security-Token stay out of every record and log.
type RequestRecord struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query"` // the raw query string, e.g. "id=abc"
	// Status is the HTTP status the client received. A dropped connection ("drop" faults,
	// before or after) is recorded as 0: the client got no reply at all. An injected status
	// fault is recorded with the injected status and error code.
	Status    int    `json:"status"`
	ErrorCode string `json:"error_code"`
	Time      string `json:"time"` // arrival, RFC 3339 with nanoseconds, from the emulator's clock
	// AccessKey is the access key the request was signed with, when the header could be read.
	AccessKey string `json:"access_key,omitempty"`
	// Fault names the fault applied to the request: "status", "delay", "drop-before", "drop-after".
	Fault string `json:"fault,omitempty"`
	// EffectStatus is, for a "drop-after" fault, the status the request had before its reply
	// was thrown away (so a test can see whether it took effect).
	EffectStatus int `json:"effect_status,omitempty"`
}

// requestLog keeps every API request received, in arrival order.
type requestLog struct {
	mu      sync.Mutex
	records []RequestRecord
}

func (l *requestLog) add(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
}

func (l *requestLog) all() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RequestRecord{}, l.records...)
}

func (l *requestLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = nil
}

func formatLogTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

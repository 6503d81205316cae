package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// adminPrefix is where the admin endpoints live: outside every API path, unsigned.
const adminPrefix = "/_emulator"

// The admin endpoints, for clients (see serveAdmin for what each method does).
const (
	AdminRequestsPath = adminPrefix + "/requests"
	AdminStatePath    = adminPrefix + "/state"
	AdminFaultsPath   = adminPrefix + "/faults"
	AdminHealthPath   = adminPrefix + "/health"
)

// Health is the reply of GET /_emulator/health: "ok" once the emulator serves, and its version.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// AdminError is the body of an admin reply that is not 200.
type AdminError struct {
	Error string `json:"error"`
}

// FaultsAdded is the reply to POST /_emulator/faults: the faults as they were added (defaults
// filled in).
type FaultsAdded struct {
	Added []Fault `json:"added"`
}

// serveAdmin answers the admin endpoints (the contract the tests rely on; see doc.go):
//
//	GET    /_emulator/health    200 {"status": "ok", "version": "..."} (readiness)
//	GET    /_emulator/requests  every API request received, a JSON array of RequestRecord
//	DELETE /_emulator/requests  forget them (so a test can look at its own requests only)
//	GET    /_emulator/state     the state in the seed format plus "jobs" (State)
//	POST   /_emulator/faults    add a Fault (a JSON object, or an array of them)
//	GET    /_emulator/faults    the faults still pending
//	DELETE /_emulator/faults    clear every pending fault (and pending fail_next_job, fail_next_backup)
//	POST   /_emulator/backups   add a backup of an instance (AdminBackup); the backup as listed
//	PATCH  /_emulator/instances/{id}  change status, tags, databases, windows (AdminInstancePatch);
//	                            the instance in the seed format
//
// Replies are 200 with a JSON body; a malformed body is 400 {"error": "..."}, an unknown
// instance 404.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case AdminHealthPath:
		if r.Method != http.MethodGet {
			adminMethodNotAllowed(w, "GET")
			return
		}
		adminJSON(w, http.StatusOK, Health{Status: "ok", Version: s.version})
	case AdminRequestsPath:
		switch r.Method {
		case http.MethodGet:
			adminJSON(w, http.StatusOK, s.requests.all())
		case http.MethodDelete:
			s.requests.clear()
			adminJSON(w, http.StatusOK, map[string]any{"cleared": true})
		default:
			adminMethodNotAllowed(w, "GET, DELETE")
		}
	case AdminStatePath:
		if r.Method != http.MethodGet {
			adminMethodNotAllowed(w, "GET")
			return
		}
		s.mu.Lock()
		now := s.clock()
		s.settleLocked(now)
		st := s.snapshotLocked(now)
		s.mu.Unlock()
		adminJSON(w, http.StatusOK, st)
	case AdminFaultsPath:
		switch r.Method {
		case http.MethodPost:
			s.postFaults(w, r)
		case http.MethodGet:
			adminJSON(w, http.StatusOK, s.faults.list())
		case http.MethodDelete:
			adminJSON(w, http.StatusOK, map[string]any{"cleared": s.faults.clear()})
		default:
			adminMethodNotAllowed(w, "GET, POST, DELETE")
		}
	case AdminBackupsPath:
		if r.Method != http.MethodPost {
			adminMethodNotAllowed(w, "POST")
			return
		}
		s.postBackup(w, r)
	default:
		if id, ok := strings.CutPrefix(r.URL.Path, AdminInstancesPath+"/"); ok && id != "" && !strings.Contains(id, "/") {
			if r.Method != http.MethodPatch {
				adminMethodNotAllowed(w, "PATCH")
				return
			}
			s.patchInstance(w, r, id)
			return
		}
		adminJSON(w, http.StatusNotFound, AdminError{Error: "no such admin endpoint: " + r.URL.Path})
	}
}

// postFaults reads one fault object or an array of them; all are checked before any is added.
func (s *Server) postFaults(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		adminJSON(w, http.StatusBadRequest, AdminError{Error: err.Error()})
		return
	}
	data = bytes.TrimSpace(data)
	var faults []Fault
	if len(data) > 0 && data[0] == '[' {
		err = strictJSON(data, &faults)
	} else {
		var f Fault
		err = strictJSON(data, &f)
		faults = []Fault{f}
	}
	if err != nil {
		adminJSON(w, http.StatusBadRequest, AdminError{Error: "fault: " + err.Error()})
		return
	}
	var errs []error
	for i := range faults {
		if err := faults[i].normalize(); err != nil {
			errs = append(errs, fmt.Errorf("fault %d: %w", i, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		adminJSON(w, http.StatusBadRequest, AdminError{Error: err.Error()})
		return
	}
	for _, f := range faults {
		s.faults.add(f)
	}
	adminJSON(w, http.StatusOK, FaultsAdded{Added: faults})
}

// strictJSON decodes and refuses unknown fields: a misspelled fault ("delay": 3000) must not
// silently become a fault that does something else.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func adminMethodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	adminJSON(w, http.StatusMethodNotAllowed, AdminError{Error: "method not allowed; use " + allow})
}

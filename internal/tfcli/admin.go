package tfcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// Admin talks to a running emulator's admin endpoints (its health, request log, state, faults,
// and the calls that change its world: a backup added, an instance patched) with the
// emulator's own types.
type Admin struct {
	URL string // the emulator's base URL
	// HTTP is the client; nil means one with a 10 s timeout. An emulator with a self-signed
	// certificate needs one that trusts it.
	HTTP *http.Client
}

var defaultAdminClient = &http.Client{Timeout: 10 * time.Second}

// Requests is every API request the emulator received, in arrival order.
func (a Admin) Requests() ([]emulator.RequestRecord, error) {
	var out []emulator.RequestRecord
	return out, a.do(http.MethodGet, emulator.AdminRequestsPath, nil, &out)
}

// ClearRequests empties the request log.
func (a Admin) ClearRequests() error {
	return a.do(http.MethodDelete, emulator.AdminRequestsPath, nil, nil)
}

// State is the emulator's state now, jobs included.
func (a Admin) State() (*emulator.State, error) {
	var out emulator.State
	if err := a.do(http.MethodGet, emulator.AdminStatePath, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Jobs is the restore jobs the emulator accepted.
func (a Admin) Jobs() ([]emulator.JobRecord, error) {
	st, err := a.State()
	if err != nil {
		return nil, err
	}
	return st.Jobs, nil
}

// AddFaults injects faults; the emulator checks all of them before it adds any.
func (a Admin) AddFaults(faults ...emulator.Fault) error {
	var out emulator.FaultsAdded
	return a.do(http.MethodPost, emulator.AdminFaultsPath, faults, &out)
}

// ClearFaults drops every pending fault.
func (a Admin) ClearFaults() error {
	return a.do(http.MethodDelete, emulator.AdminFaultsPath, nil, nil)
}

// Health is the emulator's readiness answer (GET /_emulator/health).
func (a Admin) Health() (*emulator.Health, error) {
	var out emulator.Health
	if err := a.do(http.MethodGet, emulator.AdminHealthPath, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddBackup adds a backup of an instance (the next night's, by default: auto, COMPLETED,
// ending now) and returns it as the API lists it.
func (a Admin) AddBackup(b emulator.AdminBackup) (*emulator.Backup, error) {
	var out emulator.Backup
	if err := a.do(http.MethodPost, emulator.AdminBackupsPath, b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PatchInstance changes an instance's status, tags, databases or restorable windows and
// returns the instance in the seed format.
func (a Admin) PatchInstance(id string, patch emulator.AdminInstancePatch) (*emulator.SeedInstance, error) {
	var out emulator.SeedInstance
	if err := a.do(http.MethodPatch, emulator.AdminInstancesPath+"/"+id, patch, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (a Admin) do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimSuffix(a.URL, "/")+path, body)
	if err != nil {
		return err
	}
	client := a.HTTP
	if client == nil {
		client = defaultAdminClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("emulator admin %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("emulator admin %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e emulator.AdminError
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = string(data)
		}
		return fmt.Errorf("emulator admin %s %s: HTTP %d: %s", method, path, resp.StatusCode, e.Error)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("emulator admin %s %s: %w", method, path, err)
	}
	return nil
}

// RestoreSubmissions counts the restore POSTs in a request log.
func RestoreSubmissions(log []emulator.RequestRecord) int {
	n := 0
	for _, r := range log {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/instances/recovery") {
			n++
		}
	}
	return n
}

package lookup

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// Facts shared between the walks of one CLI command.
//
// `terraform apply` runs its plan walk and its apply walk in two provider processes, so the
// plan-time checks would read every target's configuration and the backup twice. The CLI
// process is the same for both walks, and these facts do not change within minutes: a
// configuration's engine, version, case sensitivity and time zone, and a backup once it is
// COMPLETED. So the first walk writes them to a small file, and the second reads them there.
//
// Scope, and why it is safe:
//   - The file is named after the CLI's process: the provider's parent process id and that
//     process's start time (so a reused pid is another name). A new command is a new process: it
//     never sees an earlier command's facts. Where the start time cannot be read (not Linux),
//     nothing is shared.
//   - The name also carries a hash of the scope the provider passes (endpoint, region and access
//     key id): two provider configurations of one command with other accounts share nothing.
//   - It holds configurations and completed backups only: never an instance's status (a busy
//     target must be seen as it is now), never a secret key, token or header. It lives under the
//     user's temporary directory, readable by the user alone (0600 in a 0700 directory that must
//     be the user's own: a directory of that name made by another user turns sharing off), and
//     is ignored when older than commandFactsMaxAge, unreadable or malformed.
//
// It also holds when the command's provider processes sent their requests within the last
// minute (times only: no path, query or reply). The gateway counts every request of the account
// in a sliding minute, and the apply walk's process starts while the plan walk's reads of the
// same minute still count there; a limiter that did not know them would burst its submissions
// into 429s (rds.Limiter.Seed).
const commandFactsMaxAge = 30 * time.Minute

// commandFacts is the file's content.
type commandFacts struct {
	Written        time.Time                              `json:"written"`
	Configurations map[string]*rds.ConfigurationsResponse `json:"configurations,omitempty"`
	Backups        map[string]*rds.Backup                 `json:"backups,omitempty"`
	Calls          []time.Time                            `json:"calls,omitempty"`
}

// callsKept is how far back the send times are kept: the gateway's minute, and a margin.
const callsKept = 2 * time.Minute

// limiterOf is the part of a Reader that shares its request budget (*rds.Client).
type limiterOf interface{ Limiter() *rds.Limiter }

// commandStore is the file of one command and scope, loaded once and written through.
type commandStore struct {
	path    string
	mu      sync.Mutex
	facts   commandFacts
	limiter *rds.Limiter // whose send times are written with the facts; nil: none
}

// ShareWithinCommand makes c keep configurations and completed backups in a file that the other
// provider processes of the same CLI command (and scope) read, instead of the API (see the top
// of this file). It does nothing where the command cannot be identified.
func (c *Cache) ShareWithinCommand(scope string) {
	id, ok := commandID()
	if !ok {
		return
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("hwc-provider-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil || !privateDir(dir) {
		return
	}
	sum := sha256.Sum256([]byte(scope))
	st := &commandStore{path: filepath.Join(dir, id+"-"+hex.EncodeToString(sum[:8])+".json")}
	st.load()
	if lr, ok := c.r.(limiterOf); ok {
		st.limiter = lr.Limiter()
		st.limiter.Seed(st.facts.Calls)
	}
	cleanStale(dir)
	c.mu.Lock()
	c.shared = st
	c.mu.Unlock()
}

// commandID names the CLI process: parent pid and its start time in clock ticks since boot.
func commandID() (string, bool) {
	ppid := os.Getppid()
	if ppid <= 1 {
		return "", false
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", ppid))
	if err != nil {
		return "", false
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", false
	}
	f := strings.Fields(s[i+1:])
	// Fields after the name start at field 3 (state); starttime is field 22.
	if len(f) < 20 {
		return "", false
	}
	return fmt.Sprintf("%d-%s", ppid, f[19]), true
}

// cleanStale removes files of earlier commands.
func cleanStale(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > commandFactsMaxAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func (st *commandStore) load() {
	raw, err := os.ReadFile(st.path)
	var f commandFacts
	if err != nil || json.Unmarshal(raw, &f) != nil || time.Since(f.Written) > commandFactsMaxAge {
		f = commandFacts{}
	}
	if f.Configurations == nil {
		f.Configurations = map[string]*rds.ConfigurationsResponse{}
	}
	if f.Backups == nil {
		f.Backups = map[string]*rds.Backup{}
	}
	st.facts = f
}

func (st *commandStore) configurations(id string) (*rds.ConfigurationsResponse, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.facts.Configurations[id]
	return v, ok && v != nil
}

func (st *commandStore) backup(key string) (*rds.Backup, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.facts.Backups[key]
	return v, ok && v != nil
}

// put records a fact and writes the file (whole, through a rename, so a reader never sees half
// of it). A failure to write only costs the other walk its reads.
func (st *commandStore) put(update func(*commandFacts)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	// Merge what another process of the command wrote meanwhile.
	var fileCalls []time.Time
	if raw, err := os.ReadFile(st.path); err == nil {
		var f commandFacts
		if json.Unmarshal(raw, &f) == nil {
			fileCalls = f.Calls
			for k, v := range f.Configurations {
				if _, ok := st.facts.Configurations[k]; !ok {
					st.facts.Configurations[k] = v
				}
			}
			for k, v := range f.Backups {
				if _, ok := st.facts.Backups[k]; !ok {
					st.facts.Backups[k] = v
				}
			}
		}
	}
	update(&st.facts)
	st.facts.Written = time.Now()
	st.facts.Calls = recentCalls(st.facts.Written, st.facts.Calls, fileCalls, st.limiter.Sent())
	raw, err := json.Marshal(st.facts)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(raw)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), st.path) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// recentCalls is the union of the send times in lists (the same request may be in several),
// those older than callsKept left out, in order.
func recentCalls(now time.Time, lists ...[]time.Time) []time.Time {
	seen := map[int64]bool{}
	var out []time.Time
	for _, l := range lists {
		for _, t := range l {
			if now.Sub(t) > callsKept || seen[t.UnixNano()] {
				continue
			}
			seen[t.UnixNano()] = true
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

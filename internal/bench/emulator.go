package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// Seed builds the built-in demo seed plus n clones of the MySQL staging target (new ids and
// names), so that n restores of the MySQL source's backup pass every rule onto n distinct
// targets. It returns the seed and the target ids, in order.
func Seed(n int) (*emulator.Seed, []string) {
	seed := emulator.DefaultSeed()
	var tmpl emulator.SeedInstance
	for _, in := range seed.Instances {
		if in.ID == emulator.MySQLTargetID {
			tmpl = in
		}
	}
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		// 32 hex digits then "in01", the shape of the API's MySQL instance ids.
		id := fmt.Sprintf("be0c%028x", i+1) + "in01"
		c := tmpl
		c.ID = id
		c.Name = fmt.Sprintf("mysql57-bench-%03d", i+1)
		c.Databases = append([]string{}, tmpl.Databases...)
		c.RestoreTimeRelative = append([]emulator.RelativeWindow{}, tmpl.RestoreTimeRelative...)
		c.Nodes = []emulator.Node{{ID: id[:32] + "no01", Name: c.Name + "_node0", Role: "master", Status: "ACTIVE"}}
		seed.Instances = append(seed.Instances, c)
		ids = append(ids, id)
	}
	return seed, ids
}

// Emulator is an emulator served on a local port for one scenario.
type Emulator struct {
	URL    string
	Server *emulator.Server
	http   *http.Server
}

// StartEmulator serves an emulator with opts on 127.0.0.1 (a free port).
func StartEmulator(opts emulator.Options) (*Emulator, error) {
	s, err := emulator.New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return &Emulator{URL: "http://" + ln.Addr().String(), Server: s, http: hs}, nil
}

// Close stops serving.
func (e *Emulator) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = e.http.Shutdown(ctx)
	e.Server.Close()
}

// Requests is the emulator's request log so far.
func (e *Emulator) Requests() ([]emulator.RequestRecord, error) {
	return tfcli.Admin{URL: e.URL}.Requests()
}

// State is the emulator's state now.
func (e *Emulator) State() (*emulator.State, error) {
	return tfcli.Admin{URL: e.URL}.State()
}

// Outcome is what the emulator saw of one run.
type Outcome struct {
	Calls     int             // API requests received
	Throttled int             // of which answered 429
	Jobs      int             // restore jobs accepted
	Completed int             // of which Completed by now
	Lags      []time.Duration // per job: the first poll that could see its end minus the job's end
	// Repeats counts reads of the same thing (same path and query) beyond the first, excluding
	// job polls: a plan that reads each instance and backup once has none.
	Repeats int
	// BusyWorst is the longest time from the end of a manual backup to the first restore job
	// onto its instance after it (HasBusy: some backup was followed by one).
	BusyWorst time.Duration
	HasBusy   bool
}

// Measure reads the request log and the state and computes the outcome. A job's end is exact
// (started_at + duration, nanoseconds); the moment it was noticed is the arrival of the first
// poll after it that shows the end: a GET of that job, or a task list (which shows every job,
// and ends the waits of a crowd without a GET of each job).
func (e *Emulator) Measure() (Outcome, error) {
	var o Outcome
	reqs, err := e.Requests()
	if err != nil {
		return o, err
	}
	st, err := e.State()
	if err != nil {
		return o, err
	}
	polls := map[string][]time.Time{} // successful GETs of each job, in arrival order
	var taskLists []time.Time
	seen := map[string]int{}
	for _, r := range reqs {
		o.Calls++
		if r.Status == http.StatusTooManyRequests {
			o.Throttled++
			continue
		}
		at, _ := time.Parse(time.RFC3339Nano, r.Time)
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/jobs") {
			id := strings.TrimPrefix(r.Query, "id=")
			if r.Status == http.StatusOK {
				polls[id] = append(polls[id], at)
			}
			continue
		}
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/tasklist") {
			if r.Status == http.StatusOK {
				taskLists = append(taskLists, at)
			}
			continue
		}
		if r.Method == http.MethodGet {
			seen[r.Path+"?"+r.Query]++
		}
	}
	for _, n := range seen {
		o.Repeats += n - 1
	}
	for _, j := range st.Jobs {
		o.Jobs++
		if j.Status == rds.JobCompleted {
			o.Completed++
		}
		start, err := time.Parse(time.RFC3339Nano, j.StartedAt)
		if err != nil {
			continue
		}
		end := start.Add(time.Duration(j.Duration))
		var noticed time.Time
		for _, ts := range [][]time.Time{polls[j.ID], taskLists} {
			for _, t := range ts {
				if !t.Before(end) {
					if noticed.IsZero() || t.Before(noticed) {
						noticed = t
					}
					break
				}
			}
		}
		if !noticed.IsZero() {
			o.Lags = append(o.Lags, noticed.Sub(end))
		}
	}
	sort.Slice(o.Lags, func(a, b int) bool { return o.Lags[a] < o.Lags[b] })
	o.BusyWorst, o.HasBusy = busyGaps(st.Backups, st.Jobs)
	return o, nil
}

// MedianWorst returns the median and the largest of sorted durations (zero when empty).
func MedianWorst(sorted []time.Duration) (median, worst time.Duration) {
	if len(sorted) == 0 {
		return 0, 0
	}
	return sorted[len(sorted)/2], sorted[len(sorted)-1]
}

// dump writes the request log and the state into dir (kept with -keep, for a closer look).
func (e *Emulator) dump(dir string) {
	if reqs, err := e.Requests(); err == nil {
		if data, err := json.MarshalIndent(reqs, "", "  "); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "requests.json"), data, 0o644)
		}
	}
	if st, err := e.State(); err == nil {
		if data, err := json.MarshalIndent(st.Jobs, "", "  "); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "jobs.json"), data, 0o644)
		}
	}
}

// busyGaps is the longest time from the end of a manual backup that kept an instance BACKING UP
// (its ended_at, exact) to the start of the first restore job onto that instance after it (the
// job's started_at: the arrival of the POST that the emulator accepted), and whether any backup
// was followed by one. A backup still building, or followed by none, gives nothing.
func busyGaps(backups []emulator.Backup, jobs []emulator.JobRecord) (worst time.Duration, found bool) {
	for _, b := range backups {
		end, err := time.Parse(time.RFC3339Nano, b.EndedAt)
		if err != nil {
			continue
		}
		var next time.Time
		for _, j := range jobs {
			start, err := time.Parse(time.RFC3339Nano, j.StartedAt)
			if err != nil || j.InstanceID != b.InstanceID || start.Before(end) {
				continue
			}
			if next.IsZero() || start.Before(next) {
				next = start
			}
		}
		if !next.IsZero() {
			worst, found = max(worst, next.Sub(end)), true
		}
	}
	return worst, found
}

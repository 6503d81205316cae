package examplestest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// guideNight is what the drills guide's "Night two against the emulator" subsection of one drill
// says: the admin calls that make the next night (curl against the emulator's usual address) and
// the shell lines that follow them.
type guideNight struct {
	calls []adminCall
	lines []string
}

type adminCall struct{ method, path, body string }

var guideCurl = regexp.MustCompile(`^curl -s -X (POST|PATCH) http://127\.0\.0\.1:8080(/_emulator/\S+) -d '([^']*)'$`)

// readGuideNight reads the night-two subsection of the drill whose heading starts with heading
// (e.g. "## Drill 1:") from the drills guide's template.
func readGuideNight(t *testing.T, heading string) guideNight {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(t), "templates", "guides", "dr-drills.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "\n"+heading)
	if i < 0 {
		t.Fatalf("the drills guide has no heading %q", heading)
	}
	drill := text[i+1:]
	if j := strings.Index(drill, "\n## "); j >= 0 {
		drill = drill[:j]
	}
	k := strings.Index(drill, "\n### Night two against the emulator\n")
	if k < 0 {
		t.Fatalf("%s: the drills guide has no \"Night two against the emulator\" subsection", heading)
	}
	section := drill[k+1:]
	if j := strings.Index(section[1:], "\n### "); j >= 0 {
		section = section[:j+1]
	}
	block := section[strings.Index(section, "```shell\n")+len("```shell\n"):]
	block = block[:strings.Index(block, "```")]
	var night guideNight
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if m := guideCurl.FindStringSubmatch(line); m != nil {
			night.calls = append(night.calls, adminCall{method: m[1], path: m[2], body: m[3]})
			continue
		}
		if strings.HasPrefix(line, "curl") {
			t.Fatalf("%s: a curl line of the guide this test cannot replay: %s", heading, line)
		}
		night.lines = append(night.lines, line)
	}
	if len(night.calls) == 0 {
		t.Fatalf("%s: the guide's night two makes no admin call:\n%s", heading, block)
	}
	return night
}

// replay sends the guide's admin calls to the emulator at url and returns the recovery point night
// two must restore: the end of the backup added, or the end of the restorable range moved.
func (n guideNight) replay(t *testing.T, url string) time.Time {
	t.Helper()
	var point time.Time
	for _, call := range n.calls {
		req, err := http.NewRequest(call.method, url+call.path, strings.NewReader(call.body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the guide's %s %s: HTTP %d %v\n%s", call.method, call.path, resp.StatusCode, err, body)
		}
		switch {
		case call.path == emulator.AdminBackupsPath:
			var b emulator.Backup
			if err := json.Unmarshal(body, &b); err != nil {
				t.Fatal(err)
			}
			if point, err = time.Parse("2006-01-02T15:04:05-0700", b.EndTime); err != nil {
				t.Fatalf("the added backup's end_time %q: %v", b.EndTime, err)
			}
		case strings.HasPrefix(call.path, emulator.AdminInstancesPath+"/"):
			var in emulator.SeedInstance
			if err := json.Unmarshal(body, &in); err != nil {
				t.Fatal(err)
			}
			for _, w := range in.RestoreTime {
				if end := time.UnixMilli(w.EndTime).UTC(); end.After(point) {
					point = end
				}
			}
		}
	}
	return point
}

// TestAccExamples_nightTwo: each drill of the drills guide on its second night, made as the guide
// makes it: night one is applied, the guide's admin calls (its curl lines, replayed) make the next
// night in the emulator (a new backup of production ending now, or production's restorable window
// moved to end now), and the drill is applied again as the guide says. Night two replaces the restore once: one more restore is submitted, the state's
// restore is that new job, Completed, and it records the new recovery point (in the state and in
// the evidence). The SQL Server copy drops night one's copies before it submits. Then a plan is
// empty.
func TestAccExamples_nightTwo(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	have := providerTypes(t)
	cases := []struct {
		name    string
		dir     string
		address string // the restore night two replaces
		drill   string // the drill's heading in the guide
		// applies: the guide's commands after its admin calls, comments left out
		applies []string
		// vars of night one and of night two (the same but for a drill whose trigger is a variable)
		vars1, vars2 []string
		// stillOnNightOne: the drill's trigger does not move with the night; a plan with night
		// one's vars stays empty after the night was made.
		stillOnNightOne bool
		// dropped: the databases night two drops before it submits
		dropped []string
	}{
		{name: "nightly-backup", dir: "drills/nightly-backup", address: "hwc_rds_instance_restore.nightly",
			drill: "## Drill 1:", applies: []string{"terraform apply"}},
		{name: "latest-point-in-time", dir: "drills/latest-point-in-time", address: "hwc_rds_instance_restore.latest",
			drill: "## Drill 2:", applies: []string{"terraform apply", "terraform apply -var drill_run=2"},
			vars1: []string{"-var", "drill_run=1"}, vars2: []string{"-var", "drill_run=2"}, stillOnNightOne: true},
		{name: "sqlserver-copy", dir: "drills/sqlserver-copy", address: "hwc_rds_instance_restore.copy",
			drill: "## Drill 3:", applies: []string{"terraform apply"}, dropped: []string{"hr_drill", "sales_drill"}},
		{name: "guarded-undo", dir: "drills/guarded-undo", address: "hwc_rds_instance_restore.nightly",
			drill: "## Drill 4:", applies: []string{"terraform apply"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, used := workCopy(t, tc.dir)
			skipMissingTypes(t, used, have)
			skipWithoutFunctions(t, c, used)
			night := readGuideNight(t, tc.drill)
			var applies []string
			for _, line := range night.lines {
				if i := strings.Index(line, "#"); i >= 0 {
					line = line[:i]
				}
				applies = append(applies, strings.Join(strings.Fields(line), " "))
			}
			if !reflect.DeepEqual(applies, tc.applies) {
				t.Fatalf("the guide's night two runs %q after its admin calls; this test runs %q", applies, tc.applies)
			}
			env, url := emulatorEnv(t, config)
			admin := tfcli.Admin{URL: url}
			vars2 := tc.vars2
			if vars2 == nil {
				vars2 = tc.vars1
			}

			// Night one.
			if out, err := c.run(t, dir, env, 5*time.Minute, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, tc.vars1...)...); err != nil {
				t.Fatalf("night one on %s: %v\n%s", c.version, err, out)
			}
			if n := restoreRequests(t, url); n != 1 {
				t.Fatalf("night one: %d restores, want 1", n)
			}
			one := restoreInState(t, c, dir, env, tc.address)

			// The next night: the guide's admin calls.
			point := night.replay(t, url)
			if tc.stillOnNightOne {
				if code, out := planExit(t, c, dir, env, tc.vars1); code != 0 {
					t.Fatalf("with night one's vars the plan after the night was made: exit code %d, want 0 (nothing to do)\n%s", code, out)
				}
			}

			// Night two.
			out, err := c.run(t, dir, env, 5*time.Minute, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars2...)...)
			if err != nil {
				t.Fatalf("night two on %s: %v\n%s", c.version, err, out)
			}
			for _, want := range []string{tc.address + " must be replaced", "Resources: 1 added, 0 changed, 1 destroyed."} {
				if !strings.Contains(out, want) {
					t.Errorf("night two's apply does not say %q:\n%s", want, out)
				}
			}
			log, err := admin.Requests()
			if err != nil {
				t.Fatal(err)
			}
			if n := tfcli.RestoreSubmissions(log); n != 2 {
				t.Fatalf("after night two: %d restores, want 2", n)
			}
			jobs, err := admin.Jobs()
			if err != nil {
				t.Fatal(err)
			}
			two := restoreInState(t, c, dir, env, tc.address)
			if last := jobs[len(jobs)-1]; two.JobID != last.ID || two.JobID == one.JobID || two.Status != "Completed" {
				t.Errorf("night two's restore in the state: job %s (%s); want the new job %s (night one's was %s), Completed",
					two.JobID, two.Status, last.ID, one.JobID)
			}
			restored, err := time.Parse(time.RFC3339, two.RestoredTo)
			if err != nil || !restored.Equal(point) {
				t.Errorf("night two restored_to = %q (%v), want the new recovery point %s", two.RestoredTo, err, point.Format(time.RFC3339Nano))
			}
			// Night one's point was hours (a backup) or minutes (the seed's window) old; night
			// two's is seconds old.
			if two.RecoveryPointAgeSeconds == nil || *two.RecoveryPointAgeSeconds > 60 ||
				one.RecoveryPointAgeSeconds == nil || *one.RecoveryPointAgeSeconds < 60 {
				t.Errorf("recovery_point_age_seconds: night one %v, night two %v; want night two's point fresh (at most 60 s), night one's older",
					deref(one.RecoveryPointAgeSeconds), deref(two.RecoveryPointAgeSeconds))
			}
			// A guarded drill backs staging up again before night two: the undo is that backup.
			if one.TargetBackupID != "" && (two.TargetBackupID == "" || two.TargetBackupID == one.TargetBackupID) {
				t.Errorf("target_backup_id: night one %q, night two %q; want a new backup of the target before night two",
					one.TargetBackupID, two.TargetBackupID)
			}
			ev, err := c.run(t, dir, env, time.Minute, "output", "-json", "evidence")
			var evidence drillEvidence
			if err != nil || json.Unmarshal([]byte(ev), &evidence) != nil || evidence.RecoveryPoint != two.RestoredTo || evidence.JobID != two.JobID ||
				!reflect.DeepEqual(evidence.RecoveryPointAgeSeconds, two.RecoveryPointAgeSeconds) {
				t.Errorf("night two's evidence: %v\n%s\nwant recovery_point %s, recovery_point_age_seconds %v and job_id %s",
					err, ev, two.RestoredTo, deref(two.RecoveryPointAgeSeconds), two.JobID)
			}
			if tc.dropped != nil {
				checkDroppedBeforeSubmit(t, log, tc.dropped)
				if !strings.Contains(out, "Previous Copies Dropped Before The Restore") {
					t.Errorf("night two's apply does not warn that the previous copies are dropped:\n%s", out)
				}
				if !reflect.DeepEqual(sorted(evidence.DroppedDatabases), tc.dropped) || !reflect.DeepEqual(sorted(evidence.CreatedDatabases), tc.dropped) {
					t.Errorf("night two's evidence: dropped %v, created %v; want both %v", evidence.DroppedDatabases, evidence.CreatedDatabases, tc.dropped)
				}
			}

			// The plan after night two: nothing to do.
			if code, out := planExit(t, c, dir, env, vars2); code != 0 {
				t.Errorf("plan after night two: exit code %d, want 0 (nothing to do)\n%s", code, out)
			}
			if n := restoreRequests(t, url); n != 2 {
				t.Errorf("after the last plan: %d restores, want 2", n)
			}
		})
	}
}

// stateRestore is what the state records of a restore, as `show -json` prints it.
type stateRestore struct {
	JobID                   string `json:"job_id"`
	Status                  string `json:"status"`
	RestoredTo              string `json:"restored_to"`
	RecoveryPointAgeSeconds *int64 `json:"recovery_point_age_seconds"`
	TargetBackupID          string `json:"target_backup_id"` // backup_target_first: the undo
}

// restoreInState reads the restore at address from the state.
func restoreInState(t *testing.T, c cli, dir string, env []string, address string) stateRestore {
	t.Helper()
	out, err := c.run(t, dir, env, time.Minute, "show", "-json")
	if err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string       `json:"address"`
					Values  stateRestore `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r.Values
		}
	}
	t.Fatalf("the state has no %s:\n%s", address, out)
	return stateRestore{}
}

// planExit runs `plan -detailed-exitcode` and returns its exit code (0: nothing to do, 2: changes).
func planExit(t *testing.T, c cli, dir string, env, vars []string) (int, string) {
	t.Helper()
	out, err := c.run(t, dir, env, 2*time.Minute, append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, vars...)...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out
	case errors.As(err, &exit):
		return exit.ExitCode(), out
	}
	t.Fatalf("plan: %v\n%s", err, out)
	return 0, ""
}

// checkDroppedBeforeSubmit checks in the request log that each database was dropped (DELETE)
// before night two's restore was submitted, and that nothing else was.
func checkDroppedBeforeSubmit(t *testing.T, log []emulator.RequestRecord, want []string) {
	t.Helper()
	submits := 0
	var dropped []string
	for _, r := range log {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/instances/recovery"):
			submits++
		case r.Method == http.MethodDelete && strings.Contains(r.Path, "/database/"):
			name := r.Path[strings.LastIndex(r.Path, "/")+1:]
			if submits != 1 {
				t.Errorf("DELETE of %s after restore submission %d; want it between night one's and night two's", name, submits)
			}
			dropped = append(dropped, name)
		}
	}
	if got := sorted(dropped); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("dropped %v, want exactly night one's copies %v", got, want)
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

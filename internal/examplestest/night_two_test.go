package examplestest

import (
	"encoding/json"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

// nightTwo makes the next night in a running emulator, as the drills guide does with curl, and
// returns the recovery point night two's restore must record.
type nightTwo func(t *testing.T, admin tfcli.Admin) time.Time

// newBackup adds the next night's automated backup of an instance (COMPLETED, ending now).
func newBackup(instanceID string) nightTwo {
	return func(t *testing.T, admin tfcli.Admin) time.Time {
		t.Helper()
		b, err := admin.AddBackup(emulator.AdminBackup{InstanceID: instanceID})
		if err != nil {
			t.Fatal(err)
		}
		end, err := time.Parse("2006-01-02T15:04:05-0700", b.EndTime)
		if err != nil {
			t.Fatalf("the added backup's end_time %q: %v", b.EndTime, err)
		}
		return end
	}
}

// windowEndingNow moves an instance's restorable window to end now.
func windowEndingNow(instanceID string) nightTwo {
	return func(t *testing.T, admin tfcli.Admin) time.Time {
		t.Helper()
		in, err := admin.PatchInstance(instanceID, emulator.AdminInstancePatch{
			RestoreTimeRelative: &[]emulator.RelativeWindow{{Start: emulator.Duration(-24 * time.Hour), End: 0}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(in.RestoreTime) != 1 {
			t.Fatalf("after the patch %s has windows %v, want one", instanceID, in.RestoreTime)
		}
		return time.UnixMilli(in.RestoreTime[0].EndTime).UTC()
	}
}

// TestAccExamples_nightTwo: each drill of the drills guide on its second night, made as the guide
// makes it: night one is applied, the emulator's admin API makes the next night (a new backup of
// production ending now, or production's restorable window moved to end now), and the drill is
// applied again. Night two replaces the restore once: one more restore is submitted, the state's
// restore is that new job, Completed, and it records the new recovery point (in the state and in
// the evidence). The SQL Server copy drops night one's copies before it submits. Then a plan is
// empty.
func TestAccExamples_nightTwo(t *testing.T) {
	c := requireCLI(t)
	config := providerConfig(t)
	have := providerTypes(t)
	cases := []struct {
		name    string
		dir     string
		address string // the restore night two replaces
		night   nightTwo
		// vars of night one and of night two (the same but for a drill whose trigger is a variable)
		vars1, vars2 []string
		// stillOnNightOne: the drill's trigger does not move with the night; a plan with night
		// one's vars stays empty after the night was made.
		stillOnNightOne bool
		// dropped: the databases night two drops before it submits
		dropped []string
	}{
		{name: "nightly-backup", dir: "drills/nightly-backup", address: "hwc_rds_instance_restore.nightly",
			night: newBackup(emulator.MySQLSourceID)},
		{name: "latest-point-in-time", dir: "drills/latest-point-in-time", address: "hwc_rds_instance_restore.latest",
			night: windowEndingNow(emulator.PostgreSQLSourceID),
			vars1: []string{"-var", "drill_run=1"}, vars2: []string{"-var", "drill_run=2"}, stillOnNightOne: true},
		{name: "sqlserver-copy", dir: "drills/sqlserver-copy", address: "hwc_rds_instance_restore.copy",
			night: newBackup(emulator.SQLServerSourceID), dropped: []string{"hr_drill", "sales_drill"}},
		{name: "guarded-undo", dir: "drills/guarded-undo", address: "hwc_rds_instance_restore.nightly",
			night: newBackup(emulator.MySQLSourceID)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, used := workCopy(t, tc.dir)
			skipMissingTypes(t, used, have)
			skipWithoutFunctions(t, c, used)
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

			// The next night, through the admin API.
			point := tc.night(t, admin)
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
			ev, err := c.run(t, dir, env, time.Minute, "output", "-json", "evidence")
			var evidence drillEvidence
			if err != nil || json.Unmarshal([]byte(ev), &evidence) != nil || evidence.RecoveryPoint != two.RestoredTo || evidence.JobID != two.JobID {
				t.Errorf("night two's evidence: %v\n%s\nwant recovery_point %s and job_id %s", err, ev, two.RestoredTo, two.JobID)
			}
			if tc.dropped != nil {
				checkDroppedBeforeSubmit(t, log, tc.dropped)
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

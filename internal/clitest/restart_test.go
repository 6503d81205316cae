package clitest

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The emulator (the API, as far as the provider can tell) goes away in the middle of a job and
// comes back on the same address with its -state file: the provider's job polls ride it out, the
// apply completes, and there is exactly one job, never a second submission.
func TestAccCLI_emulatorRestartMidJob(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	stateFile := filepath.Join(t.TempDir(), "emulator-state.json")
	emu := startEmulator(t, "-job-duration", "10s", "-state", stateFile)
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock())

	logFile := w.path("apply.log")
	done := make(chan result, 1)
	go func() {
		done <- w.run([]string{"TF_LOG=DEBUG", "TF_LOG_PATH=" + logFile}, "apply", "-auto-approve", "-no-color")
	}()

	var jobID string
	waitFor(t, 2*time.Minute, "the job to run and the provider to poll it", func() bool {
		select {
		case r := <-done:
			t.Fatalf("apply ended before the restart:\n%s", r)
		default:
		}
		jobs := emu.jobs(t)
		if len(jobs) != 1 || jobs[0].Status != "Running" {
			return false
		}
		jobID = jobs[0].ID
		for _, r := range emu.requests(t) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/jobs") {
				return true
			}
		}
		return false
	})
	before := restorePOSTs(emu.requests(t))
	emu.kill()
	// Stay down until the provider has met the outage: a job poll that could not connect.
	waitFor(t, time.Minute, "a job poll to fail while the emulator is down", func() bool {
		return strings.Contains(readFile(t, logFile), "could not connect")
	})
	emu.restart()

	var r result
	select {
	case r = <-done:
	case <-time.After(4 * time.Minute):
		t.Fatal("the apply did not finish after the emulator came back")
	}
	if r.ExitCode != 0 {
		t.Fatalf("apply across the restart failed:\n%s", r)
	}
	after := restorePOSTs(emu.requests(t)) // the restarted emulator's own log
	if before != 1 || after != 0 {
		t.Errorf("restore submissions: %d before the restart, %d after; want 1 and 0", before, after)
	}
	jobs := emu.jobs(t)
	if len(jobs) != 1 || jobs[0].ID != jobID || jobs[0].Status != "Completed" {
		t.Errorf("emulator jobs after the restart = %+v, want only job %s, Completed", jobs, jobID)
	}
	attrs, instStatus, ok := w.restoreAttrs()
	if !ok || attrs["status"] != "Completed" || attrs["job_id"] != jobID || instStatus == "tainted" {
		t.Errorf("state: %v (instance %q), want job %s Completed", attrs, instStatus, jobID)
	}
	starts := 0
	for _, line := range strings.Split(emu.log.String(), "\n") {
		if strings.Contains(line, "listening on") {
			starts++
		}
	}
	if starts < 2 {
		t.Errorf("the emulator log shows %d starts, want 2:\n%s", starts, emu.log.String())
	}
}

package clitest

import (
	"regexp"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// The reply to the submission is lost after the API took it: the apply succeeds with a warning
// that says so, the state has status "Unknown" and no job id, and neither this apply nor the next
// plan submits anything again. (The acceptance test of the same fault checks the state; only the
// CLI shows the warning.)
func TestAccCLI_lostReplyWarns(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	emu := startEmulator(t, "-job-duration", "4s")
	emu.fault(t, emulator.Fault{Method: "POST", Path: "/v3.1/*/instances/recovery", Count: 1, Drop: "after"})
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock())

	r := w.mustRun(nil, "apply", "-auto-approve", "-no-color")
	warning := regexp.MustCompile(`(?s)Warning: Restore Taken, Job ID Unknown.*did\s+not\s+send\s+it\s+again.*RESTORING.*status\s+is\s+"Unknown"`)
	if !warning.MatchString(r.output()) {
		t.Errorf("the apply does not warn that the job id is unknown:\n%s", r)
	}
	attrs, instStatus, ok := w.restoreAttrs()
	if !ok || attrs["status"] != "Unknown" || attrs["job_id"] != "" || instStatus == "tainted" {
		t.Errorf("state: %v (instance %q), want status Unknown, no job id, not tainted", attrs, instStatus)
	}
	if plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color"); plan.ExitCode != 0 {
		t.Errorf("the plan after a lost reply: want exit 0 (nothing to do), got:\n%s", plan)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Errorf("restore submissions = %d, want 1", n)
	}
	if jobs := emu.jobs(t); len(jobs) != 1 || jobs[0].Status != "Completed" {
		t.Errorf("emulator jobs = %+v, want the one taken restore, Completed", jobs)
	}
}

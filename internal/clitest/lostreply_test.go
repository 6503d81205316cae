package clitest

import (
	"regexp"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// The reply to the submission is lost after the API took it: the provider finds the job in the
// task list, the apply succeeds with the job id in the state, and neither this apply nor the next
// plan submits anything again.
func TestAccCLI_lostReplySettledThroughTheTaskList(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	emu := startEmulator(t, "-job-duration", "4s")
	emu.fault(t, emulator.Fault{Method: "POST", Path: "/v3.1/*/instances/recovery", Count: 1, Drop: "after"})
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock())

	w.mustRun(nil, "apply", "-auto-approve", "-no-color")
	jobs := emu.jobs(t)
	if len(jobs) != 1 || jobs[0].Status != "Completed" {
		t.Fatalf("emulator jobs = %+v, want the one taken restore, Completed", jobs)
	}
	attrs, instStatus, ok := w.restoreAttrs()
	if !ok || attrs["status"] != "Completed" || attrs["job_id"] != jobs[0].ID || instStatus == "tainted" {
		t.Errorf("state: %v (instance %q), want status Completed, job %s, not tainted", attrs, instStatus, jobs[0].ID)
	}
	if plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color"); plan.ExitCode != 0 {
		t.Errorf("the plan after a lost reply: want exit 0 (nothing to do), got:\n%s", plan)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Errorf("restore submissions = %d, want 1", n)
	}
}

// timeouts.create runs out after the submission: the apply exits non-zero (a pipeline stops);
// the next plain apply submits nothing, takes the job over with a warning, and exits 0; the plan
// after it is empty. One restore in all.
func TestAccCLI_timeoutThenPlainApplyTakesTheJobOver(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	emu := startEmulator(t, "-job-duration", "8s")
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock("  timeouts {\n    create = \"3s\"\n  }"))

	first := w.run(nil, "apply", "-auto-approve", "-no-color")
	if first.ExitCode == 0 || !regexp.MustCompile(`(?s)Error: Restore Did Not Finish.*takes\s+job\s+\S+\s+over`).MatchString(first.output()) {
		t.Fatalf("the apply that timed out: want a non-zero exit and an error naming the job, got:\n%s", first)
	}
	attrs, instStatus, _ := w.restoreAttrs()
	if attrs["status"] != "Running" || attrs["job_id"] == "" || instStatus != "tainted" {
		t.Fatalf("state after the timeout: %v (instance %q), want Running with the job id, tainted", attrs, instStatus)
	}
	jobID := attrs["job_id"]
	waitFor(t, time.Minute, "the job to end", func() bool {
		j := emu.jobs(t)
		return len(j) == 1 && j[0].Status == "Completed"
	})

	second := w.mustRun(nil, "apply", "-auto-approve", "-no-color")
	if !regexp.MustCompile(`(?s)Warning: Earlier Restore Taken Over.*Nothing\s+was\s+submitted`).MatchString(second.output()) {
		t.Errorf("the plain apply after the timeout does not say it took the job over:\n%s", second)
	}
	attrs, instStatus, _ = w.restoreAttrs()
	if attrs["status"] != "Completed" || attrs["job_id"] != jobID || instStatus == "tainted" {
		t.Errorf("state after the takeover: %v (instance %q), want Completed with job %v", attrs, instStatus, jobID)
	}
	if plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color"); plan.ExitCode != 0 {
		t.Errorf("the plan after the takeover: want exit 0, got:\n%s", plan)
	}
	if n, jobs := restorePOSTs(emu.requests(t)), emu.jobs(t); n != 1 || len(jobs) != 1 {
		t.Errorf("restore submissions = %d, jobs = %d, want 1 and 1", n, len(jobs))
	}
}

// A job saved as Running when its apply timed out fails meanwhile: a refresh says so with a
// warning carrying fail_reason and that the next apply takes the outcome over; the state keeps
// "Running" (tainted) for that apply, which then reports the failure and submits nothing.
func TestAccCLI_refreshWarnsWhenATimedOutJobFailed(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	emu := startEmulator(t, "-job-duration", "6s")
	emu.fault(t, emulator.Fault{FailNextJob: "the backup file is damaged"})
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock("  timeouts {\n    create = \"2s\"\n  }"))

	if first := w.run(nil, "apply", "-auto-approve", "-no-color"); first.ExitCode == 0 {
		t.Fatalf("the apply that timed out exited 0:\n%s", first)
	}
	waitFor(t, time.Minute, "the job to end", func() bool {
		j := emu.jobs(t)
		return len(j) == 1 && j[0].Status == "Failed"
	})
	refresh := w.mustRun(nil, "apply", "-refresh-only", "-auto-approve", "-no-color")
	if !regexp.MustCompile(`(?s)Warning: Restore Job Ended After Its Apply Stopped.*recorded\s+as\s+"Running".*Failed:\s+the\s+backup\s+file\s+is\s+damaged.*records\s+this\s+outcome\s+and\s+fails`).MatchString(refresh.output()) {
		t.Errorf("the refresh does not warn that the job failed:\n%s", refresh)
	}
	if attrs, inst, _ := w.restoreAttrs(); attrs["status"] != "Running" || inst != "tainted" {
		t.Errorf("state after the refresh: %v (instance %q), want Running and tainted until the next apply", attrs, inst)
	}
	next := w.run(nil, "apply", "-auto-approve", "-no-color")
	if next.ExitCode == 0 || !regexp.MustCompile(`(?s)Error: Restore Job Failed.*earlier\s+apply.*the\s+backup\s+file\s+is\s+damaged.*Nothing\s+was\s+submitted`).MatchString(next.output()) {
		t.Errorf("the apply after the refresh: want an error with the fail_reason and nothing submitted, got:\n%s", next)
	}
	if attrs, _, _ := w.restoreAttrs(); attrs["status"] != "Failed" || attrs["fail_reason"] != "the backup file is damaged" {
		t.Errorf("state after the takeover: %v, want Failed with the fail_reason", attrs)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Errorf("restore submissions = %d, want 1", n)
	}
}

package clitest

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// Ctrl-C in the middle of the wait: the CLI exits promptly, the state keeps the resource with its
// job id and status "Running" (not tainted), the next plan plans the takeover of that job in place
// (naming it), and the next apply records it Completed and submits nothing: one job in the
// emulator, status Completed.
func TestAccCLI_interruptThenApplyAgain(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	const jobDuration = 12 * time.Second
	emu := startEmulator(t, "-job-duration", jobDuration.String())
	w := newWorkspace(t, emu.URL, demoCredentials(), "", restoreBlock())

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, stdout, stderr := w.command(ctx, nil, "apply", "-auto-approve", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Interrupt once the job runs and the provider is polling it (it has its job id by then).
	var jobID string
	waitFor(t, 2*time.Minute, "the job to run and the provider to poll it", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("apply ended before the interrupt (%v):\n%s\n%s", err, stdout.String(), stderr.String())
		default:
		}
		jobs := emu.jobs(t)
		if len(jobs) != 1 || jobs[0].Status != "Running" {
			return false
		}
		for _, r := range emu.requests(t) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/jobs") && r.Status == http.StatusOK {
				jobID = jobs[0].ID
				return true
			}
		}
		return false
	})
	sent := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	select {
	case waitErr = <-exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("the CLI did not exit within 60s of SIGINT:\n%s\n%s", stdout.String(), stderr.String())
	}
	took := time.Since(sent)
	t.Logf("SIGINT to exit: %s (exit: %v)", took.Round(time.Millisecond), waitErr)
	if took > 10*time.Second {
		t.Errorf("the CLI took %s to exit after SIGINT, want well under 10s (the goal is 1s)", took)
	}
	out := stdout.String() + stderr.String()
	if !strings.Contains(out, "Stopped Waiting for the Restore") {
		t.Errorf("the interrupted apply does not warn that it stopped waiting:\n%s", out)
	}
	if jobs := emu.jobs(t); len(jobs) != 1 || jobs[0].Status != "Running" {
		t.Errorf("emulator jobs after the interrupt = %+v, want the one job, still Running", jobs)
	}

	attrs, instStatus, ok := w.restoreAttrs()
	if !ok {
		t.Fatalf("the state has no restore after the interrupt:\n%s", out)
	}
	if attrs["job_id"] != jobID || attrs["id"] != jobID || attrs["status"] != "Running" || instStatus == "tainted" {
		t.Fatalf("state after the interrupt: job_id=%v id=%v status=%v instance=%q; want job %s, Running, not tainted",
			attrs["job_id"], attrs["id"], attrs["status"], instStatus, jobID)
	}

	// The next plan plans the takeover of the job in place, naming it: exit 2 with
	// -detailed-exitcode, and nothing submitted.
	plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color")
	if plan.ExitCode != 2 || !strings.Contains(plan.Stdout+plan.Stderr, "Restore Job Taken Over") || !strings.Contains(plan.Stdout+plan.Stderr, jobID) {
		t.Fatalf("plan after the interrupt: want exit 2 and the takeover of job %s named, got:\n%s", jobID, plan)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Fatalf("restore submissions after the plan = %d, want 1", n)
	}

	// Once the job is over, apply again: the apply takes the job over and records it Completed;
	// nothing is submitted.
	waitFor(t, jobDuration+time.Minute, "the job to end", func() bool {
		jobs := emu.jobs(t)
		return len(jobs) == 1 && jobs[0].Status != "Running"
	})
	apply := w.mustRun(nil, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(apply.Stdout, "0 added, 1 changed, 0 destroyed") || !strings.Contains(apply.Output(), "Earlier Restore Taken Over") {
		t.Errorf("the second apply does not take the job over in place:\n%s", apply)
	}
	if n := restorePOSTs(emu.requests(t)); n != 1 {
		t.Errorf("restore submissions after the second apply = %d, want 1", n)
	}
	if jobs := emu.jobs(t); len(jobs) != 1 || jobs[0].ID != jobID || jobs[0].Status != "Completed" {
		t.Errorf("emulator jobs = %+v, want only job %s, Completed", jobs, jobID)
	}
	attrs, instStatus, _ = w.restoreAttrs()
	if attrs["status"] != "Completed" || attrs["job_id"] != jobID || instStatus == "tainted" {
		t.Errorf("state after the second apply: status=%v job_id=%v instance=%q; want Completed, job %s",
			attrs["status"], attrs["job_id"], instStatus, jobID)
	}
	if attrs["completed_at"] == "" || attrs["completed_at"] == nil {
		t.Errorf("completed_at is empty after the job was refreshed to Completed")
	}
}

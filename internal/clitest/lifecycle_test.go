package clitest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// The lifecycle table: each row is what a user does across several CLI commands (apply, Ctrl-C,
// SIGKILL, untaint, import, a changed configuration, a failing job, a wait), and then what must
// hold: the restores the emulator ran, the state, and a last plain plan that is empty. The
// mechanisms each row proves are in restore_lifecycle.go and the guarantees guide.

// lifeStep is one thing the user does.
type lifeStep struct {
	do string // apply, applyNoRefresh, plan, interrupt, kill, untaint, import, config, fault, waitJobs, stateRm, targetStatus, stranger
	// body replaces the configuration (config); fault is added to the emulator (fault);
	// status is the target's new status (targetStatus).
	body     string
	fault    emulator.Fault
	toStatus string
	// exit is the wanted exit code (apply, plan, import, untaint); -1: any non-zero.
	exit int
	// contains and lacks are checked against the command's output.
	contains, lacks []string
	// status, when set, is the restore's status in the state after the step; tainted whether
	// the object is tainted then.
	status  string
	tainted bool
}

type lifeRow struct {
	name     string
	emulator []string // emulator flags
	body     string   // the first configuration
	steps    []lifeStep
	restores int    // restore submissions the emulator saw in all
	status   string // the restore's final status in the state
	// sameJob: the state's job is the first job the emulator ran (nothing replaced it).
	sameJob bool
	// openEnd: the row ends on an error the user must act on; no final empty plan.
	openEnd bool
}

// lifeBody is a restore of the built-in seed with an output that interpolates the drill's
// evidence (a null there fails every plan, as a user's drill would).
func lifeBody(lines ...string) string {
	return restoreBlock(lines...) + evidenceOutput
}

const evidenceOutput = `
output "evidence" {
  value = "${hwc_rds_instance_restore.drill.engine} ${hwc_rds_instance_restore.drill.target_engine_version} restored_to=${hwc_rds_instance_restore.drill.restored_to}"
}
`

// sqlServerCopy is the SQL Server copy drill: sales restored as sales_copy.
func sqlServerCopy(lines ...string) string {
	return fmt.Sprintf(`resource "hwc_rds_instance_restore" "drill" {
  source_instance_id = %q
  target_instance_id = %q
  backup_id          = %q
  database_name      = { sales = "sales_copy" }
%s
}
`, emulator.SQLServerSourceID, emulator.SQLServerTargetID, emulator.SQLServerBackupID, strings.Join(lines, "\n")) + evidenceOutput
}

const (
	shortTimeout = `  timeouts {
    create = "4s"
  }`
	cbd = `  lifecycle {
    create_before_destroy = true
  }`
)

func TestAccCLI_lifecycle(t *testing.T) {
	t.Parallel()
	skipUnlessAcc(t)
	failing := emulator.Fault{FailNextJob: "the backup file is damaged"}
	lostReply := emulator.Fault{Method: "POST", Path: "/v3.1/*/instances/recovery", Count: 1, Drop: "after"}
	rows := []lifeRow{
		{
			name: "ctrl-c, then the job fails: the next apply fails, the one after restores again", emulator: []string{"-job-duration", "8s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "fault", fault: failing},
				{do: "interrupt", status: "Running"},
				{do: "waitJobs"},
				{do: "plan", exit: 2, contains: []string{"Restore Job Taken Over"}},
				{do: "apply", exit: 1, contains: []string{"Restore Job Failed", "the backup file is damaged"}, status: "Failed"},
				{do: "plan", exit: 2, contains: []string{"Failed Restore Runs Again"}},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 2, status: "Completed",
		},
		{
			name: "ctrl-c, then the job completes: the next apply records it", emulator: []string{"-job-duration", "6s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "interrupt", status: "Running"},
				{do: "waitJobs"},
				{do: "apply", exit: 0, contains: []string{"Earlier Restore Taken Over"}, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout of a SQL Server copy: the next apply takes it over", emulator: []string{"-job-duration", "10s"},
			body: sqlServerCopy(shortTimeout),
			steps: []lifeStep{
				{do: "apply", exit: 1, contains: []string{"Restore Did Not Finish"}, status: "Running", tainted: true},
				{do: "waitJobs"},
				{do: "apply", exit: 0, contains: []string{"Earlier Restore Job Taken Over"}, lacks: []string{"Already Exists", "Restore Forgotten"}, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout of a SQL Server copy with drop_previous_databases: taken over, nothing dropped", emulator: []string{"-job-duration", "10s"},
			body: sqlServerCopy(shortTimeout, "  drop_previous_databases = true"),
			steps: []lifeStep{
				{do: "apply", exit: 1, status: "Running", tainted: true},
				{do: "waitJobs"},
				{do: "apply", exit: 0, lacks: []string{"Already Exists"}, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout under create_before_destroy: untaint, then the apply takes it over in place", emulator: []string{"-job-duration", "10s"},
			body: lifeBody(shortTimeout, cbd),
			steps: []lifeStep{
				{do: "apply", exit: 1, status: "Running", tainted: true},
				{do: "plan", exit: 2, contains: []string{"Earlier Restore Job Taken Over", "create_before_destroy"}},
				{do: "untaint", exit: 0},
				{do: "waitJobs"}, // the takeover keeps the short timeout
				{do: "apply", exit: 0, contains: []string{"Restore Job Taken Over"}, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout under create_before_destroy, applied anyway: refused, then state rm and import take it over", emulator: []string{"-job-duration", "10s"},
			body: lifeBody(shortTimeout, cbd),
			steps: []lifeStep{
				{do: "apply", exit: 1, status: "Running", tainted: true},
				{do: "apply", exit: -1},
				{do: "stateRm"},
				{do: "import", exit: 0},
				{do: "waitJobs"},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout, untaint: the next apply takes it over in place", emulator: []string{"-job-duration", "10s"},
			body: lifeBody(shortTimeout),
			steps: []lifeStep{
				{do: "apply", exit: 1, status: "Running", tainted: true},
				{do: "untaint", exit: 0},
				{do: "plan", exit: 2, contains: []string{"Restore Job Taken Over"}},
				{do: "waitJobs"},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "timeout, untaint, the job fails: the next apply fails, the one after restores again", emulator: []string{"-job-duration", "8s"},
			body: lifeBody(shortTimeout),
			steps: []lifeStep{
				{do: "fault", fault: failing},
				{do: "apply", exit: 1, status: "Running", tainted: true},
				{do: "untaint", exit: 0},
				{do: "waitJobs"},
				{do: "apply", exit: 1, contains: []string{"the backup file is damaged"}, status: "Failed"},
				{do: "config", body: lifeBody()}, // the re-run gets the default timeout
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 2, status: "Completed",
		},
		{
			// The reply lost, no task list that lists restores, the target RESTORING: taken, its job
			// id unknown; the timeout runs out before the target is ACTIVE again. Tainted, the
			// restore must not run a second time: the next plans refuse until the user decides.
			name: "reply lost, job id unknown, timeout before the target is back: refused until untaint", emulator: []string{"-job-duration", "10s", "-task-list", "without-restores"},
			body: lifeBody(shortTimeout),
			steps: []lifeStep{
				{do: "fault", fault: lostReply},
				{do: "apply", exit: 1, contains: []string{"Restore Did Not Finish", "untaint"}, status: "Unknown", tainted: true},
				{do: "plan", exit: 1, contains: []string{"Earlier Restore's Outcome Unknown"}},
				{do: "waitJobs"},
				{do: "apply", exit: 1, contains: []string{"Earlier Restore's Outcome Unknown"}, status: "Unknown", tainted: true},
				{do: "untaint", exit: 0},
			},
			restores: 1, status: "Unknown",
		},
		{
			// The same, applied with -refresh=false: the plan does not see the earlier restore
			// (no Read), Delete hands it over in the apply, and Create keeps it, tainted.
			name: "reply lost, job id unknown, timeout, then an apply without refresh: kept, not restored again", emulator: []string{"-job-duration", "10s", "-task-list", "without-restores"},
			body: lifeBody(shortTimeout),
			steps: []lifeStep{
				{do: "fault", fault: lostReply},
				{do: "apply", exit: 1, contains: []string{"Restore Did Not Finish"}, status: "Unknown", tainted: true},
				{do: "applyNoRefresh", exit: 1, contains: []string{"Earlier Restore's Outcome Unknown"}, status: "Unknown", tainted: true},
				{do: "waitJobs"},
				{do: "applyNoRefresh", exit: 1, contains: []string{"Earlier Restore's Outcome Unknown"}, status: "Unknown", tainted: true},
				{do: "untaint", exit: 0},
			},
			restores: 1, status: "Unknown",
		},
		{
			name: "import of a completed restore: evidence planned, nothing restored", emulator: []string{"-job-duration", "3s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "apply", exit: 0, status: "Completed"},
				{do: "stateRm"},
				{do: "import", exit: 0},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "import onto another target is refused at plan", emulator: []string{"-job-duration", "3s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "apply", exit: 0, status: "Completed"},
				{do: "stateRm"},
				{do: "config", body: strings.Replace(lifeBody(), emulator.MySQLTargetID, emulator.MySQLSmallID, 1)},
				{do: "import", exit: 0},
				{do: "plan", exit: 1, contains: []string{"Imported Restore Is Onto Another Instance"}},
			},
			restores: 1, openEnd: true,
		},
		{
			name: "triggers change while the job runs: it is reported, then one new restore", emulator: []string{"-job-duration", "8s"},
			body: lifeBody(`  triggers = { night = "1" }`),
			steps: []lifeStep{
				{do: "interrupt", status: "Running"},
				{do: "config", body: lifeBody(`  triggers = { night = "2" }`)},
				{do: "apply", exit: 0, contains: []string{"Earlier Restore Completed First"}, lacks: []string{"Restore Forgotten"}, status: "Completed"},
			},
			restores: 2, status: "Completed",
		},
		{
			name: "killed apply right after the submission: the next apply names the job, import records it", emulator: []string{"-job-duration", "20s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "kill"},
				{do: "apply", exit: 1, contains: []string{"Restore Running That the State Does Not Know", "import"}},
				{do: "import", exit: 0},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 1, status: "Completed", sameJob: true,
		},
		{
			name: "a restore by someone else runs onto the target: refused at plan, nothing stacked", emulator: []string{"-job-duration", "20s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "stranger"},
				{do: "plan", exit: 1, contains: []string{"Restore Running That the State Does Not Know"}},
				{do: "waitJobs"},
				{do: "apply", exit: 0, contains: []string{"Recent Restore the State Does Not Know"}, status: "Completed"},
			},
			restores: 2, status: "Completed",
		},
		{
			name: "a frozen target is an error at plan that names the state", emulator: []string{"-job-duration", "2s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "targetStatus", toStatus: "FROZEN"},
				{do: "plan", exit: 1, contains: []string{"FROZEN"}},
				{do: "targetStatus", toStatus: "ACTIVE"},
				{do: "apply", exit: 0, status: "Completed"},
			},
			restores: 1, status: "Completed",
		},
		{
			name: "removing the resource warns that nothing is rolled back", emulator: []string{"-job-duration", "2s"},
			body: lifeBody(),
			steps: []lifeStep{
				{do: "apply", exit: 0, status: "Completed"},
				{do: "config", body: ""},
				{do: "apply", exit: 0, contains: []string{"Restore Forgotten, Data Not Rolled Back"}},
			},
			restores: 1,
		},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			runLifeRow(t, row)
		})
	}
}

func runLifeRow(t *testing.T, row lifeRow) {
	emu := startEmulator(t, row.emulator...)
	w := newWorkspace(t, emu.URL, demoCredentials(), "", row.body)
	const addr = "hwc_rds_instance_restore.drill"
	for i, s := range row.steps {
		what := fmt.Sprintf("step %d (%s)", i+1, s.do)
		var out string
		code := 0
		switch s.do {
		case "apply", "applyNoRefresh", "plan", "untaint", "import":
			args := map[string][]string{
				"apply":          {"apply", "-auto-approve", "-no-color"},
				"applyNoRefresh": {"apply", "-auto-approve", "-refresh=false", "-no-color"},
				"plan":           {"plan", "-detailed-exitcode", "-no-color"},
				"untaint":        {"untaint", "-no-color", addr},
			}[s.do]
			if s.do == "import" {
				jobs := emu.jobs(t)
				if len(jobs) == 0 {
					t.Fatalf("%s: the emulator ran no job to import", what)
				}
				args = []string{"import", "-no-color", addr, jobs[0].ID}
			}
			r := w.run(nil, args...)
			out, code = r.output(), r.ExitCode
		case "interrupt":
			out = w.interruptApply(t, emu)
		case "kill":
			w.killApply(t, emu)
		case "config":
			w.rewriteBody(t, s.body)
		case "fault":
			emu.fault(t, s.fault)
		case "waitJobs":
			waitFor(t, 2*time.Minute, "the emulator's jobs to end", func() bool {
				for _, j := range emu.jobs(t) {
					if j.Status == "Running" {
						return false
					}
				}
				return true
			})
		case "stateRm":
			w.mustRun(nil, "state", "rm", "-no-color", addr)
		case "targetStatus":
			status := s.toStatus
			if _, err := emu.admin().PatchInstance(emulator.MySQLTargetID, emulator.AdminInstancePatch{Status: &status}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case "stranger":
			// The console, or another pipeline, restores onto the target with the same key.
			submitOutside(t, emu.URL, emulator.MySQLSourceID, emulator.MySQLTargetID, emulator.MySQLBackupID)
		default:
			t.Fatalf("%s: unknown step", what)
		}
		switch {
		case s.do != "apply" && s.do != "applyNoRefresh" && s.do != "plan" && s.do != "untaint" && s.do != "import":
		case s.exit == -1 && code == 0, s.exit >= 0 && code != s.exit:
			t.Fatalf("%s: exit %d, want %d:\n%s", what, code, s.exit, out)
		}
		for _, c := range s.contains {
			if !strings.Contains(out, c) {
				t.Errorf("%s: output lacks %q:\n%s", what, c, out)
			}
		}
		for _, c := range s.lacks {
			if strings.Contains(out, c) {
				t.Errorf("%s: output has %q:\n%s", what, c, out)
			}
		}
		if s.status != "" {
			attrs, inst, ok := w.restoreAttrs()
			if !ok || attrs["status"] != s.status || (inst == "tainted") != s.tainted {
				t.Fatalf("%s: state status=%v tainted=%v (found %v), want %s tainted=%v:\n%s", what, attrs["status"], inst == "tainted", ok, s.status, s.tainted, out)
			}
		}
	}
	if n := restorePOSTs(emu.requests(t)); n != row.restores {
		t.Errorf("restore submissions = %d, want %d", n, row.restores)
	}
	if row.openEnd {
		return
	}
	if row.status != "" {
		attrs, inst, ok := w.restoreAttrs()
		if !ok || attrs["status"] != row.status || inst == "tainted" {
			t.Errorf("final state: status=%v instance=%q (found %v), want %s, untainted", attrs["status"], inst, ok, row.status)
		}
		jobs := emu.jobs(t)
		if row.sameJob && (len(jobs) == 0 || attrs["job_id"] != jobs[0].ID) {
			t.Errorf("final state job_id=%v, want the first job the emulator ran (%+v)", attrs["job_id"], jobs)
		}
		for _, a := range []string{"engine", "target_engine_version", "restored_to", "submitted_at", "completed_at"} {
			if v, _ := attrs[a].(string); v == "" && !(a == "completed_at" && row.status == "Unknown") { // an end never seen
				t.Errorf("final state: %s is empty", a)
			}
		}
	}
	if plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color"); plan.ExitCode != 0 {
		t.Errorf("the last plain plan is not empty (exit %d):\n%s", plan.ExitCode, plan.output())
	}
}

// interruptApply runs apply and sends SIGINT once the provider is polling the restore job; it
// returns the command's output once the CLI has exited.
func (w *workspace) interruptApply(t *testing.T, emu *emulatorProc) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, stdout, stderr := w.command(ctx, nil, "apply", "-auto-approve", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waitFor(t, 2*time.Minute, "the provider to poll the restore job", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("apply ended before the interrupt (%v):\n%s\n%s", err, stdout.String(), stderr.String())
		default:
		}
		for _, r := range emu.requests(t) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/jobs") && r.Status == http.StatusOK {
				return true
			}
		}
		return false
	})
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err == nil {
			t.Logf("the interrupted apply exited 0") // the row's steps say what must hold
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the CLI did not exit within 60s of SIGINT:\n%s\n%s", stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// killApply runs apply and kills the CLI and its provider (SIGKILL to the process group, as a
// cancelled CI job or an out-of-memory kill would) right after the API took the restore.
func (w *workspace) killApply(t *testing.T, emu *emulatorProc) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, stdout, stderr := w.command(ctx, nil, "apply", "-auto-approve", "-no-color")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waitFor(t, 2*time.Minute, "the restore to be taken", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("apply ended before the kill (%v):\n%s\n%s", err, stdout.String(), stderr.String())
		default:
		}
		return len(emu.jobs(t)) > 0
	})
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil {
		t.Fatal("the killed apply exited 0")
	}
}

// rewriteBody replaces what follows the provider block in main.tf.
func (w *workspace) rewriteBody(t *testing.T, body string) {
	t.Helper()
	main := readFile(t, w.path("main.tf"))
	p := strings.Index(main, `provider "hwc"`)
	end := strings.Index(main[p:], "\n}\n")
	if p < 0 || end < 0 {
		t.Fatalf("main.tf has no provider block:\n%s", main)
	}
	w.write("main.tf", main[:p+end+3]+"\n"+body)
}

// submitOutside submits a backup restore onto target with the demo credentials, as the console
// or another pipeline would: a restore no state knows.
func submitOutside(t *testing.T, url, source, target, backup string) {
	t.Helper()
	c, err := rds.NewClient(rds.Config{
		Endpoint: url, IAMEndpoint: url, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
		Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Restore(context.Background(), rds.RestoreRequest{
		Source: rds.RestoreSource{InstanceID: source, Type: "backup", BackupID: backup},
		Target: rds.RestoreTarget{InstanceID: target},
	}); err != nil {
		t.Fatalf("restore outside the provider: %v", err)
	}
}

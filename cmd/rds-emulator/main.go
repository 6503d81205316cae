package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// version is set at release time through -ldflags "-X main.version=..."; a binary built by
// `go install .../cmd/rds-emulator@<version>` has no ldflags and takes the module's version from
// its build information (buildVersion).
var version = "dev"

// buildVersion is the version to print: the release's, else the module version go install
// recorded, else "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "rds-emulator:", err)
		os.Exit(1)
	}
}

type config struct {
	addr            string
	seedPath        string
	jobDuration     time.Duration
	jobVisibleAfter time.Duration
	jobQueueDelay   time.Duration
	backupDuration  time.Duration
	throttle        int
	statePath       string
	tlsCert, tlsKey string
	tlsSelfSigned   bool
	showVersion     bool
	ignoreUnknown   bool
	unconfirmed     emulator.Unconfirmed
}

// adminHelp ends the usage text: the admin endpoints, unsigned, beside the API's paths.
const adminHelp = `
Admin endpoints (unsigned, under /_emulator/):
  GET    /_emulator/health              200 {"status": "ok", "version": ...} once it serves
  GET    /_emulator/state               the state in the seed format, plus "jobs"
  GET    /_emulator/requests            the API requests received (DELETE clears them)
  POST   /_emulator/faults              inject faults (GET lists, DELETE clears them)
  POST   /_emulator/backups             add a backup: {"instance_id": ...} (auto, COMPLETED, ending now)
  PATCH  /_emulator/instances/{id}      change status, tags, databases, restore_time(_relative)
`

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("rds-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: rds-emulator [flags]   (rds-emulator -version prints the version)")
		fs.PrintDefaults()
		fmt.Fprint(stderr, adminHelp)
	}
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&c.seedPath, "seed", "", "seed `file` (JSON); default: the built-in demo seed")
	fs.DurationVar(&c.jobDuration, "job-duration", 0, "how long a restore job runs (default: the seed's job_duration, else 3s)")
	fs.DurationVar(&c.jobVisibleAfter, "job-visible-after", time.Second, "how long a new job id answers DBS.200543 (\"job does not exist\")")
	fs.DurationVar(&c.jobQueueDelay, "job-queue-delay", 0, "how long an accepted restore job sits queued (Running at 0%, target still ACTIVE but busy for another restore) before the target turns RESTORING and -job-duration runs")
	fs.DurationVar(&c.backupDuration, "backup-duration", emulator.DefaultBackupDuration, "how long a manual backup (POST /v3/{project_id}/backups) is BUILDING, its instance BACKING UP")
	throttle := fs.String("throttle", "0", "requests per minute per access key, as `N/min` or N; 0 = off")
	fs.StringVar(&c.statePath, "state", "", "state `file`: written after each change, read at start when present")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `file` (PEM; needs -tls-key)")
	fs.StringVar(&c.tlsKey, "tls-key", "", "private key `file` (PEM) of -tls-cert")
	fs.BoolVar(&c.tlsSelfSigned, "tls-self-signed", false, "serve HTTPS with a self-signed certificate made at start (for 127.0.0.1, ::1, localhost)")
	fs.BoolVar(&c.ignoreUnknown, "ignore-unknown-fields", false, "ignore unknown fields of request bodies instead of answering 400 DBS.200001")
	restoreStatus := fs.Int("restore-status", http.StatusAccepted, "HTTP status of an accepted restore: 202 or 200 (which the real API sends is unconfirmed)")
	fs.BoolVar(&c.unconfirmed.NoRetryAfter, "no-retry-after", false, "send 429 replies without a Retry-After header")
	taskList := fs.String("task-list", "full", "the task list: full, missing (404 APIGW.0101) or without-restores")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch *restoreStatus {
	case http.StatusAccepted:
	case http.StatusOK:
		c.unconfirmed.RestoreStatus200 = true
	default:
		return c, fmt.Errorf("-restore-status %d: want 202 or 200", *restoreStatus)
	}
	switch *taskList {
	case "full":
	case "missing":
		c.unconfirmed.TaskListMissing = true
	case "without-restores":
		c.unconfirmed.TaskListWithoutRestores = true
	default:
		return c, fmt.Errorf("-task-list %q: want full, missing or without-restores", *taskList)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.throttle, err = parseThrottle(*throttle); err != nil {
		return c, err
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return c, errors.New("-tls-cert and -tls-key go together")
	}
	if c.tlsSelfSigned && c.tlsCert != "" {
		return c, errors.New("-tls-self-signed and -tls-cert exclude each other")
	}
	if c.jobDuration < 0 || c.jobVisibleAfter < 0 || c.jobQueueDelay < 0 || c.backupDuration < 0 {
		return c, errors.New("-job-duration, -job-visible-after, -job-queue-delay and -backup-duration must not be negative")
	}
	return c, nil
}

// parseThrottle reads "60/min", "60/minute" or "60".
func parseThrottle(s string) (int, error) {
	s = strings.TrimSpace(s)
	num, unit, hasUnit := strings.Cut(s, "/")
	if hasUnit && unit != "min" && unit != "minute" && unit != "m" {
		return 0, fmt.Errorf("-throttle %q: the budget is per minute: write N/min", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("-throttle %q: want a number of requests per minute such as 60/min", s)
	}
	return n, nil
}

// run serves until ctx ends. It is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if c.showVersion {
		fmt.Fprintln(stdout, "rds-emulator", buildVersion())
		return nil
	}
	var seed *emulator.Seed
	if c.seedPath != "" {
		if seed, err = emulator.LoadSeed(c.seedPath); err != nil {
			return err
		}
	}
	em, err := emulator.New(emulator.Options{
		Seed: seed, JobDuration: c.jobDuration, JobVisibleAfter: c.jobVisibleAfter,
		JobQueueDelay: c.jobQueueDelay, BackupDuration: c.backupDuration, Throttle: c.throttle, StatePath: c.statePath,
		Unconfirmed: c.unconfirmed, IgnoreUnknownFields: c.ignoreUnknown, Version: buildVersion(),
		Logger: log.New(stderr, "rds-emulator: ", log.LstdFlags|log.Lmicroseconds),
	})
	if err != nil {
		return err
	}
	defer em.Close()

	srv := &http.Server{
		Handler:           em,
		ReadHeaderTimeout: 10 * time.Second,
		// Fault-injection drops and client aborts are expected here; keep net/http's own
		// complaints out of the request log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	scheme := "http"
	switch {
	case c.tlsSelfSigned:
		cert, err := selfSignedCertificate(time.Now())
		if err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		scheme = "https"
	case c.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("load TLS certificate: %w", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		scheme = "https"
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rds-emulator listening on %s://%s\n", scheme, displayAddr(ln.Addr()))
	if seed == nil {
		// The built-in seed's credentials are public demo values that open this emulator only,
		// so they are printed in full: a user needs them to point the provider here. A seed
		// file's secret keys are never printed.
		fmt.Fprintf(stdout, "built-in demo seed: region %s, project_id %s, access_key %s, secret_key %s (public demo values: they open this emulator only)\n",
			emulator.DemoRegion, emulator.DemoProjectID, emulator.DemoAccessKey, emulator.DemoSecretKey)
	}

	served := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
		} else {
			served <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stderr, "rds-emulator: stopped")
	return nil
}

// displayAddr is the address to print: an unspecified host (":8080", "0.0.0.0:0") is shown as
// 127.0.0.1 so that the printed URL can be used as it is.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return net.JoinHostPort(tcp.IP.String(), strconv.Itoa(tcp.Port))
}

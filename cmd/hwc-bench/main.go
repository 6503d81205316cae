package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/bench"
)

func main() {
	cli := flag.String("cli", "", "the OpenTofu or Terraform binary")
	quick := flag.Bool("quick", os.Getenv("BENCH_QUICK") == "1", "run the quick subset (also BENCH_QUICK=1)")
	only := flag.String("only", "", "comma-separated scenario numbers (1-based) to run")
	out := flag.String("out", "", "also write the table and goals to this file")
	keep := flag.Bool("keep", false, "keep the scratch directory (CLI logs, state)")
	flag.Parse()
	if *cli == "" {
		fmt.Fprintln(os.Stderr, "hwc-bench: -cli is required")
		os.Exit(2)
	}
	if os.Getenv("TF_CLI_CONFIG_FILE") == "" {
		fmt.Fprintln(os.Stderr, "hwc-bench: TF_CLI_CONFIG_FILE must point at a CLI configuration with dev_overrides for the provider")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	work, err := bench.TempWork()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hwc-bench:", err)
		os.Exit(1)
	}
	if !*keep {
		defer os.RemoveAll(work)
	}
	suite := &bench.Suite{CLI: *cli, Work: work, Log: os.Stderr}
	scenarios := bench.DefaultScenarios(*quick)
	pick := map[int]bool{}
	for _, s := range strings.Split(*only, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			pick[n] = true
		}
	}
	started := time.Now()
	var rows []bench.Row
	for i, sc := range scenarios {
		if len(pick) > 0 && !pick[i+1] {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		rows = append(rows, suite.Run(ctx, i+1, sc))
	}

	var buf bytes.Buffer
	w := io.MultiWriter(os.Stdout, &buf)
	fmt.Fprintf(w, "\nMachine: %s; %d cores (nproc); %s; %s; %s\n", cpuModel(), runtime.NumCPU(), runtime.Version(),
		bench.CLIVersion(*cli), map[bool]string{true: "quick subset", false: "full suite"}[*quick])
	fmt.Fprintf(w, "Suite wall time: %s\n\n", time.Since(started).Round(time.Second))
	bench.WriteTable(w, rows)
	fmt.Fprintln(w)
	for _, r := range rows {
		for _, n := range r.Notes {
			fmt.Fprintf(w, "- %s: %s\n", r.Scenario.Name, n)
		}
	}
	fmt.Fprintln(w)
	bench.WriteGoals(w, bench.Judge(bench.Goals, rows))
	if *keep {
		fmt.Fprintln(os.Stderr, "scratch directory kept:", work)
	}
	if *out != "" {
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "hwc-bench:", err)
			os.Exit(1)
		}
	}
	for _, r := range rows {
		if r.Err != nil {
			os.Exit(1)
		}
	}
}

// cpuModel is the "model name" of /proc/cpuinfo.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

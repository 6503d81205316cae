package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
	"github.com/opendrill/terraform-provider-hwc/internal/rules"
	"github.com/opendrill/terraform-provider-hwc/internal/service/lookup"
	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
	"github.com/opendrill/terraform-provider-hwc/internal/service/restore"
	"github.com/opendrill/terraform-provider-hwc/internal/service/signer"
)

// BenchmarkPlanManyRestores runs the plan-time checks of n restores from one source onto n
// targets at once, as one provider process does during a plan (GatherFacts through one lookup
// cache, then the API rules), against the in-process emulator, and reports the API calls per
// plan and how many of them read something already read (0: each instance and backup once).
func BenchmarkPlanManyRestores(b *testing.B) {
	for _, n := range []int{1, 20, 100} {
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			seed, targets := Seed(n)
			var calls, repeats int
			for i := 0; i < b.N; i++ {
				srv, err := emulator.New(emulator.Options{Seed: seed})
				if err != nil {
					b.Fatal(err)
				}
				ts := httptest.NewServer(srv)
				c, err := rds.NewClient(rds.Config{Endpoint: ts.URL, Region: emulator.DemoRegion, ProjectID: emulator.DemoProjectID,
					Credentials: signer.Credentials{AccessKey: emulator.DemoAccessKey, SecretKey: emulator.DemoSecretKey}})
				if err != nil {
					b.Fatal(err)
				}
				cache := lookup.New(c)
				var wg sync.WaitGroup
				for _, t := range targets {
					wg.Add(1)
					go func() {
						defer wg.Done()
						req := rules.Request{SourceInstanceID: emulator.MySQLSourceID, TargetInstanceID: t, BackupID: emulator.MySQLBackupID}
						f, err := restore.GatherFacts(context.Background(), cache, emulator.DemoRegion, req, rules.PhasePlan, time.Now())
						if err != nil {
							b.Error(err)
							return
						}
						for _, finding := range rules.CheckAPI(req, f) {
							if finding.Severity == rules.Error {
								b.Errorf("restore onto %s: %+v", t, finding)
							}
						}
					}()
				}
				wg.Wait()
				em := &Emulator{URL: ts.URL, Server: srv}
				out, err := em.Measure()
				if err != nil {
					b.Fatal(err)
				}
				calls, repeats = out.Calls, out.Repeats
				ts.Close()
				srv.Close()
			}
			b.ReportMetric(float64(calls), "calls/plan")
			b.ReportMetric(float64(calls)/float64(n), "calls/restore")
			b.ReportMetric(float64(repeats), "repeated-reads")
		})
	}
}

// Seed clones the MySQL target with fresh ids, every one a valid target for the source's backup.
func TestSeed_targetsAreDistinctAndValid(t *testing.T) {
	seed, ids := Seed(3)
	seen := map[string]bool{}
	for _, in := range seed.Instances {
		if seen[in.ID] {
			t.Fatalf("duplicate id %s", in.ID)
		}
		seen[in.ID] = true
	}
	for _, id := range ids {
		if !seen[id] || !strings.HasSuffix(id, "in01") || len(id) != 36 {
			t.Errorf("target id %q", id)
		}
	}
}

package rds

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkWatcherCrowd waits for 20 concurrent jobs (1.5 s each, submitted 5 ms apart, the
// watcher's intervals scaled down 20x) against a fake API whose targets are RESTORING while
// their job runs, and reports the calls per job: each job polled on its own (Client.WaitForJob)
// and the same jobs through a Watcher (shared listings). Figures, not timings.
func BenchmarkWatcherCrowd(b *testing.B) {
	for _, shared := range []bool{false, true} {
		b.Run(map[bool]string{false: "alone", true: "shared"}[shared], func(b *testing.B) {
			var reads, listings int64
			for i := 0; i < b.N; i++ {
				a := newCrowdAPI()
				h := a.handle(b)
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(w, r, nil) }))
				c, err := NewClient(Config{Endpoint: srv.URL, Region: "cn-north-4", ProjectID: testProject,
					Credentials: testCreds, MaxRetries: 3, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond})
				if err != nil {
					b.Fatal(err)
				}
				if shared {
					runCrowd(b, a, scale(NewWatcher(c)), 20, 1500*time.Millisecond, 0)
				} else {
					runAlone(b, a, c, 20, 1500*time.Millisecond)
				}
				reads, listings = a.jobReads.Load(), a.listings.Load()
				srv.Close()
			}
			b.ReportMetric(float64(reads+listings)/20, "calls/job")
			b.ReportMetric(float64(reads)/20, "job-reads/job")
			b.ReportMetric(float64(listings), "listings")
		})
	}
}

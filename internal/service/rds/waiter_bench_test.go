package rds

import (
	"testing"
	"time"
)

// BenchmarkWaiterSchedule runs the real schedule (nextPollDelay) against simulated jobs on a fake
// clock, the way the emulator runs them: the job id answers DBS.200543 for 1 s (the emulator's
// default), then `process` is the floor of a linear percentage; each poll takes 30 ms and samples
// the job halfway. 100 jobs per duration, started 0..1 s before the wait begins. It reports the
// job polls per job and the median and worst detection lag (job end -> reply that shows it).
//
// "submitted" is the restore runner's case (WaitOptions.SubmittedAt set: the first poll waits for
// the job to be queryable, and the submission anchors the first extrapolation); "refresh" is a
// wait that knows nothing of the job's start.
func BenchmarkWaiterSchedule(b *testing.B) {
	for _, mode := range []string{"submitted", "refresh"} {
		for _, d := range []time.Duration{5 * time.Second, 60 * time.Second, 600 * time.Second} {
			b.Run(mode+"/"+d.String(), func(b *testing.B) {
				opts := WaitOptions{}
				if mode == "submitted" {
					opts.SubmittedAt = submittedAtWaitStart
				}
				var st simStats
				for i := 0; i < b.N; i++ {
					st = simulateMany(d, 100, time.Second, 30*time.Millisecond, opts)
				}
				b.ReportMetric(st.MeanPolls, "polls/job")
				b.ReportMetric(st.MaxPolls, "max-polls/job")
				b.ReportMetric(float64(st.MedianLag.Microseconds())/1000, "median-lag-ms")
				b.ReportMetric(float64(st.WorstLag.Microseconds())/1000, "worst-lag-ms")
			})
		}
	}
}

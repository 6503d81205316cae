package bench

import (
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

func TestBusyGaps_backups(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339Nano) }
	backup := func(instance, endedAt string) emulator.Backup {
		return emulator.Backup{ID: "b-" + instance, InstanceID: instance, Type: "manual", EndedAt: endedAt}
	}
	job := func(instance string, startedAt string) emulator.JobRecord {
		return emulator.JobRecord{ID: "j-" + instance + startedAt, InstanceID: instance, StartedAt: startedAt}
	}
	cases := []struct {
		name      string
		backups   []emulator.Backup
		jobs      []emulator.JobRecord
		wantWorst time.Duration
		wantFound bool
	}{
		{"a submission 1.25 s after the backup's end", []emulator.Backup{backup("a", at(20*time.Second))},
			[]emulator.JobRecord{job("a", at(21250*time.Millisecond))}, 1250 * time.Millisecond, true},
		{"the first job after the end counts", []emulator.Backup{backup("a", at(20*time.Second))},
			[]emulator.JobRecord{job("a", at(40*time.Second)), job("a", at(22*time.Second))}, 2 * time.Second, true},
		{"a job before the end does not count", []emulator.Backup{backup("a", at(20*time.Second))},
			[]emulator.JobRecord{job("a", at(5*time.Second)), job("a", at(23*time.Second))}, 3 * time.Second, true},
		{"another instance's job does not count", []emulator.Backup{backup("a", at(20*time.Second))},
			[]emulator.JobRecord{job("b", at(21*time.Second))}, 0, false},
		{"a backup still building gives nothing", []emulator.Backup{backup("a", "")},
			[]emulator.JobRecord{job("a", at(21*time.Second))}, 0, false},
		{"no job after the backup", []emulator.Backup{backup("a", at(20*time.Second))}, nil, 0, false},
		{"the worst of several targets", []emulator.Backup{backup("a", at(20*time.Second)), backup("b", at(20*time.Second))},
			[]emulator.JobRecord{job("a", at(20500*time.Millisecond)), job("b", at(24*time.Second))}, 4 * time.Second, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			worst, found := busyGaps(c.backups, c.jobs)
			if worst != c.wantWorst || found != c.wantFound {
				t.Errorf("busyGaps = %s %v, want %s %v", worst, found, c.wantWorst, c.wantFound)
			}
		})
	}
}

package acctest

import (
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/emulator"
)

// SwitchSet is one answer to every behaviour of the real API that the API's documents leave
// unconfirmed (UNCONFIRMED in the package doc of internal/service/rds): whether the restore
// replies 200 or 202, whether a 429 carries Retry-After, how long a new job answers
// DBS.200543, and whether the task list exists and shows restores. The provider must work
// under each; the core restore tests run once per set.
type SwitchSet struct {
	Name string
	// Apply sets the set's switches on a test's options.
	Apply func(*Options)
}

// switchThrottle is the per-minute budget of the sets that exercise 429s: low enough that the
// restore tests meet the gateway's refusal, high enough that each finishes in a minute or two.
const switchThrottle = 12

// SwitchSets are the defaults, then sets that together flip every switch.
func SwitchSets() []SwitchSet {
	return []SwitchSet{
		{Name: "defaults", Apply: func(*Options) {}},
		{Name: "reply200_jobsInvisible3s_noTaskList", Apply: func(o *Options) {
			o.Unconfirmed.RestoreStatus200 = true
			o.JobVisibleAfter = 3 * time.Second
			o.Unconfirmed.TaskListMissing = true
		}},
		{Name: "throttled_noRetryAfter_taskListWithoutRestores", Apply: func(o *Options) {
			o.Throttle = switchThrottle
			o.Unconfirmed.NoRetryAfter = true
			o.Unconfirmed.TaskListWithoutRestores = true
		}},
		{Name: "throttled_withRetryAfter", Apply: func(o *Options) {
			o.Throttle = switchThrottle
			o.Unconfirmed = emulator.Unconfirmed{}
		}},
	}
}

// With returns o with the set's switches applied.
func (s SwitchSet) With(o Options) Options {
	s.Apply(&o)
	return o
}

package rds

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// statusSequence answers GetInstance with one status (or error) after another.
type statusSequence struct {
	answers []any // string status or error
	reads   int
}

func (s *statusSequence) GetInstance(_ context.Context, id string) (*Instance, error) {
	a := s.answers[min(s.reads, len(s.answers)-1)]
	s.reads++
	switch a := a.(type) {
	case error:
		return nil, a
	case string:
		return &Instance{ID: id, Status: a}, nil
	}
	panic("statusSequence: an answer is a status or an error")
}

func TestWaitForStatus_cases(t *testing.T) {
	transient := &Error{StatusCode: 503, Message: "unavailable"}
	gone := &Error{StatusCode: 404, Code: CodeInstanceNotFound}
	fast := InstanceWait{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}
	withTransient := fast
	withTransient.TransientFailures = 2
	stopOnFailed := fast
	stopOnFailed.StopOnFailed = true
	cases := []struct {
		name    string
		answers []any
		opts    InstanceWait
		reads   int
		others  []string
		wantErr func(error) bool
	}{
		{"active at once", []any{"ACTIVE"}, fast, 1, nil, nil},
		{"case-insensitive, others told", []any{"BACKING UP", "RESTORING", "active"}, fast, 3, []string{"BACKING UP", "RESTORING"}, nil},
		{"not found ends it", []any{gone}, withTransient, 1, nil, IsNotFound},
		{"a transient failure ends it by default", []any{transient, "ACTIVE"}, fast, 1, nil, func(err error) bool { return errors.As(err, new(*Error)) }},
		{"transient failures within the allowance", []any{transient, transient, "ACTIVE"}, withTransient, 3, nil, nil},
		{"transient failures beyond the allowance", []any{transient, transient, transient, "ACTIVE"}, withTransient, 3, nil, func(err error) bool { return errors.As(err, new(*Error)) }},
		{"failed waited for by default", []any{"FAILED", "ACTIVE"}, fast, 2, []string{"FAILED"}, nil},
		{"failed stops when asked", []any{"FAILED", "ACTIVE"}, stopOnFailed, 1, nil, stuck("FAILED")},
		{"frozen stops when asked", []any{"BACKING UP", "FROZEN", "ACTIVE"}, stopOnFailed, 2, []string{"BACKING UP"}, stuck("FROZEN")},
		{"storage full stops when asked", []any{"STORAGE FULL"}, stopOnFailed, 1, nil, stuck("STORAGE FULL")},
		{"create fail stops when asked", []any{"CREATE FAIL"}, stopOnFailed, 1, nil, stuck("CREATE FAIL")},
		{"shutdown stops when asked", []any{"SHUTDOWN"}, stopOnFailed, 1, nil, stuck("SHUTDOWN")},
		{"Stop ends it with its error", []any{"BACKING UP", "RESTORING", "ACTIVE"}, stopOn("RESTORING"), 2, []string{"BACKING UP"}, func(err error) bool { return errors.Is(err, errStopped) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &statusSequence{answers: tc.answers}
			var others []string
			opts := tc.opts
			opts.OnOther = func(s string) { others = append(others, s) }
			in, err := WaitForStatus(context.Background(), g, "i1", "ACTIVE", opts)
			if tc.wantErr == nil && (err != nil || !HasStatus(in, "ACTIVE")) {
				t.Fatalf("got %+v, %v", in, err)
			}
			if tc.wantErr != nil && (err == nil || !tc.wantErr(err)) {
				t.Fatalf("error %v", err)
			}
			if g.reads != tc.reads || !reflect.DeepEqual(others, tc.others) {
				t.Fatalf("%d reads, others %q; want %d, %q", g.reads, others, tc.reads, tc.others)
			}
		})
	}
}

var errStopped = errors.New("stopped")

// stopOn is a quick wait whose Stop refuses one status.
func stopOn(status string) InstanceWait {
	return InstanceWait{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Stop: func(in *Instance) error {
		if HasStatus(in, status) {
			return errStopped
		}
		return nil
	}}
}

// stuck checks that the wait stopped on a stuck state, with a message that names it and says
// waiting would only spend the timeout.
func stuck(status string) func(error) bool {
	return func(err error) bool {
		var s *StuckInstanceError
		return errors.As(err, &s) && s.Status == status &&
			strings.Contains(err.Error(), "is "+status) && strings.Contains(err.Error(), "would only spend the timeout")
	}
}

func TestWaitForStatus_contextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := WaitForStatus(ctx, &statusSequence{answers: []any{"BUILD"}}, "i1", "ACTIVE", InstanceWait{MinInterval: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) || err.Error() != "instance i1 is BUILD, still not ACTIVE: context deadline exceeded" {
		t.Fatalf("error %v", err)
	}
}

// While the instance is busy, Blocking waits for what keeps it busy and the instance is read again
// at once (no pause); once Blocking finds nothing, it is not asked again and the pauses grow.
func TestWaitForStatus_blocking(t *testing.T) {
	for _, tc := range []struct {
		name   string
		found  []bool // Blocking's answers in turn
		asked  int
		answer []any
	}{
		{"the blocking job waited for, then read at once", []bool{true}, 1, []any{"RESTORING", "ACTIVE"}},
		{"no blocking job: asked once", []bool{false}, 1, []any{"BACKING UP", "BACKING UP", "BACKING UP", "ACTIVE"}},
		{"one wait per pause", []bool{true, true}, 2, []any{"RESTORING", "RESTORING", "RESTORING", "ACTIVE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &statusSequence{answers: tc.answer}
			asked := 0
			opts := InstanceWait{MinInterval: time.Hour, MaxInterval: time.Hour, Blocking: func(context.Context, string) bool {
				asked++
				return tc.found[min(asked, len(tc.found))-1]
			}}
			if !tc.found[0] || len(tc.found) > 1 {
				opts.MinInterval, opts.MaxInterval = time.Millisecond, time.Millisecond
			}
			in, err := WaitForStatus(context.Background(), g, "i1", "ACTIVE", opts)
			if err != nil || !HasStatus(in, "ACTIVE") || asked != tc.asked {
				t.Fatalf("got %+v, %v; Blocking asked %d times, want %d", in, err, asked, tc.asked)
			}
		})
	}
}

// MaxPause replaces MaxInterval, and is asked with the time the wait has lasted.
func TestWaitForStatus_maxPause(t *testing.T) {
	var asked []time.Duration
	opts := InstanceWait{MinInterval: time.Millisecond, MaxInterval: time.Hour, MaxPause: func(waited time.Duration) time.Duration {
		asked = append(asked, waited)
		return 2 * time.Millisecond
	}}
	s := &statusSequence{answers: []any{"BACKING UP", "BACKING UP", "BACKING UP", "BACKING UP", "ACTIVE"}}
	start := time.Now()
	if _, err := WaitForStatus(context.Background(), s, "i1", StatusActive, opts); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("the wait took %v: the pauses grew past MaxPause", el)
	}
	if len(asked) != 4 || asked[3] <= asked[0] {
		t.Fatalf("MaxPause asked with %v, want the growing time of each of 4 pauses", asked)
	}
}

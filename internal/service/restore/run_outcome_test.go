package restore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// A lost reply that the target cannot explain is not a confirmed submission: the Result must not
// say Unconfirmed (which means "the target showed it was taken"), and OnSubmitted must not run, so
// the caller does not record a restore that may never have happened.
func TestRunner_lostReplyUnknowableConfirmsNothing(t *testing.T) {
	f := &fakeClient{restoreErrs: []error{rds.ErrOutcomeUnknown}, statuses: []string{rds.StatusActive}}
	called := false
	res, err := runner(f).Run(context.Background(), request("t1"), false, Hooks{
		OnSubmitted: func(string, time.Time) { called = true },
	})
	if !errors.Is(err, ErrOutcomeUnknowable) {
		t.Fatalf("err = %v, want ErrOutcomeUnknowable", err)
	}
	if res.Unconfirmed || called || res.JobID != "" || !res.SubmittedAt.IsZero() {
		t.Errorf("res = %+v, OnSubmitted called = %v: want an empty result and no hook", res, called)
	}
	var rerr *Error
	if !errors.As(err, &rerr) || rerr.Submitted || rerr.Stage != StageSubmit {
		t.Errorf("err = %#v, want a submit-stage *Error with Submitted false", err)
	}
}

package provider_test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// expectObjectives checks a completed restore's objectives against the times its state records:
// recovery_point_age_seconds is submitted_at minus restored_to, recovery_time_seconds is
// completed_at minus submitted_at (whole seconds), and the recovery time is at most maxRecovery.
func expectObjectives(maxRecovery time.Duration) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[restoreAddr]
		if !ok {
			return fmt.Errorf("%s is not in the state", restoreAddr)
		}
		a := rs.Primary.Attributes
		at := func(name string) (time.Time, error) {
			t, err := time.Parse(time.RFC3339, a[name])
			if err != nil {
				return t, fmt.Errorf("%s = %q: %w", name, a[name], err)
			}
			return t, nil
		}
		seconds := func(name string) (int64, error) {
			v, ok := a[name]
			if !ok {
				return 0, fmt.Errorf("%s is null for a restore with status %q", name, a["status"])
			}
			return strconv.ParseInt(v, 10, 64)
		}
		submitted, err := at("submitted_at")
		if err != nil {
			return err
		}
		completed, err := at("completed_at")
		if err != nil {
			return err
		}
		point, err := at("restored_to")
		if err != nil {
			return err
		}
		age, err := seconds("recovery_point_age_seconds")
		if err != nil {
			return err
		}
		took, err := seconds("recovery_time_seconds")
		if err != nil {
			return err
		}
		if want := max(int64(submitted.Sub(point)/time.Second), 0); age != want {
			return fmt.Errorf("recovery_point_age_seconds = %d, want %d (submitted_at %s, restored_to %s)", age, want, a["submitted_at"], a["restored_to"])
		}
		if want := max(int64(completed.Sub(submitted)/time.Second), 0); took != want || took > int64(maxRecovery/time.Second) {
			return fmt.Errorf("recovery_time_seconds = %d, want %d, at most %s (submitted_at %s, completed_at %s)", took, want, maxRecovery,
				a["submitted_at"], a["completed_at"])
		}
		return nil
	}
}

// int64Between is a number from lo to hi.
func int64Between(lo, hi int64) knownvalue.Check {
	return knownvalue.Int64Func(func(v int64) error {
		if v < lo || v > hi {
			return fmt.Errorf("%d is not between %d and %d", v, lo, hi)
		}
		return nil
	})
}

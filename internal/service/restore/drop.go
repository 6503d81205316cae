package restore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// DropClient is the part of the RDS client that drops databases.
type DropClient interface {
	DeleteDatabase(ctx context.Context, instanceID, name string) error
	ListAllDatabases(ctx context.Context, instanceID string) ([]rds.Database, error)
}

// defaultDropPoll is how often the instance is listed while a dropped database is still shown
// (SQL Server lists a database being dropped as "Deleting" for a while).
const defaultDropPoll = 2 * time.Second

// DropDatabases drops the named databases from an instance, right before a restore that creates
// databases of the same names (a copy drill running again), and waits until the instance no
// longer lists them, so that the restore does not meet a name that is still being dropped. The
// caller decides which names: this function drops exactly those and nothing else. A database that
// is already gone is not an error. poll 0 means every 2 seconds; ctx bounds the wait.
func DropDatabases(ctx context.Context, c DropClient, instanceID string, names []string, poll time.Duration) error {
	if len(names) == 0 {
		return nil
	}
	if poll <= 0 {
		poll = defaultDropPoll
	}
	for _, name := range names {
		for {
			err := c.DeleteDatabase(ctx, instanceID, name)
			if err == nil || gone(err) {
				break
			}
			if !rds.IsBusy(err) {
				return fmt.Errorf("dropping the database %q from %s before the restore failed: %w", name, instanceID, err)
			}
			// Busy (another restore on the instance): refused, nothing dropped; wait and ask again.
			if err := rds.Sleep(ctx, poll); err != nil {
				return fmt.Errorf("dropping the database %q from %s before the restore: the instance stayed busy: %w", name, instanceID, err)
			}
		}
	}
	for {
		dbs, err := c.ListAllDatabases(ctx, instanceID)
		if err != nil {
			return fmt.Errorf("listing the databases of %s after dropping %s failed: %w", instanceID, strings.Join(names, ", "), err)
		}
		var left []string
		for _, d := range dbs {
			for _, n := range names {
				if d.Name == n {
					left = append(left, n)
				}
			}
		}
		if len(left) == 0 {
			return nil
		}
		if err := rds.Sleep(ctx, poll); err != nil {
			return fmt.Errorf("the databases %s of %s were dropped but are still listed: %w", strings.Join(left, ", "), instanceID, err)
		}
	}
}

// gone says whether a DELETE failed because the database is not there (any more).
func gone(err error) bool {
	return isNotFound(err) || rds.IsCode(err, rds.CodeNoSuchDatabase)
}

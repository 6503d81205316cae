package restore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// The backup of the target taken right before a restore (backup_target_first): the undo of a
// drill. It follows the restore's exactly-once principles (run.go, reconcile.go): the POST is
// never resent after it may have reached the API; a lost reply is settled by listing the target's
// backups by a name that carries a token of this restore; it is resent once only on positive
// evidence that it was not taken (the listing answered at every look across the window, without
// the name, and the target stayed ACTIVE throughout); otherwise the outcome is unknown, said
// plainly. Whatever goes wrong, the restore is not submitted: the target is not touched.

// BackupClient is the part of the RDS client the backup before a restore needs.
type BackupClient interface {
	CreateManualBackup(ctx context.Context, req rds.CreateBackupRequest) (*rds.Backup, error)
	ListAllBackups(ctx context.Context, opts rds.ListBackupsOptions) ([]rds.Backup, error)
	GetBackup(ctx context.Context, instanceID, backupID string) (*rds.Backup, error)
	GetInstance(ctx context.Context, id string) (*rds.Instance, error)
}

// BackupNamePrefix begins the name of every backup taken before a restore.
const BackupNamePrefix = "hwc-pre-restore-"

// BackupName is the name of the backup taken before one restore: BackupNamePrefix and 8 hex
// digits derived from seed (what identifies this restore: its arguments and target) and at (when
// this create started), so that two restores, or two runs of one, never share a name.
func BackupName(seed string, at time.Time) string {
	sum := sha256.Sum256([]byte(seed + "\x00" + strconv.FormatInt(at.UnixNano(), 10)))
	return BackupNamePrefix + hex.EncodeToString(sum[:4])
}

// BackupFirst takes a manual backup of a restore's target and waits for it to be COMPLETED.
type BackupFirst struct {
	Client BackupClient
	Target string
	// Name carries a token of this restore (BackupName): a lost reply is settled by it.
	Name        string
	Description string
	// Poll is the pause between looks at a BUILDING backup (default 2 s).
	Poll time.Duration
	// SettleWindow and SettlePoll tune the settling of a lost reply (DefaultSettleWindow,
	// DefaultSettlePoll).
	SettleWindow, SettlePoll time.Duration
	// OnProgress reports each step.
	OnProgress func(msg string)
}

// BackupError is a backup before a restore that did not end COMPLETED: the restore was not
// submitted. ID is "" when the backup's id is not known; Unknown says that a lost reply could not
// be settled (a backup named Name may exist).
type BackupError struct {
	Target, Name, ID string
	Unknown          bool
	Err              error
}

func (e *BackupError) Error() string {
	what := fmt.Sprintf("the backup %q of target %s", e.Name, e.Target)
	if e.ID != "" {
		what = fmt.Sprintf("the backup %q (id %s) of target %s", e.Name, e.ID, e.Target)
	}
	if e.Unknown {
		return fmt.Sprintf("whether the API took %s is unknown: %v. The backup was not sent again and the restore "+
			"was not submitted: the target was not touched. Look for a backup named %q among the target's backups "+
			"before applying again", what, e.Err, e.Name)
	}
	return fmt.Sprintf("%s did not complete: %v. The restore was not submitted: the target was not touched", what, e.Err)
}

func (e *BackupError) Unwrap() error { return e.Err }

// ErrBackupFailed: the backup ended FAILED (the API gives no reason in the backup listing).
var ErrBackupFailed = errors.New("the API reports the backup FAILED")

// Take submits the backup once and waits for it to be COMPLETED within ctx. Any other end is a
// *BackupError.
func (b BackupFirst) Take(ctx context.Context) (*rds.Backup, error) {
	fail := func(id string, unknown bool, err error) (*rds.Backup, error) {
		return nil, &BackupError{Target: b.Target, Name: b.Name, ID: id, Unknown: unknown, Err: err}
	}
	req := rds.CreateBackupRequest{InstanceID: b.Target, Name: b.Name, Description: b.Description}
	var id string
	resent := false
	busyPause := b.poll()
	for {
		sentAt := time.Now()
		created, err := b.Client.CreateManualBackup(ctx, req)
		if err == nil {
			id = created.ID
			break
		}
		if rds.IsBusy(err) && !errors.Is(err, rds.ErrOutcomeUnknown) {
			if resent {
				// After a lost reply settled as not taken, the target busy may be that backup
				// after all, listed late: not sent a third time.
				return fail("", true, fmt.Errorf("its first reply was lost, the target's backups did not show it, and the "+
					"second was refused because the target is busy, perhaps with the first: %w", err))
			}
			// Refused, so not taken: the target is busy (a nightly automated backup, say).
			// Waited out, within ctx, with pauses that grow to maxBusyPause (the budget is shared
			// with every other call of the process), and sent again.
			b.progress(fmt.Sprintf("Target %s is busy (%v); sending the backup %s again once it is free", b.Target, err, b.Name))
			if serr := rds.Sleep(ctx, busyPause); serr != nil {
				return fail("", false, fmt.Errorf("the API refused it while the target was busy, until the wait ended (%w): %w", serr, err))
			}
			busyPause = min(2*busyPause, maxBusyPause)
			continue
		}
		if !errors.Is(err, rds.ErrOutcomeUnknown) {
			return fail("", false, fmt.Errorf("the API refused it: %w", err))
		}
		b.progress(fmt.Sprintf("The reply to the backup %s of %s was lost (%v); looking for it among the target's backups", b.Name, b.Target, err))
		sctx, cancel := settleContext(ctx, max(settleGrace, b.settleWindow()+settleGrace/3))
		found, notTaken, why := b.settle(sctx, sentAt)
		cancel()
		switch {
		case found != "":
			id = found
		case notTaken && !resent && ctx.Err() == nil:
			b.progress(fmt.Sprintf("The backup %s was not taken (%s); sending it again, once", b.Name, why))
			resent = true
			continue
		case notTaken && resent:
			return fail("", false, fmt.Errorf("it was sent twice, both replies were lost, and the target's backups show neither was taken (%s; %v); it is not sent a third time", why, err))
		default:
			return fail("", true, fmt.Errorf("%v; %s", err, why))
		}
		break
	}
	b.progress(fmt.Sprintf("Backup %s (%s) of %s taken; waiting for it to be COMPLETED", b.Name, id, b.Target))
	got, err := b.wait(ctx, id)
	if err != nil {
		return fail(id, false, err)
	}
	b.progress(fmt.Sprintf("Backup %s (%s) of %s COMPLETED", b.Name, id, b.Target))
	return got, nil
}

// settle looks for the backup named b.Name among the target's backups over the settle window.
// found is its id; notTaken is the positive evidence that it was not taken; why says what the
// looks showed.
func (b BackupFirst) settle(ctx context.Context, sentAt time.Time) (found string, notTaken bool, why string) {
	ctx = rds.WithPriority(ctx)
	window := b.settleWindow()
	poll := b.SettlePoll
	if poll <= 0 {
		poll = DefaultSettlePoll
	}
	end := time.Now().Add(window)
	listedAlways, activeAlways := true, true
	var lastErr error
	for {
		in, err := b.Client.GetInstance(ctx, b.Target)
		if err != nil || !strings.EqualFold(in.Status, rds.StatusActive) {
			activeAlways = false
			if err != nil {
				lastErr = err
			}
		}
		list, err := b.Client.ListAllBackups(ctx, rds.ListBackupsOptions{InstanceID: b.Target})
		if err != nil {
			listedAlways, lastErr = false, err
		}
		var named []string
		for _, x := range list {
			if x.Name == b.Name {
				named = append(named, x.ID)
			}
		}
		switch len(named) {
		case 0:
		case 1:
			return named[0], false, ""
		default:
			return "", false, fmt.Sprintf("the target lists %d backups named %q (%s), so which is this one cannot be told", len(named), b.Name, strings.Join(named, ", "))
		}
		if time.Now().After(end) || ctx.Err() != nil || rds.Sleep(ctx, poll) != nil {
			break
		}
	}
	if listedAlways && activeAlways && ctx.Err() == nil {
		return "", true, fmt.Sprintf("no backup named %q appeared on %s within %s of %s, and the target stayed ACTIVE throughout",
			b.Name, b.Target, window, sentAt.UTC().Format(time.RFC3339))
	}
	why = fmt.Sprintf("no backup named %q is listed on %s, but ", b.Name, b.Target)
	if !listedAlways {
		why += fmt.Sprintf("the target's backups could not be listed at every look (%v), so the absence proves nothing", lastErr)
	} else {
		why += "the target was not ACTIVE at every look (a backup makes it BACKING UP), so the absence proves nothing"
	}
	return "", false, why
}

// wait polls the backup until it is no longer BUILDING.
func (b BackupFirst) wait(ctx context.Context, id string) (*rds.Backup, error) {
	poll := b.poll()
	var missingSince time.Time
	for {
		got, err := b.Client.GetBackup(ctx, b.Target, id)
		switch {
		case err == nil && strings.EqualFold(got.Status, rds.BackupCompleted):
			return got, nil
		case err == nil && !strings.EqualFold(got.Status, rds.BackupBuilding):
			if strings.EqualFold(got.Status, rds.BackupFailed) {
				return nil, ErrBackupFailed
			}
			return nil, fmt.Errorf("the backup is %s, not COMPLETED", got.Status)
		case err != nil && isNotFound(err):
			// A listing may lag behind the creation for a moment; a backup that stays missing is gone.
			if missingSince.IsZero() {
				missingSince = time.Now()
			} else if time.Since(missingSince) > b.settleWindow() {
				return nil, fmt.Errorf("the target no longer lists the backup: %w", err)
			}
		case err != nil:
			return nil, fmt.Errorf("reading the backup failed: %w", err)
		default:
			missingSince = time.Time{}
		}
		if err := rds.Sleep(ctx, poll); err != nil {
			return nil, fmt.Errorf("the backup was still BUILDING when the deadline ran out (raise the create timeout): %w", err)
		}
	}
}

// maxBusyPause caps the pause before a backup refused as busy is sent again: two calls a minute
// at most, of the 60 the API allows.
const maxBusyPause = 30 * time.Second

// poll is the pause between looks at a building backup, and before a backup refused as busy is
// sent again.
func (b BackupFirst) poll() time.Duration {
	if b.Poll <= 0 {
		return 2 * time.Second
	}
	return b.Poll
}

func (b BackupFirst) settleWindow() time.Duration {
	if b.SettleWindow > 0 {
		return b.SettleWindow
	}
	return DefaultSettleWindow
}

func (b BackupFirst) progress(msg string) {
	if b.OnProgress != nil {
		b.OnProgress(msg)
	}
}

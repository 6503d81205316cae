package rds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// ListBackupsOptions filters GET /v3/{project_id}/backups. InstanceID is required by the API;
// BeginTime and EndTime (format 2020-01-01T00:00:00+0800) go together.
type ListBackupsOptions struct {
	InstanceID, BackupID, BackupType, BeginTime, EndTime string
	Offset, Limit                                        int // Limit 1..100; 0 = the API's default
}

// ListBackups reads one page of an instance's backups.
func (c *Client) ListBackups(ctx context.Context, opts ListBackupsOptions) (*ListBackupsResponse, error) {
	if opts.InstanceID == "" {
		return nil, errors.New("RDS client: listing backups needs an instance id")
	}
	if (opts.BeginTime == "") != (opts.EndTime == "") {
		return nil, errors.New("RDS client: listing backups needs both begin_time and end_time, or neither")
	}
	q := url.Values{"instance_id": {opts.InstanceID}}
	setIf(q, "backup_id", opts.BackupID)
	setIf(q, "backup_type", opts.BackupType)
	setIf(q, "begin_time", opts.BeginTime)
	setIf(q, "end_time", opts.EndTime)
	setIntIf(q, "offset", opts.Offset)
	setIntIf(q, "limit", opts.Limit)
	var out ListBackupsResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:  apiPath{"v3", projectSegment, "backups"},
		query: q, idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAllBackups reads every page of an instance's backups from opts.Offset on (walkPages).
func (c *Client) ListAllBackups(ctx context.Context, opts ListBackupsOptions) ([]Backup, error) {
	if opts.Limit <= 0 || opts.Limit > maxPageSize {
		opts.Limit = maxPageSize
	}
	var all []Backup
	_, _, err := walkPages(opts.Offset, 0, func(offset int) ([]Backup, int, error) {
		opts.Offset = offset
		page, err := c.ListBackups(ctx, opts)
		if err != nil {
			return nil, 0, err
		}
		return page.Backups, page.TotalCount, nil
	}, func(page []Backup) { all = append(all, page...) })
	if err != nil {
		return nil, err
	}
	return all, nil
}

// GetBackup reads one backup of an instance. When there is none with that id it returns an
// *Error with StatusCode 404 and Code DBS.201010 (NotFound() is true).
func (c *Client) GetBackup(ctx context.Context, instanceID, backupID string) (*Backup, error) {
	if backupID == "" {
		return nil, errors.New("RDS client: GetBackup needs a backup id")
	}
	page, err := c.ListBackups(ctx, ListBackupsOptions{InstanceID: instanceID, BackupID: backupID})
	if err != nil {
		return nil, err
	}
	for i := range page.Backups {
		if page.Backups[i].ID == backupID {
			return &page.Backups[i], nil
		}
	}
	return nil, &Error{
		StatusCode: 404, Code: CodeBackupNotFound,
		Message: fmt.Sprintf("instance %s has no backup %s", instanceID, backupID),
		Method:  "GET", Path: apiPath{"v3", projectSegment, "backups"}.template(),
	}
}

// ListRestoreTimes reads the point-in-time restore windows of an instance
// (GET /v3/{project_id}/instances/{id}/restore-time), optionally for one UTC date (yyyy-mm-dd).
func (c *Client) ListRestoreTimes(ctx context.Context, instanceID, date string) ([]RestoreTimeRange, error) {
	if instanceID == "" {
		return nil, errors.New("RDS client: listing restore times needs an instance id")
	}
	q := url.Values{}
	setIf(q, "date", date)
	var out RestoreTimeResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:  apiPath{"v3", projectSegment, "instances", instanceID, "restore-time"},
		query: q, idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return out.RestoreTime, nil
}

// CreateManualBackup takes a manual backup of an instance (POST /v3/{project_id}/backups) and
// returns it as the reply lists it (BUILDING, with its id).
//
// Like the restore, it is never resent after it may have reached the server: a second backup
// would be a second one, and a caller that promises one backup could not tell which is its own.
// It is retried only when it provably did not get to RDS; every failure after the request was
// written wraps ErrOutcomeUnknown, and the caller settles it by listing the instance's backups
// by the name it gave (a name that carries a token of its own).
func (c *Client) CreateManualBackup(ctx context.Context, req CreateBackupRequest) (*Backup, error) {
	if req.InstanceID == "" || req.Name == "" {
		return nil, errors.New("RDS client: a manual backup needs an instance id and a name")
	}
	var out CreateBackupResponse
	cl := call{
		service: "RDS", method: "POST", base: c.rdsBase,
		path: apiPath{"v3", projectSegment, "backups"},
		body: req, idempotent: false, project: true,
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Backup.ID == "" {
		// Accepted but without an id: the backup may well be building.
		c.stats.outcomeUnknown.Add(1)
		return nil, fmt.Errorf("RDS API POST %s: the reply has no backup id: %w", cl.path.template(), ErrOutcomeUnknown)
	}
	if out.Backup.InstanceID == "" {
		out.Backup.InstanceID = req.InstanceID
	}
	return &out.Backup, nil
}

// DeleteBackup deletes a manual backup (DELETE /v3/{project_id}/backups/{backup_id}). It is
// idempotent in effect: after a resend, CodeBackupNotFound can mean "deleted by the first
// attempt".
func (c *Client) DeleteBackup(ctx context.Context, backupID string) error {
	if backupID == "" {
		return errors.New("RDS client: deleting a backup needs a backup id")
	}
	return c.do(ctx, call{
		service: "RDS", method: "DELETE", base: c.rdsBase,
		path:       apiPath{"v3", projectSegment, "backups", backupID},
		idempotent: true, project: true,
	}, nil)
}

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

package rds

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"
)

// Task is one item of GET /v3/{project_id}/tasklist. Times are written like
// 2018-08-06T10:41:14+0800; Process is a percentage while the task runs, else "".
//
// Whether a restore appears here, and with its job id as ID, is not confirmed for the real
// cloud: a caller must work when the list is missing (404 APIGW.0101) or silent about restores.
type Task struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	InstanceID     string `json:"instance_id"`
	InstanceName   string `json:"instance_name"`
	InstanceStatus string `json:"instance_status"`
	OrderID        string `json:"order_id"`
	Process        string `json:"process"`
	FailReason     string `json:"fail_reason"`
	CreateTime     string `json:"create_time"`
	EndTime        string `json:"end_time"`
	Status         string `json:"status"`
}

// ListTasksResponse is the reply of the task list.
type ListTasksResponse struct {
	Tasks      []Task   `json:"tasks"`
	TotalCount int      `json:"total_count"`
	Actions    []string `json:"actions"`
}

// ListTasksOptions are the task list's query parameters; zero values are not sent. StartTime
// and EndTime (sent as Unix milliseconds, UTC) filter by creation time and go together.
type ListTasksOptions struct {
	ID, InstanceID, OrderID, Name string
	Status                        string // JobRunning, JobCompleted or JobFailed
	StartTime, EndTime            time.Time
	Offset                        int
	Limit                         int // 1..50; 0 = the API's default (10); ListTasks uses 50
}

// maxTaskPageSize is the task list's largest page (smaller than the other listings').
const maxTaskPageSize = 50

func (o ListTasksOptions) query() url.Values {
	q := url.Values{}
	setIf(q, "id", o.ID)
	setIf(q, "instance_id", o.InstanceID)
	setIf(q, "order_id", o.OrderID)
	setIf(q, "name", o.Name)
	setIf(q, "status", o.Status)
	if !o.StartTime.IsZero() {
		q.Set("start_time", strconv.FormatInt(o.StartTime.UnixMilli(), 10))
	}
	if !o.EndTime.IsZero() {
		q.Set("end_time", strconv.FormatInt(o.EndTime.UnixMilli(), 10))
	}
	setIntIf(q, "offset", o.Offset)
	setIntIf(q, "limit", o.Limit)
	return q
}

// ListTasksPage reads one page of the task list (GET /v3/{project_id}/tasklist).
func (c *Client) ListTasksPage(ctx context.Context, opts ListTasksOptions) (*ListTasksResponse, error) {
	if opts.StartTime.IsZero() != opts.EndTime.IsZero() {
		return nil, errors.New("RDS client: listing tasks needs both a start time and an end time, or neither")
	}
	var out ListTasksResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:  apiPath{"v3", projectSegment, "tasklist"},
		query: opts.query(), idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListTasks reads every page of the task list from opts.Offset on. A cloud without the task
// list answers 404 APIGW.0101: the *Error is returned as is (IsCode(err, CodeNoSuchAPI)).
func (c *Client) ListTasks(ctx context.Context, opts ListTasksOptions) ([]Task, error) {
	if opts.Limit <= 0 || opts.Limit > maxTaskPageSize {
		opts.Limit = maxTaskPageSize
	}
	var all []Task
	if _, _, err := c.taskPages(ctx, opts, 0, func(page []Task) { all = append(all, page...) }); err != nil {
		return nil, err
	}
	return all, nil
}

// taskPages reads the task list page by page from opts.Offset on, for at most maxPages pages
// (<= 0: every page), and gives each page to each (walkPages).
func (c *Client) taskPages(ctx context.Context, opts ListTasksOptions, maxPages int, each func([]Task)) (pages int, complete bool, err error) {
	return walkPages(opts.Offset, maxPages, func(offset int) ([]Task, int, error) {
		opts.Offset = offset
		page, err := c.ListTasksPage(ctx, opts)
		if err != nil {
			return nil, 0, err
		}
		return page.Tasks, page.TotalCount, nil
	}, each)
}

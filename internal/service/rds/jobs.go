package rds

import (
	"context"
	"errors"
	"net/url"
)

// GetJob reads a job (GET /v3/{project_id}/jobs?id=). A job that is too new or too old to be
// queried gives an *Error with Code DBS.200543 (see IsJobNotFound); it is not NotFound().
func (c *Client) GetJob(ctx context.Context, jobID string) (*Job, error) {
	if jobID == "" {
		return nil, errors.New("RDS client: GetJob needs a job id")
	}
	var out JobResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:  apiPath{"v3", projectSegment, "jobs"},
		query: url.Values{"id": {jobID}}, idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out.Job, nil
}

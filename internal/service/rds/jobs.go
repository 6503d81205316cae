package rds

import (
	"context"
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
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

// parseProcess reads a job's or a task's process, "60%" (or "60") as 60, "60.5%" as 60.5;
// anything else as -1 (unknown).
func parseProcess(s string) float64 {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return -1
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	return min(v, 100)
}

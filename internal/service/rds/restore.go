package rds

import (
	"context"
	"errors"
	"fmt"
)

// Restore submits a restore to an existing instance (POST /v3.1/{project_id}/instances/recovery)
// and returns the job id.
//
// It is never resent after it may have reached the server: a second restore onto the same target
// destroys whatever was written after the first. So it is retried only when it provably did not
// get to RDS (the connection could not be made, or the gateway throttled it with 429), and every
// failure after the request was written comes back as an error that wraps ErrOutcomeUnknown. The
// caller then has to find out from the target whether the restore was taken.
//
// The request is sent as given: SQL Server-only fields (database_name, restore_all_database) are
// omitted unless set, because the API rejects them for other engines.
func (c *Client) Restore(ctx context.Context, req RestoreRequest) (*RestoreResponse, error) {
	if req.Source.InstanceID == "" || req.Target.InstanceID == "" {
		return nil, errors.New("RDS client: a restore needs source.instance_id and target.instance_id")
	}
	var out RestoreResponse
	cl := call{
		service: "RDS", method: "POST", base: c.rdsBase,
		path: apiPath{"v3.1", projectSegment, "instances", "recovery"},
		body: req, idempotent: false, project: true,
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.JobID == "" {
		// Accepted (2xx) but without a job id: the restore may well be running, and there is
		// nothing to wait for. Same handling as a lost reply.
		c.stats.outcomeUnknown.Add(1)
		return nil, fmt.Errorf("RDS API POST %s: the reply has no job_id: %w", cl.path.template(), ErrOutcomeUnknown)
	}
	return &out, nil
}

package rds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// EnsureProjectID looks the project id up by region through IAM when none was configured, once:
// concurrent callers wait for the same lookup. Every project-scoped call runs it, so calling it
// up front is only needed to surface a configuration error early.
func (c *Client) EnsureProjectID(ctx context.Context) error {
	if c.ProjectID() != "" {
		return nil
	}
	c.projectMu.Lock()
	defer c.projectMu.Unlock()
	if c.ProjectID() != "" { // someone else looked it up while we waited
		return nil
	}
	if c.region == "" {
		return errors.New("RDS client: no project_id is configured and no region to look it up by: set project_id or region")
	}
	id, err := c.LookupProjectID(ctx, c.region)
	if err != nil {
		return err
	}
	c.projectID.Store(&id)
	return nil
}

// LookupProjectID finds the id of the IAM project named region (GET {iam}/v3/projects?name=).
// Zero or several matches is an error that says what to do.
func (c *Client) LookupProjectID(ctx context.Context, region string) (string, error) {
	if region == "" {
		return "", errors.New("RDS client: looking up the project id needs a region")
	}
	if c.iamBase == nil {
		return "", fmt.Errorf("RDS client: no project_id is configured and no IAM endpoint to look it up for region %q: set project_id or the iam endpoint", region)
	}
	var out ListProjectsResponse
	err := c.do(ctx, call{
		service: "IAM", method: "GET", base: c.iamBase,
		path:  apiPath{"v3", "projects"},
		query: url.Values{"name": {region}}, idempotent: true,
	}, &out)
	if err != nil {
		return "", fmt.Errorf("looking up the project id of region %q: %w", region, err)
	}
	// The API filters by name already; filtering again guards against a server (or a proxy) that
	// ignores the filter and lists every project.
	var ids []string
	for _, p := range out.Projects {
		if p.Name == region && p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", fmt.Errorf("IAM has no project named %q for these credentials: check the region, or set project_id explicitly", region)
	default:
		return "", fmt.Errorf("IAM has %d projects named %q (%s): set project_id to the one to use", len(ids), region, strings.Join(ids, ", "))
	}
}

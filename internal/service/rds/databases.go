package rds

import (
	"context"
	"errors"
	"net/url"
	"strconv"
)

// ListDatabases reads one page of an instance's databases
// (GET /v3/{project_id}/instances/{id}/database/detail). page counts from 1 (0 means 1) and
// limit is 1..100 (0 means 100).
func (c *Client) ListDatabases(ctx context.Context, instanceID string, page, limit int) (*ListDatabasesResponse, error) {
	if instanceID == "" {
		return nil, errors.New("RDS client: listing databases needs an instance id")
	}
	if page <= 0 {
		page = 1
	}
	if limit <= 0 || limit > maxPageSize {
		limit = maxPageSize
	}
	var out ListDatabasesResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:       apiPath{"v3", projectSegment, "instances", instanceID, "database", "detail"},
		query:      url.Values{"page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(limit)}},
		idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAllDatabases follows page numbers until total_count databases are read.
func (c *Client) ListAllDatabases(ctx context.Context, instanceID string) ([]Database, error) {
	var all []Database
	for page := 1; ; page++ {
		resp, err := c.ListDatabases(ctx, instanceID, page, maxPageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, resp.Databases...)
		if len(resp.Databases) == 0 || len(all) >= resp.TotalCount {
			return all, nil
		}
	}
}

// GetConfigurations reads an instance's parameters (GET /v3/{project_id}/instances/{id}/configurations),
// e.g. lower_case_table_names for MySQL. Whether a parameter is listed is not documented, so an
// absent one means "unknown", not a default; see (*ConfigurationsResponse).Parameter.
func (c *Client) GetConfigurations(ctx context.Context, instanceID string) (*ConfigurationsResponse, error) {
	if instanceID == "" {
		return nil, errors.New("RDS client: reading configurations needs an instance id")
	}
	var out ConfigurationsResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:       apiPath{"v3", projectSegment, "instances", instanceID, "configurations"},
		idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Parameter returns the value of the named parameter and whether it was listed.
func (r *ConfigurationsResponse) Parameter(name string) (string, bool) {
	if r == nil {
		return "", false
	}
	for _, p := range r.ConfigurationParameters {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// deleteDatabaseResponse is the reply of the database deletion: {"resp": "successful"}.
type deleteDatabaseResponse struct {
	Resp string `json:"resp"`
}

// DeleteDatabase drops one database of an instance
// (DELETE /v3/{project_id}/instances/{instance_id}/database/{db_name}). A database the instance
// does not have is an *Error with Code CodeNoSuchDatabase; a lost reply may be resent (the
// deletion is idempotent in effect), so after a retry that code can also mean "deleted by the
// first attempt". An instance that is not ACTIVE refuses (409).
func (c *Client) DeleteDatabase(ctx context.Context, instanceID, dbName string) error {
	if instanceID == "" || dbName == "" {
		return errors.New("RDS client: deleting a database needs an instance id and a database name")
	}
	var out deleteDatabaseResponse
	return c.do(ctx, call{
		service: "RDS", method: "DELETE", base: c.rdsBase,
		path:       apiPath{"v3", projectSegment, "instances", instanceID, "database", dbName},
		idempotent: true, project: true,
	}, &out)
}

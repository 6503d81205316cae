package rds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// ListInstancesOptions filters GET /v3/{project_id}/instances. Zero values are not sent.
type ListInstancesOptions struct {
	ID, Name, Type, DatastoreType string
	Offset, Limit                 int // Limit 1..100; 0 = the API's default (100)
}

// maxPageSize is the API's largest page for instances, backups and databases.
const maxPageSize = 100

// ListInstances reads one page of instances.
func (c *Client) ListInstances(ctx context.Context, opts ListInstancesOptions) (*ListInstancesResponse, error) {
	q := url.Values{}
	setIf(q, "id", opts.ID)
	setIf(q, "name", opts.Name)
	setIf(q, "type", opts.Type)
	setIf(q, "datastore_type", opts.DatastoreType)
	setIntIf(q, "offset", opts.Offset)
	setIntIf(q, "limit", opts.Limit)
	var out ListInstancesResponse
	err := c.do(ctx, call{
		service: "RDS", method: "GET", base: c.rdsBase,
		path:  apiPath{"v3", projectSegment, "instances"},
		query: q, idempotent: true, project: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAllInstances reads every page of instances from opts.Offset on (ListInstancePages).
func (c *Client) ListAllInstances(ctx context.Context, opts ListInstancesOptions) ([]Instance, error) {
	var all []Instance
	if _, _, err := ListInstancePages(ctx, c, opts, 0, func(page []Instance) { all = append(all, page...) }); err != nil {
		return nil, err
	}
	return all, nil
}

// GetInstance reads one instance by id (the listing filtered with ?id=). When there is no such
// instance it returns an *Error with StatusCode 404 and Code DBS.200002, so NotFound() is true,
// just as if the API had a get-by-id call.
func (c *Client) GetInstance(ctx context.Context, id string) (*Instance, error) {
	if id == "" {
		// An empty filter would list every instance; never mistake the first one for a match.
		return nil, errors.New("RDS client: GetInstance needs an instance id")
	}
	page, err := c.ListInstances(ctx, ListInstancesOptions{ID: id})
	if err != nil {
		return nil, err
	}
	// The filter is trusted only for an exact match: a server that ignores it (or matches
	// prefixes) must not hand back another instance.
	for i := range page.Instances {
		if page.Instances[i].ID == id {
			return &page.Instances[i], nil
		}
	}
	return nil, &Error{
		StatusCode: 404, Code: CodeInstanceNotFound,
		Message: fmt.Sprintf("instance %s does not exist in this project and region", id),
		Method:  "GET", Path: apiPath{"v3", projectSegment, "instances"}.template(),
	}
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

func setIntIf(q url.Values, key string, value int) {
	if value > 0 {
		q.Set(key, strconv.Itoa(value))
	}
}

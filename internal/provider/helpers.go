package provider

// Small helpers shared by the resource, the action and the data sources: values, lists and the
// diagnostics more than one type reports.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// isKnownValue says whether a configured value is there to be checked.
func isKnownValue(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// pick is the first value that is not empty ("" when all are).
func pick(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// pickKnown is a, or b when a is not known yet (a computed value the plan could not know).
func pickKnown(a, b types.String) types.String {
	if a.IsUnknown() {
		return b
	}
	return a
}

// stringOrNull is null for "" (the API left the field out).
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// containsFold says whether list holds v, compared without letter case.
func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// quoteNames lists names for a message: "a", "b".
func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// addInstanceNotFound reports an instance ID that the API does not know, on the attribute that
// named it. Shared by the data sources that take an instance_id.
func addInstanceNotFound(diags *diag.Diagnostics, pd *providerData, attr, id string) {
	diags.AddAttributeError(path.Root(attr), "RDS Instance Not Found",
		fmt.Sprintf("%s is %q, but no such RDS instance exists in project %s (region %s). Check the ID and the provider's "+
			"region (the `hwc_rds_instances` data source lists the instances there).", attr, id, pd.client.ProjectID(), pd.client.Region()))
}

// asAPIError unwraps an API error.
func asAPIError(err error) (*rds.Error, bool) {
	var apiErr *rds.Error
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// isServerError reports a 5xx from the API or its gateway.
func isServerError(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode >= 500
}

// knownStrings are the elements of a list of strings; none while the list is null or unknown.
func knownStrings(ctx context.Context, l types.List) ([]string, diag.Diagnostics) {
	if !isKnownValue(l) {
		return nil, nil
	}
	var out []string
	d := l.ElementsAs(ctx, &out, false)
	return out, d
}

// stateTime is how the resource records a moment (submitted_at, completed_at, and restored_to
// of a backup): RFC 3339, UTC, to the second. parseStateTime reads it back.
func stateTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseStateTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

// msTime is how the resource records a point in time given in Unix milliseconds (restored_to of a
// restore_time), and what provider::hwc::rfc3339 returns: RFC 3339, UTC, to the second, with the
// milliseconds only when they are not zero (and without trailing zeros). parseStateTime reads it.
func msTime(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }

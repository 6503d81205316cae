package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// instanceLocked finds an instance by id; nil when there is none.
func (s *Server) instanceLocked(id string) *SeedInstance {
	for _, in := range s.instances {
		if in.ID == id {
			return in
		}
	}
	return nil
}

// instanceView is an instance as the list call returns it. The collation is an SQL Server fact;
// other engines' replies leave it out.
func instanceView(in *SeedInstance) rds.Instance {
	v := in.Instance
	v.Nodes = append([]rds.Node(nil), in.Nodes...)
	if !isSQLServer(in.Datastore.Type) {
		v.Collation = ""
	}
	return v
}

// GET /v3/{project_id}/instances?id=&name=&type=&datastore_type=&offset=&limit=
func (s *Server) listInstances(c *call) (int, any, *apiError) {
	q := c.query
	offset, limit, err := offsetLimit(q)
	if err != nil {
		return 0, nil, err
	}
	if err := oneOf(q, "type", "Single", "Ha", "Replica"); err != nil {
		return 0, nil, err
	}
	if err := oneOf(q, "datastore_type", "MySQL", "PostgreSQL", "SQLServer", "MariaDB"); err != nil {
		return 0, nil, err
	}
	id, name, typ, engine := q.Get("id"), q.Get("name"), q.Get("type"), q.Get("datastore_type")
	matched := []rds.Instance{}
	for _, in := range s.instances {
		if (id != "" && in.ID != id) || (name != "" && in.Name != name) ||
			(typ != "" && !strings.EqualFold(in.Type, typ)) ||
			(engine != "" && !strings.EqualFold(in.Datastore.Type, engine)) {
			continue
		}
		matched = append(matched, instanceView(in))
	}
	return http.StatusOK, rds.ListInstancesResponse{Instances: page(matched, offset, limit), TotalCount: len(matched)}, nil
}

// GET /v3/{project_id}/instances/{instance_id}/restore-time?date=yyyy-mm-dd
// With a date (UTC), the windows are cut to that day; without one, all windows are returned.
func (s *Server) restoreTime(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	windows := []rds.RestoreTimeRange{}
	date := c.query.Get("date")
	if date == "" {
		windows = append(windows, in.RestoreTime...)
		return http.StatusOK, rds.RestoreTimeResponse{RestoreTime: windows}, nil
	}
	day, err := time.Parse("2006-01-02", date)
	if err != nil {
		return 0, nil, badParam(fmt.Sprintf("Invalid parameter: date=%q must be yyyy-mm-dd", date))
	}
	from, to := day.UnixMilli(), day.Add(24*time.Hour).UnixMilli()-1
	for _, w := range in.RestoreTime {
		if w.EndTime < from || w.StartTime > to {
			continue
		}
		windows = append(windows, rds.RestoreTimeRange{StartTime: max(w.StartTime, from), EndTime: min(w.EndTime, to)})
	}
	return http.StatusOK, rds.RestoreTimeResponse{RestoreTime: windows}, nil
}

// GET /v3/{project_id}/instances/{instance_id}/database/detail?page=1&limit=100
// SQL Server databases that a running restore is creating are listed with state "Creating".
func (s *Server) listDatabases(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	pageNo, err := intParam(c.query, "page", 1, 1, maxPage)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intParam(c.query, "limit", maxLimit, 1, maxLimit)
	if err != nil {
		return 0, nil, err
	}
	sqlServer := isSQLServer(in.Datastore.Type)
	charset := characterSet(in)
	all := []rds.Database{}
	for _, name := range in.Databases {
		d := rds.Database{Name: name, CharacterSet: charset}
		if sqlServer {
			d.State = "Running"
		}
		all = append(all, d)
	}
	if sqlServer {
		for _, name := range s.pendingDatabasesLocked(in.ID) {
			all = append(all, rds.Database{Name: name, CharacterSet: charset, State: "Creating"})
		}
	}
	return http.StatusOK, rds.ListDatabasesResponse{Databases: page(all, (pageNo-1)*limit, limit), TotalCount: len(all)}, nil
}

// characterSet is what the database listing reports: SQL Server reports the collation.
func characterSet(in *SeedInstance) string {
	switch {
	case isMySQL(in.Datastore.Type):
		return "utf8mb4"
	case isSQLServer(in.Datastore.Type):
		if in.Collation != "" {
			return in.Collation
		}
		return "Chinese_PRC_CI_AS"
	default:
		return "UTF8"
	}
}

// GET /v3/{project_id}/instances/{instance_id}/configurations
// MySQL lists lower_case_table_names. SQL Server lists rds_databases_quota: an emulator modelling
// choice, the real API documents no place for it.
func (s *Server) configurations(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	var params []rds.ConfigurationParameter
	switch {
	case isMySQL(in.Datastore.Type):
		params = []rds.ConfigurationParameter{
			{Name: "character_set_server", Value: "utf8mb4", Type: "string", Description: "Server default character set."},
			{Name: "lower_case_table_names", Value: in.LowerCaseTableNames, Type: "integer",
				Description: "Whether table names are stored in lowercase and compared case-insensitively (1) or not (0). Set at creation."},
			{Name: "max_connections", Value: "2500", Type: "integer", Description: "Maximum permitted number of simultaneous client connections."},
		}
	case isSQLServer(in.Datastore.Type):
		params = []rds.ConfigurationParameter{
			{Name: "max degree of parallelism", Value: "0", Type: "integer", Description: "Limits the number of processors used in parallel plan execution."},
		}
		if in.DatabasesQuota > 0 {
			params = append(params, rds.ConfigurationParameter{Name: "rds_databases_quota", Value: strconv.Itoa(in.DatabasesQuota),
				Type: "integer", Description: "Maximum number of databases on the instance (emulator model)."})
		}
	default:
		params = []rds.ConfigurationParameter{
			{Name: "max_connections", Value: "1000", Type: "integer", Description: "Maximum number of concurrent connections."},
			{Name: "timezone", Value: in.TimeZone, Type: "string", Description: "Time zone for displaying and interpreting time stamps."},
		}
	}
	return http.StatusOK, rds.ConfigurationsResponse{
		DatastoreVersionName:    in.Datastore.Version,
		DatastoreName:           strings.ToLower(in.Datastore.Type),
		ConfigurationParameters: params,
	}, nil
}

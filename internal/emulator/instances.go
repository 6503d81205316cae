package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
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

// instanceView is an instance as the list call returns it: the seed's own facts (collation,
// lower_case_table_names, databases, quota, windows) are not part of it.
func instanceView(in *SeedInstance) Instance {
	v := in.Instance
	v.Nodes = append([]Node{}, in.Nodes...)
	v.Tags = append([]Tag{}, in.Tags...) // [] rather than null: the API lists none as empty
	return v
}

// matchesIDOrName applies the listing's id and name filters: exact, or, when the value starts
// with "*", fuzzy: the rest of the value anywhere in the field (case-insensitively, as a
// console search box does).
func matchesIDOrName(filter, value string) bool {
	if filter == "" {
		return true
	}
	if rest, fuzzy := strings.CutPrefix(filter, "*"); fuzzy {
		return strings.Contains(strings.ToLower(value), strings.ToLower(rest))
	}
	return filter == value
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
	matched := []Instance{}
	for _, in := range s.instances {
		if !matchesIDOrName(id, in.ID) || !matchesIDOrName(name, in.Name) ||
			(typ != "" && !strings.EqualFold(in.Type, typ)) ||
			(engine != "" && !strings.EqualFold(in.Datastore.Type, engine)) {
			continue
		}
		matched = append(matched, instanceView(in))
	}
	return http.StatusOK, listInstancesReply{Instances: page(matched, offset, limit), TotalCount: len(matched)}, nil
}

// GET /v3/{project_id}/instances/{instance_id}/restore-time?date=yyyy-mm-dd
// With a date (UTC), the windows are cut to that day; without one, all windows are returned.
func (s *Server) restoreTime(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	windows := []RestoreTimeRange{}
	date := c.query.Get("date")
	if date == "" {
		windows = append(windows, in.RestoreTime...)
		return http.StatusOK, restoreTimeReply{RestoreTime: windows}, nil
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
		windows = append(windows, RestoreTimeRange{StartTime: max(w.StartTime, from), EndTime: min(w.EndTime, to)})
	}
	return http.StatusOK, restoreTimeReply{RestoreTime: windows}, nil
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
	all := []databaseWire{}
	for _, name := range in.Databases {
		d := databaseWire{Name: name, CharacterSet: charset}
		if sqlServer {
			d.State = "Running"
		}
		all = append(all, d)
	}
	if sqlServer {
		for _, name := range s.pendingDatabasesLocked(in.ID) {
			all = append(all, databaseWire{Name: name, CharacterSet: charset, State: "Creating"})
		}
	}
	return http.StatusOK, listDatabasesReply{Databases: page(all, (pageNo-1)*limit, limit), TotalCount: len(all)}, nil
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
// MySQL lists lower_case_table_names (read-only: it is fixed when the instance is created). SQL
// Server lists rds_databases_quota when the seed gives databases_quota: an emulator modelling
// choice, the real API documents no place for the quota.
func (s *Server) configurations(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	param := func(name, value, typ, valueRange string, readonly bool, description string) configurationParameterWire {
		return configurationParameterWire{Name: name, Value: value, Type: typ, ValueRange: valueRange,
			Readonly: readonly, RestartRequired: readonly, Description: description}
	}
	var params []configurationParameterWire
	switch {
	case isMySQL(in.Datastore.Type):
		params = []configurationParameterWire{
			param("character_set_server", "utf8mb4", "string", "utf8,utf8mb4,latin1,gbk", false, "Server default character set."),
			param("lower_case_table_names", in.LowerCaseTableNames, "integer", "0-1", true,
				"Whether table names are stored in lowercase and compared case-insensitively (1) or not (0). Set at creation."),
			param("max_connections", "2500", "integer", "10-100000", false, "Maximum permitted number of simultaneous client connections."),
		}
	case isSQLServer(in.Datastore.Type):
		params = []configurationParameterWire{
			param("max degree of parallelism", "0", "integer", "0-32767", false, "Limits the number of processors used in parallel plan execution."),
		}
		if in.DatabasesQuota > 0 {
			params = append(params, param("rds_databases_quota", strconv.Itoa(in.DatabasesQuota), "integer", "1-1000", true,
				"Maximum number of databases on the instance (emulator model)."))
		}
	default:
		params = []configurationParameterWire{
			param("max_connections", "1000", "integer", "10-8000", false, "Maximum number of concurrent connections."),
			param("timezone", in.TimeZone, "string", "", false, "Time zone for displaying and interpreting time stamps."),
		}
	}
	return http.StatusOK, configurationsReply{
		DatastoreVersionName:    in.Datastore.Version,
		DatastoreName:           strings.ToLower(in.Datastore.Type),
		Created:                 in.Created,
		Updated:                 in.Updated,
		ConfigurationParameters: params,
	}, nil
}

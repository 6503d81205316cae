package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// call is what a handler gets: the request's parsed query and body, the path parameters
// ("project_id", "instance_id") and the emulator's time when the request was handled.
type call struct {
	query  url.Values
	body   []byte
	params map[string]string
	now    time.Time
}

// handlerFunc answers an API call with s.mu held: a status and a reply, or an error.
type handlerFunc func(s *Server, c *call) (int, any, *apiError)

type route struct {
	method  string
	pattern string // "/v3/{project_id}/instances"; "{name}" matches one segment
	handle  handlerFunc
}

// routes are the API's paths, exactly as the API documents them (doc.go lists them). The IAM
// project lookup and account listing are served here too: the provider's IAM endpoint can
// point at the emulator like its RDS endpoint.
var routes = []route{
	{http.MethodPost, "/v3.1/{project_id}/instances/recovery", (*Server).restoreV31},
	{http.MethodPost, "/v3/{project_id}/instances/recovery", (*Server).restoreV3},
	{http.MethodGet, "/v3/{project_id}/jobs", (*Server).getJob},
	{http.MethodGet, "/v3/{project_id}/instances", (*Server).listInstances},
	{http.MethodGet, "/v3/{project_id}/backups", (*Server).listBackups},
	{http.MethodPost, "/v3/{project_id}/backups", (*Server).createBackup},
	{http.MethodDelete, "/v3/{project_id}/backups/{backup_id}", (*Server).deleteBackup},
	{http.MethodGet, "/v3/{project_id}/instances/{instance_id}/restore-time", (*Server).restoreTime},
	{http.MethodGet, "/v3/{project_id}/instances/{instance_id}/database/detail", (*Server).listDatabases},
	{http.MethodGet, "/v3/{project_id}/instances/{instance_id}/configurations", (*Server).configurations},
	{http.MethodGet, "/v3/{project_id}/tasklist", (*Server).listTasks},
	{http.MethodDelete, "/v3/{project_id}/instances/{instance_id}/database/{db_name}", (*Server).deleteDatabase},
	{http.MethodGet, "/v3/projects", (*Server).listProjects},
	{http.MethodGet, "/v3/auth/domains", (*Server).listDomains},
}

// matchRoute finds the route of a request. As on the real gateway an API is a method and a
// path, so a known path with another method is "no such API" too. A trailing "/" is ignored.
func matchRoute(method, path string) (route, map[string]string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range routes {
		if rt.method != method {
			continue
		}
		if params, ok := matchPattern(rt.pattern, segs); ok {
			return rt, params, true
		}
	}
	return route{}, nil, false
}

func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(ps) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

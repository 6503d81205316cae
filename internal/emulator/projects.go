package emulator

import (
	"net/http"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// GET /v3/projects?name={region}: the IAM project lookup. The emulated account has one project,
// named after the seed's region; another name matches nothing (an empty list, as IAM answers).
func (s *Server) listProjects(c *call) (int, any, *apiError) {
	projects := []rds.Project{}
	if name := c.query.Get("name"); name == "" || name == s.region {
		projects = append(projects, rds.Project{ID: s.projectID, Name: s.region, Enabled: true})
	}
	return http.StatusOK, rds.ListProjectsResponse{Projects: projects}, nil
}

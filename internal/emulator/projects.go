package emulator

import "net/http"

// GET /v3/projects?name={region}: the IAM project lookup. The emulated account has one project,
// named after the seed's region; another name matches nothing (an empty list, as IAM answers).
func (s *Server) listProjects(c *call) (int, any, *apiError) {
	projects := []projectWire{}
	if name := c.query.Get("name"); name == "" || name == s.region {
		projects = append(projects, projectWire{ID: s.projectID, Name: s.region, DomainID: s.domainID, ParentID: s.domainID, Enabled: true})
	}
	return http.StatusOK, listProjectsReply{Projects: projects}, nil
}

// GET /v3/auth/domains: the accounts the credentials may act on (IAM). Huawei's official
// provider asks for it while configuring to learn the account's id and name.
func (s *Server) listDomains(*call) (int, any, *apiError) {
	return http.StatusOK, listDomainsReply{Domains: []domainWire{{ID: s.domainID, Name: s.domainName, Enabled: true}}}, nil
}

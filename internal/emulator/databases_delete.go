package emulator

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
)

// Error codes of the database deletion: the API's documented codes, kept here independently of
// the client's (doc.go).
const codeNoSuchDatabase = "DBS.280128" // 400: no such database

// DELETE /v3/{project_id}/instances/{instance_id}/database/{db_name} -> {"resp":"successful"}
// The database disappears from the listing at once. An instance that is not ACTIVE (a restore
// running on it, for one) refuses with 409 DBS.200011, and so does a database that a running
// restore is creating; a database the instance does not have is 400 DBS.280128.
func (s *Server) deleteDatabase(c *call) (int, any, *apiError) {
	in := s.instanceLocked(c.params["instance_id"])
	if in == nil {
		return 0, nil, instanceNotFound(c.params["instance_id"])
	}
	if len(bytes.TrimSpace(c.body)) > 0 {
		if _, err := checkBody(c.body, deleteDatabaseSchema, s.ignoreUnknownFields); err != nil {
			return 0, nil, err
		}
	}
	name := c.params["db_name"]
	if slices.Contains(s.pendingDatabasesLocked(in.ID), name) {
		return 0, nil, &apiError{http.StatusConflict, codeBusy, fmt.Sprintf(
			"The database %s is being created by a restore on DB instance %s; delete it once the restore has finished.", name, in.ID)}
	}
	if in.Status != statusActive {
		return 0, nil, &apiError{http.StatusConflict, codeBusy, fmt.Sprintf(
			"The DB instance %s is %s; databases can be deleted only while it is ACTIVE.", in.ID, in.Status)}
	}
	i := slices.Index(in.Databases, name)
	if i < 0 {
		return 0, nil, &apiError{http.StatusBadRequest, codeNoSuchDatabase, fmt.Sprintf(
			"The database %s does not exist on DB instance %s.", name, in.ID)}
	}
	in.Databases = slices.Delete(slices.Clone(in.Databases), i, i+1)
	in.Updated = formatAPITime(c.now)
	s.persistLocked()
	return http.StatusOK, deleteDatabaseReply{Resp: "successful"}, nil
}

// deleteDatabaseReply is the deletion's reply.
type deleteDatabaseReply struct {
	Resp string `json:"resp"`
}

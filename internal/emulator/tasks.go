package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Task list limits: the API documents limit 1..50 with a default of 10 (unlike the other
// listings' 1..100).
const (
	taskListDefaultLimit = 10
	taskListMaxLimit     = 50
)

// taskWire is one item of GET /v3/{project_id}/tasklist, with exactly the fields the API documents
// (and the official SDK's Task model) lists.
type taskWire struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	InstanceID     string `json:"instance_id"`
	InstanceName   string `json:"instance_name"`
	InstanceStatus string `json:"instance_status"`
	OrderID        string `json:"order_id"`
	Process        string `json:"process"`
	FailReason     string `json:"fail_reason"`
	CreateTime     string `json:"create_time"`
	EndTime        string `json:"end_time"`
	Status         string `json:"status"`
}

// listTasksWire is the reply of the task list.
type listTasksWire struct {
	Tasks      []taskWire `json:"tasks"`
	TotalCount int        `json:"total_count"`
	Actions    []string   `json:"actions"`
}

// task is j as the task list shows it: the task's id is the job id, and end_time is the job's
// (planned, while it runs) end.
func (j *job) task(now time.Time, target *SeedInstance) taskWire {
	v := j.view(now, "")
	t := taskWire{
		ID: j.ID, Name: jobName, InstanceID: j.TargetID, Process: v.Process, FailReason: v.FailReason,
		CreateTime: formatAPITime(j.Created), EndTime: formatAPITime(j.end()), Status: v.Status,
	}
	if target != nil {
		t.InstanceName, t.InstanceStatus = target.Name, target.Status
	}
	return t
}

// GET /v3/{project_id}/tasklist?offset=&limit=&id=&instance_id=&order_id=&name=&status=&start_time=&end_time=
// Every restore job is a task from the moment it is accepted (also while the job query still
// answers DBS.200543), finished ones too, until the job query forgets it (30 days). start_time and end_time (Unix milliseconds, UTC; the API's own time layout is read
// too) go together and select tasks created in that range. Newest first.
func (s *Server) listTasks(c *call) (int, any, *apiError) {
	if s.unconfirmed.TaskListMissing {
		return 0, nil, &apiError{http.StatusNotFound, codeNoSuchAPI, msgNoSuchAPI}
	}
	q := c.query
	offset, err := intParam(q, "offset", 0, 0, maxOffset)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intParam(q, "limit", taskListDefaultLimit, 1, taskListMaxLimit)
	if err != nil {
		return 0, nil, err
	}
	if err := oneOf(q, "status", jobRunning, jobCompleted, jobFailed); err != nil {
		return 0, nil, err
	}
	startRaw, endRaw := q.Get("start_time"), q.Get("end_time")
	if (startRaw == "") != (endRaw == "") {
		return 0, nil, badParam("Invalid parameter: start_time and end_time must be given together")
	}
	var from, to time.Time
	if startRaw != "" {
		var ok1, ok2 bool
		from, ok1 = parseTaskTime(startRaw)
		to, ok2 = parseTaskTime(endRaw)
		if !ok1 || !ok2 {
			return 0, nil, badParam(fmt.Sprintf("Invalid parameter: start_time=%q, end_time=%q must be UTC timestamps in milliseconds", startRaw, endRaw))
		}
		if to.Before(from) {
			return 0, nil, badParam("Invalid parameter: end_time is before start_time")
		}
	}
	id, instanceID, orderID, name, status := q.Get("id"), q.Get("instance_id"), q.Get("order_id"), q.Get("name"), q.Get("status")

	jobs := append([]*job{}, s.jobs...)
	sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].Created.After(jobs[b].Created) })
	matched := []taskWire{}
	actions := []string{}
	if !s.unconfirmed.TaskListWithoutRestores {
		for _, j := range jobs {
			if c.now.After(j.Created.Add(jobRetention)) {
				continue
			}
			if len(actions) == 0 {
				actions = append(actions, jobName)
			}
			t := j.task(c.now, s.instanceLocked(j.TargetID))
			if (id != "" && t.ID != id) || (instanceID != "" && t.InstanceID != instanceID) ||
				(orderID != "" && t.OrderID != orderID) || (name != "" && t.Name != name) ||
				(status != "" && !strings.EqualFold(t.Status, status)) {
				continue
			}
			if startRaw != "" && (j.Created.Before(from) || j.Created.After(to)) {
				continue
			}
			matched = append(matched, t)
		}
	}
	return http.StatusOK, listTasksWire{Tasks: page(matched, offset, limit), TotalCount: len(matched), Actions: actions}, nil
}

// parseTaskTime reads a task list time bound: Unix milliseconds, or the API's time layout.
func parseTaskTime(raw string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(raw, 10, 64); err == nil && ms >= 0 {
		return time.UnixMilli(ms).UTC(), true
	}
	if t, err := parseAPITime(raw); err == nil {
		return t, true
	}
	return time.Time{}, false
}

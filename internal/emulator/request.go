package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Request bodies are checked against a schema written from the API's documentation (the request
// tables of the restore page) before anything is decoded, so that a misspelled field
// ("database_names"), a wrong JSON type (restore_time as a string) or a missing required field is
// answered 400 DBS.200001 naming the field, instead of being silently dropped by a lenient decoder
// and restoring something else than asked.

type fieldKind int

const (
	kindString fieldKind = iota
	kindInteger
	kindBoolean
	kindStringMap // an object whose values are all strings
	kindObject
	kindObjectList // a list of objects, each checked against fields
)

func (k fieldKind) String() string {
	switch k {
	case kindString:
		return "a string"
	case kindInteger:
		return "an integer"
	case kindBoolean:
		return "a boolean (true or false)"
	case kindStringMap:
		return "an object of strings"
	case kindObjectList:
		return "a list of objects"
	default:
		return "an object"
	}
}

type field struct {
	name     string
	kind     fieldKind
	required bool
	fields   []field // of a kindObject
}

// restoreSchema is the body of POST /v3.1/{project_id}/instances/recovery (the restore API's
// request tables: source, target and their fields); the older /v3/ path takes the same body without
// restore_all_database.
func restoreSchema(apiVersion string) []field {
	source := []field{
		{name: "instance_id", kind: kindString, required: true},
		{name: "type", kind: kindString},
		{name: "backup_id", kind: kindString},
		{name: "restore_time", kind: kindInteger},
		{name: "database_name", kind: kindStringMap},
	}
	if apiVersion == "v3.1" {
		source = append(source, field{name: "restore_all_database", kind: kindBoolean})
	}
	return []field{
		{name: "source", kind: kindObject, required: true, fields: source},
		{name: "target", kind: kindObject, required: true, fields: []field{{name: "instance_id", kind: kindString, required: true}}},
	}
}

// createBackupSchema is the body of POST /v3/{project_id}/backups (the SDK's
// CreateManualBackupRequestBody; databases and backup_database_individually are SQL Server's).
var createBackupSchema = []field{
	{name: "instance_id", kind: kindString, required: true},
	{name: "name", kind: kindString, required: true},
	{name: "description", kind: kindString},
	{name: "databases", kind: kindObjectList, fields: []field{{name: "name", kind: kindString, required: true}}},
	{name: "backup_database_individually", kind: kindBoolean},
}

// createBackupRequestWire is that body, decoded once checkBody has accepted it.
type createBackupRequestWire struct {
	InstanceID                 string           `json:"instance_id"`
	Name                       string           `json:"name"`
	Description                string           `json:"description"`
	Databases                  []BackupDatabase `json:"databases"`
	BackupDatabaseIndividually *bool            `json:"backup_database_individually"`
}

// deleteDatabaseSchema is the optional body of the database deletion (SQL Server).
var deleteDatabaseSchema = []field{{name: "is_force_delete", kind: kindBoolean}}

// checkBody checks a JSON object body against fields. Unknown fields are refused unless
// ignoreUnknown; they are then removed, so that the decoded request holds only what the API reads.
func checkBody(body []byte, fields []field, ignoreUnknown bool) ([]byte, *apiError) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, badParam("Invalid request body: it is not valid JSON (" + err.Error() + ").")
	}
	if dec.More() {
		return nil, badParam("Invalid request body: it holds more than one JSON value.")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badParam("Invalid request body: it must be a JSON object.")
	}
	if err := checkObject(obj, "", fields, ignoreUnknown); err != nil {
		return nil, err
	}
	cleaned, err := json.Marshal(obj)
	if err != nil {
		return nil, badParam("Invalid request body: " + err.Error())
	}
	return cleaned, nil
}

func checkObject(obj map[string]any, prefix string, fields []field, ignoreUnknown bool) *apiError {
	known := map[string]field{}
	for _, f := range fields {
		known[f.name] = f
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := known[k]; ok {
			continue
		}
		if !ignoreUnknown {
			return badParam(fmt.Sprintf("Invalid parameter: %s is not a parameter of this API.", prefix+k))
		}
		delete(obj, k)
	}
	for _, f := range fields {
		name := prefix + f.name
		raw, present := obj[f.name]
		if !present || raw == nil {
			delete(obj, f.name) // null is taken as absent
			if f.required {
				return badParam(fmt.Sprintf("Invalid parameter: %s is mandatory.", name))
			}
			continue
		}
		if err := checkValue(raw, name, f, ignoreUnknown); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(raw any, name string, f field, ignoreUnknown bool) *apiError {
	wrongType := func() *apiError {
		return badParam(fmt.Sprintf("Invalid parameter: %s must be %s, not %s.", name, f.kind, jsonKind(raw)))
	}
	switch f.kind {
	case kindString:
		s, ok := raw.(string)
		if !ok {
			return wrongType()
		}
		if f.required && strings.TrimSpace(s) == "" {
			return badParam(fmt.Sprintf("Invalid parameter: %s is mandatory and must not be empty.", name))
		}
	case kindInteger:
		n, ok := raw.(json.Number)
		if !ok {
			return wrongType()
		}
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			return badParam(fmt.Sprintf("Invalid parameter: %s must be an integer, not %s.", name, n))
		}
	case kindBoolean:
		if _, ok := raw.(bool); !ok {
			return wrongType()
		}
	case kindStringMap:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrongType()
		}
		for k, v := range m {
			if _, ok := v.(string); !ok {
				return badParam(fmt.Sprintf("Invalid parameter: %s.%s must be a string (comma-separated new names), not %s.", name, k, jsonKind(v)))
			}
		}
	case kindObject:
		m, ok := raw.(map[string]any)
		if !ok {
			return wrongType()
		}
		return checkObject(m, name+".", f.fields, ignoreUnknown)
	case kindObjectList:
		list, ok := raw.([]any)
		if !ok {
			return wrongType()
		}
		for i, el := range list {
			item := field{name: f.name, kind: kindObject, fields: f.fields}
			if err := checkValue(el, fmt.Sprintf("%s[%d]", name, i), item, ignoreUnknown); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonKind names the JSON type of a decoded value for a message.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// restoreRequestWire is the restore body, decoded once checkBody has accepted it.
type restoreRequestWire struct {
	Source struct {
		InstanceID         string            `json:"instance_id"`
		Type               string            `json:"type"`
		BackupID           string            `json:"backup_id"`
		RestoreTime        *int64            `json:"restore_time"`
		DatabaseName       map[string]string `json:"database_name"`
		RestoreAllDatabase *bool             `json:"restore_all_database"`
	} `json:"source"`
	Target struct {
		InstanceID string `json:"instance_id"`
	} `json:"target"`
}

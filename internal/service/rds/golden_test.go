package rds

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// The restore page's four example requests (testdata/seed-examples, copied from Huawei's page for
// POST /v3.1/{project_id}/instances/recovery as written there) are what the client sends for the
// same restores: byte for byte after parsing, checked against a plain HTTP server rather than the
// emulator, so that a wrong JSON tag cannot hide behind a shared type.
func TestRestore_pageExamples(t *testing.T) {
	restoreTime := int64(1532001446987)
	yes := true
	for _, tc := range []struct {
		file string
		req  RestoreRequest
	}{
		{"1-backup.json", RestoreRequest{
			Source: RestoreSource{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01", Type: "backup", BackupID: "2f4ddb93-b901-4b08-93d8-1d2e472f30fe"},
			Target: RestoreTarget{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01"},
		}},
		{"2-sqlserver-restore-all.json", RestoreRequest{
			Source: RestoreSource{InstanceID: "61879e6085bc44d1831b0ce62d988fd9in04", Type: "backup",
				BackupID: "b021670e69ba4538b7b2ed07257306aebr04", RestoreAllDatabase: &yes},
			Target: RestoreTarget{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin04"},
		}},
		{"3-point-in-time.json", RestoreRequest{
			Source: RestoreSource{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01", Type: "timestamp", RestoreTime: &restoreTime},
			Target: RestoreTarget{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01"},
		}},
		{"4-sqlserver-databases-point-in-time.json", RestoreRequest{
			Source: RestoreSource{InstanceID: "61879e6085bc44d1831b0ce62d988fd9in04", Type: "timestamp", RestoreTime: &restoreTime,
				DatabaseName: map[string]string{"db1": "dbtest1,dbtest2", "db2": "db2,db02", "db3": ""}},
			Target: RestoreTarget{InstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin04"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "seed-examples", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var sent []byte
			api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if r.Method != http.MethodPost || r.URL.Path != "/v3.1/"+testProject+"/instances/recovery" {
					t.Errorf("%s %s", r.Method, r.URL.Path)
				}
				mu.Lock()
				sent = append([]byte(nil), body...)
				mu.Unlock()
				writeJSON(w, http.StatusAccepted, map[string]string{"job_id": "ff80808157127d9301571bf8160c001d"})
			})
			resp, err := newTestClient(t, api.URL).Restore(context.Background(), tc.req)
			if err != nil || resp.JobID != "ff80808157127d9301571bf8160c001d" {
				t.Fatalf("%+v %v", resp, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !reflect.DeepEqual(parseJSON(t, sent), parseJSON(t, want)) {
				t.Errorf("the client sent\n%s\nthe restore page's example is\n%s", sent, want)
			}
		})
	}
}

// parseJSON decodes with numbers kept as written, so 1532001446987 is compared exactly.
func parseJSON(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return v
}

package restore

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/opendrill/terraform-provider-hwc/internal/rules"
)

// The arguments of the API's four documented example restores become exactly their request
// bodies (internal/service/rds/testdata/seed-examples, the files the client's golden test reads),
// compared parsed.
func TestAPIRequest_documentedExamples(t *testing.T) {
	at := int64(1532001446987)
	yes := true
	for _, tc := range []struct {
		file   string
		engine string // the engine the provider read; SQL Server-only fields are sent only there
		req    rules.Request
	}{
		{"1-backup.json", "MySQL", rules.Request{SourceInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01",
			TargetInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01", Type: "backup", BackupID: "2f4ddb93-b901-4b08-93d8-1d2e472f30fe"}},
		{"2-sqlserver-restore-all.json", "SQLServer", rules.Request{SourceInstanceID: "61879e6085bc44d1831b0ce62d988fd9in04",
			TargetInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin04", Type: "backup", BackupID: "b021670e69ba4538b7b2ed07257306aebr04",
			RestoreAllDatabase: &yes}},
		{"3-point-in-time.json", "MySQL", rules.Request{SourceInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01",
			TargetInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin01", RestoreTime: &at}},
		{"4-sqlserver-databases-point-in-time.json", "SQLServer", rules.Request{SourceInstanceID: "61879e6085bc44d1831b0ce62d988fd9in04",
			TargetInstanceID: "d8e6ca5a624745bcb546a227aa3ae1cfin04", Type: "timestamp", RestoreTime: &at,
			DatabaseName: map[string]string{"db1": "dbtest1,dbtest2", "db2": "db2,db02", "db3": ""}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "rds", "testdata", "seed-examples", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(APIRequest(tc.req, tc.engine))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(parsed(t, got), parsed(t, want)) {
				t.Errorf("APIRequest builds\n%s\nthe documented example is\n%s", got, want)
			}
		})
	}
}

func parsed(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return v
}

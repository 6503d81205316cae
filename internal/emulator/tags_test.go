package emulator

import (
	"encoding/json"
	"testing"
)

func TestInstanceView_tags(t *testing.T) {
	const seed = `{"region": "r1", "project_id": "p1", "credentials": [{"access_key": "AK1", "secret_key": "SK1"}],
	 "instances": [
	   {"id": "tagged", "datastore": {"type": "MySQL", "version": "5.7"}, "tags": [{"key": "env", "value": "prod"}, {"key": "tier", "value": ""}]},
	   {"id": "untagged", "datastore": {"type": "MySQL", "version": "5.7"}},
	   {"id": "emptytags", "datastore": {"type": "MySQL", "version": "5.7"}, "tags": []}]}`
	s, err := LoadSeed(writeFile(t, seed))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := NewTestServer(t, Options{Seed: s})
	cases := []struct {
		id   string
		want string // the tags as the listing writes them
	}{
		{"tagged", `[{"key":"env","value":"prod"},{"key":"tier","value":""}]`},
		{"untagged", `[]`},
		{"emptytags", `[]`},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			got := rawInstanceTags(t, srv, tc.id)
			if got != tc.want {
				t.Errorf("tags %s, want %s", got, tc.want)
			}
		})
	}
}

// rawInstanceTags is an instance's tags as the listing writes them (raw JSON).
func rawInstanceTags(t *testing.T, srv *Server, id string) string {
	t.Helper()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	_, reply, apiErr := srv.listInstances(&call{query: map[string][]string{"id": {id}}, now: testStart})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	data, err := json.Marshal(reply)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Instances []map[string]json.RawMessage `json:"instances"`
	}
	if err := json.Unmarshal(data, &r); err != nil || len(r.Instances) != 1 {
		t.Fatalf("listing %s: %v", data, err)
	}
	return string(r.Instances[0]["tags"])
}

func TestDefaultSeed_tags(t *testing.T) {
	srv, _ := NewTestServer(t, Options{})
	cases := []struct{ id, want string }{
		{MySQLSourceID, `[{"key":"env","value":"prod"}]`},
		{MySQLTargetID, `[{"key":"env","value":"staging"}]`},
		{MySQLSmallID, `[]`},
	}
	for _, tc := range cases {
		if got := rawInstanceTags(t, srv, tc.id); got != tc.want {
			t.Errorf("%s: tags %s, want %s", tc.id, got, tc.want)
		}
	}
}

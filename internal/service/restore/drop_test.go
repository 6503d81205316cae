package restore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opendrill/terraform-provider-hwc/internal/service/rds"
)

// fakeDropper holds one instance's databases; a dropped one stays listed for `lingers` listings.
type fakeDropper struct {
	mu      sync.Mutex
	dbs     []string
	lingers int
	deleted []string
	failOn  string
	busy    int // DELETEs refused as busy before one is taken
	listed  int
}

func (f *fakeDropper) DeleteDatabase(_ context.Context, _, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == f.failOn {
		return &rds.Error{StatusCode: 500, Code: "DBS.108000", Message: "internal error"}
	}
	if f.busy > 0 {
		f.busy--
		return &rds.Error{StatusCode: 409, Code: "DBS.200011", Message: "instance busy"}
	}
	for _, d := range f.dbs {
		if d == name {
			f.deleted = append(f.deleted, name)
			return nil
		}
	}
	return &rds.Error{StatusCode: 400, Code: "DBS.280128", Message: "no such database"}
}

func (f *fakeDropper) ListAllDatabases(context.Context, string) ([]rds.Database, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listed++
	var out []rds.Database
	for _, d := range f.dbs {
		dropped := false
		for _, x := range f.deleted {
			dropped = dropped || x == d
		}
		if !dropped || f.listed <= f.lingers {
			out = append(out, rds.Database{Name: d})
		}
	}
	return out, nil
}

func TestDropDatabases_drops(t *testing.T) {
	f := &fakeDropper{dbs: []string{"reporting", "sales_drill", "hr_drill"}, lingers: 2, busy: 2}
	// hr_old is not there (any more): not an error.
	if err := DropDatabases(context.Background(), f, "tgt", []string{"sales_drill", "hr_old"}, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if want := []string{"sales_drill"}; !reflect.DeepEqual(f.deleted, want) {
		t.Errorf("deleted %v, want %v: only the names given", f.deleted, want)
	}
	if f.listed != 3 {
		t.Errorf("listed %d times, want 3 (until the dropped database was no longer shown)", f.listed)
	}
	if err := DropDatabases(context.Background(), f, "tgt", nil, 0); err != nil || f.listed != 3 {
		t.Errorf("nothing to drop: err %v, listed %d", err, f.listed)
	}
}

func TestDropDatabases_fails(t *testing.T) {
	f := &fakeDropper{dbs: []string{"a", "b"}, failOn: "b"}
	err := DropDatabases(context.Background(), f, "tgt", []string{"a", "b"}, time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), `"b"`) || !strings.Contains(err.Error(), "DBS.108000") {
		t.Errorf("err = %v, want one naming the database and the API's code", err)
	}

	f = &fakeDropper{dbs: []string{"a"}, lingers: 1 << 30}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = DropDatabases(ctx, f, "tgt", []string{"a"}, time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "still listed") {
		t.Errorf("err = %v, want a deadline while the database is still listed", err)
	}
}

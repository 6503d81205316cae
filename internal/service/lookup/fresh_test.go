package lookup

import (
	"context"
	"testing"
	"time"
)

// Fresh answers from what the process read moments ago, and only that: never after Forget, never
// for an id it did not read, never past maxAge, and without any call.
func TestFresh_servesRecentReadingsOnly(t *testing.T) {
	f := &fakeReader{instances: world(3)}
	c := New(f)
	if _, ok := c.Fresh("inst-001", time.Minute); ok {
		t.Fatal("nothing was read yet")
	}
	if _, err := c.Instance(context.Background(), "inst-001"); err != nil {
		t.Fatal(err)
	}
	calls := f.listCalls.Load() + f.getCalls.Load()
	in, ok := c.Fresh("inst-001", time.Minute)
	if !ok || in.ID != "inst-001" {
		t.Fatalf("Fresh = %+v, %v; want the instance just read", in, ok)
	}
	in.Status = "changed by the caller"
	if again, _ := c.Fresh("inst-001", time.Minute); again.Status == in.Status {
		t.Fatal("Fresh must return a copy")
	}
	if _, ok := c.Fresh("inst-002", time.Minute); ok {
		t.Fatal("inst-002 was listed but never looked up: no kept reading to serve")
	}
	time.Sleep(5 * time.Millisecond)
	if _, ok := c.Fresh("inst-001", time.Millisecond); ok {
		t.Fatal("older than maxAge")
	}
	c.Forget("inst-001")
	if _, ok := c.Fresh("inst-001", time.Minute); ok {
		t.Fatal("forgotten")
	}
	if got := f.listCalls.Load() + f.getCalls.Load(); got != calls {
		t.Fatalf("Fresh made %d calls", got-calls)
	}
}

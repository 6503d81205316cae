package examplestest

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestAccExamples_guardedUndo: the guarded drill of the drills guide backs staging up before it
// restores over it, its undo (-var undo=true) restores that backup and brings back what staging
// held, and a swapped variable that points the drill at production fails the plan.
func TestAccExamples_guardedUndo(t *testing.T) {
	t.Parallel()
	c := requireCLI(t)
	config := providerConfig(t)
	dir, used := workCopy(t, "drills/guarded-undo")
	skipMissingTypes(t, used, providerTypes(t))
	env, emulatorURL := emulatorEnv(t, config)
	apply := func(vars ...string) drillEvidence {
		t.Helper()
		args := append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars...)
		if out, err := c.run(t, dir, env, 5*time.Minute, args...); err != nil {
			t.Fatalf("apply %v on %s: %v\n%s", vars, c.version, err, out)
		}
		return checkEvidence(t, c, dir, env)
	}
	// A swapped variable: production as the target is refused at plan time, nothing is sent.
	out, err := c.run(t, dir, env, 2*time.Minute, "plan", "-input=false", "-no-color",
		"-var", "staging_instance_id=d8e6ca5a624745bcb546a227aa3ae1cfin01")
	flat := strings.Join(strings.Fields(out), " ")
	if err == nil || !strings.Contains(flat, "Protected Target Instance") || !strings.Contains(flat, `it carries the tag env = "prod"`) {
		t.Fatalf("a plan onto production must fail with the guard's error; got %v\n%s", err, out)
	}

	ev := apply()
	if n := restoreRequests(t, emulatorURL); n != 1 {
		t.Fatalf("after the drill: %d restores, want 1", n)
	}
	if !contains(ev.TargetDatabases, "shop") {
		t.Fatalf("after the drill staging holds %v, want production's databases", ev.TargetDatabases)
	}

	// The undo: staging's backup, taken before the drill, restored onto staging.
	ev = apply("-var", "undo=true")
	if n := restoreRequests(t, emulatorURL); n != 2 {
		t.Fatalf("after the undo: %d restores, want 2", n)
	}
	// The built-in seed's staging held shop_old before the drill.
	if !reflect.DeepEqual(ev.TargetDatabases, []string{"shop_old"}) {
		t.Errorf("after the undo staging holds %v, want what it held before the drill: [shop_old]", ev.TargetDatabases)
	}
}

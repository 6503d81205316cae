package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEffectiveType_cases(t *testing.T) {
	rt := i64(1532001446987)
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"backup_id only", Request{BackupID: "b1"}, TypeBackup},
		{"restore_time only", Request{RestoreTime: rt}, TypeTimestamp},
		{"explicit backup", Request{Type: TypeBackup, BackupID: "b1"}, TypeBackup},
		{"explicit timestamp", Request{Type: TypeTimestamp, RestoreTime: rt}, TypeTimestamp},
		{"explicit type wins over fields", Request{Type: TypeBackup, RestoreTime: rt}, TypeBackup},
		{"both without type", Request{BackupID: "b1", RestoreTime: rt}, ""},
		{"neither", Request{}, ""},
		{"blank backup_id is not set", Request{BackupID: "  "}, ""},
		{"invalid type", Request{Type: "Backup", BackupID: "b1"}, ""},
	}
	for _, tt := range tests {
		if got := EffectiveType(tt.req); got != tt.want {
			t.Errorf("%s: EffectiveType = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestCheckStatic_modes: the full set of findings for each combination of type, backup_id and
// restore_time, so no combination reports twice or not at all.
func TestCheckStatic_modes(t *testing.T) {
	rt := ms(testNow.Add(-time.Hour))
	tests := []struct {
		typ    string
		backup string
		rt     *int64
		want   []string
	}{
		{"", "b1", nil, nil},
		{"", "", rt, nil},
		{"", "b1", rt, []string{"S4/error/restore_time"}},
		{"", "", nil, []string{"S4/error/backup_id"}},
		{"backup", "b1", nil, nil},
		{"backup", "", nil, []string{"S3/error/backup_id"}},
		{"backup", "b1", rt, []string{"S3/error/restore_time"}},
		{"backup", "", rt, []string{"S3/error/backup_id", "S3/error/restore_time"}},
		{"timestamp", "", rt, nil},
		{"timestamp", "", nil, []string{"S4/error/restore_time"}},
		{"timestamp", "b1", rt, []string{"S4/error/backup_id"}},
		{"timestamp", "b1", nil, []string{"S4/error/restore_time", "S4/error/backup_id"}},
		{"pitr", "b1", nil, []string{"S2/error/type"}},
		{"pitr", "b1", rt, []string{"S2/error/type", "S4/error/restore_time"}},
		{"pitr", "", nil, []string{"S2/error/type", "S4/error/backup_id"}},
	}
	for _, tt := range tests {
		req := Request{SourceInstanceID: "s", TargetInstanceID: "t", Type: tt.typ, BackupID: tt.backup, RestoreTime: tt.rt}
		got := CheckStatic(req, testNow)
		checkWellFormed(t, got)
		if ids := ruleIDs(got); !reflect.DeepEqual(ids, tt.want) {
			t.Errorf("type=%q backup_id=%q restore_time set=%v: got %v, want %v", tt.typ, tt.backup, tt.rt != nil, ids, tt.want)
		}
	}
}

func TestCheckStatic_restoreTime(t *testing.T) {
	tests := []struct {
		name     string
		v        int64
		now      time.Time
		wantRule bool
		hint     string // "" = must not hint
	}{
		{"restore page example", 1532001446987, testNow, false, ""},
		{"seconds", 1532001446, testNow, true, "Did you mean 1532001446000"},
		{"seconds, hint even without a clock", 1532001446, time.Time{}, true, "Did you mean 1532001446000"},
		{"below 1e11 but nonsense as seconds", 99999999999, testNow, true, ""},
		{"zero", 0, testNow, true, ""},
		{"future beyond skew", testNow.Add(6 * time.Minute).UnixMilli(), testNow, true, ""},
		{"future within skew", testNow.Add(5 * time.Minute).UnixMilli(), testNow, false, ""},
		{"far future, no clock", 1 << 62, time.Time{}, false, ""},
		{"max int64", 1<<63 - 1, testNow, true, ""},
	}
	for _, tt := range tests {
		v := tt.v
		got := CheckStatic(Request{SourceInstanceID: "s", TargetInstanceID: "t", RestoreTime: &v}, tt.now)
		checkWellFormed(t, got)
		if (len(got) > 0) != tt.wantRule {
			t.Errorf("%s: got %v, want S5=%v", tt.name, ruleIDs(got), tt.wantRule)
			continue
		}
		for _, f := range got {
			if f.Rule != "S5" || f.Attribute != AttrRestoreTime {
				t.Errorf("%s: unexpected %v", tt.name, ruleIDs(got))
			}
			if hinted := strings.Contains(f.Detail, "Did you mean"); hinted != (tt.hint != "") || !strings.Contains(f.Detail, tt.hint) {
				t.Errorf("%s: hint %q wrong in %q", tt.name, tt.hint, f.Detail)
			}
		}
	}
}

// TestCheckStatic_deterministic: many findings over many map keys come out in the same order
// every time, grouped by rule.
func TestCheckStatic_deterministic(t *testing.T) {
	req := Request{Type: "x", DatabaseName: map[string]string{
		"A": "A", "B": "B1,B2", "C": "B1,C1", "D": "D1,d1", "E": "master, bad name", "": "x", "F": "A,A",
	}}
	first := CheckStatic(req, testNow)
	checkWellFormed(t, first)
	for i := 0; i < 50; i++ {
		if got := CheckStatic(req, testNow); !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs:\n%v\n%v", i, ruleIDs(got), ruleIDs(first))
		}
	}
}

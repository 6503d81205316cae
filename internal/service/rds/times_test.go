package rds

import (
	"testing"
	"time"
)

func TestParseTime_layouts(t *testing.T) {
	want := time.Date(2018, 8, 6, 10, 41, 14, 0, time.UTC)
	cases := []struct {
		name, in string
		ok       bool
		want     time.Time
	}{
		{"api layout", "2018-08-06T10:41:14+0000", true, want},
		{"api layout with offset", "2018-08-06T18:41:14+0800", true, want},
		{"rfc 3339", "2018-08-06T10:41:14Z", true, want},
		{"rfc 3339 with offset", "2018-08-06T18:41:14+08:00", true, want},
		{"empty", "", false, time.Time{}},
		{"date only", "2018-08-06", false, time.Time{}},
		{"unix", "1533552074", false, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseTime(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFormatTime_roundTrip(t *testing.T) {
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("", 8*3600))
	if got := FormatTime(at); got != "2020-01-01T00:00:00+0800" {
		t.Fatalf("FormatTime = %q", got)
	}
	if back, ok := ParseTime(FormatTime(at)); !ok || !back.Equal(at) {
		t.Fatalf("round trip: %v %v", back, ok)
	}
}

func TestFormatMillis_keepsMilliseconds(t *testing.T) {
	if got := FormatMillis(1532001446987); got != "2018-07-19T11:57:26.987Z" {
		t.Fatalf("FormatMillis = %q", got)
	}
}

package rds

import (
	"errors"
	"testing"
)

func TestWalkPages_cases(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name     string
		items    int // the listing's real length
		total    int // what total_count says
		pageSize int
		offset   int
		maxPages int
		failAt   int // the read (1-based) that fails; 0: none
		got      int
		pages    int
		complete bool
	}{
		{"one page", 3, 3, 10, 0, 0, 0, 3, 1, true},
		{"several pages", 25, 25, 10, 0, 0, 0, 25, 3, true},
		{"exact multiple", 20, 20, 10, 0, 0, 0, 20, 2, true},
		{"from an offset", 25, 25, 10, 10, 0, 0, 15, 2, true},
		{"empty", 0, 0, 10, 0, 0, 0, 0, 1, true},
		{"total_count too high: an empty page ends it", 15, 40, 10, 0, 0, 0, 15, 3, true},
		{"bounded", 50, 50, 10, 0, 2, 0, 20, 2, false},
		{"a failed read", 25, 25, 10, 0, 0, 2, 10, 2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reads, got := 0, 0
			pages, complete, err := walkPages(tc.offset, tc.maxPages, func(offset int) ([]int, int, error) {
				reads++
				if reads == tc.failAt {
					return nil, 0, boom
				}
				n := max(0, min(tc.pageSize, tc.items-offset))
				return make([]int, n), tc.total, nil
			}, func(page []int) { got += len(page) })
			if (err != nil) != (tc.failAt > 0) || got != tc.got || pages != tc.pages || complete != tc.complete {
				t.Fatalf("got %d items in %d pages, complete %v, err %v; want %d in %d, %v",
					got, pages, complete, err, tc.got, tc.pages, tc.complete)
			}
		})
	}
}

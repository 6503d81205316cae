package emulator

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// maxLimit is the largest page the list calls serve; maxOffset and maxPage bound the other
// paging parameters so that offset arithmetic cannot overflow.
const (
	maxLimit  = 100
	maxOffset = math.MaxInt32
	maxPage   = maxOffset / maxLimit
)

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(q url.Values, name string, def, lo, hi int) (int, *apiError) {
	raw := q.Get(name)
	if raw == "" {
		return def, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		return 0, badParam(fmt.Sprintf("Invalid parameter: %s=%q must be an integer from %d to %d", name, raw, lo, hi))
	}
	return v, nil
}

// offsetLimit reads offset (default 0) and limit (1..100, default 100).
func offsetLimit(q url.Values) (offset, limit int, err *apiError) {
	if offset, err = intParam(q, "offset", 0, 0, maxOffset); err != nil {
		return 0, 0, err
	}
	if limit, err = intParam(q, "limit", maxLimit, 1, maxLimit); err != nil {
		return 0, 0, err
	}
	return offset, limit, nil
}

// page cuts items[offset:offset+limit], clamped to the slice.
func page[T any](items []T, offset, limit int) []T {
	if offset >= len(items) {
		return []T{}
	}
	end := min(offset+limit, len(items))
	return append([]T{}, items[offset:end]...)
}

// oneOf checks an optional enumerated query parameter, case-insensitively.
func oneOf(q url.Values, name string, allowed ...string) *apiError {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return nil
		}
	}
	return badParam(fmt.Sprintf("Invalid parameter: %s=%q must be one of %s", name, v, strings.Join(allowed, ", ")))
}

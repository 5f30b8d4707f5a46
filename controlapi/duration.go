package controlapi

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a Go duration ("90m", "720h") or a number of days ("30d", "1.5d").
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(strings.TrimSpace(s), "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 {
			return 0, errors.New(`duration must be a Go duration like "90m" or "720h", or days like "30d"`)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New(`duration must be a Go duration like "90m" or "720h", or days like "30d"`)
	}
	return d, nil
}

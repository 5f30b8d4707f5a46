package ids_test

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/koomock/koomock/ids"
)

func TestShapesAndDeterminism(t *testing.T) {
	seed := [32]byte{1}
	a := ids.New(rand.NewChaCha8(seed))
	b := ids.New(rand.NewChaCha8(seed))
	now := time.Date(2022, 11, 18, 18, 19, 0, 0, time.UTC)
	checks := []struct {
		name    string
		pattern string
		make    func(*ids.Source) string
	}{
		{"order", `^CS2211181819[A-Z0-9]{5}$`, func(s *ids.Source) string { return s.OrderID(now) }},
		{"uuid", `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, (*ids.Source).UUID},
		{"nonce", `^[0-9A-F]{64}$`, (*ids.Source).Nonce},
	}
	for _, c := range checks {
		x, y := c.make(a), c.make(b)
		if !regexp.MustCompile(c.pattern).MatchString(x) {
			t.Errorf("%s %q does not match %s", c.name, x, c.pattern)
		}
		if x != y {
			t.Errorf("%s differs for the same seed: %q vs %q", c.name, x, y)
		}
	}
}

package clock_test

import (
	"errors"
	"testing"
	"time"

	"github.com/koomock/koomock/clock"
)

func TestVirtualTime(t *testing.T) {
	realNow := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := clock.New(func() time.Time { return realNow })
	if got := c.Now(); !got.Equal(realNow) {
		t.Fatalf("real Now = %v, want %v", got, realNow)
	}
	if _, err := c.Advance(time.Hour); !errors.Is(err, clock.ErrNotVirtual) {
		t.Fatalf("Advance on real time = %v, want ErrNotVirtual", err)
	}
	if err := c.Freeze(time.Time{}); err != nil {
		t.Fatal(err)
	}
	realNow = realNow.Add(time.Minute) // real time moves, virtual time does not
	if got := c.Now(); !got.Equal(realNow.Add(-time.Minute)) {
		t.Fatalf("frozen Now = %v", got)
	}
	if !c.Wall().Equal(realNow) {
		t.Fatalf("Wall = %v on virtual time, want the real %v", c.Wall(), realNow)
	}
	got, err := c.Advance(720 * time.Hour)
	if err != nil || !got.Equal(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Advance = %v, %v", got, err)
	}
	if err := c.Set(got.Add(-time.Second)); !errors.Is(err, clock.ErrBackwards) {
		t.Fatalf("Set backwards = %v, want ErrBackwards", err)
	}
	c.Resume()
	if c.Virtual() || !c.Now().Equal(realNow) {
		t.Fatalf("after Resume: virtual=%v now=%v", c.Virtual(), c.Now())
	}
}

// Package clock is koomock's one injected clock. It runs on real time until someone switches it to
// virtual time; from then on it stands still except when advanced, so that token expiry, license
// expiry, freeze windows and due retries can be driven by tests and developers without waiting.
//
// Marketplace time (Now) and wall time (Wall) are kept apart: the marketplace's events follow Now,
// while signature timestamps follow Wall, because the seller checks them against its own clock.
package clock

import (
	"errors"
	"sync"
	"time"
)

// ErrNotVirtual is returned when advancing a clock that runs on real time.
var ErrNotVirtual = errors.New("the clock runs on real time; switch it to virtual time first")

// ErrBackwards is returned when asked to move virtual time into the past: scheduled work already done
// cannot be undone, so time only moves forward.
var ErrBackwards = errors.New("virtual time only moves forward")

// Clock is safe for concurrent use. The zero value is not usable; call New.
type Clock struct {
	mu      sync.Mutex
	real    func() time.Time
	virtual bool
	at      time.Time
	// observe is told every change (Observe).
	observe func(virtual bool, at time.Time)
}

// Observe registers fn, called with the clock's mode and virtual time after every change (Freeze,
// Set, Advance, Resume, Reset), outside the clock's lock and in the changing goroutine, so that the
// clock's state can be saved: the server persists it, and a restart resumes where the clock stood.
func (c *Clock) Observe(fn func(virtual bool, at time.Time)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.observe = fn
}

// changed tells the observer about the state the clock is in now.
func (c *Clock) changed() {
	c.mu.Lock()
	fn, virtual, at := c.observe, c.virtual, c.at
	c.mu.Unlock()
	if fn != nil {
		fn(virtual, at)
	}
}

// New returns a clock on real time, read from real (time.Now when nil).
func New(real func() time.Time) *Clock {
	if real == nil {
		real = time.Now
	}
	return &Clock{real: real}
}

// NewVirtual returns a clock already on virtual time, standing at at.
func NewVirtual(at time.Time) *Clock {
	c := New(nil)
	c.virtual, c.at = true, at
	return c
}

// Now returns the current time of the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.virtual {
		return c.at
	}
	return c.real()
}

// Wall returns real time whatever the mode. Signature timestamps and their freshness windows (the
// 60 s window of a callback, API Gateway's 15 minutes on X-Sdk-Date) are checked by the other side
// against its own wall clock, which koomock's virtual time does not move: a callback signed at a
// virtual time a year ahead would be refused as stale by every seller.
func (c *Clock) Wall() time.Time {
	return c.real()
}

// Virtual reports whether the clock is on virtual time.
func (c *Clock) Virtual() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.virtual
}

// Freeze switches to virtual time standing at at, or at the current time when at is zero. Freezing
// an already virtual clock is allowed only forward.
func (c *Clock) Freeze(at time.Time) error {
	if err := c.freeze(at); err != nil {
		return err
	}
	c.changed()
	return nil
}

func (c *Clock) freeze(at time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.real()
	if c.virtual {
		now = c.at
	}
	if at.IsZero() {
		at = now
	}
	if c.virtual && at.Before(c.at) {
		return ErrBackwards
	}
	c.virtual, c.at = true, at
	return nil
}

// Set moves virtual time to t.
func (c *Clock) Set(t time.Time) error {
	if err := c.set(t); err != nil {
		return err
	}
	c.changed()
	return nil
}

func (c *Clock) set(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.virtual {
		return ErrNotVirtual
	}
	if t.Before(c.at) {
		return ErrBackwards
	}
	c.at = t
	return nil
}

// Advance moves virtual time forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	at, err := c.advance(d)
	if err == nil {
		c.changed()
	}
	return at, err
}

func (c *Clock) advance(d time.Duration) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.virtual {
		return time.Time{}, ErrNotVirtual
	}
	if d < 0 {
		return c.at, ErrBackwards
	}
	c.at = c.at.Add(d)
	return c.at, nil
}

// Resume switches back to real time.
func (c *Clock) Resume() {
	c.mu.Lock()
	c.virtual = false
	c.mu.Unlock()
	c.changed()
}

// Reset puts the clock back in a state it was in (real time, or virtual time standing at at), even
// backwards. Only for koomock's reset, which drops every scheduled job together with the state the
// jobs were scheduled for, so that nothing already done can come due again.
func (c *Clock) Reset(virtual bool, at time.Time) {
	c.mu.Lock()
	c.virtual, c.at = virtual, at
	c.mu.Unlock()
	c.changed()
}

// Restore puts the clock in a saved state without telling the observer (it is the state saved).
func (c *Clock) Restore(virtual bool, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.virtual, c.at = virtual, at
}

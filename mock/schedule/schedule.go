// Package schedule runs koomock's timed work (callback retries, expiry at expireTime, the end of a
// freeze window, dial tests) on koomock's clock, persisted in the store so that it survives a restart.
//
// Semantics, chosen deliberately:
//   - At least once: a job is deleted only after its handler returns, so a crash mid-run repeats it on
//     restart. Handlers must be idempotent (check state before acting).
//   - One job at a time, in due order (ties by scheduling order): the marketplace's timeline is
//     sequential, and sellers see callbacks in the order KooGallery would send them.
//   - On real time, a background loop runs jobs as they fall due. On virtual time nothing runs until
//     the clock is advanced: Advance walks time forward job by job, setting the clock to each job's due
//     time before running it, so callbacks carry the timestamps they would have had. Advancing by zero
//     runs what is due now.
//   - A handler that fails is logged; retrying is its own business (it schedules the next attempt).
package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/store"
)

// Handler runs one job.
type Handler func(ctx context.Context, job store.Job) error

// maxRunsPerAdvance stops a handler that keeps rescheduling itself at the same instant from hanging
// an Advance.
const maxRunsPerAdvance = 100_000

// pollInterval caps how long the real-time loop sleeps, so that jobs scheduled by another process on
// the same database are noticed.
const pollInterval = time.Minute

// Scheduler runs jobs. Create it with New.
type Scheduler struct {
	store  *store.DB
	clock  *clock.Clock
	logger *slog.Logger

	mu       sync.Mutex // serialises job runs
	handlers map[string]Handler
	wake     chan struct{}
}

// New returns a scheduler over db's jobs on clk.
func New(db *store.DB, clk *clock.Clock, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{store: db, clock: clk, logger: logger, handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// Handle registers the handler of a job kind. Register every kind before Run or Advance.
func (s *Scheduler) Handle(kind string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[kind] = h
}

// Schedule stores a job due at due; a non-empty key replaces the pending job with that key.
func (s *Scheduler) Schedule(ctx context.Context, kind, key string, due time.Time, attempt int, payload any) (store.Job, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return store.Job{}, fmt.Errorf("schedule %s: payload: %w", kind, err)
	}
	j, err := s.store.PutJob(ctx, store.Job{Kind: kind, Key: key, DueAt: due, Payload: raw, Attempt: attempt, CreatedAt: s.clock.Now()})
	if err != nil {
		return j, err
	}
	s.poke()
	return j, nil
}

// Cancel deletes the pending job with key, if any.
func (s *Scheduler) Cancel(ctx context.Context, key string) error {
	return s.store.CancelJob(ctx, key)
}

// poke wakes the real-time loop without blocking.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Poke wakes the real-time loop, e.g. after the clock switched between real and virtual time.
func (s *Scheduler) Poke() { s.poke() }

// RunDue runs every job due by the clock's current time and returns how many ran.
func (s *Scheduler) RunDue(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runUntil(ctx, s.clock.Now(), false)
}

// Advance moves virtual time forward by d, running each job that falls due on the way at its due
// time, and returns the new time.
func (s *Scheduler) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	if d < 0 {
		return s.clock.Now(), clock.ErrBackwards
	}
	if !s.clock.Virtual() {
		return s.clock.Now(), clock.ErrNotVirtual
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.clock.Now().Add(d)
	if _, err := s.runUntil(ctx, target, true); err != nil {
		return s.clock.Now(), err
	}
	if err := s.clock.Set(target); err != nil {
		return s.clock.Now(), err
	}
	return target, nil
}

// runUntil runs jobs due at or before until, in order. With move set, it sets the (virtual) clock to
// each job's due time first. s.mu must be held.
func (s *Scheduler) runUntil(ctx context.Context, until time.Time, move bool) (int, error) {
	ran := 0
	for ; ran < maxRunsPerAdvance; ran++ {
		if err := ctx.Err(); err != nil {
			return ran, err
		}
		j, err := s.store.NextJob(ctx)
		if errors.Is(err, store.ErrNotFound) || (err == nil && j.DueAt.After(until)) {
			return ran, nil
		}
		if err != nil {
			return ran, err
		}
		if move && j.DueAt.After(s.clock.Now()) {
			if err := s.clock.Set(j.DueAt); err != nil {
				return ran, err
			}
		}
		s.run(ctx, j)
		if err := s.store.FinishJob(ctx, j); err != nil {
			return ran, err
		}
	}
	return ran, fmt.Errorf("stopped after %d job runs up to %s: a job keeps rescheduling itself", maxRunsPerAdvance, until)
}

func (s *Scheduler) run(ctx context.Context, j store.Job) {
	h, ok := s.handlers[j.Kind]
	if !ok {
		s.logger.Error("no handler for scheduled job; dropping it", "kind", j.Kind, "key", j.Key)
		return
	}
	if err := h(ctx, j); err != nil {
		s.logger.Error("scheduled job failed", "kind", j.Kind, "key", j.Key, "attempt", j.Attempt, "err", err)
	}
}

// Run runs jobs as they fall due on real time until ctx is done. On virtual time it waits: jobs then
// run only through Advance.
func (s *Scheduler) Run(ctx context.Context) {
	for {
		wait := pollInterval
		if !s.clock.Virtual() {
			if _, err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
				s.logger.Error("run due jobs", "err", err)
			}
			if j, err := s.store.NextJob(ctx); err == nil {
				wait = min(max(j.DueAt.Sub(s.clock.Now()), 0), pollInterval)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

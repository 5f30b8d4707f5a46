package mock

import (
	"context"
	"time"
)

// keepClock makes the clock state: a database that saved a clock puts it back where it stood (the
// jobs in that database were scheduled on it), and every change of the clock from now on is saved.
func (s *Server) keepClock(ctx context.Context) error {
	virtual, at, ok, err := s.store.LoadClock(ctx)
	if err != nil {
		return err
	}
	if ok {
		s.cfg.Clock.Restore(virtual, at)
		s.clockResumed = virtual
		if virtual {
			s.cfg.Logger.Info("virtual clock resumed from the database", "at", at)
		}
	}
	s.cfg.Clock.Observe(func(virtual bool, at time.Time) {
		if err := s.store.SaveClock(context.Background(), virtual, at); err != nil {
			s.cfg.Logger.Error("save the clock", "err", err)
		}
	})
	return nil
}

// ClockResumed reports whether the server resumed a virtual clock its database had saved.
func (s *Server) ClockResumed() bool { return s.clockResumed }

// Now is the time on koomock's clock.
func (s *Server) Now() time.Time { return s.cfg.Clock.Now() }

package mock

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
)

// resetState is what POST /_mock/reset needs besides the server's parts: the clock as it was at the
// start, and the runs a reset must not disturb.
type resetState struct {
	startVirtual bool
	startAt      time.Time
	runs         *runRegistry
}

func newResetState(clk *clock.Clock) resetState {
	return resetState{startVirtual: clk.Virtual(), startAt: clk.Now(),
		runs: &runRegistry{active: map[string]*activeRun{}, closing: make(chan struct{})}}
}

// handleReset puts koomock back in its fresh state: no orders, instances, exchanges, jobs, faults,
// tenants, license codes, deliveries or cases, the clock as it started, and the demo tenant and demo
// license codes issued again. The configuration (flags, seller, keys) stays. It is refused while a
// verify run drives koomock: the run would fail for reasons that are not the seller's.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	if runs := s.resets.runs.list(); len(runs) > 0 {
		var names []string
		for _, run := range runs {
			names = append(names, fmt.Sprintf("%s (%s, since %s)", run.Name, run.ID, run.StartedAt.UTC().Format(time.RFC3339)))
		}
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeConflict,
			"a run is driving koomock, and a reset would pull its orders and exchanges from under it: %s; reset once it has finished",
			strings.Join(names, ", ")))
		return
	}
	if err := s.reset(r.Context()); err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	s.cfg.Logger.Info("reset: state emptied, demo data issued again")
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ResetResult{
		Clock: controlapi.ClockState{Virtual: s.cfg.Clock.Virtual(), Now: s.cfg.Clock.Now()}})
}

// reset empties the state while no scheduled job runs, then seeds the demo data as New does.
func (s *Server) reset(ctx context.Context) error {
	// Nothing waits to be journaled: every exchange is committed before its call is answered.
	return s.scheduler.Exclusive(func() error {
		if err := s.faults.ClearAll(ctx); err != nil {
			return fmt.Errorf("reset: faults: %w", err)
		}
		if err := s.store.Reset(ctx); err != nil {
			return err
		}
		s.cfg.Clock.Reset(s.resets.startVirtual, s.resets.startAt)
		if err := s.seedDemoTenant(ctx); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		if err := s.license.Reset(ctx); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		return nil
	})
}

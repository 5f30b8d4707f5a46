package runner

import (
	"context"
	"fmt"
	"sync"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// TagExclusive marks a scenario that changes koomock-wide state (the virtual clock, faults): it runs
// alone, on a virtual clock, and leaves the clock on real time and its faults cleared.
const TagExclusive = "@exclusive"

// exclusiveGate lets scenarios run concurrently except the @exclusive ones, which run alone.
type exclusiveGate struct {
	mu sync.RWMutex
}

// saasState is a scenario's state for the SaaS steps, beside the shared scenario state.
type saasState struct {
	exclusive bool
	// locked is set once the scenario holds the gate (not for scenarios the profile skips).
	locked bool
	// watermark is the newest exchange when the scenario began: the seller's calls to koomock made
	// during the scenario come after it.
	watermark int64
	// action is the latest lifecycle action; debugCall the latest debug callback.
	action *controlapi.ActionResult
	// faults, cases and frozen are cleaned up when the scenario ends.
	faults []int64
	cases  []int64
	frozen []string
}

type saasKey struct{}

func saas(ctx context.Context) *saasState {
	st, _ := ctx.Value(saasKey{}).(*saasState)
	if st == nil {
		panic("runner: SaaS step run without its scenario state")
	}
	return st
}

// saasHooks run @exclusive scenarios alone on a virtual clock, note where the journal stood when each
// scenario began, and clean up what an exclusive scenario changed.
func (r *run) saasHooks(sc *godog.ScenarioContext) {
	sc.Before(func(ctx context.Context, sn *godog.Scenario) (context.Context, error) {
		s := state(ctx)
		st := &saasState{}
		ctx = context.WithValue(ctx, saasKey{}, st)
		if s.skipped {
			return ctx, nil
		}
		for _, t := range sn.Tags {
			st.exclusive = st.exclusive || t.Name == TagExclusive
		}
		// The lock is released by the After hook, which godog runs even when this hook fails.
		st.locked = true
		if st.exclusive {
			r.gate.mu.Lock()
			if _, err := s.api.SetClock(ctx, controlapi.ClockRequest{Mode: "virtual"}); err != nil {
				return ctx, harness(fmt.Errorf("switch koomock to virtual time: %w", err))
			}
		} else {
			r.gate.mu.RLock()
		}
		newest, err := s.api.Exchanges(ctx, koomock.ExchangeFilter{Limit: 1})
		if err != nil {
			return ctx, harness(fmt.Errorf("read the journal: %w", err))
		}
		if len(newest) > 0 {
			st.watermark = newest[0].ID
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		st, _ := ctx.Value(saasKey{}).(*saasState)
		if st == nil || !st.locked {
			return ctx, nil
		}
		cleanErr := cleanUp(context.WithoutCancel(ctx), state(ctx).api, st)
		if st.exclusive {
			r.gate.mu.Unlock()
		} else {
			r.gate.mu.RUnlock()
		}
		if cleanErr != nil {
			return ctx, harness(cleanErr)
		}
		return ctx, nil
	})
}

// cleanUp undoes what an exclusive scenario changed koomock-wide: its faults, its debug cases, the
// products it saw frozen, and the virtual clock.
func cleanUp(ctx context.Context, api *controlapi.Client, st *saasState) error {
	for _, id := range st.faults {
		if err := api.ClearFault(ctx, id); err != nil && controlapi.ErrorCode(err) != controlapi.CodeNotFound {
			return fmt.Errorf("clear fault %d: %w", id, err)
		}
	}
	for _, id := range st.cases {
		if err := api.DeleteCase(ctx, id); err != nil && controlapi.ErrorCode(err) != controlapi.CodeNotFound {
			return fmt.Errorf("delete debug case %d: %w", id, err)
		}
	}
	for _, id := range st.frozen {
		if _, err := api.UnfreezeProduct(ctx, id); err != nil {
			return fmt.Errorf("unfreeze product %s: %w", id, err)
		}
	}
	if st.exclusive {
		if _, err := api.SetClock(ctx, controlapi.ClockRequest{Mode: "real"}); err != nil {
			return fmt.Errorf("switch koomock back to real time: %w", err)
		}
	}
	return nil
}

// instance returns the scenario's latest instance.
func instance(ctx context.Context) (*koomock.Instance, error) {
	s := state(ctx)
	for i := len(s.orders) - 1; i >= 0; i-- {
		if in := s.orders[i].Instance; in != nil {
			return in, nil
		}
	}
	return nil, harness(fmt.Errorf("no instance in this scenario yet: add a step that creates one"))
}

// needExclusive refuses a step that changes koomock-wide state in a scenario not tagged @exclusive,
// where it would disturb the scenarios running beside it.
func needExclusive(ctx context.Context, what string) error {
	if !saas(ctx).exclusive {
		return harness(fmt.Errorf("%s changes koomock for every scenario: tag the scenario %s", what, TagExclusive))
	}
	return nil
}

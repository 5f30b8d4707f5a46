package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// scenario is the state of one running scenario. It lives in the scenario's context, so concurrent
// scenarios share nothing.
type scenario struct {
	api  *controlapi.Client
	opts *Options
	name string
	uri  string
	// orders are the orders placed in this scenario; the first is "the order".
	orders []controlapi.Purchase
	// last is the exchange the latest step caused.
	last *koomock.Exchange
}

type scenarioKey struct{}

func state(ctx context.Context) *scenario {
	s, _ := ctx.Value(scenarioKey{}).(*scenario)
	if s == nil {
		// Only reachable if a step runs outside the hooks below, which godog never does.
		panic("runner: step run without scenario state")
	}
	return s
}

// ruleError fails a step because the seller broke KooGallery rules in an exchange.
type ruleError struct {
	what     string
	exchange *koomock.Exchange
	verdicts []koomock.Verdict
}

func (e *ruleError) Error() string {
	var b strings.Builder
	b.WriteString(e.what)
	if e.exchange != nil {
		fmt.Fprintf(&b, "\nexchange #%d: %s → %s", e.exchange.ID, e.exchange.Activity, stripQuery(e.exchange.Request.URL))
	}
	for _, v := range e.verdicts {
		fmt.Fprintf(&b, "\n  rule %s: %s", v.Rule, v.Message)
	}
	return b.String()
}

// broke builds a ruleError from every failed verdict of e.
func broke(what string, e *koomock.Exchange) error {
	return &ruleError{what: what, exchange: e, verdicts: e.Failures()}
}

// harnessError fails a step because koomock or the setup failed, not the seller.
type harnessError struct{ err error }

func (e *harnessError) Error() string { return "harness: " + e.err.Error() }
func (e *harnessError) Unwrap() error { return e.err }

func harness(err error) error { return &harnessError{err: err} }

// scenarioInitializer wires the step library and the hooks that keep per-scenario state and report
// failures into res.
func scenarioInitializer(api *controlapi.Client, opts *Options, res *Result) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
			return context.WithValue(ctx, scenarioKey{}, &scenario{api: api, opts: opts, name: s.Name, uri: s.Uri}), nil
		})
		sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
			if err != nil {
				report(res, state(ctx), st.Text, err)
			}
			return ctx, nil
		})
		sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
			if reason := skipReason(ctx); reason != "" {
				res.addSkip(s.Name, reason)
				return ctx, nil
			}
			res.addScenario(err != nil)
			return ctx, nil
		})
		registerNewInstanceSteps(sc)
		registerJointSteps(sc)
	}
}

// report files a failed step under the seller (rule broken) or the harness (anything else).
func report(res *Result, s *scenario, step string, err error) {
	var re *ruleError
	var he *harnessError
	switch {
	case errors.Is(err, godog.ErrSkip):
		// A scenario that lacks a setting is skipped, never failed; the After hook records why.
	case errors.As(err, &re):
		res.addFailure(Failure{Scenario: s.name, Location: s.uri, Step: step, Message: err.Error(), Rules: re.verdicts, Exchange: re.exchange})
	case errors.As(err, &he):
		res.addHarness(fmt.Sprintf("%s: %s: %v", s.name, step, he.err))
	case errors.Is(err, godog.ErrUndefined), errors.Is(err, godog.ErrPending), errors.Is(err, godog.ErrAmbiguous):
		res.addHarness(fmt.Sprintf("%s: step %q: %v", s.name, step, err))
	default:
		res.addFailure(Failure{Scenario: s.name, Location: s.uri, Step: step, Message: err.Error(), Exchange: s.last})
	}
}

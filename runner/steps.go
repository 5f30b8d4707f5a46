package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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

	rec      *ScenarioRecord
	skipped  bool // the profile skipped the scenario
	skipRest bool // the developer skipped the rest of it, or quit
	done     bool // a step failed or was skipped: godog skips the rest
	// stepStarted, lastBefore and caused follow the step under way.
	stepStarted time.Time
	lastBefore  *koomock.Exchange
	caused      []*koomock.Exchange
	// warnings are the advisory verdicts the step under way gave itself (settle.go).
	warnings []koomock.Verdict
	// joint is the joint-operation state (steps_joint.go), made on first use.
	joint *joint
	// license is the License 2.0 state (steps_license.go), made on first use.
	license *licenseScenario
	// deploy is the automatic-deployment state (deploy.go), made on first use.
	deploy *deployScenario
}

// record notes an exchange the current step caused; it becomes the last exchange.
func (s *scenario) record(e *koomock.Exchange) {
	if e == nil {
		return
	}
	s.caused = append(s.caused, e)
	s.last = e
}

type scenarioKey struct{}

func state(ctx context.Context) *scenario {
	s, _ := ctx.Value(scenarioKey{}).(*scenario)
	if s == nil {
		// Only reachable if a step runs outside the hooks (hooks.go puts the state in the context before
		// every scenario), which godog never does.
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

// broke builds a ruleError from every failed verdict of e (settled by koomock's policy: a broken
// advisory rule is already a warning there).
func broke(what string, e *koomock.Exchange) error {
	return &ruleError{what: what, exchange: e, verdicts: e.Failures()}
}

// harnessError fails a step because koomock or the setup failed, not the seller.
type harnessError struct{ err error }

func (e *harnessError) Error() string { return "harness: " + e.err.Error() }
func (e *harnessError) Unwrap() error { return e.err }

func harness(err error) error { return &harnessError{err: err} }

// scenarioInitializer wires the hooks (hooks.go's bookkeeping, then the SaaS and license flows' own)
// and koomock's step library.
func scenarioInitializer(r *run) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		r.hooks(sc)
		r.saasHooks(sc)
		r.licenseHooks(sc)
		r.deployHooks(sc)
		for _, g := range library() {
			for _, st := range g.Steps {
				sc.Step(st.Pattern, settled(st.Fn, r.policy))
			}
		}
	}
}

// library is koomock's step library, group by group. `koomock steps` prints it and docs/steps.md is
// generated from it, so every step carries a description and an example; add a group here.
func library() []StepGroup {
	return []StepGroup{
		newInstanceSteps(),
		failureSteps(),
		lifecycleSteps(),
		querySteps(),
		deliverySteps(),
		openAPISteps(),
		kitSteps(),
		loginSteps(),
		loginFailureSteps(),
		workbenchSteps(),
		licenseSteps(),
		deploySteps(),
	}
}

// report files a failed step under the seller (rule broken) or the harness (anything else).
func report(res *Result, s *scenario, step, stepID string, err error) {
	var re *ruleError
	var he *harnessError
	optional, reason, id := s.rec != nil && s.rec.Class == Optional, "", ""
	if optional {
		reason = s.rec.Reason
	}
	if s.rec != nil {
		id = s.rec.ID
	}
	switch {
	case errors.As(err, &re):
		res.addFailure(Failure{Scenario: s.name, Location: s.uri, Step: step, Message: err.Error(), Rules: re.verdicts, Exchange: re.exchange, Optional: optional,
			stepID: stepID, reason: reason, scenarioID: id})
	case errors.As(err, &he):
		res.addHarness(fmt.Sprintf("%s: %s: %v", s.name, step, he.err))
	case errors.Is(err, godog.ErrUndefined), errors.Is(err, godog.ErrPending), errors.Is(err, godog.ErrAmbiguous):
		res.addHarness(fmt.Sprintf("%s: step %q: %v", s.name, step, err))
	default:
		res.addFailure(Failure{Scenario: s.name, Location: s.uri, Step: step, Message: err.Error(), Exchange: s.last, Optional: optional,
			stepID: stepID, reason: reason, scenarioID: id})
	}
}

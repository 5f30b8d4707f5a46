package runner

import (
	"sync"

	"github.com/koomock/koomock"
)

// Result is what a run found.
type Result struct {
	// Seed ordered the scenarios; pass it back to reproduce the order.
	Seed int64
	// Status is the exit code: ExitPassed, ExitFailed or ExitHarness.
	Status int

	mu        sync.Mutex
	scenarios int
	failed    int
	failures  []Failure
	harness   []string
	skipped   []string
}

// Failure is one failed step and why.
type Failure struct {
	Scenario string
	// Location is the feature file and line of the scenario.
	Location string
	Step     string
	// Message is the step's error.
	Message string
	// Rules are the failed verdicts behind the failure, if the seller broke rules.
	Rules []koomock.Verdict
	// Exchange is the exchange the failure is about (0 when none).
	Exchange *koomock.Exchange
}

func newResult(seed int64) *Result { return &Result{Seed: seed} }

func (r *Result) addScenario(failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scenarios++
	if failed {
		r.failed++
	}
}

func (r *Result) addFailure(f Failure) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, f)
}

func (r *Result) addHarness(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.harness = append(r.harness, msg)
}

// finish settles the exit status from godog's and from what the steps reported.
func (r *Result) finish(godogStatus int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case len(r.harness) > 0 || godogStatus == ExitHarness:
		r.Status = ExitHarness
	case godogStatus != 0 || r.failed > 0:
		r.Status = ExitFailed
	default:
		r.Status = ExitPassed
	}
}

// Scenarios returns how many scenarios ran and how many failed.
func (r *Result) Scenarios() (ran, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.scenarios, r.failed
}

// Failures returns the failed steps, in the order they failed.
func (r *Result) Failures() []Failure {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Failure(nil), r.failures...)
}

// Harness returns the harness errors: problems with koomock or the setup, not with the seller.
func (r *Result) Harness() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.harness) > 0
}

// HarnessErrors returns the harness error messages.
func (r *Result) HarnessErrors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.harness...)
}

// BrokenRules returns every distinct rule the seller broke, in the order first seen.
func (r *Result) BrokenRules() []koomock.Rule {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[koomock.Rule]bool{}
	var out []koomock.Rule
	for _, f := range r.failures {
		for _, v := range f.Rules {
			if !seen[v.Rule] {
				seen[v.Rule] = true
				out = append(out, v.Rule)
			}
		}
	}
	return out
}

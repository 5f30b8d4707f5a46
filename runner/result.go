package runner

import (
	"github.com/koomock/koomock/i18n"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock"
)

// Result is what a run found.
type Result struct {
	// Seed ordered the scenarios; pass it back to reproduce the order.
	Seed int64
	// Status is the exit code: ExitPassed, ExitFailed or ExitHarness.
	Status int

	// Profile is the profile the scenarios were classified under.
	Profile Profile
	// Readiness is the production-readiness check of the seller, when one was asked for.
	Readiness *Readiness

	now func() time.Time // the run's clock, for the report's date
	// lang is the language reports are written in (nil: English).
	lang *i18n.Printer
	// ownDir is the folder the seller's own features were read from, as a path in the seller's
	// repository, for annotations' file properties ("" when unknown).
	ownDir string

	mu             sync.Mutex
	scenarios      int // scenarios that ran (not skipped)
	failed         int // required scenarios that failed
	optionalFailed int
	skippedRun     int
	classes        [3]int
	stopped        bool // the developer quit a step-through run
	records        []*ScenarioRecord
	failures       []Failure
	harness        []string
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
	// Optional is set when the scenario is optional under the profile: the failure is reported but
	// does not fail the run.
	Optional bool

	stepID     string // the Gherkin step that failed, for its line in annotations
	scenarioID string // the scenario's record, for the JUnit test case it belongs to
	reason     string // why the scenario is optional, when it is
}

func newResult(seed int64, p Profile, now func() time.Time) *Result {
	return &Result{Seed: seed, Profile: p, now: now}
}

// repoPath is where a feature file is in the seller's repository, for annotations: its own features
// are under ownDir; koomock's embedded suite is not in the repository at all ("").
func (r *Result) repoPath(uri string) string {
	rest, own := strings.CutPrefix(featureFile(uri), ownDir+"/")
	if !own || r.ownDir == "" {
		return ""
	}
	return path.Join(r.ownDir, rest)
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
	case r.failed > 0 || (r.Readiness != nil && r.Readiness.Failed()):
		r.Status = ExitFailed
	case godogStatus != 0 && r.optionalFailed == 0:
		// godog saw a failure the hooks did not attribute: never report that as a pass.
		r.Status = ExitFailed
	case r.stopped:
		r.Status = ExitHarness
	default:
		r.Status = ExitPassed
	}
}

// Stopped reports whether the developer quit a step-through run before its end.
func (r *Result) Stopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

func (r *Result) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
}

// Scenarios returns how many scenarios ran and how many required ones failed; skipped scenarios are
// not counted, and failed optional ones are in OptionalFailed.
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

// BrokenRules returns every distinct rule the seller broke in a required scenario, in the order first
// seen.
func (r *Result) BrokenRules() []koomock.Rule {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[koomock.Rule]bool{}
	var out []koomock.Rule
	for _, f := range r.failures {
		if f.Optional {
			continue
		}
		for _, v := range f.Rules {
			if !seen[v.Rule] {
				seen[v.Rule] = true
				out = append(out, v.Rule)
			}
		}
	}
	return out
}

package runner

import (
	"github.com/koomock/koomock/i18n"
	"slices"
	"time"

	"github.com/koomock/koomock"
)

// Step and scenario statuses, as reports spell them.
const (
	StatusPassed  = "passed"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// ScenarioRecord is what happened in one scenario: the material of the HTML report, the summary and
// the progress line.
type ScenarioRecord struct {
	ID     string
	Name   string
	URI    string
	Tags   []string
	Class  Class
	Reason string // why the scenario was skipped or is optional
	// Why is Reason with its catalog key, when the profile gave it (a step that skips gives only Reason).
	Why      i18n.Text
	Status   string
	Started  time.Time
	Duration time.Duration
	Steps    []*StepRecord
}

// StepRecord is one step of a scenario and the exchanges it caused.
type StepRecord struct {
	ID        string
	AstID     string // the Gherkin step it comes from, for its keyword
	Text      string
	Status    string
	Error     string
	Duration  time.Duration
	Exchanges []*koomock.Exchange
	// Warnings are the advisory rules the step found broken without an exchange to show them on (a
	// call the seller never made); the exchanges' own warnings are in their verdicts.
	Warnings []koomock.Verdict
	// Curls are fresh reproductions of the exchanges of a failed step, by exchange ID.
	Curls map[int64]string
}

// Records returns a copy of every scenario's record, in the order they started.
func (r *Result) Records() []ScenarioRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ScenarioRecord, len(r.records))
	for i, s := range r.records {
		out[i] = *s
		out[i].Steps = slices.Clone(s.Steps)
	}
	return out
}

func (r *Result) startScenario(rec *ScenarioRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec)
}

// endScenario settles a scenario's status and counts it under its class.
func (r *Result) endScenario(rec *ScenarioRecord, status string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec.Status = status
	rec.Duration = now.Sub(rec.Started)
	r.classes[rec.Class]++
	switch {
	case status == StatusSkipped:
		r.skippedRun++
	case status == StatusFailed && rec.Class == Optional:
		r.optionalFailed++
		r.scenarios++
	default:
		r.scenarios++
		if status == StatusFailed {
			r.failed++
		}
	}
}

func (r *Result) addStep(rec *ScenarioRecord, st *StepRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec.Steps = append(rec.Steps, st)
}

// SkipReasons returns, for each reason a scenario was skipped, how many were, in the order first seen.
func (r *Result) SkipReasons() []ReasonCount {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ReasonCount
	for _, s := range r.records {
		if s.Class != Skipped {
			continue
		}
		i := slices.IndexFunc(out, func(c ReasonCount) bool { return c.Reason == s.Reason })
		if i < 0 {
			out = append(out, ReasonCount{Reason: s.Reason, Why: s.Why})
			i = len(out) - 1
		}
		out[i].Count++
	}
	return out
}

// ReasonCount is a reason and how many scenarios it applied to.
type ReasonCount struct {
	Reason string
	Why    i18n.Text
	Count  int
}

// reasonIn is a reason in t's language: from its key when it has one, else as it was given.
func reasonIn(t *i18n.Printer, reason string, why i18n.Text) string {
	if why.Key == "" {
		return reason
	}
	return t.Say(why)
}

// Classes returns how many scenarios the profile made required, optional and skipped.
func (r *Result) Classes() (required, optional, skipped int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.classes[Required], r.classes[Optional], r.classes[Skipped]
}

// OptionalFailed returns how many optional scenarios failed (they do not fail the run).
func (r *Result) OptionalFailed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.optionalFailed
}

// Exchanges returns every exchange the run's steps caused, in the order they were recorded.
func (r *Result) Exchanges() []*koomock.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*koomock.Exchange
	for _, s := range r.records {
		for _, st := range s.Steps {
			out = append(out, st.Exchanges...)
		}
	}
	return out
}

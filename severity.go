package koomock

import "slices"

// Severity says how much a broken rule counts. Each rule's severity is declared once, in its RuleInfo.
type Severity string

const (
	// Required rules are what KooGallery enforces, or what its documentation says the seller must do
	// and its official sample does: breaking one fails the run (exit 1).
	Required Severity = "required"
	// Advisory rules are robustness beyond KooGallery, or a documented rule that Huawei's official
	// sample itself breaks (the sample decides, spec saas-v2 §2.5): breaking one is a warning, and the
	// run still passes, unless the seller asks for --strict.
	Advisory Severity = "advisory"
)

// Policy decides the outcome of a broken rule: Fail for a required rule, Warn for an advisory one. It is
// the one place where --strict and the switches that make a documented rule enforced
// (--require-body-sign) take effect; judges never decide severity themselves.
type Policy struct {
	// Strict makes every advisory rule required (koomock verify --strict).
	Strict bool
	// Raised lists advisory rules a switch makes required for this run.
	Raised []Rule
}

// Severity returns the severity rule has under the policy. A rule missing from the registry counts
// as required: an unregistered rule must never pass silently.
func (p Policy) Severity(rule Rule) Severity {
	if p.Strict || slices.Contains(p.Raised, rule) {
		return Required
	}
	if info, ok := InfoOf(rule); ok {
		return info.Severity
	}
	return Required
}

// Broken returns the outcome of breaking rule: Fail when the rule is required, Warn when advisory.
func (p Policy) Broken(rule Rule) Outcome {
	if p.Severity(rule) == Advisory {
		return Warn
	}
	return Fail
}

// Settle gives a verdict its final outcome: a judge reports a broken rule as Fail, and the policy turns
// it into a warning when the rule is advisory. Pass and Warn stay as they are (a warning is advice
// whatever the rule's severity: an answer close to the deadline).
func (p Policy) Settle(v Verdict) Verdict {
	if v.Outcome == Fail {
		v.Outcome = p.Broken(v.Rule)
	}
	return v
}

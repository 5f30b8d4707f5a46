package runner

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// writeSummary prints what a seller engineer reads first: the profile and what it required, then the
// tally, then each failure with the rule it broke, the exchange, and a curl command that reproduces it,
// signed at the moment of printing, then the production readiness of the seller.
func writeSummary(ctx context.Context, w io.Writer, res *Result, api *controlapi.Client, replayable bool) {
	required, optional, skipped := res.Classes()
	fmt.Fprintf(w, "\nkoomock verify: profile %s (--profile %s)\n", res.Profile.Describe(), res.Profile)
	fmt.Fprintf(w, "  %d required, %d optional, %d skipped\n", required, optional, skipped)
	for _, r := range res.SkipReasons() {
		fmt.Fprintf(w, "  skipped %d: %s\n", r.Count, r.Reason)
	}
	ran, failed := res.Scenarios()
	optFailed := res.OptionalFailed()
	fmt.Fprintf(w, "koomock verify: %d scenarios, %d passed, %d failed", ran, ran-failed-optFailed, failed)
	if optFailed > 0 {
		fmt.Fprintf(w, ", %d optional failed", optFailed)
	}
	fmt.Fprintf(w, " (seed %d)\n", res.Seed)
	if res.Stopped() {
		fmt.Fprintln(w, "\nYou stopped stepping through before the end: the scenarios left were not run.")
	}
	if errs := res.HarnessErrors(); len(errs) > 0 {
		fmt.Fprintf(w, "\nkoomock could not judge the seller (exit %d):\n", ExitHarness)
		for _, e := range errs {
			fmt.Fprintf(w, "  - %s\n", e)
		}
	}
	for _, f := range res.Failures() {
		label := "FAILED"
		if f.Optional {
			label = "FAILED (optional: does not fail the run)"
		}
		fmt.Fprintf(w, "\n%s  %s  (%s)\n", label, f.Scenario, path.Base(f.Location))
		fmt.Fprintf(w, "  step: %s\n", f.Step)
		if len(f.Rules) == 0 {
			fmt.Fprintf(w, "  %s\n", indent(f.Message, "  "))
		}
		for _, v := range f.Rules {
			where := ""
			if v.Pointer != "" {
				where = " at " + v.Pointer
			}
			fmt.Fprintf(w, "  rule %s%s: %s\n", v.Rule, where, v.Message)
		}
		if e := f.Exchange; e != nil {
			writeDiagnoses(w, e.Diagnoses)
			fmt.Fprintf(w, "  exchange #%d: %s → %s  %s\n", e.ID, e.Activity, stripQuery(e.Request.URL), outcomeOf(e))
			if e.Direction == koomock.Outbound {
				if curl, err := api.Reproduce(ctx, e.ID); err == nil {
					fmt.Fprintf(w, "  reproduce (signed just now; the signature is valid for 60 s):\n    %s\n", indent(curl, "    "))
				}
				if replayable {
					fmt.Fprintf(w, "  or let koomock re-send and judge it: koomock replay %d --mock-url %s\n", e.ID, api.BaseURL)
				}
			}
		}
	}
	warnings := res.Warnings()
	writeWarnings(w, warnings)
	writeReadiness(w, res.Readiness)
	switch {
	case res.Status == ExitPassed && len(warnings) > 0:
		fmt.Fprintf(w, "\nThe seller followed every required rule, with %d warning(s) above.\n", len(warnings))
	case res.Status == ExitPassed:
		fmt.Fprintln(w, "\nThe seller followed every rule checked.")
	case res.Status == ExitFailed:
		fmt.Fprintf(w, "\nThe seller broke: %s\n", joinRules(res.BrokenRules(), res.Readiness))
	}
}

// writeReadiness prints the production-readiness section.
func writeReadiness(w io.Writer, r *Readiness) {
	if r == nil {
		return
	}
	mode := "warnings only; --production makes them failures"
	if r.Production {
		mode = "--production: problems fail the run"
	}
	fmt.Fprintf(w, "\nProduction readiness of %s (%s):\n", r.URL, mode)
	for _, f := range r.Findings {
		mark := map[koomock.Outcome]string{koomock.Pass: "ok  ", koomock.Fail: "FAIL", koomock.Warn: "warn"}[f.Outcome]
		fmt.Fprintf(w, "  %s %s: %s\n", mark, f.Rule, f.Message)
	}
	for _, e := range r.Slowest {
		fmt.Fprintf(w, "       slow: exchange #%d %s took %s (budget %s)\n", e.ID, e.Activity, e.Took(), r.Budget)
	}
}

func outcomeOf(e *koomock.Exchange) string {
	if e.Response == nil {
		return e.Error
	}
	return fmt.Sprintf("HTTP %d in %s", e.Response.Status, e.Took())
}

func stripQuery(u string) string {
	before, _, _ := strings.Cut(u, "?")
	return before
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func joinRules(rules []koomock.Rule, r *Readiness) string {
	if r.Failed() {
		for _, f := range r.Findings {
			if f.Outcome == koomock.Fail && !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
	}
	if len(rules) == 0 {
		return "(see the failures above)"
	}
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// writeDiagnoses prints signature diagnoses: the summary, the mistake's values, and likely causes.
func writeDiagnoses(w io.Writer, ds []koomock.Diagnosis) {
	for _, d := range ds {
		fmt.Fprintf(w, "  diagnosis (%s): %s\n", d.Scheme, d.Summary)
		for _, s := range d.Matched {
			fmt.Fprintf(w, "    your %s: %s\n", s.Name, indent(s.Value, "      "))
		}
		for _, s := range d.Expected {
			fmt.Fprintf(w, "    koomock's %s: %s\n", s.Name, indent(s.Value, "      "))
		}
		for _, c := range d.Causes {
			fmt.Fprintf(w, "    - %s\n", c)
		}
	}
}

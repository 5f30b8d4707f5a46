package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// writeSummary prints what a seller engineer reads first: the profile and what it required, then each
// failure once, grouped by the rules it broke, with the scenarios it broke them in, the exchange, and a
// curl command that reproduces it, signed at the moment of printing, then the warnings and the
// production readiness of the seller, and last the one-line tally and the verdict. Key words are
// coloured on a terminal, unless NO_COLOR is set.
func writeSummary(ctx context.Context, w io.Writer, res *Result, api *controlapi.Client, replayable bool) {
	p := painter(colorFor(w, os.Getenv))
	required, optional, skipped := res.Classes()
	fmt.Fprintf(w, "\nkoomock verify: profile %s (--profile %s)\n", res.Profile.Describe(), res.Profile)
	fmt.Fprintf(w, "  %d required, %d optional, %d skipped\n", required, optional, skipped)
	for _, r := range res.SkipReasons() {
		fmt.Fprintf(w, "  skipped %d: %s\n", r.Count, r.Reason)
	}
	if res.Stopped() {
		fmt.Fprintln(w, "\nYou stopped stepping through before the end: the scenarios left were not run.")
	}
	if errs := res.HarnessErrors(); len(errs) > 0 {
		fmt.Fprintf(w, "\n%s (exit %d):\n", p.red("koomock could not judge the seller"), ExitHarness)
		for _, e := range errs {
			fmt.Fprintf(w, "  - %s\n", e)
		}
	}
	for _, g := range groupFailures(res.Failures()) {
		writeFailureGroup(ctx, w, p, g, api, replayable)
	}
	warnings := res.Warnings()
	writeWarnings(w, warnings)
	writeReadiness(w, res.Readiness)
	ran, failed := res.Scenarios()
	optFailed := res.OptionalFailed()
	fmt.Fprintf(w, "\nkoomock verify: %d scenarios, %d passed, %d failed", ran, ran-failed-optFailed, failed)
	if optFailed > 0 {
		fmt.Fprintf(w, ", %d optional failed", optFailed)
	}
	if skipped > 0 {
		fmt.Fprintf(w, ", %d skipped", skipped)
	}
	if len(warnings) > 0 {
		fmt.Fprintf(w, ", %d warning(s)", len(warnings))
	}
	fmt.Fprintf(w, " (seed %d)\n", res.Seed)
	switch {
	case res.Status == ExitPassed && len(warnings) > 0:
		fmt.Fprintln(w, p.green(fmt.Sprintf("The seller followed every required rule, with %d warning(s) above.", len(warnings))))
	case res.Status == ExitPassed:
		fmt.Fprintln(w, p.green("The seller followed every rule checked."))
	case res.Status == ExitFailed:
		fmt.Fprintln(w, p.red("The seller broke: ")+joinRules(res.BrokenRules(), res.Readiness))
	}
}

// failureGroup is the failures that broke the same rules, required or optional: a rule broken in eight
// scenarios is one entry of the summary, with one reproduction.
type failureGroup struct {
	title    string // the rules, comma-separated; "" for a failure that broke no rule
	optional bool
	failures []Failure
}

// groupFailures groups failures by the rules they broke, in the order first seen. A failure that broke
// no rule (an unexpected answer, a missing setting) stands alone.
func groupFailures(fs []Failure) []failureGroup {
	var out []failureGroup
	at := map[string]int{}
	for _, f := range fs {
		if len(f.Rules) == 0 {
			out = append(out, failureGroup{optional: f.Optional, failures: []Failure{f}})
			continue
		}
		key := fmt.Sprint(f.Optional, "\x00", failureTitle(f))
		i, ok := at[key]
		if !ok {
			out = append(out, failureGroup{title: failureTitle(f), optional: f.Optional})
			i = len(out) - 1
			at[key] = i
		}
		out[i].failures = append(out[i].failures, f)
	}
	return out
}

// writeFailureGroup prints one group: the rules with the first failure's messages and the fixes, each
// scenario with its step and exchange (and its own message where it differs), then one reproduction.
func writeFailureGroup(ctx context.Context, w io.Writer, p painter, g failureGroup, api *controlapi.Client, replayable bool) {
	label := p.red("FAILED")
	if g.optional {
		label = p.yellow("FAILED (optional: does not fail the run)")
	}
	first := g.failures[0]
	if g.title == "" {
		fmt.Fprintf(w, "\n%s  %s  (%s)\n", label, first.Scenario, path.Base(first.Location))
		fmt.Fprintf(w, "  step: %s\n", first.Step)
		fmt.Fprintf(w, "  %s\n", indent(first.Message, "  "))
		writeReproduction(ctx, w, first.Exchange, api, replayable)
		return
	}
	n := "1 scenario"
	if len(g.failures) > 1 {
		n = fmt.Sprintf("%d scenarios", len(g.failures))
	}
	fmt.Fprintf(w, "\n%s  %s  (in %s)\n", label, g.title, n)
	for _, v := range first.Rules {
		fmt.Fprintf(w, "  rule %s%s: %s\n", v.Rule, pointerOf(v), v.Message)
	}
	var rules []koomock.Rule
	for _, v := range first.Rules {
		if !slices.Contains(rules, v.Rule) {
			rules = append(rules, v.Rule)
		}
	}
	for _, r := range rules {
		info, ok := koomock.InfoOf(r)
		switch {
		case !ok:
		case len(rules) == 1:
			fmt.Fprintf(w, "  fix: %s\n", info.Fix)
		default:
			fmt.Fprintf(w, "  fix (%s): %s\n", r, info.Fix)
		}
	}
	for i, f := range g.failures {
		ex := ""
		if f.Exchange != nil {
			ex = fmt.Sprintf(", exchange #%d", f.Exchange.ID)
		}
		fmt.Fprintf(w, "  - %s  %s\n    step: %s\n", f.Scenario, p.dim("("+path.Base(f.Location)+ex+")"), f.Step)
		if i == 0 {
			continue
		}
		for j, v := range f.Rules {
			if j >= len(first.Rules) || v.Message != first.Rules[j].Message {
				fmt.Fprintf(w, "    rule %s%s: %s\n", v.Rule, pointerOf(v), v.Message)
			}
		}
	}
	// One reproduction: the first failure whose exchange koomock sent, which curl can send again.
	e := first.Exchange
	for _, f := range g.failures {
		if f.Exchange != nil && f.Exchange.Direction == koomock.Outbound {
			e = f.Exchange
			break
		}
	}
	writeReproduction(ctx, w, e, api, replayable)
}

// writeReproduction prints an exchange, its signature diagnoses, and, for a callback koomock sent, a
// curl command signed just now and the koomock replay that re-sends and judges it.
func writeReproduction(ctx context.Context, w io.Writer, e *koomock.Exchange, api *controlapi.Client, replayable bool) {
	if e == nil {
		return
	}
	writeDiagnoses(w, e.Diagnoses)
	fmt.Fprintf(w, "  exchange #%d: %s → %s  %s\n", e.ID, e.Activity, stripQuery(e.Request.URL), outcomeOf(e))
	if e.Direction != koomock.Outbound {
		return
	}
	if curl, err := api.Reproduce(ctx, e.ID); err == nil {
		fmt.Fprintf(w, "  reproduce exchange #%d with curl (signed just now; the signature is valid for 60 s):\n    %s\n", e.ID, indent(curl, "    "))
	}
	if replayable {
		fmt.Fprintf(w, "  or let koomock re-send and judge it: koomock replay %d --mock-url %s\n", e.ID, api.BaseURL)
	}
}

// pointerOf is where in the answer a verdict points, as " at /pointer".
func pointerOf(v koomock.Verdict) string {
	if v.Pointer == "" {
		return ""
	}
	return " at " + v.Pointer
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

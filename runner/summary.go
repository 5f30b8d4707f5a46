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
	"github.com/koomock/koomock/i18n"
)

// writeSummary prints what a seller engineer reads first: the profile and what it required, then each
// failure once, grouped by the rules it broke, with the scenarios it broke them in, the exchange, and a
// curl command that reproduces it, signed at the moment of printing, then the warnings and the
// production readiness of the seller, and last the one-line tally and the verdict. Key words are
// coloured on a terminal, unless NO_COLOR is set.
func writeSummary(ctx context.Context, w io.Writer, res *Result, api *controlapi.Client, replayable bool) {
	p := painter(colorFor(w, os.Getenv))
	t := res.lang
	required, optional, skipped := res.Classes()
	fmt.Fprintf(w, "\n%s\n", t.T("summary.profile", res.Profile.Describe(), res.Profile.String()))
	fmt.Fprintf(w, "  %s\n", t.T("summary.classes", required, optional, skipped))
	for _, r := range res.SkipReasons() {
		fmt.Fprintf(w, "  %s\n", t.T("summary.skippedReason", r.Count, reasonIn(t, r.Reason, r.Why)))
	}
	if res.Stopped() {
		fmt.Fprintf(w, "\n%s\n", t.T("summary.stopped"))
	}
	if errs := res.HarnessErrors(); len(errs) > 0 {
		fmt.Fprintf(w, "\n%s %s\n", p.red(t.T("summary.harness")), t.T("summary.harnessExit", ExitHarness))
		for _, e := range errs {
			fmt.Fprintf(w, "  - %s\n", e)
		}
	}
	for _, g := range groupFailures(res.Failures()) {
		writeFailureGroup(ctx, w, t, p, g, api, replayable)
	}
	warnings := res.Warnings()
	writeWarnings(w, t, warnings)
	writeReadiness(w, t, res.Readiness)
	ran, failed := res.Scenarios()
	optFailed := res.OptionalFailed()
	tally := []string{t.T("count.scenarios", ran), t.T("tally.passed", ran-failed-optFailed), t.T("tally.failed", failed)}
	if optFailed > 0 {
		tally = append(tally, t.T("tally.optionalFailed", optFailed))
	}
	if skipped > 0 {
		tally = append(tally, t.T("tally.skipped", skipped))
	}
	if len(warnings) > 0 {
		tally = append(tally, t.T("tally.warnings", len(warnings)))
	}
	fmt.Fprintf(w, "\n%s\n", t.T("summary.tally", strings.Join(tally, t.T("list.sep")), res.Seed))
	switch {
	case res.Status == ExitPassed && len(warnings) > 0:
		fmt.Fprintln(w, p.green(t.T("summary.passedWithWarnings", len(warnings))))
	case res.Status == ExitPassed:
		fmt.Fprintln(w, p.green(t.T("summary.passed")))
	case res.Status == ExitFailed:
		fmt.Fprintln(w, p.red(t.T("summary.broke"))+joinRules(t, res.BrokenRules(), res.Readiness))
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
func writeFailureGroup(ctx context.Context, w io.Writer, t *i18n.Printer, p painter, g failureGroup, api *controlapi.Client, replayable bool) {
	label := p.red(t.T("summary.failed"))
	if g.optional {
		label = p.yellow(t.T("summary.failedOptional"))
	}
	first := g.failures[0]
	if g.title == "" {
		fmt.Fprintf(w, "\n%s  %s  (%s)\n", label, first.Scenario, path.Base(first.Location))
		fmt.Fprintf(w, "  %s\n", t.T("summary.step", first.Step))
		fmt.Fprintf(w, "  %s\n", indent(first.Message, "  "))
		writeReproduction(ctx, w, t, first.Exchange, api, replayable)
		return
	}
	fmt.Fprintf(w, "\n%s  %s  %s\n", label, g.title, t.T("summary.inScenarios", len(g.failures)))
	for _, v := range first.Rules {
		fmt.Fprintf(w, "  %s\n", t.T("summary.rule", v.Rule, pointerOf(t, v), t.Why(v)))
	}
	var rules []koomock.Rule
	for _, v := range first.Rules {
		if !slices.Contains(rules, v.Rule) {
			rules = append(rules, v.Rule)
		}
	}
	for _, r := range rules {
		fix := t.Fix(r)
		switch {
		case fix == "":
		case len(rules) == 1:
			fmt.Fprintf(w, "  %s\n", t.T("summary.fix", fix))
		default:
			fmt.Fprintf(w, "  %s\n", t.T("summary.fixOf", r, fix))
		}
	}
	for i, f := range g.failures {
		ex := ""
		if f.Exchange != nil {
			ex = t.T("list.sep") + t.T("summary.exchange", f.Exchange.ID)
		}
		fmt.Fprintf(w, "  - %s  %s\n    %s\n", f.Scenario, p.dim("("+path.Base(f.Location)+ex+")"), t.T("summary.step", f.Step))
		if i == 0 {
			continue
		}
		for j, v := range f.Rules {
			if j >= len(first.Rules) || v.Message != first.Rules[j].Message {
				fmt.Fprintf(w, "    %s\n", t.T("summary.rule", v.Rule, pointerOf(t, v), t.Why(v)))
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
	writeReproduction(ctx, w, t, e, api, replayable)
}

// writeReproduction prints an exchange, its signature diagnoses, and, for a callback koomock sent, a
// curl command signed just now and the koomock replay that re-sends and judges it.
func writeReproduction(ctx context.Context, w io.Writer, t *i18n.Printer, e *koomock.Exchange, api *controlapi.Client, replayable bool) {
	if e == nil {
		return
	}
	writeDiagnoses(w, t, e.Diagnoses)
	fmt.Fprintf(w, "  %s: %s → %s  %s\n", t.T("summary.exchange", e.ID), e.Activity, stripQuery(e.Request.URL), outcomeOf(t, e))
	if e.Direction != koomock.Outbound {
		return
	}
	if curl, err := api.Reproduce(ctx, e.ID); err == nil {
		fmt.Fprintf(w, "  %s\n    %s\n", t.T("summary.curl", e.ID), indent(curl, "    "))
	}
	if replayable {
		fmt.Fprintf(w, "  %s\n", t.T("summary.replay", e.ID, api.BaseURL))
	}
}

// pointerOf is where in the answer a verdict points, as " at /pointer".
func pointerOf(t *i18n.Printer, v koomock.Verdict) string {
	if v.Pointer == "" {
		return ""
	}
	return t.T("summary.at", v.Pointer)
}

// writeReadiness prints the production-readiness section.
func writeReadiness(w io.Writer, t *i18n.Printer, r *Readiness) {
	if r == nil {
		return
	}
	mode := t.T("readiness.warnOnly")
	if r.Production {
		mode = t.T("readiness.production")
	}
	fmt.Fprintf(w, "\n%s\n", t.T("readiness.title", r.URL, mode))
	for _, f := range r.Findings {
		mark := map[koomock.Outcome]string{koomock.Pass: "ok  ", koomock.Fail: "FAIL", koomock.Warn: "warn"}[f.Outcome]
		fmt.Fprintf(w, "  %s %s: %s\n", mark, f.Rule, t.Why(f.Verdict()))
	}
	for _, e := range r.Slowest {
		fmt.Fprintf(w, "       %s\n", t.T("readiness.slow", e.ID, e.Activity, e.Took().String(), r.Budget.String()))
	}
}

func outcomeOf(t *i18n.Printer, e *koomock.Exchange) string {
	if e.Response == nil {
		return e.Error
	}
	return t.T("summary.httpIn", e.Response.Status, e.Took().String())
}

func stripQuery(u string) string {
	before, _, _ := strings.Cut(u, "?")
	return before
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func joinRules(t *i18n.Printer, rules []koomock.Rule, r *Readiness) string {
	if r.Failed() {
		for _, f := range r.Findings {
			if f.Outcome == koomock.Fail && !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
	}
	if len(rules) == 0 {
		return t.T("summary.seeAbove")
	}
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// writeDiagnoses prints signature diagnoses: the summary, the mistake's values, and likely causes.
func writeDiagnoses(w io.Writer, t *i18n.Printer, ds []koomock.Diagnosis) {
	for _, d := range ds {
		fmt.Fprintf(w, "  %s\n", t.T("diagnosis.title", d.Scheme, t.Diagnosis(d)))
		for _, s := range d.Matched {
			fmt.Fprintf(w, "    %s\n", t.T("diagnosis.yours", s.Name, indent(s.Value, "      ")))
		}
		for _, s := range d.Expected {
			fmt.Fprintf(w, "    %s\n", t.T("diagnosis.koomocks", s.Name, indent(s.Value, "      ")))
		}
		for _, c := range d.Causes {
			fmt.Fprintf(w, "    - %s\n", c)
		}
	}
}
